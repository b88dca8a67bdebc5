"""The keyboard on every page of the example site (fi, sv, en) and the internal site, at 320 CSS
px: Tab goes through the page and every stop is visible (a box, in view, not transparent,
hidden or clipped away) with a focus indicator of at least 3:1 against what is around it
(WCAG 2.4.7, 1.4.11); the first stop is a skip link that moves focus to the main content
(2.4.1)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

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
