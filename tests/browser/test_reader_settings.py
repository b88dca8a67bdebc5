"""The site as some readers set up their browser, and what the other audits do not cover: with
JavaScript off (the side menu is in the page's flow, not an off-screen drawer whose links take
the focus unseen), with forced colours (Windows' contrast themes: focus rings stay, the phase
badge keeps its edge), text at 200 % on a desktop (1.4.4), targets of 24 × 24 CSS px at least in the header (WCAG 2.5.8), the
shutter pages' links to each language moving the focus (2.4.1), and link texts that tell
apart where they lead (2.4.4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from . import audit
from .test_pages_in_browser import INTERNAL_PAGES, PAGES
from .test_reflow import SITES

#: One page of each kind, in each language between them, and the staff site's.
KINDS = [("public", "/fi/"), ("public", "/sv/outages/2026-12-01-asiointi-liitteet-hairio/"),
         ("public", "/en/services/maksut/"), ("public", "/fi/archive/2025/"), ("public", "/sv/subscribe/"),
         ("public", "/en/embed/"), ("public", "/404.html"), ("internal", "/fi/internal/"),
         ("internal", "/sv/internal/report/"), ("internal", "/en/internal/guide/")]
assert {("public", p) for _, p in PAGES} | {("internal", p) for _, p in INTERNAL_PAGES} >= set(KINDS)

SHUTTERS = ["/shutter/maksut/", "/shutter/rakennuslupa/"]


def _url(site_url: str, internal_site_url: str, site: str, path: str) -> str:
    return (site_url if site == "public" else internal_site_url) + path


@pytest.fixture(scope="module")
def no_script_tab(browser: Browser) -> Iterator[Page]:
    """A page at 320 CSS px with JavaScript off (audit.js is still installed: Playwright's
    init scripts run where the page's own do not)."""
    with browser.new_context(viewport=audit.NARROW, reduced_motion="reduce", java_script_enabled=False) as context:
        context.add_init_script(path=audit.AUDIT_JS)
        yield context.new_page()


@pytest.fixture(scope="module")
def forced_colours_tab(browser: Browser) -> Iterator[Page]:
    with browser.new_context(viewport=audit.NARROW, reduced_motion="reduce", forced_colors="active") as context:
        context.add_init_script(path=audit.AUDIT_JS)
        yield context.new_page()


NAV_LINKS = """() => [...document.querySelectorAll('.md-nav--primary a.md-nav__link')].map(__katkoAudit.describe)"""


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), KINDS, ids=[f"{site}:{path}" for site, path in KINDS])
def test_without_scripts_the_menu_is_in_the_page(no_script_tab: Page, site_url: str, internal_site_url: str,
                                                 site: str, path: str) -> None:
    audit.open_page(no_script_tab, _url(site_url, internal_site_url, site, path))
    assert no_script_tab.evaluate("document.documentElement.className").split() == ["no-js"]
    stops = audit.tab_through(no_script_tab)
    problems = audit.stop_problems(stops)
    problems += [f"skip link: {p}" for p in audit.skip_link_problems(no_script_tab)]
    problems += audit.overflow(no_script_tab)
    reached = {stop.what for stop in stops}
    menu = no_script_tab.evaluate(NAV_LINKS)
    assert menu or path == "/404.html", f"{path}: no side menu"  # the page for a missing address has none
    problems += [f"the menu's link {link} is no Tab stop" for link in menu if link not in reached]
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path} without JavaScript:\n" + "\n".join(problems[:25]),
                    pytrace=False)


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), KINDS, ids=[f"{site}:{path}" for site, path in KINDS])
def test_forced_colours_keep_focus_rings_and_edges(forced_colours_tab: Page, site_url: str, internal_site_url: str,
                                                   site: str, path: str) -> None:
    tab = forced_colours_tab
    audit.open_page(tab, _url(site_url, internal_site_url, site, path))
    assert tab.evaluate("matchMedia('(forced-colors: active)').matches")
    problems = audit.stop_problems(audit.tab_through(tab))
    # A badge whose background gives way would be told apart from the text beside it by nothing.
    problems += tab.evaluate("""() => [...document.querySelectorAll('.katko-phase')]
      .filter((el) => parseFloat(getComputedStyle(el).borderTopWidth) < 1)
      .map((el) => 'phase badge without an edge: ' + __katkoAudit.describe(el))""")
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path} with forced colours:\n" + "\n".join(problems[:25]),
                    pytrace=False)


@pytest.mark.browser
def test_forced_colours_keep_the_open_menus_edge(forced_colours_tab: Page, site_url: str) -> None:
    """The open side menu lies over the page: with its shadow and the dimming gone, a line tells
    where it ends and the page behind it begins."""
    tab = forced_colours_tab
    audit.open_page(tab, f"{site_url}/fi/archive/")
    tab.locator(".katko-menu-button").click()
    edge = tab.evaluate("""() => {
      const box = document.querySelector('#katko-drawer .md-sidebar__scrollwrap');
      const style = getComputedStyle(box);
      return {width: parseFloat(style.borderRightWidth), style: style.borderRightStyle,
              right: box.getBoundingClientRect().right, screen: innerWidth};
    }""")
    assert edge["right"] < edge["screen"], "the menu is not open beside the page"
    assert edge["width"] >= 1 and edge["style"] == "solid", edge


#: How each link of the side menu looks apart from its colour: the page's own, and the others.
MENU_LOOKS = """() => {
  const look = (a) => { const s = getComputedStyle(a); return [s.fontWeight, s.textDecorationLine, s.fontStyle].join(' '); };
  const links = [...document.querySelectorAll('.md-nav--primary a.md-nav__link')];
  return {current: links.filter((a) => a.getAttribute('aria-current') === 'page').map(look),
          others: [...new Set(links.filter((a) => a.getAttribute('aria-current') !== 'page').map(look))]};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
@pytest.mark.parametrize(("site", "path"), [("public", "/fi/services/maksut/"), ("public", "/sv/archive/"),
                                            ("internal", "/en/internal/report/")])
def test_the_menu_tells_the_current_page_by_more_than_colour(browser: Browser, site_url: str, internal_site_url: str,
                                                            site: str, path: str, scripts: bool) -> None:
    """WCAG 1.4.1: the side menu's link to the page itself differs from the others in more than
    its colour (Material's blue is 1.7:1 against their near-black)."""
    with browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=scripts) as context:
        page = context.new_page()
        page.goto(_url(site_url, internal_site_url, site, path), wait_until="load")
        looks = page.evaluate(MENU_LOOKS)
    assert len(looks["current"]) == 1 and looks["others"], looks
    assert looks["current"][0] not in looks["others"], looks


#: WCAG 1.4.4: text at 200 % without zooming the page. Material's root size is 125 % up to
#: 100em wide; a reader's larger text doubles it.
LARGE_TEXT = "html { font-size: 250% !important; }"


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), KINDS, ids=[f"{site}:{path}" for site, path in KINDS])
def test_text_at_200_percent_on_a_desktop(audit_tab: Page, site_url: str, internal_site_url: str, site: str,
                                          path: str) -> None:
    audit_tab.set_viewport_size({"width": 1280, "height": 800})
    try:
        audit.open_page(audit_tab, _url(site_url, internal_site_url, site, path))
        audit_tab.evaluate(audit.ADD_SHEET, LARGE_TEXT)
        assert audit_tab.evaluate("getComputedStyle(document.documentElement).fontSize") == "40px"
        problems = audit.overflow(audit_tab)
    finally:
        audit_tab.set_viewport_size(audit.NARROW)
    assert not problems, f"{path} with text at 200 %:\n" + "\n".join(problems[:20])


#: Controls of the page's frame, which stand alone rather than inside a sentence (WCAG 2.5.8's
#: exception for inline links does not apply to them).
FRAME_TARGETS = """() => [...document.querySelectorAll(
    '.md-header a, .md-header button, .md-header label, .katko-drawer__close, .katko-languages a')]
  .filter((el) => getComputedStyle(el).visibility !== 'hidden')
  .map((el) => { const r = el.getBoundingClientRect(); return [__katkoAudit.describe(el), r.width, r.height]; })
  .filter(([, w, h]) => (w || h) && (w < 24 || h < 24))  // 0 × 0: not shown at this width
  .map(([what, w, h]) => what + ' is ' + Math.round(w) + ' × ' + Math.round(h) + ' px')"""


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), KINDS, ids=[f"{site}:{path}" for site, path in KINDS])
@pytest.mark.parametrize("width", [audit.NARROW["width"], 1280])
def test_header_targets_are_24_px_at_least(audit_tab: Page, site_url: str, internal_site_url: str, site: str,
                                           path: str, width: int) -> None:
    audit_tab.set_viewport_size({"width": width, "height": audit.NARROW["height"]})
    try:
        audit.open_page(audit_tab, _url(site_url, internal_site_url, site, path))
        small = audit_tab.evaluate(FRAME_TARGETS)
    finally:
        audit_tab.set_viewport_size(audit.NARROW)
    assert not small, f"{path} at {width} px:\n" + "\n".join(small)


@pytest.mark.browser
@pytest.mark.parametrize("path", SHUTTERS)
def test_shutter_page_keyboard(audit_tab: Page, site_url: str, path: str) -> None:
    """The links to each language at the top are the shutter page's skip links."""
    audit.open_page(audit_tab, site_url + path)
    stops = audit.tab_through(audit_tab)
    problems = audit.stop_problems(stops) + audit.overflow(audit_tab)
    problems += [f"skip link: {p}" for p in audit.skip_link_problems(audit_tab)]
    assert not problems, f"{path}:\n" + "\n".join(problems)


#: Links to other pages whose text (what a screen reader's list of links shows, visually
#: hidden parts included) is the same but whose addresses differ. Links within the page
#: ("see below") are told apart by the sentence they are in.
AMBIGUOUS = """() => {
  const seen = new Map();
  const here = location.href.split('#')[0];
  for (const a of document.querySelectorAll('a[href]')) {
    const address = a.href.split('#')[0];
    if (address === here) continue;
    const name = (a.getAttribute('aria-label') || a.textContent).replace(/\\s+/g, ' ').trim();
    if (!seen.has(name)) seen.set(name, new Set());
    seen.get(name).add(address);
  }
  return [...seen].filter(([, hrefs]) => hrefs.size > 1).map(([name, hrefs]) => '"' + name + '" leads to ' + [...hrefs].join(', '));
}"""


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), SITES, ids=[f"{site}:{path}" for site, path in SITES])
def test_links_with_the_same_text_lead_to_the_same_place(audit_tab: Page, site_url: str, internal_site_url: str,
                                                         site: str, path: str) -> None:
    audit.open_page(audit_tab, _url(site_url, internal_site_url, site, path))
    ambiguous = audit_tab.evaluate(AMBIGUOUS)
    assert not ambiguous, f"{path}:\n" + "\n".join(ambiguous)
