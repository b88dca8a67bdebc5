"""The pull-request preview, unzipped and opened from the disk (file://), browses like the site.

The workflow builds it with --no-directory-urls: every link must lead to a page, not to a
folder, which a browser shows as a listing of its files.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from ..conftest import _build


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("preview") / "site", "--no-directory-urls")


def links(page: Page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")


@pytest.mark.browser
def test_every_link_of_the_preview_leads_to_a_page(page: Page, preview: Path) -> None:
    seen: set[str] = set()
    queue = [(preview / "index.html").as_uri()]
    folders = set()
    while queue and len(seen) < 60:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        page.goto(url)
        assert page.locator("header.md-header").count() == 1, f"{url} is not one of the site's pages"
        for link in links(page):
            parts = urlsplit(link)
            if parts.scheme != "file":
                continue
            if Path(parts.path).is_dir():
                folders.add(parts.path)  # file:// shows a folder as a list of its files
            elif parts.path.endswith(".html"):
                queue.append(link.split("#")[0])
    assert folders == set(), f"links to folders, not pages: {sorted(folders)[:5]}"
    visited = {Path(urlsplit(u).path).relative_to(preview).as_posix() for u in seen}
    assert {"index.html", "fi/index.html", "sv/index.html", "en/index.html"} <= visited
    assert any(v.startswith("fi/outages/") for v in visited) and any(v.startswith("sv/services/") for v in visited)
