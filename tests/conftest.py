"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from katko.records import loading
from katko.records.dataset import Dataset
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.site.render import Renderer
from . import stress
from .injection import Poisoned, poison

REPO_ROOT = Path(__file__).resolve().parent.parent

# Notices are shown or hidden by date, so the build pins "now" to keep the
# generated site identical from one run to the next.
KATKO_NOW = "2026-12-01T12:00:00+02:00"


def renderer_for(settings: Settings, outages: Path = REPO_ROOT / "outages", *,
                 dataset: Dataset | None = None) -> Renderer:
    """What the plugin renders with, without MkDocs: the records of ``outages`` (or a ``dataset``
    already loaded) at ``settings``, the example site's templates and catalogs. The records must
    load without a problem that stops a build."""
    if dataset is None:
        dataset, report = loading.load([outages], settings)
        assert not report.blocking, report.sorted()
    return Renderer(Site(dataset, settings), REPO_ROOT / "overrides" / "katko", REPO_ROOT / "locales")


def _build(site: Path, *args: str, project: Path = REPO_ROOT) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args, "-d", str(site)],
        cwd=project,
        # NO_MKDOCS_2_WARNING: mute mkdocs-material's end-of-life banner, which
        # would otherwise bury the real build errors in the failure report.
        env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict {' '.join(args)} failed:\n{result.stdout}{result.stderr}", pytrace=False)
    return site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the example site once per session (strict) and return its directory."""
    return _build(tmp_path_factory.mktemp("build") / "site")


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the internal staff site (mkdocs.internal.yml, strict) once per session; return its directory."""
    return _build(tmp_path_factory.mktemp("build-internal") / "site-internal", "-f", "mkdocs.internal.yml")


@pytest.fixture(scope="session")
def poisoned(tmp_path_factory: pytest.TempPathFactory) -> Poisoned:
    """A copy of the project whose records and services.yml carry an injection payload in every
    text field, in every language (tests/injection.py)."""
    project = site_project(tmp_path_factory.mktemp("poisoned") / "project")
    return poison(REPO_ROOT / "outages", project / "outages")


def site_project(project: Path) -> Path:
    """A new folder ``project`` with the example site's configurations, templates, catalogs and
    docs, but no records: a test writes its own ``outages/``."""
    project.mkdir()
    for name in ("mkdocs.yml", "mkdocs.internal.yml"):
        shutil.copy(REPO_ROOT / name, project / name)
    for name in ("overrides", "locales", "docs"):
        shutil.copytree(REPO_ROOT / name, project / name)
    return project


@pytest.fixture(scope="session")
def poisoned_site(poisoned: Poisoned) -> Path:
    """The poisoned project's public site, built once per session (strict)."""
    return _build(poisoned.folder.parent / "site", project=poisoned.folder.parent)


@pytest.fixture(scope="session")
def poisoned_internal_site(poisoned: Poisoned) -> Path:
    """The poisoned project's internal staff site."""
    return _build(poisoned.folder.parent / "site-internal", "-f", "mkdocs.internal.yml",
                  project=poisoned.folder.parent)


@pytest.fixture(scope="session")
def stress_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project whose records and services.yml hold extreme but valid content
    (tests/stress.py)."""
    project = site_project(tmp_path_factory.mktemp("stress") / "project")
    stress.write(project / "outages", REPO_ROOT / "outages")
    return project


@pytest.fixture(scope="session")
def stress_site(stress_project: Path) -> Path:
    """The stress project's public site, built once per session (strict)."""
    return _build(stress_project.parent / "site", project=stress_project)


@pytest.fixture(scope="session")
def stress_internal_site(stress_project: Path) -> Path:
    """The stress project's internal staff site."""
    return _build(stress_project.parent / "site-internal", "-f", "mkdocs.internal.yml", project=stress_project)
