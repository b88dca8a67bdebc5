"""The example site built end to end: languages, pages, links, privacy, determinism.

Uses the session's ``built_site`` (``mkdocs build --strict`` of the repository
with KATKO_NOW pinned); builds that need other input run in a copy of the
project under tmp_path.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from ..conftest import KATKO_NOW, REPO_ROOT

LANGS = ("fi", "sv", "en")
CANARY = "KATKO-INTERNAL-CANARY-7f3a"


class Links(HTMLParser):
    """Collects what a page links to or loads, and its <html lang> and <time> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.refs: list[tuple[str, str, dict[str, str | None]]] = []
        self.times: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "time":
            self.times.append(a)
        for name in ("href", "src"):
            if a.get(name):
                self.refs.append((tag, a[name] or "", a))


def parse(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def rel(attrs: dict[str, str | None]) -> list[str]:
    """The link types of a link: ``rel`` is a set of space-separated words (the pages write
    ``rel="alternate "``, see overrides/main.html)."""
    return (attrs.get("rel") or "").split()


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "notify.yml"):
        shutil.copy(REPO_ROOT / name, project / name)
    for name in ("outages", "overrides", "locales", "docs"):
        shutil.copytree(REPO_ROOT / name, project / name)
    return project


def build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", *extra], cwd=project, text=True,
                          capture_output=True, env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- #
# Languages
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_has_its_language(built_site: Path, lang: str) -> None:
    pages = html_files(built_site / lang)
    assert len(pages) > 20
    wrong = [str(p) for p in pages if parse(p).lang != lang]
    assert wrong == []


def test_root_offers_every_language(built_site: Path) -> None:
    root = parse(built_site / "index.html")
    targets = {href for tag, href, _ in root.refs if tag == "a" and href in ("fi/", "sv/", "en/")}
    assert targets == {"fi/", "sv/", "en/"}


def test_interface_is_translated(built_site: Path) -> None:
    fi = (built_site / "fi" / "index.html").read_text()
    sv = (built_site / "sv" / "index.html").read_text()
    assert "Käyttökatkot" in fi and "Driftavbrott" in sv
    # Material's own chrome follows the page's language too (search placeholder).
    assert 'placeholder="Hae"' in fi and 'placeholder="Sök"' in sv


@pytest.mark.parametrize("lang", LANGS)
def test_switcher_and_hreflang_lead_to_the_same_page(built_site: Path, lang: str) -> None:
    page = built_site / lang / "outages" / "2026-12-05-rakennuslupa-palvelinvaihto" / "index.html"
    links = parse(page)
    base = f"http://site/{lang}/outages/2026-12-05-rakennuslupa-palvelinvaihto/"
    alternates = {a["hreflang"]: urlparse(urljoin(base, href)).path
                  for tag, href, a in links.refs if tag == "link" and rel(a) == ["alternate"] and a.get("hreflang")}
    assert alternates == {other: f"/{other}/outages/2026-12-05-rakennuslupa-palvelinvaihto/" for other in LANGS}
    switcher = {a["hreflang"] for tag, href, a in links.refs if tag == "a" and a.get("hreflang")}
    assert switcher == set(LANGS)


# --------------------------------------------------------------------------- #
# Content
# --------------------------------------------------------------------------- #


def test_times_written_as_finns_write_them(built_site: Path) -> None:
    page = "outages/2026-12-05-rakennuslupa-palvelinvaihto/index.html"
    fi = (built_site / "fi" / page).read_text()
    sv = (built_site / "sv" / page).read_text()
    en = (built_site / "en" / page).read_text()
    assert re.search(r'<time datetime="2026-12-05T22:00\+02:00">la 5\.12\.2026 klo 22\.00</time> – '
                     r'<time datetime="2026-12-06T0\d:00\+02:00">su 6\.12\.2026 klo \d\.00</time>', fi)
    assert re.search(r'<time datetime="2026-12-05T22:00\+02:00">lö 5\.12\.2026 kl\. 22\.00</time> – '
                     r'<time datetime="2026-12-06T0\d:00\+02:00">sö 6\.12\.2026 kl\. \d\.00</time>', sv)
    assert "Sat 5 December 2026 at 22:00</time>" in en and "(Finnish time)" in en


def test_every_time_element_has_a_machine_readable_time(built_site: Path) -> None:
    for page in html_files(built_site / "fi"):
        for time in parse(page).times:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?[+-]\d\d:\d\d", time.get("datetime") or ""), page


def test_home_lists_ongoing_before_upcoming_before_recent(built_site: Path) -> None:
    home = (built_site / "fi" / "index.html").read_text()
    ongoing, upcoming, recent = (home.index(f'id="{s}"') for s in ("ongoing", "upcoming", "recent"))
    assert ongoing < upcoming < recent
    assert "outages/2026-12-01-asiointi-liitteet-hairio/" in home[ongoing:upcoming]
    assert "outages/2026-12-05-rakennuslupa-palvelinvaihto/" in home[upcoming:recent]
    # Each listed outage links to what to do instead.
    assert "outages/2026-12-05-rakennuslupa-palvelinvaihto/#alternatives" in home


def test_notice_page_has_instructions_contacts_and_updates(built_site: Path) -> None:
    page = (built_site / "fi" / "outages" / "2026-12-01-asiointi-liitteet-hairio" / "index.html").read_text()
    for anchor in ('id="alternatives"', 'id="contacts"', 'id="updates"', 'class="katko-updated"'):
        assert anchor in page
    # The service's standing instructions follow the outage's own, before the contacts.
    assert page.index('id="alternatives"') < page.index("Muut asiointitavat") < page.index('id="contacts"')
    assert page.count("<li><p class=\"katko-timeline__time\">") >= 3


def test_fallback_language_is_marked_and_announced(built_site: Path) -> None:
    fallbacks = [p for p in html_files(built_site / "en" / "outages") if 'class="admonition note katko-fallback"' in p.read_text()]
    assert fallbacks, "the example records include one without English details"
    text = fallbacks[0].read_text()
    assert '<div lang="fi">' in text
    # Pages in complete languages carry no such note.
    assert not any("katko-fallback" in p.read_text() for p in html_files(built_site / "fi"))


def test_internal_section_never_published(built_site: Path) -> None:
    assert CANARY in (REPO_ROOT / "outages" / "2026-12-01-asiointi-liitteet-hairio.yml").read_text()
    leaks = [str(p) for p in built_site.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()]
    assert leaks == []


def test_archive_by_year(built_site: Path) -> None:
    years = sorted(p.name for p in (built_site / "fi" / "archive").iterdir() if p.is_dir())
    assert len(years) >= 2
    archive = (built_site / "fi" / "archive" / "index.html").read_text()
    for year in years:
        assert f'href="{year}/"' in archive


def test_notice_pages_stay_out_of_navigation_and_search(built_site: Path) -> None:
    home = (built_site / "fi" / "index.html").read_text()
    nav = home[home.index('class="md-nav md-nav--primary"'):home.index("</nav>", home.index('class="md-nav md-nav--primary"'))]
    assert "outages/" not in nav
    index = (built_site / "search" / "search_index.json").read_text()
    assert '"location":"fi/archive/' not in index.replace(" ", "")


# --------------------------------------------------------------------------- #
# Links and privacy
# --------------------------------------------------------------------------- #


def test_internal_links_resolve_and_nothing_loads_from_elsewhere(built_site: Path) -> None:
    broken, foreign = [], []
    for page in html_files(built_site):
        url = "http://site/" + str(page.relative_to(built_site))
        for tag, ref, attrs in parse(page).refs:
            target = urlparse(urljoin(url, ref))
            if target.scheme in ("mailto", "tel"):
                continue
            if target.netloc != "site":
                # Links people follow may go elsewhere; what the page loads may not.
                if tag in ("script", "img", "iframe") or (tag == "link" and rel(attrs) not in (["alternate"], ["canonical"])):
                    foreign.append((str(page), ref))
                continue
            path = built_site / target.path.lstrip("/")
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append((str(page), ref))
    assert broken == []
    assert foreign == []


# --------------------------------------------------------------------------- #
# Builds: deterministic, all-or-nothing
# --------------------------------------------------------------------------- #


def test_same_records_and_now_give_identical_files(built_site: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    result = build(project, "--strict", "-d", str(tmp_path / "again"))
    assert result.returncode == 0, result.stderr
    first, second = snapshot(built_site), snapshot(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_failed_build_keeps_the_previous_site(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert build(project).returncode == 0
    before = snapshot(project / "site")
    record = project / "outages" / "2026-12-05-rakennuslupa-palvelinvaihto.yml"
    record.write_text(record.read_text().replace("kind: planned", "kind: plannned"))
    result = build(project)
    assert result.returncode != 0
    # The site's first language is fi: the build logs the problem and its summary in Finnish.
    assert re.search(r"outages/2026-12-05-rakennuslupa-palvelinvaihto\.yml:\d+:\d+: virhe K104", result.stderr)
    assert "katkotiedotteissa on 1 virhe, 0 varoitusta; sivustoa ei rakennettu" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]


def test_missing_catalog_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "locales" / "sv" / "LC_MESSAGES" / "katko.po").unlink()
    result = build(project)
    assert result.returncode != 0
    assert "the sv translation catalog is missing" in result.stderr
    assert not (project / "site").exists()


def test_required_languages_come_from_mkdocs_yml(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("required_languages: [fi, sv]", "required_languages: [fi, sv, en]"))
    result = build(project)
    assert result.returncode != 0
    assert re.search(r"outages/2025-10-25-kirjasto-palvelinsiirto\.yml:\d+:1: virhe K202: kentästä details puuttuu "
                     r"englannin", result.stderr), result.stderr


def test_search_index_leaves_out_repeated_text(built_site: Path) -> None:
    import json

    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    notices = [d for d in docs if d["location"].startswith("fi/outages/")]
    assert any(d["location"].endswith("#details") for d in notices)
    # Contacts and the services' standing instructions are on every notice of a
    # service; the index has them once, on the service page.
    phone = "09 000 1000"
    assert phone in (REPO_ROOT / "outages" / "services.yml").read_text()
    assert not any(phone in d["text"] for d in notices)
    assert any(phone in d["text"] for d in docs if d["location"].startswith("fi/services/"))


def test_notices_that_ended_long_ago_are_searched_by_title_and_summary(built_site: Path) -> None:
    """search_days (365): an outage that ended more than a year before KATKO_NOW keeps only
    its title and summary in the index; its page still has everything."""
    import json

    import yaml

    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    old, recent = "2025-03-15-rakennuslupa-arkisto", "2026-11-28-rakennuslupa-versiopaivitys"  # ended 2025 / 29.11.2026
    entries = {d["location"]: d["text"] for d in docs if d["location"].startswith(f"fi/outages/{old}/")}
    assert list(entries) == [f"fi/outages/{old}/"]
    record = yaml.safe_load((REPO_ROOT / "outages" / f"{old}.yml").read_text(encoding="utf-8"))
    assert " ".join(record["summary"]["fi"].split())[:60] in entries[f"fi/outages/{old}/"]
    details = record["details"]["fi"].split("\n")[0].replace("**", "")[:40]
    assert not any(details in text for text in entries.values())
    assert details in (built_site / "fi" / "outages" / old / "index.html").read_text().replace("<strong>", "").replace("</strong>", "")
    assert any(d["location"] == f"fi/outages/{recent}/#details" for d in docs)


@pytest.mark.parametrize("lang", LANGS)
def test_home_and_service_pages_announce_their_feeds(built_site: Path, lang: str) -> None:
    pages = [built_site / lang / "index.html", *sorted((built_site / lang / "services").glob("*/index.html"))]
    for page in pages:
        links = [(a.get("type"), href) for tag, href, a in parse(page).refs
                 if tag == "link" and rel(a) == ["alternate"] and a.get("type")]
        assert sorted(t for t, _ in links) == ["application/atom+xml", "application/rss+xml", "text/calendar"]
        for _, href in links:
            assert (page.parent / href).is_file(), (page, href)


@pytest.mark.parametrize("lang", LANGS)
def test_subscribe_page_lists_every_feed_and_api_file(built_site: Path, lang: str) -> None:
    page = built_site / lang / "subscribe" / "index.html"
    targets = {(page.parent / href).resolve() for tag, href, _ in parse(page).refs if tag == "a"}
    wanted = [*(built_site / lang).glob("feed.*"), built_site / lang / "outages.ics",
              *(built_site / lang / "services").glob("*/feed.*"), *(built_site / lang / "services").glob("*/outages.ics"),
              *(built_site / "api" / "v1").rglob("*.json")]
    assert len(wanted) == 3 + 3 * 4 + 1 + 4 + 1 + 1  # the last one: webhook.schema.json
    assert {w.resolve() for w in wanted} <= targets
