"""The internal staff site: ``mkdocs build -f mkdocs.internal.yml`` into a temporary folder
(the session's ``internal_site``; its pages go through axe and vnu in tests/browser/).

It shows what the public site never does (the records' ``internal:`` sections,
planning, follow-up, a report per service), says so on every page, and leaves
the public build as it was.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml

from katko.records import codes, messages
from katko.site import guide

from ..conftest import REPO_ROOT
from .test_site import CANARY, LANGS, html_files, parse

INTERNAL_CONFIG = "mkdocs.internal.yml"


def _records() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((REPO_ROOT / "outages").glob("*.yml"))
            if p.name != "services.yml"}


def _cancelled(record: dict) -> bool:
    statuses = [record.get("status"), *(u.get("status") for u in record.get("updates", []))]
    return record.get("status") == "cancelled" or [s for s in statuses if s][-1:] == ["cancelled"]


def test_config_repeats_the_public_plugins_but_for_internal() -> None:
    # MkDocs replaces an inherited list: mkdocs.internal.yml repeats the plugins.
    public = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text())
    internal = yaml.safe_load((REPO_ROOT / INTERNAL_CONFIG).read_text())
    assert internal["INHERIT"] == "mkdocs.yml" and internal["site_dir"] != public.get("site_dir", "site")
    katko = next(p["katko"] for p in internal["plugins"] if isinstance(p, dict) and "katko" in p)
    assert katko.pop("internal") is True
    assert internal["plugins"] == public["plugins"]


def test_every_record_has_an_internal_page_with_its_internal_section(internal_site: Path) -> None:
    records = _records()
    for lang in LANGS:
        pages = {p.parent.name for p in (internal_site / lang / "internal" / "outages").glob("*/index.html")}
        assert pages == set(records)  # the not yet public ones too
    page = (internal_site / "fi" / "internal" / "outages" / "2026-12-01-asiointi-liitteet-hairio" / "index.html")
    assert CANARY in page.read_text()
    # Risks with their handling, from the record as written.
    record = records["2026-12-03-maksut-tietoturvapaivitys"]
    text = (internal_site / "fi" / "internal" / "outages" / "2026-12-03-maksut-tietoturvapaivitys"
            / "index.html").read_text()
    first = record["internal"]["risks"][0]
    assert first["risk"] in text and first["handling"] in text


def test_planning_view_checks_the_upcoming_outages(internal_site: Path) -> None:
    page = (internal_site / "fi" / "internal" / "index.html").read_text()
    upcoming = page[page.index('id="upcoming"'):page.index('id="over"')]
    # The 1.5 h urgent security update gets 1 working day of the 5 needed, with a reason.
    urgent = upcoming[upcoming.index("2026-12-03-maksut-tietoturvapaivitys"):]
    assert "Ilmoitusaikaa 1 työpäivää, vaaditaan 5" in urgent
    assert "Kiireellinen: perustelu kerrotaan tiedotteessa." in urgent
    # Not yet public (public_from 9.12.) and listed all the same.
    assert "2026-12-27-kirjasto-jarjestelmapaivitys" in upcoming and "Julkaistaan" in upcoming
    # The cancelled one is not planned.
    assert "2026-12-13-asiointi-paivitys-peruttu" not in upcoming
    over = page[page.index('id="over"'):page.index('id="arrangements"')]
    assert "2026-10-20-asiointi-tietoturvaloukkaus" in over and "18 h 20 min" in over
    arrangements = page[page.index('id="arrangements"'):page.index('id="evaluations"')]
    assert "2026-11-30-kirjasto-varaukset" in arrangements and "2026-12-20-tunnistus-vaihto" in arrangements
    evaluations = page[page.index('id="evaluations"'):page.index('id="all"')]
    assert "2026-11-28-rakennuslupa-versiopaivitys" in evaluations


def test_report_counts_every_outage_of_each_service(internal_site: Path) -> None:
    records = _records()
    page = (internal_site / "fi" / "internal" / "report" / "index.html").read_text()
    services = [s["id"] for s in yaml.safe_load((REPO_ROOT / "outages" / "services.yml").read_text())["services"]]
    for service in services:
        naming = [r for r in records.values() if service in r["services"]]
        counted = [r for r in naming if not _cancelled(r)]
        match = re.search(rf'data-katko-service="{service}">\s*<dt>[^<]*</dt><dd data-katko-count="(\d+)">', page)
        assert match is not None, service
        assert int(match.group(1)) == len(counted)
        planned = sum(r["kind"] == "planned" for r in counted)
        assert f"(suunniteltuja {planned}, häiriöitä {len(counted) - planned})" in page
    # asiointi's longest: the data breach, 16.10 on 19.10. to 10.30 on 20.10. = 18 h 20 min, over its 6 h.
    asiointi = page[page.index('id="service-asiointi"'):page.index('id="service-maksut"')]
    assert "18 h 20 min" in asiointi and "Ei: 1 katko pidempi" in asiointi


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_is_marked_internal_and_not_for_search_engines(internal_site: Path, lang: str) -> None:
    marker = {"fi": "Sisäinen – älä jaa.", "sv": "Intern – dela inte.", "en": "Internal – do not share."}[lang]
    pages = html_files(internal_site / lang)
    assert len(pages) > 16
    for page in pages:
        text = page.read_text()
        assert '<meta name="robots" content="noindex, nofollow">' in text, page
        assert marker in text, page
        assert parse(page).lang == lang
    for page in (internal_site / "index.html", internal_site / "404.html"):
        assert '<meta name="robots" content="noindex, nofollow">' in page.read_text()
        assert "Sisäinen – älä jaa." in page.read_text()


def test_no_feeds_calendars_api_or_embeds(internal_site: Path) -> None:
    names = {p.relative_to(internal_site).as_posix() for p in internal_site.rglob("*") if p.is_file()}
    assert not [n for n in names if re.search(r"\.(xml|ics|json)$", n) and not n.startswith(("search/", "sitemap"))]
    assert not [n for n in names if n.startswith(("embed/", "api/"))]
    assert not [n for n in names if n.endswith(".html") and "/internal/" not in n and n not in ("index.html", "404.html")]


def test_links_on_the_internal_site_resolve(internal_site: Path) -> None:
    from urllib.parse import urljoin, urlparse

    # The 404 page links from the site's own folder on the intranet server.
    base = urlparse(yaml.safe_load((REPO_ROOT / INTERNAL_CONFIG).read_text())["site_url"]).path
    broken = []
    for page in html_files(internal_site):
        url = "http://site" + base + str(page.relative_to(internal_site))
        for tag, ref, _ in parse(page).refs:
            target = urlparse(urljoin(url, ref))
            if target.netloc != "site":
                continue
            path = internal_site / target.path.removeprefix(base)
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append((str(page), ref))
    assert broken == []


def test_public_build_has_no_canary_and_no_internal_page(built_site: Path) -> None:
    assert not (built_site / "fi" / "internal").exists()
    assert [str(p) for p in built_site.rglob("*") if p.is_file() and CANARY.encode() in p.read_bytes()] == []
    assert not any("/internal/" in p.read_text() for p in html_files(built_site))


def test_planning_view_shows_usage_figures_and_heat_map(internal_site: Path, built_site: Path) -> None:
    """Issue 6: the expected users and the heat map on the planning view, never on the public site."""
    from katko.usage import windows
    from katko.core.times import parse_time

    record = _records()["2026-12-05-rakennuslupa-palvelinvaihto"]
    profile = windows.load_profiles(REPO_ROOT / "outages" / "usage")["rakennuslupa"]
    a = windows.assess(profile, parse_time(record["start"]), parse_time(record["end"]))
    page = (internal_site / "fi" / "internal" / "outages" / "2026-12-05-rakennuslupa-palvelinvaihto"
            / "index.html").read_text()
    assert "Käyttö suunniteltuna aikana" in page
    assert f"noin {a.expected:,.0f}".replace(",", "\u00a0") in page
    assert f"{a.rank}. hiljaisin viikon {a.windows} samanpituisesta jaksosta" in page
    assert page.count('role="img"') == 1 and page.count("<rect") >= 168
    planning = (internal_site / "sv" / "internal" / "index.html").read_text()
    assert "Användning vid den planerade tiden" in planning
    # Never public: no heat map, no usage words, in any file of the public build.
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".atom", ".rss", ".ics", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Käyttö suunniteltuna aikana" not in text and "katko-usage" not in text, path


def test_internal_texts_are_marked_with_their_language(internal_site: Path) -> None:
    """Internal free texts are written in the site's first language (WCAG 3.1.2)."""
    record = _records()["2026-12-05-rakennuslupa-palvelinvaihto"]
    impact = record["internal"]["authority_impact"]
    for lang, marked in (("fi", False), ("sv", True), ("en", True)):
        page = (internal_site / lang / "internal" / "outages" / "2026-12-05-rakennuslupa-palvelinvaihto"
                / "index.html").read_text()
        assert (f'<span lang="fi">{impact}</span>' in page) is marked
        assert impact in page


def test_internal_build_is_deterministic(internal_site: Path, tmp_path: Path) -> None:
    """The same records and KATKO_NOW give byte-identical files on the staff site too."""
    from ..conftest import _build
    from .test_site import snapshot

    again = _build(tmp_path / "again", "-f", "mkdocs.internal.yml")
    assert snapshot(again) == snapshot(internal_site)


def test_planning_view_shows_the_lessons_of_the_previous_evaluated_outage(internal_site: Path) -> None:
    """D4: before an outage, what the latest earlier evaluated outage of the same service taught."""
    records = _records()
    upcoming = "2026-12-05-rakennuslupa-palvelinvaihto"
    earlier = max((rid for rid, r in records.items() if "rakennuslupa" in r["services"]
                   and (r.get("internal") or {}).get("evaluation") and r["start"] < records[upcoming]["start"]),
                  key=lambda rid: records[rid]["start"])
    improvements = records[earlier]["internal"]["evaluation"]["improvements"]
    page = (internal_site / "fi" / "internal" / "index.html").read_text()
    article = page[page.index(f'id="upcoming-{upcoming}"'):]
    article = article[:article.index("</article>")]
    assert "Opit edellisestä katkosta" in article
    assert f'href="outages/{earlier}/"' in article and improvements in article


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_record_guide_is_on_the_internal_site_with_every_code(internal_site: Path, lang: str) -> None:
    """katko check's hints link to LANG/internal/guide/#CODE: the page and every anchor exist."""
    page = (internal_site / lang / "internal" / "guide" / "index.html").read_text(encoding="utf-8")
    title = (REPO_ROOT / "docs" / guide.FILES[lang]).read_text(encoding="utf-8").split("\n", 1)[0].lstrip("# ")
    assert f"<h1>{title}</h1>" in page
    for code in codes.CODES:
        assert f'<tr id="{code.lower()}">' in page, code
    home = (internal_site / lang / "internal" / "index.html").read_text(encoding="utf-8")
    assert 'href="guide/"' in home


def _tables(page: Path) -> list[tuple[str, str]]:
    """Each table of a page, its start and its accessible name: the text of the elements its
    aria-labelledby names, else its caption, else its aria-label."""
    tree = lxml.html.fromstring(page.read_bytes())
    found = []
    for table in tree.iter("table"):
        ids = (table.get("aria-labelledby") or "").split()
        caption = table.find("caption")
        if ids:
            name = " ".join(tree.get_element_by_id(i).text_content() for i in ids if tree.xpath(f"//*[@id='{i}']"))
        else:
            name = caption.text_content() if caption is not None else table.get("aria-label", "")
        found.append((lxml.html.tostring(table, encoding="unicode")[:120], " ".join(name.split())))
    return found


def test_every_table_of_the_staff_site_is_named(internal_site: Path) -> None:
    """A screen reader lists a page's tables by their names: each has a caption, or is labelled by
    the heading it stands under (WCAG 1.3.1)."""
    tables = {page: _tables(page) for page in html_files(internal_site)}
    unnamed = [f"{page.relative_to(internal_site)}: {start}" for page, found in tables.items()
               for start, name in found if not name]
    assert sum(map(len, tables.values())) > 50 and not unnamed, "\n".join(unnamed)


@pytest.mark.parametrize("lang", LANGS)
def test_the_tables_are_named_in_the_pages_language(internal_site: Path, lang: str) -> None:
    texts = messages.texts(lang)
    planning_page = dict(_tables(internal_site / lang / "internal" / "index.html"))
    names = set(planning_page.values())
    for heading in ("Unplanned outages over the service level", "Temporary arrangements still open",
                    "Evaluations due"):
        assert texts.gettext(heading) in names, (heading, names)
    guide_page = {name for _, name in _tables(internal_site / lang / "internal" / "guide" / "index.html")}
    title = (REPO_ROOT / "docs" / guide.FILES[lang]).read_text(encoding="utf-8").split("\n## ")
    assert {part.split("\n", 1)[0] for part in title[1:]} & guide_page, guide_page
