"""`katko check --since REF`: a published outage's changed times must be announced."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from katko.cli import main

from ..conftest import KATKO_NOW, REPO_ROOT

RECORD = "2026-12-05-rakennuslupa-palvelinvaihto.yml"
UPDATE = '''updates:
  - time: "2026-11-30 10:00"
    text:
      fi: Katko jatkuu klo 5.00 asti.
      sv: Avbrottet fortsätter till kl. 5.00.
'''


def git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Katko", "-c", "user.email=katko@example.org", *args],
                   cwd=folder, check=True, capture_output=True)


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO_ROOT / "outages", tmp_path / "outages")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "outages")
    git(tmp_path, "commit", "-q", "-m", "records")
    return tmp_path


def check(repo: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--since", "main", *args, str(repo / "outages")],
                                env={"KATKO_NOW": KATKO_NOW})
    return result.exit_code, result.output


def extend(repo: Path, announce: bool) -> Path:
    record = repo / "outages" / RECORD
    text = record.read_text().replace('end: "2026-12-06 04:00"', 'end: "2026-12-06 05:00"')
    if announce:
        text = text.replace("\ninternal:", "\n" + UPDATE + "internal:")
    record.write_text(text)
    return record


def test_unchanged_records_pass(repo: Path) -> None:
    code, output = check(repo)
    records = len(list((repo / "outages").glob("2*.yml")))
    # Notes (expected users, from the example usage profiles) are information, not problems.
    assert (code, [line for line in output.splitlines() if ": note: " not in line]) == \
        (0, [f"{records} outage records checked: 0 errors, 0 warnings"])


def test_silent_change_of_times_is_an_error(repo: Path) -> None:
    record = extend(repo, announce=False)
    code, output = check(repo)
    line = next(i for i, text in enumerate(record.read_text().splitlines(), 1) if text.startswith("end:"))
    assert code == 1
    assert f"{RECORD}:{line}:6: error K209: end changed since main, but no new update announces it" in output


def test_announced_change_passes(repo: Path) -> None:
    extend(repo, announce=True)
    code, output = check(repo)
    assert code == 0, output


def test_changes_before_publication_need_no_announcement(repo: Path) -> None:
    record = repo / "outages" / "2026-12-27-kirjasto-jarjestelmapaivitys.yml"  # public from 9.12.
    text = record.read_text()
    start = next(line for line in text.splitlines() if line.startswith("start:"))
    record.write_text(text.replace(start, 'start: "2026-12-27 20:00"'))
    assert check(repo)[0] == 0


def test_unknown_ref_is_a_usage_error(repo: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--since", "no-such-branch", str(repo / "outages")])
    assert result.exit_code == 2 and "is not a commit" in result.output
