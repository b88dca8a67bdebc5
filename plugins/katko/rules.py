"""Named checks over valid records, each with a stable code (see :mod:`katko.codes`).

A record check is a small function that receives one record and the
:class:`Context` and yields :class:`~katko.diagnostics.Diagnostic`\\ s; a
dataset check looks at all records together. Register a check with
:func:`record_check` or :func:`dataset_check`; :func:`run` runs them all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from . import lifecycle, placeholders, textdates
from .codes import CODES
from .diagnostics import Diagnostic, Severity
from .i18n import N_
from .lifecycle import CLOSING
from .addresses import host_problem
from .markup import allowed, links, may_link_elsewhere, scheme
from .messages import Decimal, Holiday, Languages, Period, Phrase, Place, Series, Term, params
from .model import (ID_PATTERN, PLANNED_STATUSES, UNPLANNED_STATUSES, Arrangement, Catalogue, Localized, Markdown,
                    Policy, Service)
from .settings import Settings
from .times import HELSINKI
from .workdays import holidays_between, latest_publication, working_days_between

if TYPE_CHECKING:
    from .records import Dataset, Record
    from .usage import ProfileError
    from .windows import Assessment
    from .yamlsource import Document

@dataclass(frozen=True)
class Context:
    settings: Settings
    services: frozenset[str]
    catalogue: Catalogue | None = None
    #: The last model whose texts were walked, and its texts: a record's checks read them one after another.
    _walked: list[Any] = field(default_factory=list, compare=False, hash=False, repr=False)
    #: The last outage whose state now was worked out, and its state: several checks read it.
    _stood: list[Any] = field(default_factory=list, compare=False, hash=False, repr=False)

    def localized(self, model: Any) -> list[tuple[tuple[Any, ...], Localized]]:
        """:func:`localized_fields` of ``model``, walked once for all the checks of a record."""
        if not self._walked or self._walked[0] is not model:
            self._walked[:] = [model, list(localized_fields(model))]
        return self._walked[1]

    def state(self, outage: Any) -> lifecycle.State:
        """``lifecycle.at(outage, now)``, worked out once for all the checks of a record."""
        if not self._stood or self._stood[0] is not outage:
            self._stood[:] = [outage, lifecycle.at(outage, self.settings.now)]
        return self._stood[1]

    @property
    def policy(self) -> Policy:
        return self.catalogue.policy if self.catalogue else Policy()

    def services_of(self, record: Record) -> list[Service]:
        """The catalogue entries of the record's services (unknown ones are K302)."""
        if self.catalogue is None:
            return []
        known: dict[str, Service] = {}
        for service in self.catalogue.services:
            known.setdefault(service.id, service)  # a duplicate id is K304
        return [known[s] for s in record.outage.services if s in known]


RecordCheck = Callable[["Record", Context], Iterator[Diagnostic]]
DatasetCheck = Callable[["Dataset", Context], Iterator[Diagnostic]]
RECORD_CHECKS: list[RecordCheck] = []
DATASET_CHECKS: list[DatasetCheck] = []


def record_check(func: RecordCheck) -> RecordCheck:
    RECORD_CHECKS.append(func)
    return func


def dataset_check(func: DatasetCheck) -> DatasetCheck:
    DATASET_CHECKS.append(func)
    return func


def problem(doc: Document, path: tuple[Any, ...], code: str, message: str,
            severity: Severity = "error", *, key: bool = False, **values: Any) -> Diagnostic:
    """A problem at ``path``; ``message`` is a msgid (``N_("…")``) whose ``%(name)s`` fields are ``values``."""
    line, column = doc.position(path, key=key)
    return Diagnostic(doc.path, line, column, severity, code, message, CODES[code].hint, params(**values))


def run(dataset: Dataset, settings: Settings,
        checked: dict[tuple[str, str], list[Diagnostic]] | None = None) -> list[Diagnostic]:
    """Every check. ``checked`` keeps each valid record's own problems by its file and text,
    for loads under the same settings and catalogue (:class:`katko.records.Reuse`)."""
    context = Context(settings, frozenset(dataset.services), dataset.catalogue)
    found: list[Diagnostic] = []
    for record in dataset.records:
        key = (record.doc.path, record.doc.text)
        own = checked.get(key) if checked is not None else None
        if own is None:
            own = [problem for check in RECORD_CHECKS for problem in check(record, context)]
            if checked is not None:
                checked[key] = own
        found.extend(own)
    for record in dataset.salvaged:
        for check in RECORD_CHECKS:
            try:
                found.extend(check(record, context))
            except AttributeError:
                pass  # the check needs a field that has an error of its own
    for dataset_check_ in DATASET_CHECKS:
        found.extend(dataset_check_(dataset, context))
    return found


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def localized_fields(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Localized]]:
    """Every :class:`Localized` text inside a model, with its path, except internal ones."""
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from localized_fields(item, path + (i,))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name != "internal":
                yield from localized_fields(getattr(value, name, None), path + (name,))


def _missing_languages(doc: Document, model: Any, context: Context,
                       skip: tuple[str, ...] = ()) -> Iterator[Diagnostic]:
    for path, text in context.localized(model):
        if path[:1] in [(name,) for name in skip]:
            continue
        missing = text.missing(context.settings.required_languages)
        if missing:
            yield problem(doc, path, "K202", N_("%(field)s has no %(languages)s text"), key=True,
                          field=Place(path), languages=Languages(tuple(missing)))


def _unsafe_links(doc: Document, model: Any, context: Context) -> Iterator[Diagnostic]:
    for path, text in context.localized(model):
        if not isinstance(text, Markdown):
            continue
        for lang in type(text).model_fields:
            written = text.get(lang) or ""
            if not may_link_elsewhere(written):
                continue  # Markdown is converted only when it could hold a link with a scheme
            for address in dict.fromkeys(links(written)):
                if not allowed(address):
                    line, column = _position_in(doc, path + (lang,), address)
                    yield Diagnostic(doc.path, line, column, "error", "K120",
                                     N_("%(field)s: the link '%(address)s' is not allowed here"), CODES["K120"].hint,
                                     params(field=Place(path + (lang,)), address=address))
                    continue
                found = host_problem(address) if scheme(address) == "https" else None
                if found is not None:
                    line, column = _position_in(doc, path + (lang,), address)
                    yield Diagnostic(doc.path, line, column, "error", "K113", N_("%(place)s: %(problem)s"),
                                     CODES["K113"].hint,
                                     params(place=Place(path + (lang,)), problem=Phrase(found, params(address=address))))


def _position_in(doc: Document, path: tuple[Any, ...], written: str) -> tuple[int, int]:
    """Where ``written`` stands inside the text at ``path``, or else where the text starts."""
    _, node, depth = doc.nodes(path)
    if depth == len(path) and node is not None:
        start, end = node.start_mark, node.end_mark
        found = doc.text.find(written, start.index, end.index)
        if found >= 0:
            before = doc.text[start.index:found]
            lines = before.count("\n")
            column = len(before) - before.rfind("\n") if lines else start.column + len(before) + 1
            return start.line + 1 + lines, column
    return doc.position(path)


# --------------------------------------------------------------------------- #
# Record checks
# --------------------------------------------------------------------------- #


@record_check
def end_after_start(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K201: the end must be later than the start."""
    o = record.outage
    if o.end is not None and o.end <= o.start:
        yield problem(record.doc, ("end",), "K201", N_("the end (%(end)s) is not after the start (%(start)s)"),
                      end=o.end, start=o.start)


@record_check
def required_languages(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K202: every public text in every required language (instructions: K212)."""
    yield from _missing_languages(record.doc, record.outage, context, skip=("alternatives",))


KIND_STATUS = {"planned": N_("'%(status)s' is not a status of a planned outage; use %(allowed)s"),
               "unplanned": N_("'%(status)s' is not a status of an unplanned outage; use %(allowed)s")}


@record_check
def links_allowed(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K120: links in Markdown texts lead only to https:, mailto: and tel: addresses or this site."""
    yield from _unsafe_links(record.doc, record.outage, context)


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
                          service=service, known=known)


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


# --------------------------------------------------------------------------- #
# Dataset checks
# --------------------------------------------------------------------------- #


@dataset_check
def placeholders_replaced(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K240–K242: what 'katko init' and 'katko new' left for the editors to replace."""
    docs = [r.doc for r in (*dataset.records, *dataset.salvaged)]
    for doc in ([dataset.catalogue_doc] if dataset.catalogue_doc else []) + docs:
        yield from placeholders.find(doc)


@dataset_check
def unique_ids(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K301: outage ids are unique across files.

    The file named after an id owns it; the others sharing it are reported.
    """
    groups: dict[str, list[Record]] = {}
    for record in [*dataset.records, *dataset.salvaged]:
        groups.setdefault(record.id, []).append(record)
    for same in groups.values():
        owner, *others = sorted(same, key=lambda r: (getattr(r.outage, "id", None) is not None, r.path))
        for record in others:
            yield problem(record.doc, ("id",), "K301", N_("the id '%(id)s' is already used by %(owner)s"),
                          id=record.id, owner=owner.path)


@dataset_check
def unique_services(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K304: service ids are unique."""
    if dataset.catalogue is None or dataset.catalogue_doc is None:
        return
    seen: set[str] = set()
    for i, service in enumerate(dataset.catalogue.services):
        if service.id in seen:
            yield problem(dataset.catalogue_doc, ("services", i, "id"), "K304",
                          N_("the service id '%(service)s' is used twice"), service=service.id)
        seen.add(service.id)


@dataset_check
def catalogue_languages(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K202 for the catalogue: names, contacts and instructions in every required language."""
    if dataset.catalogue is not None and dataset.catalogue_doc is not None:
        yield from _missing_languages(dataset.catalogue_doc, dataset.catalogue, context)


@dataset_check
def catalogue_links_allowed(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K120 in services.yml: the services' standing instructions, the accessibility statement."""
    if dataset.catalogue is not None and dataset.catalogue_doc is not None:
        yield from _unsafe_links(dataset.catalogue_doc, dataset.catalogue, context)


@dataset_check
def quiet_windows(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K230 (warning): a planned outage outside the quietest share of the week's windows.

    Only for services with a usage profile (``usage/ID.csv`` next to the
    records). Every planned outage that has not ended or been cancelled also
    gets a *note* with its expected affected users, for staff: notes never
    fail a check and the site build never shows them, and the K230 message
    itself names no figures.
    """
    folder = dataset.folder / "usage" if dataset.folder is not None else None
    if folder is None or not folder.is_dir():
        return
    from . import windows  # only projects with profiles pay for loading the holiday calendar

    unreadable: list[ProfileError] = []
    profiles = windows.load_profiles(folder, unreadable)
    for error in unreadable:
        for line, message, values in error.problems:
            yield Diagnostic(_shown(error.path), line, 1, "error", "K020", message, CODES["K020"].hint,
                             params(**values))
    share = context.settings.quiet_share(context.policy)
    for record in dataset.records:
        o = record.outage
        if o.kind != "planned" or o.end is None or o.end <= o.start \
                or context.state(o).over:
            continue
        for i, service in enumerate(o.services):
            profile = profiles.get(service)
            if profile is None:
                continue
            a = windows.assess(profile, o.start, o.end, share, after=context.settings.now)
            yield _expected_note(record, i, service, a)
            if not a.quiet:
                yield _busy(record, service, a, share)


def _expected_note(record: Record, index: int, service: str, a: Assessment) -> Diagnostic:
    line, column = record.doc.position(("services", index))
    return Diagnostic(record.doc.path, line, column, "note", "",
                      N_("%(service)s: expected affected users %(expected)s (%(unit)s, sum of the profile's "
                         "%(statistic)s per hour), %(share)s %% of a week's; rank %(rank)s of %(windows)s windows of "
                         "this length (1 = quietest)"),
                      params=params(service=service, expected=Decimal(a.expected), unit=Term(UNITS.get(a.unit, a.unit)),
                                    statistic=Term(STATISTICS.get(a.statistic, a.statistic)), share=Decimal(a.share * 100, 2),
                                    rank=a.rank, windows=a.windows))


#: The words of a usage profile's unit and statistic (:mod:`katko.usage`).
UNITS = {"requests": N_("requests"), "visits": N_("visits")}
STATISTICS = {"mean": N_("mean")}


def _busy(record: Record, service: str, a: Assessment, share: float) -> Diagnostic:
    values = dict(service=service, share=f"{share * 100:g}", length=a.window.end - a.window.start, rank=a.rank,
                  windows=a.windows)
    if a.better:
        return problem(record.doc, ("start",), "K230",
                       N_("%(service)s is busier at this time than in the quietest %(share)s %% of the week's "
                          "%(length)s windows (this one is number %(rank)s of %(windows)s, quietest first); quieter "
                          "in the same week: %(quieter)s"),
                       "warning", quieter=Series(tuple(Period(w.start, w.end, iso=True) for w in a.better)), **values)
    return problem(record.doc, ("start",), "K230",
                   N_("%(service)s is busier at this time than in the quietest %(share)s %% of the week's "
                      "%(length)s windows (this one is number %(rank)s of %(windows)s, quietest first); no quieter "
                      "window is left in the same week"),
                   "warning", **values)


def _shown(path: Any) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


# --------------------------------------------------------------------------- #
# Dates and times written in the texts (K231-K235)
# --------------------------------------------------------------------------- #

#: Texts that speak of the outage's own time: copied ones keep the earlier outage's.
_OWN_TIME = ("title", "summary")
#: How ``katko new`` marks a date it copied and could not replace.
MARKER = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


def _texts(record: Record, context: Context,
           fields: tuple[str, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Every public text of a record (or of its top-level ``fields``) with its path and language; what
    'katko new' marked (K234) blanked out."""
    for path, value in context.localized(record.outage):
        if fields and path[0] not in fields:
            continue
        for lang in ("fi", "sv", "en"):
            text = value.get(lang)
            if text:
                yield path + (lang,), lang, MARKER.sub(lambda m: " " * len(m.group(0)), text) if "[[" in text else text


def _at(doc: Document, path: tuple[Any, ...], offset: int, code: str, message: str,
        severity: Severity = "warning", **values: Any) -> Diagnostic:
    """A problem at the character ``offset`` of the text at ``path``."""
    line, column = doc.position_in(path, offset)
    return Diagnostic(doc.path, line, column, severity, code, message, CODES[code].hint, params(**values))


def _wall(moment: datetime) -> tuple[date, int]:
    local = moment.astimezone(HELSINKI)
    return local.date(), local.hour * 60 + local.minute


def _moments(record: Record, context: Context) -> list[datetime]:
    """The moments a text may name as the outage's: its start, every end announced, and its actual end."""
    o = record.outage
    # As the record finally stands: a summary written after an early end names it.
    last = max([context.settings.now, *lifecycle.transitions(o)])
    final = context.state(o) if last == context.settings.now else lifecycle.at(o, last)
    found = {o.start, *(m for m in (o.end, final.ended_at, *(u.end for u in o.updates)) if m is not None)}
    return sorted(found)


@record_check
def weekdays_match_dates(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K231 (warning): a weekday written next to a date is that date's weekday."""
    near = record.outage.start.astimezone(HELSINKI).date()
    for path, lang, text in _texts(record, context):
        for m in textdates.wrong_weekdays(text, lang, near):
            if m.wrong_weekday:
                yield _at(record.doc, path, m.start, "K231",
                          N_("%(place)s: '%(text)s' names the wrong weekday: the date is %(date)s"),
                          place=Place(path), text=m.text, date=m.day)


@record_check
def texts_name_the_outages_times(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K232 (warning): the title names only the outage's own days; K233 (warning): the title and
    summary name only its own start and end times."""
    moments = _moments(record, context)
    walls = {_wall(m) for m in moments}
    first, last = min(day for day, _ in walls), max(day for day, _ in walls)
    for path, lang, text in _texts(record, context, _OWN_TIME):
        for m in textdates.scan(text, lang, first, words=False):
            if m.day is not None and path[0] == "title" and not first <= m.day <= last:
                message = (N_("%(place)s names %(date)s ('%(text)s'), but the outage is on %(first)s")
                           if first == last else
                           N_("%(place)s names %(date)s ('%(text)s'), but the outage is from %(first)s to %(last)s"))
                yield _at(record.doc, path, m.start, "K232", message, place=Place(path), date=m.day, text=m.text,
                          first=first, last=last)
            previous = None
            for clock in m.clocks:
                day = m.day
                if day is not None and previous is not None and clock.minutes < previous:
                    day = day + timedelta(days=1)  # "klo 22.00–2.00" ends the next day
                previous = clock.minutes
                if (day, clock.minutes) in walls or (day is None and clock.minutes in {t for _, t in walls}):
                    continue
                if day is None:
                    message = N_("%(place)s names the time %(time)s, which is not the outage's start or end "
                                 "(%(moments)s)")
                else:
                    message = N_("%(place)s names the time %(time)s on %(date)s, which is not the outage's start "
                                 "or end (%(moments)s)")
                yield _at(record.doc, path, clock.start, "K233", message, place=Place(path), time=clock.text,
                          date=day, moments=tuple(moments))


@record_check
def copied_dates_checked(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K234: a date or time that 'katko new' copied and marked has been checked and unmarked."""
    def strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from strings(item, path + (i,))

    if "[[" not in record.doc.text and "\\" not in record.doc.text:
        return  # a value has "[[" only where the file has it, or writes it with a YAML escape
    for path, text in strings(record.doc.data, ()):
        for match in MARKER.finditer(text):
            yield _at(record.doc, path, match.start(), "K234",
                      N_("%(place)s: '%(text)s' was copied from an earlier notice and is not checked yet"),
                      "error", place=Place(path), text=match.group(0))


@record_check
def resolution_time_stated(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K235 (warning): when a disruption was fixed is stated, not left to the record's old estimate.

    The notice says the service was back when the update that resolved it says
    (its ``end``), else at that update's time. A record whose end is earlier, and
    which no update announced as an estimate, most likely meant that end.
    """
    o = record.outage
    state = context.state(o)
    if o.kind != "unplanned" or state.phase != "ended" or o.end is None or state.ended_at is None:
        return
    closing = next((i for i, u in enumerate(o.updates) if u.status in CLOSING and u.time <= context.settings.now),
                   None)
    if closing is None or o.updates[closing].end is not None or o.end >= state.ended_at \
            or any(u.end == o.end for u in o.updates):
        return
    yield problem(record.doc, ("updates", closing, "time"), "K235",
                  N_("the notice says the service was back at %(back)s, when updates[%(number)s] resolved the "
                     "disruption, but the record's end is %(end)s"),
                  "warning", back=state.ended_at, number=closing + 1, end=o.end)
