"""embed/banner-v3.js on a host page of another origin, under a strict Content Security Policy.

Two local servers stand in for the two sites: the notice site (the built
example site, sending ``Access-Control-Allow-Origin: *`` with ``embed/``) and
a service's own site on another port, whose page carries the snippet copied
from the Embed page and sends a strict CSP. The browser's clock is Playwright's,
so the banner is seen turning from upcoming to ongoing to gone. The first
banner, embed/banner.js with embed/outages.json, still works on pages that pinned it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, Route, expect

from .conftest import Watch as PageWatch
from .test_pages_in_browser import AXE_JS, AXE_RUN, _describe_violation

NOTICE = "2026-12-05-rakennuslupa-palvelinvaihto"  # rakennuslupa; public 20.11. 9.00, 5.12. 22.00–6.12. 4.00
OTHER = "2026-12-20-tunnistus-vaihto"  # rakennuslupa too; public from 1.12. 9.00
EXAMPLE_ORIGIN = "https://katkot.example.org"
XSS = "<img src=x onerror=alert(1)>"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --------------------------------------------------------------------------- #
# The two sites
# --------------------------------------------------------------------------- #


class _NoticeSite(SimpleHTTPRequestHandler):
    """The built site, as a static host set up as docs/embedding.md says."""

    def end_headers(self) -> None:
        if self.path.startswith("/embed/"):
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


HOST_JS = b"""// The host page's own script: it must keep working whatever the banner meets.
document.getElementById("host-button").addEventListener("click", function () {
  var out = document.getElementById("host-count");
  out.textContent = String(Number(out.textContent) + 1);
});
"""

HOST_PAGE = """<!doctype html>
<html lang="{html_lang}">
<head>
<meta charset="utf-8">
<title>Rakennuslupapalvelu</title>
<script src="/host.js" defer></script>
{head}
</head>
<body>
{body}
<header><p>Esimerkkilän kaupunki</p></header>
<main>
<h1>Rakennuslupapalvelu</h1>
<p>Hae rakennuslupaa verkossa.</p>
<p><button type="button" id="host-button">Lisää yksi</button> <output id="host-count">0</output></p>
</main>
</body>
</html>
"""


#: The earlier banners a host page may have pinned, by the query word that embeds each.
EARLIER = {"first": "banner.js", "second": "banner-v2.js"}


def _host_handler(notice_origin: str, snippet: str, integrity: str,
                  earlier: dict[str, str]) -> type[BaseHTTPRequestHandler]:
    csp = (f"default-src 'none'; script-src 'self' {notice_origin}; connect-src {notice_origin}; "
           "style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'")

    class Host(BaseHTTPRequestHandler):
        """A service's own site: ``/?service=…&lang=…&html_lang=…&place=head|body&csp=0&first=1``; ``first``
        (or ``second``) embeds the first (second) banner as the Embed page gave it before."""

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            url = urlsplit(self.path)
            if url.path == "/host.js":
                self._send(HOST_JS, "text/javascript")
                return
            if url.path != "/":
                self.send_error(404)
                return
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if "service" in query or "lang" in query:
                attrs = f'data-service="{html.escape(query.get("service", ""))}"'
                if query.get("lang"):
                    attrs += f' data-lang="{html.escape(query["lang"])}"'
                name = next((EARLIER[key] for key in EARLIER if query.get(key)), "banner-v3.js")
                pinned = earlier.get(name, integrity)
                tag = (f'<script src="{notice_origin}/embed/{name}" {attrs} '
                       f'integrity="{pinned}" crossorigin="anonymous" defer></script>')
            else:
                tag = snippet  # exactly as the Embed page gives it
            in_head = query.get("place") == "head"
            page = HOST_PAGE.format(html_lang=query.get("html_lang", "fi"), head=tag if in_head else "",
                                    body="" if in_head else tag)
            self._send(page.encode(), "text/html; charset=utf-8", csp if query.get("csp") != "0" else None)

        def _send(self, body: bytes, mime: str, policy: str | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", mime)
            self.send_header("Cache-Control", "no-store")
            if policy:
                self.send_header("Content-Security-Policy", policy)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Host


def _serve(handler: Callable[..., BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def _embed_snippet(built_site: Path, service: str) -> str:
    """The snippet for ``service`` as the Finnish Embed page shows it."""
    page = (built_site / "fi" / "embed" / "index.html").read_text(encoding="utf-8")
    for code in re.findall(r"<code[^>]*>(.*?)</code>", page, re.S):
        text = html.unescape(code)
        if text.startswith("<script ") and f'data-service="{service}"' in text:
            return text
    raise AssertionError(f"no snippet for {service} on the Embed page")


@pytest.fixture(scope="module")
def sites(built_site: Path) -> Iterator[dict[str, str]]:
    """Both origins: ``notice`` (the built site) and ``host`` (a service's page), no trailing slash."""
    notice_server, notice = _serve(functools.partial(_NoticeSite, directory=str(built_site)))
    snippet = _embed_snippet(built_site, "rakennuslupa").replace(EXAMPLE_ORIGIN, notice)
    integrity = re.search(r'integrity="([^"]+)"', snippet).group(1)  # type: ignore[union-attr]
    earlier = {name: "sha384-" + base64.b64encode(hashlib.sha384((built_site / "embed" / name).read_bytes()).digest())
               .decode() for name in EARLIER.values()}
    host_server, host = _serve(_host_handler(notice, snippet, integrity, earlier))
    yield {"notice": notice, "host": host, "snippet": snippet}
    for server in (notice_server, host_server):
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- #
# Watching the host page
# --------------------------------------------------------------------------- #

class Watch(PageWatch):
    """Everything that would mean the banner hurt the host page."""

    def assert_host_works(self) -> None:
        count = self.page.locator("#host-count")
        before = int(count.inner_text())
        self.page.locator("#host-button").click()
        expect(count).to_have_text(str(before + 1))


def host_url(sites: dict[str, str], **query: str) -> str:
    return sites["host"] + "/" + (f"?{urlencode(query)}" if query else "")


def banner(page: Page) -> Locator:
    return page.get_by_role("region")


def notice(page: Page, outage_id: str) -> Locator:
    return page.locator("[data-katko-banner] .n", has=page.locator(f'a[href*="/outages/{outage_id}/"]'))


def is_data(url: str) -> bool:
    """The banner's data: a service's file, or the first banner's one file."""
    return re.search(r"/embed/(outages|[a-z0-9-]+/(fi|sv|en))\.json$", url) is not None


def open_host(page: Page, url: str, when: str) -> Watch:
    """``url`` with the browser's clock at ``when``, once the banner's data has arrived."""
    watch = Watch(page)
    page.clock.install(time=at(when))
    with page.expect_response(lambda r: is_data(r.url)) as response:
        page.goto(url, wait_until="load")
    response.value.finished()
    page.wait_for_timeout(200)  # the banner draws right after the data arrives
    return watch


def served_doc(built_site: Path, service: str = "rakennuslupa", lang: str = "fi") -> dict[str, Any]:
    return json.loads((built_site / "embed" / service / f"{lang}.json").read_bytes())


def json_route(body: bytes | str, status: int = 200) -> Callable[[Route], None]:
    def handle(route: Route) -> None:
        route.fulfill(status=status, body=body, content_type="application/json",
                      headers={"Access-Control-Allow-Origin": "*"})
    return handle


# --------------------------------------------------------------------------- #
# Showing the right thing at the right time
# --------------------------------------------------------------------------- #


@pytest.mark.browser
def test_upcoming_then_ongoing_then_gone(page: Page, sites: dict[str, str]) -> None:
    # The snippet exactly as the Embed page gives it, integrity and all.
    watch = open_host(page, host_url(sites), "2026-11-20T08:58:00+02:00")
    expect(banner(page)).to_have_count(0)  # not public yet: nothing at all

    page.clock.run_for("03:00")  # 9.01: the notice is public
    expect(banner(page)).to_have_count(1)
    item = notice(page, NOTICE)
    expect(item).to_contain_text("Tulossa")
    expect(item).to_contain_text("Rakennuslupapalvelu ei ole käytössä la 5.12. illalla ja yöllä")
    expect(item).to_contain_text("la 5.12.2026 klo 22.00 – su 6.12.2026 klo 4.00")
    expect(item.get_by_role("link", name=re.compile("^Näin hoidat asiasi"))).to_have_attribute(
        "href", re.compile(f"/fi/outages/{NOTICE}/#alternatives$"))
    expect(item.get_by_role("button")).to_be_visible()
    # It never takes the focus.
    assert page.evaluate("document.activeElement === document.body")

    page.clock.fast_forward(int((at("2026-12-05T21:59:00+02:00") - at("2026-11-20T09:01:00+02:00"))
                                .total_seconds() * 1000))
    expect(notice(page, NOTICE)).to_contain_text("Tulossa")
    page.clock.run_for("02:00")  # 22.01: under way, without reloading the page
    expect(notice(page, NOTICE)).to_contain_text("Käynnissä")
    expect(notice(page, NOTICE)).not_to_contain_text("Tulossa")

    page.clock.fast_forward("06:00:00")  # 4.01: over
    expect(notice(page, NOTICE)).to_have_count(0)
    expect(notice(page, OTHER)).to_contain_text("Tulossa")  # the next one is still to come
    watch.assert_clean()
    watch.assert_host_works()


@pytest.mark.browser
def test_other_services_outages_are_not_shown(page: Page, sites: dict[str, str]) -> None:
    watch = open_host(page, host_url(sites, service="kirjasto, maksut"), "2026-12-01T12:00:00+02:00")
    expect(page.locator("[data-katko-banner] .n")).to_have_count(3)  # comma and space separated
    expect(notice(page, "2026-11-30-kirjasto-varaukset")).to_contain_text("Käynnissä")
    expect(notice(page, "2026-12-03-maksut-tietoturvapaivitys")).to_contain_text("Tulossa")
    expect(notice(page, "2026-12-12-maksut-verkkopankkimaksut")).to_contain_text("Tulossa")
    expect(notice(page, NOTICE)).to_have_count(0)
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize(("query", "lang", "word"), [
    ({"service": "rakennuslupa", "lang": "sv"}, "sv", "Kommande"),
    ({"service": "rakennuslupa", "html_lang": "sv-FI"}, "sv", "Kommande"),
    ({"service": "rakennuslupa", "html_lang": "en"}, "en", "Upcoming"),
    ({"service": "rakennuslupa", "html_lang": "de"}, "fi", "Tulossa"),
], ids=["data-lang", "html-lang", "english", "fallback-fi"])
def test_language(page: Page, sites: dict[str, str], query: dict[str, str], lang: str, word: str) -> None:
    watch = open_host(page, host_url(sites, **query), "2026-11-25T12:00:00+02:00")
    region = banner(page)
    expect(region).to_have_attribute("lang", lang)
    expect(region).to_have_accessible_name(served_region_name(page, lang))
    expect(notice(page, NOTICE)).to_contain_text(word)
    if lang == "sv":
        expect(notice(page, NOTICE)).to_contain_text("Bygglovstjänsten är ur bruk")
        expect(notice(page, NOTICE)).to_contain_text("lö 5.12.2026 kl. 22.00 – sö 6.12.2026 kl. 4.00")
        expect(notice(page, NOTICE).get_by_role("link").first).to_have_attribute(
            "href", re.compile(f"/sv/outages/{NOTICE}/$"))
    watch.assert_clean()


@pytest.mark.browser
def test_a_language_the_site_lacks_falls_back_to_finnish(page: Page, sites: dict[str, str]) -> None:
    page.route("**/embed/rakennuslupa/sv.json", json_route("Not found", status=404))
    watch = open_host(page, host_url(sites, service="rakennuslupa", lang="sv"), "2026-11-25T12:00:00+02:00")
    page.wait_for_timeout(300)  # the Finnish file follows the missing Swedish one
    expect(banner(page)).to_have_attribute("lang", "fi")
    expect(notice(page, NOTICE)).to_contain_text("Tulossa")
    watch.assert_clean()


@pytest.mark.browser
def test_each_page_downloads_only_its_services_data(page: Page, sites: dict[str, str]) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    watch = open_host(page, host_url(sites, service="rakennuslupa asiointi"), "2026-12-02T12:00:00+02:00")
    expect(notice(page, NOTICE)).to_be_visible()
    expect(notice(page, OTHER)).to_have_count(1)  # an outage of both services comes once
    data = sorted(urlsplit(url).path for url in requests if is_data(url))
    assert data == ["/embed/asiointi/fi.json", "/embed/rakennuslupa/fi.json"]
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize(("earlier", "data"), [("first", "/embed/outages.json"),
                                               ("second", "/embed/rakennuslupa/fi.json")])
def test_an_earlier_banner_still_works_where_it_was_embedded(page: Page, sites: dict[str, str], earlier: str,
                                                             data: str) -> None:
    """A page that pinned embed/banner.js (before per-service data) or embed/banner-v2.js (before
    banner-v3.js) with its integrity hash: that file, reading the data it knows."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    watch = open_host(page, host_url(sites, service="rakennuslupa", **{earlier: "1"}), "2026-11-25T12:00:00+02:00")
    expect(notice(page, NOTICE)).to_contain_text("Tulossa")
    expect(notice(page, NOTICE)).to_contain_text("la 5.12.2026 klo 22.00 – su 6.12.2026 klo 4.00")
    assert [urlsplit(url).path for url in requests if is_data(url)] == [data]
    assert [urlsplit(url).path for url in requests if "/embed/banner" in url] == ["/embed/" + EARLIER[earlier]]
    watch.assert_clean()
    watch.assert_host_works()


def served_region_name(page: Page, lang: str) -> str:
    """The region's name as the banner's data gives it (the catalogs decide the words)."""
    return page.evaluate("""async (lang) => {
        const script = document.querySelector('script[src$="embed/banner-v3.js"]');
        const doc = await (await fetch(new URL(`rakennuslupa/${lang}.json`, script.src))).json();
        return doc.labels.region;
    }""", lang)


# --------------------------------------------------------------------------- #
# Hiding a notice
# --------------------------------------------------------------------------- #


def focus_in_banner(page: Page) -> str | None:
    return page.evaluate("""() => {
        const host = document.activeElement;
        const inner = host && host.shadowRoot && host.shadowRoot.activeElement;
        return inner ? inner.tagName.toLowerCase() + ":" + inner.textContent : null;
    }""")


@pytest.mark.browser
def test_dismissed_with_the_keyboard_and_remembered(page: Page, sites: dict[str, str]) -> None:
    watch = open_host(page, host_url(sites), "2026-11-25T12:00:00+02:00")
    expect(notice(page, NOTICE)).to_be_visible()
    for _ in range(10):  # the banner is first on the page: its link, link, then the button
        page.keyboard.press("Tab")
        focused = focus_in_banner(page) or ""
        if focused.startswith("button:"):
            break
    assert focused.startswith("button:"), focused
    page.keyboard.press("Enter")
    expect(notice(page, NOTICE)).to_have_count(0)
    expect(banner(page)).to_have_count(0)

    stored = page.evaluate("Object.keys(localStorage)")
    assert any(NOTICE in key and "2026-11-20T09:00:00+02:00" in key for key in stored), stored

    with page.expect_response(lambda r: is_data(r.url)):
        page.reload(wait_until="load")
    page.wait_for_timeout(300)
    expect(notice(page, NOTICE)).to_have_count(0)
    watch.assert_clean()
    watch.assert_host_works()


@pytest.mark.browser
def test_hiding_the_last_notice_keeps_focus_and_says_so(page: Page, sites: dict[str, str]) -> None:
    watch = open_host(page, host_url(sites), "2026-11-25T12:00:00+02:00")
    expect(page.locator("[data-katko-banner] .n")).to_have_count(1)
    said = page.locator("[data-katko-banner]").get_by_role("status")
    # The live region is there, silent, before anything is hidden: only then is a change announced.
    expect(said).to_have_count(1)
    expect(said).to_have_text("")
    notice(page, NOTICE).get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(notice(page, NOTICE)).to_have_count(0)
    # Said in the page's language, and focus is on those words, not dropped to <body>.
    expect(said).to_have_text("Tiedote on piilotettu.")
    expect(said).to_have_attribute("lang", "fi")
    expect(said).to_be_visible()
    assert focus_in_banner(page) == "p:Tiedote on piilotettu.", focus_in_banner(page)
    # Tab goes on from the banner into the host page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "host-button"
    watch.assert_clean()


@pytest.mark.browser
def test_focus_stays_with_the_notices_that_remain(page: Page, sites: dict[str, str]) -> None:
    watch = open_host(page, host_url(sites), "2026-12-02T12:00:00+02:00")
    expect(page.locator("[data-katko-banner] .n")).to_have_count(2)
    notice(page, NOTICE).get_by_role("button").focus()
    page.keyboard.press("Enter")
    expect(notice(page, NOTICE)).to_have_count(0)
    # Not thrown back to the top of the page: on the remaining notice's button.
    assert (focus_in_banner(page) or "").startswith("button:"), focus_in_banner(page)
    expect(notice(page, OTHER)).to_be_visible()
    watch.assert_clean()


@pytest.mark.browser
def test_a_change_shows_a_hidden_notice_again(page: Page, sites: dict[str, str], built_site: Path) -> None:
    doc = served_doc(built_site)
    page.route("**/embed/rakennuslupa/fi.json", json_route(json.dumps(doc)))
    watch = open_host(page, host_url(sites), "2026-11-25T12:00:00+02:00")
    notice(page, NOTICE).get_by_role("button").click()
    expect(notice(page, NOTICE)).to_have_count(0)

    changed = next(o for o in doc["outages"] if o["id"] == NOTICE)
    changed["states"][0]["changed"] = "2026-11-26T10:00:00+02:00"  # e.g. the end moved
    page.unroute("**/embed/rakennuslupa/fi.json")
    page.route("**/embed/rakennuslupa/fi.json", json_route(json.dumps(doc)))
    page.clock.run_for("10:01")  # the banner fetches again every ten minutes
    expect(notice(page, NOTICE)).to_be_visible()
    watch.assert_clean()


@pytest.mark.browser
def test_storage_that_throws_fails_safe(page: Page, sites: dict[str, str]) -> None:
    page.add_init_script("""Object.defineProperty(window, "localStorage", {
        get() { throw new DOMException("denied", "SecurityError"); } });""")
    watch = open_host(page, host_url(sites), "2026-11-25T12:00:00+02:00")
    expect(notice(page, NOTICE)).to_be_visible()  # shown, not hidden by a failure
    notice(page, NOTICE).get_by_role("button").click()
    expect(notice(page, NOTICE)).to_have_count(0)  # hidden for this page view at least
    watch.assert_clean()


# --------------------------------------------------------------------------- #
# Never breaking the host page
# --------------------------------------------------------------------------- #


def _never_answer(route: Route) -> None:
    pass  # neither fulfilled nor aborted: the request hangs


FAILURES: dict[str, Callable[[Route], None]] = {
    "404": json_route("Not found", status=404),
    "malformed": json_route("{\"outages\": [ {\"id\": "),
    "wrong-shape": json_route(json.dumps({"outages": {"id": 1}, "labels": []})),
    "garbage-outages": json_route(json.dumps({"version": 2, "labels": {}, "outages": [
        None, 7, {"id": NOTICE, "states": None}, {"id": NOTICE, "services": ["rakennuslupa"], "states": 3,
                                                 "public_from": "x", "start": "y"}]})),
    "html": lambda route: route.fulfill(status=200, body="<!doctype html><p>Maintenance", content_type="text/html",
                                        headers={"Access-Control-Allow-Origin": "*"}),
    "down": lambda route: route.abort("connectionrefused"),
    "timeout": _never_answer,
}


@pytest.mark.browser
@pytest.mark.parametrize("failure", FAILURES)
def test_failures_leave_the_host_page_working(page: Page, sites: dict[str, str], failure: str) -> None:
    watch = Watch(page)
    page.route("**/embed/rakennuslupa/*.json", FAILURES[failure])
    page.clock.install(time=at("2026-11-25T12:00:00+02:00"))
    page.goto(host_url(sites), wait_until="load")
    page.clock.run_for("00:06")  # past the banner's 5 s timeout
    page.wait_for_timeout(300)
    expect(page.locator("[data-katko-banner]")).to_have_count(0)
    watch.assert_host_works()
    page.clock.run_for("01:00")  # a few of the banner's 30 s ticks
    watch.assert_host_works()
    watch.assert_clean()


@pytest.mark.browser
def test_markup_in_a_record_is_shown_as_text(page: Page, sites: dict[str, str], built_site: Path) -> None:
    doc = served_doc(built_site)
    for outage in doc["outages"]:
        if outage["id"] == NOTICE:
            outage["title"] = XSS
            for state in outage["states"]:
                state["period"] = "<b>bold</b>"
        if outage["id"] == OTHER:
            outage["alternatives_url"] = "javascript:alert(2)"
    doc["labels"]["hide"] = "<script>alert(3)</script>"
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.route("**/embed/rakennuslupa/fi.json", json_route(json.dumps(doc)))
    # No CSP here: were the text inserted as HTML, the handler would run.
    watch = open_host(page, host_url(sites, service="rakennuslupa", csp="0"), "2026-12-02T12:00:00+02:00")

    item = notice(page, NOTICE)
    expect(item.get_by_role("link").first).to_have_text(XSS)
    expect(item).to_contain_text("<b>bold</b>")
    expect(item.get_by_role("button")).to_contain_text("<script>alert(3)</script>")
    shadow = page.evaluate("""() => {
        const root = document.querySelector("[data-katko-banner]").shadowRoot;
        return {img: root.querySelectorAll("img, b, script").length,
                hrefs: [...root.querySelectorAll("a")].map(a => a.getAttribute("href"))};
    }""")
    assert shadow["img"] == 0
    assert not any(href.startswith("javascript:") for href in shadow["hrefs"])
    expect(notice(page, OTHER)).to_have_count(0)  # an outage with a bad link is left out
    page.wait_for_timeout(300)
    assert not [url for url in requests if url.endswith("/x")]
    watch.assert_clean()


# --------------------------------------------------------------------------- #
# Accessibility and motion
# --------------------------------------------------------------------------- #


@pytest.fixture
def axe_page(browser: Browser) -> Iterator[Page]:
    # axe is added before the page's scripts, where the host's CSP does not reach it.
    with browser.new_context() as context:
        context.add_init_script(path=str(AXE_JS))
        yield context.new_page()


@pytest.mark.browser
@pytest.mark.parametrize("when", ["2026-12-05T12:00:00+02:00", "2026-12-05T23:00:00+02:00"],
                         ids=["upcoming", "ongoing"])
def test_axe_finds_nothing_on_the_host_page(axe_page: Page, sites: dict[str, str], when: str) -> None:
    page = axe_page
    watch = open_host(page, host_url(sites, service="rakennuslupa asiointi kirjasto"), when)
    expect(notice(page, NOTICE)).to_be_visible()
    result = page.evaluate(AXE_RUN)
    assert result["passes"] > 0
    problems = [_describe_violation(v) for v in result["violations"]]
    assert problems == [], "\n".join(problems)
    # axe looked inside the banner's shadow root, not just at the host element.
    checked = page.evaluate("""() => axe.run(document.querySelector("[data-katko-banner]").shadowRoot
        .querySelector("section"), {runOnly: {type: "rule", values: ["color-contrast"]}})
        .then(r => r.passes.length ? r.passes[0].nodes.length : 0)""")
    assert checked > 0
    watch.assert_clean()


@pytest.mark.browser
@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_motion_only_when_not_asked_to_reduce(browser: Browser, sites: dict[str, str], motion: str) -> None:
    with browser.new_context(reduced_motion=motion) as context:  # type: ignore[arg-type]
        page = context.new_page()
        open_host(page, host_url(sites), "2026-11-25T12:00:00+02:00")
        expect(notice(page, NOTICE)).to_be_visible()
        animation = page.evaluate("""() => getComputedStyle(document.querySelector("[data-katko-banner]")
            .shadowRoot.querySelector(".n")).animationName""")
        assert (animation == "none") == (motion == "reduce"), animation
