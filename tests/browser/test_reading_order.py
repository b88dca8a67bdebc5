"""The order in which a page tells its story, as a screen reader meets it (the accessibility
tree): a notice begins with what is affected, when, the phase in words and what to do
instead, before any details; the home page reaches the first ongoing outage within a few
lines of where the skip link lands."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from katko.records import loading as records
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.core.times import parse_time

from ..conftest import KATKO_NOW, REPO_ROOT
from . import audit
from .test_pages_in_browser import PAGES

NOTICES = [path for lang, path in PAGES if lang and "/outages/" in path]


def _current() -> list[str]:
    """The notice pages of outages that are upcoming or ongoing at KATKO_NOW, from Katko's core."""
    settings = Settings(now=parse_time(KATKO_NOW))
    site = Site(records.load([REPO_ROOT / "outages"], settings)[0], settings)
    keys = {n.key for n in site.notices if n.phase in ("upcoming", "ongoing")}
    return [path for path in NOTICES if path.split("/", 2)[2] in keys]


CURRENT = _current()
HOMES = [path for lang, path in PAGES if lang and path == f"/{lang}/"]

#: Headings of a notice's details: everything that may wait until the essentials are told.
DETAILS = ["urgent", "details", "affected-data", "advice", "crisis-contacts", "unsaved-work", "still-works",
           "contacts", "updates"]

#: "Within a few lines": the page's heading and lead, the list's heading, the outage (and some room).
FEW_LINES = 5

ESSENTIALS = """(details) => {
  const text = (el) => el ? el.textContent.replace(/\\s+/g, " ").trim() : null;
  const status = document.querySelector("[data-katko-live$='-status']");
  const facts = status && status.querySelector("dl.katko-facts");
  const dd = (i) => facts && facts.querySelectorAll("dd")[i];
  return {
    phase: text(status && status.querySelector("[data-katko-phase]")),
    service: text(dd(0) && dd(0).querySelector("a")),
    when: text(facts && facts.querySelector("time")),
    instead: text(document.getElementById("alternatives")),
    details: details.map((id) => text(document.getElementById(id))).filter(Boolean),
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTICES)
def test_notice_tells_the_essentials_first(audit_tab: Page, site_url: str, path: str) -> None:
    audit.open_page(audit_tab, site_url + path)
    found = audit_tab.evaluate(ESSENTIALS, DETAILS)
    lines = audit.aria_lines(audit_tab, "article")
    essentials = {name: found[name] for name in ("service", "when", "phase", "instead")}
    assert all(essentials.values()), f"{path}: missing {[k for k, v in essentials.items() if not v]}"
    where = {name: audit.first_line(lines, text) for name, text in essentials.items()}
    assert -1 not in where.values(), f"{path}: not in the accessibility tree: {[k for k, v in where.items() if v < 0]}"
    assert found["details"], f"{path}: no details headings found"
    first_detail = min(audit.first_line(lines, text) for text in found["details"])
    late = {name: line for name, line in where.items() if line > first_detail}
    assert not late, (f"{path}: {', '.join(late)} come after the details (line {first_detail}: "
                      f"{lines[first_detail]!r}); lines: {where}")


@pytest.mark.browser
@pytest.mark.parametrize("path", HOMES)
def test_home_reaches_the_first_ongoing_outage_soon_after_the_skip_link(audit_tab: Page, site_url: str,
                                                                       path: str) -> None:
    audit.open_page(audit_tab, site_url + path)
    audit_tab.keyboard.press("Tab")
    href = audit_tab.evaluate("document.activeElement && document.activeElement.getAttribute('href')")
    assert href and href.startswith("#") and len(href) > 1, f"{path}: the first Tab stop is not a skip link"
    first = audit_tab.evaluate("""() => {
      const card = document.querySelector("#katko-ongoing .katko-card__title a");
      return card && card.textContent.replace(/\\s+/g, " ").trim();
    }""")
    assert first, f"{path}: no ongoing outage listed"
    # Where the skip link lands, in the whole page's tree: the target's own first line.
    lines = audit.spoken(audit.aria_lines(audit_tab, "body"))
    target = audit.spoken(audit.aria_lines(audit_tab, f"[id='{href[1:]}']"))[0]
    start = lines.index(target)
    line = audit.first_line(lines[start:], first)
    assert 0 <= line <= FEW_LINES, f"{path}: the first ongoing outage is {line} lines after the skip target:\n" + \
        "\n".join(lines[start:start + FEW_LINES + 3])


@pytest.mark.browser
@pytest.mark.parametrize("path", CURRENT)
def test_what_to_do_instead_is_on_the_first_phone_screen(audit_tab: Page, site_url: str, path: str) -> None:
    audit_tab.set_viewport_size(audit.PHONE)
    try:
        audit.open_page(audit_tab, site_url + path)
        bottom = audit_tab.evaluate("""() => {
          const link = document.querySelector("[data-katko-live$='-status'] a[href='#alternatives']");
          return link && link.getBoundingClientRect().bottom;
        }""")
    finally:
        audit_tab.set_viewport_size(audit.NARROW)
    assert bottom is not None, f"{path}: no link to what to do instead at the top"
    assert bottom <= audit.PHONE["height"], f"{path}: the link to what to do instead ends at {bottom} px"
