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
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .codes import CODES
from .diagnostics import Diagnostic, Severity
from .model import ID_PATTERN, PLANNED_STATUSES, UNPLANNED_STATUSES, Localized
from .phase import phase
from .settings import Settings
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
    context = Context(settings, frozenset(dataset.services))
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


def _missing_languages(doc: Document, model: Any, context: Context) -> Iterator[Diagnostic]:
    for path, text in localized_fields(model):
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
    """K202: every public text in every required language."""
    yield from _missing_languages(record.doc, record.outage, context)


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
    share = context.settings.low_usage_share
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
