"""An accessibility audit beyond axe, in the browser: reflow at 320 CSS px with and without
the text spacing of WCAG 1.4.12, the keyboard's Tab stops (visible, with a focus indicator
of at least 3:1), the skip link, and the order in which a page tells its story.

The measuring happens in the page (audit.js); this module drives it and words the findings.
One browser context serves every page: the audit is read-only, and a page load is what it
costs, not a new context."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, Page

AUDIT_JS = Path(__file__).with_name("audit.js")

#: The narrowest screen WCAG 1.4.10 asks content to reflow into.
NARROW = {"width": 320, "height": 640}
#: A phone, for the order of information ("within the first screen").
PHONE = {"width": 375, "height": 667}

#: WCAG 1.4.12: text must survive these spacings, set by the reader, without loss.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

#: The sheet goes into the document and each open shadow root (the banner's), as a reader's
#: own style sheet reaches them all.
ADD_SHEET = """(css) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  const roots = [document, ...[...document.querySelectorAll("*")].map((el) => el.shadowRoot).filter(Boolean)];
  for (const root of roots) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}"""

REMOVE_SHEET = """() => {
  const roots = [document, ...[...document.querySelectorAll("*")].map((el) => el.shadowRoot).filter(Boolean)];
  for (const root of roots) root.adoptedStyleSheets = root.adoptedStyleSheets.slice(0, -1);
}"""

#: More Tab stops than any page has; reaching it means focus is going round in circles.
MAX_STOPS = 400


@contextmanager
def audit_page(browser: Browser, viewport: dict[str, int] = NARROW) -> Iterator[Page]:
    """One page in a fresh context for a whole run of the audit. Reduced motion, as some
    readers set it: focus scrolls at once and nothing is caught mid-transition."""
    with browser.new_context(viewport=viewport, reduced_motion="reduce") as context:
        context.add_init_script(path=AUDIT_JS)
        yield context.new_page()


def open_page(page: Page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"GET {url} -> {response and response.status}"


# ------------------------------------------------------------------ reflow


def overflow(page: Page, *, spacing: bool = False) -> list[str]:
    """What the page paints beyond the edge of the viewport (at the viewport's current width),
    and scroll containers a keyboard or screen reader user cannot use; with ``spacing``, after
    applying WCAG 1.4.12's text spacing (removed again afterwards)."""
    with _spaced(page, spacing):
        width = page.evaluate("document.documentElement.clientWidth")
        found = [f"{f['what']} reaches {f['left']}…{f['right']} px on a {width} px screen"
                 for f in page.evaluate("__katkoAudit.overflow()")]
        found += page.evaluate("__katkoAudit.scrollers()")
    return found


def clipped(page: Page, *, spacing: bool = False) -> list[str]:
    """Text cut off by a box inside the page that hides what overflows it rather than scrolling
    it (an ellipsis, ``overflow: hidden``): part of it is on no screen at all. With ``spacing``,
    as :func:`overflow`."""
    with _spaced(page, spacing):
        return page.evaluate("__katkoAudit.clipped()")


@contextmanager
def _spaced(page: Page, spacing: bool) -> Iterator[None]:
    """With ``spacing``, WCAG 1.4.12's text spacing while in the block. A constructed style sheet,
    as a reader's own style sheet would be: the page's Content Security Policy (no inline
    styles) does not apply to it."""
    if spacing:
        page.evaluate(ADD_SHEET, TEXT_SPACING)
    try:
        yield
    finally:
        if spacing:
            page.evaluate(REMOVE_SHEET)


# ---------------------------------------------------------------- keyboard


@dataclass(frozen=True)
class Stop:
    index: int
    what: str
    problems: list[str]


def tab_through(page: Page) -> list[Stop]:
    """Press Tab from the top of the freshly loaded page until focus has gone past its last
    stop; each Tab stop, with what is wrong with it (invisible, out of view, covered, no
    focus indicator of 3:1). Leaves focus back on the first stop."""
    page.evaluate("__katkoAudit.reset()")
    for _ in range(MAX_STOPS):
        page.keyboard.press("Tab")
        state = page.evaluate("__katkoAudit.step()")
        if state == "end":  # focus left the page; the next Tab brings it back
            page.keyboard.press("Tab")
            state = page.evaluate("__katkoAudit.step()")
        if state == "first":
            break
        if state.startswith("cycle"):
            raise AssertionError(f"Tab goes round without leaving the page ({state}): focus is trapped")
    else:
        raise AssertionError(f"{MAX_STOPS} Tab stops without leaving the page: focus is trapped")
    # Judged with no stop focused (each one's look without focus is compared), then back.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    stops = [Stop(**stop) for stop in page.evaluate("__katkoAudit.report()")]
    page.evaluate("__katkoAudit.refocus()")
    return stops


def stop_problems(stops: list[Stop]) -> list[str]:
    return [f"Tab stop {s.index} {s.what} {p}" for s in stops for p in s.problems]


SKIP_LINK = """() => {
  const link = document.activeElement;
  if (!link || link.tagName !== "A") return {error: "the first Tab stop is not a link: " + __katkoAudit.describe(link)};
  const href = link.getAttribute("href") || "";
  if (!href.startsWith("#") || href.length < 2) return {error: "the first Tab stop is not a link within the page: " + __katkoAudit.describe(link)};
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  if (!target) return {error: "the skip link's target " + href + " does not exist"};
  const main = document.querySelector("main, [role=main]");
  if (!main) return {error: "the page has no main landmark"};
  if (!(main === target || main.contains(target))) return {error: "the skip link's target " + href + " is not in the main content"};
  return {href: href};
}"""

AFTER_SKIP = """(href) => {
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  const active = document.activeElement;
  return {
    focusedTarget: active === target || target.contains(active),
    what: __katkoAudit.describe(active),
  };
}"""

NEXT_AFTER_SKIP = """(href) => {
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  const active = document.activeElement;
  const main = document.querySelector("main, [role=main]");
  // Past the header and the menu: inside the main content, at or after the target.
  return {
    inMain: Boolean(active && main.contains(active)),
    afterTarget: Boolean(active && (target.contains(active) || __katkoAudit.precedes(target, active))),
    what: __katkoAudit.describe(active),
  };
}"""


def skip_link_problems(page: Page) -> list[str]:
    """The first Tab stop must be a link to the main content that moves focus there: after
    following it, focus is on its target, and the next Tab goes on inside the main content.
    Starts from the first stop, where :func:`tab_through` leaves focus."""
    found = page.evaluate(SKIP_LINK)
    if "error" in found:
        return [found["error"]]
    href = found["href"]
    page.keyboard.press("Enter")
    after = page.evaluate(AFTER_SKIP, href)
    problems = []
    if not after["focusedTarget"]:
        problems.append(f"following the skip link leaves focus on {after['what']}, not on {href}")
    page.keyboard.press("Tab")
    following = page.evaluate(NEXT_AFTER_SKIP, href)
    if not (following["inMain"] and following["afterTarget"]):
        problems.append(f"after the skip link the next Tab goes to {following['what']}, outside the main content")
    return problems


# ------------------------------------------------------------- reading order


def aria_lines(page: Page, selector: str) -> list[str]:
    """The accessibility tree under ``selector``, one line per node as a screen reader's
    browse mode meets them (Playwright's ARIA snapshot)."""
    return [line.strip() for line in page.locator(selector).first.aria_snapshot().splitlines() if line.strip()]


#: Lines of an ARIA snapshot that only open a container or give a link's address: a screen
#: reader says them along with the next line, not as a line of their own.
_SILENT = re.compile(r"- (/url:|(article|main|list|listitem|region|group|navigation|complementary|banner|"
                     r"contentinfo|generic|section|definition)\b[^:]*:$)")


def spoken(lines: list[str]) -> list[str]:
    """The lines that say something of their own (see ``_SILENT``)."""
    return [line for line in lines if not _SILENT.match(line)]


def first_line(lines: list[str], text: str) -> int:
    """The index of the first line that says ``text``, or -1."""
    needle = " ".join(text.split())
    return next((i for i, line in enumerate(lines) if needle in line), -1)


# ------------------------------------------------------- focus kept in sight

#: The focused element (inside an open shadow root too: the banner's), if the browser scrolled
#: it where something else is painted over it (the sticky header, Material's "back to top"
#: button) or out of view: its first line box, at its middle and just inside its top edge; of
#: a box taller than half the screen (a code block, partly on the screen already, where the
#: browser does not scroll), the middle of what is on the screen.
OBSCURED = """() => {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el || el === document.body) return null;
  const box = [...el.getClientRects()].find((r) => r.width > 0 && r.height > 0);
  if (!box) return null;
  const x = Math.min(Math.max(box.left + box.width / 2, 1), innerWidth - 1);
  const points = box.height < innerHeight / 2 ? [box.top + box.height / 2, box.top + 1] : [(Math.max(box.top, 0) + Math.min(box.bottom, innerHeight)) / 2];
  for (const y of points) {
    if (y < 0 || y >= innerHeight) return __katkoAudit.describe(el) + " is out of view";
    const hit = el.getRootNode().elementFromPoint(x, y);
    if (hit && !(el.contains(hit) || hit.contains(el))) {
      return __katkoAudit.describe(el) + " is covered by " + __katkoAudit.describe(hit);
    }
  }
  return null;
}"""


def obscured_going_back(page: Page) -> list[str]:
    """Shift+Tab from the end of the freshly loaded page back to its first stop: each stop
    the browser scrolls into view must be in sight, not under the sticky header or anything
    else that stays on the screen (WCAG 2.4.7). Going back, the browser brings a stop in at
    the top of the screen, where the header is."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    found = []
    for _ in range(MAX_STOPS):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement === document.body || !document.activeElement"):
            break
        problem = page.evaluate(OBSCURED)
        if problem:
            found.append(problem)
        if page.evaluate("document.activeElement.classList.contains('katko-skip')"):
            break
    else:
        raise AssertionError(f"{MAX_STOPS} Tab stops back without reaching the first: focus is trapped")
    return found
