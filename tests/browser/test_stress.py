"""The audits of the example site on the stress site (tests/stress.py), whose records hold what
real editors and attackers write: words of 70+ letters, addresses of hundreds of characters, wide
Markdown tables, deep lists, a title at the length limit, 25 updates, every service at once and a
service with 30 notices. The side menu, which names every service, at 320 CSS px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .. import stress
from . import audit

CROWDED = stress.CROWDED


def _fail(what: str, path: str, problems: list[str]) -> None:
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path} {what}:\n" + "\n".join(problems[:20]), pytrace=False)


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
        problems = audit.overflow(tab) + [f"with text spacing: {p}" for p in audit.overflow(tab, spacing=True)]
    _fail("with the side menu" + ("" if scripts else " without scripts"), f"/{lang}/services/{CROWDED}/", problems)
