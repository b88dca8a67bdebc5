"""The stress records (tests/stress.py) are what an editor could publish: ``katko check --strict``
accepts them, and they are as extreme as they claim to be. The browser audits of the site built
from them are in tests/browser/test_stress.py."""

from __future__ import annotations

from pathlib import Path

from . import stress
from .conftest import REPO_ROOT
from .test_cli import run


def test_katko_check_accepts_the_stress_records(tmp_path: Path) -> None:
    folder = stress.write(tmp_path / "outages", REPO_ROOT / "outages")
    code, output = run("--strict", "--lang", "en", str(folder))
    assert code == 0, output
    assert f"{len(stress.records())} outage records checked: 0 errors, 0 warnings" in output


def test_the_records_are_as_extreme_as_they_say() -> None:
    records = stress.records()
    assert all(len(stress.WORD[lang]) >= 70 and " " not in stress.WORD[lang] for lang in stress.LANGS)
    assert max(len(r["title"]["fi"]) for r in records.values()) == stress.MAX_TEXT
    assert sum(stress.CROWDED in r["services"] for r in records.values()) == stress.NOTICES + 1
    assert max(len(r.get("updates", [])) for r in records.values()) == stress.UPDATES >= 20
    assert max(len(r["services"]) for r in records.values()) == 1 + len(stress.OTHERS)
