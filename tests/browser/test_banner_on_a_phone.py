"""The banner on a service's page at 320 CSS px, the narrowest screen of WCAG 1.4.10, with the
page's own spacing and with the text spacing of 1.4.12 (set inside the banner's shadow root too,
as a reader's own style sheet reaches it): nothing beyond the screen's edge, and each of the
banner's Tab stops visible with a focus indicator of 3:1 (2.4.7, 1.4.11). The host page's own
content is set aside first: what it does is its own authors' business, not the banner's."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from . import audit
from .test_banner import banner, host_url, open_host, sites  # noqa: F401 (sites: a fixture)

HOST_ASIDE = "document.querySelectorAll('body > :not([data-katko-banner])').forEach((el) => { el.hidden = true; })"


@pytest.mark.browser
@pytest.mark.parametrize("when", ["2026-11-25T12:00:00+02:00", "2026-12-02T12:00:00+02:00"], ids=["one", "two"])
def test_banner_at_320_px(browser: Browser, sites: dict[str, str], when: str) -> None:  # noqa: F811
    with audit.audit_page(browser) as page:
        watch = open_host(page, host_url(sites), when)
        expect(banner(page)).to_have_count(1)
        page.evaluate(HOST_ASIDE)
        problems = audit.overflow(page) + [f"with text spacing: {p}" for p in audit.overflow(page, spacing=True)]
        stops = audit.tab_through(page)
        problems += audit.stop_problems(stops)
        assert [s.what.split()[0] for s in stops][-1] == "button", [s.what for s in stops]
        watch.assert_clean()
    assert not problems, "\n".join(problems)
