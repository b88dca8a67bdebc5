"""iCalendar files of planned outages, per language and per service.

A calendar lists the planned outages that the feeds list
(:meth:`katko.site.pages.Site.subscribed`): upcoming and ongoing ones, and those
that ended or were cancelled within the feed window. Unplanned outages are
left out: they are over, or nearly, before anyone could plan around them.

Calendar applications that subscribe to the file fetch it again from time to
time and match events by UID: an event keeps its UID for good, and its
SEQUENCE grows whenever the record announces a change, so a moved or
cancelled outage replaces the old event instead of appearing twice.

Nothing here depends on the build's clock except which notices are listed
and their phase: DTSTAMP, LAST-MODIFIED and SEQUENCE come from the record, so
the same records and the same "now" give the same bytes.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, vDuration

from ..core.labels import AUTHORITY_OUTAGES, SERVICE_OUTAGES
from ..core.times import HELSINKI
from ..records.model import Service
from ..site.addresses import feed_path, home
from ..site.pages import Notice
from .base import Context, Output


TZID = "Europe/Helsinki"
PRODID = "-//Katko//Katko outage notices//EN"
#: How often subscribers should fetch the calendar again (RFC 7986 and Outlook's hint).
REFRESH = timedelta(hours=1)
TEMPLATE = "calendar-event.txt"


def outputs(context: Context) -> list[Output]:
    """The calendars of the site and of each service, in every language."""
    return [Output(feed_path("ics", lang, service), "ics", lang, service,
                   lambda lang=lang, service=service: icalendar(context, lang, service))
            for lang in context.languages for service in (None, *context.site.services)]


def icalendar(context: Context, lang: str, service: Service | None = None) -> bytes:
    """The calendar of planned outages in ``lang``, of one service or of the whole site."""
    _ = context.gettext(lang)
    languages = context.site.settings.languages
    site_name = context.site_name(lang)
    # A service's calendar sits among the subscriber's other calendars: its
    # name says both what it is about and that it lists outages.
    name = f"{_(SERVICE_OUTAGES)} – {service.name.pick(lang, languages)[0]}" if service else site_name
    catalogue = context.site.dataset.catalogue
    about = site_name
    if catalogue:
        about = _(AUTHORITY_OUTAGES) % {"authority": catalogue.authority.name.pick(lang, languages)[0]}

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # RFC 7986 names, and the X-WR- ones that Google, Apple and Outlook read.
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("description", about)
    calendar.add("x-wr-caldesc", about)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("url", context.absolute(home(lang, service)))
    calendar.add("source", context.absolute(feed_path("ics", lang, service)), parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property is text to the library: write the duration out.
    calendar.add("x-published-ttl", vDuration(REFRESH).to_ical().decode())

    notices = [n for n in context.site.subscribed(service.id if service else None) if n.outage.kind == "planned"]
    # By start rather than by last change, so that a change to one outage
    # changes only its own lines in the file.
    notices.sort(key=lambda n: (n.outage.start, n.id))
    calendar.add_component(_timezone(context, notices))
    # Each event is written once (and shared by the site's calendar and its services'):
    # a calendar's lines are its own, then each component's, then its END line.
    text = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert text.endswith(end)
    events = [context.piece("ics:" + lang, n, lambda n=n: event(context, lang, n).to_ical()) for n in notices]
    return text[:-len(end)] + b"".join(events) + end


def _timezone(context: Context, notices: list[Notice]) -> Timezone:
    """Europe/Helsinki for the years the events fall in (the build's year if none).

    Generated from the zoneinfo database for whole years, so the component
    depends only on the records (and on Finland's clock rules).
    """
    moments = [m for n in notices for m in (n.state.start, n.state.end) if m is not None] or [context.site.now]
    years = [m.astimezone(HELSINKI).year for m in moments]
    return Timezone.from_tzinfo(HELSINKI, tzid=TZID, first_date=date(min(years), 1, 1),
                                last_date=date(max(years) + 1, 1, 1))


def uid(context: Context, lang: str, notice: Notice) -> str:
    """The event's permanent identifier: outage id, language and the site's address.

    The language is part of it because each language's calendar holds a
    different event (its texts differ), and RFC 5545 wants one UID for one
    event: with a shared UID, an application showing the Finnish and the
    Swedish calendar could take one for a copy of the other and hide or
    overwrite it. The site's and a service's calendar in the same language
    hold the very same event, so they share the UID and an application that
    merges them shows it once. The site's host and path make the UID unique
    between sites, even several authorities' sites on one host; the outage id
    is the record's file name, which never changes once published.
    """
    address = urlsplit(context.site.settings.site_url)
    return f"{notice.id}/{lang}@{address.netloc}{address.path.rstrip('/')}"


def event(context: Context, lang: str, notice: Notice) -> Event:
    """One planned outage as a VEVENT, identical in every calendar of ``lang``."""
    _ = context.gettext(lang)
    outage = notice.outage
    languages = context.site.settings.languages
    state = notice.state
    title = outage.title.pick(lang, languages)[0]
    if state.over:
        title = f"{_(state.label)}: {title}"
    changed = notice.changed_at.astimezone(timezone.utc)

    item = Event()
    item.add("uid", uid(context, lang, notice))
    # SEQUENCE grows with every announced change (see Notice.revision), and
    # DTSTAMP is that change's time, not the build's: a rebuild without
    # changes gives the same bytes, and a change replaces the event.
    item.add("sequence", notice.revision)
    item.add("dtstamp", changed)
    item.add("created", outage.public_from.astimezone(timezone.utc))
    item.add("last-modified", changed)
    item.add("dtstart", _local(state.start))
    if state.end is not None:  # always set for planned outages (K205); the actual end once ended
        item.add("dtend", _local(state.end))
    item.add("summary", title)
    item.add("description", description(context, lang, notice))
    item.add("url", context.absolute(f"{lang}/{notice.key}"))
    item.add("status", "CANCELLED" if state.phase == "cancelled" else "CONFIRMED")
    # An outage does not make the subscriber busy: it must not block
    # meeting invitations or free/busy look-ups.
    item.add("transp", "TRANSPARENT")
    item.add("class", "PUBLIC")
    item.add("categories", [s.name.pick(lang, languages)[0] for s in notice.services])
    # No LOCATION: the service's web address there would make calendar
    # applications look it up on a map; the description and URL carry it.
    return item


def _local(moment: datetime) -> datetime:
    """The moment in Helsinki time, written with TZID=Europe/Helsinki; in UTC if its
    wall-clock time happens twice (the autumn change), which a TZID time cannot tell
    apart: RFC 5545 reads it as the first, so 3.30 after the change would become 3.30
    before it.

    >>> _local(datetime(2025, 10, 26, 1, 30, tzinfo=timezone.utc)).isoformat()
    '2025-10-26T01:30:00+00:00'
    >>> _local(datetime(2025, 10, 26, 2, 30, tzinfo=timezone.utc)).isoformat()
    '2025-10-26T04:30:00+02:00'
    """
    local = moment.astimezone(HELSINKI)
    if local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset():
        return moment.astimezone(timezone.utc)
    return local


def description(context: Context, lang: str, notice: Notice) -> str:
    """The event's DESCRIPTION: the notice as plain text in ``lang``."""
    text = context.fragment(TEMPLATE, lang, notice=notice, prose=plain_text)
    # Empty optional parts must not leave gaps of several blank lines.
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_AUTOLINK = re.compile(r"<(?:(https?://[^<>\s]+)|mailto:([^<>\s]+))>")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
# Single asterisks only: underscores occur inside words and addresses.
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![\w*])")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#)")


def plain_text(markdown: str) -> str:
    """A record's Markdown as calendar text: links written out, emphasis markers dropped,
    and every paragraph and list item on one line (calendar applications wrap
    lines themselves, and the record's own line breaks would land mid-sentence).

    >>> print(plain_text("**Mikä ei toimi:** Et voi\\nkirjautua.\\n\\n- Ohjeet\\n  <https://a.example/b>\\n- [Lomake](https://a.example/f)"))
    Mikä ei toimi: Et voi kirjautua.
    <BLANKLINE>
    - Ohjeet https://a.example/b
    - Lomake (https://a.example/f)
    """
    text = _AUTOLINK.sub(lambda m: m[1] or m[2], markdown)
    text = _LINK.sub(lambda m: m[1] if m[1] == m[2] else f"{m[1]} ({m[2]})", text)
    text = _EMPHASIS.sub(r"\1", _STRONG.sub(r"\2", text))
    blocks = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            stripped = line.strip()
            if lines and not _BLOCK_START.match(line):
                lines[-1] = f"{lines[-1]} {stripped}"
            else:
                lines.append(stripped.lstrip("#").strip() if stripped.startswith("#") else stripped)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
