"""The outage process: notice early enough, within the service level, instructions and
contacts, the status kept up to date, and the follow-up after the end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from ...core.i18n import N_
from ...core.workdays import holidays_between, latest_publication, working_days_between
from ..dataset import Record
from ..diagnostics import Diagnostic, Severity
from ..lifecycle import CLOSING
from ..messages import Holiday, Languages
from ..model import Arrangement, Localized
from .base import Context, record_check, problem


# --------------------------------------------------------------------------- #
# The outage process: notice, service level, instructions, follow-up
# --------------------------------------------------------------------------- #


def _days_since_end(record: Record, context: Context) -> float | None:
    """Days since an outage ended, for follow-up; None if it has not ended (or was cancelled)."""
    end = context.state(record.outage).ended_at
    return None if end is None else (context.settings.now - end).total_seconds() / 86400


def arrangement_due(arrangement: Arrangement, ended: datetime | None) -> datetime | None:
    """When a temporary arrangement is due to be gone: once the outage has ended, and not
    before its ``remove_by``. None while the outage has not ended. Shared with the staff site."""
    if ended is None:
        return None
    return max(ended, arrangement.remove_by) if arrangement.remove_by is not None else ended


NOTICE = N_("a %(length)s outage needs %(needed)s working days' notice, this gives %(given)s; "
           "make it public on %(latest)s at the latest")
NOTICE_OVER_HOLIDAYS = N_("a %(length)s outage needs %(needed)s working days' notice, this gives %(given)s "
                          "(public holidays in between: %(holidays)s); make it public on %(latest)s at the latest")


@record_check
def notice_early_enough(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K210: a planned outage is announced the policy's number of working days ahead (D3).

    Checked until the outage starts; an urgent outage states its reason instead.
    """
    o = record.outage
    if o.kind != "planned" or o.end is None or o.urgent is not None or o.start <= context.settings.now \
            or o.public_from >= o.start:  # K204
        return
    needed = context.policy.notice_needed(o.end - o.start, context.services_of(record))
    given = working_days_between(o.public_from, o.start)
    if given < needed:
        holidays = tuple(Holiday(day) for day, _ in holidays_between(o.public_from, o.start))
        message = NOTICE_OVER_HOLIDAYS if holidays else NOTICE
        yield problem(record.doc, ("public_from",), "K210", message, length=o.end - o.start, needed=needed,
                      given=given, holidays=holidays, latest=latest_publication(o.start, needed))


@record_check
def within_service_level(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K211: a planned outage is no longer than its services' maximum single outage (D5).

    An error while planned. An extension announced once the outage has begun is a
    warning: it must be published at once, and the service owner is told.
    """
    o = record.outage
    if o.kind != "planned" or o.end is None:
        return
    if o.internal is not None and o.internal.service_level_reason:
        return
    extension = next((i for i, u in reversed(list(enumerate(o.updates)))
                      if u.end is not None and u.status not in CLOSING and u.time >= o.start), None)
    if o.start <= context.settings.now and extension is None:
        return
    for service in context.services_of(record):
        if service.max_outage is not None and o.end - o.start > service.max_outage:
            if o.start > context.settings.now:
                yield problem(record.doc, ("end",), "K211",
                              N_("the outage lasts %(length)s, longer than the service level of '%(service)s' "
                                 "allows for one outage (%(limit)s)"),
                              length=o.end - o.start, service=service.id, limit=service.max_outage)
            else:
                yield problem(record.doc, ("updates", extension, "end"), "K211",
                              N_("the extension makes the outage last %(length)s, longer than the service level of "
                                 "'%(service)s' allows for one outage (%(limit)s); tell the service owner"),
                              "warning", length=o.end - o.start, service=service.id, limit=service.max_outage)
            return


@record_check
def alternative_instructions(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K212: instructions for getting matters handled meanwhile, in every required language (D7)."""
    o = record.outage
    if o.alternatives is not None:
        missing = o.alternatives.missing(context.settings.required_languages)
        if missing:
            yield problem(record.doc, ("alternatives",), "K212", N_("the instructions have no %(languages)s text"),
                          key=True, languages=Languages(tuple(missing)))
        return
    services = context.services_of(record)
    if not services:
        return
    for service in services:
        have = service.alternatives or Localized()
        missing = have.missing(context.settings.required_languages)
        if missing:
            yield problem(record.doc, ("services",), "K212",
                          N_("no %(languages)s instructions: the record has no 'alternatives' and the service "
                             "'%(service)s' has no standing ones"),
                          key=True, languages=Languages(tuple(missing)), service=service.id)
            return


@record_check
def contact_channels(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K213: people can reach someone: every affected service has a contact channel (D7)."""
    for i, service_id in enumerate(record.outage.services):
        service = next((s for s in context.services_of(record) if s.id == service_id), None)
        if service is not None and not service.contacts:
            yield problem(record.doc, ("services", i), "K213",
                          N_("the service '%(service)s' has no contact channels in services.yml"), service=service_id)


@record_check
def scope_assessed(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K214 (warning): who is affected, how many, the authority's own work and the risks (D4)."""
    o = record.outage
    if o.kind != "planned" or o.start <= context.settings.now or context.state(o).over:
        return
    internal = o.internal
    missing = [name for name, present in (
        ("stakeholders", bool(o.stakeholders)),
        ("internal.affected_users", internal is not None and internal.affected_users is not None),
        ("internal.authority_impact", internal is not None and bool(internal.authority_impact)),
        ("internal.risks", internal is not None and bool(internal.risks)),
    ) if not present]
    if missing:
        yield problem(record.doc, ("internal",) if internal is not None else (), "K214",
                      N_("the outage's scope and risks are not assessed: %(fields)s missing"),
                      "warning", key=True, fields=tuple(missing))


@record_check
def status_up_to_date(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K215 (warning): a stated status that the clock has overtaken (D8)."""
    o = record.outage
    if o.end is None or not (o.status or any(u.status for u in o.updates)):
        return  # nothing stated: the clock alone tells the phase
    state = context.state(o)
    if not ((state.phase == "ended" and state.stage not in CLOSING) or state.estimate_passed):
        return
    where = ("status",) if o.status else ("updates",)
    message = (N_("the planned end %(end)s has passed, but the outage is still marked '%(status)s'")
               if o.kind == "planned" else
               N_("the estimated end %(end)s has passed, but the outage is still marked '%(status)s'"))
    yield problem(record.doc, where, "K215", message, "warning", key=o.status is not None, end=o.end,
                  status=state.stage)


@record_check
def end_as_announced(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K216: an extension announces its new end, and the record's end is the last one announced (D8).

    The end an ending or resolving update gives is when the service came back, not an
    announced end: a planned outage keeps its planned end, to tell an early end by.
    """
    o = record.outage
    announced = None
    for i, update in enumerate(o.updates):
        if update.status == "extended" and update.end is None:
            yield problem(record.doc, ("updates", i, "status"), "K216",
                          N_("updates[%(number)s] extends the outage but gives no new 'end'"), number=i + 1)
        if update.end is not None and update.status not in CLOSING:
            announced = (i, update.end)
    if announced is not None and o.end != announced[1]:
        i, end = announced
        yield problem(record.doc, ("end",), "K216",
                      N_("the record's end is not the end updates[%(number)s] announced (%(end)s)"),
                      number=i + 1, end=end)


@record_check
def unplanned_has_first_update(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K217: an unplanned outage starts with a first update telling what is known (D11)."""
    if record.outage.kind == "unplanned" and not record.outage.updates:
        yield problem(record.doc, (), "K217", N_("an unplanned outage needs a first update under 'updates:'"))


@record_check
def resolution_announced(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K222: a disruption marked resolved says so in an update, as a cancellation does (K208): feed
    readers and calendars learn of the end from it, and the notice tells from it when the service
    was back (without one it could only guess, from the estimate or the latest update)."""
    o = record.outage
    if o.kind == "unplanned" and o.status == "resolved" and not any(u.status == "resolved" for u in o.updates):
        yield problem(record.doc, ("status",), "K222", N_("the disruption is marked resolved, but no update says so"))


def _escalated(days: float | None, limit: int) -> Severity | None:
    if days is None:
        return None
    return "error" if days > limit else "warning"


@record_check
def arrangements_removed(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K218/K219: temporary arrangements are removed after the end, and what they collected carried over (D9).

    A warning once due (the end, or its ``remove_by`` if later), an error
    ``policy.arrangement_days`` after that.
    """
    o = record.outage
    if o.internal is None or not o.internal.arrangements:
        return
    now = context.settings.now
    ended = context.state(o).ended_at
    for i, arrangement in enumerate(o.internal.arrangements):
        due = arrangement_due(arrangement, ended)
        severity = _escalated(None if due is None or due >= now else (now - due).total_seconds() / 86400,
                              context.policy.arrangement_days)
        if severity is None:
            continue
        path = ("internal", "arrangements", i)
        if arrangement.removed is None:
            yield problem(record.doc, path + ("what",), "K218",
                          N_("the outage has ended, but the temporary arrangement '%(what)s' is not marked removed "
                             "(owner: %(owner)s)"), severity, what=arrangement.what, owner=arrangement.owner)
        elif arrangement.collects_data and arrangement.carried_over is None:
            yield problem(record.doc, path + ("removed",), "K219",
                          N_("the arrangement '%(what)s' collected information, but it is not marked carried over "
                             "to the service"), severity, key=True, what=arrangement.what)


@record_check
def evaluation_written(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K220: an evaluation after the outage: a warning after N days, an error after 2N (D10)."""
    o = record.outage
    if o.internal is not None and o.internal.evaluation is not None:
        return
    days = _days_since_end(record, context)
    limit = context.policy.evaluation_days
    if days is None or days <= limit:
        return
    yield problem(record.doc, ("internal",) if o.internal is not None else (), "K220",
                  N_("the outage ended %(days)s days ago and has no evaluation (due within %(limit)s days; an error "
                     "after %(late)s)"),
                  "error" if days > 2 * limit else "warning", key=True, days=int(days), limit=limit, late=2 * limit)


@record_check
def evaluation_times(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K201 for the evaluation: the actual end is after the actual start."""
    o = record.outage
    if o.internal is not None and o.internal.evaluation is not None:
        e = o.internal.evaluation
        if e.actual_end <= e.actual_start:
            yield problem(record.doc, ("internal", "evaluation", "actual_end"), "K201",
                          N_("the actual end is not after the actual start"))


@record_check
def crisis_template(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K221: a data breach or other exceptional situation follows the crisis communication template (D11)."""
    o = record.outage
    if o.exceptional is None:
        return
    needed = [("details", o.details), ("advice", o.advice)]
    if o.exceptional == "data_breach":
        needed.append(("affected_data", o.affected_data))
    missing = [name for name, value in needed if value is None]
    if missing:
        message = (N_("a notice of a data breach needs %(fields)s") if o.exceptional == "data_breach" else
                   N_("a notice of an exceptional situation needs %(fields)s"))
        yield problem(record.doc, ("exceptional",), "K221", message, key=True, fields=tuple(missing))
    if context.catalogue is not None and context.catalogue.authority.crisis is None:
        yield problem(record.doc, ("exceptional",), "K221",
                      N_("services.yml has no crisis communication template ('authority: crisis:') with contacts"),
                      key=True)
