"""What the site says of an outage over its life (issue 11): each scenario that was
seen to state a wrong fact, rendered in-process from a record and a moment.
"""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from icalendar import Calendar

from katko.outputs import api, calendars
from katko.records import lifecycle
from katko.site import planning
from katko.records import loading as records
from katko.records.model import Outage
from katko.site.render import Renderer
from katko.records.settings import Settings
from katko.site.pages import Page
from katko.core.times import parse_time

from ..conftest import KATKO_NOW, REPO_ROOT, renderer_for

SITE_URL = "https://katkot.example.org/"
FIXTURES = Path(__file__).parents[1] / "fixtures"


def record(**fields: Any) -> str:
    """A record for the service 'lupa' of tests/fixtures/services.yml, as YAML (JSON is YAML)."""
    base = {"kind": "planned", "services": ["lupa"], "impact": "unavailable",
            "title": {"fi": "Lupapalvelu ei ole käytössä", "sv": "Tillståndstjänsten är inte i bruk"},
            "summary": {"fi": "Palvelinvaihto.", "sv": "Byte av server."},
            "stakeholders": [{"fi": "Luvan hakijat", "sv": "De som ansöker om tillstånd"}],
            "internal": {"affected_users": 40, "authority_impact": "Ei vaikutusta.", "risks": ["Vaihto venyy."]}}
    return json.dumps({**base, **fields}, ensure_ascii=False)


def update(time: str, status: str | None = None, end: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"time": time, "text": {"fi": "Tilanne.", "sv": "Läget."}}
    if status:
        found["status"] = status
    if end:
        found["end"] = end
    return found


def renderer(tmp_path: Path, texts: dict[str, str], now: str, catalogue: Path = FIXTURES / "services.yml",
             folder: Path | None = None) -> Renderer:
    outages = tmp_path / "outages"
    if folder is not None:
        shutil.copytree(folder, outages, ignore=shutil.ignore_patterns("usage"))
    else:
        outages.mkdir(parents=True)
        shutil.copy(catalogue, outages / "services.yml")
    for name, text in texts.items():
        (outages / f"{name}.yml").write_text(text, encoding="utf-8")
    settings = Settings(site_url=SITE_URL, now=parse_time(now))
    return renderer_for(settings, outages)


def notice_page(r: Renderer, outage_id: str, lang: str = "fi") -> lxml.html.HtmlElement:
    """The notice page as built: the status script's coming states (<template>s) left out."""
    notice = next(n for n in r.site.notices if n.id == outage_id)
    tree = lxml.html.fromstring(r.content(Page("outage", notice.key, lang, {"notice": notice})))
    for template in tree.xpath("//template"):
        template.drop_tree()
    return tree


def words(tree: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def facts(tree: lxml.html.HtmlElement) -> dict[str, str]:
    dl = tree.xpath("//dl[contains(@class, 'katko-facts')]")[0]
    return dict(zip(words(dl, "./dt"), words(dl, "./dd")))


def api_outage(r: Renderer, outage_id: str) -> dict[str, Any]:
    return next(o for o in json.loads(api.outages(r))["outages"] if o["id"] == outage_id)


# --------------------------------------------------------------------------- #
# "Seen on the current main" (issue 11), one by one
# --------------------------------------------------------------------------- #


def test_a_disruption_resolved_after_its_estimate_is_back_when_resolved(tmp_path: Path) -> None:
    # Estimated to end at 12.00, resolved at 14.00: it was published as "back in use since 12.00".
    r = renderer(tmp_path, {"hairio": record(
        kind="unplanned", start="2026-11-30 08:50", end="2026-11-30 12:00", public_from="2026-11-30 09:00",
        updates=[update("2026-11-30 09:00", "investigating"), update("2026-11-30 14:00", "resolved")])},
        "2026-11-30 15:00")
    page = notice_page(r, "hairio")
    assert words(page, "//p[@class='katko-end']") == ["Palvelu on taas käytössä ma 30.11.2026 klo 14.00 alkaen."]
    assert "Korjattiin arvioitua myöhemmin." in words(page, "//p[@class='katko-status__detail']")
    assert facts(page)["Ajankohta"] == "ma 30.11.2026 klo 8.50–14.00"
    outage = api_outage(r, "hairio")
    assert (outage["back_since"], outage["end"], outage["end_reason"]) == (
        "2026-11-30T14:00:00+02:00", "2026-11-30T14:00:00+02:00", "extended")


def test_a_disruption_resolved_early_shows_its_actual_end_and_length(tmp_path: Path) -> None:
    # Resolved at 11.30: it still showed "8.50–14.00, duration 5 h 10 min", and no estimate mark.
    r = renderer(tmp_path, {"hairio": record(
        kind="unplanned", start="2026-11-30 08:50", end="2026-11-30 14:00", public_from="2026-11-30 09:00",
        updates=[update("2026-11-30 09:00", "investigating"), update("2026-11-30 11:30", "resolved")])},
        "2026-11-30 12:00")
    shown = facts(notice_page(r, "hairio"))
    assert (shown["Ajankohta"], shown["Kesto"]) == ("ma 30.11.2026 klo 8.50–11.30", "2 h 40 min")
    # Before it was resolved, the end was an estimate, and said so everywhere.
    earlier = renderer(tmp_path / "earlier", {"hairio": record(
        kind="unplanned", start="2026-11-30 08:50", end="2026-11-30 14:00", public_from="2026-11-30 09:00",
        updates=[update("2026-11-30 09:00", "investigating"), update("2026-11-30 11:30", "resolved")])},
        "2026-11-30 10:00")
    shown = facts(notice_page(earlier, "hairio"))
    assert (shown["Ajankohta"], shown["Kesto"]) == ("ma 30.11.2026 klo 8.50–14.00 (arvio)", "5 h 10 min (arvio)")
    assert api_outage(earlier, "hairio")["end_is_estimate"] is True


def test_an_ended_planned_outage_does_not_say_scheduled(tmp_path: Path) -> None:
    r = renderer(tmp_path, {"katko": record(start="2026-11-20 22:00", end="2026-11-21 02:00",
                                            public_from="2026-11-06 09:00")}, "2026-11-21 03:00")
    page = notice_page(r, "katko")
    assert words(page, "//p[@class='katko-card__meta']") == ["Päättynyt Suunniteltu käyttökatko"]
    assert "Tila" not in " ".join(words(page, "//div[@class='katko-status']"))
    assert api_outage(r, "katko")["end_reason"] == "as_planned"


def test_a_cancelled_notice_says_so_at_the_top(built_site: Path) -> None:
    page = lxml.html.fromstring((built_site / "fi" / "outages" / "2026-12-13-asiointi-paivitys-peruttu" /
                                 "index.html").read_bytes())
    first = page.xpath("//article//h1/following::p[not(ancestor::template)]")
    said = [" ".join(p.text_content().split()) for p in first[:2]]
    assert said == ["Peruttu Suunniteltu käyttökatko",
                    "Käyttökatko, joka oli suunniteltu ajalle su 13.12.2026 klo 2.00–6.00, on peruttu."]
    sv = lxml.html.fromstring((built_site / "sv" / "outages" / "2026-12-13-asiointi-paivitys-peruttu" /
                               "index.html").read_bytes())
    assert "Driftavbrottet som var planerat till sö 13.12.2026 kl. 2.00–6.00 har ställts in." in \
        " ".join(sv.xpath("string(//p[@class='katko-end'])").split())


def test_a_fix_being_monitored_is_not_called_ongoing(built_site: Path) -> None:
    # It read "Käynnissä" next to "Korjattu, tilannetta seurataan".
    page = lxml.html.fromstring((built_site / "fi" / "outages" / "2026-12-01-asiointi-liitteet-hairio" /
                                 "index.html").read_bytes())
    for template in page.xpath("//template"):
        template.drop_tree()
    status = " ".join(page.xpath("string(//div[@class='katko-status'])").split())
    assert status.startswith("Seurannassa Häiriö Korjaus on tehty, ja seuraamme, että palvelu toimii.")
    assert "Käynnissä" not in status and "Korjattu" not in status


AUTUMN = record(start="2026-10-25T03:30+03:00", end="2026-10-25T03:30+02:00", public_from="2026-10-01 09:00",
                services=["lupa"])


def test_an_outage_over_the_autumn_change_reads_and_lasts_as_it_does(tmp_path: Path) -> None:
    # 3.30 summer time to 3.30 winter time: it read "klo 3.30–3.30" and was a zero-length event.
    r = renderer(tmp_path, {"syksy": AUTUMN}, "2026-10-20 12:00")
    shown = facts(notice_page(r, "syksy"))
    assert shown["Ajankohta"] == "su 25.10.2026 klo 3.30 (kesäaikaa) – su 25.10.2026 klo 3.30 (talviaikaa)"
    assert shown["Kesto"] == "1 h"
    event = next(c for c in Calendar.from_ical(calendars.icalendar(r, "fi")).walk("VEVENT"))
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert end - start == timedelta(hours=1)
    assert start == parse_time("2026-10-25T03:30+03:00") and end == parse_time("2026-10-25T03:30+02:00")


def test_an_early_end_is_the_calendar_events_end(built_site: Path) -> None:
    # Planned to end at 2.00, ended at 1.35 (an update): DTEND kept the planned end.
    ics = Calendar.from_ical((built_site / "fi" / "services" / "rakennuslupa" / "outages.ics").read_bytes())
    event = next(e for e in ics.walk("VEVENT") if "2026-11-28-rakennuslupa-versiopaivitys" in str(e["uid"]))
    assert event.decoded("dtend") == parse_time("2026-11-29 01:35")


def test_an_extension_over_the_service_level_is_warned(tmp_path: Path) -> None:
    # lupa allows 8 hours; planned for 8, extended during the outage to 9: only the staff report told.
    extended = record(start="2026-11-30 20:00", end="2026-12-01 05:00", public_from="2026-11-10 09:00",
                      updates=[update("2026-12-01 03:00", "extended", "2026-12-01 05:00")])
    r = renderer(tmp_path, {"jatko": extended}, "2026-12-01 04:00")
    _, report = records.load([tmp_path / "outages"], r.site.settings)
    found = [(d.code, d.severity) for d in report.sorted() if d.code == "K211"]
    assert found == [("K211", "warning")]
    assert "extension makes the outage last 9 h" in next(d.message for d in report.diagnostics if d.code == "K211")


def test_the_report_measures_an_outage_that_ended_early(tmp_path: Path) -> None:
    # 6 hours planned, ended after 1 h 35 min, no evaluation yet: the report said 6 h.
    early = record(start="2026-11-28 20:00", end="2026-11-29 02:00", public_from="2026-11-01 09:00",
                   updates=[update("2026-11-28 21:35", "ended")])
    r = renderer(tmp_path, {"aikaisin": early}, KATKO_NOW)
    start, end, actual = planning.measured_times(r.site.dataset.records[0].outage, parse_time(KATKO_NOW))
    assert (end - start, actual) == (timedelta(hours=1, minutes=35), False)


# --------------------------------------------------------------------------- #
# The rules themselves
# --------------------------------------------------------------------------- #


def outage(**fields: Any) -> Outage:
    return Outage.model_validate(json.loads(record(**fields)))


@pytest.mark.parametrize(("updates", "now", "phase", "end", "reason"), [
    # An update counts from its own time: before the early end, the planned end stands.
    ([update("2026-11-29 01:35", "ended")], "2026-11-29 01:00", "ongoing", "2026-11-29 02:00", None),
    ([update("2026-11-29 01:35", "ended")], "2026-11-29 01:40", "ended", "2026-11-29 01:35", "early"),
    # An 'ended' update written after the planned end does not make the outage longer.
    ([update("2026-11-29 02:20", "ended")], "2026-11-29 03:00", "ended", "2026-11-29 02:00", "as_planned"),
    # The update may say when the service was back.
    ([update("2026-11-29 01:50", "ended", "2026-11-29 01:35")], "2026-11-29 03:00", "ended", "2026-11-29 01:35",
     "early"),
    # An early end said ahead: the end from the update on, and the end by the clock then.
    ([update("2026-11-29 01:00", "ended", "2026-11-29 01:30")], "2026-11-29 01:10", "ongoing", "2026-11-29 01:30",
     None),
    ([update("2026-11-29 01:00", "ended", "2026-11-29 01:30")], "2026-11-29 01:30", "ended", "2026-11-29 01:30",
     "early"),
    # Extended: ends at the new end, and says so.
    ([update("2026-11-29 01:00", "extended", "2026-11-29 03:00")], "2026-11-29 02:30", "ongoing",
     "2026-11-29 03:00", None),
    ([update("2026-11-29 01:00", "extended", "2026-11-29 03:00")], "2026-11-29 03:00", "ended",
     "2026-11-29 03:00", "extended"),
    # Cancelled from the update that says so; the planned times stay shown.
    ([update("2026-11-20 10:00", "cancelled")], "2026-11-20 09:00", "upcoming", "2026-11-29 02:00", None),
    ([update("2026-11-20 10:00", "cancelled")], "2026-11-28 21:00", "cancelled", "2026-11-29 02:00", "cancelled"),
])
def test_planned(updates: list[dict[str, Any]], now: str, phase: str, end: str, reason: str | None) -> None:
    o = outage(start="2026-11-28 20:00", end="2026-11-29 02:00" if not any(u.get("status") == "extended"
                                                                             for u in updates) else "2026-11-29 03:00",
               public_from="2026-11-10 09:00", updates=updates)
    state = lifecycle.at(o, parse_time(now))
    assert (state.phase, state.end, state.reason) == (phase, parse_time(end), reason)
    assert state.ended_at == (state.end if phase == "ended" else None)
    assert state.end_is_estimate is False


def test_an_end_said_ahead_is_a_change_when_it_comes() -> None:
    # Found by tests/test_story.py: the calendar's event took the new end without a higher SEQUENCE.
    o = outage(start="2026-11-28 20:00", end="2026-11-29 02:00", public_from="2026-11-10 09:00",
               updates=[update("2026-11-29 01:00", "ended", "2026-11-29 01:30")])
    during, after = lifecycle.at(o, parse_time("2026-11-29 01:00")), lifecycle.at(o, parse_time("2026-11-29 01:30"))
    assert (during.changed_at, after.changed_at) == (parse_time("2026-11-29 01:00"), parse_time("2026-11-29 01:30"))


def test_unplanned_stays_ongoing_past_its_estimate_and_then_says_the_end_is_not_known() -> None:
    o = outage(kind="unplanned", start="2026-12-01 08:40", end="2026-12-01 14:00", public_from="2026-12-01 09:05",
               updates=[update("2026-12-01 09:05", "investigating"), update("2026-12-01 11:30", "monitoring")])
    before, after = lifecycle.at(o, parse_time("2026-12-01 13:59")), lifecycle.at(o, parse_time("2026-12-01 14:00"))
    assert (before.phase, before.end, before.end_is_estimate, before.badge) == (
        "ongoing", parse_time("2026-12-01 14:00"), True, "monitoring")
    assert (after.phase, after.end, after.end_is_estimate, after.estimate_passed) == ("ongoing", None, False, True)
    assert lifecycle.ESTIMATE_PASSED in after.details
    # A later estimate, announced by an update, is the end from then on.
    later = outage(kind="unplanned", start="2026-12-01 08:40", end="2026-12-01 16:00", public_from="2026-12-01 09:05",
                   updates=[update("2026-12-01 09:05", "investigating"),
                            update("2026-12-01 14:10", "identified", "2026-12-01 16:00")])
    assert lifecycle.at(later, parse_time("2026-12-01 14:20")).end == parse_time("2026-12-01 16:00")


def test_the_status_script_gets_every_coming_change(tmp_path: Path) -> None:
    r = renderer(tmp_path, {}, KATKO_NOW, folder=REPO_ROOT / "outages")
    notice = next(n for n in r.site.notices if n.id == "2026-12-05-rakennuslupa-palvelinvaihto")
    home = [(c.at, c.list) for c in r.site.changes(notice, "home")]
    # Ongoing at its start, to the recently ended at its end, off the home page 7 days later.
    assert home == [(parse_time("2026-12-05 22:00"), "katko-ongoing"), (parse_time("2026-12-06 04:00"), "katko-recent"),
                    (parse_time("2026-12-13 04:00"), "")]
    assert [(c.at, c.list) for c in r.site.changes(notice, "service")] == [
        (parse_time("2026-12-05 22:00"), "katko-current"), (parse_time("2026-12-06 04:00"), "katko-past")]
    assert [c.notice.state.badge for c in r.site.changes(notice)] == ["ongoing", "ended"]


def test_subscribe_only_when_a_person_can_sign_up(tmp_path: Path) -> None:
    from dataclasses import replace

    from katko.records import channels as notify_config

    r = renderer(tmp_path, {}, KATKO_NOW)
    home = Page("home", "", "fi", {"sections": r.site.current})
    assert [name for name, *_ in r.chrome(home)["nav"]][-2] == "Syötteet ja kalenteri"
    assert r.title(Page("subscribe", "subscribe/", "sv")) == "Flöden och kalender"
    # With the example's e-mail lists (notify.yml), there is something to subscribe to.
    channels, problems = notify_config.load(REPO_ROOT / "notify.yml")
    assert channels is not None and not problems
    r.site.settings = replace(r.site.settings, notify=channels)  # type: ignore[misc]
    assert [name for name, *_ in r.chrome(home)["nav"]][-2] == "Tilaa tiedotteet"
    assert r.title(Page("subscribe", "subscribe/", "sv")) == "Prenumerera på meddelanden om driftavbrott"
