"""The outage process the law asks for: notice in working days, service levels,
follow-up and evaluation (issue 5). The one-failing-fixture-per-code tests are in
test_check.py; these cover what a single fixture cannot: the calendar, the
policy's settings, the escalation from warning to error, and the passing cases.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from katko.records import loading as records
from katko.records.settings import Settings
from katko.core.times import parse_time
from katko.core.workdays import holidays_between, is_working_day, latest_publication, working_days_between

FIXTURES = Path(__file__).parent / "fixtures"
NOW = parse_time("2026-12-01T12:00:00+02:00")


# --------------------------------------------------------------------------- #
# Working days
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(("published", "start", "expected"), [
    # Mon 30.11. → Tue 8.12.: 1.–4.12. and Mon 7.12.; Independence Day (Sun 6.12.) falls on a weekend.
    (date(2026, 11, 30), date(2026, 12, 8), 5),
    # 2027: Independence Day is a Monday, so the same span gives one day less.
    (date(2027, 11, 29), date(2027, 12, 7), 4),
    # Christmas 2026: Christmas Eve (Thu) and Christmas Day (Fri) are not working days.
    (date(2026, 12, 18), date(2026, 12, 28), 3),
    # Christmas and New Year 2027–28: 24.–26.12. (Fri–Sun), 1.1. (Sat) and Epiphany (Thu 6.1.).
    (date(2027, 12, 17), date(2028, 1, 10), 13),
    # Neither the day of publication nor the day of the start counts.
    (date(2026, 12, 1), date(2026, 12, 2), 0),
    (date(2026, 12, 1), date(2026, 12, 3), 1),
])
def test_working_days_skip_weekends_and_finnish_public_holidays(published: date, start: date, expected: int) -> None:
    assert working_days_between(published, start) == expected


def test_by_hand_over_christmas_2027() -> None:
    # Count the working days of 18.12.2027–9.1.2028 by hand: weekdays minus the holidays.
    day, by_hand = date(2027, 12, 18), 0
    closed = {date(2027, 12, 24), date(2028, 1, 6)}  # the weekday holidays in this span
    while day < date(2028, 1, 10):
        by_hand += day.weekday() < 5 and day not in closed
        day += timedelta(days=1)
    assert working_days_between(date(2027, 12, 17), date(2028, 1, 10)) == by_hand == 13


def test_holiday_names_and_latest_publication() -> None:
    assert not is_working_day(date(2027, 12, 6))  # Itsenäisyyspäivä, a Monday
    assert is_working_day(date(2027, 12, 7))
    assert [name for _, name in holidays_between(date(2026, 12, 18), date(2026, 12, 28))] == ["Jouluaatto", "Joulupäivä"]
    latest = latest_publication(date(2026, 12, 28), 5)
    assert latest == date(2026, 12, 16)
    assert working_days_between(latest, date(2026, 12, 28)) == 5
    assert working_days_between(latest + timedelta(days=1), date(2026, 12, 28)) == 4


def test_times_are_counted_in_finnish_days() -> None:
    # 23.30 UTC on Friday 18.12. is already Saturday 19.12. in Helsinki.
    published = datetime.fromisoformat("2026-12-18T23:30:00+00:00")
    assert working_days_between(published, date(2026, 12, 28)) == 3


# --------------------------------------------------------------------------- #
# The rules, beyond their failing fixtures
# --------------------------------------------------------------------------- #


def project(tmp_path: Path, record: str, catalogue: str | None = None) -> Path:
    outages = tmp_path / "outages"
    outages.mkdir(parents=True)
    (outages / "services.yml").write_text(catalogue or (FIXTURES / "services.yml").read_text())
    (outages / "record.yml").write_text(record)
    return outages


def check(outages: Path, now: datetime = NOW) -> list[tuple[str, str]]:
    _, report = records.load([outages], Settings(now=now))
    return [(d.code, d.severity) for d in report.sorted()]


VALID = (FIXTURES / "valid.yml").read_text()
SHORT = (FIXTURES / "invalid" / "K210-notice-too-short.yml").read_text()


def test_urgent_outage_with_a_reason_passes(tmp_path: Path) -> None:
    urgent = SHORT + "urgent:\n  fi: Tietoturvapäivitys on asennettava heti.\n  sv: Säkerhetsuppdateringen måste installeras genast.\n"
    assert check(project(tmp_path, urgent)) == []


def test_urgent_reason_needs_every_required_language(tmp_path: Path) -> None:
    urgent = SHORT + "urgent:\n  fi: Tietoturvapäivitys on asennettava heti.\n"
    assert check(project(tmp_path, urgent)) == [("K202", "error")]


def test_notice_policy_is_set_per_site_and_per_service(tmp_path: Path) -> None:
    catalogue = (FIXTURES / "services.yml").read_text()
    lenient = catalogue.replace("services:\n", "policy:\n  notice:\n    - working_days: 2\nservices:\n", 1)
    assert check(project(tmp_path / "site", SHORT, lenient)) == []
    strict_service = lenient.replace("    max_outage: 8h\n", "    max_outage: 8h\n    notice: [{working_days: 4}]\n")
    assert check(project(tmp_path / "service", SHORT, strict_service)) == [("K210", "error")]


def test_the_strictest_service_policy_counts(tmp_path: Path) -> None:
    catalogue = (FIXTURES / "services.yml").read_text()
    lenient = catalogue.replace("services:\n", "policy:\n  notice:\n    - working_days: 2\nservices:\n", 1)
    second = lenient + """  - id: kassa
    name: {fi: Kassa, sv: Kassa}
    url: https://kassa.testikunta.example
    owner: Talous
    notice: [{working_days: 4}]
    contacts:
      - kind: email
        name: {fi: Kassa, sv: Kassa}
        email: kassa@testikunta.example
    alternatives: {fi: Maksa pankissa., sv: Betala i banken.}
"""
    both = SHORT.replace("services: [lupa]", "services: [lupa, kassa]")
    assert check(project(tmp_path / "one", SHORT, second)) == []
    assert check(project(tmp_path / "both", both, second)) == [("K210", "error")]


def test_notice_is_not_checked_once_the_outage_has_started(tmp_path: Path) -> None:
    assert check(project(tmp_path, SHORT), now=parse_time("2026-12-28 23:00")) != [("K210", "error")]


def test_service_level_exceeded_with_a_reason_passes(tmp_path: Path) -> None:
    record = (FIXTURES / "invalid" / "K211-over-service-level.yml").read_text()
    record += "  service_level_reason: Tietokannan siirto vaatii 10 tuntia; hyväksynyt palvelun omistaja 10.11.\n"
    assert check(project(tmp_path, record)) == []


def test_standing_instructions_stand_in_for_the_records_own(tmp_path: Path) -> None:
    assert "alternatives" not in VALID
    assert check(project(tmp_path / "standing", VALID)) == []
    catalogue = (FIXTURES / "services.yml").read_text().replace("      sv: Ring kundtjänsten.\n", "")
    assert sorted(check(project(tmp_path / "no-sv", VALID, catalogue))) == [("K202", "error"), ("K212", "error")]


def test_missing_evaluation_is_a_warning_then_an_error(tmp_path: Path) -> None:
    record = (FIXTURES / "invalid" / "K220-evaluation-missing.yml").read_text()
    outages = project(tmp_path, record)
    end = parse_time("2026-10-01 02:00")
    assert check(outages, now=end + timedelta(days=13)) == []
    assert check(outages, now=end + timedelta(days=15)) == [("K220", "warning")]
    assert check(outages, now=end + timedelta(days=29)) == [("K220", "error")]


def test_arrangement_left_in_place_is_a_warning_then_an_error(tmp_path: Path) -> None:
    record = (FIXTURES / "invalid" / "K218-arrangement-not-removed.yml").read_text()
    outages = project(tmp_path, record)
    end, remove_by = parse_time("2026-11-21 02:00"), parse_time("2026-11-23 16:00")
    assert check(outages, now=end - timedelta(hours=1)) == []
    # Not before its remove_by, the day after the end (issue 11: it warned right after the end).
    assert check(outages, now=end + timedelta(days=1)) == []
    assert check(outages, now=remove_by + timedelta(hours=1)) == [("K218", "warning")]
    # The policy's 7 days count from when it was due.
    assert check(outages, now=remove_by + timedelta(days=6)) == [("K218", "warning")]
    assert check(outages, now=remove_by + timedelta(days=8)) == [("K218", "error")]
    removed = record.replace("      remove_by: 2026-11-23 16:00\n", "      remove_by: 2026-11-23 16:00\n      removed: 2026-11-23 15:10\n")
    assert check(project(tmp_path / "removed", removed), now=end + timedelta(days=8)) == []


def test_extension_must_match_the_records_end(tmp_path: Path) -> None:
    record = VALID + """updates:
  - time: 2026-11-30 10:00
    status: extended
    end: 2026-12-06 04:00
    text:
      fi: Katkoa jatketaan kahdella tunnilla klo 4.00 asti.
      sv: Avbrottet förlängs med två timmar till kl. 4.00.
"""
    assert check(project(tmp_path / "old-end", record)) == [("K216", "error")]
    extended = record.replace("end: 2026-12-06 02:00", "end: 2026-12-06 04:00")
    assert check(project(tmp_path / "new-end", extended)) == []


def test_cancelled_outage_needs_no_scope_nor_evaluation(tmp_path: Path) -> None:
    record = VALID.split("stakeholders:")[0] + """status: cancelled
updates:
  - time: 2026-11-30 10:00
    status: cancelled
    text: {fi: Katko on peruttu., sv: Avbrottet är inställt.}
"""
    outages = project(tmp_path, record)
    assert check(outages) == []
    assert check(outages, now=parse_time("2027-03-01 12:00")) == []


def test_data_breach_following_the_template_passes(tmp_path: Path) -> None:
    record = (FIXTURES / "invalid" / "K221-crisis-template-incomplete.yml").read_text() + """affected_data:
  fi: Rakennuslupahakemusten liitteet (piirustukset ja selvitykset) 20.–30.11.2026.
  sv: Bilagor till bygglovsansökningar (ritningar och utredningar) 20–30.11.2026.
advice:
  fi: Sinun ei tarvitse tehdä mitään. Emme koskaan kysy salasanaasi sähköpostilla.
  sv: Du behöver inte göra något. Vi frågar aldrig efter ditt lösenord per e-post.
"""
    assert check(project(tmp_path, record)) == []


def test_unplanned_outage_is_never_checked_for_notice(tmp_path: Path) -> None:
    record = (FIXTURES / "invalid" / "K217-first-update-missing.yml").read_text() + """updates:
  - time: 2026-12-01 10:40
    status: investigating
    text: {fi: Selvitämme vikaa., sv: Vi utreder felet.}
"""
    assert check(project(tmp_path, record)) == []


def test_durations_over_a_daylight_saving_change_are_real_hours(tmp_path: Path) -> None:
    """23.00–7.30 on the night summer time begins is 7 h 30 min, not the wall clock's 8 h 30 min:
    within the 8-hour service level."""
    record = (VALID.replace("start: 2026-12-05 22:00", "start: 2027-03-27 23:00")
              .replace("end: 2026-12-06 02:00", "end: 2027-03-28 07:30")
              .replace("public_from: 2026-11-20 09:00", "public_from: 2027-02-01 09:00"))
    assert check(project(tmp_path / "spring", record)) == []
    longer = record.replace("end: 2027-03-28 07:30", "end: 2027-03-28 08:30")
    assert check(project(tmp_path / "longer", longer)) == [("K211", "error")]
