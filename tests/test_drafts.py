"""katko new: a new record drafted from an earlier outage (issue 5, point 8)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from katko import records
from katko.cli import main
from katko.drafts import PLACEHOLDER
from katko.settings import Settings
from katko.times import parse_time

from .conftest import KATKO_NOW, REPO_ROOT

SERVICES = [s["id"] for s in yaml.safe_load((REPO_ROOT / "outages" / "services.yml").read_text())["services"]]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "outages"
    shutil.copytree(REPO_ROOT / "outages", target, ignore=shutil.ignore_patterns("usage"))
    return target


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=input, env={"KATKO_NOW": KATKO_NOW})
    return result.exit_code, result.output


def problems(folder: Path) -> list[tuple[str, str, int]]:
    _, report = records.load([folder], Settings(now=parse_time(KATKO_NOW)))
    return [(Path(d.path).name, d.code, d.line) for d in report.sorted()]


def set_times(path: Path, start: str, end: str, public_from: str) -> None:
    text = path.read_text(encoding="utf-8")
    for name, value in (("start", start), ("end", end), ("public_from", public_from)):
        text = re.sub(rf'^{name}: "{PLACEHOLDER}".*$', f'{name}: "{value}"', text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("service", SERVICES)
def test_new_record_passes_the_check_once_its_times_are_set(folder: Path, service: str) -> None:
    code, output = run("new", "--service", service, "--records", str(folder))
    assert code == 0, output
    written = folder / f"2026-12-01-{service}-katko.yml"
    assert f"Wrote {written}" in output
    # Until the times are set, exactly the three times are wrong, and marked TODO.
    times = (line_of(written, "start"), line_of(written, "end"), line_of(written, "public_from"))
    assert [(c, line) for name, c, line in problems(folder) if name == written.name] == [
        (code, i) for i in times for code in ("K108", "K240")]
    # Saturday 16.1.2027, 22.00–24.00, announced now: more than 20 working days ahead.
    set_times(written, "2027-01-16 22:00", "2027-01-17 00:00", "2026-12-01 13:00")
    assert [p for p in problems(folder) if p[0] == written.name] == []


def line_of(path: Path, field: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if line.startswith(f"{field}:"))


def test_texts_come_from_the_services_latest_planned_outage(folder: Path) -> None:
    run("new", "--service", "kirjasto", "--records", str(folder))
    new = yaml.safe_load((folder / "2026-12-01-kirjasto-katko.yml").read_text())
    latest = yaml.safe_load((folder / "2026-12-27-kirjasto-jarjestelmapaivitys.yml").read_text())
    for field in ("title", "summary", "details", "alternatives", "stakeholders", "impact"):
        assert new.get(field) == latest.get(field), field
    assert new["services"] == ["kirjasto"] and new["kind"] == "planned"
    # What belongs to the earlier outage alone is not copied.
    assert "updates" not in new and "status" not in new and "urgent" not in new
    assert set(new["internal"]) <= {"risks", "authority_impact", "contacts", "affected_users"}


def test_earlier_outages_evaluation_is_printed(folder: Path) -> None:
    code, output = run("new", "--service", "rakennuslupa", "--from", "2026-03-09-rakennuslupa-hairio",
                       "--start", "2027-01-16 22:00", "--end", "2027-01-17 01:00", "--records", str(folder))
    assert code == 0, output
    evaluation = yaml.safe_load((folder / "2026-03-09-rakennuslupa-hairio.yml").read_text())["internal"]["evaluation"]
    assert f"problems: {evaluation['problems']}" in output
    assert f"improvements: {evaluation['improvements']}" in output
    # Times given on the command line: the record is complete, and public from the next full hour.
    written = folder / "2027-01-16-rakennuslupa-katko.yml"
    assert yaml.safe_load(written.read_text())["public_from"] == "2026-12-01 13:00"
    assert [p for p in problems(folder) if p[0] == written.name] == []


def test_disruption_form_starts_now_and_asks_for_the_first_update(folder: Path) -> None:
    code, output = run("new", "--service", "asiointi", "--unplanned", "--records", str(folder))
    assert code == 0, output
    written = folder / "2026-12-01-asiointi-hairio.yml"
    record = yaml.safe_load(written.read_text())
    assert record["kind"] == "unplanned"
    assert record["start"] == record["public_from"] == record["updates"][0]["time"] == "2026-12-01 12:00"
    # The only thing left is what to tell people: the first update's text.
    text = line_of(written, "updates") + 3
    assert {(c, line) for name, c, line in problems(folder) if name == written.name} == {
        ("K202", text), ("K240", text + 1), ("K240", text + 2)}
    text = re.sub(r'fi: "".*', "fi: Selvitämme vikaa.", written.read_text())
    text = re.sub(r'sv: "".*', "sv: Vi utreder felet.", text)
    written.write_text(text)
    assert [p for p in problems(folder) if p[0] == written.name] == []


def test_interactive(folder: Path) -> None:
    code, output = run("new", "--records", str(folder),
                       input="maksut\nplanned\n\n2027-02-13 23:00\n2027-02-14 01:00\n")
    assert code == 0, output
    assert "Start from the earlier outage [2026-12-12-maksut-verkkopankkimaksut]" in output
    assert [p for p in problems(folder) if p[0] == "2027-02-13-maksut-katko.yml"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["--service", "nosuch"], "unknown service 'nosuch'"),
    (["--service", "maksut", "--from", "nosuch"], "no outage record with the id 'nosuch'"),
    (["--service", "maksut", "--start", "16.1.2027"], "write times as 2027-01-16 22:00"),
    (["--service", "maksut", "--start", "2027-01-16 22:00", "--end", "2027-01-16 21:00"], "the end must be later"),
])
def test_mistakes_are_explained(folder: Path, args: list[str], message: str) -> None:
    code, output = run("new", *args, "--records", str(folder))
    assert code == 2 and message in output and "Traceback" not in output


def test_never_overwrites(folder: Path) -> None:
    assert run("new", "--service", "maksut", "--records", str(folder))[0] == 0
    code, output = run("new", "--service", "maksut", "--records", str(folder))
    assert code == 2 and "exists already" in output
