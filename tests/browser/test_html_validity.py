"""All generated HTML through the Nu Html Checker (vnu.jar)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# The no-JavaScript snippets for server-side includes (embed/SERVICE/LANG.html)
# are fragments, not documents: vnu would report their missing doctype and
# title. tests/browser/test_shutter_pages.py checks them inside a host page.
# The iframe pages beside them (embed/SERVICE/LANG/index.html) are documents
# and are checked here.
FRAGMENT = re.compile(r"embed/[a-z0-9][a-z0-9-]*/[a-z]{2}\.html")


def _describe(message: dict, site: Path) -> str:
    # vnu names files by file: URL; a path relative to the site is easier to read.
    file = message.get("url", "?").split(site.resolve().as_posix() + "/", 1)[-1]
    kind = "" if message.get("type") == "error" else f"{message.get('type')}: "
    return f"{file}:{message.get('lastLine', '?')}: {kind}{message.get('message')}"


@pytest.mark.vnu
def test_generated_html_is_valid(built_site: Path) -> None:
    _validate(built_site)


@pytest.mark.vnu
def test_internal_site_html_is_valid(internal_site: Path) -> None:
    _validate(internal_site)


@pytest.mark.vnu
def test_notification_emails_html_is_valid(built_site: Path, tmp_path: Path) -> None:
    """The HTML part of katko notify's e-mails, for every outage of the example as a first event."""
    from katko.notify.compose import Composer
    from katko.notify.events import compare

    root = Path(__file__).resolve().parents[2]
    new = json.loads((built_site / "api" / "v1" / "outages.json").read_text(encoding="utf-8"))
    composer = Composer(new, root / "overrides" / "katko", root / "locales")
    events = compare({**new, "outages": []}, new)
    assert {e.kind for e in events} == {"published", "started", "cancelled", "ended"}
    for event in events:
        for lang in new["site"]["languages"]:
            _, html = composer.email(composer.view(event, lang), "katkot-leave@lists.esimerkkila.example")
            (tmp_path / f"{event.outage['id']}.{lang}.html").write_text(html, encoding="utf-8")
    _validate(tmp_path)


def _validate(built_site: Path) -> None:
    validate([p for p in sorted(built_site.rglob("*.html"))
              if not FRAGMENT.fullmatch(p.relative_to(built_site).as_posix())], built_site)


def validate(pages: list[Path], built_site: Path) -> None:
    """Fail with every error vnu finds in ``pages``, files under ``built_site``."""
    java = shutil.which("java")
    # Fail, never skip: a missing tool must not turn the check green.
    if java is None:
        pytest.fail("java not found; ./dev test installs default-jre-headless", pytrace=False)
    assert VNU_JAR.is_file(), f"{VNU_JAR} missing; run ./dev test (it runs npm ci)"
    assert pages, f"no HTML under {built_site}"

    # One run over every page: the JVM takes seconds to start.
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
         "--stdout", *map(str, pages)],
        capture_output=True,
        text=True,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu gave no JSON (exit {result.returncode}):\n{result.stdout}{result.stderr}", pytrace=False)
    # With --errors-only every message is a failure; nothing is filtered.
    messages.sort(key=lambda m: (m.get("url", ""), m.get("lastLine", 0)))
    lines = [_describe(message, built_site) for message in messages]
    if lines:
        pytest.fail(f"{len(lines)} HTML error(s):\n" + "\n".join(lines), pytrace=False)
    assert result.returncode == 0, f"vnu exited {result.returncode}:\n{result.stderr}"
