"""The renderer on its own, without MkDocs: titles, content, the page frame's data and what
outputs read of it (:class:`katko.outputs.base.Context`). Whole pages in a built site are
tested in test_site.py, in a browser in tests/browser/."""

from __future__ import annotations

from typing import get_type_hints

import pytest

from katko.config import now_from_environment
from katko.outputs.base import Context
from katko.records.settings import Settings
from katko.site.addresses import feed_path, relative
from katko.site.embedding import banner_file, integrity
from katko.site.pages import Page
from katko.site.render import Renderer
from ..conftest import KATKO_NOW, renderer_for

SITE_URL = "https://katkot.example.org/"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return renderer_for(Settings(site_url=SITE_URL, now=now_from_environment({"KATKO_NOW": KATKO_NOW})))


def pages(renderer: Renderer, kind: str) -> list[Page]:
    found = [page for page in renderer.site.pages() if page.kind == kind]
    assert found, kind
    return found


def test_every_page_renders_with_a_title_in_its_own_language(renderer: Renderer) -> None:
    for page in renderer.site.pages():
        title, html = renderer.title(page), renderer.content(page)
        assert title and html.strip(), page.path
    homes = {page.lang: renderer.title(page) for page in pages(renderer, "home")}
    assert len(set(homes.values())) == len(homes) == 3  # each language its own words


def test_a_notice_page_is_titled_by_its_record(renderer: Renderer) -> None:
    for page in pages(renderer, "outage"):
        notice = page.data["notice"]
        assert renderer.title(page) == notice.outage.title.pick(page.lang, renderer.languages)[0]


def test_the_frame_points_to_the_same_page_in_every_language(renderer: Renderer) -> None:
    page = pages(renderer, "outage")[0]
    chrome = renderer.chrome(page)
    assert [a["lang"] for a in chrome["alternates"]] == list(renderer.languages)
    assert {a["link"] for a in chrome["alternates"]} == {f"{lang}/{page.key}" for lang in renderer.languages}
    assert chrome["skip"]["href"] == "#katko-main"
    home = next(p for p in pages(renderer, "home") if p.lang == page.lang)
    assert renderer.chrome(home)["skip"]["href"] == "#ongoing"
    assert [current for _, _, current in renderer.chrome(home)["nav"]].count(True) == 1


def test_feed_links_lead_from_the_page_to_its_own_feeds(renderer: Renderer) -> None:
    service_page = pages(renderer, "service")[0]
    service = service_page.data["service"]
    links = renderer.feed_links(service_page)
    assert [link["href"] for link in links] == [relative(feed_path(kind, service_page.lang, service), service_page.path)
                                                for kind in ("rss", "atom", "ics")]
    assert renderer.feed_links(pages(renderer, "archive")[0]) == []


def test_the_embed_page_offers_the_banner_the_theme_publishes(renderer: Renderer) -> None:
    html = renderer.content(pages(renderer, "embed")[0])
    assert integrity(banner_file(renderer.templates).read_bytes()) in html
    assert f'src="{SITE_URL}embed/banner-v3.js"' in html.replace("&#34;", '"').replace("&quot;", '"')


def test_the_renderer_gives_outputs_what_their_context_names(renderer: Renderer) -> None:
    names = set(get_type_hints(Context)) | {name for name in vars(Context) if not name.startswith("_")}
    missing = [name for name in names if not hasattr(renderer, name)]
    assert missing == []
    assert renderer.absolute("fi/") == SITE_URL + "fi/"
