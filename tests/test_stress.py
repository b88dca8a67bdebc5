"""The stress records (tests/stress.py) are what an editor could publish: ``katko check --strict``
accepts them, and they are as extreme as they claim to be; the headings in their Markdown keep
each page's outline. The browser audits of the site built from them are in
tests/browser/test_stress.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


_HEADING = re.compile(r"<h([1-6])[\s>]")


@pytest.mark.parametrize(("site", "path"), [(site, path) for site, _, path in stress.PAGES if not
                                            path.startswith(stress.IFRAME)])
def test_headings_from_records_stay_inside_their_section(stress_site: Path, stress_internal_site: Path,
                                                         site: str, path: str) -> None:
    """Records' Markdown holds headings from # to ####: on every page they are sub-headings of the
    section they are shown in, so that a screen reader's list of headings keeps the page's outline
    (WCAG 1.3.1): one h1, and no step down of more than one level. (The iframe page, a part of
    another page, has no h1 of its own.)"""
    html = stress.page_file(stress_site if site == "public" else stress_internal_site, path).read_text(encoding="utf-8")
    levels = [int(level) for level in _HEADING.findall(html)]
    assert levels.count(1) == 1, levels
    assert [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1] == []
