"""Outage windows against usage profiles: katko usage suggest, K230 in katko check, the windows API."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from katko.records import messages, loading as records
from katko.usage import profiles as usage, windows
from katko.cli import main
from katko.records.settings import Settings
from katko.core.times import HELSINKI, parse_time

from ..conftest import KATKO_NOW, REPO_ROOT

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXAMPLE = REPO_ROOT / "outages"


def busy(day: int, hour: int) -> float:
    """Busy hours differ, so that windows have distinct ranks."""
    return 100 + 10 * hour + day


def flat_profile(quiet: dict[tuple[int, int], float]) -> usage.Profile:
    """Every hour :func:`busy`, except the (weekday, hour)s in ``quiet``."""
    rows = [usage.Row(kind, d, h, 4, quiet.get((d, h), busy(d, h)), None)
            for kind in usage.KINDS for d in range(7) for h in range(24)]
    return usage.Profile("requests", datetime(2026, 9, 7, tzinfo=HELSINKI),
                         datetime(2026, 10, 4, 23, tzinfo=HELSINKI), rows)


# Wednesday 2.00–5.00 is the only quiet stretch of this week.
WEDNESDAY_NIGHT = flat_profile({(2, 2): 1, (2, 3): 2, (2, 4): 1})


def project(tmp_path: Path, profile: usage.Profile, service: str = "lupa") -> Path:
    outages = tmp_path / "outages"
    outages.mkdir()
    shutil.copy(FIXTURES / "services.yml", outages / "services.yml")
    usage.write_profile(profile, service, outages / "usage")
    return outages


def suggest(*args: str) -> dict:
    result = CliRunner().invoke(main, ["usage", "suggest", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- suggest -------------------------------------------------------------------------


def test_suggest_finds_the_obviously_quietest_window(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    found = suggest("--service", "lupa", "--duration", "3h", "--between", "2026-11-30", "2026-12-04",
                    "--records", str(outages))
    best = found["windows"][0]
    assert (best["start"], best["end"]) == ("2026-12-02T02:00+02:00", "2026-12-02T05:00+02:00")
    assert best["expected_users"] == 4 and best["rank"] == 1 and best["windows"] == 168
    assert best["share_of_week"] == pytest.approx(
        4 / (sum(busy(d, h) for d in range(7) for h in range(24) if (d, h) not in ((2, 2), (2, 3), (2, 4))) + 4),
        abs=1e-6)
    assert found["statistic"] == "mean"
    # The others do not overlap the best one (nor each other).
    spans = [(parse_time(w["start"]), parse_time(w["end"])) for w in found["windows"]]
    assert all(a[1] <= b[0] or b[1] <= a[0] for i, a in enumerate(spans) for b in spans[i + 1:])


def test_partial_hours_are_prorated() -> None:
    start = datetime(2026, 12, 2, 1, 30, tzinfo=HELSINKI)
    # 1.30–2.00 busy (half of 112), 2–3 quiet (1), 3.00–3.15 a quarter of 2.
    assert windows.expected_users(WEDNESDAY_NIGHT, start, start + timedelta(hours=1, minutes=45)) == 57.5


def test_daily_time_range_over_midnight(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    found = suggest("--service", "lupa", "--duration", "2h", "--between", "2026-11-30", "2026-12-04",
                    "--not-before", "22:00", "--not-after", "3:00", "--records", str(outages), "--limit", "100")
    best = found["windows"][0]
    assert (best["start"], best["end"]) == ("2026-12-02T01:00+02:00", "2026-12-02T03:00+02:00")
    for w in found["windows"]:
        start, end = parse_time(w["start"]), parse_time(w["end"])
        assert start.hour >= 22 or end.hour <= 3 and end.date() == start.date()


def _brute_force(profile_csv: Path, hours: int, first: date, last: date, skip: set[date],
                 allowed: "callable") -> tuple[float, list[datetime]]:
    """The least sum of means over ``hours`` whole local hours, by trying every start (no DST change in the span)."""
    mean = {}
    with profile_csv.open(encoding="utf-8") as f:
        for row in csv.DictReader(line for line in f if not line.startswith("#")):
            if row["days"] == "normal":
                mean[int(row["weekday"]), int(row["hour"])] = float(row["mean"] or 0)
    best, where = float("inf"), []
    moment = datetime(first.year, first.month, first.day)
    while moment + timedelta(hours=hours) <= datetime(last.year, last.month, last.day) + timedelta(days=1):
        span = [moment + timedelta(hours=i) for i in range(hours)]
        if allowed(moment) and not {t.date() for t in span} & skip:
            total = sum(mean[t.weekday(), t.hour] for t in span)
            if total < best - 1e-9:
                best, where = total, [moment]
            elif abs(total - best) <= 1e-9:
                where.append(moment)
        moment += timedelta(hours=1)
    return best, where


def test_suggest_on_the_example_profile_agrees_with_brute_force() -> None:
    profile = EXAMPLE / "usage" / "rakennuslupa.csv"
    found = suggest("--service", "rakennuslupa", "--duration", "4h", "--between", "2026-12-01", "2026-12-20",
                    "--not-before", "18:00", "--not-after", "07:00", "--records", str(EXAMPLE))
    # 5.12. (eve of Independence Day) and 6.12. are the only holidays or eves in the span.
    best, starts = _brute_force(profile, 4, date(2026, 12, 1), date(2026, 12, 20),
                                {date(2026, 12, 5), date(2026, 12, 6)},
                                lambda t: t.hour >= 18 or t.hour + 4 <= 7)
    first = found["windows"][0]
    assert first["expected_users"] == pytest.approx(best, abs=0.01)
    assert parse_time(first["start"]).replace(tzinfo=None) in starts


def test_holidays_and_eves_are_avoided_unless_asked(tmp_path: Path) -> None:
    # Every night is equally quiet; 5.12. is the eve of Independence Day (6.12.), 24.12. Christmas Eve.
    profile = flat_profile({(d, h): 1 for d in range(7) for h in range(0, 6)})
    outages = project(tmp_path, profile)
    for first, last, avoided in (("2026-12-04", "2026-12-07", {5, 6}), ("2026-12-22", "2026-12-27", {23, 24, 25, 26})):
        common = ["--service", "lupa", "--duration", "4h", "--between", first, last, "--records", str(outages),
                  "--limit", "100"]
        days = {t.day for w in suggest(*common)["windows"]
                for t in (parse_time(w["start"]), parse_time(w["end"]) - timedelta(minutes=1))}
        assert days and not days & avoided
        included = {parse_time(w["start"]).day for w in suggest(*common, "--include-holidays")["windows"]}
        assert included & avoided


def test_avoided_days_include_the_eves() -> None:
    days = windows.avoided_days(2026)
    for day in (date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 31),
                date(2026, 6, 19), date(2026, 4, 30)):
        assert day in days, day
    assert date(2026, 12, 2) not in days


def test_suggest_says_plainly_what_is_wrong(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    runner = CliRunner()
    base = ["usage", "suggest", "--duration", "4h", "--between", "2026-12-01", "2026-12-03", "--records", str(outages)]
    unknown = runner.invoke(main, [*base, "--service", "nope"])
    assert unknown.exit_code == 1 and "unknown service 'nope'" in unknown.output
    assert unknown.exception is None or isinstance(unknown.exception, SystemExit)
    (outages / "usage" / "lupa.csv").unlink()
    missing = runner.invoke(main, [*base, "--service", "lupa"])
    assert missing.exit_code == 1 and "no usage profile for 'lupa'" in missing.output
    assert "Traceback" not in missing.output


def test_suggest_text_table(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    result = CliRunner().invoke(main, ["usage", "suggest", "--service", "lupa", "--duration", "3h", "--between",
                                       "2026-11-30", "2026-12-04", "--records", str(outages), "--lang", "fi"])
    assert result.exit_code == 0, result.output
    assert "keskiarvojen" in result.output
    assert "ke 2.12.2026 klo 2.00–5.00" in result.output
    assert "2026-12-02T02:00+02:00/2026-12-02T05:00+02:00" in result.output


# The quietest 12 hours of WEDNESDAY_NIGHT's week: 1 492 requests, 4.12 % of the week's.
WRITTEN = {
    "fi": ["Hiljaisimmat 12 tunnin jaksot, palvelu lupa, ma 30.11.2026 – pe 4.12.2026 (Suomen aikaa)",
           "(pyyntöä, 4 viikon aineistosta)", " 1  ke 2.12.2026 klo 0.00–12.00    1 492,0     4,12 %      1/168"],
    "sv": ["De lugnaste perioderna på 12 timmar för lupa, må 30.11.2026 – fr 4.12.2026 (finsk tid)",
           "(förfrågningar, 4 veckors data)", " 1  on 2.12.2026 kl. 0.00–12.00    1 492,0     4,12 %      1/168"],
    "en": ["Quietest 12-hour windows for lupa, Mon 30 November 2026 – Fri 4 December 2026 (Finnish time)",
           "(weeks of data: 4)", " 1  Wed 2 December 2026, 00:00–12:00    1,492.0     4.12 %      1/168"],
}


@pytest.mark.parametrize("lang", sorted(WRITTEN))
def test_suggest_writes_words_and_figures_in_the_language_it_speaks(tmp_path: Path, lang: str) -> None:
    """The table's words, dates and figures are the language's (a decimal comma and a space between
    thousands in Finnish and Swedish); the JSON stays as programs read it."""
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    args = ["--service", "lupa", "--duration", "12h", "--between", "2026-11-30", "2026-12-04", "--records",
            str(outages), "--limit", "1"]
    result = CliRunner().invoke(main, ["usage", "suggest", *args, "--lang", lang])
    assert result.exit_code == 0, result.output
    for text in WRITTEN[lang]:
        assert text in result.output, result.output
    found = suggest(*args, "--lang", lang)
    assert found == suggest(*args)
    assert (found["windows"][0]["expected_users"], found["windows"][0]["share_of_week"]) == (1492.0, 0.041179)


def test_suggest_speaks_the_sites_language(tmp_path: Path) -> None:
    """Without --lang, the first language of the site the records belong to (as katko check)."""
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - katko:\n      languages: [sv, fi]\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["usage", "suggest", "--service", "lupa", "--duration", "12h", "--between",
                                       "2026-11-30", "2026-12-04", "--records", str(outages), "--limit", "1"])
    assert WRITTEN["sv"][2] in result.output, result.output


# --- katko check -------------------------------------------------------------------------

OUTAGE = """kind: planned
services: [lupa]
impact: unavailable
start: {start}
end: {end}
public_from: 2026-11-20 09:00
title: {{fi: a, sv: b}}
summary: {{fi: a, sv: b}}
stakeholders: [{{fi: a, sv: b}}]
internal: {{affected_users: 1, authority_impact: a, risks: [a]}}
"""
NOW = datetime(2026, 11, 27, 12, tzinfo=HELSINKI)


def check(outages: Path, **settings: object) -> list:
    _, report = records.load([outages], Settings(now=NOW, **settings))  # type: ignore[arg-type]
    return report.sorted()


def test_busy_window_is_warned_about_with_a_better_one(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (outages / "busy.yml").write_text(OUTAGE.format(start="2026-12-03 10:00", end="2026-12-03 13:00"))
    found = check(outages)
    warning = [d for d in found if d.severity == "warning"]
    assert [(d.code, d.line) for d in warning] == [("K230", 4)]
    finnish = messages.texts("fi").message(warning[0])
    assert "ke 2.12.2026 klo 2.00–5.00 (2026-12-02T02:00+02:00/2026-12-02T05:00+02:00)" in finnish
    # The expected-users figure is in a note, not in the warning.
    notes = [d for d in found if d.severity == "note"]
    assert len(notes) == 1 and "expected affected users 639.0" in notes[0].message
    assert "639" not in warning[0].message


def test_quietest_window_is_not_warned_about(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (outages / "quiet.yml").write_text(OUTAGE.format(start="2026-12-02 02:00", end="2026-12-02 05:00"))
    found = check(outages)
    assert [(d.severity, d.code) for d in found] == [("note", "")]
    assert "expected affected users 4.0" in found[0].message and "rank 1 of 168" in found[0].message


def test_quiet_share_is_configurable(tmp_path: Path) -> None:
    # Wednesday 1.00–4.00 is the second quietest 3-hour window (after 2.00–5.00).
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (outages / "near.yml").write_text(OUTAGE.format(start="2026-12-02 01:00", end="2026-12-02 04:00"))
    assert not [d for d in check(outages) if d.code == "K230"]
    assert [d.code for d in check(outages, low_usage_share=0.005)] == ["", "K230"]
    # The same from the authority's policy in services.yml, which the CLI option overrides.
    catalogue = outages / "services.yml"
    catalogue.write_text(catalogue.read_text().replace("services:\n", "policy:\n  quiet_share: 0.5\nservices:\n", 1))
    assert [d.code for d in check(outages)] == ["", "K230"]
    assert not [d for d in check(outages, low_usage_share=0.10) if d.code == "K230"]


def test_ended_and_cancelled_outages_are_skipped(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (outages / "past.yml").write_text(OUTAGE.format(start="2026-11-25 10:00", end="2026-11-25 13:00"))
    (outages / "off.yml").write_text(OUTAGE.format(start="2026-12-03 10:00", end="2026-12-03 13:00")
                                     + "status: cancelled\nupdates:\n  - time: 2026-11-21 09:00\n"
                                       "    status: cancelled\n    text: {fi: a, sv: b}\n")
    assert check(outages) == []


def test_notes_never_fail_and_show_as_notices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (outages / "quiet.yml").write_text(OUTAGE.format(start="2026-12-02 02:00", end="2026-12-02 05:00"))
    monkeypatch.setenv("KATKO_NOW", NOW.isoformat())
    runner = CliRunner()
    text = runner.invoke(main, ["check", "--strict", str(outages)])
    assert text.exit_code == 0, text.output
    assert "note: lupa: expected affected users 4.0" in text.output
    assert text.output.rstrip().endswith("0 errors, 0 warnings")
    github = runner.invoke(main, ["check", "--strict", "--format", "github", str(outages)])
    assert github.exit_code == 0 and github.output.startswith("::notice file=")
    busy = runner.invoke(main, ["check", "--quiet-share", "0.5", str(outages)])
    assert busy.exit_code == 0 and "0 warnings" in busy.output  # rank 1 is always quiet
    assert runner.invoke(main, ["check", "--quiet-share", "0", str(outages)]).exit_code == 2


def test_example_records_check_clean_with_their_profiles() -> None:
    assert (EXAMPLE / "usage" / "rakennuslupa.csv").is_file()
    _, report = records.load([EXAMPLE], Settings(now=parse_time("2026-12-01T12:00:00+02:00")))
    assert not report.errors and not report.warnings
    assert len(report.notes) >= 2


def test_expected_users_never_reach_the_site_or_its_log(built_site: Path) -> None:
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".ics", ".js", ".txt"):
            assert "expected affected users" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_site_build_log_has_no_notes(tmp_path: Path) -> None:
    # The example records have profiles, so loading them makes notes; the build must not print them.
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=REPO_ROOT,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "expected affected users" not in result.stdout + result.stderr


# --- the API -------------------------------------------------------------------------


def test_assess_api() -> None:
    start = datetime(2026, 12, 3, 10, tzinfo=HELSINKI)
    a = windows.assess(WEDNESDAY_NIGHT, start, start + timedelta(hours=3))
    assert (a.expected, a.quiet, a.windows) == (busy(3, 10) + busy(3, 11) + busy(3, 12), False, 168)
    assert a.rank == 1 + sum(1 for v in windows.week_windows(WEDNESDAY_NIGHT, timedelta(hours=3)) if v < a.expected)
    assert a.better and a.better[0].start == datetime(2026, 12, 2, 2, tzinfo=HELSINKI)
    assert all(w.expected < a.expected for w in a.better) and len(a.better) <= 3
    assert all(windows.week_of(w.start) == windows.week_of(start) for w in a.better)


def test_load_profiles(tmp_path: Path) -> None:
    usage.write_profile(WEDNESDAY_NIGHT, "lupa", tmp_path)
    (tmp_path / "broken.csv").write_text("not a profile\n")
    errors: list = []
    assert list(windows.load_profiles(tmp_path, errors)) == ["lupa"]
    assert errors and errors[0].path.name == "broken.csv"
    with pytest.raises(usage.UsageError):
        windows.load_profiles(tmp_path)
    assert windows.load_profiles(tmp_path / "none") == {}


def test_better_windows_are_not_in_the_past() -> None:
    start = datetime(2026, 12, 3, 10, tzinfo=HELSINKI)
    now = datetime(2026, 12, 2, 12, tzinfo=HELSINKI)  # Wednesday's quiet night has passed
    a = windows.assess(WEDNESDAY_NIGHT, start, start + timedelta(hours=3), after=now)
    assert a.better and all(w.start >= now for w in a.better)
    assert all(w.start.date() != date(2026, 12, 2) or w.start >= now for w in a.better)


def test_example_outage_moved_to_a_busy_hour_is_warned_about(tmp_path: Path) -> None:
    """The example's Saturday-night outage of rakennuslupa is in a quiet window; the same
    outage on a Wednesday morning is not, and the warning names a quieter window that week."""
    outages = tmp_path / "outages"
    shutil.copytree(EXAMPLE, outages)
    name = "2026-12-05-rakennuslupa-palvelinvaihto.yml"
    now = parse_time("2026-12-01T12:00:00+02:00")
    _, report = records.load([outages], Settings(now=now))
    assert [d for d in report.warnings if d.path.endswith(name)] == []

    record = outages / name
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace('start: "2026-12-05 22:00"', 'start: "2026-12-09 09:00"')
                          .replace('end: "2026-12-06 04:00"', 'end: "2026-12-09 15:00"'),
                      encoding="utf-8")
    _, report = records.load([outages], Settings(now=now))
    found = [d for d in report.diagnostics if d.path.endswith(name) and d.severity != "note"]
    busy = [d for d in found if d.code == "K230"]
    assert len(busy) == 1
    # The title and summary still name Saturday night's times (K232, K233): only the times were moved.
    assert {d.code for d in found} - {"K230"} == {"K232", "K233"}
    profile = windows.load_profiles(outages / "usage")["rakennuslupa"]
    planned = windows.assess(profile, parse_time("2026-12-09 09:00"), parse_time("2026-12-09 15:00"))
    assert not planned.quiet
    # The first window the message names is in the same week and quieter, by the profile.
    iso = busy[0].message.split("quieter in the same week: ", 1)[1].split("(", 1)[1].split(")", 1)[0]
    start, end = (datetime.fromisoformat(x) for x in iso.split("/"))
    assert date(2026, 12, 7) <= start.date() <= date(2026, 12, 13)
    assert end - start == timedelta(hours=6)
    assert windows.expected_users(profile, start, end) < planned.expected
    assert windows.assess(profile, start, end).quiet


# --- work bounded whatever the outage's length ------------------------------------------


def _hour_by_hour(profile: usage.Profile, start: datetime, end: datetime) -> float:
    normal, holiday = windows._means(profile)
    return windows._by_the_hour(normal, holiday, start, end)


@pytest.mark.parametrize(("start", "end"), [
    ("2026-12-05 22:00", "2026-12-14 04:30"),      # just over the hour-by-hour limit, over a holiday
    ("2026-03-20 13:15", "2026-11-02 07:45"),      # both clock changes, Easter, Midsummer
    ("2027-03-26 00:00", "2027-03-29 00:00"),      # short: the hour-by-hour sum itself
    ("2024-03-30 10:00", "2024-04-20 10:00"),      # Easter Sunday on the day the clocks go forward
    ("2025-12-31 23:30", "2029-01-01 00:30"),      # years
])
def test_long_windows_are_summed_by_the_day_as_by_the_hour(start: str, end: str) -> None:
    """The closed form for long windows gives the hour-by-hour sum (holidays, clock changes and all)."""
    profile = windows.load_profiles(EXAMPLE / "usage")["rakennuslupa"]
    a, b = parse_time(start), parse_time(end)
    assert windows.expected_users(profile, a, b) == pytest.approx(_hour_by_hour(profile, a, b), rel=1e-12)


def test_clock_changes_are_the_days_of_23_and_25_hours() -> None:
    for year in (2000, 2026, 2100):
        found = [d for d in (date(year, 1, 1) + timedelta(days=i) for i in range(366)) if d.year == year
                 and (windows._local(d + timedelta(days=1), datetime.min.time())
                      - windows._local(d, datetime.min.time())) != timedelta(days=1)]
        assert list(windows.clock_changes(year)) == found and len(found) == 2


def test_week_windows_longer_than_a_week_add_whole_weeks() -> None:
    profile = windows.load_profiles(EXAMPLE / "usage")["rakennuslupa"]
    short = windows.week_windows(profile, timedelta(hours=5, minutes=30))
    long = windows.week_windows(profile, timedelta(weeks=3, hours=5, minutes=30))
    total = windows.week_total(profile)
    assert long == pytest.approx([3 * total + v for v in short], rel=1e-12)


def test_a_century_long_outage_is_assessed_at_once_and_ranked_within_the_week() -> None:
    """An outage from 2000 to 2100 costs no more than a short one (it took minutes and
    gigabytes when summed hour by hour), and is the last of the week's windows, not one past."""
    profile = windows.load_profiles(EXAMPLE / "usage")["rakennuslupa"]
    a = windows.assess(profile, parse_time("2000-01-01 00:00"), parse_time("2100-12-31 23:00"))
    assert (a.rank, a.windows, a.quiet) == (168, 168, False)
    years = windows.expected_users(profile, parse_time("2026-01-01 00:00"), parse_time("2028-01-01 00:00"))
    assert a.expected == pytest.approx(years * 50.5, rel=0.01)


# --- a broken profile is an error at its line ------------------------------------------------


def _good_profile(tmp_path: Path) -> list[str]:
    return usage.write_profile(WEDNESDAY_NIGHT, "lupa", tmp_path / "made").read_text().split("\n")


def _replace(line: int, text: str):  # type: ignore[no-untyped-def]
    return lambda lines: lines[:line - 1] + [text] + lines[line:]


BROKEN_PROFILES = {
    # name: (how the good profile's lines are broken, the lines the errors are at)
    "negative mean": (_replace(9, "normal,0,mon,4,1,-1,1"), [9]),
    "mean not a number": (_replace(9, "normal,0,mon,4,1,many,1"), [9]),
    "Arabic-Indic digits": (_replace(9, "normal,0,mon,4,١,1,1"), [9]),
    "infinite p90": (_replace(10, "normal,0,mon,5,1,1,inf"), [10]),
    "weeks not whole": (_replace(9, "normal,0,mon,4,1.5,1,1"), [9]),
    "hour out of order": (_replace(9, "normal,0,mon,5,1,1,1"), [9]),
    "a column too few": (_replace(9, "normal,0,mon,4,1,1"), [9]),
    "other columns": (_replace(4, "days,weekday,hour,mean"), [4]),
    "an hour missing": (lambda lines: lines[:9] + lines[10:], list(range(10, 20)) + [340]),
    "a row too many": (lambda lines: lines[:-1] + [lines[-2], ""], [341]),
    "no covered line": (lambda lines: [lines[0]] + lines[2:], [1]),
    "covered line garbled": (_replace(2, "# covered: last week"), [1, 2]),
    "unknown unit": (_replace(1, "# Katko usage profile of service lupa: clicks per hour"), [1]),
    "empty": (lambda lines: [""], [1, 1]),
    "YAML, not CSV": (lambda lines: ["days: [1, 2]", "mean: -1", ""], [1, 1, 2, 2]),
}


@pytest.mark.parametrize("name", BROKEN_PROFILES)
def test_a_broken_profile_is_an_error_at_its_lines(name: str, tmp_path: Path) -> None:
    """A profile not as 'katko usage ingest' writes it is K020 at each faulty line (a note
    before, and then silently unused): check fails, in every language."""
    change, lines = BROKEN_PROFILES[name]
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    broken = "\n".join(change(_good_profile(tmp_path)))
    (outages / "usage" / "lupa.csv").write_text(broken, encoding="utf-8")
    (outages / "busy.yml").write_text(OUTAGE.format(start="2026-12-03 10:00", end="2026-12-03 13:00"))
    found = [d for d in check(outages) if d.severity != "note"]
    assert {d.code for d in found} == {"K020"}
    assert all(d.path.endswith("lupa.csv") and d.severity == "error" for d in found)
    assert [d.line for d in found] == lines[:usage.MAX_PROFILE_PROBLEMS]
    for d in found:
        for lang in ("fi", "sv"):
            text = messages.texts(lang).message(d)
            assert "%(" not in text and text != messages.texts("en").message(d)
    result = CliRunner().invoke(main, ["check", str(outages)], env={"KATKO_NOW": KATKO_NOW})
    assert result.exit_code == 1 and f"lupa.csv:{lines[0]}:1: error K020" in result.output
    assert "Traceback" not in result.output


def test_a_profile_that_is_not_text_or_too_large(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    profile = outages / "usage" / "lupa.csv"
    good = profile.read_bytes()
    profile.write_bytes(b"# Katko usage profile\n\xff\xfe\n")
    not_text = check(outages)
    assert [(d.code, d.line) for d in not_text] == [("K020", 2)]
    profile.write_text("#" * (usage.MAX_PROFILE_BYTES + 1))
    too_large = check(outages)
    assert [(d.code, d.line) for d in too_large] == [("K020", 1)]
    for d in not_text + too_large:
        assert messages.texts("fi").message(d) != messages.texts("en").message(d) != messages.texts("sv").message(d)
    profile.write_bytes(b"\xef\xbb\xbf" + good)  # a byte order mark, as some editors add
    assert check(outages) == []


def test_suggest_refuses_a_broken_profile_naming_its_line(tmp_path: Path) -> None:
    outages = project(tmp_path, WEDNESDAY_NIGHT)
    (outages / "usage" / "lupa.csv").write_text("\n".join(_replace(9, "normal,0,mon,4,1,-1,1")(_good_profile(tmp_path))))
    result = CliRunner().invoke(main, ["usage", "suggest", "--service", "lupa", "--duration", "3h", "--records",
                                       str(outages), "--between", "2026-12-01", "2026-12-07"])
    assert result.exit_code == 1 and "lupa.csv:9: 'mean' should be a number of zero or more" in result.output


def test_katko_check_of_a_century_long_outage_ends(tmp_path: Path) -> None:
    """The example's outage lengthened to 2100, checked by the command (a hang guard, not a timing)."""
    outages = tmp_path / "outages"
    shutil.copytree(EXAMPLE, outages)
    record = outages / "2026-12-05-rakennuslupa-palvelinvaihto.yml"
    record.write_text(record.read_text(encoding="utf-8").replace('end: "2026-12-06 04:00"', 'end: "2100-12-05 22:00"'),
                      encoding="utf-8")
    code = "import sys; from katko.cli import main; sys.argv[0] = 'katko'; main()"
    result = subprocess.run([sys.executable, "-c", code, "check", "--lang", "en", str(outages)], cwd=tmp_path,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW}, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "rank 168 of 168 windows" in result.stdout and "K211" in result.stdout
