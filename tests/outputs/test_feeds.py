"""RSS and Atom feeds: found from the pages, valid, in their language, stable.

Most tests read the feeds of the session's ``built_site`` (the example
records at KATKO_NOW). Those that need other records or another "now" call
:mod:`katko.outputs.feeds` directly on a Renderer, which is much faster than a build.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import feedparser
import pytest
import rnc2rng
import yaml
from lxml import etree

from katko.outputs import feeds
from katko.site.render import Renderer
from katko.records.settings import Settings
from katko.core.times import parse_time

from ..conftest import KATKO_NOW, REPO_ROOT, renderer_for

LANGS = ("fi", "sv", "en")
CANARY = "KATKO-INTERNAL-CANARY-7f3a"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MIMES = {"application/rss+xml": "rss", "application/atom+xml": "atom"}
SITE_URL = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text())["site_url"]
CANCELLED = "2026-12-13-asiointi-paivitys-peruttu"
# Planned, no updates: upcoming at KATKO_NOW, over by 2026-12-06 04:00.
PLANNED = "2026-12-05-rakennuslupa-palvelinvaihto"
# Becomes public only on 2026-12-14, after KATKO_NOW.
NOT_YET_PUBLIC = "2026-12-27-kirjasto-jarjestelmapaivitys"


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def record_files() -> dict[str, dict]:
    """The example records by id (file name), as plain YAML."""
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted((REPO_ROOT / "outages").glob("*.yml"))
            if p.name != "services.yml"}


def service_ids() -> list[str]:
    return [s["id"] for s in yaml.safe_load((REPO_ROOT / "outages" / "services.yml").read_text())["services"]]


def feed_files(site: Path, kind: str) -> list[Path]:
    return sorted(site.rglob(f"feed.{kind}"))


def lang_of(site: Path, feed: Path) -> str:
    return feed.relative_to(site).parts[0]


def notice_url(lang: str, outage_id: str) -> str:
    return f"{SITE_URL}{lang}/outages/{outage_id}/"


class AlternateLinks(HTMLParser):
    """The ``<link rel="alternate">`` feed links of a page: kind → href."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        # rel is a set of words: the pages write rel="alternate " (see overrides/main.html).
        if tag == "link" and (a.get("rel") or "").split() == ["alternate"] and a.get("type") in MIMES:
            self.feeds[MIMES[a["type"] or ""]] = a.get("href") or ""


def linked_feeds(site: Path, page: str) -> dict[str, Path]:
    """The feed files a page (site-relative folder, e.g. 'fi/') links to."""
    parser = AlternateLinks()
    parser.feed((site / page / "index.html").read_text(encoding="utf-8"))
    base = f"http://site/{page}"
    return {kind: site / urlparse(urljoin(base, href)).path.lstrip("/") for kind, href in parser.feeds.items()}


def renderer(now: str, outages: Path = REPO_ROOT / "outages") -> Renderer:
    """A Renderer of ``outages`` at ``now``, as the plugin makes one."""
    settings = Settings(languages=LANGS, required_languages=("fi", "sv"), site_url=SITE_URL, now=parse_time(now))
    return renderer_for(settings, outages)


def atom_entries(data: bytes) -> list[etree._Element]:
    return etree.fromstring(data).findall(f"{ATOM}entry")


def atom_entry(data: bytes, outage_id: str, lang: str) -> etree._Element:
    found = [e for e in atom_entries(data) if e.findtext(f"{ATOM}id") == notice_url(lang, outage_id)]
    assert len(found) == 1, f"{outage_id} is not in the feed once"
    return found[0]


def rss_item(data: bytes, guid: str) -> etree._Element:
    found = [i for i in etree.fromstring(data).findall("channel/item") if i.findtext("guid") == guid]
    assert len(found) == 1, f"{guid} is not in the feed once"
    return found[0]


def text_of(html: str) -> str:
    """Text of an HTML fragment, whitespace collapsed, to compare with a record's text."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def words(text: str, count: int = 8) -> str:
    return " ".join(text.split()[:count])


@pytest.fixture(scope="module")
def atom_schema() -> etree.RelaxNG:
    """RFC 4287's RELAX NG schema (tests/schemas/atom.rnc), converted to RNG."""
    rng = rnc2rng.dumps(rnc2rng.load(str(Path(__file__).parents[1] / "schemas" / "atom.rnc")))
    # rnc2rng declares the schema's `namespace local = ""` as xmlns:local="",
    # which XML namespaces forbid; the schema already spells it <nsName ns=""/>.
    rng = re.sub(r'\s+xmlns:local=""', "", rng)
    return etree.RelaxNG(etree.fromstring(rng.encode()))


# --------------------------------------------------------------------------- #
# Found from the pages, one per language and service
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_links_lead_to_its_feeds(built_site: Path, lang: str) -> None:
    linked = linked_feeds(built_site, f"{lang}/")
    assert linked == {"rss": built_site / lang / "feed.rss", "atom": built_site / lang / "feed.atom"}
    assert all(path.is_file() for path in linked.values())


@pytest.mark.parametrize("lang", LANGS)
def test_service_pages_link_to_their_own_feeds(built_site: Path, lang: str) -> None:
    for service in service_ids():
        folder = built_site / lang / "services" / service
        linked = linked_feeds(built_site, f"{lang}/services/{service}/")
        assert linked == {"rss": folder / "feed.rss", "atom": folder / "feed.atom"}
        assert all(path.is_file() for path in linked.values())


def test_one_feed_per_language_and_service(built_site: Path) -> None:
    expected = sorted(built_site / lang / folder / f"feed.{kind}"
                      for lang in LANGS for kind in ("rss", "atom")
                      for folder in ("", *(f"services/{s}" for s in service_ids())))
    assert sorted(feed_files(built_site, "rss") + feed_files(built_site, "atom")) == expected


# --------------------------------------------------------------------------- #
# Valid, and in their language
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feeds_parse_cleanly_and_declare_their_language(built_site: Path, kind: str) -> None:
    for path in feed_files(built_site, kind):
        lang = lang_of(built_site, path)
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == ("rss20" if kind == "rss" else "atom10"), path
        assert parsed.feed.language == lang, path
        assert len(parsed.entries) >= 1, path
        root = etree.fromstring(path.read_bytes())
        if kind == "atom":
            assert root.get(XML_LANG) == lang, path
        else:
            assert root.findtext("channel/language") == lang, path


def test_atom_feeds_are_valid_by_rfc_4287_schema(built_site: Path, atom_schema: etree.RelaxNG) -> None:
    invalid = {}
    for path in feed_files(built_site, "atom"):
        document = etree.parse(str(path))
        if not atom_schema.validate(document):
            invalid[str(path)] = str(atom_schema.error_log)
        # The schema's Schematron rule, which RELAX NG does not check: an
        # entry without an author of its own takes the feed's.
        assert document.getroot().find(f"{ATOM}author/{ATOM}name").text, path
    assert invalid == {}


def test_rss_feeds_have_what_rss_2_requires(built_site: Path) -> None:
    for path in feed_files(built_site, "rss"):
        root = etree.parse(str(path)).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0", path
        channels = root.findall("channel")
        assert len(channels) == 1, path
        channel = channels[0]
        for required in ("title", "link", "description"):
            assert (channel.findtext(required) or "").strip(), (path, required)
        assert channel.findtext("link").startswith(SITE_URL), path
        items = channel.findall("item")
        assert items, path
        for item in items:
            assert (item.findtext("title") or "").strip() or (item.findtext("description") or "").strip(), path
            guid = item.find("guid")
            assert guid is not None and guid.get("isPermaLink") == "true", path
            assert guid.text == item.findtext("link"), path
            # RFC 822 dates, which feed readers sort and compare by.
            assert parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None, path


def test_feeds_name_themselves_and_the_authority(built_site: Path) -> None:
    feed = etree.parse(str(built_site / "sv" / "services" / "rakennuslupa" / "feed.atom")).getroot()
    assert feed.findtext(f"{ATOM}id") == f"{SITE_URL}sv/services/rakennuslupa/feed.atom"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITE_URL}sv/services/rakennuslupa/feed.atom",
                     "alternate": f"{SITE_URL}sv/services/rakennuslupa/",
                     "hub": "https://websub.esimerkkila.example/"}  # notify.yml
    assert feed.findtext(f"{ATOM}title").startswith("Bygglovstjänsten – Driftavbrott")
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Exempelby stad"
    channel = etree.parse(str(built_site / "fi" / "feed.rss")).getroot().find("channel")
    assert channel.findtext("title").startswith("Käyttökatkot")
    assert channel.findtext("link") == f"{SITE_URL}fi/"
    assert channel.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}fi/feed.rss"


# --------------------------------------------------------------------------- #
# Entries
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_entry_ids_are_the_notice_pages_addresses(built_site: Path, kind: str) -> None:
    known = set(record_files())
    for path in feed_files(built_site, kind):
        lang = lang_of(built_site, path)
        for entry in feedparser.parse(path.read_bytes()).entries:
            outage_id = entry.id.removeprefix(f"{SITE_URL}{lang}/outages/").rstrip("/")
            assert entry.id == notice_url(lang, outage_id) and outage_id in known, (path, entry.id)
            assert entry.link == entry.id
            assert (built_site / lang / "outages" / outage_id / "index.html").is_file()


def test_rss_and_atom_list_the_same_entries(built_site: Path) -> None:
    for atom_path in feed_files(built_site, "atom"):
        rss_path = atom_path.with_suffix(".rss")
        ids = [[e.id for e in feedparser.parse(p.read_bytes()).entries] for p in (atom_path, rss_path)]
        assert ids[0] == ids[1], atom_path


@pytest.mark.parametrize("lang", LANGS)
def test_service_feeds_hold_only_their_services_outages(built_site: Path, lang: str) -> None:
    outages = record_files()
    everything = {e.id for e in feedparser.parse((built_site / lang / "feed.atom").read_bytes()).entries}
    for service in service_ids():
        path = built_site / lang / "services" / service / "feed.atom"
        ids = {e.id for e in feedparser.parse(path.read_bytes()).entries}
        own = {notice_url(lang, outage_id) for outage_id, data in outages.items() if service in data["services"]}
        assert ids and ids <= own, service
        # The site's feed lists the same outages of this service.
        assert ids == everything & own, service


def test_only_public_notices_are_listed(built_site: Path) -> None:
    assert parse_time(record_files()[NOT_YET_PUBLIC]["public_from"]) > parse_time(KATKO_NOW)
    for path in feed_files(built_site, "rss") + feed_files(built_site, "atom"):
        assert NOT_YET_PUBLIC.encode() not in path.read_bytes(), path


def test_entries_newest_change_first_and_feed_updated_is_the_newest(built_site: Path) -> None:
    for path in feed_files(built_site, "atom"):
        root = etree.parse(str(path)).getroot()
        updated = [datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in root.findall(f"{ATOM}entry")]
        assert updated == sorted(updated, reverse=True), path
        assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == updated[0], path
        assert updated[0] <= parse_time(KATKO_NOW)
        for entry in root.findall(f"{ATOM}entry"):
            published, changed = (datetime.fromisoformat(entry.findtext(f"{ATOM}{name}"))
                                  for name in ("published", "updated"))
            assert published <= changed, path
    for path in feed_files(built_site, "rss"):
        channel = etree.parse(str(path)).getroot().find("channel")
        dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in channel.findall("item")]
        assert dates == sorted(dates, reverse=True), path
        assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == dates[0], path


@pytest.mark.parametrize(("lang", "label"), [("fi", "Peruttu"), ("sv", "Inställt"), ("en", "Cancelled")])
def test_cancelled_outage_says_so_and_leads_with_the_cancellation(built_site: Path, lang: str, label: str) -> None:
    record = record_files()[CANCELLED]
    for kind in ("atom", "rss"):
        parsed = feedparser.parse((built_site / lang / f"feed.{kind}").read_bytes())
        entry = next(e for e in parsed.entries if e.id == notice_url(lang, CANCELLED))
        assert entry.title == f"{label}: {record['title'][lang]}"
        content = text_of(entry.content[0].value)
        cancellation = words(record["updates"][-1]["text"][lang])
        assert content.index(cancellation) < content.index(words(record["summary"][lang]))
        assert entry.summary == " ".join(record["summary"][lang].split())


def test_entry_content_says_what_when_what_to_do_and_whom_to_contact(built_site: Path) -> None:
    parsed = feedparser.parse((built_site / "fi" / "feed.atom").read_bytes())
    entry = next(e for e in parsed.entries if e.id == notice_url("fi", PLANNED))
    html = entry.content[0].value
    assert entry.title.startswith("Tulossa: ")
    assert "Rakennuslupapalvelu" in html and "Vaikutus" in html
    assert "la 5.12.2026 klo 22.00" in text_of(html)  # the period, written as on the site
    assert f'href="{notice_url("fi", PLANNED)}#alternatives"' in html
    assert f'href="{SITE_URL}fi/services/rakennuslupa/"' in html
    assert "09 000 4100" in html  # the service's advice line


def test_no_feed_publishes_the_internal_section(built_site: Path) -> None:
    assert CANARY in (REPO_ROOT / "outages" / "2026-12-01-asiointi-liitteet-hairio.yml").read_text()
    for path in feed_files(built_site, "rss") + feed_files(built_site, "atom"):
        assert CANARY.encode() not in path.read_bytes(), path


def stated_moments() -> set[datetime]:
    """Every moment the example records state, and KATKO_NOW."""
    moments = {parse_time(KATKO_NOW)}
    for data in record_files().values():
        moments |= {parse_time(data[key]) for key in ("public_from", "start", "end") if data.get(key)}
        moments |= {parse_time(update["time"]) for update in data.get("updates", [])}
    return moments


def test_feeds_carry_no_build_time(built_site: Path) -> None:
    """feedgen stamps a feed and its entries with the current time unless told
    otherwise. Every date in a feed must be one the records state, so none is
    the build's: a date equal to today's real date appears only if a record
    says so (checking for today's date alone would fail on the days the
    example records mention)."""
    stated = stated_moments()
    for path in feed_files(built_site, "atom"):
        for element in etree.parse(str(path)).iter(f"{ATOM}updated", f"{ATOM}published"):
            moment = datetime.fromisoformat(element.text)
            assert moment in stated, (path, element.text)
    for path in feed_files(built_site, "rss"):
        for element in etree.parse(str(path)).iter("lastBuildDate", "pubDate"):
            moment = parsedate_to_datetime(element.text)
            assert moment in stated, (path, element.text)


# --------------------------------------------------------------------------- #
# Changes show up as updates of the same entry
# --------------------------------------------------------------------------- #


def test_the_end_shows_up_as_an_update_of_the_same_entry() -> None:
    before = feeds.atom(renderer(KATKO_NOW), "fi")
    after = feeds.atom(renderer("2026-12-06T12:00:00+02:00"), "fi")
    old, new = atom_entry(before, PLANNED, "fi"), atom_entry(after, PLANNED, "fi")
    assert old.findtext(f"{ATOM}title").startswith("Tulossa: ")
    assert new.findtext(f"{ATOM}title").startswith("Päättynyt: ")
    assert new.findtext(f"{ATOM}published") == old.findtext(f"{ATOM}published")
    # Its planned end is the change; the entry moves up with it.
    assert new.findtext(f"{ATOM}updated") == "2026-12-06T04:00:00+02:00"
    assert [e.findtext(f"{ATOM}id") for e in atom_entries(after)][0] == notice_url("fi", PLANNED)
    assert text_of(new.findtext(f"{ATOM}content")).startswith("su 6.12.2026 klo 4.00 · Päättynyt")


def test_an_announced_end_leads_the_entry(built_site: Path) -> None:
    # Ended early by an update at 1.35; its planned end (2.00) is not news.
    parsed = feedparser.parse((built_site / "fi" / "feed.atom").read_bytes())
    entry = next(e for e in parsed.entries if e.id == notice_url("fi", "2026-11-28-rakennuslupa-versiopaivitys"))
    assert entry.title.startswith("Päättynyt: ")
    assert text_of(entry.content[0].value).startswith("su 29.11.2026 klo 1.35 · Päättynyt Katko päättyi etuajassa")


def test_a_change_of_times_shows_up_as_an_update_of_the_same_entry(tmp_path: Path) -> None:
    outages = tmp_path / "outages"
    outages.mkdir()
    for path in (REPO_ROOT / "outages").glob("*.yml"):
        (outages / path.name).write_bytes(path.read_bytes())
    record = yaml.safe_load((outages / f"{PLANNED}.yml").read_text())
    record["end"] = "2026-12-06 08:00"
    record["internal"]["service_level_reason"] = "Aineistoa on arvioitua enemmän; hyväksynyt palvelun omistaja 3.12."
    record["updates"] = [{"time": "2026-12-03 15:00", "status": "extended", "end": "2026-12-06 08:00", "text": {
        "fi": "Katkoa on jatkettu su 6.12. klo 8.00 asti, koska siirrettävää aineistoa on arvioitua enemmän.",
        "sv": "Avbrottet har förlängts till sö 6.12 kl. 8.00 eftersom det finns mer data att flytta än väntat.",
        "en": "The outage has been extended until Sunday 6 December at 8:00: there is more data to move."}}]
    (outages / f"{PLANNED}.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")

    before = feeds.rss(renderer("2026-12-03T12:00:00+02:00"), "fi")
    after = feeds.rss(renderer("2026-12-03T16:00:00+02:00", outages), "fi")
    old, new = (rss_item(data, notice_url("fi", PLANNED)) for data in (before, after))
    assert parsedate_to_datetime(old.findtext("pubDate")) == parse_time("2026-11-20 09:00")
    assert parsedate_to_datetime(new.findtext("pubDate")) == parse_time("2026-12-03 15:00")
    # The same item, now the newest change, leading with the extension.
    assert etree.fromstring(after).find("channel/item/guid").text == notice_url("fi", PLANNED)
    content = text_of(new.findtext(f"{CONTENT}encoded"))
    assert content.startswith("to 3.12.2026 klo 15.00 · Jatkettu Katkoa on jatkettu")
    assert "su 6.12.2026 klo 8.00" in content
    assert new.findtext("title") == old.findtext("title")


# --------------------------------------------------------------------------- #
# Empty feeds and determinism
# --------------------------------------------------------------------------- #


def test_empty_feed_is_valid_and_dated_by_the_records(atom_schema: etree.RelaxNG) -> None:
    # A year on, the payment service's outages are all past the feed window.
    later = renderer("2028-01-01T12:00:00+02:00")
    service = next(s for s in later.site.services if s.id == "maksut")
    newest = max(n.changed_at for n in later.site.by_service["maksut"])
    for lang in LANGS:
        atom = feeds.atom(later, lang, service)
        assert atom_entries(atom) == []
        assert atom_schema.validate(etree.fromstring(atom)), atom_schema.error_log
        assert datetime.fromisoformat(etree.fromstring(atom).findtext(f"{ATOM}updated")) == newest
        rss = feeds.rss(later, lang, service)
        parsed = feedparser.parse(rss)
        assert not parsed.bozo and parsed.entries == []
        assert parsedate_to_datetime(etree.fromstring(rss).findtext("channel/lastBuildDate")) == newest
        assert feeds.atom(later, lang, service) == atom and feeds.rss(later, lang, service) == rss


def test_feed_without_any_records_is_dated_by_the_builds_now(tmp_path: Path,
                                                             atom_schema: etree.RelaxNG) -> None:
    (tmp_path / "services.yml").write_bytes((REPO_ROOT / "outages" / "services.yml").read_bytes())
    empty = renderer(KATKO_NOW, tmp_path)
    atom = etree.fromstring(feeds.atom(empty, "sv"))
    assert atom_schema.validate(atom), atom_schema.error_log
    assert datetime.fromisoformat(atom.findtext(f"{ATOM}updated")) == parse_time(KATKO_NOW)
    assert not feedparser.parse(feeds.rss(empty, "sv")).bozo


def test_same_records_and_now_give_the_same_bytes() -> None:
    first, second = renderer(KATKO_NOW), renderer(KATKO_NOW)
    service = first.site.services[0]
    for function in (feeds.rss, feeds.atom):
        for lang in LANGS:
            assert function(first, lang) == function(second, lang)
            assert function(first, lang, service) == function(second, lang, second.site.services[0])
