"""Publishing: the site folder is complete at every step of the swap, and a build killed at any
step leaves nothing that the next build does not clean up."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from katko.site import publish

from ..conftest import KATKO_NOW, REPO_ROOT

PAGES = ("index.html", "fi/index.html", "fi/outages/x/index.html")


def make_site(folder: Path, version: str) -> Path:
    for page in PAGES:
        (folder / page).parent.mkdir(parents=True, exist_ok=True)
        (folder / page).write_text(version)
    return folder


def state(target: Path) -> str:
    """``old`` or ``new`` for a complete site, else what a web server would find."""
    versions = {(target / page).read_text() if (target / page).is_file() else None for page in PAGES}
    if versions == {None}:
        return "missing"
    return versions.pop() if len(versions) == 1 else "incomplete"


class Kill(BaseException):
    """Stands for the process being killed: nothing in the code under test catches it."""


def watch(monkeypatch: pytest.MonkeyPatch, target: Path, kill_after: int | None = None) -> list[str]:
    """The site's state after each file system step of the code under test; with
    ``kill_after``, the process "dies" right after that many steps."""
    seen: list[str] = []

    def step(original: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            seen.append(state(target))
            if kill_after is not None and len(seen) == kill_after:
                raise Kill
            return result
        return wrapped

    monkeypatch.setattr(Path, "rename", step(Path.rename))
    monkeypatch.setattr(Path, "unlink", step(Path.unlink))
    monkeypatch.setattr(shutil, "rmtree", step(shutil.rmtree))
    monkeypatch.setattr(publish, "_exchange", step(publish._exchange))
    return seen


@pytest.fixture
def sites(tmp_path: Path) -> tuple[Path, Path]:
    target = make_site(tmp_path / "site", "old")
    new = make_site(publish.prepare(target), "new")
    return new, target


def test_the_site_is_complete_after_every_step(sites: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    new, target = sites
    seen = watch(monkeypatch, target)
    publish.swap(new, target)
    assert seen[0] == "new" and set(seen) == {"new"}
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


def test_the_exchange_is_one_step_on_linux(sites: tuple[Path, Path]) -> None:
    new, target = sites
    assert publish._exchange(new, target)
    assert state(target) == "new" and state(new) == "old"


@pytest.mark.parametrize("steps", [1, 2])
def test_a_build_killed_during_the_swap_leaves_a_complete_site(sites: tuple[Path, Path], steps: int,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    new, target = sites
    seen = watch(monkeypatch, target, kill_after=steps)
    with pytest.raises(Kill):
        publish.swap(new, target)
    assert seen[-1] == "new"
    monkeypatch.undo()
    publish.prepare(target)
    assert state(target) == "new"
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


@pytest.mark.parametrize("steps", [1, 2, 3, 4])
def test_without_an_exchange_a_killed_swap_is_undone_by_the_next_build(sites: tuple[Path, Path], steps: int,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the system cannot exchange folders, the site is missing between two renames;
    the next build puts the old site back before it starts."""
    new, target = sites
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    seen = watch(monkeypatch, target, kill_after=steps)
    with pytest.raises(Kill):
        publish.swap(new, target)
    assert seen.count("missing") <= 1 and "incomplete" not in seen
    monkeypatch.undo()
    publish.prepare(target)
    assert state(target) in ("old", "new")
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


def test_a_real_kill_after_the_exchange(sites: tuple[Path, Path]) -> None:
    """SIGKILL right after the exchange, before the old site is removed."""
    new, target = sites
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from katko.site import publish
        publish._remove = lambda path: os.kill(os.getpid(), signal.SIGKILL)
        publish.swap(Path({str(new)!r}), Path({str(target)!r}))
    """)
    result = subprocess.run([sys.executable, "-c", script], env={**os.environ}, capture_output=True)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert state(target) == "new" and state(new) == "old"
    publish.prepare(target)
    assert sorted(p.name for p in target.parent.iterdir()) == ["site"]


def test_the_first_build_needs_no_exchange(tmp_path: Path) -> None:
    target = tmp_path / "site"
    publish.swap(make_site(publish.prepare(target), "new"), target)
    assert state(target) == "new"


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make_site(site, "old")
    make_site(tmp_path / "site.katko-staging", "half")
    (tmp_path / "site.katko-staging" / "fi" / "index.html").unlink()
    make_site(tmp_path / "site.katko-old", "older")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=REPO_ROOT,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"},
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (site / "fi" / "outages" / "2026-12-05-rakennuslupa-palvelinvaihto" / "index.html").is_file()


def test_a_build_killed_while_writing_leaves_the_old_site_and_the_next_build_cleans_up(tmp_path: Path) -> None:
    """SIGKILL to a real ``mkdocs build`` while it writes its pages: the served folder still
    holds the complete old site, and the next build removes the half-written one."""
    site = make_site(tmp_path / "site", "old")
    env = {**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]
    build = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = publish.staging(site)
    try:
        # Wait until the build has written some pages into its staging folder, then kill it.
        for _ in range(1200):
            if build.poll() is not None or (staging.is_dir() and any(staging.rglob("index.html"))):
                break
            time.sleep(0.05)
        assert build.poll() is None, "the build ended before it could be killed"
        build.send_signal(signal.SIGKILL)
    finally:
        build.wait(timeout=60)
    assert build.returncode == -signal.SIGKILL
    assert state(site) == "old"
    assert staging.is_dir()  # the killed build's leftovers, not served
    result = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (site / "fi" / "outages" / "2026-12-05-rakennuslupa-palvelinvaihto" / "index.html").is_file()
