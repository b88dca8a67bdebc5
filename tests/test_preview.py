"""The preview of `mkdocs serve` re-renders only what a save changed, and its site is the build's.

Each rebuild runs in this process through the calls MkDocs' serve command makes
(the plugins' ``on_startup`` with command "serve", then a fresh config and
``build`` after every save), so the plugin keeps what it wrote from one rebuild
to the next (:mod:`katko.site.incremental`). After each save the preview's files
are compared, byte for byte, with a clean build of the saved project.
"""

from __future__ import annotations

import filecmp
import time
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from katko.plugin import KatkoPlugin

from .conftest import KATKO_NOW, REPO_ROOT, _build

SERVE_URL = "http://127.0.0.1:8000/"
EDITED = "2026-12-05-rakennuslupa-palvelinvaihto.yml"  # upcoming: home, service, feeds, API, banner
REMOVED = "2026-11-30-kirjasto-varaukset.yml"  # public: its pages go, lists and feeds change


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("overrides", "locales", "docs", "outages"):
        shutil.copytree(REPO_ROOT / name, folder / name)
    if (REPO_ROOT / "notify.yml").is_file():
        shutil.copy(REPO_ROOT / "notify.yml", folder / "notify.yml")
    monkeypatch.setenv("KATKO_NOW", KATKO_NOW)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(folder)
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    return folder


class Serve:
    """MkDocs' serve command without the web server: one site folder, rebuilt after each save."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        self.plugin: KatkoPlugin | None = None

    def rebuild(self) -> tuple[int, int]:
        """Rebuild as serve does; return how many pages and files were kept and rendered."""
        config = load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))
        if self.plugin is None:
            config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["katko"]
        config.site_url = SERVE_URL
        build(config, serve_url=SERVE_URL)
        return self.plugin.memo.last if self.plugin.memo else (0, 0)

    def stop(self) -> None:
        load_config(str(self.project / "mkdocs.yml")).plugins.on_shutdown()


def clean_build(project: Path, site: Path) -> Path:
    """A full `mkdocs build` of the project as it is now, in a process of its own, addressed
    as the preview is (serve sets site_url to its own address)."""
    (project / "clean.yml").write_text(f"INHERIT: mkdocs.yml\nsite_url: {SERVE_URL}\n", encoding="utf-8")
    try:
        return _build(site, "-f", "clean.yml", project=project)
    finally:
        (project / "clean.yml").unlink()


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def assert_same(preview: Path, clean: Path) -> None:
    assert files(preview) == files(clean)
    names = sorted(files(clean))
    _, mismatch, errors = filecmp.cmpfiles(clean, preview, names, shallow=False)
    assert not mismatch and not errors, mismatch[:10] + errors[:10]


@pytest.fixture
def serve(project: Path, tmp_path: Path) -> Iterator[Serve]:
    server = Serve(project, tmp_path / "preview")
    yield server
    server.stop()


def test_a_save_re_renders_only_what_shows_the_record_and_the_preview_equals_a_clean_build(
        project: Path, serve: Serve, tmp_path: Path) -> None:
    kept, made = serve.rebuild()
    assert kept == 0 and made > 100  # the first build renders everything
    assert_same(serve.site, clean_build(project, tmp_path / "clean-0"))

    kept, made = serve.rebuild()  # a rebuild with nothing saved renders nothing
    assert made == 0 and kept > 100

    record = project / "outages" / EDITED
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("fi: Rakennuslupapalvelu", "fi: Muutettu tiedote – Rakennuslupapalvelu", 1), encoding="utf-8")
    kept, made = serve.rebuild()
    # The notice in three languages, the home and service pages, the feeds and
    # calendars of the site and of its service, the API and the banner's data:
    # a few dozen, not every page.
    assert 0 < made < kept / 3, (kept, made)
    assert_same(serve.site, clean_build(project, tmp_path / "clean-1"))

    removed = (project / "outages" / REMOVED).read_bytes()
    (project / "outages" / REMOVED).unlink()
    kept, made = serve.rebuild()
    assert 0 < made < kept / 3, (kept, made)
    assert_same(serve.site, clean_build(project, tmp_path / "clean-2"))

    (project / "outages" / REMOVED).write_bytes(removed)
    record.write_text(text, encoding="utf-8")
    serve.rebuild()
    assert_same(serve.site, clean_build(project, tmp_path / "clean-3"))


def test_a_rebuild_writes_only_the_files_it_rendered_anew(project: Path, serve: Serve) -> None:
    serve.rebuild()
    page = serve.site / "fi" / "outages" / Path(REMOVED).stem / "index.html"
    home, search = serve.site / "fi" / "index.html", serve.site / "search" / "search_index.json"
    written = {path: path.stat().st_mtime_ns for path in (page, home, search)}
    time.sleep(0.05)
    record = project / "outages" / EDITED
    record.write_text(record.read_text(encoding="utf-8").replace(
        "fi: Rakennuslupapalvelu", "fi: Muutettu tiedote – Rakennuslupapalvelu", 1), encoding="utf-8")
    serve.rebuild()
    assert page.stat().st_mtime_ns == written[page]  # another notice's page: kept, not written again
    assert home.stat().st_mtime_ns != written[home]  # the home page shows the edited notice
    assert search.stat().st_mtime_ns != written[search]
    assert not list(serve.site.parent.glob("*.katko-staging"))


def test_a_save_that_fails_leaves_the_preview_as_it_was_and_the_next_save_recovers(
        project: Path, serve: Serve, tmp_path: Path) -> None:
    serve.rebuild()
    record = project / "outages" / EDITED
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("fi: Rakennuslupapalvelu", "fi: [Rakennuslupapalvelu", 1), encoding="utf-8")
    with pytest.raises(Abort):
        serve.rebuild()
    record.write_text(text, encoding="utf-8")
    assert_same(serve.site, clean_build(project, tmp_path / "clean-0"))
    record.write_text(text.replace("fi: Rakennuslupapalvelu", "fi: Muutettu tiedote – Rakennuslupapalvelu", 1),
                      encoding="utf-8")
    kept, made = serve.rebuild()
    assert 0 < made < kept / 3, (kept, made)
    assert_same(serve.site, clean_build(project, tmp_path / "clean-1"))


def test_what_a_failed_rebuild_rendered_is_not_kept() -> None:
    from katko.site.incremental import Memo

    memo = Memo()
    assert memo.get("a", "1") is None
    memo.put("a", "1", "first")
    memo.finish()
    assert memo.get("a", "1") == "first" and memo.get("a", "2") is None and memo.get("b", "1") is None
    memo.put("a", "2", "second")  # rendered by a rebuild that then fails: it never reached the site
    memo.put("b", "1", "new")
    memo.abandon()
    assert memo.get("a", "2") is None and memo.get("b", "1") is None
    assert memo.get("a", "1") == "first"


def test_a_change_to_the_templates_or_the_catalogs_re_renders_every_page(project: Path, serve: Serve,
                                                                         tmp_path: Path) -> None:
    serve.rebuild()
    catalog = project / "locales" / "fi" / "LC_MESSAGES" / "katko.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(
        'msgstr "Peruttu"', 'msgstr "Peruttu (muutettu)"', 1), encoding="utf-8")
    kept, made = serve.rebuild()
    assert kept == 0 and made > 100
    assert_same(serve.site, clean_build(project, tmp_path / "clean"))


def test_a_build_keeps_nothing_between_builds(project: Path, tmp_path: Path) -> None:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    assert config.plugins["katko"].memo is None and config.plugins["katko"].reuse is None


def test_relative_links_are_what_posixpath_relpath_gives() -> None:
    """addresses.relative() walks the two addresses itself instead of calling posixpath.relpath
    (27,000 calls in a build of 1,000 records); the links must stay the same."""
    import itertools
    import posixpath

    from katko.site.addresses import relative

    def by_relpath(target: str, here: str, index: str) -> str:
        if target == here:
            return "./" + index
        link = posixpath.relpath(target or ".", here or ".")
        link = link + "/" if not link.endswith("/") and not posixpath.splitext(link)[1] else link
        return link + index if link.endswith("/") else link

    parts = ["fi", "sv", "outages", "x", "services", "lupa", "archive", "feed.rss", "api", "v1"]
    heres = [""] + ["/".join(p) + "/" for n in (1, 2) for p in itertools.product(parts[:6], repeat=n)]
    targets = [""] + [folder + name for folder in heres for name in ("", "feed.rss", "x/", "a.json")]
    for target, here, index in itertools.product(targets, heres, ("", "index.html")):
        assert relative(target, here, index) == by_relpath(target, here, index), (target, here, index)


def test_without_katko_now_the_preview_clock_stands_still_while_nothing_could_change(
        project: Path, serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KATKO_NOW")
    serve.rebuild()
    first = (serve.site / "fi" / "index.html").read_bytes()
    time.sleep(1.5)  # the real clock has moved; no record's moment has passed in between
    kept, made = serve.rebuild()
    assert made == 0 and kept > 100
    assert (serve.site / "fi" / "index.html").read_bytes() == first


def test_the_clock_moves_at_a_records_moments_and_their_windows() -> None:
    from datetime import timedelta

    from katko.records import loading as records
    from katko.site.incremental import clock_moves
    from katko.records.settings import Settings
    from katko.core.times import parse_time

    settings = Settings(now=parse_time(KATKO_NOW))
    dataset, _ = records.load([REPO_ROOT / "outages"], settings)
    start = next(r for r in dataset.records if r.path.endswith(EDITED)).outage.start
    minute = timedelta(minutes=1)
    assert clock_moves(dataset, settings, start - minute, start)
    assert clock_moves(dataset, settings, start + settings.feed_window - minute, start + settings.feed_window)
    moments = {t + w for r in dataset.records
               for t in (r.outage.public_from, r.outage.start, r.outage.end, *(u.time for u in r.outage.updates),
                         *(u.end for u in r.outage.updates)) if t is not None
               for w in (timedelta(0), settings.recent, settings.feed_window, settings.search_window)}
    quiet = next(m for m in sorted(moments) if m - minute not in moments and m - 2 * minute > min(moments))
    assert not clock_moves(dataset, settings, quiet - 2 * minute, quiet - minute)


def test_the_garbage_is_collected_while_the_preview_is_idle_not_during_a_rebuild(
        project: Path, serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a rebuild the plugin waits for the preview to be idle to collect the garbage and freeze
    what is alive (katko.plugin.collect_and_freeze); a save that comes first cancels the wait."""
    import gc

    import katko.plugin

    monkeypatch.setattr(katko.plugin, "_COLLECT_WHEN_IDLE", 2.0)
    gc.unfreeze()
    serve.rebuild()
    plugin = serve.plugin
    waiting = plugin._collector
    assert waiting is not None and waiting.is_alive() and gc.get_freeze_count() == 0
    serve.rebuild()  # a save within the wait: that collection never runs
    assert waiting.finished.is_set() and not waiting.is_alive() and plugin._collector is not waiting
    plugin._collector.join(20)
    assert gc.get_freeze_count() > 10_000  # the idle collection ran and froze what the preview keeps
    serve.rebuild()
    assert plugin._collector.is_alive()
    plugin.on_shutdown()
    assert gc.get_freeze_count() == 0 and not plugin._collector
