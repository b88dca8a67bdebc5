"""Fixtures for the browser tests: a local HTTP server and headless Chromium."""

from __future__ import annotations

import functools
import threading
from datetime import datetime
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page, sync_playwright

from ..conftest import KATKO_NOW
from .audit import audit_page

# Debian's Chromium, installed by ./dev test; Playwright's own browser
# downloads are unavailable here by design.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where the sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    # Keep Chromium from phoning home, so every request we see is the page's own.
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # one line per request would drown pytest's output


class _FolderHandler(_QuietHandler):
    """Also serves the site under the folder its site_url names, where its 404 page links to."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(self.prefix) if path.startswith(self.prefix) else path)


def _serve(folder: Path, prefix: str = "/") -> Iterator[str]:
    handler = functools.partial(type("Handler", (_FolderHandler,), {"prefix": prefix}), directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on a free local port; yield its base URL (no trailing slash)."""
    yield from _serve(built_site)


#: Where the internal staff site says it is published, under which its 404 page links.
INTERNAL_PREFIX = urlsplit(yaml.safe_load((Path(__file__).resolve().parents[2] / "mkdocs.internal.yml")
                                          .read_text())["site_url"]).path


@pytest.fixture(scope="session")
def internal_site_url(internal_site: Path) -> Iterator[str]:
    """Serve the internal staff site likewise."""
    yield from _serve(internal_site, INTERNAL_PREFIX)


@pytest.fixture(scope="session")
def stress_site_url(stress_site: Path) -> Iterator[str]:
    """Serve the stress project's public site (tests/stress.py)."""
    yield from _serve(stress_site)


@pytest.fixture(scope="session")
def stress_internal_site_url(stress_internal_site: Path) -> Iterator[str]:
    """Serve the stress project's internal staff site."""
    yield from _serve(stress_internal_site, INTERNAL_PREFIX)


def _at_site_now(browser: Browser) -> None:
    """Every page's clock reads KATKO_NOW, the "now" the site was built at.

    The status script moves a notice to its next phase by the browser's clock, so with the real
    clock a test would see the site of whatever day it runs on (an outage of the example records
    ends, and its page stops saying what to do instead). A test that drives time itself
    (``page.clock.install``) replaces this clock with its own.
    """
    new_context = browser.new_context

    def pinned(**options: object) -> BrowserContext:
        context = new_context(**options)  # type: ignore[arg-type]
        context.clock.set_fixed_time(datetime.fromisoformat(KATKO_NOW))
        return context

    browser.new_context = pinned  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Fail, never skip: a missing browser must not turn the check green.
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found; ./dev test installs it", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _at_site_now(browser)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # A fresh context per test: no cache or storage leaks between pages.
    with browser.new_context() as context:
        yield context.new_page()


# Runs before any of the page's own scripts, and is not subject to its CSP.
WATCH = """
window.__watch = {violations: [], errors: []};
document.addEventListener("securitypolicyviolation", function (e) {
  window.__watch.violations.push(e.violatedDirective + " " + e.blockedURI);
});
window.addEventListener("error", function (e) { window.__watch.errors.push(String(e.message)); });
window.addEventListener("unhandledrejection", function (e) { window.__watch.errors.push(String(e.reason)); });
"""


class Watch:
    """What a page reports that it should not: Content Security Policy violations, script
    errors and dialogs."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.page_errors: list[str] = []
        self.csp_console: list[str] = []
        self.dialogs: list[str] = []
        page.add_init_script(WATCH)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_console.append(message.text)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def problems(self) -> list[str]:
        """What was seen since the last call."""
        seen = self.page.evaluate("window.__watch")
        found = [f"CSP violation: {v}" for v in seen["violations"]] + [f"CSP: {m}" for m in self.csp_console]
        found += [f"error: {e}" for e in self.page_errors + seen["errors"]] + [f"dialog: {m}" for m in self.dialogs]
        self.page_errors, self.csp_console, self.dialogs = [], [], []
        self.page.evaluate("window.__watch.errors = []; window.__watch.violations = []")
        return found

    def assert_clean(self) -> None:
        assert self.problems() == []


@pytest.fixture(scope="session")
def audit_tab(browser: Browser) -> Iterator[Page]:
    """One page, in one context at 320 CSS px, for the whole accessibility audit (audit.py)."""
    with audit_page(browser) as tab:
        yield tab
