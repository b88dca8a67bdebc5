"""status.js: phase labels follow the reader's clock without a rebuild."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page

NOTICE = "outages/2026-12-05-rakennuslupa-palvelinvaihto/"


def label_at(page: Page, site_url: str, path: str, when: str) -> str:
    """The phase label of NOTICE on the page at ``path``, with the browser's clock at ``when``."""
    page.clock.set_fixed_time(datetime.fromisoformat(when))
    page.goto(f"{site_url}/{path}", wait_until="load")
    card = page.locator("li.katko-card", has=page.locator(f'a[href$="{NOTICE}"]'))
    scope = card if path.endswith("/fi/") or path == "fi/" else page
    return scope.locator("[data-katko-phase]").first.inner_text()


@pytest.mark.browser
def test_labels_follow_the_clock(page: Page, site_url: str) -> None:
    # Built as of 1.12.2026: the outage of 5.12.2026 22.00–6.12.2026 4.00 is upcoming.
    assert label_at(page, site_url, "fi/", "2026-12-01T12:00:00+02:00") == "Tulossa"
    assert label_at(page, site_url, "fi/", "2026-12-05T22:30:00+02:00") == "Käynnissä"
    assert label_at(page, site_url, f"sv/{NOTICE}", "2026-12-06T05:00:00+02:00") == "Avslutat"


@pytest.mark.browser
def test_labels_update_while_the_page_stays_open(page: Page, site_url: str) -> None:
    page.clock.install(time=datetime.fromisoformat("2026-12-05T21:59:00+02:00"))
    page.goto(f"{site_url}/en/{NOTICE}", wait_until="load")
    badge = page.locator("[data-katko-phase]").first
    assert badge.inner_text() == "Upcoming"
    page.clock.run_for("02:00")  # two minutes later, without reloading
    assert badge.inner_text() == "Ongoing"


@pytest.mark.browser
def test_without_javascript_the_build_time_labels_stay(browser, site_url: str) -> None:  # type: ignore[no-untyped-def]
    with browser.new_context(java_script_enabled=False) as context:
        page = context.new_page()
        page.goto(f"{site_url}/fi/{NOTICE}", wait_until="load")
        assert page.locator("[data-katko-phase]").first.inner_text() == "Tulossa"
        # The footer says when the information is from.
        assert "Tilanne ti 1.12.2026 klo 12.00" in page.locator("footer").inner_text()
