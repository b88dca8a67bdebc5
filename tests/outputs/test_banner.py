"""The embeddable banner's files: embed/SERVICE-ID/LANG.json, embed/banner-v3.js, the first banner's
embed/banner.js and embed/outages.json, and the Embed page."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from katko.outputs import banner as embeds
from katko.site.render import Renderer
from katko.config import now_from_environment
from katko.records.settings import Settings
from katko.site import addresses, embedding

from ..conftest import KATKO_NOW, REPO_ROOT, renderer_for

LANGS = ("fi", "sv", "en")
SITE_URL = "https://katkot.example.org/"
CANARY = "KATKO-INTERNAL-CANARY-7f3a"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

# At KATKO_NOW (1.12.2026 12.00) the example records are, for the banner:
SHOWN = {
    "2026-11-30-kirjasto-varaukset",         # planned, ongoing
    "2026-12-01-asiointi-liitteet-hairio",   # unplanned, ongoing (its internal section holds the canary)
    "2026-12-05-rakennuslupa-palvelinvaihto",  # planned, upcoming
    "2026-12-03-maksut-tietoturvapaivitys",  # upcoming, urgent
    "2026-12-12-maksut-verkkopankkimaksut",  # upcoming
    "2026-12-20-tunnistus-vaihto",           # upcoming, two services
}
LEFT_OUT = {
    "2026-11-28-rakennuslupa-versiopaivitys",   # ended
    "2026-11-16-maksut-hairio",                 # resolved
    "2026-12-13-asiointi-paivitys-peruttu",     # cancelled
    "2026-12-27-kirjasto-jarjestelmapaivitys",  # not public until 9.12.
}


def gzip9(data: bytes) -> int:
    """Size as `gzip -9 < file | wc -c` counts it (Python's gzip if the tool is missing)."""
    tool = shutil.which("gzip")
    if tool:
        return len(subprocess.run([tool, "-9"], input=data, capture_output=True, check=True).stdout)
    return len(gzip.compress(data, 9, mtime=0))


def renderer_at(now: str) -> Renderer:
    settings = Settings(site_url=SITE_URL, now=now_from_environment({"KATKO_NOW": now}))
    return renderer_for(settings)


#: The Subresource Integrity value of the first banner, embed/banner.js, as pages that embedded it pinned it.
FIRST_BANNER = "sha384-aTOwdamJD9dyPMUEvefWPfd7CmBR/8BLEjm3xlYl0AriRXnPaz87Qn6HuGtEQ3Hl"
#: The same of the second banner, embed/banner-v2.js, which reads the per-service data as the third does.
SECOND_BANNER = "sha384-9wRkTcSv650YZVKvDdku/W3Ay+1ByEKys8S/lOKSGYMcxyOl88mbNoHKwLeM7bqd"


@pytest.fixture(scope="module")
def docs(built_site: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """Every service's banner data in every language, by (service, language)."""
    services = [s.id for s in renderer_at(KATKO_NOW).site.services]
    return {(service, lang): json.loads((built_site / "embed" / service / f"{lang}.json").read_bytes())
            for service in services for lang in LANGS}


# --------------------------------------------------------------------------- #
# embed/SERVICE-ID/LANG.json
# --------------------------------------------------------------------------- #


def test_each_service_lists_only_its_current_and_upcoming_public_outages(
        docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    listed: set[str] = set()
    for (service, lang), doc in docs.items():
        assert (doc["service"], doc["lang"]) == (service, lang)
        ids = [o["id"] for o in doc["outages"]]
        assert len(ids) == len(set(ids)) and not set(ids) & LEFT_OUT
        assert all(service in o["services"] for o in doc["outages"])
        # In order of start, so the soonest comes first on the banner.
        assert [o["start"] for o in doc["outages"]] == sorted(o["start"] for o in doc["outages"])
        listed |= set(ids)
    assert listed == SHOWN
    two = [service for (service, lang), doc in docs.items() if lang == "fi"
           and "2026-12-20-tunnistus-vaihto" in [o["id"] for o in doc["outages"]]]
    assert len(two) == 2  # an outage of two services is in both services' files


def test_each_outage_has_what_the_banner_needs(docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    for (service, lang), doc in docs.items():
        assert doc["version"] == 2 and set(doc) == {"version", "generated", "service", "lang", "labels", "outages"}
        assert RFC3339.match(doc["generated"])
        for outage in doc["outages"]:
            assert set(outage) == {"id", "services", "kind", "impact", "public_from", "start", "end", "changed",
                                   "title", "title_lang", "url", "alternatives_url", "states"}
            assert outage["kind"] in ("planned", "unplanned")
            assert outage["impact"] in ("unavailable", "partial", "slow", "read_only")
            for field in ("public_from", "start", "end", "changed"):
                assert RFC3339.match(outage[field]), (outage["id"], field)
            assert outage["public_from"] <= doc["generated"]
            page = f"{SITE_URL}{lang}/outages/{outage['id']}/"
            assert outage["url"] == page and outage["alternatives_url"] == page + "#alternatives"
            assert outage["title"] and outage["title_lang"] in LANGS
            # The state now from publication on, then one per coming change, in order, up to the end.
            states = outage["states"]
            assert states[0]["from"] == outage["public_from"] and states[0]["changed"] == outage["changed"]
            assert [s["from"] for s in states] == sorted(s["from"] for s in states)
            assert states[0]["phase"] in ("upcoming", "ongoing")
            assert all(s["phase"] in ("upcoming", "ongoing") for s in states[:-1])
            for state in states:
                assert set(state) == {"from", "phase", "changed", "label", "period"}
                assert state["label"] and state["period"]


def test_texts_are_written_as_on_the_site(docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    def outage(lang: str, service: str, outage_id: str) -> dict[str, Any]:
        return next(o for o in docs[service, lang]["outages"] if o["id"] == outage_id)

    planned = "2026-12-05-rakennuslupa-palvelinvaihto"
    now, starts, ends = outage("fi", "rakennuslupa", planned)["states"]
    assert (now["label"], now["period"]) == ("Tulossa", "la 5.12.2026 klo 22.00 – su 6.12.2026 klo 4.00")
    sv = outage("sv", "rakennuslupa", planned)
    assert sv["states"][0]["period"] == "lö 5.12.2026 kl. 22.00 – sö 6.12.2026 kl. 4.00"
    assert (sv["states"][1]["from"], sv["states"][1]["phase"], sv["states"][1]["label"]) == (
        "2026-12-05T22:00:00+02:00", "ongoing", "Pågår")
    assert (ends["from"], ends["phase"]) == ("2026-12-06T04:00:00+02:00", "ended")
    assert sv["title"].startswith("Bygglovstjänsten är ur bruk")
    assert sv["start"] == "2026-12-05T22:00:00+02:00" and sv["end"] == "2026-12-06T04:00:00+02:00"
    # An unplanned outage's end is an estimate, as the site's cards say, until it has passed.
    disruption = "2026-12-01-asiointi-liitteet-hairio"
    assert outage("sv", "asiointi", disruption)["states"][0]["period"].endswith(" (uppskattning)")
    unplanned = outage("fi", "asiointi", disruption)
    assert unplanned["states"][0]["period"].endswith(" (arvio)")
    passed = unplanned["states"][1]
    assert passed["from"] == unplanned["end"] and passed["phase"] == "ongoing"
    assert passed["period"] == "ti 1.12.2026 klo 8.40 alkaen"


def test_labels_in_the_files_language(docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    for doc in docs.values():
        assert set(doc["labels"]) == {"region", "instead", "hide", "hidden"} and all(doc["labels"].values())
    assert docs["maksut", "sv"]["labels"]["hide"] == "Dölj det här meddelandet"


def test_changed_follows_the_record(docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    # A notice hidden by a visitor shows again when its record changes: the key includes this.
    disruption = next(o for o in docs["asiointi", "fi"]["outages"] if o["id"] == "2026-12-01-asiointi-liitteet-hairio")
    assert disruption["changed"] > disruption["public_from"]


def test_each_file_is_small(built_site: Path, docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    for service, lang in docs:
        assert gzip9((built_site / addresses.data_path(service, lang)).read_bytes()) <= 2048, (service, lang)


def test_later_builds_drop_what_has_ended() -> None:
    later = renderer_at("2026-12-06T05:00:00+02:00")
    ids = {o["id"] for s in later.site.services for o in embeds.banner_data(later, s.id, "fi")["outages"]}
    assert "2026-12-05-rakennuslupa-palvelinvaihto" not in ids
    assert "2026-12-27-kirjasto-jarjestelmapaivitys" not in ids  # still not public
    assert "2026-12-20-tunnistus-vaihto" in ids


def test_periods_are_the_sites() -> None:
    renderer = renderer_at(KATKO_NOW)
    for notice in embeds.shown(renderer):
        for service in notice.services:
            for lang in LANGS:
                entry = next(o for o in embeds.banner_data(renderer, service.id, lang)["outages"] if o["id"] == notice.id)
                assert entry["states"][0]["period"] == renderer.times_text(notice.state, lang)


# --------------------------------------------------------------------------- #
# The first banner's file, for the pages that embedded it
# --------------------------------------------------------------------------- #


def test_the_first_banners_file_says_what_the_service_files_say(
        built_site: Path, docs: dict[tuple[str, str], dict[str, Any]]) -> None:
    first = json.loads((built_site / "embed" / "outages.json").read_bytes())
    assert first["version"] == 1 and set(first["labels"]) == set(LANGS)
    assert {o["id"] for o in first["outages"]} == SHOWN
    for outage in first["outages"]:
        for service in outage["services"]:
            for lang in LANGS:
                mine = next(o for o in docs[service, lang]["outages"] if o["id"] == outage["id"])
                assert mine == {**{k: v for k, v in outage.items() if k != "texts"}, **outage["texts"][lang],
                                "states": [{**{k: v for k, v in s.items() if k != "texts"}, **s["texts"][lang]}
                                           for s in outage["states"]]}
                assert docs[service, lang]["labels"] == first["labels"][lang]


def test_the_first_banner_is_published_unchanged(built_site: Path) -> None:
    """Pages that embedded embed/banner.js pinned it with this hash: it must stay the same bytes."""
    assert embedding.integrity((built_site / addresses.FIRST_BANNER_PATH).read_bytes()) == FIRST_BANNER


def test_the_second_banner_is_published_unchanged(built_site: Path) -> None:
    """Pages that embedded embed/banner-v2.js pinned it with this hash: a change to the banner is a new
    file (banner-v3.js), so that their banner keeps showing."""
    assert embedding.integrity((built_site / "embed" / "banner-v2.js").read_bytes()) == SECOND_BANNER


# --------------------------------------------------------------------------- #
# Nothing internal anywhere
# --------------------------------------------------------------------------- #


def test_internal_canary_in_no_embed_file(built_site: Path) -> None:
    assert CANARY in (REPO_ROOT / "outages" / "2026-12-01-asiointi-liitteet-hairio.yml").read_text()
    files = [p for p in (built_site / "embed").rglob("*") if p.is_file()]
    files += [built_site / lang / "embed" / "index.html" for lang in LANGS]
    assert len(files) >= 5
    assert [str(p) for p in files if CANARY.encode() in p.read_bytes()] == []


# --------------------------------------------------------------------------- #
# embed/banner.js
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("name", ["banner-v3.js", "banner-v2.js", "banner.js"])
def test_banner_is_published_as_written(built_site: Path, name: str) -> None:
    published = (built_site / "embed" / name).read_bytes()
    assert published == (REPO_ROOT / "overrides" / "embed" / name).read_bytes()


@pytest.mark.parametrize("name", ["banner-v3.js", "banner-v2.js", "banner.js"])
def test_banner_is_small(built_site: Path, name: str) -> None:
    assert gzip9((built_site / "embed" / name).read_bytes()) <= 3072


def test_hash_is_of_the_theme_file_the_renderer_uses() -> None:
    renderer = renderer_at(KATKO_NOW)
    info = embedding.embedding(renderer.site.settings.site_url, renderer.templates)
    source = (REPO_ROOT / "overrides" / "embed" / "banner-v3.js").read_bytes()
    assert info.integrity == "sha384-" + base64.b64encode(hashlib.sha384(source).digest()).decode()
    assert info.script_url == SITE_URL + "embed/banner-v3.js" and info.origin == "https://katkot.example.org"
    assert info.snippet("maksut") == (f'<script src="{SITE_URL}embed/banner-v3.js" data-service="maksut" '
                                      f'integrity="{info.integrity}" crossorigin="anonymous" defer></script>')


@pytest.mark.parametrize("name", ["banner-v3.js", "banner-v2.js", "banner.js"])
def test_banner_uses_nothing_a_strict_csp_blocks(name: str) -> None:
    source = (REPO_ROOT / "overrides" / "embed" / name).read_text()
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                      ".style.", "setAttribute(\"style", "setAttribute(\"on", "<style"):
        assert forbidden not in source, forbidden
    assert "adoptedStyleSheets" in source and "textContent" in source


# --------------------------------------------------------------------------- #
# The Embed page
# --------------------------------------------------------------------------- #


class Scripts(HTMLParser):
    """The page's <script> elements and links, and the text of its <code> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.code: list[str] = []
        self._in_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag == "a":
            self.links.append(dict(attrs).get("href") or "")
        if tag == "code":
            self._in_code = True
            self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "code":
            self._in_code = False

    def handle_data(self, data: str) -> None:
        if self._in_code:
            self.code[-1] += data


def embed_page(built_site: Path, lang: str) -> Scripts:
    parser = Scripts()
    parser.feed((built_site / lang / "embed" / "index.html").read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("lang", LANGS)
def test_snippets_carry_the_hash_of_the_published_banner(built_site: Path, lang: str) -> None:
    digest = hashlib.sha384((built_site / "embed" / "banner-v3.js").read_bytes()).digest()
    expected = "sha384-" + base64.b64encode(digest).decode()
    page = embed_page(built_site, lang)
    snippets = [c for c in page.code if c.startswith("<script ")]
    services = [s.id for s in renderer_at(KATKO_NOW).site.services]
    assert len(snippets) == len(services)
    for snippet, service in zip(snippets, services):
        assert f'src="{SITE_URL}embed/banner-v3.js"' in snippet
        assert f'data-service="{service}"' in snippet
        assert f'integrity="{expected}"' in snippet
        assert 'crossorigin="anonymous"' in snippet and snippet.endswith(" defer></script>")
    # The live preview loads the same file, checked against the same hash.
    preview = [s for s in page.scripts if (s.get("src") or "").endswith("embed/banner-v3.js")]
    assert len(preview) == 1
    assert preview[0]["integrity"] == expected and preview[0]["data-lang"] == lang
    assert set((preview[0]["data-service"] or "").split()) == set(services)


@pytest.mark.parametrize("lang", LANGS)
def test_page_gives_the_header_lines(built_site: Path, lang: str) -> None:
    code = embed_page(built_site, lang).code
    assert "script-src https://katkot.example.org; connect-src https://katkot.example.org" in code
    assert "Access-Control-Allow-Origin: *" in code


@pytest.mark.parametrize("lang", LANGS)
def test_page_links_the_no_javascript_alternatives(built_site: Path, lang: str) -> None:
    links = embed_page(built_site, lang).links
    for service in renderer_at(KATKO_NOW).site.services:
        assert f"../../embed/{service.id}/{lang}.html" in links
        assert f"../../embed/{service.id}/{lang}/" in links
