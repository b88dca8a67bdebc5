"""The audits of the example site on the stress site (tests/stress.py), whose records hold what
real editors and attackers write: words of 70+ letters, addresses of hundreds of characters, wide
Markdown tables, deep lists, a title at the length limit, 25 updates, every service at once and a
service with 30 notices. On every kind of page, in Finnish and Swedish: reflow at 320 CSS px with
and without the text spacing of WCAG 1.4.12 (1.4.10), text at 200 % on a desktop (1.4.4), each
time also no text cut off by a box that hides its overflow (audit.clipped), axe-core,
and each Tab stop visible with a focus indicator, the first a skip link (2.4.7, 2.4.1), and the
Nu Html Checker; the side menu, which names every service, at 320 px; the banner of the service
of 30 notices at 320 px on a host page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .. import stress
from . import audit
from .test_banner import _embed_snippet, _host_handler, _serve, _NoticeSite, banner, open_host
from .test_banner_on_a_phone import HOST_ASIDE
from .test_html_validity import validate
from .test_pages_in_browser import _check_page
from .test_reader_settings import LARGE_TEXT
from .test_shutter_pages import _axe, csp_bypassed  # noqa: F401 (csp_bypassed: a fixture)

CROWDED = stress.CROWDED
PAGES = stress.PAGES
IDS = [f"{site}:{path}" for site, _, path in PAGES]
#: Pages under a policy that lets no script in, not even axe's (Playwright's init scripts are).
OWN_POLICY = ("/shutter/", "/embed/")


@pytest.fixture(scope="module")
def urls(stress_site_url: str, stress_internal_site_url: str) -> dict[str, str]:
    return {"public": stress_site_url, "internal": stress_internal_site_url}


def _fail(what: str, path: str, problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path} {what}:\n" + "\n".join(problems[:20]), pytrace=False)


@pytest.mark.browser
@pytest.mark.parametrize(("site", "lang", "path"), PAGES, ids=IDS)
def test_reflows_at_320_px(audit_tab: Page, urls: dict[str, str], site: str, lang: str | None, path: str) -> None:
    audit.open_page(audit_tab, urls[site] + path)
    problems = audit.overflow(audit_tab) + audit.clipped(audit_tab)
    problems += [f"with text spacing: {p}" for p in audit.overflow(audit_tab, spacing=True)
                 + audit.clipped(audit_tab, spacing=True)]
    _fail("at 320 px", path, problems)


@pytest.mark.browser
@pytest.mark.parametrize(("site", "lang", "path"), PAGES, ids=IDS)
def test_text_at_200_percent_on_a_desktop(audit_tab: Page, urls: dict[str, str], site: str, lang: str | None,
                                          path: str) -> None:
    audit_tab.set_viewport_size({"width": 1280, "height": 800})
    try:
        audit.open_page(audit_tab, urls[site] + path)
        audit_tab.evaluate(audit.ADD_SHEET, LARGE_TEXT)
        problems = audit.overflow(audit_tab) + audit.clipped(audit_tab)
    finally:
        audit_tab.set_viewport_size(audit.NARROW)
    _fail("with text at 200 %", path, problems)


@pytest.mark.browser
@pytest.mark.parametrize(("site", "lang", "path"), PAGES, ids=IDS)
def test_tab_stops_are_visible_with_a_focus_indicator(audit_tab: Page, urls: dict[str, str], site: str,
                                                      lang: str | None, path: str) -> None:
    audit.open_page(audit_tab, urls[site] + path)
    stops = audit.tab_through(audit_tab)
    problems = audit.stop_problems(stops)
    if not path.startswith(stress.IFRAME):
        problems += [f"skip link: {p}" for p in audit.skip_link_problems(audit_tab)]
    _fail("from the keyboard", path, problems)


@pytest.mark.browser
@pytest.mark.parametrize("scripts", [True, False], ids=["drawer", "no-scripts"])
@pytest.mark.parametrize("lang", stress.LANGS)
def test_side_menu_at_320_px(browser: Browser, stress_site_url: str, lang: str, scripts: bool) -> None:
    """The side menu lists every service by its name: open in the drawer, or in the page's flow
    without scripts, the long ones wrap within the screen."""
    with browser.new_context(viewport=audit.NARROW, reduced_motion="reduce", java_script_enabled=scripts) as context:
        context.add_init_script(path=audit.AUDIT_JS)
        tab = context.new_page()
        audit.open_page(tab, f"{stress_site_url}/{lang}/services/{CROWDED}/")
        if scripts:
            tab.locator(".katko-menu-button").click()
            expect(tab.locator(".md-nav--primary a.md-nav__link").last).to_be_visible()
        problems = audit.overflow(tab) + audit.clipped(tab)
        problems += [f"with text spacing: {p}" for p in audit.overflow(tab, spacing=True) + audit.clipped(tab, spacing=True)]
    _fail("with the side menu" + ("" if scripts else " without scripts"), f"/{lang}/services/{CROWDED}/", problems)


@pytest.mark.browser
@pytest.mark.parametrize(("site", "lang", "path"), PAGES, ids=IDS)
def test_axe(page: Page, csp_bypassed: Page, urls: dict[str, str], site: str, lang: str | None,  # noqa: F811
             path: str) -> None:
    if not path.startswith(OWN_POLICY):
        _check_page(page, urls[site], lang, path)
        return
    audit.open_page(csp_bypassed, urls[site] + path)
    _fail("(axe)", path, _axe(csp_bypassed, path))


@pytest.mark.vnu
@pytest.mark.parametrize("site", ["public", "internal"])
def test_html_is_valid(stress_site: Path, stress_internal_site: Path, site: str) -> None:
    folder = stress_site if site == "public" else stress_internal_site
    validate([stress.page_file(folder, path) for where, _, path in PAGES if where == site], folder)


# ------------------------------------------------------------------ banner


@pytest.fixture(scope="module")
def host(stress_site: Path) -> Iterator[str]:
    """A service's own page of another origin, with the crowded service's banner as the stress
    site's Embed page gives it."""
    notice_server, notice = _serve(lambda *a, **k: _NoticeSite(*a, directory=str(stress_site), **k))
    snippet = _embed_snippet(stress_site, CROWDED).replace("https://katkot.example.org", notice)
    integrity = snippet.split('integrity="', 1)[1].split('"', 1)[0]
    host_server, host = _serve(_host_handler(notice, snippet, integrity, ""))
    yield host + "/"
    for server in (notice_server, host_server):
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_banner_of_thirty_notices_at_320_px(browser: Browser, host: str) -> None:
    with audit.audit_page(browser) as page:
        watch = open_host(page, host, stress.NOW.isoformat())
        expect(banner(page)).to_have_count(1)
        expect(page.locator("[data-katko-banner] .n")).to_have_count(stress.NOTICES + 1)
        page.evaluate(HOST_ASIDE)
        problems = audit.overflow(page) + audit.clipped(page)
        problems += [f"with text spacing: {p}" for p in audit.overflow(page, spacing=True)
                     + audit.clipped(page, spacing=True)]
        problems += audit.stop_problems(audit.tab_through(page))
        watch.assert_clean()
    _fail("(the banner)", "the host page", problems)


CUT = """<!DOCTYPE html><html lang="fi"><head><title>x</title><style>
div { width: 10em; } #cut { overflow: hidden; white-space: nowrap; } #ellipsis { overflow: hidden; text-overflow: ellipsis; }
#scrolls { overflow-x: auto; white-space: nowrap; } #hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
</style></head><body><div id="cut">Käyttöoikeudenhallintapalvelinympäristöuudistus alkaa</div>
<div id="ellipsis">Tietojärjestelmäkokonaisuudenkäyttöoikeudenhallinta</div>
<div id="scrolls" tabindex="0">Palvelinympäristöuudistuksen aikataulu kokonaisuudessaan</div>
<div id="hidden">Näkymätön mutta luettava teksti ruudunlukijalle</div><p>Lyhyt.</p></body></html>"""


@pytest.mark.browser
def test_clipped_finds_text_that_a_box_cuts_off(page: Page) -> None:
    """audit.clipped, the stress audits' check beyond the viewport's edge: text that a box hides
    rather than scrolls, not text in a box that scrolls or the visually-hidden pattern."""
    page.set_content(CUT)
    page.add_script_tag(path=audit.AUDIT_JS)
    assert [line.split(" in ")[1] for line in audit.clipped(page)] == [
        'div#cut "Käyttöoikeudenhallintapalvelinympäristöu" is cut off by div#cut "Käyttöoikeudenhallintapalvelinympäristöu"',
        'div#ellipsis "Tietojärjestelmäkokonaisuudenkäyttöoikeu" is cut off by div#ellipsis "Tietojärjestelmäkokonaisuudenkäyttöoikeu"']
