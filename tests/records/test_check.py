"""Loading and checking records: one failing fixture per problem code.

Each file in fixtures/invalid/ starts with ``# expect: CODE LINE:COL`` and
must produce exactly that one error. Fixtures whose first line is
``# catalogue`` stand in for services.yml; the others are outage records
checked against fixtures/services.yml. A fixture with a folder beside it named
``NAME.usage`` has that folder as the project's usage profiles (``outages/usage``).
Notes are information, not problems, and are left out here.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from katko.records import codes, loading as records
from katko.records.settings import Settings
from katko.core.times import parse_time
from katko.records.yamlsource import MAX_BYTES

FIXTURES = Path(__file__).parents[1] / "fixtures"
INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))
EXPECT = re.compile(rb"# expect: (K\d{3}) (\d+):(\d+)")


#: The fixtures are written as of this moment, so that rules that depend on
#: the clock (notice, follow-up, evaluation) give the same result every day.
NOW = parse_time("2026-12-01T12:00:00+02:00")


def check(folder: Path) -> list[tuple[str, int, int]]:
    _, report = records.load([folder], Settings(now=NOW))
    return [(d.code, d.line, d.column) for d in report.sorted() if d.severity != "note"]


def project(tmp_path: Path, catalogue: Path = FIXTURES / "services.yml") -> Path:
    outages = tmp_path / "outages"
    outages.mkdir()
    shutil.copy(catalogue, outages / "services.yml")
    shutil.copy(FIXTURES / "valid.yml", outages / "valid.yml")
    return outages


def test_valid_fixture_has_no_problems(tmp_path: Path) -> None:
    assert check(project(tmp_path)) == []


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_fixture_reports_its_code_at_its_place(fixture: Path, tmp_path: Path) -> None:
    data = fixture.read_bytes()
    code, line, column = EXPECT.search(data).groups()
    if data.startswith(b"# catalogue"):
        outages = project(tmp_path, catalogue=fixture)
    else:
        outages = project(tmp_path)
        # Outage ids come from file names; only K206 is about a bad file name.
        name = fixture.name if code == b"K206" else fixture.name.lower()
        shutil.copy(fixture, outages / name)
    if fixture.with_suffix(".usage").is_dir():
        shutil.copytree(fixture.with_suffix(".usage"), outages / "usage")
    assert check(outages) == [(code.decode(), int(line), int(column))]


@pytest.mark.parametrize("line_end", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("name", ["K120-link-not-allowed", "K231-weekday-not-of-date", "K240-todo-mark"])
def test_a_problem_inside_a_text_has_its_place_whatever_the_line_ends(name: str, line_end: str,
                                                                       tmp_path: Path) -> None:
    """A file saved with CR LF or CR line ends: a problem found inside a text was placed by counting
    LFs (with CR alone, all on line 1), while YAML counts every line end."""
    fixture = FIXTURES / "invalid" / f"{name}.yml"
    code, line, column = EXPECT.search(fixture.read_bytes()).groups()
    outages = project(tmp_path)
    (outages / fixture.name.lower()).write_bytes(fixture.read_bytes().replace(b"\n", line_end.encode()))
    assert check(outages) == [(code.decode(), int(line), int(column))]


def test_a_byte_order_mark_at_the_start_is_no_problem(tmp_path: Path) -> None:
    outages = project(tmp_path)
    (outages / "valid.yml").write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "valid.yml").read_bytes())
    assert check(outages) == []


@pytest.mark.parametrize("end", ["2026-12-06T00:00Z", "2026-12-06T00:00+00:00", "2026-12-06T02:00+02:00",
                                 "2026-12-06 02:00"])
def test_a_time_in_utc_or_with_finlands_offset_is_read(end: str, tmp_path: Path) -> None:
    outages = project(tmp_path)
    (outages / "valid.yml").write_text((FIXTURES / "valid.yml").read_text(encoding="utf-8").replace(
        "end: 2026-12-06 02:00", f'end: "{end}"'), encoding="utf-8")
    assert check(outages) == []


def test_every_code_has_a_fixture() -> None:
    covered = {EXPECT.search(f.read_bytes()).group(1).decode() for f in INVALID}
    # These need a file system state rather than a file: tested below, and
    # K209 (a change since an earlier git version) in test_history.py.
    covered |= {"K003", "K007", "K022", "K209", "K303"}
    # The site's configuration (mkdocs.yml) is no record: its codes are tested in tests/test_config.py.
    covered |= {code for code in codes.CODES if code.startswith("K4")}
    assert covered == set(codes.CODES)


def test_huge_file(tmp_path: Path) -> None:
    outages = project(tmp_path)
    (outages / "huge.yml").write_text("notes: '" + "x" * MAX_BYTES + "'\n")
    assert check(outages) == [("K003", 1, 1)]


def test_unreadable_file(tmp_path: Path) -> None:
    outages = project(tmp_path)
    os.symlink(tmp_path / "nowhere.yml", outages / "gone.yml")
    _, report = records.load([outages, outages / "gone.yml"], Settings(now=NOW))
    assert [(d.code, d.path.endswith("gone.yml")) for d in report.errors] == [("K007", True)]


def test_missing_catalogue(tmp_path: Path) -> None:
    folder = tmp_path / "outages"
    folder.mkdir()
    shutil.copy(FIXTURES / "valid.yml", folder / "valid.yml")
    assert check(folder) == [("K303", 1, 1)]


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    outages = project(tmp_path)
    for name in ("K201-end-before-start", "K202-missing-language", "K005-duplicate-key", "K104-not-allowed"):
        shutil.copy(FIXTURES / "invalid" / f"{name}.yml", outages / f"{name.lower()}.yml")
    assert [c for c, _, _ in check(outages)] == ["K005", "K104", "K201", "K202"]


def test_english_is_required_when_configured(tmp_path: Path) -> None:
    outages = project(tmp_path)
    _, report = records.load([outages], Settings(now=NOW, required_languages=("fi", "sv", "en")))
    assert {(d.code, d.line) for d in report.errors} == {("K202", 7), ("K202", 10), ("K202", 14)}


def test_unknown_field_suggests_the_right_name(tmp_path: Path) -> None:
    outages = project(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "K101-unknown-field.yml", outages / "typo.yml")
    _, report = records.load([outages], Settings(now=NOW))
    assert "did you mean 'title'?" in report.errors[0].message


@pytest.mark.parametrize("old, new, expected", [
    ("title:", "ti\u200btle:", "unknown field 'ti\\u200btle' (did you mean 'title'?)"),
    ("services: [lupa]", "services: [lup\u0430]", "unknown service 'lup\\u0430' (known: lupa)"),
    ("kind: planned", "id: 2026-12-05-lup\u0430\nkind: planned", "id: '2026-12-05-lup\\u0430' is not a valid id"),
])
def test_a_name_that_looks_right_shows_the_character_that_is_not(old: str, new: str, expected: str,
                                                                   tmp_path: Path) -> None:
    """A Cyrillic а or a zero-width space in a field name, a service or an id: the message quoted
    it as it looks, 'unknown service 'lupа' (known: lupa)'."""
    outages = project(tmp_path)
    (outages / "valid.yml").write_text((FIXTURES / "valid.yml").read_text(encoding="utf-8").replace(old, new, 1),
                                       encoding="utf-8")
    _, report = records.load([outages], Settings(now=NOW))
    assert any(expected in d.message for d in report.errors), [d.message for d in report.errors]


@pytest.mark.parametrize("written", ["kind\uff1a planned", "kind:\u00a0planned", "kind:\u3000planned"])
def test_a_colon_that_only_looks_like_one_is_told_on_its_line(written: str, tmp_path: Path) -> None:
    """A full-width colon, or a no-break space after the colon: YAML read the line as text and failed
    on the next line ('mapping values are not allowed in this context', 3:5)."""
    outages = project(tmp_path)
    (outages / "valid.yml").write_text((FIXTURES / "valid.yml").read_text(encoding="utf-8").replace(
        "kind: planned", written, 1), encoding="utf-8")
    assert check(outages) == [("K004", 1, 5)]


def test_bad_email_is_explained_plainly(tmp_path: Path) -> None:
    catalogue = tmp_path / "services.yml"
    catalogue.write_text((FIXTURES / "services.yml").read_text().replace(
        "saavutettavuus@testikunta.example", "saavutettavuus at testikunta"))
    _, report = records.load([project(tmp_path, catalogue)], Settings(now=NOW))
    assert [(d.code, d.message) for d in report.errors] == [
        ("K103", "authority.accessibility.feedback_email: 'saavutettavuus at testikunta' is not an e-mail address")]


def test_record_checks_run_on_the_valid_part_of_an_invalid_record(tmp_path: Path) -> None:
    outages = project(tmp_path)
    (outages / "mixed.yml").write_text((FIXTURES / "valid.yml").read_text()
                                       .replace("impact: unavailable", "impact: broken")
                                       .replace("end: 2026-12-06 02:00", "end: 2026-12-05 02:00")
                                       .replace("  sv: Byte av server.\n", ""))
    assert check(outages) == [("K104", 3, 9), ("K201", 5, 6), ("K202", 10, 1)]


def test_a_file_meant_as_a_record_but_not_read_is_named(tmp_path: Path) -> None:
    """K022: a record saved with another ending is not left out without a word; other files are."""
    outages = project(tmp_path)
    valid = (FIXTURES / "valid.yml").read_bytes()
    for name in ("2026-12-24-lupa.YML", "2026-12-25-lupa.yml.txt", "2026-12-26-lupa", "2026-12-27-lupa.txt"):
        (outages / name).write_bytes(valid)
    (outages / "usage").mkdir()
    (outages / "usage" / "lupa.csv.txt").write_text("x")  # K021's, not K022's
    (outages / ".git-keep").write_text("")
    (outages / "kuva.png").write_bytes(b"\x89PNG")
    (outages / "vanhat").mkdir()
    (outages / "vanhat" / "2025-01-01-lupa.yml~").write_bytes(valid)
    _, report = records.load([outages], Settings(now=NOW))
    found = sorted((Path(d.path).name, d.code, d.line, d.column, d.severity) for d in report.sorted()
                   if d.code in ("K021", "K022"))
    assert found == [
        ("2025-01-01-lupa.yml~", "K022", 1, 1, "warning"), ("2026-12-24-lupa.YML", "K022", 1, 1, "warning"),
        ("2026-12-25-lupa.yml.txt", "K022", 1, 1, "warning"), ("2026-12-26-lupa", "K022", 1, 1, "warning"),
        ("2026-12-27-lupa.txt", "K022", 1, 1, "warning"), ("lupa.csv.txt", "K021", 1, 1, "warning")]
    assert not report.failed(strict=False) and report.failed(strict=True)


def test_a_control_character_in_a_file_name_stays_on_its_line_of_the_report(tmp_path: Path) -> None:
    """A name with a line break (git allows one) cannot start a line of its own in the text report,
    where a CI log would read '::error::…' as a command, nor move a terminal's cursor."""
    from katko.records import diagnostics

    outages = project(tmp_path)
    (outages / "2026-12-24-lupa.yml.txt\n::error::x\x1b[2J").write_bytes((FIXTURES / "valid.yml").read_bytes())
    _, report = records.load([outages], Settings(now=NOW))
    text = diagnostics.format_text([d for d in report.sorted() if d.code == "K022"])
    assert len(text.splitlines()) == 2 and "\x1b" not in text  # the problem's line and its hint
    assert "2026-12-24-lupa.yml.txt\\n::error::x\\x1b[2J:1:1:" in text
