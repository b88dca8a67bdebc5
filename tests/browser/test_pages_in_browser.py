"""Every page in headless Chromium: axe-core (WCAG 2.1 A/AA), no third-party requests, <html lang>,
and no Content Security Policy violation or script error under the page's own policy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect

from katko.site import planning
from katko.records import loading as records
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.core.times import parse_time

from ..conftest import KATKO_NOW
from .conftest import Watch

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
}).then(r => ({violations: r.violations, passes: r.passes.length}))"""

REPO = Path(__file__).resolve().parents[2]


def _site_pages(internal: bool = False) -> list[tuple[str | None, str]]:
    """Every page the example site (or the internal staff site) has at KATKO_NOW, as
    (language, path), from Katko's core."""
    settings = Settings(now=parse_time(KATKO_NOW))
    dataset, report = records.load([REPO / "outages"], settings)
    assert not report.errors
    site = Site(dataset, settings, planning.plan(dataset, settings, report) if internal else None)
    pages = [(None if p.kind == "root" else p.lang, "/" + p.path) for p in site.pages()]
    # The root and 404 pages speak every language, each part marked with its own.
    return pages + [(None, "/404.html")]


PAGES = _site_pages()
INTERNAL_PAGES = _site_pages(internal=True)


def _is_local(url: str, site_url: str) -> bool:
    # data: and blob: URLs are made inside the page and never leave the machine.
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or f"{parts.scheme}://{parts.netloc}" == site_url


def record_requests(page: Page, site_url: str) -> list[str]:
    """Every request the page makes, from now on; those to other origins are aborted,
    so that a check does not depend on the network and a slow host cannot stall it."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    def stay_local(route: Route, request: Request) -> None:
        if _is_local(request.url, site_url):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", stay_local)
    return requests


def _describe_violation(violation: dict) -> str:
    lines = [f"axe {violation['id']} [{violation['impact']}] {violation['help']} ({violation['helpUrl']})"]
    nodes = violation["nodes"]
    for node in nodes[:3]:
        html = " ".join(node["html"].split())[:200]  # one line per element
        lines.append(f"    at {', '.join(map(str, node['target']))}: {html}")
        # axe's own diagnosis, e.g. the measured contrast ratio and colours.
        summary = "; ".join(line.strip() for line in node.get("failureSummary", "").splitlines() if line.strip())
        lines.append(f"      {summary.replace(':;', ':')[:300]}")
    if len(nodes) > 3:
        lines.append(f"    ... and {len(nodes) - 3} more element(s)")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "path"), PAGES, ids=[path for _, path in PAGES])
def test_page(page: Page, site_url: str, lang: str | None, path: str) -> None:
    _check_page(page, site_url, lang, path)


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "path"), INTERNAL_PAGES, ids=["internal:" + path for _, path in INTERNAL_PAGES])
def test_internal_page(page: Page, internal_site_url: str, lang: str | None, path: str) -> None:
    _check_page(page, internal_site_url, lang, path)
    # Staff read tables by their names (a screen reader's list of tables): each has one, as the
    # browser computes it from its caption or the heading it is labelled by. A table in a closed
    # <details> (the heat map's figures) is in no list until it is opened.
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    for table in page.locator("table").all():
        expect(table).to_have_accessible_name(re.compile(r"\S"))


def _check_page(page: Page, site_url: str, lang: str | None, path: str) -> None:
    assert AXE_JS.is_file(), f"{AXE_JS} missing; run ./dev test (it runs npm ci)"

    requests = record_requests(page, site_url)
    watch = Watch(page)
    # Before the page's own scripts, where its Content Security Policy does not reach.
    page.add_init_script(path=AXE_JS)
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok, f"GET {path} -> {response and response.status}"

    problems = [f"request to another origin: {url}" for url in requests if not _is_local(url, site_url)]
    # The page under its own Content Security Policy, before axe-core does anything.
    problems += watch.problems()
    if lang is not None:
        html_lang = page.evaluate("document.documentElement.lang")
        if html_lang != lang:
            problems.append(f'<html lang="{html_lang}">, expected "{lang}"')

    result = page.evaluate(AXE_RUN)
    # Guards against a vacuous pass, e.g. axe running on an empty document.
    assert result["passes"] > 0, f"axe found nothing to check on {path}"
    problems += [_describe_violation(v) for v in result["violations"]]

    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path}:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize(("query", "state", "says"), [("", "before typing", "Aloitetaan hakua"),
                                                      ("maksu", "with results", "5 täsmäävää dokumenttia"),
                                                      ("xqzv", "with none", "Ei täsmääviä dokumentteja")])
def test_open_search_dialog(browser: Browser, site_url: str, width: int, query: str, state: str, says: str) -> None:
    """axe over the search dialog as the reader meets it, which no page shows while loaded:
    the line that tells how many results there are (a status message) must be as readable as
    the rest (1.4.3)."""
    # Reduced motion: axe judges the dialog as it stays, not while it fades in.
    with browser.new_context(viewport={"width": width, "height": 700}, reduced_motion="reduce") as context:
        page = context.new_page()
        page.add_init_script(path=AXE_JS)
        page.goto(f"{site_url}/fi/", wait_until="load")
        page.locator(".katko-search-button").click()
        meta = page.locator(".md-search-result__meta")
        page.keyboard.type(query)
        expect(meta).to_have_text(says)
        expect(meta).to_be_visible()
        result = page.evaluate(AXE_RUN)
    problems = [_describe_violation(v) for v in result["violations"]]
    if problems:
        pytest.fail(f"{len(problems)} problem(s) in the search dialog {state} at {width} px:\n" + "\n".join(problems),
                    pytrace=False)
