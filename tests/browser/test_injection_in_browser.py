"""A site whose every text field, in every language, carries an injection payload
(tests/injection.py), in headless Chromium: on no page does a payload run, whether the
pages' Content Security Policy is in force or bypassed (so that escaping and sanitising are
tested on their own), and no page holds anything that could run or load.

Every page type is visited: home, notices, services, archive, subscribe, accessibility, the
Embed page with the banner showing the poisoned notices, the root and 404 pages, snippets,
iframe and shutter pages; and Material's search shows poisoned titles in its results.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from katko.records import loading as records
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.core.times import parse_time

from ..conftest import KATKO_NOW
from ..injection import CALLED, Poisoned
from .conftest import Watch, _serve

# Before any of the page's scripts, in every frame, whatever the page's CSP.
CALLS = """
window.__katko_hits = [];
window.__katko_xss = function (n) { window.__katko_hits.push(String(n)); };
"""

# What the page's DOM holds, shadow roots (the banner's) included: the rules of
# tests/injection.py's Audit, as a browser sees the document after its scripts ran.
AUDIT = """() => {
  const problems = [];
  const allowed = new Set(["https", "mailto", "tel"]);
  const urlAttributes = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster",
                                 "background", "ping", "srcset", "cite", "manifest"]);
  const forbidden = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"]);
  const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const ownStyles = policy !== null && policy.content.includes("'unsafe-inline'");
  const scheme = (value) => {
    const found = /^([a-zA-Z][a-zA-Z0-9+.\\-]*):/.exec(
      value.replace(/^[\\u0000-\\u0020]+|[\\u0000-\\u0020]+$/g, "").replace(/[\\t\\n\\r]/g, ""));
    return found ? found[1].toLowerCase() : null;
  };
  const local = (value) => { try { return new URL(value, location).origin === location.origin; } catch { return false; } };
  const describe = (el) => el.outerHTML.slice(0, 160);
  const visit = (root) => {
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      if (forbidden.has(tag) || (tag === "style" && !ownStyles) || tag === "math" || tag === "foreignobject") {
        problems.push("element: " + describe(el));
      }
      if (tag === "script" && !(el.src && local(el.src)) && el.type !== "application/json") {
        problems.push("script: " + describe(el));
      }
      if (tag === "meta" && (el.httpEquiv || "").toLowerCase() === "refresh") problems.push("refresh: " + describe(el));
      for (const attribute of el.attributes) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith("on") || name === "srcdoc") problems.push("attribute: " + describe(el));
        if (urlAttributes.has(name)) {
          const found = scheme(attribute.value);
          if (found !== null && !allowed.has(found) && !(found === "http" && local(attribute.value))) {
            problems.push("address: " + describe(el));
          }
        }
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return problems;
}"""


def _pages(poisoned: Poisoned) -> list[str]:
    settings = Settings(now=parse_time(KATKO_NOW))
    dataset, report = records.load([poisoned.folder], settings)
    assert not report.errors
    site = Site(dataset, settings)
    paths = ["/" + page.path for page in site.pages()] + ["/404.html"]
    for service in site.services:
        paths.append(f"/shutter/{service.id}/")
        for lang in settings.languages:
            paths += [f"/embed/{service.id}/{lang}/", f"/embed/{service.id}/{lang}.html"]
    return paths


class Catch(Watch):
    """A watched page that also remembers every payload call and failed request."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.failed: list[str] = []
        page.add_init_script(CALLS)
        # A payload's <img src=x> would ask for x; Material's language links ask for
        # sitemaps the site does not have, whatever the records say.
        page.on("response", lambda response: self.failed.append(response.url)
                if response.status >= 400 and not response.url.endswith("/sitemap.xml") else None)

    def problems(self, where: str) -> list[str]:  # type: ignore[override]
        found = [f"payload {n} ran" for n in self.page.evaluate("window.__katko_hits.splice(0)")]
        found += super().problems() + [f"request failed {url}" for url in self.failed] + self.page.evaluate(AUDIT)
        self.failed = []
        return [f"{where}: {problem}" for problem in found]


@pytest.fixture(scope="module")
def poisoned_url(poisoned_site: Path) -> Iterator[str]:
    yield from _serve(poisoned_site)


def _named(problems: list[str], poisoned: Poisoned) -> str:
    """The problems, with the field each payload number came from."""
    lines = []
    for problem in problems:
        fields = [f"{poisoned.fields[int(n)][0]}: {poisoned.fields[int(n)][1]}" for n in CALLED.findall(problem)
                  if int(n) in poisoned.fields]
        lines.append(problem + (f"  <- {'; '.join(fields)}" if fields else ""))
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("policy", ["enforced", "bypassed"])
def test_no_payload_runs_on_any_page(browser: Browser, poisoned: Poisoned, poisoned_url: str, policy: str) -> None:
    paths = _pages(poisoned)
    assert len(paths) > 80
    problems: list[str] = []
    with browser.new_context(bypass_csp=policy == "bypassed") as context:
        page = context.new_page()
        catch = Catch(page)
        for path in paths:
            response = page.goto(poisoned_url + path, wait_until="load")
            assert response is not None and response.ok, f"GET {path} -> {response and response.status}"
            # Focus moves over every link and control, for handlers that wait for it.
            for _ in range(3):
                page.keyboard.press("Tab")
            problems += catch.problems(path)
    assert not problems, f"{len(problems)} problem(s):\n" + _named(problems, poisoned)


@pytest.mark.browser
@pytest.mark.parametrize("policy", ["enforced", "bypassed"])
def test_search_results_show_the_titles_as_text(browser: Browser, poisoned: Poisoned, poisoned_url: str,
                                                policy: str) -> None:
    with browser.new_context(bypass_csp=policy == "bypassed") as context:
        page = context.new_page()
        catch = Catch(page)
        page.goto(poisoned_url + "/fi/", wait_until="load")
        page.locator("[data-katko-opens=search]").click()  # the search opens from its button
        page.locator("input.md-search__input").press_sequentially("onerror")
        results = page.locator(".md-search-result__item")
        results.first.wait_for()
        assert results.count() > 2
        # The payloads are there as text, where Material shows them as HTML.
        assert "<img src=x onerror=__katko_xss(" in page.locator(".md-search-result").inner_text()
        problems = catch.problems("search")
    assert not problems, "\n" + _named(problems, poisoned)


@pytest.mark.browser
def test_the_banner_shows_the_titles_as_text(page: Page, poisoned: Poisoned, poisoned_url: str) -> None:
    catch = Catch(page)
    page.goto(poisoned_url + "/fi/embed/", wait_until="load")
    page.locator("[data-katko-banner]").wait_for(state="attached")
    shown = page.evaluate("document.querySelector('[data-katko-banner]').shadowRoot.textContent")
    assert CALLED.search(shown), shown
    problems = catch.problems("banner")
    assert not problems, "\n" + _named(problems, poisoned)
