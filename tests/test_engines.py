"""Katko builds unchanged on ProperDocs, the maintained fork of MkDocs 1.x.

MkDocs 1.6.1 is the last 1.x release; if it has to be replaced, ProperDocs
loads the same plugins and themes. This builds the example site with
``properdocs`` and compares every file with the MkDocs build: the only
difference allowed is the generator ``<meta>`` tag that names the engine.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import KATKO_NOW, REPO_ROOT

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("properdocs") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml", "-d", str(site)],
        cwd=REPO_ROOT,
        env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def _files(root: Path) -> dict[str, Path]:
    return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}


def test_properdocs_builds_the_same_site_as_mkdocs(built_site: Path, properdocs_site: Path) -> None:
    ours, theirs = _files(built_site), _files(properdocs_site)
    assert sorted(ours) == sorted(theirs)
    generators = set()
    for name, path in ours.items():
        a, b = path.read_bytes(), theirs[name].read_bytes()
        if a == b:
            continue
        generators.update(GENERATOR.findall(b))
        assert GENERATOR.sub(b"", a) == GENERATOR.sub(b"", b), f"{name} differs beyond the generator tag"
    # The comparison compared something: the engines do name themselves differently.
    assert any(b"ProperDocs" in g for g in generators), generators
