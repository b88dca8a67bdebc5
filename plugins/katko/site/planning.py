"""The staff's view of the records: planning, follow-up and a report per service.

Everything here is for the authority's internal site (``mkdocs.internal.yml``)
and may use a record's ``internal:`` section; the public site never imports
this module. :func:`plan` turns a :class:`~katko.records.dataset.Dataset`, the build's
:class:`~katko.records.settings.Settings` and the check :class:`~katko.records.diagnostics.Report`
into a :class:`Planning`:

* per record, its :class:`Facts`: the check results (the diagnostics of its
  file, with the process checks named one by one for an upcoming outage), the
  notice lead time in Finnish working days, the times it is measured by (the
  evaluation's actual times when written, else the record's), and the
  temporary arrangements still open;
* the upcoming outages, the open arrangements, the evaluations due or
  overdue, the unplanned outages longer than the service level;
* per service, a :class:`ServiceReport` over all its outages.

Usage figures: for an upcoming planned outage of a service with a usage
profile (``outages/usage/ID.csv``), :attr:`Facts.usage` lists a :class:`Usage`
per such service: :func:`katko.usage.windows.assess` of its window (expected users,
rank among the week's windows, quieter windows) and the profile, whose heat
map the templates draw with the window outlined. Tests may pass ``assessments``
instead; the templates show nothing while it is None.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from ..core.workdays import latest_publication, local_date, working_days_between
from ..records import lifecycle
from ..records.dataset import Dataset, Record
from ..records.diagnostics import Diagnostic, Report
from ..records.lifecycle import State
from ..records.model import Arrangement, Outage, Policy, Service
from ..records.rules.process import arrangement_due
from ..records.settings import Settings
from ..usage import windows
from ..usage.profiles import Profile
from ..usage.windows import Assessment

Level = Literal["ok", "warning", "error"]

#: The process checks shown for every upcoming outage, by the code that reports a failure.
PROCESS_CHECKS = {
    "K210": "notice",
    "K211": "service_level",
    "K212": "instructions",
    "K213": "contacts",
    "K214": "scope",
}


@dataclass(frozen=True)
class Check:
    """One check's result for one record. ``name`` is a key of :data:`PROCESS_CHECKS`'
    values, or ``"other"`` for any other diagnostic of the file."""

    name: str
    level: Level
    #: What ``katko check`` says of it (shown in the page's language); None when passed.
    problem: Diagnostic | None = None
    code: str | None = None

    @property
    def message(self) -> str | None:
        """The problem's message in English."""
        return self.problem.message if self.problem else None


@dataclass(frozen=True)
class NoticeLead:
    """A planned outage's notice: clear Finnish working days given and needed."""

    given: int
    needed: int
    #: The last day on which publishing still gives the needed notice.
    latest: date
    urgent: bool

    @property
    def short(self) -> bool:
        return self.given < self.needed


@dataclass(frozen=True)
class OpenArrangement:
    record: Record
    arrangement: Arrangement
    #: "not_removed", or "not_carried_over" (removed, but what it collected is not in the service yet).
    state: str
    #: Past its ``remove_by``, or the outage ended more than ``policy.arrangement_days`` ago.
    overdue: bool


@dataclass(frozen=True)
class EvaluationDue:
    record: Record
    ended: datetime
    due: datetime
    #: "due" (not yet late), "overdue" (a warning), or "late" (past twice the time: an error).
    state: str

    @property
    def level(self) -> Level:
        return {"due": "ok", "overdue": "warning", "late": "error"}[self.state]  # type: ignore[return-value]


@dataclass(frozen=True)
class Facts:
    """What the staff site shows of one record beyond its public notice."""

    record: Record
    services: tuple[Service, ...]
    #: Where the outage stands at build time (:mod:`katko.records.lifecycle`).
    state: State
    #: Whether the notice is public at build time.
    public: bool
    #: Upcoming: not cancelled, and starts after the build's "now".
    upcoming: bool
    cancelled: bool
    #: The times the outage is measured by, and whether they are the evaluation's.
    start: datetime
    end: datetime | None
    actual: bool
    #: Planned duration (the record's start to end), and the measured one (None if not started).
    planned_duration: timedelta | None
    duration: timedelta | None
    #: The strictest maximum single outage of its services.
    max_outage: timedelta | None
    notice: NoticeLead | None
    checks: tuple[Check, ...]
    diagnostics: tuple[Diagnostic, ...]
    arrangements: tuple[OpenArrangement, ...]
    evaluation: EvaluationDue | None
    #: The usage assessment of the outage's time (see the module's docstring); None until given.
    usage: Any = None

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def outage(self) -> Outage:
        return self.record.outage

    @property
    def over_service_level(self) -> bool:
        return self.duration is not None and self.max_outage is not None and self.duration > self.max_outage

    @property
    def level(self) -> Level:
        """The worst check result."""
        levels = {c.level for c in self.checks}
        return "error" if "error" in levels else "warning" if "warning" in levels else "ok"


@dataclass(frozen=True)
class ServiceReport:
    """One service over all its outages (cancelled ones only counted)."""

    service: Service
    planned: int
    unplanned: int
    cancelled: int
    #: Of the outages, those that have started by the build's "now" (the durations are theirs).
    started: int
    total: timedelta
    longest: timedelta | None
    longest_id: str | None
    #: Started outages longer than the service's maximum single outage.
    over: tuple[str, ...]
    #: Notice lead times of the planned outages, in working days.
    notice_min: int | None
    notice_median: float | None
    #: Planned outages with an evaluation: planned and actual duration in total.
    evaluated: int
    planned_total: timedelta
    actual_total: timedelta
    #: Its outages, cancelled ones too, the latest first.
    facts: tuple[Facts, ...] = ()

    @property
    def outages(self) -> int:
        return self.planned + self.unplanned

    @property
    def held(self) -> bool | None:
        """Whether every started outage stayed within the service level; None without one."""
        return None if self.service.max_outage is None else not self.over


@dataclass
class Planning:
    facts: dict[str, Facts]
    services: list[ServiceReport]
    now: datetime
    evaluation_days: int
    arrangement_days: int

    @property
    def upcoming(self) -> list[Facts]:
        return sorted((f for f in self.facts.values() if f.upcoming), key=lambda f: (f.outage.start, f.id))

    @property
    def arrangements(self) -> list[OpenArrangement]:
        return [a for f in self.facts.values() for a in f.arrangements]

    @property
    def evaluations(self) -> list[EvaluationDue]:
        due = [f.evaluation for f in self.facts.values() if f.evaluation is not None]
        return sorted(due, key=lambda e: (e.due, e.record.id))

    def lesson(self, facts: Facts) -> Facts | None:
        """The latest earlier outage of the same service with an evaluation: what to learn
        from before this one (duty D4)."""
        ids = {s.id for s in facts.services}
        earlier = [f for f in self.facts.values() if f.id != facts.id and f.outage.start < facts.outage.start
                   and ids & {s.id for s in f.services} and f.outage.internal is not None
                   and f.outage.internal.evaluation is not None]
        return max(earlier, key=lambda f: (f.outage.start, f.id), default=None)

    @property
    def unplanned_over(self) -> list[Facts]:
        """Unplanned outages longer than the service level: flagged for the service owner."""
        return [f for f in self.facts.values() if f.outage.kind == "unplanned" and not f.cancelled
                and f.over_service_level]


# --------------------------------------------------------------------------- #
# Computing
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Usage:
    """How an upcoming outage's window compares with its service's usage profile.
    The templates draw the profile's heat map (``usage_chart``) in the page's language."""

    service: Service
    assessment: Assessment
    profile: Profile


def usage_assessments(dataset: Dataset, settings: Settings) -> dict[str, list[Usage]]:
    """A :class:`Usage` per upcoming planned outage and profiled service."""
    profiles = dataset.profiles
    policy = dataset.catalogue.policy if dataset.catalogue else Policy()
    services = dataset.services
    found: dict[str, list[Usage]] = {}
    for record in dataset.records:
        o = record.outage
        if o.kind != "planned" or o.end is None or lifecycle.at(o, settings.now).over:
            continue
        for service_id in o.services:
            profile = profiles.get(service_id)
            if profile is None or service_id not in services:
                continue
            a = windows.assess(profile, o.start, o.end, settings.quiet_share(policy), after=settings.now)
            found.setdefault(record.id, []).append(Usage(services[service_id], a, profile))
    return found


def plan(dataset: Dataset, settings: Settings, report: Report,
         assessments: Mapping[str, Any] | None = None) -> Planning:
    """The staff's view of ``dataset`` at ``settings.now``; see the module docstring."""
    policy = dataset.catalogue.policy if dataset.catalogue else Policy()
    if assessments is None:
        assessments = usage_assessments(dataset, settings)
    by_path: dict[str, list[Diagnostic]] = {}
    for diagnostic in report.sorted():
        by_path.setdefault(diagnostic.path, []).append(diagnostic)
    services = dataset.services
    facts = {}
    for record in dataset.records:
        facts[record.id] = _facts(record, tuple(services[s] for s in record.outage.services if s in services),
                                  settings.now, policy, by_path.get(record.path, []),
                                  (assessments or {}).get(record.id))
    reports = [_service_report(service, [f for f in facts.values() if service in f.services])
               for service in services.values()]
    return Planning(facts, reports, settings.now, policy.evaluation_days, policy.arrangement_days)


def measured_times(outage: Outage, now: datetime) -> tuple[datetime, datetime | None, bool]:
    """``(start, end, actual)``: the evaluation's actual times when written, else the
    times the notice shows (an early end is the end); an outage without a known end
    that has started is measured up to ``now``."""
    internal = outage.internal
    if internal is not None and internal.evaluation is not None:
        return internal.evaluation.actual_start, internal.evaluation.actual_end, True
    state = lifecycle.at(outage, now)
    end = state.end if state.end is not None or state.start > now else now
    return state.start, end, False


def notice_lead(outage: Outage, services: tuple[Service, ...], policy: Policy) -> NoticeLead | None:
    """The notice a planned outage gives and needs; None for an unplanned one or one without an end."""
    if outage.kind != "planned" or outage.end is None:
        return None
    needed = policy.notice_needed(outage.end - outage.start, services)
    return NoticeLead(given=working_days_between(outage.public_from, outage.start), needed=needed,
                      latest=latest_publication(outage.start, needed), urgent=outage.urgent is not None)


def _facts(record: Record, services: tuple[Service, ...], now: datetime, policy: Policy,
           diagnostics: list[Diagnostic], usage: Any) -> Facts:
    o = record.outage
    state = lifecycle.at(o, now)
    cancelled = state.phase == "cancelled"
    upcoming = not cancelled and o.start > now
    start, end, actual = measured_times(o, now)
    limits = [s.max_outage for s in services if s.max_outage is not None]
    max_outage = min(limits) if limits else None
    notice = notice_lead(o, services, policy)
    ended = state.ended_at
    return Facts(
        record=record, services=services, state=state, public=state.public, upcoming=upcoming, cancelled=cancelled,
        start=start, end=end, actual=actual, planned_duration=o.duration,
        duration=(end - start) if end is not None and start <= now else None,
        max_outage=max_outage, notice=notice, checks=tuple(_checks(o, diagnostics, notice, upcoming, max_outage)),
        diagnostics=tuple(diagnostics),
        arrangements=tuple(_open_arrangements(record, ended, now, policy.arrangement_days)),
        evaluation=_evaluation_due(record, ended, now, policy.evaluation_days), usage=usage)


def _checks(o: Outage, diagnostics: list[Diagnostic], notice: NoticeLead | None, upcoming: bool,
            max_outage: timedelta | None) -> list[Check]:
    """The process checks by name (for an upcoming outage), then every other diagnostic of the file."""
    found = {d.code: d for d in diagnostics if d.code in PROCESS_CHECKS}
    checks = []
    if upcoming:
        for code, name in PROCESS_CHECKS.items():
            if code in found:
                d = found[code]
                checks.append(Check(name, d.severity, d, d.code))
            elif name == "notice" and notice is not None and notice.short and notice.urgent:
                checks.append(Check(name, "warning", None, None))  # short, with the reason stated
            elif name == "service_level" and o.duration is not None and max_outage is not None \
                    and o.duration > max_outage:
                checks.append(Check(name, "warning", None, None))  # longer, with the reason stated
            else:
                checks.append(Check(name, "ok"))
    # Notes (expected users) are figures, not results: they are shown as Facts.usage.
    others = [d for d in diagnostics if d.severity != "note" and not (upcoming and d.code in PROCESS_CHECKS)]
    checks += [Check("other", d.severity, d, d.code) for d in others]
    return checks


def _open_arrangements(record: Record, ended: datetime | None, now: datetime,
                       arrangement_days: int) -> list[OpenArrangement]:
    internal = record.outage.internal
    if internal is None or lifecycle.at(record.outage, now).phase == "cancelled":
        return []
    found = []
    for arrangement in internal.arrangements:
        if arrangement.removed is None:
            state = "not_removed"
        elif arrangement.collects_data and arrangement.carried_over is None:
            state = "not_carried_over"
        else:
            continue
        due = arrangement_due(arrangement, ended)
        overdue = (due is not None and now > due + timedelta(days=arrangement_days)) or (
            state == "not_removed" and arrangement.remove_by is not None and now > arrangement.remove_by)
        found.append(OpenArrangement(record, arrangement, state, overdue))
    return found


def _evaluation_due(record: Record, ended: datetime | None, now: datetime, days: int) -> EvaluationDue | None:
    internal = record.outage.internal
    if ended is None or (internal is not None and internal.evaluation is not None):
        return None
    due = ended + timedelta(days=days)
    state = "due" if now <= due else "overdue" if now <= ended + timedelta(days=2 * days) else "late"
    return EvaluationDue(record, ended, due, state)


def _service_report(service: Service, facts: list[Facts]) -> ServiceReport:
    counted = [f for f in facts if not f.cancelled]
    started = [f for f in counted if f.duration is not None]
    longest = max(started, key=lambda f: (f.duration, f.id), default=None)
    over = tuple(f.id for f in started
                 if service.max_outage is not None and f.duration is not None and f.duration > service.max_outage)
    leads = sorted(f.notice.given for f in counted if f.notice is not None)
    evaluated = [f for f in counted if f.outage.kind == "planned" and f.actual and f.planned_duration is not None]
    return ServiceReport(
        service=service,
        planned=sum(f.outage.kind == "planned" for f in counted),
        unplanned=sum(f.outage.kind == "unplanned" for f in counted),
        cancelled=len(facts) - len(counted),
        started=len(started),
        total=sum((f.duration for f in started if f.duration is not None), timedelta()),
        longest=longest.duration if longest else None,
        longest_id=longest.id if longest else None,
        over=over,
        notice_min=leads[0] if leads else None,
        notice_median=statistics.median(leads) if leads else None,
        evaluated=len(evaluated),
        planned_total=sum((f.planned_duration for f in evaluated if f.planned_duration is not None), timedelta()),
        actual_total=sum((f.duration for f in evaluated if f.duration is not None), timedelta()),
        facts=tuple(sorted(facts, key=lambda f: (f.outage.start, f.id), reverse=True)),
    )


def days_late(due: datetime, now: datetime) -> int:
    """Whole days from ``due`` to ``now`` (Finnish calendar days)."""
    return (local_date(now) - local_date(due)).days
