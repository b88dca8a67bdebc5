"""The oracle (issue 11): every output tells the same story of every outage at every moment.

For each example record, and two more over the daylight-saving changes, and for
moments around each of its transitions (before it is public, when it becomes
public, its start, each update, its end, an early end, when it leaves the home
page, long after), the site is rendered in-process for that moment, and every
output must state the phase, the start and end and the estimate mark that
:func:`katko.records.lifecycle.at` gives, in every language: the notice page, the
home and service pages, the feeds, the calendar, the JSON API, the banner's
data, the snippets and the shutter page. What the status script would show
without a rebuild (the <template>s of the page built at the previous moment)
must be what the rebuild shows. The lifecycle itself is held to rules that do
not depend on it (phases in order, an end after the start, estimates only for
disruptions). One full MkDocs build at a moment inside an outage over the
autumn change checks that the plugin publishes what the core renders.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from icalendar import Calendar
from lxml import etree

from katko.outputs import api, calendars, banner as embeds, feeds, shutters, snippets
from katko.records import lifecycle
from katko.site.addresses import data_path
from katko.records import loading as records
from katko.core import timefmt
from katko.records.dataset import Dataset
from katko.site.render import Renderer
from katko.records.settings import Settings
from katko.site.pages import Notice, Page
from katko.core.times import parse_time

from .conftest import REPO_ROOT, renderer_for

SITE_URL = "https://katkot.example.org/"
LANGS = ("fi", "sv", "en")
WHEN = {"fi": "Ajankohta", "sv": "Tidpunkt", "en": "When"}
ESTIMATE = {"fi": " (arvio)", "sv": " (uppskattning)", "en": " (estimate)"}
MINUTE = timedelta(minutes=1)

# Two outages like the examples over the daylight-saving changes. Autumn 2026: 1.00
# summer time to 3.30 winter time, ended early at 3.45 summer time (in the hour
# that happens twice), said in an update written at 3.10 winter time. Spring 2027:
# a disruption from 2.30 winter time, estimated to 5.00 summer time, then to 5.30,
# fixed at 5.20 and resolved at 5.40.
DST_RECORDS = {
    "2026-10-25-kirjasto-kellonsiirto": """
kind: planned
services: [kirjasto]
impact: slow
start: "2026-10-25 01:00"
end: "2026-10-25T03:30+02:00"
public_from: "2026-10-02 09:00"
title:
  fi: Verkkokirjasto on hidas su 25.10. yöllä
  sv: Nätbiblioteket är långsamt natten till sö 25.10
summary:
  fi: Verkkokirjasto toimii hitaasti su 25.10.2026 klo 1.00–3.30 (talviaikaa).
  sv: Nätbiblioteket fungerar långsamt sö 25.10.2026 kl. 1.00–3.30 (vintertid).
stakeholders:
  - fi: Kirjaston asiakkaat
    sv: Bibliotekets kunder
updates:
  - time: "2026-10-25 01:00"
    status: ongoing
    text:
      fi: Katko alkoi.
      sv: Avbrottet började.
  - time: "2026-10-25T03:10+02:00"
    status: ended
    end: "2026-10-25T03:45+03:00"
    text:
      fi: Katko päättyi etuajassa.
      sv: Avbrottet upphörde före utsatt tid.
internal:
  affected_users: 10
  authority_impact: Ei vaikutusta.
  risks: Kellonsiirto.
""",
    "2027-03-28-maksut-kevat": """
kind: unplanned
services: [maksut]
impact: unavailable
start: "2027-03-28 02:30"
end: "2027-03-28 05:30"
public_from: "2027-03-28 02:40"
title:
  fi: Häiriö verkkomaksupalvelussa
  sv: Störning i nätbetalningstjänsten
summary:
  fi: Verkkomaksupalvelussa ei voi maksaa.
  sv: Det går inte att betala i nätbetalningstjänsten.
updates:
  - time: "2027-03-28 02:40"
    status: investigating
    end: "2027-03-28 05:00"
    text:
      fi: Selvitämme vikaa.
      sv: Vi utreder felet.
  - time: "2027-03-28 04:30"
    status: identified
    end: "2027-03-28 05:30"
    text:
      fi: Vika löytyi.
      sv: Felet har hittats.
  - time: "2027-03-28 05:40"
    status: resolved
    end: "2027-03-28 05:20"
    text:
      fi: Vika on korjattu.
      sv: Felet är åtgärdat.
""",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("oracle")
    shutil.copytree(REPO_ROOT / "outages", root / "outages", ignore=shutil.ignore_patterns("usage"))
    for name, text in DST_RECORDS.items():
        (root / "outages" / f"{name}.yml").write_text(text.lstrip(), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dataset(project: Path) -> Dataset:
    data, report = records.load([project / "outages"], Settings(now=parse_time("2030-01-01 12:00")))
    assert not report.blocking, report.blocking
    assert len(data.records) == 18
    return data


def moments(outage: Any, recent: timedelta) -> list[datetime]:
    """Before and at every transition, when the notice leaves the home page, and long after."""
    found: set[datetime] = set()
    for moment in lifecycle.transitions(outage):
        found |= {moment - MINUTE, moment}
    final = lifecycle.at(outage, max(found) + timedelta(days=400))
    if final.over_at is not None:
        found |= {final.over_at + recent - MINUTE, final.over_at + recent}
    found.add(max(found) + timedelta(days=400))
    return sorted(found)


def renderer_at(project: Path, dataset: Dataset, now: datetime) -> Renderer:
    settings = Settings(site_url=SITE_URL, now=now)
    return renderer_for(settings, dataset=dataset)


Shown = tuple[str | None, str]  # the list a notice is in (None: not a list), and its HTML there


def shown(element: lxml.html.HtmlElement | None, in_list: bool) -> Shown:
    if element is None:
        return ("", "")
    return (element.getparent().get("id") if in_list else None,
            lxml.html.tostring(element, encoding="unicode", with_tail=False))


def without_templates(html: str, coming: dict[tuple[str, str], Shown] | None = None) -> lxml.html.HtmlElement:
    """A page as built; its <template>s (what the status script shows later) go into ``coming``,
    by the notice and place they are for and their moment."""
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    for template in tree.xpath("//template"):
        if coming is not None:
            children = list(template)
            html = lxml.html.tostring(children[0], encoding="unicode", with_tail=False) if children else ""
            target = template.get("data-katko-list")
            coming[(template.get("data-katko-for"), template.get("data-katko-at"))] = \
                ("" if target == "" else target, html)
        template.drop_tree()
    return tree


def said_times(element: lxml.html.HtmlElement) -> list[str]:
    return [t.get("datetime") for t in element.xpath(".//time")]


def expected_times(state: lifecycle.State) -> list[str]:
    return [timefmt.iso(m) for m in (state.start, state.end) if m is not None]


def check_when(dd: lxml.html.HtmlElement, state: lifecycle.State, lang: str, where: str) -> None:
    text = " ".join(dd.text_content().split())
    assert said_times(dd) == expected_times(state), where
    assert text.endswith(ESTIMATE[lang].strip()) == state.end_is_estimate, (where, text)
    assert text == timefmt.format_range(state.start, state.end, lang) + (ESTIMATE[lang] if state.end_is_estimate
                                                                         else ""), where  # type: ignore[arg-type]


def facts_when(element: lxml.html.HtmlElement, lang: str) -> lxml.html.HtmlElement:
    return element.xpath(f".//dt[normalize-space()='{WHEN[lang]}']/following-sibling::dd[1]")[0]


def invariants(o: Any, state: lifecycle.State, now: datetime, where: str) -> None:
    """What holds whatever the lifecycle's rules: the oracle's own sanity."""
    if state.end is not None:
        assert state.end > state.start, where
    assert not (state.end_is_estimate and (o.kind == "planned" or state.over)), where
    if state.phase == "upcoming":
        assert now < o.start, where
    if state.phase == "ongoing":
        assert now >= o.start, where
    if state.phase == "ended":
        assert state.ended_at is not None and state.ended_at <= now and state.end == state.ended_at, where
        assert state.ended_at >= o.start or state.ended_at >= o.public_from, where
    if o.kind == "planned" and state.phase == "ongoing" and o.end is not None:
        assert now < state.end, where  # type: ignore[operator]
    cancelled = any(u.status == "cancelled" for u in o.updates if u.time <= now)
    assert (state.phase == "cancelled") == cancelled, where


def check_notice_page(r: Renderer, notice: Notice, lang: str, where: str,
                      coming: dict[tuple[str, str], Shown] | None = None) -> Shown:
    """The notice page's status block as built (returned for the status script's check)."""
    html = r.content(Page("outage", notice.key, lang, {"notice": notice}))
    page = without_templates(html, coming)
    block = page.xpath("//div[@class='katko-status']")[0]
    state = notice.state
    assert block.xpath(".//*[@data-katko-phase]")[0].get("data-katko-phase") == state.phase, where
    check_when(facts_when(block, lang), state, lang, where)
    end = block.xpath(".//p[@class='katko-end']")
    assert bool(end) == state.over, where
    if state.phase == "ended":
        assert said_times(end[0]) == [timefmt.iso(state.ended_at)], where  # type: ignore[arg-type]
    return shown(block, in_list=False)


def check_lists(r: Renderer, notice: Notice, where: str,
                coming: dict[str, dict[tuple[str, str], Shown]]) -> dict[str, Shown]:
    """The home page's and every service page's cards (returned by list for the status script's
    check, the first service's as the service page's)."""
    found = {}
    state = notice.state
    pages = [("home", Page("home", "", "fi", {"sections": r.site.current}))]
    for service in notice.services:
        pages.append(("service", Page("service", f"services/{service.id}/", "fi",
                                      {"service": service, "lists": r.site.service_lists(service)})))
    for kind, page in pages:
        first = kind not in coming
        later: dict[tuple[str, str], Shown] = {}
        tree = without_templates(r.content(page), later)
        if first:
            coming[kind] = later
        cards = tree.xpath(f"//li[@data-katko-live='{notice.id}']")
        placed = r.site.place(notice, kind)
        if kind == "home":
            expected = None if placed is None else ("katko-recent" if state.over else f"katko-{state.phase}")
        else:
            expected = "katko-past" if state.over else "katko-current"
        assert [c.getparent().get("id") for c in cards] == ([expected] if expected else []), (where, kind)
        if cards:
            card = cards[0]
            if kind == "home":
                assert card.xpath(".//*[@data-katko-phase]")[0].get("data-katko-phase") == state.phase, where
                check_when(facts_when(card, "fi"), state, "fi", where)
            else:
                assert said_times(card) == expected_times(state), where
            if first:
                found[kind] = shown(card, in_list=True)
    return found


def check_api(r: Renderer, notice: Notice, where: str) -> None:
    state = notice.state
    entry = next(o for o in json.loads(api.outages(r))["outages"] if o["id"] == notice.id)
    assert (entry["phase"], entry["start"], entry["end"], entry["end_is_estimate"], entry["back_since"],
            entry["end_reason"]) == (
        state.phase, api.timestamp(state.start), api.timestamp(state.end) if state.end else None,
        state.end_is_estimate, api.timestamp(state.ended_at) if state.ended_at else None, state.reason), where


ATOM = {"a": "http://www.w3.org/2005/Atom"}


def check_feeds_and_calendar(r: Renderer, notice: Notice, where: str) -> None:
    state = notice.state
    listed = notice in r.site.subscribed()
    for lang in ("fi", "sv"):
        feed = etree.fromstring(feeds.atom(r, lang))
        entries = [e for e in feed.findall("a:entry", ATOM)
                   if e.find("a:id", ATOM).text.rstrip("/").endswith(notice.id)]
        assert len(entries) == int(listed), where
        if listed:
            label = r.gettext(lang)(state.label)
            assert entries[0].find("a:title", ATOM).text.startswith(f"{label}: "), where
            content = without_templates(entries[0].find("a:content", ATOM).text)
            check_when(facts_when(content, lang), state, lang, where)
    if notice.outage.kind != "planned":
        return
    events = [e for e in Calendar.from_ical(calendars.icalendar(r, "fi")).walk("VEVENT") if notice.id in str(e["uid"])]
    assert len(events) == int(listed), where
    if listed:
        event = events[0]
        assert event.decoded("dtstart") == state.start and event.decoded("dtend") == state.end, where
        assert (str(event["status"]) == "CANCELLED") == (state.phase == "cancelled"), where
        assert str(event["summary"]).startswith(r.gettext("fi")(state.label) + ":") == state.over, where


def check_banner_and_embeds(r: Renderer, notice: Notice, where: str) -> None:
    state = notice.state
    shown = not state.over
    # Each of the notice's services' banner data, in every language, and the first banner's one file.
    first = [o for o in embeds.first_banner_data(r)["outages"] if o["id"] == notice.id]
    assert len(first) == int(shown), where
    for service in notice.services:
        for lang in LANGS:
            entries = [o for o in embeds.banner_data(r, service.id, lang)["outages"] if o["id"] == notice.id]
            assert len(entries) == int(shown), where
            if shown:
                current = entries[0]["states"][0]
                assert current["phase"] == state.phase and datetime.fromisoformat(current["from"]) <= r.site.now, where
                period = timefmt.format_range(state.start, state.end, lang)  # type: ignore[arg-type]
                assert current["period"] == period + (ESTIMATE[lang] if state.end_is_estimate else ""), where
                assert first[0]["states"][0]["texts"][lang]["period"] == current["period"], where
    for service in notice.services:
        snippet = snippets.snippet(r, service, "fi")
        items = lxml.html.fromstring(f"<div>{snippet}</div>").xpath(
            f"//li[.//a[contains(@href, '/{notice.id}/')]][contains(@class, 'katko-embed__item')]")
        assert len(items) == int(shown), where
        if shown:
            assert f"katko-embed__item--{state.phase}" in items[0].get("class"), where
            check_when(items[0].xpath(".//span[@class='katko-embed__when']")[0], state, "fi", where)
        if shutters.back_notice(r.site, service, shutters.shutter_notice(r.site, service)) == notice:
            back = lxml.html.fromstring(shutters.shutter(r, service)).xpath("//p[@class='katko-back']")
            assert said_times(back[0]) == ([timefmt.iso(state.end)] if state.end else []), where
            assert ("arvio" in back[0].text_content()) == state.end_is_estimate, where


Waiting = dict[datetime, dict[str, Shown]]  # what the status script shows, by the moment it shows it


def check_moment(r: Renderer, record: Any, now: datetime, waiting: Waiting) -> Notice | None:
    """Every output's story of ``record`` at ``now`` (the renderer's moment), and what the
    status script of a page built at an earlier moment shows now (``waiting``, filled in turn
    for the later moments). The notice, or None while it is not public."""
    o = record.outage
    where = f"{record.id} at {now.isoformat()}"
    notice = next((n for n in r.site.notices if n.id == record.id), None)
    assert (notice is not None) == (now >= o.public_from), where
    if notice is None:
        return None
    state = notice.state
    assert state == lifecycle.at(o, now), where
    invariants(o, state, now, where)
    coming: dict[str, dict[tuple[str, str], Shown]] = {"status": {}}
    built = {"status": check_notice_page(r, notice, "fi", where, coming["status"]),
             **check_lists(r, notice, where, coming)}
    for lang in ("sv", "en"):
        check_notice_page(r, notice, lang, where)
    check_api(r, notice, where)
    check_feeds_and_calendar(r, notice, where)
    check_banner_and_embeds(r, notice, where)
    # The status script, on a page built earlier, shows now what this build shows.
    for part, later in waiting.pop(now, {}).items():
        assert later == built.get(part, ("", "")), (where, part)
    for page, part, key in ((None, "status", f"{record.id}-status"), ("home", "home", record.id),
                            ("service", "service", record.id)):
        for change in r.site.changes(notice, page):
            assert change.notice.state == lifecycle.at(o, change.at), (where, part, change.at)
            waiting.setdefault(change.at, {})[part] = coming[part][(key, timefmt.iso(change.at))]
    return notice


def test_every_output_tells_the_same_story(project: Path, dataset: Dataset) -> None:
    recent = Settings().recent
    checked = 0
    for record in dataset.records:
        waiting: Waiting = {}
        for now in moments(record.outage, recent):
            if check_moment(renderer_at(project, dataset, now), record, now, waiting) is not None:
                checked += 1
    # Every record, public at 5 moments or more.
    assert checked >= 18 * 5


def test_the_plugin_publishes_what_the_core_renders(project: Path, dataset: Dataset) -> None:
    # Inside the autumn outage, after its early end in the hour that happens twice.
    now = "2026-10-25T03:50+02:00"
    for name in ("mkdocs.yml",):
        shutil.copy(REPO_ROOT / name, project / name)
    for name in ("overrides", "locales", "docs"):
        if not (project / name).exists():
            shutil.copytree(REPO_ROOT / name, project / name)
    site = project / "site"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=project,
                           capture_output=True, text=True, env={**os.environ, "KATKO_NOW": now,
                                                                "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    r = renderer_at(project, dataset, parse_time(now))
    assert (site / "api" / "v1" / "outages.json").read_bytes() == api.outages(r)
    assert (site / "fi" / "outages.ics").read_bytes() == calendars.icalendar(r, "fi")
    assert (site / "embed" / "outages.json").read_bytes() == embeds.outages_json(r)
    for service in r.site.services:
        assert (site / data_path(service, "sv")).read_bytes() == embeds.service_json(r, service.id, "sv")
    notice = next(n for n in r.site.notices if n.id == "2026-10-25-kirjasto-kellonsiirto")
    assert (notice.phase, notice.state.ended_at) == ("ended", parse_time("2026-10-25T03:45+03:00"))
    page = lxml.html.fromstring((site / "fi" / "outages" / notice.id / "index.html").read_bytes())
    status = page.xpath("//div[@class='katko-status']")[0]
    assert shown(status, in_list=False) == check_notice_page(r, notice, "fi", now)
    assert " ".join(status.xpath("string(.//p[@class='katko-end'])").split()) == \
        "Palvelu on taas käytössä su 25.10.2026 klo 3.45 (kesäaikaa) alkaen."
