"""No-JavaScript snippets, iframe pages and shutter pages: present, self-contained, saying the right things.

The built example site (``built_site``, at KATKO_NOW) shows what a build
publishes; other moments and edited records are rendered straight from
Katko's core, which is quicker than building a whole site.
"""

from __future__ import annotations

import re
import shutil
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit


from katko.records import loading as records
from katko.outputs import shutters, snippets
from katko.records.model import Service
from katko.site.render import Renderer
from katko.records.settings import Settings
from katko.core.times import parse_time

from ..conftest import KATKO_NOW, REPO_ROOT, renderer_for
from ..site.test_site import CANARY

LANGS = ("fi", "sv", "en")
SITE_URL = "https://katkot.example.org/"
RECORD = "2026-12-05-rakennuslupa-palvelinvaihto"
#: At this moment no outage of the example site is ongoing or upcoming.
QUIET_NOW = "2027-06-01T12:00:00+03:00"


class Tags(HTMLParser):
    """Every start tag with its attributes, the text of <style>, and which lang each text is in."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.comments: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def tags(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def text(html: str) -> str:
    """The text of some HTML, tags removed and white space collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def sections(html: str) -> dict[str, str]:
    """A shutter page's language parts, by their lang."""
    found = re.findall(r'<section id="(\w+)" lang="(\w+)"[^>]*>(.*?)</section>', html, re.S)
    assert all(ident == lang for ident, lang, _ in found)
    return {lang: body for _, lang, body in found}


def services() -> list[Service]:
    dataset, report = records.load([REPO_ROOT / "outages"], Settings(now=parse_time(KATKO_NOW)))
    assert not report.blocking
    return list(dataset.services.values())


def renderer_at(now: str, folder: Path = REPO_ROOT / "outages") -> Renderer:
    settings = Settings(now=parse_time(now), site_url=SITE_URL)
    return renderer_for(settings, folder)


def service(renderer: Renderer, ident: str) -> Service:
    return next(s for s in renderer.site.services if s.id == ident)


SERVICES = services()
IDS = [s.id for s in SERVICES]


# --------------------------------------------------------------------------- #
# What a build publishes
# --------------------------------------------------------------------------- #


def test_every_service_has_a_shutter_page_and_snippets_in_every_language(built_site: Path) -> None:
    assert len(SERVICES) >= 4
    for item in SERVICES:
        assert (built_site / "shutter" / item.id / "index.html").is_file()
        for lang in LANGS:
            assert (built_site / "embed" / item.id / f"{lang}.html").is_file(), (item.id, lang)
            assert (built_site / "embed" / item.id / lang / "index.html").is_file(), (item.id, lang)


def _self_contained(path: Path) -> list[str]:
    """What in a file would load something, run something, or lead nowhere."""
    parsed = tags(path.read_text(encoding="utf-8"))
    problems = []
    for tag, attrs in parsed.tags:
        # Only links people follow may point anywhere; nothing else may point at all.
        for name in ("src", "href", "srcset", "data", "poster", "action", "formaction", "background"):
            if name in attrs and (tag, name) != ("a", "href"):
                problems.append(f"<{tag} {name}>")
        if tag in ("script", "link", "img", "iframe", "object", "embed", "base", "form", "svg", "video", "audio"):
            problems.append(f"<{tag}>")
        problems += [f"<{tag} {name}>" for name in attrs if name.startswith("on") or name == "style"]
        href = attrs.get("href") if tag == "a" else None
        if href is not None and not re.match(r"(#[a-z]+$|https://|mailto:|tel:)", href or ""):
            problems.append(f"<a href={href!r}>: neither in the page nor absolute")
    for css in parsed.styles:
        # CSS loads things too: background images, fonts, imported sheets.
        if re.search(r"url\(|@import|@font-face", css):
            problems.append("a <style> that loads something")
    return [f"{path.name}: {p}" for p in problems]


def test_shutter_and_iframe_pages_load_nothing_and_run_nothing(built_site: Path) -> None:
    pages = [*(built_site / "shutter").glob("*/index.html"), *(built_site / "embed").glob("*/*/index.html"),
             *(built_site / "embed").glob("*/*.html")]
    assert len(pages) == len(SERVICES) * (1 + 2 * len(LANGS))
    problems = [problem for page in pages for problem in _self_contained(page)]
    assert problems == []


def test_complete_pages_are_marked_and_forbid_loading(built_site: Path) -> None:
    for page in [*(built_site / "shutter").glob("*/index.html"), *(built_site / "embed").glob("*/*/index.html")]:
        parsed = tags(page.read_text(encoding="utf-8"))
        metas = [attrs for tag, attrs in parsed.tags if tag == "meta"]
        assert {"name": "robots", "content": "noindex"} in metas, page
        assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas, page
        csp = next(m["content"] for m in metas if m.get("http-equiv") == "Content-Security-Policy")
        assert "default-src 'none'" in (csp or ""), page
        assert any(tag == "title" for tag, _ in parsed.tags), page


def test_links_into_the_notice_site_resolve(built_site: Path) -> None:
    for page in [*(built_site / "shutter").rglob("*.html"), *(built_site / "embed").rglob("*.html")]:
        for tag, attrs in tags(page.read_text(encoding="utf-8")).tags:
            href = attrs.get("href") or ""
            if tag == "a" and href.startswith(SITE_URL):
                target = built_site / urlsplit(href).path.lstrip("/")
                assert (target / "index.html").is_file() or target.is_file(), (page, href)


def test_an_outage_not_yet_public_is_in_no_embed_or_shutter_file(built_site: Path) -> None:
    hidden = "2026-12-27-kirjasto-jarjestelmapaivitys"
    assert (REPO_ROOT / "outages" / f"{hidden}.yml").is_file()  # public from 9.12., after KATKO_NOW
    files = [*(built_site / "shutter" / "kirjasto").rglob("*.html"), *(built_site / "embed" / "kirjasto").rglob("*.html")]
    assert files
    assert [str(p) for p in files if hidden in p.read_text(encoding="utf-8")] == []
    assert "2026-12-27" not in (built_site / "shutter" / "kirjasto" / "index.html").read_text(encoding="utf-8")


def test_the_internal_canary_is_in_no_embed_or_shutter_file(built_site: Path) -> None:
    files = [p for folder in ("embed", "shutter") for p in (built_site / folder).rglob("*") if p.is_file()]
    assert files
    assert [str(p) for p in files if CANARY.encode() in p.read_bytes()] == []


# --------------------------------------------------------------------------- #
# The shutter page
# --------------------------------------------------------------------------- #


def test_shutter_page_says_when_the_service_is_back_in_every_language(built_site: Path) -> None:
    html = (built_site / "shutter" / "rakennuslupa" / "index.html").read_text(encoding="utf-8")
    parts = sections(html)
    assert list(parts) == ["fi", "sv", "en"]
    # The next upcoming outage at KATKO_NOW ends then; written as the site writes it.
    back = '<time datetime="2026-12-06T04:00+02:00">'
    assert back + "su 6.12.2026 klo 4.00</time>" in parts["fi"]
    assert back + "sö 6.12.2026 kl. 4.00</time>" in parts["sv"]
    assert back + "Sun 6 December 2026 at 04:00 (Finnish time)</time>" in parts["en"]
    # Not the later outage of the same service.
    assert "2026-12-20" not in html
    # The operator's hint for Retry-After.
    assert any("2026-12-06T04:00+02:00" in c for c in tags(html).comments)


def test_shutter_page_shows_unfinished_work_alternatives_and_contacts(built_site: Path) -> None:
    html = (built_site / "shutter" / "rakennuslupa" / "index.html").read_text(encoding="utf-8")
    parts = {lang: text(body) for lang, body in sections(html).items()}
    dataset, _ = records.load([REPO_ROOT / "outages"], Settings(now=parse_time(KATKO_NOW)))
    outage = next(r.outage for r in dataset.records if r.id == RECORD)
    lupa = dataset.services["rakennuslupa"]
    assert outage.unsaved_work is not None and outage.alternatives is not None and lupa.alternatives
    for lang in LANGS:
        part = parts[lang]
        assert " ".join((outage.unsaved_work.get(lang) or "").split()) in part, lang
        # Markdown rendered: the bold text is there without its asterisks.
        assert "**" not in part
        first_line = (lupa.alternatives.get(lang) or "").splitlines()[0]
        assert first_line in part, lang
        assert text(outage.alternatives.get(lang) or "").replace("*", "")[:40] in part, lang
        for contact in lupa.contacts:
            assert (contact.name.get(lang) or "") in part, (lang, contact.name)
        assert "09 000 4100" in part and "ma–pe klo 9.00–15.00" in parts["fi"]
        assert "rakennusvalvonta@esimerkkila.example" in part
    assert 'href="tel:090004100"' in html
    assert f'href="{SITE_URL}sv/outages/{RECORD}/"' in sections(html)["sv"]


def test_shutter_page_is_one_page_in_every_language_with_skip_links(built_site: Path) -> None:
    html = (built_site / "shutter" / "rakennuslupa" / "index.html").read_text(encoding="utf-8")
    parsed = tags(html)
    assert html.startswith("<!DOCTYPE html>")
    assert ("html", {"lang": "fi"}) in parsed.tags  # the site's first language
    skips = [(attrs["href"], attrs.get("lang")) for tag, attrs in parsed.tags
             if tag == "a" and (attrs.get("href") or "").startswith("#")]
    assert skips == [("#fi", "fi"), ("#sv", "sv"), ("#en", "en")]
    assert "Suomeksi" in html and "På svenska" in html and "In English" in html
    h1 = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert h1 and '<span lang="sv">Bygglovstjänsten</span>' in h1.group(1)
    # Plain words, and no alarm colours.
    assert "maintenance" not in html.lower()
    assert not re.search(r"color:\s*(red|#f00\b|#ff0000|#d4351c)", html, re.I)


def test_an_ongoing_outage_wins_over_an_upcoming_one(built_site: Path) -> None:
    # asiointi: a disruption is ongoing at KATKO_NOW (estimated end 14.00) and a
    # planned outage is upcoming on 20.12.
    parts = sections((built_site / "shutter" / "asiointi" / "index.html").read_text(encoding="utf-8"))
    assert "ti 1.12.2026 klo 14.00" in parts["fi"]
    assert "2026-12-20" not in "".join(parts.values())


def test_shutter_page_without_a_known_outage_points_to_the_notice_site() -> None:
    renderer = renderer_at(QUIET_NOW)
    html = shutters.shutter(renderer, service(renderer, "rakennuslupa"))
    parts = sections(html)
    for lang in LANGS:
        assert f'href="{SITE_URL}{lang}/services/rakennuslupa/"' in parts[lang]
        assert "<time" in parts[lang]  # "information as of", but no return time
    assert "expected back" not in html
    assert "Your unfinished work" not in parts["en"]
    # The service's standing instructions and contacts are there all the same.
    assert "09 000 4100" in parts["fi"] and "Kun rakennuslupapalvelu ei ole käytössä" in parts["fi"]


def test_an_estimate_already_passed_is_not_given_as_the_return_time() -> None:
    # The disruption of asiointi is still being monitored after its estimated end.
    renderer = renderer_at("2026-12-01T15:00:00+02:00")
    asiointi = service(renderer, "asiointi")
    notice = shutters.shutter_notice(renderer.site, asiointi)
    assert notice is not None and notice.phase == "ongoing" and notice.outage.kind == "unplanned"
    html = shutters.shutter(renderer, asiointi)
    assert "ti 1.12.2026 klo 14.00" not in html
    assert f'href="{SITE_URL}fi/outages/{notice.id}/"' in html


# --------------------------------------------------------------------------- #
# Snippets and iframe pages
# --------------------------------------------------------------------------- #


def test_snippet_is_one_named_region_in_its_language(built_site: Path) -> None:
    for lang in LANGS:
        html = (built_site / "embed" / "rakennuslupa" / f"{lang}.html").read_text(encoding="utf-8")
        assert html.startswith("<section") and html.rstrip().endswith("</section>")
        parsed = tags(html)
        tag, region = parsed.tags[0]
        assert region["lang"] == lang
        assert ("p", {"class": "katko-embed__title", "id": region["aria-labelledby"]}) in parsed.tags
        links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
        assert f"{SITE_URL}{lang}/outages/{RECORD}/" in links
        assert f"{SITE_URL}{lang}/outages/{RECORD}/#alternatives" in links
        # In the host's page, links open where the reader is.
        assert not any("target" in attrs for tag, attrs in parsed.tags)
    fi = (built_site / "embed" / "rakennuslupa" / "fi.html").read_text(encoding="utf-8")
    assert ('<time datetime="2026-12-05T22:00+02:00">la 5.12.2026 klo 22.00</time> – '
            '<time datetime="2026-12-06T04:00+02:00">su 6.12.2026 klo 4.00</time>') in fi


def test_snippet_lists_ongoing_before_upcoming(built_site: Path) -> None:
    html = (built_site / "embed" / "asiointi" / "en.html").read_text(encoding="utf-8")
    assert html.index("katko-embed__item--ongoing") < html.index("katko-embed__item--upcoming")
    # A cancelled outage is no longer announced here.
    assert "2026-12-13-asiointi-paivitys-peruttu" not in html
    assert "(estimate)" in html


def test_iframe_page_has_no_script_and_opens_links_in_the_parent(built_site: Path) -> None:
    for item in SERVICES:
        for lang in LANGS:
            html = (built_site / "embed" / item.id / lang / "index.html").read_text(encoding="utf-8")
            parsed = tags(html)
            assert "<script" not in html.lower()
            assert ("html", {"lang": lang}) in parsed.tags
            links = [attrs for tag, attrs in parsed.tags if tag == "a"]
            assert links and all(attrs.get("target") == "_top" for attrs in links), (item.id, lang)


def test_nothing_to_show_gives_a_comment_and_a_one_line_page() -> None:
    renderer = renderer_at(QUIET_NOW)
    # The disruption of asiointi was never marked resolved, so it stays ongoing.
    quiet = [s for s in renderer.site.services if s.id != "asiointi"]
    assert len(quiet) >= 3 and not any(snippets.current(renderer.site, s) for s in quiet)
    for item in quiet:
        for lang in LANGS:
            snippet = snippets.snippet(renderer, item, lang)
            assert re.fullmatch(r"<!--[^<>]*-->\n", snippet), snippet
            page = snippets.frame(renderer, item, lang)
            main = re.search(r"<main>(.*)</main>", page, re.S)
            assert main is not None
            assert re.fullmatch(r"\s*<p>[^<>]+</p>\s*", main.group(1)), main.group(1)
    fi = snippets.frame(renderer, service(renderer, "kirjasto"), "fi")
    assert "Palvelussa ei ole käynnissä olevia eikä suunniteltuja käyttökatkoja." in fi


# --------------------------------------------------------------------------- #
# Records cannot make these files load or run anything
# --------------------------------------------------------------------------- #


def test_record_markup_is_text_and_markdown_images_load_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "outages"
    shutil.copytree(REPO_ROOT / "outages", folder)
    record = folder / f"{RECORD}.yml"
    source = record.read_text(encoding="utf-8")
    source = source.replace("  fi: Rakennuslupapalvelu ei ole käytössä la 5.12. illalla ja yöllä",
                            "  fi: '<img src=x onerror=alert(1)> Rakennuslupapalvelu'", 1)
    source = source.replace("    Rakennusvalvonnan neuvonta ja asiakaspalvelu ovat suljettuina viikonloppuna.",
                            "    ![Kartta](https://maps.example/kartta.png) Rakennusvalvonta on suljettu.", 1)
    record.write_text(source, encoding="utf-8")
    renderer = renderer_at(KATKO_NOW, folder)
    lupa = service(renderer, "rakennuslupa")

    snippet = snippets.snippet(renderer, lupa, "fi")
    assert "&lt;img src=x onerror=alert(1)&gt; Rakennuslupapalvelu" in snippet
    page = shutters.shutter(renderer, lupa)
    assert "<img" not in page and "maps.example" not in page
    assert "Kartta Rakennusvalvonta on suljettu." in page
    for html in (snippet, page, snippets.frame(renderer, lupa, "fi")):
        assert not any(tag in ("img", "script") for tag, _ in tags(html).tags)


def test_back_is_after_an_outage_that_follows_without_a_gap(tmp_path: Path) -> None:
    # Found by tests/test_story.py: the page said "back from 4.00" while the next outage of the
    # service was to begin at 4.00.
    folder = tmp_path / "outages"
    shutil.copytree(REPO_ROOT / "outages", folder, ignore=shutil.ignore_patterns("usage"))
    source = (folder / f"{RECORD}.yml").read_text(encoding="utf-8")
    follow = source.replace('start: "2026-12-05 22:00"', 'start: "2026-12-06 04:00"', 1).replace(
        'end: "2026-12-06 04:00"', 'end: "2026-12-06 06:00"', 1)
    assert follow != source
    (folder / "2026-12-06-rakennuslupa-jatko.yml").write_text(follow, encoding="utf-8")
    renderer = renderer_at("2026-12-05T23:00:00+02:00", folder)
    lupa = service(renderer, "rakennuslupa")
    assert shutters.shutter_notice(renderer.site, lupa).id == RECORD  # type: ignore[union-attr]
    html = shutters.shutter(renderer, lupa)
    parts = sections(html)
    assert "su 6.12.2026 klo 6.00" in parts["fi"] and "sö 6.12.2026 kl. 6.00" in parts["sv"]
    assert "klo 4.00 alkaen" not in parts["fi"]
    assert "expected back at 2026-12-06T06:00+02:00" in html
