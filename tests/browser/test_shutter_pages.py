"""Shutter pages, iframe pages and snippets in headless Chromium: axe-core (WCAG 2.1 A/AA), no
requests to another origin, and their own Content Security Policy keeping their styles.

The snippets are fragments, so they are checked inside a minimal host page, both with axe-core
and with the Nu Html Checker (which would otherwise report a fragment's missing doctype and title).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from katko.records import loading as records
from katko.records.settings import Settings
from katko.core.times import parse_time

from ..conftest import KATKO_NOW
from .test_html_validity import VNU_JAR
from .test_pages_in_browser import AXE_JS, AXE_RUN, REPO, _describe_violation, _is_local, record_requests


def _pages() -> list[tuple[str, str]]:
    """Every shutter and iframe page of the example site, as (expected <html lang>, path)."""
    settings = Settings(now=parse_time(KATKO_NOW))
    dataset, report = records.load([REPO / "outages"], settings)
    assert not report.errors
    pages = []
    for service in dataset.services:
        # A shutter page speaks every language; its own is the site's first.
        pages.append((settings.languages[0], f"/shutter/{service}/"))
        pages += [(lang, f"/embed/{service}/{lang}/") for lang in settings.languages]
    return pages


PAGES = _pages()
HOST = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>Host page</title></head>
<body><main><h1>Host page</h1>
{fragment}
</main></body></html>
"""


@pytest.fixture
def csp_bypassed(browser: Browser) -> Iterator[Page]:
    """A page that may inject axe-core although the page's own CSP forbids scripts."""
    with browser.new_context(bypass_csp=True) as context:
        yield context.new_page()


def _axe(page: Page, where: str) -> list[str]:
    page.add_script_tag(path=AXE_JS)  # inlined: adds no request of its own
    result = page.evaluate(AXE_RUN)
    # Guards against a vacuous pass, e.g. axe running on an empty document.
    assert result["passes"] > 0, f"axe found nothing to check on {where}"
    return [_describe_violation(v) for v in result["violations"]]


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "path"), PAGES, ids=[path for _, path in PAGES])
def test_page(csp_bypassed: Page, site_url: str, lang: str, path: str) -> None:
    assert AXE_JS.is_file(), f"{AXE_JS} missing; run ./dev test (it runs npm ci)"
    page = csp_bypassed
    # The CSP is bypassed here, so this sees what the page itself would load.
    requests = record_requests(page, site_url)
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok, f"GET {path} -> {response and response.status}"

    problems = [f"request to another origin: {url}" for url in requests if not _is_local(url, site_url)]
    # The page itself and at most the favicon the browser asks for of its own accord.
    problems += [f"request for {url}" for url in requests
                 if url not in (site_url + path, site_url + "/favicon.ico")]
    html_lang = page.evaluate("document.documentElement.lang")
    if html_lang != lang:
        problems.append(f'<html lang="{html_lang}">, expected "{lang}"')
    problems += _axe(page, path)
    if problems:
        pytest.fail(f"{len(problems)} problem(s) on {path}:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/shutter/rakennuslupa/", "/embed/rakennuslupa/sv/"])
def test_own_policy_keeps_the_styles_and_reports_nothing(page: Page, site_url: str, path: str) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.goto(site_url + path, wait_until="load")
    # The inline <style> applied under the page's own CSP: links have its blue.
    colour = page.evaluate("getComputedStyle(document.querySelector('main a')).color")
    assert colour in ("rgb(29, 79, 145)", "rgb(76, 44, 146)")
    assert [m for m in messages if m.startswith("error")] == []


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_snippet_in_a_host_page(page: Page, built_site: Path, lang: str) -> None:
    for snippet in sorted((built_site / "embed").glob(f"*/{lang}.html")):
        page.set_content(HOST.format(lang=lang, fragment=snippet.read_text(encoding="utf-8")))
        region = page.get_by_role("region", name=page.locator(".katko-embed__title").inner_text())
        assert region.count() == 1, snippet
        problems = _axe(page, str(snippet))
        if problems:
            pytest.fail(f"{len(problems)} problem(s) in {snippet}:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.vnu
def test_snippets_are_valid_in_a_host_page(built_site: Path, tmp_path: Path) -> None:
    java = shutil.which("java")
    # Fail, never skip: a missing tool must not turn the check green.
    if java is None:
        pytest.fail("java not found; ./dev test installs default-jre-headless", pytrace=False)
    snippets = sorted((built_site / "embed").glob("*/*.html"))
    assert snippets
    for snippet in snippets:
        lang = snippet.stem
        host = tmp_path / f"{snippet.parent.name}-{lang}.html"
        host.write_text(HOST.format(lang=lang, fragment=snippet.read_text(encoding="utf-8")), encoding="utf-8")
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout", str(tmp_path)],
                            capture_output=True, text=True)
    messages = json.loads(result.stdout)["messages"]
    assert [f"{m.get('url', '?').rsplit('/', 1)[-1]}: {m.get('message')}" for m in messages] == []
    assert result.returncode == 0, result.stderr
