#!/usr/bin/env python3
"""Screenshots of the example site for the documentation: the Finnish home page and an
ongoing notice, on a phone (375×667 CSS px) and on a desktop (1280×800), as the first
screen shows them (no scrolling).

    python benchmarks/screenshots.py [--out docs/screenshots]

Builds the example site as of the moment its records are written for
(KATKO_NOW, as the tests do), serves it on a free local port and photographs it in
Debian's Chromium with Playwright. The notice is the first ongoing one on the home page.
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
KATKO_NOW = "2026-12-01T12:00:00+02:00"
CHROMIUM = "/usr/bin/chromium"
SCREENS = {"phone": {"width": 375, "height": 667}, "desktop": {"width": 1280, "height": 800}}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build(site: Path) -> None:
    env = {**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(site)
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                for screen, viewport in SCREENS.items():
                    # The reader's clock at the build's moment: the status script shows what the build wrote.
                    with browser.new_context(viewport=viewport, reduced_motion="reduce") as context:
                        page = context.new_page()
                        page.clock.install(time=KATKO_NOW)
                        page.goto(base + "/fi/", wait_until="load")
                        notice = page.locator("#katko-ongoing .katko-card__title a").first.get_attribute("href")
                        page.screenshot(path=args.out / f"home-{screen}.png")
                        page.goto(page.url + str(notice), wait_until="load")
                        page.screenshot(path=args.out / f"notice-{screen}.png")
                        print(f"{screen}: {page.url}")
                browser.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
