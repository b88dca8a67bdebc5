"""`mkdocs serve` rebuilds when the records, the catalogs, the templates (or notify.yml) change.

MkDocs itself watches docs_dir and mkdocs.yml (the theme only with --watch-theme);
Katko's pages come from outages/, locales/ and the theme's custom_dir, overrides/.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import load_config

from .conftest import REPO_ROOT


class Server:
    """The part of MkDocs' LiveReloadServer that a plugin's on_serve uses."""

    def __init__(self) -> None:
        self.watched: list[Path] = []

    def watch(self, path: str) -> None:
        self.watched.append(Path(path).resolve())


def test_serve_watches_records_catalogs_and_overrides() -> None:
    config = load_config(str(REPO_ROOT / "mkdocs.yml"))
    server = Server()
    config.plugins["katko"].on_serve(server, config=config, builder=None)
    notify = {REPO_ROOT / "notify.yml"} if (REPO_ROOT / "notify.yml").is_file() else set()
    assert set(server.watched) == {REPO_ROOT / "outages", REPO_ROOT / "locales", REPO_ROOT / "overrides", *notify}
