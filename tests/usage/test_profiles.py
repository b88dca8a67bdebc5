"""Usage ingest: access logs, CSV, Matomo and date_histogram exports into hour-of-week profiles."""

from __future__ import annotations

import codecs
import gzip
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from katko.usage import profiles as usage
from katko.cli import main

# weekday numbers as in the profile: Monday 0 … Sunday 6
MON, SUN = 0, 6


def clf(ip: str, when: str, path: str = "/", combined: bool = True) -> str:
    line = f'{ip} - - [{when}] "GET {path} HTTP/1.1" 200 512'
    if combined:
        line += ' "https://example.fi/" "Mozilla/5.0 (X11; Linux x86_64)"'
    return line + "\n"


# One week, Monday 19.10.2026 0.00 to Sunday 25.10.2026 23.00 Helsinki time,
# across the autumn change (Sunday 4.00 EEST -> 3.00 EET), with log offsets
# +0000, +0300 and +0200. Expected Helsinki hours are in the comments.
AUTUMN = [
    clf("192.0.2.1", "18/Oct/2026:21:00:00 +0000"),           # Mon 0.00 EEST
    clf("192.0.2.2", "19/Oct/2026:10:15:00 +0300"),           # Mon 10
    clf("192.0.2.3", "19/Oct/2026:10:59:59 +0300", combined=False),  # Mon 10
    clf("2001:db8::1", "19/Oct/2026:07:30:00 +0000"),         # Mon 10
    clf("192.0.2.4", "25/Oct/2026:00:30:00 +0000"),           # Sun 3.30 EEST
    clf("192.0.2.5", "25/Oct/2026:01:30:00 +0000"),           # Sun 3.30 EET (second time)
    clf("192.0.2.6", "25/Oct/2026:03:10:00 +0300"),           # Sun 3.10 EEST
    clf("192.0.2.7", "25/Oct/2026:23:00:00 +0200"),           # Sun 23
]
AUTUMN_EXPECTED = {(MON, 0): 1, (MON, 10): 3, (SUN, 3): 3, (SUN, 23): 1}


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(lines), encoding="utf-8")
    return path


def normal(profile: usage.Profile) -> dict[tuple[int, int], tuple[int, float | None, float | None]]:
    return {(r.weekday, r.hour): (r.weeks, r.mean, r.p90) for r in profile.rows if r.days == "normal"}


def profile_of(*paths: Path, fmt: str = "auto", zone: str = "Europe/Helsinki") -> usage.Profile:
    return usage.build_profile(usage.read_files(paths, fmt, zone))


def test_access_log_across_autumn_change_and_offsets(tmp_path: Path) -> None:
    counts = usage.read_files([write(tmp_path / "access.log", AUTUMN)])
    assert (counts.lines, counts.malformed, counts.unit) == (8, 0, "requests")
    profile = usage.build_profile(counts)
    assert len(profile.rows) == 2 * 168
    got = normal(profile)
    for slot, (weeks, mean, p90) in got.items():
        # one week covered: every hour of it is one sample, the doubled
        # autumn 3.00 included (its two real hours are summed)
        assert weeks == 1, slot
        assert mean == p90 == AUTUMN_EXPECTED.get(slot, 0), slot
    assert profile.weeks == pytest.approx(169 / 168, abs=0.01)  # the autumn day has 25 hours
    assert all(r.weeks == 0 and r.mean is None for r in profile.rows if r.days == "holiday")


def test_access_log_across_spring_change(tmp_path: Path) -> None:
    # Two weeks, Monday 16.3.2026 0.00 EET to Sunday 29.3.2026 23.00 EEST.
    # On 29.3 the clocks jump from 3.00 to 4.00: that Sunday has no 3.00.
    lines = [
        clf("192.0.2.1", "15/Mar/2026:22:00:00 +0000"),   # Mon 16.3 0.00
        clf("192.0.2.1", "22/Mar/2026:02:10:00 +0200"),   # Sun 22.3 2.00
        clf("192.0.2.1", "22/Mar/2026:00:20:00 +0000"),   # Sun 22.3 2.00
        clf("192.0.2.1", "29/Mar/2026:00:59:00 +0000"),   # Sun 29.3 2.59 EET
        clf("192.0.2.1", "29/Mar/2026:01:00:00 +0000"),   # Sun 29.3 4.00 EEST
        clf("192.0.2.1", "29/Mar/2026:04:30:00 +0300"),   # Sun 29.3 4.00 EEST
        clf("192.0.2.1", "29/Mar/2026:20:00:00 +0000"),   # Sun 29.3 23.00 EEST
    ]
    got = normal(profile_of(write(tmp_path / "a.log", lines)))
    assert got[(MON, 0)] == (2, 0.5, 0.9)
    assert got[(SUN, 2)] == (2, 1.5, 1.9)     # samples [2, 1]
    assert got[(SUN, 3)] == (1, 0.0, 0.0)     # only 22.3 has a 3.00
    assert got[(SUN, 4)] == (2, 1.0, 1.8)     # samples [0, 2]
    assert got[(SUN, 23)] == (2, 0.5, 0.9)
    assert got[(MON, 1)] == (2, 0.0, 0.0)


def test_garbage_lines_are_counted_and_located(tmp_path: Path) -> None:
    lines = list(AUTUMN)
    lines.insert(2, "this is not a log line\n")
    lines.insert(5, "\n")                                         # blank: ignored, not an error
    lines.insert(7, '192.0.2.9 - - [31/Feb/2026:10:00:00 +0300] "GET / HTTP/1.1" 200 1\n')  # no such day
    lines.append("\x00\xff garbage at the end without newline")
    counts = usage.read_files([write(tmp_path / "bad.log", lines)])
    assert counts.malformed == 3
    assert [(Path(e.file).name, e.line) for e in counts.examples] == [("bad.log", 3), ("bad.log", 8), ("bad.log", 12)]
    assert counts.lines == 11
    clean = profile_of(write(tmp_path / "clean.log", AUTUMN))
    assert usage.build_profile(counts).rows == clean.rows


def test_small_blocks_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks much shorter than a line exercise the carry-over between reads.
    lines = list(AUTUMN)
    lines.insert(4, "garbage\n")
    path = write(tmp_path / "a.log", lines)
    whole = usage.read_files([path])
    for size in (7, 50, 97, 150, 333):  # shorter than a line, and a few lines with a split one
        monkeypatch.setattr(usage, "BLOCK", size)
        small = usage.read_files([path])
        assert (small.hours, small.lines, small.malformed, small.examples) == \
            (whole.hours, whole.lines, whole.malformed, whole.examples), size
        assert small.examples[0].line == 5


def test_gzip_and_plain_and_file_order(tmp_path: Path) -> None:
    plain = write(tmp_path / "access.log", AUTUMN)
    # gzip is recognised by its magic bytes, not by the name
    (tmp_path / "access.log.1").write_bytes(gzip.compress("".join(AUTUMN).encode()))
    assert profile_of(tmp_path / "access.log.1").rows == profile_of(plain).rows
    first = write(tmp_path / "part1.log", AUTUMN[:4])
    second = tmp_path / "part2.log.gz"
    second.write_bytes(gzip.compress("".join(AUTUMN[4:]).encode()))
    assert profile_of(second, first).rows == profile_of(plain).rows


def test_holiday_goes_to_the_holiday_profile(tmp_path: Path) -> None:
    # Sunday 6.12.2026 is Independence Day; Sunday 13.12 is an ordinary Sunday.
    lines = [
        clf("192.0.2.1", "06/Dec/2026:00:00:00 +0200"),   # holiday Sun 0
        clf("192.0.2.1", "06/Dec/2026:10:00:00 +0000"),   # holiday Sun 12
        clf("192.0.2.1", "06/Dec/2026:12:30:00 +0200"),   # holiday Sun 12
        clf("192.0.2.1", "13/Dec/2026:12:00:00 +0200"),   # normal Sun 12
        clf("192.0.2.1", "13/Dec/2026:21:00:00 +0000"),   # normal Sun 23
    ]
    profile = profile_of(write(tmp_path / "a.log", lines))
    assert profile.row("holiday", SUN, 12) == usage.Row("holiday", SUN, 12, 1, 2.0, 2.0)
    assert profile.row("holiday", SUN, 0).weeks == 1
    assert profile.row("holiday", MON, 12).weeks == 0
    assert profile.row("normal", SUN, 12) == usage.Row("normal", SUN, 12, 1, 1.0, 1.0)
    assert profile.row("normal", MON, 12).weeks == 1


def test_csv_timestamp_count(tmp_path: Path) -> None:
    path = tmp_path / "counts.csv"
    path.write_text(
        "timestamp,count\n"
        "2026-12-07T08:00:00Z,5\n"            # Mon 10 EET
        "2026-12-07T10:15:00+02:00,3\n"       # Mon 10, quarter-hour buckets are summed
        "2026-12-07T10:45:00+02:00,4\n"
        "2026-12-07 11:00,9\n"                # no offset: malformed, line 5
        "2026-12-14T07:00:00+00:00,6\n",      # Mon 9 the week after
        encoding="utf-8")
    counts = usage.read_files([path])
    assert (counts.lines, counts.malformed, [e.line for e in counts.examples]) == (5, 1, [5])
    got = normal(usage.build_profile(counts))
    assert got[(MON, 10)] == (1, 12.0, 12.0)
    assert got[(MON, 9)] == (1, 6.0, 6.0)
    assert got[(MON, 8)] == (1, 0.0, 0.0)     # 14.12 8.00 is before the last hour, 7.12 8.00 before the first
    assert got[(SUN, 23)] == (1, 0.0, 0.0)
    # without a header, and forced format
    bare = tmp_path / "bare.txt"
    bare.write_text("2026-12-07T08:00:00Z,5\n", encoding="utf-8")
    assert normal(profile_of(bare, fmt="csv"))[(MON, 10)] == (1, 5.0, 5.0)


MATOMO = {
    "2026-12-06": [{"label": "12h", "nb_uniq_visitors": 6, "nb_visits": 7, "nb_actions": 20}],
    "2026-12-07": [{"label": "0h", "nb_uniq_visitors": 4, "nb_visits": 4, "nb_actions": 9},
                   {"label": "13h", "nb_uniq_visitors": 9, "nb_visits": 10, "nb_actions": 31}],
    "2026-12-08": [],
    "2026-12-14": [{"label": "13h", "nb_uniq_visitors": 18, "nb_visits": 20, "nb_actions": 50}],
}


def check_matomo(profile: usage.Profile) -> None:
    assert profile.unit == "visits"
    got = normal(profile)
    # covered: 6.12 0.00 .. 14.12 23.00 (days between without rows had no visits)
    assert got[(MON, 13)] == (2, 15.0, 19.0)     # samples [10, 20]
    assert got[(MON, 0)] == (2, 2.0, 3.6)        # samples [4, 0]
    assert got[(TUE := 1, 0)] == (1, 0.0, 0.0)   # 8.12 is covered, 15.12 not
    assert got[(SUN, 12)] == (1, 0.0, 0.0)       # only 13.12: 6.12 is a holiday
    assert profile.row("holiday", SUN, 12) == usage.Row("holiday", SUN, 12, 1, 7.0, 7.0)


def test_matomo_json(tmp_path: Path) -> None:
    path = tmp_path / "matomo.json"
    path.write_text(json.dumps(MATOMO), encoding="utf-8")
    counts = usage.read_files([path])
    assert (counts.lines, counts.malformed) == (4, 0)
    check_matomo(usage.build_profile(counts))


def test_matomo_csv_utf16(tmp_path: Path) -> None:
    # Matomo's CSV export: UTF-16LE with a BOM, one row per date and hour.
    rows = ["date,label,nb_uniq_visitors,nb_visits,nb_actions"]
    rows += [f"{day},{r['label']},{r['nb_uniq_visitors']},{r['nb_visits']},{r['nb_actions']}"
             for day, day_rows in MATOMO.items() for r in day_rows]
    rows += ["2026-12-08,,,,"]  # a day listed without visits: covered, not an error
    rows += ["2026-12-09,25h,1,1,1"]  # no such hour: malformed, line 7
    path = tmp_path / "export"
    path.write_bytes(codecs.BOM_UTF16_LE + "\n".join(rows).encode("utf-16-le"))
    counts = usage.read_files([path])
    assert (counts.malformed, [e.line for e in counts.examples]) == (1, [7])
    check_matomo(usage.build_profile(counts))


def test_matomo_site_timezone(tmp_path: Path) -> None:
    path = tmp_path / "matomo.json"
    path.write_text(json.dumps({"2026-12-07": [{"label": "0h", "nb_visits": 4}]}), encoding="utf-8")
    # a site kept in UTC: its 0h is 2.00 in Helsinki
    profile = profile_of(path, zone="UTC")
    assert normal(profile)[(MON, 2)] == (1, 4.0, 4.0)
    assert normal(profile)[(MON, 0)][0] == 0


def test_opensearch_date_histogram(tmp_path: Path) -> None:
    def key(*args: int) -> int:
        return int(datetime(*args, tzinfo=timezone.utc).timestamp() * 1000)

    response = {
        "took": 12, "timed_out": False, "hits": {"total": {"value": 49, "relation": "eq"}, "hits": []},
        "aggregations": {"per_hour": {"buckets": [
            {"key_as_string": "2026-12-07T08:00:00.000Z", "key": key(2026, 12, 7, 8), "doc_count": 42},  # Mon 10
            {"key_as_string": "2026-12-07T09:00:00.000Z", "key": key(2026, 12, 7, 9), "doc_count": 0},   # Mon 11
            {"key_as_string": "2026-12-07T10:00:00.000Z", "key": key(2026, 12, 7, 10), "doc_count": 7},  # Mon 12
            {"key_as_string": "2026-12-07T11:00:00.000Z", "doc_count": "x"},                              # malformed
        ]}},
    }
    path = tmp_path / "histogram.json"
    path.write_text(json.dumps(response), encoding="utf-8")
    counts = usage.read_files([path])
    assert (counts.lines, counts.malformed, counts.examples[0].line) == (4, 1, 4)
    got = normal(usage.build_profile(counts))
    assert got[(MON, 10)] == (1, 42.0, 42.0)
    assert got[(MON, 11)] == (1, 0.0, 0.0)
    assert got[(MON, 12)] == (1, 7.0, 7.0)
    assert got[(MON, 13)] == (0, None, None)


def test_daily_histogram_is_refused(tmp_path: Path) -> None:
    buckets = [{"key": 1796601600000 + i * 86_400_000, "doc_count": 5} for i in range(3)]
    path = tmp_path / "daily.json"
    path.write_text(json.dumps({"aggregations": {"d": {"buckets": buckets}}}), encoding="utf-8")
    with pytest.raises(usage.UsageError, match="24 h apart"):
        usage.read_files([path])


def test_mixing_requests_and_visits_is_refused(tmp_path: Path) -> None:
    log = write(tmp_path / "a.log", AUTUMN)
    matomo = tmp_path / "m.json"
    matomo.write_text(json.dumps(MATOMO), encoding="utf-8")
    with pytest.raises(usage.UsageError, match="cannot mix"):
        usage.read_files([log, matomo])


def test_output_is_deterministic_and_has_no_personal_data(tmp_path: Path) -> None:
    log = write(tmp_path / "a.log", [clf("192.0.2.1", "07/Dec/2026:10:00:00 +0200", "/asiakas?hetu=010101-123N")]
                + AUTUMN)
    first = usage.write_profile(profile_of(log), "asiointi", tmp_path / "one")
    second = usage.write_profile(profile_of(log), "asiointi", tmp_path / "two")
    text = first.read_text(encoding="utf-8")
    assert text == second.read_text(encoding="utf-8")
    assert not re.search(r"\d+\.\d+\.\d+\.\d+|2001:db8|192\.0\.2|hetu|Mozilla|example\.fi", text)
    lines = text.splitlines()
    assert lines[0].startswith("# Katko usage profile of service asiointi: requests")
    assert [ln for ln in lines if not ln.startswith("#")][0] == ",".join(usage.COLUMNS)
    assert len([ln for ln in lines if not ln.startswith("#")]) == 1 + 336
    again = usage.read_profile(first)
    assert (again.unit, again.first, again.last) == ("requests", profile_of(log).first, profile_of(log).last)

    def rounded(x: float | None) -> float | None:
        return None if x is None else round(x, 2)

    assert [(r.days, r.weekday, r.hour, r.weeks, r.mean, r.p90) for r in again.rows] == \
        [(r.days, r.weekday, r.hour, r.weeks, rounded(r.mean), rounded(r.p90)) for r in profile_of(log).rows]


def test_bad_service_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(usage.UsageError):
        usage.write_profile(profile_of(write(tmp_path / "a.log", AUTUMN)), "../x", tmp_path)


def test_cli_end_to_end(tmp_path: Path) -> None:
    lines = list(AUTUMN)
    lines.insert(1, "garbage one\n")
    lines.insert(3, "garbage two\n")
    log = write(tmp_path / "access.log", lines)
    out = tmp_path / "usage"
    result = CliRunner().invoke(main, ["usage", "ingest", "--service", "asiointi", "--out", str(out), str(log),
                                       "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "lines read: 10, malformed: 2" in result.output
    assert f"{log}:2: garbage one" in result.output
    assert f"{log}:4: garbage two" in result.output
    assert str(out / "asiointi.csv") in result.output
    assert (out / "asiointi.csv").read_text(encoding="utf-8") == \
        usage.profile_csv(profile_of(write(tmp_path / "clean.log", AUTUMN)), "asiointi")


@pytest.mark.parametrize("lang, said", [
    ("fi", ["rivejä luettu: 3 202, virheellisiä: 2 002", "… ja 1 997 muuta", "(pyyntöä, 1 viikon aineisto)"]),
    ("sv", ["lästa rader: 3 202, felaktiga: 2 002", "… och 1 997 till", "(förfrågningar, 1 veckors data)"]),
    ("en", ["lines read: 3,202, malformed: 2,002", "… and 1,997 more", "(requests; weeks of data: 1)"]),
])
def test_cli_counts_in_the_language_it_speaks(tmp_path: Path, lang: str, said: list[str]) -> None:
    """Counts are written with the language's separator between thousands."""
    log = write(tmp_path / "access.log", AUTUMN * 150 + ["garbage\n"] * 2002)
    result = CliRunner().invoke(main, ["usage", "ingest", "--service", "asiointi", "--out", str(tmp_path / "usage"),
                                       "--lang", lang, str(log)])
    assert result.exit_code == 0, result.output
    for text in said:
        assert text in result.output, result.output


def test_cli_fails_when_nothing_can_be_read(tmp_path: Path) -> None:
    junk = write(tmp_path / "junk.log", ["nothing here\n", "nor here\n"])
    result = CliRunner().invoke(main, ["usage", "ingest", "--service", "x", "--format", "clf",
                                       "--out", str(tmp_path / "u"), str(junk)])
    assert result.exit_code == 1
    assert "malformed: 2" in result.output
    assert "no line could be read" in result.output
    assert not (tmp_path / "u").exists()
    missing = CliRunner().invoke(main, ["usage", "ingest", "--service", "x", str(tmp_path / "nope.log")])
    assert missing.exit_code != 0


GOOD_CSV = "timestamp,count\n2026-12-07T08:00:00Z,5\n2026-12-14T08:00:00Z,7\n"
#: Lines of each format that are damaged in a way the readers once took as data: a year far off
#: (the profile then covered every hour since the year 1, or until 9999, one by one: a traceback,
#: or hours of work), a count whose sums overflow, a field longer than the csv module reads.
DAMAGED = {
    "csv-year-1": ("counts.csv", GOOD_CSV + "0001-01-01T00:00:00+02:00,5\n"),
    "csv-year-9999": ("counts.csv", GOOD_CSV + "9999-12-31T23:00:00+02:00,5\n"),
    "csv-count-overflows": ("counts.csv", GOOD_CSV + "2026-12-07T08:10:00Z,1e308\n2026-12-07T08:20:00Z,1e308\n"),
    "csv-count-nan": ("counts.csv", GOOD_CSV + "2026-12-07T08:10:00Z,nan\n"),
    "csv-field-too-long": ("counts.csv", GOOD_CSV + "x" * 200_000 + ",1\n"),
    "clf-year-9999": ("access.log", "".join(AUTUMN) + clf("192.0.2.9", "31/Dec/9999:23:00:00 +0000")),
    "clf-year-1": ("access.log", "".join(AUTUMN) + clf("192.0.2.9", "01/Jan/0001:00:00:00 +0200")),
    "opensearch-year-9999": ("histogram.json", json.dumps({"aggregations": {"h": {"buckets": [
        {"key": 1796623200000, "doc_count": 3}, {"key": 1796626800000, "doc_count": 4},
        {"key": 253402297200000, "doc_count": 5}]}}})),
    "matomo-no-such-day": ("visits.json", json.dumps({**MATOMO, "2026-02-30": [{"label": "1h", "nb_visits": 1}]})),
    "matomo-year-9999": ("visits.json", json.dumps({**MATOMO, "9999-12-31": [{"label": "1h", "nb_visits": 1}]})),
    "matomo-csv-field-too-long": ("visits.csv", "date,label,nb_visits\n2026-12-07,1h,4\n2026-12-07," + "x" * 200_000
                                  + ",1\n"),
}


@pytest.mark.parametrize("name", sorted(DAMAGED))
def test_a_damaged_line_is_malformed_not_a_crash_or_a_hang(name: str, tmp_path: Path) -> None:
    file_name, content = DAMAGED[name]
    source = tmp_path / file_name
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "usage"
    result = CliRunner().invoke(main, ["usage", "ingest", "--service", "asiointi", "--out", str(out), str(source)])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert re.search(r"malformed: [12]\b", result.output), result.output
    assert usage.read_profile(out / "asiointi.csv").weeks < 10
