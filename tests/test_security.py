"""Nothing from a record or services.yml can run a script or load anything: the Markdown
sanitiser, the check's K120, the Content Security Policy on every page, and every output of a
site whose every text field carries an injection payload (tests/injection.py). The same site
in Chromium: tests/browser/test_injection_in_browser.py."""

from __future__ import annotations

import itertools
import json
import random
import re
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar
from lxml import etree

from katko.outputs import api, calendars, banner as embeds, feeds
from katko.site import csp
from katko.core import markup
from katko.records import loading as records
from katko.cli import main
from katko.records.model import Localized
from katko.records.settings import Settings
from katko.core.times import parse_time

from .conftest import KATKO_NOW, REPO_ROOT, renderer_for
from .injection import CALLED, PAYLOADS, Poisoned, audit, payload, refused_by_check, strings

NOW = parse_time(KATKO_NOW)
FIXTURES = Path(__file__).parent / "fixtures"
REFUSED = [t for t in PAYLOADS if refused_by_check(payload(t, 1))]


# --------------------------------------------------------------------------- #
# Markdown: sanitised HTML, and K120 for links the sanitiser would drop
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("template", PAYLOADS)
def test_markdown_becomes_allowlisted_html(template: str) -> None:
    html = markup.to_html(payload(template, 1))
    assert audit(html, tags=set(markup.TAGS), attributes=markup.ATTRIBUTES) == []


def test_the_allowed_links_stay_links() -> None:
    html = markup.to_html("[a](https://x.example/a?b=1&c=2) <mailto:neuvonta@x.example> [b](tel:+358900) [c](../x/)")
    assert re.findall(r'href="([^"]*)"', html) == [
        "https://x.example/a?b=1&amp;c=2", "mailto:neuvonta@x.example", "tel:+358900", "../x/"]


@pytest.mark.parametrize("template", REFUSED)
def test_check_refuses_the_links_in_a_markdown_text(template: str, tmp_path: Path) -> None:
    outages = tmp_path / "outages"
    outages.mkdir()
    (outages / "services.yml").write_bytes((FIXTURES / "services.yml").read_bytes())
    record = yaml.safe_load((FIXTURES / "valid.yml").read_text(encoding="utf-8"))
    record["details"] = {"fi": payload(template, 1), "sv": "Tiedot."}
    (outages / "2026-12-05-lupa.yml").write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(outages)], env={"KATKO_NOW": KATKO_NOW})
    assert result.exit_code == 1
    assert re.search(r"2026-12-05-lupa\.yml:\d+:\d+: error K120: details\.fi: the link '.*' is not allowed here",
                     result.output), result.output
    assert "Traceback" not in result.output


def test_the_check_refuses_exactly_the_links_with_other_schemes() -> None:
    """Links written with entities, percent signs or inside HTML are not links to Markdown:
    they stay relative addresses or text, and pass."""
    assert [markup.unsafe_links(payload(t, 1)) for t in REFUSED] == [
        ["javascript:__katko_xss(1)"], ["JaVaScRiPt:__katko_xss(1)"],
        ["data:text/html;base64,PHNjcmlwdD5fX2thdGtvX3hzcygpPC9zY3JpcHQ+"], ["vbscript:msgbox(1)"],
        ["http://evil.example/1"], ["javascript:__katko_xss(1)"], ["javascript:__katko_xss(1)"]]


# K120 converts only the texts that could link to a refused address (markup._may_refuse); it must
# find the same links as if it converted them all. The texts below put, into every way of writing a
# link, an allowed scheme (or none) behind characters that Markdown may remove, join or ignore.
_LINK_FORMS = ["[a]({})", "[a][r]\n\n[r]: {}", "<{}>", "[a](<{}>)", "> [a]({})", "- [a]({})", '[a]({} "t")',
               "[![i](j)]({})", "`[a]({})`", "[r]: {}\n\n[r]", "Huom: [a]({}) klo 10:00"]
_JOINERS = ["", "`", "``", "` `", " `", "\\", "\\-", "\n", "\n> ", "\n    ", "\n- ", "\n1. ", "> ", " ", "a ", "1 ",
            "\t", "\r", "\x02", "\x03", "\x0b", "\u2028", "(", ")", "<", ">", "&", ";", "-", "+", ".", "'", '"',
            "*", "_", "[", "]", "!", "#", "/", "="]
_SCHEMES = ["tel", "https", "mailto", "HTTPS", "http", "", "10"]


def test_the_check_finds_the_refused_links_of_every_text_it_does_not_convert() -> None:
    texts = [form.format(before + joiner + scheme + after) for form, before, joiner, scheme, after in itertools.product(
        _LINK_FORMS, ["", "x", "java", "1 ", ")"], _JOINERS, _SCHEMES, [":1", "://x.example"])]
    skipped = [text for text in texts if not markup._may_refuse(text)]
    assert len(skipped) > len(texts) / 10  # the shortcut is taken, and tested
    assert [text for text in skipped if any(not markup.allowed(a) for a in markup.links(text))] == []


def test_the_check_reads_the_hosts_of_every_text_it_does_not_convert() -> None:
    """K113 reads the host of every https link: a text that markup.may_link_elsewhere skips has none,
    nor any other link with a scheme."""
    texts = [form.format(before + joiner + scheme + after) for form, before, joiner, scheme, after in itertools.product(
        _LINK_FORMS + ["{}", "Huom: {} klo 10:00", "(a) {}"], ["", "x", "1 ", ")"], _JOINERS, _SCHEMES,
        [":1", "://x.example"])]
    skipped = [text for text in texts if not markup.may_link_elsewhere(text)]
    assert len(skipped) > len(texts) / 20  # the shortcut is taken, and tested
    assert [text for text in skipped if any(markup.scheme(a) for a in markup.links(text))] == []



def test_the_links_of_a_text_with_only_autolinks_are_found_without_converting_it() -> None:
    """markup.links reads the autolinks of a text in which Markdown can make no other link without
    converting it (start-up and speed of 'katko check'): the same addresses, in the same order."""
    forms = [*_LINK_FORMS, "{}", "*{}*", "**a {}**", "_{}_", ">     {}", "- > {}", "# {}", "a\n{}\n---", "- a\n\n    {}",
             "- a\n  {}", " {}", "   {}", "> a\n>   {}", "1. a\n\n   {}"]
    texts = [form.format(before + joiner + scheme + after) for form, before, joiner, scheme, after in itertools.product(
        forms, ["", "x", "<", "_"], _JOINERS, [*_SCHEMES, "mailto"], [":1", "://x.example/a_b*c*>", ":a.b@x.example"])]
    pieces = ["<", ">", "*", "_", " ", "   ", "    ", "\n", "\n  ", "-", "#", ":", "https://", "http://", "mailto:", "a",
              "@", ".", "1.", "=", "(", ")", "x.example", "/", "\u00a0"]
    rnd = random.Random(15)
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 25))) for _ in range(5000)]
    shortcut = [text for text in texts if not markup._NOT_ONLY_AUTOLINKS.search(text)]
    assert len(shortcut) > len(texts) / 10 and any(markup.links(text) for text in shortcut)
    assert [text for text in shortcut if markup.links(text) != markup._converted_links(text)] == []

# --------------------------------------------------------------------------- #
# The Content Security Policy of every page
# --------------------------------------------------------------------------- #

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _policies(site: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(site)): CSP_META.findall(p.read_text(encoding="utf-8"))
            for p in sorted(site.rglob("*.html"))}


def _fragment(path: str) -> bool:
    """embed/ID/LANG.html: a fragment for the host's page, which has the host's policy."""
    return re.fullmatch(r"embed/[a-z0-9-]+/[a-z]{2}\.html", path) is not None


def _self_contained(path: str) -> bool:
    return re.fullmatch(r"(shutter/[a-z0-9-]+|embed/[a-z0-9-]+/[a-z]{2})/index\.html", path) is not None


@pytest.mark.parametrize("site_fixture", ["built_site", "internal_site"])
def test_every_page_has_its_policy_before_any_script_or_style(site_fixture: str,
                                                              request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_fixture)
    policies = _policies(site)
    assert len(policies) > 50
    for path, found in policies.items():
        text = (site / path).read_text(encoding="utf-8")
        if _fragment(path):
            assert found == [], path
            continue
        assert found == [csp.SELF_CONTAINED if _self_contained(path) else csp.PAGE], path
        first = min(m.start() for m in re.finditer(r"<script|<style|<link rel=\"stylesheet\"", text))
        assert text.index("Content-Security-Policy") < first, path
        assert audit(text, styles=_self_contained(path)) == [], path


def test_docs_give_the_policies_as_server_headers() -> None:
    security = (REPO_ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert f"Content-Security-Policy: {csp.PAGE}; frame-ancestors 'none'" in security
    assert f"Content-Security-Policy: {csp.SELF_CONTAINED}; frame-ancestors 'none'" in security
    assert f"Content-Security-Policy: {csp.SELF_CONTAINED}\n" in security  # iframe pages are framed
    assert "(docs/security.md)" in (REPO_ROOT / "README.md").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- #
# A site with a payload in every text field
# --------------------------------------------------------------------------- #


def test_the_poisoned_records_pass_the_check(poisoned: Poisoned) -> None:
    _, report = records.load([poisoned.folder], Settings(now=NOW))
    assert [str(d) for d in report.errors] == []
    # Every language of titles, names and Markdown texts, in records and services.yml.
    paths = {path for _, path, _ in poisoned.fields.values()}
    for expected in ("title.sv", "details.en", "updates[1].text.fi", "services[1].name.en",
                     "services[1].contacts[1].phone", "authority.accessibility.known_issues.sv"):
        assert expected in paths
    assert len(poisoned.fields) > 400 and poisoned.internal


def _outputs(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix in (".html", ".json", ".xml", ".rss", ".atom", ".ics", ".js", ".txt")}


def test_no_output_runs_or_loads_anything(poisoned_site: Path, poisoned_internal_site: Path) -> None:
    problems = []
    for site in (poisoned_site, poisoned_internal_site):
        for path, text in _outputs(site).items():
            if path.endswith(".html"):
                problems += [f"{site.name}/{path} {p}" for p in audit(text, styles=_self_contained(path))]
    assert problems == []


def test_templates_evaluate_nothing_and_internal_texts_stay_internal(poisoned: Poisoned, poisoned_site: Path,
                                                                     poisoned_internal_site: Path) -> None:
    public = _outputs(poisoned_site)
    assert [path for path, text in public.items() if "katkotpl" in text] == []
    assert [(path, m) for path, text in public.items() for m in poisoned.internal if m in text] == []
    internal = "".join(_outputs(poisoned_internal_site).values())
    assert "katkotpl" not in internal
    assert any(m in internal for m in poisoned.internal)  # not vacuous: the staff site shows them


def _verbatim(poisoned: Poisoned, text: str) -> bool:
    """Whether every payload in ``text`` is there as the record wrote it (leading and
    trailing spaces aside): as text, neither escaped nor changed."""
    return all(poisoned.fields[int(n)][2].strip() in text for n in CALLED.findall(text))


def test_json_outputs_carry_the_texts_as_text(poisoned: Poisoned, poisoned_site: Path) -> None:
    for path in ("api/v1/outages.json", "api/v1/services/rakennuslupa.json", "embed/outages.json"):
        document = json.loads((poisoned_site / path).read_text(encoding="utf-8"))
        found = [s for s in strings(document) if CALLED.search(s)]
        assert len(found) > 10, path
        assert [s for s in found if not _verbatim(poisoned, s)] == [], path


def test_search_index_holds_escaped_text(poisoned_site: Path) -> None:
    """Material shows the index's title and text as HTML: only its own markup may be in them."""
    index = json.loads((poisoned_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    keep = {"p", "code", "pre", "li", "ol", "ul", "sub", "sup"}
    problems = [(doc["location"], field, p) for doc in index["docs"] for field in ("title", "text")
                for p in audit(doc[field], tags=keep, attributes={})]
    assert problems == []
    assert any("&lt;img src=x onerror=__katko_xss(" in doc["title"] for doc in index["docs"])


def test_feeds_parse_and_carry_the_titles_as_text(poisoned: Poisoned, poisoned_site: Path) -> None:
    feeds = sorted(poisoned_site.rglob("*.rss")) + sorted(poisoned_site.rglob("*.atom"))
    assert len(feeds) == 30
    seen = set()
    for feed in feeds:
        tree = etree.parse(str(feed))  # well-formed XML, or this raises
        parsed = feedparser.parse(feed.read_bytes(), sanitize_html=False)
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        for entry in parsed.entries:
            assert _verbatim(poisoned, entry.title), (feed, entry.title)
            seen.add(entry.title)
        contents = tree.xpath("//*[local-name()='encoded' or local-name()='content']/text()")
        assert contents
        for content in contents:
            assert audit(content) == [], feed
    assert seen


def test_calendars_parse_and_carry_the_texts_as_text(poisoned: Poisoned, poisoned_site: Path) -> None:
    properties = {"UID", "SEQUENCE", "DTSTAMP", "CREATED", "LAST-MODIFIED", "DTSTART", "DTEND", "SUMMARY",
                  "DESCRIPTION", "URL", "STATUS", "TRANSP", "CLASS", "CATEGORIES"}
    calendars = sorted(poisoned_site.rglob("*.ics"))
    assert len(calendars) == 15
    events = 0
    for path in calendars:
        data = path.read_bytes()
        calendar = Calendar.from_ical(data)
        found = calendar.walk("VEVENT")
        # One event per BEGIN:VEVENT line, each with only the properties Katko writes.
        assert len(found) == data.count(b"\r\nBEGIN:VEVENT\r\n"), path
        for event in found:
            assert set(event) <= properties, (path, set(event) - properties)
            # The description is the notice as plain text: Markdown's marks are gone from it.
            assert CALLED.search(str(event["DESCRIPTION"])), path
            assert _verbatim(poisoned, str(event["SUMMARY"])), (path, str(event["SUMMARY"]))
        events += len(found)
    assert events


# --------------------------------------------------------------------------- #
# Line breaks and separators that a record's YAML cannot easily carry
# --------------------------------------------------------------------------- #

#: Each would end a calendar line, a JavaScript string or an XML text if written out raw.
BREAKS = ["a\r\nBEGIN:VEVENT\r\nSUMMARY:katko-evil\r\nEND:VEVENT", "b\rX-KATKO-EVIL:1", "c\nDTSTART:20000101T000000Z",
          "d\u2028e\u2029f", "g;h,i\\j:k", "</script><script>__katko_xss(1)</script>\u2028"]


def test_line_breaks_in_texts_stay_inside_their_values() -> None:
    """Put straight into the models (whatever the check says of them): calendars, feeds and
    JSON still carry each text as one value."""
    settings = Settings(now=NOW)
    dataset, _ = records.load([REPO_ROOT / "outages"], settings)
    dataset.records = [
        replace(record, outage=record.outage.model_copy(update={"title": Localized(fi=text, sv=text, en=text)}))
        for record, text in zip(dataset.records, itertools.cycle(BREAKS))]
    renderer = renderer_for(settings, dataset=dataset)
    titles = {r.outage.title.fi for r in dataset.records}
    stripped = titles | {t.strip() for t in titles}  # the API and feedparser strip a text's ends
    # Calendars have one line break, LF: CR LF and a lone CR become it.
    lines = {re.sub(r"\r\n?", "\n", t) for t in titles}

    data = calendars.icalendar(renderer, "fi")
    found = Calendar.from_ical(data).walk("VEVENT")
    assert found and len(found) == data.count(b"\r\nBEGIN:VEVENT\r\n")
    assert all(str(e["SUMMARY"]).split(": ", 1)[-1] in lines for e in found), [str(e["SUMMARY"]) for e in found]
    assert not re.search(rb"^(SUMMARY:katko-evil|X-KATKO-EVIL|DTSTART:2000)", data, re.M)

    for kind in ("rss", "atom"):
        parsed = feedparser.parse(getattr(feeds, kind)(renderer, "fi"))
        assert not parsed.bozo and parsed.entries
        assert all(e.title.split(": ", 1)[-1] in stripped for e in parsed.entries), [e.title for e in parsed.entries]

    document = json.loads(api.outages(renderer))
    assert {o["title"]["fi"] for o in document["outages"]} <= stripped
    assert {o["texts"]["fi"]["title"] for o in embeds.first_banner_data(renderer)["outages"]} <= stripped
    assert {o["title"] for s in renderer.site.services for o in embeds.banner_data(renderer, s.id, "fi")["outages"]} \
        <= stripped
