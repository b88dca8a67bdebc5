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
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .codes import CODES
from .diagnostics import Diagnostic, Severity
from .model import ID_PATTERN, PLANNED_STATUSES, UNPLANNED_STATUSES, Catalogue, Localized, Outage, Policy, Service
from .phase import phase
from .settings import Settings
from .times import HELSINKI
from .workdays import holidays_between, latest_publication, working_days_between
from .yamlsource import describe

if TYPE_CHECKING:
    from .records import Dataset, Record
    from .windows import Assessment
    from .yamlsource import Document

_LANGUAGE_NAMES = {"fi": "Finnish (fi)", "sv": "Swedish (sv)", "en": "English (en)"}


@dataclass(frozen=True)
class Context:
    settings: Settings
    services: frozenset[str]
    catalogue: Catalogue | None = None

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
            severity: Severity = "error", *, key: bool = False) -> Diagnostic:
    line, column = doc.position(path, key=key)
    return Diagnostic(doc.path, line, column, severity, code, message, CODES[code].hint)


def run(dataset: Dataset, settings: Settings) -> list[Diagnostic]:
    context = Context(settings, frozenset(dataset.services), dataset.catalogue)
    found: list[Diagnostic] = []
    for record in dataset.records:
        for check in RECORD_CHECKS:
            found.extend(check(record, context))
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
    for path, text in localized_fields(model):
        if path[:1] in [(name,) for name in skip]:
            continue
        missing = text.missing(context.settings.required_languages)
        if missing:
            languages = " and ".join(_LANGUAGE_NAMES[lang] for lang in missing)
            yield problem(doc, path, "K202", f"{describe(path)} has no {languages} text", key=True)


# --------------------------------------------------------------------------- #
# Record checks
# --------------------------------------------------------------------------- #


@record_check
def end_after_start(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K201: the end must be later than the start."""
    o = record.outage
    if o.end is not None and o.end <= o.start:
        yield problem(record.doc, ("end",), "K201", "the end is not after the start "
                      f"({o.end.isoformat(' ', 'minutes')} ≤ {o.start.isoformat(' ', 'minutes')})")


@record_check
def required_languages(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K202: every public text in every required language (instructions: K212)."""
    yield from _missing_languages(record.doc, record.outage, context, skip=("alternatives",))


@record_check
def status_fits_kind(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K203: planned and unplanned outages have their own statuses."""
    o = record.outage
    allowed = PLANNED_STATUSES if o.kind == "planned" else UNPLANNED_STATUSES
    if o.status is not None and o.status not in allowed:
        yield problem(record.doc, ("status",), "K203",
                      f"'{o.status}' is not a status of a {o.kind} outage; use {', '.join(allowed)}")
    for i, update in enumerate(o.updates):
        if update.status is not None and update.status not in allowed:
            yield problem(record.doc, ("updates", i, "status"), "K203",
                          f"'{update.status}' is not a status of a {o.kind} outage; use {', '.join(allowed)}")


@record_check
def public_before_start(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K204: a planned outage's notice is public before the outage starts."""
    o = record.outage
    if o.kind == "planned" and o.public_from > o.start:
        yield problem(record.doc, ("public_from",), "K204",
                      "the notice becomes public only after the outage has started")


@record_check
def planned_has_end(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K205: a planned outage states when it ends."""
    if record.outage.kind == "planned" and record.outage.end is None:
        yield problem(record.doc, (), "K205", "a planned outage needs an 'end' time")


@record_check
def id_from_file_name(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K206: an id taken from the file name must be a valid id."""
    if record.outage.id is None and not re.match(ID_PATTERN, record.id):
        yield problem(record.doc, (), "K206", f"the file name '{record.id}' cannot be used as the outage's id")


@record_check
def cancellation_announced(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K208: a cancellation is announced as a timeline update, so feeds and calendars show it as a change."""
    o = record.outage
    if o.effective_status == "cancelled" and not any(u.status == "cancelled" for u in o.updates):
        yield problem(record.doc, ("status",), "K208", "the outage is cancelled, but no update says so")


@record_check
def updates_not_in_future(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K207 (warning): an update dated after "now" is most likely a mistyped date."""
    for i, update in enumerate(record.outage.updates):
        if update.time > context.settings.now:
            yield problem(record.doc, ("updates", i, "time"), "K207",
                          f"updates[{i + 1}] is dated in the future", "warning")


@record_check
def known_services(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K302: every affected service is in the catalogue."""
    if not context.services:
        return  # the missing or broken catalogue is already reported
    for i, service in enumerate(record.outage.services):
        if service not in context.services:
            known = ", ".join(sorted(context.services))
            yield problem(record.doc, ("services", i), "K302", f"unknown service '{service}' (known: {known})")


# --------------------------------------------------------------------------- #
# The outage process: notice, service level, instructions, follow-up
# --------------------------------------------------------------------------- #


def _day(moment: Any) -> str:
    """A day as Finnish readers write it: 'Fri 20.11.2026'."""
    local = moment.astimezone(HELSINKI) if hasattr(moment, "astimezone") else moment
    return f"{local:%a} {local.day}.{local.month}.{local.year}"


def _hours(delta: Any) -> str:
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes % 60 else f"{minutes // 60} h"


def follow_up_end(outage: Outage, now: datetime) -> datetime | None:
    """When an outage ended, for its follow-up duties; None if it has not ended by
    ``now`` (or was cancelled). Shared with the staff site's planning view."""
    o = outage
    status = o.effective_status
    if status == "cancelled":
        return None
    end = o.end
    if status in ("ended", "resolved"):
        closing = [u.time for u in o.updates if u.status in ("ended", "resolved")]
        end = min([*closing, *([o.end] if o.end and o.kind == "planned" else [])], default=end)
    elif o.kind == "unplanned" or end is None:
        return None  # an unplanned outage ends when it is marked resolved
    if end is None or end > now:
        return None
    return end


def _days_since_end(record: Record, context: Context) -> float | None:
    """Days since an outage ended, for follow-up; None if it has not ended (or was cancelled)."""
    end = follow_up_end(record.outage, context.settings.now)
    return None if end is None else (context.settings.now - end).total_seconds() / 86400


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
        holidays = holidays_between(o.public_from, o.start)
        during = (" (public holidays in between: " + ", ".join(f"{name} {_day(d)}" for d, name in holidays) + ")"
                  if holidays else "")
        yield problem(record.doc, ("public_from",), "K210",
                      f"a {_hours(o.end - o.start)} outage needs {needed} working days' notice, this gives {given}"
                      f"{during}; make it public on {_day(latest_publication(o.start, needed))} at the latest")


@record_check
def within_service_level(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K211: a planned outage is no longer than its services' maximum single outage (D5)."""
    o = record.outage
    if o.kind != "planned" or o.end is None or o.start <= context.settings.now:
        return
    if o.internal is not None and o.internal.service_level_reason:
        return
    for service in context.services_of(record):
        if service.max_outage is not None and o.end - o.start > service.max_outage:
            yield problem(record.doc, ("end",), "K211",
                          f"the outage lasts {_hours(o.end - o.start)}, longer than the service level of "
                          f"'{service.id}' allows for one outage ({_hours(service.max_outage)})")
            return


@record_check
def alternative_instructions(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K212: instructions for getting matters handled meanwhile, in every required language (D7)."""
    o = record.outage
    if o.alternatives is not None:
        missing = o.alternatives.missing(context.settings.required_languages)
        if missing:
            languages = " and ".join(_LANGUAGE_NAMES[lang] for lang in missing)
            yield problem(record.doc, ("alternatives",), "K212",
                          f"the instructions have no {languages} text", key=True)
        return
    services = context.services_of(record)
    if not services:
        return
    for service in services:
        have = service.alternatives or Localized()
        missing = have.missing(context.settings.required_languages)
        if missing:
            languages = " and ".join(_LANGUAGE_NAMES[lang] for lang in missing)
            yield problem(record.doc, ("services",), "K212",
                          f"no instructions in {languages}: the record has no 'alternatives' and the service "
                          f"'{service.id}' has no standing ones", key=True)
            return


@record_check
def contact_channels(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K213: people can reach someone: every affected service has a contact channel (D7)."""
    for i, service_id in enumerate(record.outage.services):
        service = next((s for s in context.services_of(record) if s.id == service_id), None)
        if service is not None and not service.contacts:
            yield problem(record.doc, ("services", i), "K213",
                          f"the service '{service_id}' has no contact channels in services.yml")


@record_check
def scope_assessed(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K214 (warning): who is affected, how many, the authority's own work and the risks (D4)."""
    o = record.outage
    if o.kind != "planned" or o.start <= context.settings.now or o.effective_status == "cancelled":
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
                      f"the outage's scope and risks are not assessed: {', '.join(missing)} missing",
                      "warning", key=True)


@record_check
def status_up_to_date(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K215 (warning): a stated status that the clock has overtaken (D8)."""
    o = record.outage
    stated = o.status or next((u.status for u in reversed(o.updates) if u.status), None)
    if stated is None or o.end is None or o.end > context.settings.now:
        return
    if stated in ("scheduled", "ongoing", "extended") or (
            o.kind == "unplanned" and stated in ("investigating", "identified", "monitoring")):
        where = ("status",) if o.status else ("updates",)
        yield problem(record.doc, where, "K215",
                      f"the {'planned' if o.kind == 'planned' else 'estimated'} end "
                      f"{o.end.astimezone(HELSINKI):%d.%m.%Y %H:%M} has passed, but the outage is still marked "
                      f"'{stated}'", "warning", key=o.status is not None)


@record_check
def end_as_announced(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K216: an extension announces its new end, and the record's end is the last one announced (D8)."""
    o = record.outage
    announced = None
    for i, update in enumerate(o.updates):
        if update.status == "extended" and update.end is None:
            yield problem(record.doc, ("updates", i, "status"), "K216",
                          f"updates[{i + 1}] extends the outage but gives no new 'end'")
        if update.end is not None:
            announced = (i, update.end)
    if announced is not None and o.end != announced[1]:
        i, end = announced
        yield problem(record.doc, ("end",), "K216",
                      f"the record's end is not the end updates[{i + 1}] announced "
                      f"({end.astimezone(HELSINKI):%d.%m.%Y %H:%M})")


@record_check
def unplanned_has_first_update(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K217: an unplanned outage starts with a first update telling what is known (D11)."""
    if record.outage.kind == "unplanned" and not record.outage.updates:
        yield problem(record.doc, (), "K217", "an unplanned outage needs a first update under 'updates:'")


def _escalated(days: float | None, limit: int) -> Severity | None:
    if days is None:
        return None
    return "error" if days > limit else "warning"


@record_check
def arrangements_removed(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K218/K219: temporary arrangements are removed after the end, and what they collected carried over (D9).

    A warning from the end on, an error ``policy.arrangement_days`` later.
    """
    o = record.outage
    if o.internal is None or not o.internal.arrangements:
        return
    severity = _escalated(_days_since_end(record, context), context.policy.arrangement_days)
    if severity is None:
        return
    for i, arrangement in enumerate(o.internal.arrangements):
        path = ("internal", "arrangements", i)
        if arrangement.removed is None:
            yield problem(record.doc, path + ("what",), "K218",
                          f"the outage has ended, but the temporary arrangement '{arrangement.what}' is not marked "
                          f"removed (owner: {arrangement.owner})", severity)
        elif arrangement.collects_data and arrangement.carried_over is None:
            yield problem(record.doc, path + ("removed",), "K219",
                          f"the arrangement '{arrangement.what}' collected information, but it is not marked "
                          "carried over to the service", severity, key=True)


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
                  f"the outage ended {int(days)} days ago and has no evaluation "
                  f"(due within {limit} days; an error after {2 * limit})",
                  "error" if days > 2 * limit else "warning", key=True)


@record_check
def evaluation_times(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K201 for the evaluation: the actual end is after the actual start."""
    o = record.outage
    if o.internal is not None and o.internal.evaluation is not None:
        e = o.internal.evaluation
        if e.actual_end <= e.actual_start:
            yield problem(record.doc, ("internal", "evaluation", "actual_end"), "K201",
                          "the actual end is not after the actual start")


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
        yield problem(record.doc, ("exceptional",), "K221",
                      f"a notice of {'a data breach' if o.exceptional == 'data_breach' else 'an exceptional situation'}"
                      f" needs {', '.join(missing)}", key=True)
    if context.catalogue is not None and context.catalogue.authority.crisis is None:
        yield problem(record.doc, ("exceptional",), "K221",
                      "services.yml has no crisis communication template ('authority: crisis:') with contacts",
                      key=True)


# --------------------------------------------------------------------------- #
# Dataset checks
# --------------------------------------------------------------------------- #


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
            yield problem(record.doc, ("id",), "K301", f"the id '{record.id}' is already used by {owner.path}")


@dataset_check
def unique_services(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K304: service ids are unique."""
    if dataset.catalogue is None or dataset.catalogue_doc is None:
        return
    seen: set[str] = set()
    for i, service in enumerate(dataset.catalogue.services):
        if service.id in seen:
            yield problem(dataset.catalogue_doc, ("services", i, "id"), "K304",
                          f"the service id '{service.id}' is used twice")
        seen.add(service.id)


@dataset_check
def catalogue_languages(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K202 for the catalogue: names, contacts and instructions in every required language."""
    if dataset.catalogue is not None and dataset.catalogue_doc is not None:
        yield from _missing_languages(dataset.catalogue_doc, dataset.catalogue, context)


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

    unreadable: list[tuple[Any, str]] = []
    profiles = windows.load_profiles(folder, unreadable)
    for path, message in unreadable:
        yield Diagnostic(_shown(path), 1, 1, "note", "", f"usage profile not used: {message}")
    share = context.settings.quiet_share(context.policy)
    for record in dataset.records:
        o = record.outage
        if o.kind != "planned" or o.end is None or o.end <= o.start \
                or phase(o, context.settings.now) in ("ended", "cancelled"):
            continue
        for i, service in enumerate(o.services):
            profile = profiles.get(service)
            if profile is None:
                continue
            a = windows.assess(profile, o.start, o.end, share, after=context.settings.now)
            yield _expected_note(record, i, service, a)
            if not a.quiet:
                yield problem(record.doc, ("start",), "K230", _busy_message(service, a, share), "warning")


def _expected_note(record: Record, index: int, service: str, a: Assessment) -> Diagnostic:
    line, column = record.doc.position(("services", index))
    return Diagnostic(record.doc.path, line, column, "note", "",
                      f"{service}: expected affected users {a.expected:.1f} ({a.unit}, sum of the profile's "
                      f"{a.statistic} per hour), {a.share * 100:.2f} % of a week's; rank {a.rank} of "
                      f"{a.windows} windows of this length (1 = quietest)")


def _busy_message(service: str, a: Assessment, share: float) -> str:
    hours = f"{(a.window.end - a.window.start).total_seconds() / 3600:g}"
    text = (f"{service} is busier at this time than in the quietest {share * 100:g} % of the week's "
            f"{hours}-hour windows (this one is number {a.rank} of {a.windows}, quietest first)")
    if a.better:
        quieter = "; ".join(f"{w.finnish} ({w.iso})" for w in a.better)
        return f"{text}; quieter in the same week: {quieter}"
    return f"{text}; no quieter window is left in the same week"


def _shown(path: Any) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative
