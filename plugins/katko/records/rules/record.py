"""Checks of one record on its own: times in order, languages, links, statuses that fit
the kind, the id and the services it names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...core.i18n import N_
from ...core.markup import allowed
from ..dataset import Record
from ..diagnostics import Diagnostic
from ..lifecycle import CLOSING
from ..model import ID_PATTERN, PLANNED_STATUSES, UNPLANNED_STATUSES
from ..texts import as_name
from .base import Context, record_check, problem, missing_languages, unsafe_links


# --------------------------------------------------------------------------- #
# Record checks
# --------------------------------------------------------------------------- #


@record_check
def end_after_start(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K201: the end must be later than the start, and so must every end an update gives (an
    announced end, or when the service was back: a closing update's end, else its time): the
    notice shows it as the end."""
    o = record.outage
    if o.end is not None and o.end <= o.start:
        yield problem(record.doc, ("end",), "K201", N_("the end (%(end)s) is not after the start (%(start)s)"),
                      end=o.end, start=o.start)
    for i, update in enumerate(o.updates):
        if update.end is not None and update.end <= o.start:
            yield problem(record.doc, ("updates", i, "end"), "K201",
                          N_("updates[%(number)s] gives the end %(end)s, which is not after the start (%(start)s)"),
                          number=i + 1, end=update.end, start=o.start)
        elif update.end is None and update.status in CLOSING and update.time <= o.start:
            # Without an end of its own, the update's time is when the service was back.
            yield problem(record.doc, ("updates", i, "time"), "K201",
                          N_("updates[%(number)s] ends the outage at %(time)s, which is not after the start "
                             "(%(start)s)"), number=i + 1, time=update.time, start=o.start)


@record_check
def required_languages(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K202: every public text in every required language (instructions: K212)."""
    yield from missing_languages(record.doc, record.outage, context, skip=("alternatives",))


KIND_STATUS = {"planned": N_("'%(status)s' is not a status of a planned outage; use %(allowed)s"),
               "unplanned": N_("'%(status)s' is not a status of an unplanned outage; use %(allowed)s")}


@record_check
def links_allowed(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K120: links in Markdown texts lead only to https:, mailto: and tel: addresses or this site."""
    yield from unsafe_links(record.doc, record.outage, context)


@record_check
def status_fits_kind(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K203: planned and unplanned outages have their own statuses."""
    o = record.outage
    allowed = PLANNED_STATUSES if o.kind == "planned" else UNPLANNED_STATUSES
    if o.status is not None and o.status not in allowed:
        yield problem(record.doc, ("status",), "K203", KIND_STATUS[o.kind], status=o.status, allowed=allowed)
    for i, update in enumerate(o.updates):
        if update.status is not None and update.status not in allowed:
            yield problem(record.doc, ("updates", i, "status"), "K203", KIND_STATUS[o.kind], status=update.status,
                          allowed=allowed)


@record_check
def public_before_start(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K204: a planned outage's notice is public before the outage starts."""
    o = record.outage
    if o.kind == "planned" and o.public_from > o.start:
        yield problem(record.doc, ("public_from",), "K204",
                      N_("the notice becomes public only after the outage has started"))


@record_check
def planned_has_end(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K205: a planned outage states when it ends."""
    if record.outage.kind == "planned" and record.outage.end is None:
        yield problem(record.doc, (), "K205", N_("a planned outage needs an 'end' time"))


@record_check
def id_from_file_name(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K206: an id taken from the file name must be a valid id."""
    if record.outage.id is None and not re.match(ID_PATTERN, record.id):
        yield problem(record.doc, (), "K206", N_("the file name '%(name)s' cannot be used as the outage's id"),
                      name=record.id)


@record_check
def cancellation_announced(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K208: a cancellation is announced as a timeline update, so feeds and calendars show it as a change."""
    o = record.outage
    if o.effective_status == "cancelled" and not any(u.status == "cancelled" for u in o.updates):
        yield problem(record.doc, ("status",), "K208", N_("the outage is cancelled, but no update says so"))


@record_check
def cancelled_before_start(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K223 (warning): planned work is cancelled before it starts. Cancelled later, the notice would
    tell people that an outage which had begun by the clock did not happen."""
    o = record.outage
    if o.kind != "planned" or o.effective_status != "cancelled":
        return
    for i, update in enumerate(o.updates):
        if update.status == "cancelled" and update.time > o.start:
            yield problem(record.doc, ("updates", i, "status"), "K223",
                          N_("updates[%(number)s] cancels the outage at %(time)s, after its start at %(start)s"),
                          "warning", number=i + 1, time=update.time, start=o.start)
            return


@record_check
def updates_not_in_future(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K207 (warning): an update dated after "now" is most likely a mistyped date."""
    for i, update in enumerate(record.outage.updates):
        if update.time > context.settings.now:
            yield problem(record.doc, ("updates", i, "time"), "K207", N_("updates[%(number)s] is dated in the future"),
                          "warning", number=i + 1)


@record_check
def known_services(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K302: every affected service is in the catalogue; K305: each is listed once (a second
    mention would show the service twice and put the notice twice in its feeds and calendar)."""
    seen: set[str] = set()
    for i, service in enumerate(record.outage.services):
        if service in seen:
            yield problem(record.doc, ("services", i), "K305",
                          N_("the service '%(service)s' is listed twice"), service=service)
        seen.add(service)
    if not context.services:
        return  # the missing or broken catalogue is already reported
    for i, service in enumerate(record.outage.services):
        if service not in context.services:
            known = ", ".join(sorted(context.services))
            yield problem(record.doc, ("services", i), "K302", N_("unknown service '%(service)s' (known: %(known)s)"),
                          service=as_name(service), known=known)
