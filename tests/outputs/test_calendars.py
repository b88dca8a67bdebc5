"""The iCalendar files: where they are, what they hold, and how changes reach subscribers.

Most tests read the session's ``built_site``; the tests of changes rebuild a
modified copy of the project, as a record's author would change it: a new
time or a cancellation, announced with an update in the timeline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import yaml
from icalendar import Calendar, Event

from katko.core import i18n
from katko.outputs.calendars import icalendar
from katko.config import now_from_environment
from katko.records.settings import Settings

from ..conftest import KATKO_NOW, REPO_ROOT, renderer_for
from ..site.test_site import CANARY, LANGS, build, copy_project, parse, rel

RECORD = "2026-12-05-rakennuslupa-palvelinvaihto"
CANCELLED = "2026-12-13-asiointi-paivitys-peruttu"
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "URL", "SEQUENCE")
TZID = "Europe/Helsinki"
_NOTICE_URL = re.compile(r"/(fi|sv|en)/outages/([a-z0-9-]+)/$")


def outage_records() -> dict[str, dict[str, Any]]:
    """The example records as plain data, by id (their file names)."""
    return {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((REPO_ROOT / "outages").glob("*.yml")) if p.name != "services.yml"}


def service_ids() -> list[str]:
    catalogue = yaml.safe_load((REPO_ROOT / "outages" / "services.yml").read_text(encoding="utf-8"))
    return [s["id"] for s in catalogue["services"]]


def calendar_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.ics"))


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events(path: Path) -> dict[str, Event]:
    """The calendar's events by the id of the outage whose notice they link to."""
    found = {}
    for item in read(path).walk("VEVENT"):
        match = _NOTICE_URL.search(str(item["URL"]))
        assert match, item["URL"]
        found[match[2]] = item
    return found


def calendar_link(site: Path, page: Path) -> Path:
    """The file a page's ``<link rel="alternate" type="text/calendar">`` points to."""
    base = "http://site/" + str(page.relative_to(site))
    hrefs = [href for tag, href, a in parse(page).refs
             if tag == "link" and rel(a) == ["alternate"] and a.get("type") == "text/calendar"]
    assert len(hrefs) == 1, (page, hrefs)
    return site / urlparse(urljoin(base, hrefs[0])).path.lstrip("/")


def linked_calendars(site: Path) -> list[tuple[str, str | None, Path]]:
    """(language, service id or None, calendar file) for every home and service page."""
    found = []
    for lang in LANGS:
        found.append((lang, None, calendar_link(site, site / lang / "index.html")))
        for service in service_ids():
            found.append((lang, service, calendar_link(site, site / lang / "services" / service / "index.html")))
    return found


# --------------------------------------------------------------------------- #
# Where the calendars are
# --------------------------------------------------------------------------- #


def test_home_and_service_pages_link_to_their_calendars(built_site: Path) -> None:
    for lang, service, path in linked_calendars(built_site):
        expected = f"{lang}/services/{service}/outages.ics" if service else f"{lang}/outages.ics"
        assert path == built_site / expected
        assert path.is_file(), expected
    # Every calendar the build wrote is one of those.
    assert len(calendar_files(built_site)) == len(linked_calendars(built_site))


# --------------------------------------------------------------------------- #
# What every calendar holds
# --------------------------------------------------------------------------- #


def test_calendars_are_valid_and_complete(built_site: Path) -> None:
    for lang, service, path in linked_calendars(built_site):
        raw = path.read_bytes()
        # Folded to 75 octets, CRLF line ends, as RFC 5545 requires.
        assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
        assert max(len(line) for line in raw.split(b"\r\n")) <= 75
        calendar = read(path)
        assert "Katko" in str(calendar["PRODID"])
        assert (str(calendar["VERSION"]), str(calendar["CALSCALE"]), str(calendar["METHOD"])) == \
            ("2.0", "GREGORIAN", "PUBLISH")
        assert str(calendar["X-WR-TIMEZONE"]) == TZID
        assert str(calendar["X-WR-CALNAME"])
        assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
        assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
        assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == [TZID]
        items = calendar.walk("VEVENT")
        assert items, path
        for item in items:
            missing = [name for name in REQUIRED if name not in item]
            assert missing == [], (path, item.get("UID"))
            for name in ("DTSTART", "DTEND"):
                assert item[name].params["TZID"] == TZID
            match = _NOTICE_URL.search(str(item["URL"]))
            assert match and match[1] == lang, item["URL"]
            assert str(item["TRANSP"]) == "TRANSPARENT"
            assert str(item["STATUS"]) in ("CONFIRMED", "CANCELLED")
            assert item.decoded("DTEND") > item.decoded("DTSTART")
            assert item.decoded("CREATED") <= item.decoded("LAST-MODIFIED") == item.decoded("DTSTAMP")


def test_only_planned_outages_and_no_old_ones(built_site: Path) -> None:
    kinds = {id_: data["kind"] for id_, data in outage_records().items()}
    for _lang, _service, path in linked_calendars(built_site):
        assert {kinds[id_] for id_ in events(path)} <= {"planned"}, path
    listed = set(events(built_site / "fi" / "outages.ics"))
    # Upcoming, ongoing, and ended or cancelled within the feed window.
    assert {RECORD, CANCELLED, "2026-11-30-kirjasto-varaukset", "2026-11-28-rakennuslupa-versiopaivitys"} <= listed
    # Long ended, and not yet public.
    assert not listed & {"2025-03-15-rakennuslupa-arkisto", "2026-02-14-maksut-korttimaksut",
                         "2026-12-27-kirjasto-jarjestelmapaivitys"}
    assert "2026-12-01-asiointi-liitteet-hairio" not in listed  # ongoing, but unplanned


def test_service_calendars_hold_the_same_events_as_the_site_calendar(built_site: Path) -> None:
    for lang in LANGS:
        everything = events(built_site / lang / "outages.ics")
        seen: set[str] = set()
        for service in service_ids():
            mine = events(built_site / lang / "services" / service / "outages.ics")
            for id_, item in mine.items():
                assert service in outage_records()[id_]["services"]
                # The same event, byte for byte and with the same UID.
                assert item.to_ical() == everything[id_].to_ical()
            seen |= set(mine)
        assert seen == set(everything)


def test_uids_are_per_outage_and_language(built_site: Path) -> None:
    uids = {lang: {id_: str(item["UID"]) for id_, item in events(built_site / lang / "outages.ics").items()}
            for lang in LANGS}
    assert uids["fi"][RECORD] == f"{RECORD}/fi@katkot.example.org"
    for lang in LANGS:
        assert len(set(uids[lang].values())) == len(uids[lang])
    assert not set(uids["fi"].values()) & set(uids["sv"].values())


def test_cancelled_outage_is_cancelled(built_site: Path) -> None:
    labels = {lang: i18n.load(REPO_ROOT / "locales", lang).gettext("Cancelled") for lang in LANGS}
    for lang in LANGS:
        found = events(built_site / lang / "outages.ics")
        assert str(found[CANCELLED]["STATUS"]) == "CANCELLED"
        assert str(found[CANCELLED]["SUMMARY"]).startswith(f"{labels[lang]}: ")
        assert str(found[RECORD]["STATUS"]) == "CONFIRMED"


def test_texts_are_in_the_calendars_language(built_site: Path) -> None:
    title = outage_records()[RECORD]["title"]
    summaries = {lang: str(events(built_site / lang / "outages.ics")[RECORD]["SUMMARY"]) for lang in LANGS}
    assert summaries == {lang: title[lang] for lang in LANGS}
    names = {lang: str(read(built_site / lang / "outages.ics")["X-WR-CALNAME"]) for lang in LANGS}
    assert names["fi"] != names["sv"] and "Käyttökatkot" in names["fi"] and "Driftavbrott" in names["sv"]


def test_description_tells_what_when_what_to_do_and_whom_to_call(built_site: Path) -> None:
    texts = i18n.load(REPO_ROOT / "locales", "fi")
    item = events(built_site / "fi" / "outages.ics")[RECORD]
    text = str(item["DESCRIPTION"])
    assert "la 5.12.2026 klo 22.00 – su 6.12.2026 klo 4.00" in text  # as the notice page writes it
    assert texts.gettext("What to do instead") in text and "ma 7.12.2026" in text
    assert texts.gettext("Contact us") in text and "09 000 4100" in text
    assert str(item["URL"]) in text
    # Plain text: no Markdown or HTML from the record.
    assert "**" not in text and "<https://" not in text and "<p>" not in text


def test_start_and_end_are_finnish_wall_clock_times(built_site: Path) -> None:
    path = built_site / "fi" / "outages.ics"
    raw = path.read_bytes()
    assert b"DTSTART;TZID=Europe/Helsinki:20261205T220000\r\n" in raw
    assert b"DTEND;TZID=Europe/Helsinki:20261206T040000\r\n" in raw
    item = events(path)[RECORD]
    start = item.decoded("DTSTART")
    assert start.replace(tzinfo=None) == datetime(2026, 12, 5, 22, 0)
    assert start.utcoffset() == timedelta(hours=2)


def test_stamps_come_from_the_record(built_site: Path) -> None:
    found = events(built_site / "fi" / "outages.ics")
    # Published 20.11. at 9.00 Finnish time and not changed since.
    assert found[RECORD].decoded("DTSTAMP") == datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
    assert found[RECORD].decoded("SEQUENCE") == 0
    # Cancelled by the update of 30.11. at 14.00.
    assert found[CANCELLED].decoded("DTSTAMP") == datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    assert found[CANCELLED].decoded("SEQUENCE") > 0


def test_no_internal_text_in_calendars(built_site: Path) -> None:
    files = calendar_files(built_site)
    assert files
    assert [str(p) for p in files if CANARY.encode() in p.read_bytes()] == []


def test_build_clock_does_not_change_events() -> None:
    """An hour later nothing has changed phase: the files must be the same."""
    def calendar(now: datetime) -> bytes:
        settings = Settings(site_url="https://katkot.example.org/", now=now)
        renderer = renderer_for(settings)
        return icalendar(renderer, "fi")

    now = now_from_environment({"KATKO_NOW": KATKO_NOW})
    assert calendar(now) == calendar(now + timedelta(hours=1))


# --------------------------------------------------------------------------- #
# Changes reach subscribers: same UID, higher SEQUENCE
# --------------------------------------------------------------------------- #


def _announce(text: str, status: str | None = None) -> str:
    """A timeline entry, as an author announces a change (before KATKO_NOW)."""
    status_line = f"    status: {status}\n" if status else ""
    return ('updates:\n  - time: "2026-11-30 10:00"\n' + status_line
            + f"    text:\n      fi: {text} (fi)\n      sv: {text} (sv)\n")


def _rebuild(tmp_path: Path, change: Callable[[str], str]) -> Path:
    """Build a copy of the project with the example record changed by ``change``."""
    project = copy_project(tmp_path)
    record = project / "outages" / f"{RECORD}.yml"
    text = record.read_text(encoding="utf-8")
    assert "\nupdates:" not in text and "\ninternal:" in text
    record.write_text(change(text), encoding="utf-8")
    result = build(project, "--strict", "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    return tmp_path / "site"


def _by_uid(path: Path) -> dict[str, Event]:
    return {str(item["UID"]): item for item in read(path).walk("VEVENT")}


def test_changed_time_replaces_the_event(built_site: Path, tmp_path: Path) -> None:
    def change(text: str) -> str:
        text = text.replace('end: "2026-12-06 04:00"', 'end: "2026-12-06 05:00"')
        return text.replace("\ninternal:", "\n" + _announce("Katko jatkuu klo 5.00 asti.") + "\ninternal:")

    site = _rebuild(tmp_path, change)
    assert sorted(p.relative_to(site) for p in calendar_files(site)) == \
        sorted(p.relative_to(built_site) for p in calendar_files(built_site))
    changed = 0
    for path in calendar_files(built_site):
        before, after = _by_uid(path), _by_uid(site / path.relative_to(built_site))
        assert sorted(before) == sorted(after)
        for uid, old in before.items():
            new = after[uid]
            if uid.startswith(f"{RECORD}/"):
                changed += 1
                assert new.decoded("SEQUENCE") > old.decoded("SEQUENCE")
                assert new.decoded("DTSTAMP") > old.decoded("DTSTAMP")
                assert new.decoded("DTEND").replace(tzinfo=None) == datetime(2026, 12, 6, 5, 0)
            else:
                assert new.to_ical() == old.to_ical(), (path, uid)
        # The time zone did not change either.
        assert [tz.to_ical() for tz in read(path).walk("VTIMEZONE")] == \
            [tz.to_ical() for tz in read(site / path.relative_to(built_site)).walk("VTIMEZONE")]
    # Each language's site calendar and its rakennuslupa calendar.
    assert changed == 2 * len(LANGS)


def test_cancellation_replaces_the_event(built_site: Path, tmp_path: Path) -> None:
    def change(text: str) -> str:
        text = text.replace("kind: planned\n", "kind: planned\nstatus: cancelled\n", 1)
        return text.replace("\ninternal:", "\n" + _announce("Katko on peruttu.", "cancelled") + "\ninternal:")

    site = _rebuild(tmp_path, change)
    cancelled = i18n.load(REPO_ROOT / "locales", "fi").gettext("Cancelled")
    for path in (Path("fi/outages.ics"), Path("fi/services/rakennuslupa/outages.ics")):
        old, new = events(built_site / path)[RECORD], events(site / path)[RECORD]
        assert str(new["UID"]) == str(old["UID"])
        assert str(new["STATUS"]) == "CANCELLED"
        assert new.decoded("SEQUENCE") > old.decoded("SEQUENCE")
        assert str(new["SUMMARY"]) == f"{cancelled}: {old['SUMMARY']}"
