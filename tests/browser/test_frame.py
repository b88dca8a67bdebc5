"""The page frame around Katko's content in headless Chromium, as a keyboard user meets it: the
skip link, the menu button and the side menu at phone widths, the search dialog (and its index,
loaded only when the search is opened), the authority's identity, and a first visit that asks
for nothing the site does not have."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from katko.site import planning
from katko.records import loading as records
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.core.times import parse_time

from ..conftest import KATKO_NOW
from . import audit
from .conftest import Watch

REPO = Path(__file__).resolve().parents[2]
NAMES = {"fi": ("Valikko", "Sulje valikko", "Haku"), "sv": ("Meny", "Stäng menyn", "Sök"),
         "en": ("Menu", "Close menu", "Search")}
SERVICES = yaml.safe_load((REPO / "outages" / "services.yml").read_text(encoding="utf-8"))
AUTHORITY = SERVICES["authority"]["name"]
PHONE = {"width": 320, "height": 640}


def _one_page_per_kind(internal: bool = False) -> list[tuple[str, str, str]]:
    """(language, kind, path) of the first page of each kind in each language, from Katko's core."""
    settings = Settings(now=parse_time(KATKO_NOW))
    dataset, report = records.load([REPO / "outages"], settings)
    site = Site(dataset, settings, planning.plan(dataset, settings, report) if internal else None)
    seen: dict[tuple[str, str], str] = {}
    for page in site.pages():
        if page.kind != "root":
            seen.setdefault((page.lang, page.kind), "/" + page.path)
    return [(lang, kind, path) for (lang, kind), path in seen.items()]


PAGES = _one_page_per_kind()
INTERNAL_PAGES = _one_page_per_kind(internal=True)


def _focused(page: Page) -> dict:
    """Where the focus is: the element's description, whether it lies inside a selector's
    elements, and whether it is shown."""
    return page.evaluate("""() => {
        const e = document.activeElement, box = e.getBoundingClientRect();
        return {tag: e.tagName, text: (e.textContent || "").trim().slice(0, 60), id: e.id,
                className: String(e.className), href: e.getAttribute("href"),
                inDrawer: !!e.closest("#katko-drawer"), inSearch: !!e.closest("#katko-search"),
                inHeader: !!e.closest("header"), shown: box.width > 0 && box.height > 0
                    && getComputedStyle(e).visibility === "visible"};
    }""")


def _tab_stops(page: Page, limit: int = 120) -> list[dict]:
    """Every Tab stop of the page from the top, once round."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = _focused(page)
        if here["tag"] == "BODY" or (stops and here == stops[0]):
            break
        stops.append(here)
    return stops


# --------------------------------------------------------------------------- #
# Skip link
# --------------------------------------------------------------------------- #


def _check_skip_link(page: Page, url: str, kind: str) -> None:
    page.goto(url, wait_until="load")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert "katko-skip" in first["className"], f"first Tab stop is {first}, not the skip link"
    # Shown once Material's transition is over.
    page.wait_for_function("() => getComputedStyle(document.querySelector('.katko-skip')).opacity === '1'",
                           timeout=3000)
    box = page.locator(".katko-skip").bounding_box()
    assert box and box["y"] >= 0 and box["width"] > 0, "the skip link is not on the screen when focused"
    target = first["href"]
    assert target == ("#ongoing" if kind == "home" else "#katko-main")
    assert page.locator(f"main {target}").count() == 1, f"{target} is not in <main>"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == target[1:], "the skip link's target did not take the focus"
    page.keyboard.press("Tab")
    after = page.evaluate("""target => {
        const t = document.querySelector(target), e = document.activeElement;
        return t.contains(e) || !!(t.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""", target)
    here = _focused(page)
    assert after and not here["inHeader"] and not here["inDrawer"], f"after the skip link, Tab went to {here}"


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "kind", "path"), PAGES, ids=[f"{lang}-{kind}" for lang, kind, _ in PAGES])
def test_skip_link(page: Page, site_url: str, lang: str, kind: str, path: str) -> None:
    _check_skip_link(page, site_url + path, kind)
    assert page.locator(".katko-skip").inner_text() in ({"fi": "Siirry ajankohtaisiin käyttökatkoihin",
                                                         "sv": "Hoppa till aktuella driftavbrott",
                                                         "en": "Skip to current outages"}[lang]
                                                        if kind == "home" else
                                                        {"fi": "Siirry pääsisältöön", "sv": "Hoppa till huvudinnehållet",
                                                         "en": "Skip to main content"}[lang],)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "kind", "path"), INTERNAL_PAGES, ids=[f"{lang}-{kind}" for lang, kind, _ in INTERNAL_PAGES])
def test_skip_link_on_the_internal_site(page: Page, internal_site_url: str, lang: str, kind: str, path: str) -> None:
    _check_skip_link(page, internal_site_url + path, kind)


@pytest.mark.browser
def test_skip_link_on_the_page_for_a_missing_address(page: Page, site_url: str) -> None:
    _check_skip_link(page, site_url + "/404.html", "404")


@pytest.mark.browser
@pytest.mark.parametrize(("site", "text"), [("public", ("Saavutettavuusseloste", "Tillgänglighetsutlåtande",
                                                         "Accessibility statement")),
                                            ("internal", ("Kirjoitusohje", "Skrivanvisning", "Record guide"))])
def test_footer_of_the_page_for_a_missing_address(page: Page, site_url: str, internal_site_url: str, site: str,
                                                  text: tuple[str, ...]) -> None:
    """WCAG 3.1.2: the page speaks every language, each part marked with its own; its footer
    too, which links as every other page's does (3.2.3), not to Material's site in English."""
    base = site_url if site == "public" else internal_site_url
    page.goto(base + "/404.html", wait_until="load")
    links = page.locator("footer a").evaluate_all(
        "links => links.map(a => [a.lang, a.textContent.trim(), a.href, a.target])")
    assert [(lang, words) for lang, words, _, _ in links] == list(zip(("fi", "sv", "en"), text))
    for lang, _, href, target in links:
        assert target == "" and href.startswith(base), href
        assert page.request.get(href).ok, href
    # Nothing else in the footer, which has no language of its own to be said in.
    assert page.locator("footer").inner_text().replace(" · ", "") == "".join(text)


# --------------------------------------------------------------------------- #
# Menu button and side menu at a phone's width
# --------------------------------------------------------------------------- #


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_menu_button_at_320_px(browser: Browser, site_url: str, lang: str) -> None:
    menu, close, _ = NAMES[lang]
    with browser.new_context(viewport=PHONE) as context:
        page = context.new_page()
        watch = Watch(page)
        page.goto(f"{site_url}/{lang}/archive/", wait_until="load")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        button = page.get_by_role("button", name=menu, exact=True)
        assert page.evaluate("document.activeElement") == page.evaluate(
            "document.querySelector('[data-katko-opens=drawer]')"), "the menu button is not the second Tab stop"
        assert button.get_attribute("aria-expanded") == "false"
        assert page.locator("#" + button.get_attribute("aria-controls")).count() == 1

        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert _focused(page)["inDrawer"], "opening the menu does not move the focus into it"
        page.get_by_role("link", name=page.locator("#katko-drawer a").first.inner_text()).wait_for()
        # Modal: Tab stays in the menu (then leaves for the browser's own controls).
        stops = []
        for _ in range(12):
            page.keyboard.press("Tab")
            stops.append(_focused(page))
        assert all(s["inDrawer"] or s["tag"] == "BODY" for s in stops), stops
        assert any(s["tag"] == "A" for s in stops)

        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.dataset.katkoOpens") == "drawer", "focus did not return"

        # The close button in the menu, and the mouse on the menu button, work alike.
        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        page.get_by_role("button", name=close).click()
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.dataset.katkoOpens") == "drawer"

        # A click beside the open menu closes it too.
        button.click()
        page.locator(".md-overlay").wait_for(state="visible")
        page.mouse.click(PHONE["width"] - 20, PHONE["height"] // 2)
        page.wait_for_function("() => !document.getElementById('__drawer').checked", timeout=3000)
        assert button.get_attribute("aria-expanded") == "false"

        # A link of the menu works.
        button.click()
        page.locator("#katko-drawer a", has_text={"fi": "Arkisto", "sv": "Arkiv", "en": "Archive"}[lang]).first.click()
        page.wait_for_url(f"**/{lang}/archive/")
        watch.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/fi/", "/sv/outages/2026-12-05-rakennuslupa-palvelinvaihto/", "/en/services/maksut/"])
def test_closed_menu_and_search_take_no_focus_at_320_px(browser: Browser, site_url: str, path: str) -> None:
    with browser.new_context(viewport=PHONE) as context:
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        stops = _tab_stops(page)
        assert len(stops) > 5
        hidden = [s for s in stops if s["inDrawer"] or s["inSearch"] or not s["shown"]]
        assert not hidden, f"invisible Tab stops: {hidden}"
        assert page.locator("#katko-drawer a").count() > 3  # the links are there, only not reachable


@pytest.mark.browser
def test_closed_menu_takes_no_focus_on_the_internal_site(browser: Browser, internal_site_url: str) -> None:
    with browser.new_context(viewport=PHONE) as context:
        page = context.new_page()
        page.goto(internal_site_url + "/fi/internal/", wait_until="load")
        stops = _tab_stops(page)
        assert stops and not [s for s in stops if s["inDrawer"] or s["inSearch"] or not s["shown"]]


@pytest.mark.browser
@pytest.mark.parametrize("spacing", [False, True], ids=["own-spacing", "text-spacing"])
def test_each_menu_link_is_wholly_in_sight_when_focused(browser: Browser, site_url: str, spacing: bool) -> None:
    """At 400 % zoom (320 × 256 CSS px) the open menu's list scrolls: Tab brings each link wholly
    into it, focus ring and all. Material's list snaps to the start of an item (scroll-snap),
    which left a link of two lines cut off at the bottom."""
    with browser.new_context(viewport={"width": 320, "height": 256}, reduced_motion="reduce") as context:
        page = context.new_page()
        page.goto(f"{site_url}/fi/outages/2026-12-01-asiointi-liitteet-hairio/", wait_until="load")
        if spacing:
            page.evaluate(audit.ADD_SHEET, audit.TEXT_SPACING)
        page.get_by_role("button", name="Valikko", exact=True).click()
        cut = []
        for _ in range(page.locator("#katko-drawer a").count() + 1):
            page.keyboard.press("Tab")
            cut += [page.evaluate("""() => {
              const link = document.activeElement, list = link.closest('.md-nav__list');
              if (!list) return [];
              const r = link.getBoundingClientRect(), box = list.getBoundingClientRect();
              return r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5
                ? [link.textContent.trim() + ' at ' + Math.round(r.top) + '…' + Math.round(r.bottom) +
                   ' in a list shown at ' + Math.round(box.top) + '…' + Math.round(box.bottom)] : [];
            }""")]
        assert not [c for found in cut for c in found]


#: The focused element's box, if it is in the header.
HEADER_STOP = """() => {
  const el = document.activeElement;
  if (!el || !el.closest('.md-header')) return null;
  const r = el.getBoundingClientRect();
  return {what: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30) || el.className,
          top: r.top, bottom: r.bottom, left: r.left, right: r.right};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("spacing", [False, True], ids=["own-spacing", "text-spacing"])
@pytest.mark.parametrize("width", [320, 800, 1280])
def test_header_focus_order_follows_what_is_seen(browser: Browser, site_url: str, width: int, spacing: bool) -> None:
    """WCAG 2.4.3: the keyboard goes through the header as it is read, row by row and left to
    right, also where the languages wrap onto a row of their own."""
    with browser.new_context(viewport={"width": width, "height": 700}) as context:
        page = context.new_page()
        page.goto(f"{site_url}/sv/services/maksut/", wait_until="load")
        if spacing:
            page.evaluate(audit.ADD_SHEET, audit.TEXT_SPACING)
        page.keyboard.press("Tab")  # the skip link
        stops: list[dict] = []
        for _ in range(12):
            page.keyboard.press("Tab")
            here = page.evaluate(HEADER_STOP)
            if not here:
                break
            stops.append(here)
        assert len(stops) >= 5, stops  # menu (below 1220 px), home, search, three languages
        for before, after in zip(stops, stops[1:]):
            above = after["bottom"] <= before["top"] + 1
            same_row = after["top"] < before["bottom"] and before["top"] < after["bottom"]
            assert not above and not (same_row and after["left"] < before["left"]), \
                f"{after['what']} comes after {before['what']} on the keyboard, but before it on the screen: {stops}"


# --------------------------------------------------------------------------- #
# Search
# --------------------------------------------------------------------------- #


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize(("lang", "word"), [("fi", "rakennuslupa"), ("sv", "bygglov")])
def test_search_dialog(browser: Browser, site_url: str, width: int, lang: str, word: str) -> None:
    _, _, search = NAMES[lang]
    with browser.new_context(viewport={"width": width, "height": 700}) as context:
        page = context.new_page()
        watch = Watch(page)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{site_url}/{lang}/", wait_until="load")
        page.wait_for_timeout(500)
        assert not [u for u in requested if "search_index" in u or "/workers/" in u], \
            "the search index or worker was loaded before the search was opened"

        button = page.get_by_role("button", name=search, exact=True)
        assert button.get_attribute("aria-expanded") == "false"
        button.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name=search)
        field = dialog.get_by_role("textbox")
        assert dialog.count() == 1 and field.is_visible()
        assert page.evaluate("document.activeElement.name") == "query", "the focus is not in the search field"
        page.keyboard.type(word)
        results = page.locator(".md-search-result__item")
        results.first.wait_for()
        # The count of results reaches a screen reader as a status message (WCAG 4.1.3), and the
        # dialog holds no landmark of its own beside the search.
        count = dialog.get_by_role("status")
        assert count.count() == 1 and any(ch.isdigit() for ch in count.inner_text()), count.all_inner_texts()
        assert dialog.get_by_role("navigation").count() == 0
        assert any("search_index.json" in u for u in requested)
        # Tab reaches the results themselves, not their scroll area.
        page.keyboard.press("Tab")
        here = _focused(page)
        assert here["inSearch"] and here["tag"] == "A", here
        page.keyboard.press("Escape")
        assert page.evaluate("document.getElementById('__search').checked") is False
        assert page.evaluate("document.activeElement.dataset.katkoOpens") == "search", "focus did not return"
        assert button.get_attribute("aria-expanded") == "false"
        assert not field.is_visible()
        watch.assert_clean()


# --------------------------------------------------------------------------- #
# First visit
# --------------------------------------------------------------------------- #


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/fi/", "/sv/", "/en/", "/fi/outages/2026-12-05-rakennuslupa-palvelinvaihto/",
                                  "/fi/services/rakennuslupa/", "/fi/archive/"])
def test_no_failed_request_on_a_first_visit(page: Page, site_url: str, path: str) -> None:
    responses: list[tuple[int, str]] = []
    failed: list[str] = []
    page.on("response", lambda response: responses.append((response.status, response.url)))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(site_url + path, wait_until="networkidle")
    assert responses
    assert [f"{status} {url}" for status, url in responses if status >= 400] == []
    assert failed == []
    assert not [url for _, url in responses if "sitemap.xml" in url or "search_index" in url]


@pytest.mark.browser
def test_no_failed_request_on_the_internal_site(page: Page, internal_site_url: str) -> None:
    responses: list[tuple[int, str]] = []
    page.on("response", lambda response: responses.append((response.status, response.url)))
    page.goto(internal_site_url + "/sv/internal/", wait_until="networkidle")
    assert responses and [f"{s} {u}" for s, u in responses if s >= 400] == []


# --------------------------------------------------------------------------- #
# The authority's identity
# --------------------------------------------------------------------------- #


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_header_names_the_authority(browser: Browser, site_url: str, lang: str, width: int) -> None:
    with browser.new_context(viewport={"width": width, "height": 640}) as context:
        page = context.new_page()
        page.goto(f"{site_url}/{lang}/outages/2026-12-05-rakennuslupa-palvelinvaihto/", wait_until="load")
        logo = page.locator("header .katko-brand img")
        assert logo.get_attribute("alt") == AUTHORITY[lang]
        assert page.evaluate("document.querySelector('header .katko-brand img').naturalWidth") > 0
        brand = page.locator("header .katko-brand")
        assert brand.is_visible()
        # Wrapped, never cut short.
        cut = page.evaluate("""() => [...document.querySelectorAll('header .katko-brand, header .katko-brand *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).textOverflow === 'ellipsis')
            .map(e => e.className)""")
        assert cut == []
        assert page.locator("header .md-ellipsis").count() == 0
        icon = page.locator("link[rel=icon]").get_attribute("href")
        response = page.request.get(page.url.rsplit("#", 1)[0] + icon)
        assert response.ok and response.headers["content-type"].startswith("image/")


@pytest.mark.browser
def test_shutter_page_and_snippet_name_the_authority(page: Page, site_url: str, built_site: Path) -> None:
    page.goto(site_url + "/shutter/rakennuslupa/", wait_until="load")
    header = page.locator("header .katko-authority")
    for lang in ("fi", "sv", "en"):
        assert header.locator(f"span[lang={lang}]").inner_text() == AUTHORITY[lang]
    page.goto(site_url + "/embed/rakennuslupa/sv/", wait_until="load")
    assert AUTHORITY["sv"] in page.locator(".katko-embed__source").inner_text()
    snippet = (built_site / "embed" / "rakennuslupa" / "en.html").read_text(encoding="utf-8")
    assert f'<p class="katko-embed__source">Outages of {AUTHORITY["en"]}' in snippet


# --------------------------------------------------------------------------- #
# Text spacing (WCAG 1.4.12) in the header at a phone's width
# --------------------------------------------------------------------------- #

TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("path", ["/fi/", "/sv/archive/", "/en/outages/2026-12-05-rakennuslupa-palvelinvaihto/",
                                  "/404.html"])
def test_header_with_text_spacing(browser: Browser, site_url: str, path: str, width: int) -> None:
    # The spacing is the reader's own stylesheet, which the page's policy does not govern.
    with browser.new_context(viewport={"width": width, "height": 640}, bypass_csp=True) as context:
        page = context.new_page()
        page.goto(site_url + path, wait_until="load")
        page.add_style_tag(content=TEXT_SPACING)
        outside = page.evaluate("""width => [...document.querySelectorAll(
                'header .katko-brand, header .katko-languages a, header [data-katko-opens]')]
            .filter(e => { const b = e.getBoundingClientRect(); return b.left < 0 || b.right > width || b.width === 0; })
            .map(e => e.outerHTML.slice(0, 80))""", width)
        assert outside == [], f"off the screen at {width} px with text spacing: {outside}"
        assert page.locator("[data-katko-opens=search]").is_visible()
