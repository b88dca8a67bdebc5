"""Every output tells the same, correct story: a property, over the whole lifecycle space.

:mod:`tests.test_oracle` holds every output to :func:`katko.records.lifecycle.at` for the
example records. Here Hypothesis writes the records: planned and unplanned, cancelled,
postponed (the start moved by an update before it), extended, ended early or late,
disruptions with no end yet, updates exactly at the start or the end, outages over
midnight, over the daylight-saving changes (2026-03-29 03.00 and 2026-10-25 04.00
Finnish time) and lasting weeks, several services, disruptions public only after they
began, and two outages of one service at once. Each set is loaded as ``katko check``
loads it (and must pass it), and the site is rendered in-process at every moment a
record says something new, and a second before and after it. At each moment every
output must say what the oracle's checks say (:func:`tests.test_oracle.check_moment`),
and further:

* nothing anywhere names a notice before it is public;
* the notice page in every language says the badge, the status words and the
  closing sentence of the moment, lists only the updates given by then, and says
  when it was last updated;
* every time is in Helsinki time with the offset of its own side of a change of the
  clocks (told by the rule, not by the time zone library), and its words give that
  wall-clock time, in fi, sv and en;
* the feeds (Atom and RSS, every language, the site's and each service's) date an
  entry by its last stated change and its publication; the calendars give its start,
  end, status and change, and an event that changes gets a higher SEQUENCE;
* the banner's states each say what the lifecycle says from their moment, and
  the last one is the end or the cancellation, from the moment it is known; a
  cancelled or ended outage is never offered as upcoming or ongoing;
* a service's shutter page says it is back no earlier than the end of any
  ongoing outage that makes it unavailable.

The run is bounded for CI (``KATKO_STORY_EXAMPLES``, 25 by default: about 40 s) and reproducible
(derandomized); ``KATKO_STORY_SEED`` tries other examples.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from icalendar import Event
from lxml import etree

from katko.core import timefmt
from katko.outputs import api, banner as embeds, calendars, feeds, shutters, snippets
from katko.records import lifecycle
from katko.records import loading as records
from katko.records.dataset import Dataset, Record
from katko.records.settings import Settings
from katko.site.pages import Notice, Page
from katko.site.render import Renderer

from .conftest import REPO_ROOT, renderer_for
from .test_oracle import ATOM, ESTIMATE, LANGS, SITE_URL, Waiting, check_moment

EXAMPLES = int(os.environ.get("KATKO_STORY_EXAMPLES", "25"))
#: Without shrinking: a set of records is short enough to read, and shrinking one takes minutes.
STORY = settings(max_examples=EXAMPLES, deadline=None, derandomize="KATKO_STORY_SEED" not in os.environ,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None,
                 phases=[Phase.explicit, Phase.generate])
SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)
UTC = timezone.utc
#: When the records are checked: after all of them, so that no check waits on the clock.
CHECKED_AT = datetime(2031, 1, 1, tzinfo=UTC)
SERVICES = ("rakennuslupa", "asiointi", "maksut", "kirjasto")

# --------------------------------------------------------------------------- #
# Finnish time by its rule (EU summer time: from 1.00 UTC on the last Sunday of
# March to 1.00 UTC on the last Sunday of October), not by the zone library
# --------------------------------------------------------------------------- #


def _last_sunday(year: int, month: int) -> datetime:
    day = datetime(year, month + 1, 1, 1, tzinfo=UTC) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() - 6) % 7)


def finnish_offset(moment: datetime) -> timedelta:
    """+3 h in summer time, else +2 h.

    >>> finnish_offset(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)), finnish_offset(datetime(2026, 3, 29, 1, tzinfo=UTC))
    (datetime.timedelta(seconds=7200), datetime.timedelta(seconds=10800))
    """
    utc = moment.astimezone(UTC)
    summer = _last_sunday(utc.year, 3) <= utc < _last_sunday(utc.year, 10)
    return timedelta(hours=3 if summer else 2)


def wall(moment: datetime) -> datetime:
    """The Finnish wall clock at ``moment`` (naive)."""
    return (moment.astimezone(UTC) + finnish_offset(moment)).replace(tzinfo=None)


def iso_offset(offset: timedelta) -> str:
    return f"+{offset.seconds // 3600:02d}:00"


# --------------------------------------------------------------------------- #
# Records
# --------------------------------------------------------------------------- #

#: Where outages begin: around the spring and autumn changes of 2026 and spring 2027,
#: and around midnight in winter, in summer and at the turn of the year (all UTC).
ANCHORS = (datetime(2026, 3, 29, 1, tzinfo=UTC), datetime(2026, 10, 25, 1, tzinfo=UTC),
           datetime(2027, 3, 28, 1, tzinfo=UTC), datetime(2026, 12, 5, 22, tzinfo=UTC),
           datetime(2026, 7, 10, 21, tzinfo=UTC), datetime(2026, 12, 31, 22, tzinfo=UTC))
minutes = st.integers


def _written(draw: st.DrawFn, moment: datetime) -> str:
    """A time as an editor writes it: Finnish local time where the clock reads it once,
    else (or when the editor likes) ISO 8601 with the offset."""
    local = wall(moment)
    doubled = (moment - timedelta(hours=1) if finnish_offset(moment) == timedelta(hours=2) else
               moment + timedelta(hours=1))
    if wall(doubled) != local and draw(st.booleans()):
        return local.strftime("%Y-%m-%d %H:%M")
    return local.strftime("%Y-%m-%dT%H:%M") + iso_offset(finnish_offset(moment))


def _between(draw: st.DrawFn, first: datetime, last: datetime) -> datetime:
    """A moment from ``first`` to ``last`` (whole minutes), often one of the two."""
    span = max(int((last - first) / MINUTE), 0)
    return first + MINUTE * draw(st.one_of(st.sampled_from([0, span]), minutes(0, span)))


def _text(words: str) -> dict[str, str]:
    return {"fi": f"{words} (fi)", "sv": f"{words} (sv)", "en": f"{words} (en)"}


@st.composite
def planned(draw: st.DrawFn, start: datetime) -> dict[str, Any]:
    length = MINUTE * draw(st.one_of(minutes(15, 600), st.sampled_from([24 * 60, 7 * 24 * 60, 21 * 24 * 60])))
    end = start + length
    public = start - MINUTE * draw(st.one_of(st.sampled_from([0, 1]), minutes(0, 30 * 24 * 60)))
    updates: list[dict[str, Any]] = []
    status = None
    if draw(st.booleans()):  # postponed: an update before the start announces the times (the record's)
        updates.append({"time": _between(draw, public, start - MINUTE) if start > public else public,
                        "status": "scheduled", "end": end, "what": "postponed"})
    if draw(st.booleans()):
        updates.append({"time": start, "status": "ongoing", "what": "started"})
    for _ in range(draw(st.integers(0, 2))):  # extended, at the start, within, at the end, or late
        since = max([start, *(u["time"] for u in updates)])
        when = _between(draw, since, max(end, since) + MINUTE * draw(st.sampled_from([0, 0, 1, 90])))
        end = max(end, when) + MINUTE * draw(st.one_of(minutes(1, 600), st.just(14 * 24 * 60)))
        updates.append({"time": when, "status": "extended", "end": end, "what": "extended"})
    last = max([public, *(u["time"] for u in updates)])
    closing = draw(st.sampled_from(["none", "cancelled", "ended", "ended-late", "stated"]))
    if closing == "cancelled":
        updates.append({"time": _between(draw, last, max(last, end - MINUTE)), "status": "cancelled",
                        "what": "cancelled"})
        status = "cancelled"
    elif closing == "ended" and end > max(last, start):
        when = _between(draw, max(last, start + MINUTE), end)
        back = draw(st.one_of(st.none(), minutes(1, int((when - start) / MINUTE)).map(lambda m: start + MINUTE * m),
                              # an early end said ahead: "we are done at ..."
                              minutes(0, int((end - when) / MINUTE)).map(lambda m: when + MINUTE * m)))
        updates.append({"time": when, "status": "ended", "end": back, "what": "ended"})
        status = draw(st.sampled_from([None, "ended"]))
    elif closing == "stated":  # the record says ended, no update does: it ends by the clock
        status = "ended"
    elif closing == "ended-late":
        when = end + MINUTE * draw(minutes(0, 180))
        back = draw(st.sampled_from([None, end, when]))
        updates.append({"time": max(when, last), "status": "ended", "end": back, "what": "ended late"})
    if draw(st.booleans()):  # a word between, with no status
        updates.append({"time": _between(draw, public, end), "what": "note"})
    return {"kind": "planned", "start": start, "end": end, "public_from": public, "status": status,
            "updates": updates}


@st.composite
def unplanned(draw: st.DrawFn, start: datetime) -> dict[str, Any]:
    public = start + MINUTE * draw(st.one_of(st.sampled_from([0, 1]), minutes(-30, 240)))
    first = {"time": public, "status": "investigating", "what": "first"}
    estimate = None
    if draw(st.booleans()):
        estimate = first["end"] = max(start, public) + MINUTE * draw(minutes(1, 600))
    updates = [first]
    for status in draw(st.lists(st.sampled_from(["investigating", "identified", "monitoring", None]), max_size=2)):
        when = updates[-1]["time"] + MINUTE * draw(st.one_of(st.just(0), minutes(1, 600)))
        update = {"time": when, "status": status, "what": status or "note"}
        if draw(st.booleans()):  # a new estimate, perhaps one that has passed already
            estimate = update["end"] = start + MINUTE * draw(minutes(1, 1200))
        updates.append(update)
    closing = draw(st.sampled_from(["none", "resolved", "resolved", "cancelled"]))
    last = updates[-1]["time"]
    if closing in ("resolved", "cancelled"):
        when = last + MINUTE * draw(st.one_of(st.just(0), minutes(1, 3 * 24 * 60)))
        if closing == "resolved":
            when = max(when, start + MINUTE)  # K201: back after the start
        update = {"time": when, "status": closing, "what": closing}
        if closing == "resolved" and draw(st.booleans()):
            # back when it was written, before it, or (said ahead) after it
            update["end"] = max(start + MINUTE,  # K201: after the start
                                draw(st.sampled_from([when, when - 20 * MINUTE, when + 30 * MINUTE])))
            if estimate is not None and draw(st.booleans()):
                update["end"] = max(update["end"], min(estimate, when))
        updates.append(update)
    end = estimate
    if end is None and draw(st.booleans()):  # an estimate in the record alone
        end = start + MINUTE * draw(minutes(1, 600))
    return {"kind": "unplanned", "start": start, "end": end, "public_from": public,
            "status": "cancelled" if closing == "cancelled" else None, "updates": updates}


@st.composite
def outage(draw: st.DrawFn, anchor: datetime, start: datetime | None = None) -> dict[str, Any]:
    """An outage near ``anchor``, or from ``start``."""
    if start is None:
        start = anchor + MINUTE * draw(st.one_of(st.sampled_from([0, -60, 60]), minutes(-300, 300)))
    kind = draw(st.sampled_from(["planned", "unplanned"]))
    facts = draw(planned(start) if kind == "planned" else unplanned(start))
    facts["services"] = draw(st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3, unique=True))
    facts["impact"] = draw(st.sampled_from(["unavailable", "partial", "slow", "read_only"]))
    return facts


def document(draw: st.DrawFn, facts: dict[str, Any]) -> str:
    """The record's YAML, as an editor writes it (``katko check`` must pass it)."""
    def time(moment: datetime) -> str:
        return _written(draw, moment)

    data: dict[str, Any] = {"kind": facts["kind"], "services": facts["services"], "impact": facts["impact"]}
    if facts["status"]:
        data["status"] = facts["status"]
    data["start"] = time(facts["start"])
    if facts["end"] is not None:
        data["end"] = time(facts["end"])
    data["public_from"] = time(facts["public_from"])
    data["title"] = _text("Katko")
    data["summary"] = _text("Palvelu ei toimi")
    data["alternatives"] = _text("Soita meille")
    if facts["updates"]:
        data["updates"] = [{"time": time(u["time"]), **({"status": u["status"]} if u.get("status") else {}),
                            **({"end": time(u["end"])} if u.get("end") is not None else {}),
                            "text": _text(u["what"])} for u in sorted(facts["updates"], key=lambda u: u["time"])]
    last = max([facts["start"], facts["end"] or facts["start"], *(u["time"] for u in facts["updates"])])
    data["internal"] = {"service_level_reason": "Hyväksytty.", "evaluation": {
        "actual_start": time(facts["start"]), "actual_end": time(last + MINUTE), "went_well": "Kaikki.",
        "problems": "Ei.", "improvements": "Ei.", "reached_people": "Kyllä."}}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@st.composite
def record_sets(draw: st.DrawFn) -> dict[str, str]:
    """One outage, or two near each other (sharing a service now and then), the second
    perhaps from the moment the first was planned to end."""
    anchor = draw(st.sampled_from(ANCHORS))
    first = draw(outage(anchor))
    found = {"katko-1": document(draw, first)}
    if draw(st.booleans()):
        chained = first["end"] is not None and draw(st.booleans())
        second = draw(outage(anchor, first["end"] if chained else None))
        if chained:
            second["services"] = first["services"][:1]
        found["katko-2"] = document(draw, second)
    return found


def load(files: dict[str, str]) -> Dataset:
    with tempfile.TemporaryDirectory() as folder:
        outages = Path(folder) / "outages"
        outages.mkdir()
        shutil.copy(REPO_ROOT / "outages" / "services.yml", outages / "services.yml")
        for name, text in files.items():
            (outages / f"{name}.yml").write_text(text, encoding="utf-8")
        data, report = records.load([outages], Settings(now=CHECKED_AT))
    assert not report.blocking, (files, [str(d) for d in report.blocking])
    assert len(data.records) == len(files)
    return data


# --------------------------------------------------------------------------- #
# The moments
# --------------------------------------------------------------------------- #

CHANGES_OF_CLOCKS = tuple(_last_sunday(year, month) for year in (2026, 2027) for month in (3, 10))


def moments(outages: list[Any], recent: timedelta) -> list[datetime]:
    """Every transition of every outage, a second before and after it, when an over outage
    leaves the home page, and the changes of the clocks while any is public."""
    found: set[datetime] = set()
    for o in outages:
        marks = set(lifecycle.transitions(o))
        final = lifecycle.at(o, max(marks) + timedelta(days=400))
        if final.over_at is not None:
            marks |= {final.over_at, final.over_at + recent}
        found |= {m + d for m in marks for d in (-SECOND, timedelta(0), SECOND)}
    first, last = min(found), max(found)
    found |= {m + d for m in CHANGES_OF_CLOCKS if first <= m <= last for d in (-SECOND, timedelta(0))}
    return sorted(found)


# --------------------------------------------------------------------------- #
# What every output says beyond the oracle's checks
# --------------------------------------------------------------------------- #

_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def check_times(html: str, lang: str, where: str) -> None:
    """Every ``<time>`` is in Finnish time with its own side's offset, and its words are that wall clock."""
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    for element in tree.xpath("//time[@datetime]"):
        stamp = element.get("datetime")
        moment = datetime.fromisoformat(stamp)
        assert moment.utcoffset() == finnish_offset(moment), (where, stamp)
        local = wall(moment)
        words = element.text_content()
        written = element.xpath("string(ancestor-or-self::*[@lang][1]/@lang)") or lang
        clock = f"{local.hour:02d}:{local.minute:02d}" if written == "en" else f"{local.hour}.{local.minute:02d}"
        assert words.split(" (")[0].endswith(clock) or f" {clock}" in words or words.startswith(clock), \
            (where, stamp, words)
        day = _DATE.search(words)
        if day:
            assert tuple(map(int, day.groups())) == (local.day, local.month, local.year), (where, stamp, words)


def page_html(r: Renderer, notice: Notice, lang: str) -> str:
    return r.content(Page("outage", notice.key, lang, {"notice": notice}))


def without_templates(html: str) -> lxml.html.HtmlElement:
    tree = lxml.html.fromstring(f"<div>{html}</div>")
    for template in tree.xpath("//template"):
        template.drop_tree()
    return tree


def check_page_words(r: Renderer, notice: Notice, where: str) -> None:
    """The notice page in every language: the status in words, the closing sentence, the
    updates given by now, and when it was last updated."""
    state = notice.state
    for lang in LANGS:
        _ = r.gettext(lang)
        html = page_html(r, notice, lang)
        check_times(html, lang, where)
        page = without_templates(html)
        status = page.xpath("//div[@class='katko-status']")[0]
        badge = status.xpath(".//*[@data-katko-phase]")[0]
        assert badge.text_content() == _(state.label), (where, lang)
        details = [p.text_content() for p in status.xpath(".//p[@class='katko-status__detail']")]
        assert details == [_(d) for d in state.details], (where, lang, details)
        sentence = status.xpath(".//p[@class='katko-end']")
        assert [" ".join(p.text_content().split()) for p in sentence] == \
            ([r.sentence(state, lang, html=False)] if state.sentence else []), (where, lang)
        lasts = status.xpath(f".//dt[normalize-space()='{_('Duration')}']/following-sibling::dd[1]")
        if state.end is None:
            assert not lasts, (where, lang)
        else:
            assert lasts[0].text_content() == timefmt.format_duration(state.end - state.start, lang) + \
                (ESTIMATE[lang] if state.end_is_estimate else ""), (where, lang)  # type: ignore[arg-type]
        times = page.xpath("//ol[@class='katko-timeline']//p[@class='katko-timeline__time']/time/@datetime")
        assert times == [timefmt.iso(u.time) for u in reversed(state.updates)], (where, lang, times)
        assert all(datetime.fromisoformat(t) <= r.site.now for t in times), (where, lang)
        updated = page.xpath("//p[@class='katko-updated']/time/@datetime")
        assert updated == [timefmt.iso(state.updated_at)], (where, lang)
        assert state.updated_at <= r.site.now, where


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


class Built:
    """The outputs of one moment, each made (and parsed) once for every notice checked."""

    def __init__(self, r: Renderer) -> None:
        self.r = r
        self._made: dict[tuple[Any, ...], Any] = {}

    def once(self, key: tuple[Any, ...], make: Any) -> Any:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def feed(self, kind: str, lang: str, service: Any = None) -> bytes:
        write = feeds.atom if kind == "atom" else feeds.rss
        return self.once((kind, lang, service and service.id), lambda: write(self.r, lang, service))

    def ics(self, lang: str, service: Any = None) -> bytes:
        return self.once(("ics", lang, service and service.id), lambda: calendars.icalendar(self.r, lang, service))

    def entries(self, lang: str) -> dict[str, Any]:
        """The site's Atom entries and RSS items in ``lang`` by the notice's id."""
        def parse() -> dict[str, Any]:
            found: dict[str, Any] = {}
            for entry in etree.fromstring(self.feed("atom", lang)).findall("a:entry", ATOM):
                found.setdefault(entry.find("a:id", ATOM).text.rstrip("/").rsplit("/", 1)[1], []).append(entry)
            for item in etree.fromstring(self.feed("rss", lang)).iter("item"):
                found.setdefault(item.findtext("guid").rstrip("/").rsplit("/", 1)[1], []).append(item)
            return found
        return self.once(("entries", lang), parse)

    def events(self, lang: str) -> dict[str, list[Any]]:
        """The site's calendar events in ``lang`` by the notice's id."""
        def parse() -> dict[str, list[Any]]:
            found: dict[str, list[Any]] = {}
            # The events alone: the time zone's component (checked by test_oracle) is most of the parsing.
            for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", self.ics(lang), re.DOTALL):
                event = Event.from_ical(block)
                found.setdefault(str(event["uid"]).split("/")[0], []).append(event)
            return found
        return self.once(("events", lang), parse)


def check_feeds(built: Built, notice: Notice, where: str) -> None:
    """Atom and RSS, every language, the site's and each service's feed: one entry, dated by the
    last stated change (and Atom's by the publication too), titled with the badge."""
    r, state = built.r, notice.state
    listed = notice in r.site.subscribed()
    page = f"/outages/{notice.id}/"
    for lang in LANGS:
        label = r.gettext(lang)(state.label)
        for service in notice.services if lang == "fi" else ():  # a service's feeds list alike in every language
            for kind in ("atom", "rss"):
                tag = "<id>" if kind == "atom" else "<guid isPermaLink=\"true\">"
                assert built.feed(kind, lang, service).count(f"{tag}{SITE_URL}{lang}{page}".encode()) == \
                    int(listed), (where, kind, lang, service.id)
        found = built.entries(lang).get(notice.id, [])
        assert len(found) == 2 * int(listed), (where, lang)
        if not listed:
            continue
        entry, item = found
        updated, published = _stamp(entry.findtext("a:updated", namespaces=ATOM)), \
            _stamp(entry.findtext("a:published", namespaces=ATOM))
        assert (updated, published) == (state.changed_at, notice.outage.public_from), (where, lang)
        assert updated.utcoffset() == finnish_offset(updated), (where, lang)
        assert state.changed_at <= r.site.now, (where, "a change dated after the build")
        assert parsedate_to_datetime(item.findtext("pubDate")) == state.changed_at, (where, lang)
        assert entry.findtext("a:title", namespaces=ATOM).startswith(f"{label}: "), (where, lang)
        assert item.findtext("title").startswith(f"{label}: "), (where, lang)
        check_times(entry.findtext("a:content", namespaces=ATOM), lang, where)


Events = dict[tuple[str, str], tuple[int, tuple[Any, ...]]]


def check_calendars(built: Built, notice: Notice, where: str, seen: Events) -> None:
    """Every language's calendars, the site's and each service's: a planned outage's event gives its
    start, end, status and last change; an event that says something new has a higher SEQUENCE."""
    r, state = built.r, notice.state
    listed = notice in r.site.subscribed() and notice.outage.kind == "planned"
    for lang in LANGS:
        for service in notice.services if lang == "fi" else ():
            assert built.ics(lang, service).count(f"UID:{notice.id}/{lang}@".encode()) == int(listed), \
                (where, lang, service.id)
        events = built.events(lang).get(notice.id, [])
        assert len(events) == int(listed), (where, lang)
        if not listed:
            continue
        event = events[0]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert (start, end) == (state.start, state.end), (where, lang)
        assert str(event["status"]) == ("CANCELLED" if state.phase == "cancelled" else "CONFIRMED"), where
        assert event.decoded("dtstamp") == state.changed_at == event.decoded("last-modified"), (where, lang)
        summary, description = str(event["summary"]), str(event["description"])
        assert summary.startswith(f"{r.gettext(lang)(state.label)}: ") == state.over, (where, lang, summary)
        assert description.startswith(r.sentence(state, lang, html=False)), (where, lang, description)  # type: ignore[arg-type]
        said = (start, end, str(event["status"]), summary, description)
        sequence = int(event["sequence"])
        before = seen.get((notice.id, lang))
        if before is not None:
            assert sequence >= before[0], (where, lang, "SEQUENCE went down")
            assert said == before[1] or sequence > before[0], \
                (where, lang, "the event changed, its SEQUENCE did not", before[1], said)
        seen[(notice.id, lang)] = (sequence, said)


def check_banner(r: Renderer, notice: Notice, where: str) -> None:
    """The banner's states: from the publication on, each what the lifecycle says from its
    moment; none after the end or the cancellation, which is said from the moment it is known."""
    o = notice.outage
    for service in notice.services:
        for lang in LANGS:
            entries = [e for e in embeds.banner_data(r, service.id, lang)["outages"] if e["id"] == notice.id]
            if notice.state.over:
                assert not entries, where
                continue
            states = entries[0]["states"]
            assert _stamp(states[0]["from"]) == o.public_from, where
            for earlier, later in zip(states, states[1:]):
                assert _stamp(earlier["from"]) < _stamp(later["from"]), where
            for shown in states:
                moment = _stamp(shown["from"])
                assert moment.utcoffset() == finnish_offset(moment), (where, shown["from"])
                expected = lifecycle.at(o, max(moment, r.site.now))
                assert shown["phase"] == expected.phase, (where, shown)
                assert shown["period"] == r.times_text(expected, lang), (where, shown)
                assert shown["label"] == r.gettext(lang)(expected.label), (where, shown)
            final = lifecycle.at(o, r.site.now + timedelta(days=3650))
            if final.over:
                # When it is next known to be over: the update that says so, or the end by the clock
                # (an extension after the end may have made it ongoing again).
                known = min(m for m in (*lifecycle.transitions(o), final.over_at)
                            if m is not None and m > r.site.now and lifecycle.at(o, m).over)
                assert states[-1]["phase"] == lifecycle.at(o, known).phase and _stamp(states[-1]["from"]) == known, \
                    (where, states)
            else:
                assert all(s["phase"] in ("upcoming", "ongoing") for s in states), where
    data = embeds.first_banner_data(r)
    for entry in data["outages"]:
        assert entry["states"][0]["phase"] in ("upcoming", "ongoing"), where


def check_shutters(r: Renderer, where: str) -> None:
    """A shutter page says the service is back no earlier than any ongoing outage that makes it
    unavailable ends, and not while another such outage is on; an unknown end when one of them has none."""
    for service in r.site.services:
        current = snippets.current(r.site, service)
        ongoing = [n for n in current if n.phase == "ongoing"]
        down = [n for n in ongoing if n.outage.impact == "unavailable"] or ongoing
        if not down:
            continue
        html = shutters.shutter(r, service)
        check_times(html, "fi", f"{where} shutter {service.id}")
        back = lxml.html.fromstring(html).xpath("//section[@lang='fi']//p[@class='katko-back']")[0]
        said = [_stamp(t) for t in back.xpath(".//time/@datetime")]
        if any(n.state.end is None for n in down):
            assert said == [], (where, service.id, said)
            continue
        latest = max(n.state.end for n in down)  # type: ignore[type-var]
        counted = [n for n in current if n.outage.impact == "unavailable" or down[0].outage.impact != "unavailable"]
        if not said:  # not known: an outage that follows without a gap has no end yet
            assert any(n.state.end is None and n.state.start <= latest for n in counted), (where, service.id)
            continue
        assert said[0] >= latest, (where, service.id, said)
        # Back is back: not inside another outage of the service that counts.
        for other in counted:
            assert not (other.state.start <= said[0] and (other.state.end is None or said[0] < other.state.end)), \
                (where, service.id, said, other.id)


def check_archive(r: Renderer, notice: Notice, where: str) -> None:
    """Once over, the archive lists the outage under the year it began in Finnish time, with its times."""
    year = wall(notice.outage.start).year
    assert (notice in r.site.archive.get(year, [])) == notice.state.over, where
    if notice.state.over:
        html = r.content(Page("archive-year", f"archive/{year}/", "fi", {"year": year,
                                                                         "notices": r.site.archive[year]}))
        item = lxml.html.fromstring(html).xpath(f"//li[.//a[contains(@href, '/{notice.id}/')]]")[0]
        assert [t for t in item.xpath(".//time/@datetime")] == \
            [timefmt.iso(m) for m in (notice.state.start, notice.state.end) if m is not None], where
        assert item.text_content().endswith(" (peruttu)") == (notice.phase == "cancelled"), where


def check_snippets(r: Renderer, notice: Notice, where: str) -> None:
    for service in notice.services:
        for lang in LANGS:
            html = snippets.snippet(r, service, lang)
            check_times(html, lang, where)
            items = lxml.html.fromstring(f"<div>{html}</div>").xpath(
                f"//li[.//a[contains(@href, '/{notice.id}/')]]")
            assert len(items) == int(not notice.state.over), where
            if items:
                when = " ".join(items[0].xpath("string(.//span[@class='katko-embed__when'])").split())
                assert when == r.times_text(notice.state, lang), (where, lang, when)


def check_unseen(built: Built, record: Record, where: str) -> None:
    """Before its publication a notice is named nowhere."""
    r, site = built.r, built.r.site
    texts = [api.outages(r), embeds.outages_json(r)]
    for service in (s for s in site.services if s.id in record.outage.services):
        texts += [api.outages(r, service), shutters.shutter(r, service).encode()]
        for lang in LANGS:
            texts += [embeds.service_json(r, service.id, lang), snippets.snippet(r, service, lang).encode(),
                      built.feed("atom", lang, service), built.ics(lang, service)]
    for lang in LANGS:
        texts += [built.feed("rss", lang), built.ics(lang),
                  r.content(Page("home", "", lang, {"sections": site.current})).encode()]
    for text in texts:
        assert record.id.encode() not in text, where


def check_api_times(r: Renderer, where: str) -> None:
    document = json.loads(api.outages(r))
    for entry in document["outages"]:
        for key in ("start", "end", "public_from", "changed_at", "back_since"):
            if entry[key] is not None:
                moment = _stamp(entry[key])
                assert moment.utcoffset() == finnish_offset(moment), (where, key, entry[key])
        assert all(_stamp(u["time"]) <= r.site.now for u in entry["updates"]), where


# --------------------------------------------------------------------------- #
# The property
# --------------------------------------------------------------------------- #


@STORY
@given(record_sets())
def test_every_output_tells_the_same_correct_story(files: dict[str, str]) -> None:
    dataset = load(files)
    outages = [record.outage for record in dataset.records]
    waiting: dict[str, Waiting] = {record.id: {} for record in dataset.records}
    seen: Events = {}
    for now in moments(outages, Settings().recent):
        r = renderer_for(Settings(site_url=SITE_URL, now=now), dataset=dataset)
        built = Built(r)
        check_api_times(r, now.isoformat())
        check_shutters(r, now.isoformat())
        for record in dataset.records:
            where = f"{record.id} at {now.isoformat()}\n{files[record.id]}"
            notice = check_moment(r, record, now, waiting[record.id])
            if notice is None:
                check_unseen(built, record, where)
                continue
            check_page_words(r, notice, where)
            check_feeds(built, notice, where)
            check_calendars(built, notice, where, seen)
            check_banner(r, notice, where)
            check_snippets(r, notice, where)
            check_archive(r, notice, where)
