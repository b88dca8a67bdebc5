"""The example site under its own Content Security Policy in headless Chromium: what Material's
scripts do (search, the language links, the navigation) still works, and the shutter and iframe
pages report nothing either. Every other page is checked for violations and errors by
test_pages_in_browser.py, which visits them all."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from .conftest import Watch
from .test_shutter_pages import PAGES as SELF_CONTAINED_PAGES

PATHS = [path for _, path in SELF_CONTAINED_PAGES]


@pytest.mark.browser
@pytest.mark.parametrize("path", PATHS, ids=PATHS)
def test_no_violations(page: Page, site_url: str, path: str) -> None:
    watch = Watch(page)
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok, f"GET {path} -> {response and response.status}"
    watch.assert_clean()


@pytest.mark.browser
def test_an_inline_script_is_refused_and_reported(page: Page, site_url: str) -> None:
    """The policy is in force and the watch sees what it refuses: the other tests are not vacuous."""
    watch = Watch(page)
    page.goto(site_url + "/fi/", wait_until="load")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.append(script);
    }""")
    assert page.evaluate("window.__ran") is None
    assert "CSP violation: script-src-elem inline" in watch.problems()


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "word", "found"), [
    ("fi", "rakennuslupa", "/fi/outages/"),
    ("sv", "bygglov", "/sv/outages/"),
    ("en", "library", "/en/outages/"),
])
def test_search_finds_notices(page: Page, site_url: str, lang: str, word: str, found: str) -> None:
    watch = Watch(page)
    page.goto(f"{site_url}/{lang}/", wait_until="load")
    page.locator("[data-katko-opens=search]").click()  # the search opens from its button
    page.locator("input.md-search__input").press_sequentially(word)
    page.locator(".md-search-result__item").first.wait_for()
    notices = page.locator(f".md-search-result__item a[href*='{found}']")
    assert notices.count() > 0
    notices.first.click()
    page.wait_for_url(f"**{found}**")
    watch.assert_clean()


@pytest.mark.browser
def test_language_links_and_navigation(page: Page, site_url: str) -> None:
    watch = Watch(page)
    page.goto(site_url + "/fi/archive/", wait_until="load")
    page.locator(".katko-languages a[hreflang=sv]").click()
    page.wait_for_url("**/sv/archive/")
    page.locator(".md-nav--primary a.md-nav__link").first.click()
    page.wait_for_url("**/sv/")
    # Material's "back to top" button: shown when the reader scrolls back up.
    page.mouse.wheel(0, 3000)
    page.mouse.wheel(0, -200)
    page.locator(".md-top").wait_for(state="visible")
    watch.assert_clean()


@pytest.mark.browser
def test_material_helpers_behave_as_material_defines_them(page: Page, site_url: str) -> None:
    """assets/katko/scope.js stands in for Material's inline script (its formula is the reference)."""
    page.goto(site_url + "/fi/outages/2026-12-05-rakennuslupa-palvelinvaihto/", wait_until="load")
    result = page.evaluate("""() => {
        const material = e => [...e].reduce((e, _) => (e << 5) - e + _.charCodeAt(0), 0);
        const texts = ["", "__palette", "Käyttökatko 😀 ".repeat(40)];
        __md_set("__katko", {a: [1, "ä"]});
        return {
            hashes: texts.map(t => [__md_hash(t), material(t)]),
            scope: __md_scope.href,
            stored: localStorage.getItem("/.__katko"),
            read: __md_get("__katko"),
            session: (__md_set("__katko", 1, sessionStorage), __md_get("__katko", sessionStorage)),
        };
    }""")
    assert all(ours == theirs for ours, theirs in result["hashes"])
    assert result["scope"] == site_url + "/"
    assert result["stored"] == '{"a":[1,"ä"]}'
    assert result["read"] == {"a": [1, "ä"]}
    assert result["session"] == 1
