"""The keyboard on every page of the example site (fi, sv, en) and the internal site, at 320 CSS
px: Tab goes through the page and every stop is visible (a box, in view, not transparent,
hidden or clipped away) with a focus indicator of at least 3:1 against what is around it
(WCAG 2.4.7, 1.4.11); the first stop is a skip link that moves focus to the main content
(2.4.1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from . import audit
from .test_reflow import SITES


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), SITES, ids=[f"{site}:{path}" for site, path in SITES])
def test_tab_stops_are_visible_with_a_focus_indicator(audit_tab: Page, site_url: str, internal_site_url: str,
                                                      site: str, path: str) -> None:
    url = (site_url if site == "public" else internal_site_url) + path
    audit.open_page(audit_tab, url)
    stops = audit.tab_through(audit_tab)
    assert stops, f"no Tab stop on {path}"
    problems = audit.stop_problems(stops)
    problems += [f"skip link: {p}" for p in audit.skip_link_problems(audit_tab)]
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path}:\n" + "\n".join(problems[:25]), pytrace=False)


#: One page of each kind, in each language between them, and the staff site's planning view
#: and guide (long pages with tables and code).
BACKWARDS = [("public", "/fi/"), ("public", "/sv/outages/2026-12-01-asiointi-liitteet-hairio/"),
             ("public", "/en/services/asiointi/"), ("public", "/fi/archive/2026/"), ("public", "/sv/subscribe/"),
             ("public", "/fi/embed/"), ("internal", "/en/internal/"), ("internal", "/fi/internal/guide/")]


@pytest.mark.browser
@pytest.mark.parametrize("size", [audit.PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
@pytest.mark.parametrize(("site", "path"), BACKWARDS, ids=[f"{site}:{path}" for site, path in BACKWARDS])
def test_going_back_with_shift_tab_keeps_each_stop_in_sight(browser: Browser, site_url: str, internal_site_url: str,
                                                            site: str, path: str, size: dict[str, int]) -> None:
    """Shift+Tab brings each stop in at the top of the screen: not under the sticky header,
    nor under Material's "back to top" button, which shows while the page scrolls up."""
    with audit.audit_page(browser, size) as tab:
        audit.open_page(tab, (site_url if site == "public" else internal_site_url) + path)
        problems = audit.obscured_going_back(tab)
    if problems:
        pytest.fail(f"{len(problems)} stop(s) out of sight on {path} going back:\n" + "\n".join(problems[:25]),
                    pytrace=False)


@pytest.mark.browser
@pytest.mark.parametrize(("size", "sticky"), [(audit.NARROW, True), ({"width": 320, "height": 256}, False),
                                              ({"width": 1280, "height": 800}, True)],
                         ids=["phone", "zoom-400", "desktop"])
def test_header_stays_on_the_screen_only_where_there_is_room(browser: Browser, site_url: str,
                                                            size: dict[str, int], sticky: bool) -> None:
    """At 400 % zoom (1280 × 1024 CSS px become 320 × 256) a sticky header of two rows would
    take a third of the screen: there it scrolls away with the page. The focus still has room
    below it (scroll-padding), where the header stays."""
    with audit.audit_page(browser, size) as tab:
        audit.open_page(tab, f"{site_url}/fi/outages/2026-12-01-asiointi-liitteet-hairio/")
        tab.evaluate("window.scrollTo(0, 600)")
        bottom = tab.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
        padding = tab.evaluate("parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0")
    if sticky:
        assert bottom > 0, "the header has scrolled away"
        assert padding >= bottom, f"scroll-padding-top {padding} px is less than the header's {bottom} px"
    else:
        assert bottom <= 0, f"the header takes {bottom} px of a {size['height']} px screen"
        assert padding < 20, f"scroll-padding-top {padding} px where no header stays"


@pytest.mark.browser
@pytest.mark.parametrize("size", [audit.NARROW, {"width": 320, "height": 256}, {"width": 1280, "height": 800}],
                         ids=["phone", "zoom-400", "desktop"])
def test_what_to_do_instead_link_lands_below_the_header(browser: Browser, site_url: str, size: dict[str, int]) -> None:
    """The notice's link to "what to do instead" brings its heading in wholly on the screen,
    below the header where the header stays."""
    with audit.audit_page(browser, size) as tab:
        audit.open_page(tab, f"{site_url}/fi/outages/2026-12-01-asiointi-liitteet-hairio/")
        tab.locator("div.katko-status .katko-jump a").focus()
        tab.keyboard.press("Enter")
        tab.wait_for_function("location.hash === '#alternatives'")
        header, heading = tab.evaluate("""() => [document.querySelector('.md-header').getBoundingClientRect().bottom,
                                                 document.getElementById('alternatives').getBoundingClientRect().top]""")
    assert heading >= max(header, 0), f"the heading's top at {heading} px, the header's bottom at {header} px"
