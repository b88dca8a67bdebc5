"""status.js: notices follow the reader's clock without a rebuild (issue 11).

The example site is built as of 1.12.2026 12.00. The browser's clock is moved
past the outages' transitions: badges change, cards move between the home
page's and the service pages' lists (and leave the home page when their recent
days are over), and "back in use since …" appears on the notice page. Without
JavaScript every page stays as it was built.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Browser, Locator, Page

NOTICE = "2026-12-05-rakennuslupa-palvelinvaihto"  # planned 5.12.2026 22.00 – 6.12.2026 4.00
LIBRARY = "2026-11-30-kirjasto-varaukset"           # ongoing at build time, ends 2.12.2026 8.00
DISRUPTION = "2026-12-01-asiointi-liitteet-hairio"  # ongoing at build time, estimated to end 14.00
EARLY = "2026-11-28-rakennuslupa-versiopaivitys"    # ended early 29.11.2026 1.35, recently ended


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def card(page: Page, outage: str) -> Locator:
    return page.locator(f'li[data-katko-live="{outage}"]')


def list_of(page: Page, outage: str) -> str | None:
    """The id of the list the notice's card is in, or None if it is not on the page."""
    found = card(page, outage)
    return found.evaluate("el => el.parentElement.id") if found.count() else None


def open_at(page: Page, url: str, when: str) -> None:
    page.clock.install(time=at(when))
    page.goto(url, wait_until="load")


@pytest.mark.browser
def test_cards_move_between_the_home_pages_lists(page: Page, site_url: str) -> None:
    open_at(page, f"{site_url}/fi/", "2026-12-05T21:59:00+02:00")
    assert list_of(page, NOTICE) == "katko-upcoming"
    assert card(page, NOTICE).locator("[data-katko-phase]").inner_text() == "Tulossa"
    page.clock.run_for("02:00")  # two minutes later, without reloading
    assert list_of(page, NOTICE) == "katko-ongoing"
    assert card(page, NOTICE).locator("[data-katko-phase]").inner_text() == "Käynnissä"
    page.clock.fast_forward("06:02:00")  # 6.12. 4.01
    assert list_of(page, NOTICE) == "katko-recent"
    assert "Palvelu on taas käytössä su 6.12.2026 klo 4.00 alkaen." in card(page, NOTICE).inner_text()
    # The recently ended come newest first; the one that ended 29.11. has left by now.
    recent = page.locator("#katko-recent > li").evaluate_all("items => items.map(i => i.dataset.katkoLive)")
    assert recent[:3] == [NOTICE, "2026-12-03-maksut-tietoturvapaivitys", LIBRARY] and EARLY not in recent


@pytest.mark.browser
def test_a_notice_leaves_the_home_page_when_its_recent_days_are_over(page: Page, site_url: str) -> None:
    # Ended 29.11. 1.35; the home page shows the recently ended for 7 days.
    open_at(page, f"{site_url}/fi/", "2026-12-06T01:34:00+02:00")
    assert list_of(page, EARLY) == "katko-recent"
    page.clock.run_for("02:00")
    assert list_of(page, EARLY) is None


@pytest.mark.browser
def test_back_in_use_appears_on_the_notice_page(page: Page, site_url: str) -> None:
    open_at(page, f"{site_url}/sv/outages/{LIBRARY}/", "2026-12-02T07:59:00+02:00")
    status = page.locator("div.katko-status")
    assert status.locator("[data-katko-phase]").inner_text() == "Pågår"
    assert page.locator("p.katko-end").count() == 0
    page.clock.run_for("02:00")
    assert status.locator("[data-katko-phase]").inner_text() == "Avslutat"
    assert page.locator("p.katko-end").inner_text() == "Tjänsten är i bruk igen sedan on 2.12.2026 kl. 8.00."


@pytest.mark.browser
def test_a_passed_estimate_is_no_longer_shown(page: Page, site_url: str) -> None:
    open_at(page, f"{site_url}/en/outages/{DISRUPTION}/", "2026-12-01T13:59:00+02:00")
    when = page.locator("div.katko-status dl.katko-facts dd").nth(2)
    assert when.inner_text() == "Tue 1 December 2026, 08:40–14:00 (Finnish time) (estimate)"
    page.clock.run_for("02:00")
    assert when.inner_text() == "from Tue 1 December 2026 at 08:40 (Finnish time)"
    assert "The estimated end has passed" in page.locator("div.katko-status").inner_text()


@pytest.mark.browser
def test_the_service_page_moves_an_ended_outage_to_the_past(page: Page, site_url: str) -> None:
    open_at(page, f"{site_url}/fi/services/kirjasto/", "2026-12-02T07:59:00+02:00")
    assert list_of(page, LIBRARY) == "katko-current"
    empty = page.locator('[data-katko-empty="katko-current"]')
    assert empty.is_hidden()
    page.clock.run_for("02:00")
    assert list_of(page, LIBRARY) == "katko-past"
    # Nothing else is ongoing or upcoming (the next one is not public yet): the list hides and says so.
    assert page.locator("#katko-current").is_hidden()
    assert empty.inner_text() == "Palvelussa ei ole käynnissä olevia eikä suunniteltuja käyttökatkoja."
    past = page.locator("#katko-past > li").evaluate_all("items => items.map(i => i.dataset.katkoLive)")
    assert past[0] == LIBRARY  # the latest first


@pytest.mark.browser
def test_without_javascript_the_pages_stay_as_built(browser: Browser, site_url: str) -> None:
    with browser.new_context(java_script_enabled=False) as context:
        page = context.new_page()
        page.clock.install(time=at("2026-12-06T05:00:00+02:00"))  # no script runs to see it
        page.goto(f"{site_url}/fi/", wait_until="load")
        assert list_of(page, NOTICE) == "katko-upcoming"
        assert list_of(page, LIBRARY) == "katko-ongoing"
        # What the script would show later is in <template>s, which the browser does not show.
        assert "Palvelu on taas käytössä su 6.12.2026" not in page.locator("main").inner_text()
        page.goto(f"{site_url}/fi/outages/{NOTICE}/", wait_until="load")
        assert page.locator("div.katko-status [data-katko-phase]").inner_text() == "Tulossa"
        # The footer says when the information is from.
        assert "Tilanne ti 1.12.2026 klo 12.00" in page.locator("footer").inner_text()


TITLE = "Rakennuslupapalvelu ei ole käytössä la 5.12. illalla ja yöllä"  # NOTICE's, in Finnish


def announced(page: Page) -> str:
    """What the page's status message (role=status, said by a screen reader as it changes) says."""
    region = page.locator("[data-katko-announce]")
    assert region.count() == 1 and region.get_attribute("role") == "status"
    return " ".join(region.inner_text().split())


@pytest.mark.browser
def test_a_change_is_told_to_a_screen_reader(page: Page, site_url: str) -> None:
    """WCAG 4.1.3: what changes without the reader doing anything is a status message."""
    open_at(page, f"{site_url}/fi/", "2026-12-05T21:59:00+02:00")
    assert announced(page) == ""
    page.clock.run_for("02:00")
    assert announced(page) == f"{TITLE}: Käynnissä."
    page.clock.fast_forward("06:02:00")  # 6.12. 4.01: ended, and the card says since when
    assert announced(page) == f"{TITLE}: Päättynyt. Palvelu on taas käytössä su 6.12.2026 klo 4.00 alkaen."


@pytest.mark.browser
def test_a_passed_estimate_is_told_on_the_notice_page(page: Page, site_url: str) -> None:
    open_at(page, f"{site_url}/en/outages/{DISRUPTION}/", "2026-12-01T13:59:00+02:00")
    page.clock.run_for("02:00")
    title = page.locator("h1").inner_text()
    # The phase stays the same ("Monitoring"): only what is new is said.
    assert announced(page) == f"{title}: The estimated end has passed; a new estimate will be given in an update."


@pytest.mark.browser
def test_what_the_page_shows_when_it_loads_is_not_told_again(page: Page, site_url: str) -> None:
    # Loaded after the change: the page already says so, as the screen reader reads it.
    open_at(page, f"{site_url}/fi/outages/{NOTICE}/", "2026-12-05T23:00:00+02:00")
    assert page.locator("div.katko-status [data-katko-phase]").inner_text() == "Käynnissä"
    assert announced(page) == ""


FOCUSED = "() => { const el = document.activeElement; return el ? el.outerHTML.slice(0, 120) : ''; }"


@pytest.mark.browser
def test_the_focus_stays_with_a_notice_that_changes(page: Page, site_url: str) -> None:
    """The status block the keyboard is in is swapped for a new one: the focus goes to the same
    link in it, or to the block itself when the link is gone, never back to the top (2.4.3)."""
    open_at(page, f"{site_url}/fi/outages/{NOTICE}/", "2026-12-05T21:59:00+02:00")
    page.locator("div.katko-status a[href='../../services/rakennuslupa/']").focus()
    page.clock.run_for("02:00")
    assert page.evaluate("document.activeElement.matches('div.katko-status a[href=\"../../services/rakennuslupa/\"]')"), \
        page.evaluate(FOCUSED)
    page.locator("div.katko-status .katko-jump a").focus()
    page.clock.fast_forward("06:02:00")  # ended: no "what to do instead" link any more
    assert page.evaluate("document.activeElement.matches('div.katko-status')"), page.evaluate(FOCUSED)
    page.keyboard.press("Tab")  # and the keyboard goes on from there
    assert page.evaluate("document.activeElement.matches('div.katko-status a')"), page.evaluate(FOCUSED)


@pytest.mark.browser
def test_the_focus_moves_with_a_card_to_its_new_list(page: Page, site_url: str) -> None:
    open_at(page, f"{site_url}/fi/", "2026-12-05T21:59:00+02:00")
    card(page, NOTICE).locator(".katko-card__title a").focus()
    page.clock.run_for("02:00")
    assert list_of(page, NOTICE) == "katko-ongoing"
    assert page.evaluate(f"document.activeElement.matches('#katko-ongoing li[data-katko-live=\"{NOTICE}\"] .katko-card__title a')"), \
        page.evaluate(FOCUSED)
