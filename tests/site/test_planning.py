"""The staff's planning view and report (katko.site.planning), with figures counted by hand.

Four small records of the test catalogue's one service ``lupa`` (max_outage 8h,
the default notice policy: 5 working days up to 4h), at "now" = Tue 1.12.2026 12.00.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from katko.site import planning
from katko.records import loading as records
from katko.site.planning import Planning
from katko.records.settings import Settings
from katko.core.times import parse_time

FIXTURES = Path(__file__).parents[1] / "fixtures"
NOW = parse_time("2026-12-01T12:00:00+02:00")

TEXTS = """\
title: {fi: Lupapalvelu ei ole käytössä, sv: Tillståndstjänsten är inte i bruk}
summary: {fi: Huoltokatko., sv: Serviceavbrott.}
stakeholders: [{fi: Luvan hakijat, sv: De som ansöker om tillstånd}]
"""

# Planned, upcoming: 4 h on Sat 5.12., public from Fri 20.11.: clear working days
# Mon 23.–Fri 27.11. and Mon 30.11.–Fri 4.12. = 10; 5 needed, so Sun 29.11. is the
# latest day of publication (30.11.–4.12. are then the 5 days).
UPCOMING = """\
kind: planned
services: [lupa]
impact: unavailable
start: 2026-12-05 22:00
end: 2026-12-06 02:00
public_from: 2026-11-20 09:00
""" + TEXTS + """\
internal:
  affected_users: 40
  authority_impact: Ei vaikutusta käsittelyyn.
  risks: [{risk: Vaihto venyy., handling: Palautus vanhaan palvelimeen klo 1.30.}]
  arrangements:
    - what: Lisäpuhelinlinja
      owner: Asiakaspalvelu
      remove_by: 2026-12-07 16:00
"""

# Planned, ended: 4 h planned, 5 h 30 min actual (the evaluation's times). Public
# from Thu 17.9.: clear working days Fri 18.9., 21.–25.9. and 28.–30.9. = 9.
# Its form collected applications that are not yet carried over, and it ended
# more than arrangement_days (7) ago: overdue.
EVALUATED = """\
kind: planned
services: [lupa]
status: ended
impact: unavailable
start: 2026-10-01 22:00
end: 2026-10-02 02:00
public_from: 2026-09-17 09:00
""" + TEXTS + """\
internal:
  affected_users: 40
  authority_impact: Ei vaikutusta.
  risks: Ei merkittäviä riskejä.
  arrangements:
    - what: Paperilomake
      owner: Kirjaamo
      removed: 2026-10-05 09:00
      collects_data: true
  evaluation:
    actual_start: 2026-10-01 22:00
    actual_end: 2026-10-02 03:30
    went_well: Tiedote ehti ajoissa.
    problems: Palautus venyi.
    improvements: Varataan enemmän aikaa.
    reached_people: Kyllä.
"""

# Unplanned, resolved: 10 h 30 min, over the 8 h service level. No evaluation:
# it ended Mon 2.11. 18.30, 28.7 days before "now": past twice evaluation_days (14).
UNPLANNED = """\
kind: unplanned
services: [lupa]
impact: unavailable
start: 2026-11-02 08:00
end: 2026-11-02 18:30
public_from: 2026-11-02 08:30
""" + TEXTS + """\
updates:
  - time: 2026-11-02 08:30
    status: investigating
    text: {fi: Selvitämme vikaa., sv: Vi utreder felet.}
  - time: 2026-11-02 18:30
    status: resolved
    text: {fi: Korjattu., sv: Åtgärdat.}
"""

CANCELLED = """\
kind: planned
services: [lupa]
status: cancelled
impact: unavailable
start: 2026-12-10 22:00
end: 2026-12-11 02:00
public_from: 2026-11-20 09:00
""" + TEXTS + """\
updates:
  - time: 2026-11-25 10:00
    status: cancelled
    text: {fi: Katko on peruttu., sv: Avbrottet har inställts.}
"""


def planned(tmp_path: Path, files: dict[str, str], assessments: dict | None = None,
            blocking: int = 0) -> Planning:
    outages = tmp_path / "outages"
    outages.mkdir()
    (outages / "services.yml").write_text((FIXTURES / "services.yml").read_text())
    for name, text in files.items():
        (outages / f"{name}.yml").write_text(text)
    settings = Settings(now=NOW)
    dataset, report = records.load([outages], settings)
    assert len(report.blocking) == blocking, report.sorted()
    return planning.plan(dataset, settings, report, assessments)


@pytest.fixture
def plan(tmp_path: Path) -> Planning:
    return planned(tmp_path, {"upcoming": UPCOMING, "evaluated": EVALUATED, "unplanned": UNPLANNED,
                              "cancelled": CANCELLED})


def test_upcoming_outage_checks_and_notice(plan: Planning) -> None:
    assert [f.id for f in plan.upcoming] == ["upcoming"]  # the cancelled one is not upcoming
    facts = plan.upcoming[0]
    assert facts.notice == planning.NoticeLead(given=10, needed=5, latest=date(2026, 11, 29), urgent=False)
    assert [(c.name, c.level) for c in facts.checks] == [
        ("notice", "ok"), ("service_level", "ok"), ("instructions", "ok"), ("contacts", "ok"), ("scope", "ok")]
    assert facts.level == "ok" and facts.public and facts.duration is None
    assert facts.planned_duration == timedelta(hours=4) and facts.max_outage == timedelta(hours=8)


def test_failed_checks_carry_the_diagnostic(tmp_path: Path) -> None:
    # Public on Tue 1.12., 4 days before Sat 5.12.: 2 clear working days (Wed 2., Thu 3.; Fri 4.12. too: 3).
    short = UPCOMING.replace("public_from: 2026-11-20 09:00", "public_from: 2026-12-01 09:00")
    short = short.replace("  authority_impact: Ei vaikutusta käsittelyyn.\n", "")
    facts = planned(tmp_path, {"short": short}, blocking=1).facts["short"]
    assert facts.notice is not None and (facts.notice.given, facts.notice.needed) == (3, 5)
    checks = {c.name: c for c in facts.checks}
    assert (checks["notice"].level, checks["notice"].code) == ("error", "K210")
    assert "needs 5 working days' notice, this gives 3" in (checks["notice"].message or "")
    assert (checks["scope"].level, checks["scope"].code) == ("warning", "K214")
    assert facts.level == "error"


def test_open_arrangements(plan: Planning) -> None:
    found = [(a.record.id, a.arrangement.what, a.state, a.overdue) for a in plan.arrangements]
    assert sorted(found) == [("evaluated", "Paperilomake", "not_carried_over", True),
                             ("upcoming", "Lisäpuhelinlinja", "not_removed", False)]


def test_evaluations_due_and_late(plan: Planning) -> None:
    (due,) = plan.evaluations
    assert due.record.id == "unplanned" and due.state == "late" and due.level == "error"
    assert due.due == parse_time("2026-11-16 18:30")


def test_evaluation_due_then_overdue(tmp_path: Path) -> None:
    # The same outage seen 10 days after its end (due in 4 days), then 20 days after.
    for days, state in ((10, "due"), (20, "overdue")):
        later = UNPLANNED.replace("2026-11-02", (NOW - timedelta(days=days)).strftime("%Y-%m-%d"))
        folder = tmp_path / str(days)
        folder.mkdir()
        (evaluation,) = planned(folder, {"unplanned": later}).evaluations
        assert evaluation.state == state


def test_unplanned_over_the_service_level_is_flagged(plan: Planning) -> None:
    assert [(f.id, f.duration) for f in plan.unplanned_over] == [("unplanned", timedelta(hours=10, minutes=30))]


def test_the_evaluations_times_are_the_measure(plan: Planning) -> None:
    facts = plan.facts["evaluated"]
    assert facts.actual and facts.duration == timedelta(hours=5, minutes=30)
    assert facts.planned_duration == timedelta(hours=4)
    assert facts.evaluation is None  # written


def test_report_per_service(plan: Planning) -> None:
    (lupa,) = plan.services
    assert (lupa.planned, lupa.unplanned, lupa.cancelled, lupa.outages, lupa.started) == (2, 1, 1, 3, 2)
    # 5 h 30 min (evaluated) + 10 h 30 min (unplanned); the upcoming one has not started.
    assert lupa.total == timedelta(hours=16)
    assert (lupa.longest, lupa.longest_id) == (timedelta(hours=10, minutes=30), "unplanned")
    assert lupa.over == ("unplanned",) and lupa.held is False
    assert (lupa.notice_min, lupa.notice_median) == (9, 9.5)
    assert (lupa.evaluated, lupa.planned_total, lupa.actual_total) == (1, timedelta(hours=4),
                                                                       timedelta(hours=5, minutes=30))


def test_service_level_holds_without_the_unplanned_outage(tmp_path: Path) -> None:
    (lupa,) = planned(tmp_path, {"evaluated": EVALUATED}).services
    assert lupa.held is True and lupa.over == ()


def test_usage_assessments_go_to_their_outage(tmp_path: Path) -> None:
    # The hook for usage figures: whatever assessment is given for an id is kept as it is.
    plan = planned(tmp_path, {"upcoming": UPCOMING, "evaluated": EVALUATED}, {"upcoming": "assessment"})
    assert plan.facts["upcoming"].usage == "assessment" and plan.facts["evaluated"].usage is None
