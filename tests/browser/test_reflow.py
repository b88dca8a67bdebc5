"""WCAG 1.4.10 and 1.4.12 on every page of the example site (fi, sv, en) and the internal site: at
320 CSS px nothing is painted beyond the edge of the screen, with the page's own text spacing
and with the spacing a reader may set; no text is cut off by a box that hides its overflow
rather than scrolling it; wide tables scroll in a region the keyboard reaches. Material's
``html { overflow-x: hidden }`` would hide such content from sight, not from this check
(audit.js measures every box and line of text)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from . import audit
from .test_pages_in_browser import INTERNAL_PAGES, PAGES

SITES = [("public", path) for _, path in PAGES] + [("internal", path) for _, path in INTERNAL_PAGES]


@pytest.mark.browser
@pytest.mark.parametrize(("site", "path"), SITES, ids=[f"{site}:{path}" for site, path in SITES])
def test_reflows_at_320_px(audit_tab: Page, site_url: str, internal_site_url: str, site: str, path: str) -> None:
    audit.open_page(audit_tab, (site_url if site == "public" else internal_site_url) + path)
    problems = audit.overflow(audit_tab) + audit.clipped(audit_tab)
    problems += [f"with text spacing: {p}" for p in audit.overflow(audit_tab, spacing=True)
                 + audit.clipped(audit_tab, spacing=True)]
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path} at 320 px:\n" + "\n".join(problems[:20]), pytrace=False)
