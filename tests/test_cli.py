"""`katko check` as communications staff and CI use it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from katko.cli import main

from .conftest import KATKO_NOW, REPO_ROOT


@pytest.fixture()
def outages(tmp_path: Path) -> Path:
    target = tmp_path / "outages"
    shutil.copytree(REPO_ROOT / "outages", target)
    return target


def run(*args: str) -> tuple[int, str]:
    # The example records are written as of KATKO_NOW: their updates are past then.
    result = CliRunner().invoke(main, ["check", *args], env={"KATKO_NOW": KATKO_NOW})
    return result.exit_code, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_examples_pass() -> None:
    code, output = run(str(REPO_ROOT / "outages"))
    assert code == 0, output
    # Katko's example site speaks Finnish first (mkdocs.yml), and so does katko check there.
    assert "0 virhettä, 0 varoitusta" in output


def test_python_m_katko_is_the_katko_command(outages: Path) -> None:
    edit(next(outages.glob("*.yml")), "kind:", "kind: [unknown]\nold_kind:")
    env = {**os.environ, "KATKO_NOW": KATKO_NOW, "PYTHONPATH": str(REPO_ROOT / "plugins")}
    done = subprocess.run([sys.executable, "-m", "katko", "check", "--lang", "en", str(outages)],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"\.yml:\d+:\d+: error K\d+", done.stdout), done.stdout


def test_three_broken_records_three_errors(outages: Path) -> None:
    first = outages / "2026-12-05-rakennuslupa-palvelinvaihto.yml"
    second = outages / "2026-12-12-maksut-verkkopankkimaksut.yml"
    third = outages / "2026-12-20-tunnistus-vaihto.yml"
    # 1: the end before the start
    end_line = line_of(first, "end:")
    edit(first, first.read_text().splitlines()[end_line - 1], "end: 2026-12-05 21:00")
    # 2: no Swedish title
    text = second.read_text().splitlines()
    title = line_of(second, "title:")
    sv = next(i for i in range(title, len(text)) if text[i].strip().startswith("sv:"))
    second.write_text("\n".join(text[:sv] + text[sv + 1:]) + "\n")
    # 3: a duplicate key
    edit(third, "kind: planned", "kind: planned\nkind: planned")

    code, output = run(str(outages))
    assert code == 1
    errors = [line for line in output.splitlines() if ": error " in line]
    assert len(errors) == 3, output
    expected = [
        (first, end_line, "K201"),
        (second, title, "K202"),
        (third, line_of(third, "kind: planned") + 1, "K005"),
    ]
    for (path, line, code_), error in zip(sorted(expected, key=lambda e: e[0].name), errors):
        assert re.match(rf".*{re.escape(path.name)}:{line}:\d+: error {code_}: ", error), error
    # Each error is followed by a plain-language hint.
    lines = output.splitlines()
    assert all(lines[lines.index(e) + 1].startswith("  hint: ") for e in errors)


def test_github_annotations(outages: Path) -> None:
    edit(outages / "2026-12-05-rakennuslupa-palvelinvaihto.yml", "kind: planned", "kind: plannned")
    code, output = run("--format", "github", str(outages))
    assert code == 1
    assert re.match(r"::error file=.*2026-12-05-rakennuslupa-palvelinvaihto\.yml,line=\d+,col=\d+,title=K104::", output)


def test_warnings_fail_only_with_strict(outages: Path) -> None:
    record = outages / "2026-12-01-asiointi-liitteet-hairio.yml"
    first_update = record.read_text().split("updates:", 1)[1]
    old_time = next(line for line in first_update.splitlines() if "time:" in line)
    edit(record, old_time, old_time.split("time:")[0] + "time: 2099-01-01 10:00")
    code, output = run(str(outages))
    assert code == 0 and "warning K207" in output and "1 warning" in output
    code, output = run("--strict", str(outages))
    assert code == 1 and "warning K207" in output


def test_english_can_be_required(outages: Path) -> None:
    code, output = run("--require", "fi,sv,en", str(outages))
    assert code == 1 and "has no English (en) text" in output


def test_not_yaml_and_empty_files_are_errors_not_tracebacks(outages: Path) -> None:
    (outages / "notes.yml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (outages / "empty.yml").write_text("")
    code, output = run(str(outages))
    assert code == 1
    assert "Traceback" not in output
    assert re.search(r"notes\.yml:1:\d+: error K00[14]", output)
    assert "empty.yml:1:1: error K002" in output


def test_single_file_is_checked_against_its_folders_catalogue(outages: Path) -> None:
    code, output = run(str(outages / "2026-12-05-rakennuslupa-palvelinvaihto.yml"))
    assert code == 0, output
    assert "1 outage record checked" in output


def test_missing_path_is_a_usage_error() -> None:
    code, output = run("no/such/folder")
    assert code == 2 and "no such file or folder" in output


def test_check_reads_the_sites_settings_from_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A site that requires English: the check fails on a record without English, as the build does.
    project = tmp_path / "site"
    shutil.copytree(REPO_ROOT / "outages", project / "outages")
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "required_languages: [fi, sv]\n" in config
    (project / "mkdocs.yml").write_text(config.replace("required_languages: [fi, sv]\n",
                                                       "required_languages: [fi, sv, en]\n"), encoding="utf-8")
    monkeypatch.chdir(project)
    code, output = run("--lang", "en")
    assert code == 1, output
    # The library's notice has no English details (on purpose, for the fallback note).
    assert "outages/2025-10-25-kirjasto-palvelinsiirto.yml:33:1: error K202: details has no English (en) text" in output
    # Given on the command line, the languages are those; and the default folder is mkdocs.yml's.
    assert run("--require", "fi,sv")[0] == 0
    (project / "mkdocs.yml").write_text(config.replace("records: outages", "records: notices"), encoding="utf-8")
    (project / "outages").rename(project / "notices")
    code, output = run()
    assert code == 0 and "Tarkistettiin 16 katkotiedotetta" in output, output


def test_check_names_a_broken_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - katko:\n      required_languages: [fi, de]\n")
    monkeypatch.chdir(tmp_path)
    code, output = run("outages")
    assert code == 1 and "Traceback" not in output, output
    assert re.search(r"mkdocs\.yml:3:\d+: error K407: the katko option 'required_languages' must be a list of the "
                     r"languages fi, sv, en, each at most once, not \['fi', 'de'\]", output), output
    code, output = run("-f", str(tmp_path / "nosuch.yml"))
    assert code == 2 and "no such file" in output


def test_the_plugin_and_the_check_know_the_same_options_and_defaults() -> None:
    from katko.plugin import KatkoConfig
    from katko.config import OPTIONS

    schema = dict(KatkoConfig._schema)
    assert set(schema) == set(OPTIONS)
    assert {name: option.default for name, option in schema.items()} == OPTIONS


# --------------------------------------------------------------------------- #
# The other commands on a user's mistake: a message and an exit status, no traceback
# --------------------------------------------------------------------------- #


def _usage(*args: str) -> Any:
    return CliRunner().invoke(main, ["usage", *args, "--records", str(REPO_ROOT / "outages")],
                              env={"KATKO_NOW": KATKO_NOW})


def test_a_chart_into_a_folder_that_does_not_exist_is_told(tmp_path: Path) -> None:
    result = _usage("chart", "--service", "rakennuslupa", "--out", str(tmp_path / "no" / "such" / "w.svg"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "w.svg: No such file or directory" in result.output


@pytest.mark.parametrize("first, last, said", [("2000-01-01", "2100-12-31", "more than 366 days apart"),
                                                ("0001-01-01", "0001-01-02", "from 2000 to 2100"),
                                                ("9999-12-31", "9999-12-31", "from 2000 to 2100")])
def test_usage_suggest_searches_a_bounded_span(first: str, last: str, said: str) -> None:
    """A century of hours hung for minutes, and the years 1 and 9999 overflowed the calendar."""
    result = _usage("suggest", "--service", "rakennuslupa", "--duration", "2h", "--between", first, last)
    assert result.exit_code == 2 and said in result.output, result.output


def test_usage_ingest_of_json_nested_too_deep_is_told(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = CliRunner().invoke(main, ["usage", "ingest", "--service", "x", "--format", "matomo",
                                       "--out", str(tmp_path), str(tmp_path / "deep.json")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "deep.json: not JSON" in result.output
