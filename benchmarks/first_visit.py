#!/usr/bin/env python3
"""What a reader's browser downloads on a first visit: bytes, requests and failed requests.

    .venv/bin/python benchmarks/first_visit.py [--sizes 0 1000] [--no-doc]

For each size N (0: the example site of the repository, else N records written
by ``generate.py``) the site is built with ``KATKO_NOW`` and served from a local
HTTP server that compresses text files with gzip (level 6, as web servers are
usually set up) and notes every request it answers, whoever makes it (the page,
its scripts, a web worker, the browser's own favicon request). Headless
Chromium (Debian's, through Playwright) then opens, each in a new browser
context with an empty cache:

* the Finnish home page, ``fi/``;
* a notice page: the first notice the Finnish home page links to;

and waits until nothing has been requested for a second. The figures are the
response bodies as sent (gzip where the server compresses), the number of
requests, and the requests that failed (status 400 and up). HTTP headers are
not counted: they depend on the server, about 150–300 bytes a response.

Then the reader opens the search on the home page, types a word and waits for
results: the bytes that brings (the search index and Material's search worker)
are reported apart, as they are not part of the first visit.

The results go in ``docs/performance.md`` between the ``first-visit`` markers,
unless ``--no-doc`` is given. Byte counts do not depend on the machine's load;
the load is recorded anyway.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KATKO_NOW = "2026-12-01T12:00:00+02:00"
CHROMIUM = "/usr/bin/chromium"
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- first-visit:start -->", "<!-- first-visit:end -->"
#: The target of a first visit, in gzip bytes, with no failed request.
TARGET = 80 * 1024
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map", ".ics", ".rss", ".atom"}
#: A word that a notice of the example site and of a generated site both have.
SEARCH_WORD = "palvelu"


# --------------------------------------------------------------------------- #
# Building
# --------------------------------------------------------------------------- #


def build(project: Path, site: Path) -> None:
    env = {**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(REPO / "plugins"), os.environ.get("PYTHONPATH")) if p)}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=project, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"mkdocs build failed in {project}:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")


def project_for(n: int, work: Path) -> Path:
    """The example project itself for 0, else a generated project of ``n`` records."""
    if n == 0:
        return REPO
    sys.path.insert(0, str(HERE))
    import generate

    project = work / str(n)
    shutil.rmtree(project, ignore_errors=True)
    generate.generate(n, project)
    return project


# --------------------------------------------------------------------------- #
# Serving, with gzip, and noting every request
# --------------------------------------------------------------------------- #


@dataclass
class Served:
    path: str
    status: int
    size: int


@dataclass
class Server:
    root: Path
    log: list[Served] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handler(self) -> type[http.server.BaseHTTPRequestHandler]:
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(server.root), **kwargs)  # type: ignore[arg-type]

            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = unquote(urlsplit(self.path).path)
                local = Path(self.translate_path(path))
                if local.is_dir():
                    if not path.endswith("/"):
                        self._send(301, b"", {"Location": path + "/"})
                        return
                    local = local / "index.html"
                if not local.is_file():
                    self._send(404, b"Not found", {"Content-Type": "text/plain"})
                    return
                body = local.read_bytes()
                headers = {"Content-Type": self.guess_type(str(local))}
                if local.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body = gzip.compress(body, compresslevel=6, mtime=0)
                    headers["Content-Encoding"] = "gzip"
                self._send(200, body, headers)

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body)), "Cache-Control": "no-store"}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
                with server.lock:
                    server.log.append(Served(urlsplit(self.path).path, status, len(body)))

        return Handler

    def take(self) -> list[Served]:
        with self.lock:
            taken, self.log = self.log, []
        return taken


def serve(root: Path) -> tuple[Server, http.server.ThreadingHTTPServer]:
    server = Server(root)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), server.handler())
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return server, httpd


# --------------------------------------------------------------------------- #
# Visiting
# --------------------------------------------------------------------------- #


def settle(server: Server, quiet: float = 1.0, limit: float = 20.0) -> None:
    """Wait until the server has answered nothing for ``quiet`` seconds."""
    started = time.monotonic()
    count, since = -1, time.monotonic()
    while time.monotonic() - started < limit:
        time.sleep(0.1)
        with server.lock:
            now_count = len(server.log)
        if now_count != count:
            count, since = now_count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def summary(requests: list[Served]) -> dict:
    return {"bytes": sum(r.size for r in requests), "requests": len(requests),
            "failed": [f"{r.status} {r.path}" for r in requests if r.status >= 400],
            "list": [(r.path, r.status, r.size) for r in requests]}


def notice_path(site: Path) -> str:
    """The first notice the Finnish home page links to, site-relative."""
    html = (site / "fi" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'href="(outages/[^"#]+/)"', html)
    if not match:
        raise SystemExit(f"no notice linked from {site / 'fi' / 'index.html'}")
    return "fi/" + match.group(1)


def visit(browser, base: str, server: Server, path: str) -> dict:
    with browser.new_context() as context:
        page = context.new_page()
        server.take()
        response = page.goto(f"{base}/{path}", wait_until="load")
        if response is None or not response.ok:
            raise SystemExit(f"GET /{path} -> {response and response.status}")
        settle(server)
        return summary(server.take())


def open_search(browser, base: str, server: Server, path: str) -> dict:
    """First visit, then open the search and find ``SEARCH_WORD``: what the search adds."""
    with browser.new_context() as context:
        page = context.new_page()
        page.goto(f"{base}/{path}", wait_until="load")
        settle(server)
        server.take()
        page.locator("[data-katko-opens=search]").click()
        page.keyboard.type(SEARCH_WORD)
        page.locator(".md-search-result__item").first.wait_for(timeout=30_000)
        settle(server)
        return summary(server.take())


def measure(site: Path) -> dict:
    from playwright.sync_api import sync_playwright

    server, httpd = serve(site)
    base = f"http://127.0.0.1:{httpd.server_port}"
    notice = notice_path(site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"])
            try:
                return {"notice": notice,
                        "home": visit(browser, base, server, "fi/"),
                        "notice_page": visit(browser, base, server, notice),
                        "search": open_search(browser, base, server, "fi/")}
            finally:
                browser.close()
    finally:
        httpd.shutdown()
        httpd.server_close()


# --------------------------------------------------------------------------- #
# Reporting
# --------------------------------------------------------------------------- #


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def versions() -> str:
    from importlib.metadata import version

    found = []
    for package in ("mkdocs", "mkdocs-material", "playwright"):
        try:
            found.append(f"{package} {version(package)}")
        except Exception:  # noqa: BLE001
            pass
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    return ", ".join([*found, chromium or "chromium"])


def label(n: int) -> str:
    return "example site" if n == 0 else f"N = {n:,}"


def table(results: dict[int, dict]) -> str:
    sizes = list(results)
    lines = ["| | " + " | ".join(label(n) for n in sizes) + " |", "|---|" + "---:|" * len(sizes)]

    def row(name: str, value) -> None:
        lines.append(f"| {name} | " + " | ".join(value(results[n]) for n in sizes) + " |")

    def ok(visit: dict) -> str:
        return "✅" if visit["bytes"] <= TARGET and not visit["failed"] else "❌ missed"

    for key, name in (("home", "home page `fi/`"), ("notice_page", "notice page")):
        row(f"**{name}**, gzip bytes (target ≤ 80 KB)", lambda r, key=key: f"**{kb(r[key]['bytes'])}** {ok(r[key])}")
        row(f"{name}, requests", lambda r, key=key: str(r[key]["requests"]))
        row(f"{name}, failed requests (target 0)", lambda r, key=key: str(len(r[key]["failed"])))
    row("opening the search and finding a word: added gzip bytes", lambda r: kb(r["search"]["bytes"]))
    row("… added requests", lambda r: str(r["search"]["requests"]))
    row("notice page measured", lambda r: f"`{r['notice']}`")
    return "\n".join(lines)


def requests_list(results: dict[int, dict]) -> str:
    """The requests of the first visit to the home page of the smallest size, for reading."""
    first = next(iter(results))
    rows = ["| request | status | bytes |", "|---|---:|---:|"]
    for path, status, size in results[first]["home"]["list"]:
        rows.append(f"| `{path}` | {status} | {size:,} |")
    return "\n".join(rows)


def section(results: dict[int, dict], when: str, load_start: str, load_end: str) -> str:
    first = next(iter(results))
    return "\n".join([
        START,
        "### First visit: results",
        "",
        f"Measured {when} with {versions()}, on {os.cpu_count()} CPUs, Python {platform.python_version()}. "
        f"Load average at the start: {load_start}, at the end: {load_end} (byte counts do not depend on it).",
        "",
        table(results),
        "",
        f"The requests of the first visit to `fi/`, {label(first)}:",
        "",
        requests_list(results),
        "",
        END,
    ])


def write_doc(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    if START not in doc or END not in doc:
        raise SystemExit(f"{DOC}: no {START} … {END} markers")
    before, rest = doc.split(START, 1)
    DOC.write_text(before + text + rest.split(END, 1)[1], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1000],
                        help="0 for the example site, else a number of generated records")
    parser.add_argument("--work", type=Path, default=HERE / "work" / "first-visit")
    parser.add_argument("--no-doc", action="store_true", help=f"do not rewrite {DOC.relative_to(REPO)}")
    args = parser.parse_args()

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    load_start = load_average()
    results: dict[int, dict] = {}
    for n in args.sizes:
        project = project_for(n, work)
        site = work / f"site-{n}"
        build(project, site)
        results[n] = measure(site)
        print(f"{label(n)}: home {kb(results[n]['home']['bytes'])} in {results[n]['home']['requests']} requests "
              f"({len(results[n]['home']['failed'])} failed), notice {kb(results[n]['notice_page']['bytes'])} in "
              f"{results[n]['notice_page']['requests']} requests ({len(results[n]['notice_page']['failed'])} failed), "
              f"search adds {kb(results[n]['search']['bytes'])}", file=sys.stderr)
        for key in ("home", "notice_page"):
            for failed in results[n][key]["failed"]:
                print(f"  {key}: {failed}", file=sys.stderr)
    text = section(results, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), load_start, load_average())
    print(text)
    if not args.no_doc:
        write_doc(text)


if __name__ == "__main__":
    main()
