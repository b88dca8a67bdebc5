"""Dates and times written in the texts (K231-K235): weekdays that fit their dates,
the outage's own times, dates copied from an earlier notice."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from ...core import textdates
from ...core.i18n import N_
from ...core.times import HELSINKI
from .. import lifecycle
from ..codes import CODES
from ..dataset import Record
from ..diagnostics import Diagnostic, Severity
from ..lifecycle import CLOSING
from ..messages import Place, params
from ..yamlsource import Document
from .base import Context, record_check, problem


# --------------------------------------------------------------------------- #
# Dates and times written in the texts (K231-K235)
# --------------------------------------------------------------------------- #

#: Texts that speak of the outage's own time: copied ones keep the earlier outage's.
_OWN_TIME = ("title", "summary")
#: How ``katko new`` marks a date it copied and could not replace.
MARKER = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


def _texts(record: Record, context: Context,
           fields: tuple[str, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str, str]]:
    """Every public text of a record (or of its top-level ``fields``) with its path and language; what
    'katko new' marked (K234) blanked out."""
    for path, value in context.localized(record.outage):
        if fields and path[0] not in fields:
            continue
        for lang in ("fi", "sv", "en"):
            text = value.get(lang)
            if text:
                yield path + (lang,), lang, MARKER.sub(lambda m: " " * len(m.group(0)), text) if "[[" in text else text


def _at(doc: Document, path: tuple[Any, ...], offset: int, code: str, message: str,
        severity: Severity = "warning", **values: Any) -> Diagnostic:
    """A problem at the character ``offset`` of the text at ``path``."""
    line, column = doc.position_in(path, offset)
    return Diagnostic(doc.path, line, column, severity, code, message, CODES[code].hint, params(**values))


def _wall(moment: datetime) -> tuple[date, int]:
    local = moment.astimezone(HELSINKI)
    return local.date(), local.hour * 60 + local.minute


def _moments(record: Record, context: Context) -> list[datetime]:
    """The moments a text may name as the outage's: its start, every end announced, and its actual end."""
    o = record.outage
    # As the record finally stands: a summary written after an early end names it.
    last = max([context.settings.now, *lifecycle.transitions(o)])
    final = context.state(o) if last == context.settings.now else lifecycle.at(o, last)
    found = {o.start, *(m for m in (o.end, final.ended_at, *(u.end for u in o.updates)) if m is not None)}
    return sorted(found)


@record_check
def weekdays_match_dates(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K231 (warning): a weekday written next to a date is that date's weekday."""
    near = record.outage.start.astimezone(HELSINKI).date()
    for path, lang, text in _texts(record, context):
        for m in textdates.wrong_weekdays(text, lang, near):
            if m.wrong_weekday:
                yield _at(record.doc, path, m.start, "K231",
                          N_("%(place)s: '%(text)s' names the wrong weekday: the date is %(date)s"),
                          place=Place(path), text=m.text, date=m.day)


@record_check
def texts_name_the_outages_times(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K232 (warning): the title names only the outage's own days; K233 (warning): the title and
    summary name only its own start and end times."""
    moments = _moments(record, context)
    walls = {_wall(m) for m in moments}
    first, last = min(day for day, _ in walls), max(day for day, _ in walls)
    for path, lang, text in _texts(record, context, _OWN_TIME):
        for m in textdates.scan(text, lang, first, words=False):
            if m.day is not None and path[0] == "title" and not first <= m.day <= last:
                message = (N_("%(place)s names %(date)s ('%(text)s'), but the outage is on %(first)s")
                           if first == last else
                           N_("%(place)s names %(date)s ('%(text)s'), but the outage is from %(first)s to %(last)s"))
                yield _at(record.doc, path, m.start, "K232", message, place=Place(path), date=m.day, text=m.text,
                          first=first, last=last)
            previous = None
            for clock in m.clocks:
                day = m.day
                if day is not None and previous is not None and clock.minutes < previous:
                    day = day + timedelta(days=1)  # "klo 22.00–2.00" ends the next day
                previous = clock.minutes
                if (day, clock.minutes) in walls or (day is None and clock.minutes in {t for _, t in walls}):
                    continue
                if day is None:
                    message = N_("%(place)s names the time %(time)s, which is not the outage's start or end "
                                 "(%(moments)s)")
                else:
                    message = N_("%(place)s names the time %(time)s on %(date)s, which is not the outage's start "
                                 "or end (%(moments)s)")
                yield _at(record.doc, path, clock.start, "K233", message, place=Place(path), time=clock.text,
                          date=day, moments=tuple(moments))


@record_check
def copied_dates_checked(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K234: a date or time that 'katko new' copied and marked has been checked and unmarked."""
    def strings(value: Any, path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from strings(item, path + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from strings(item, path + (i,))

    if "[[" not in record.doc.text and "\\" not in record.doc.text:
        return  # a value has "[[" only where the file has it, or writes it with a YAML escape
    for path, text in strings(record.doc.data, ()):
        for match in MARKER.finditer(text):
            yield _at(record.doc, path, match.start(), "K234",
                      N_("%(place)s: '%(text)s' was copied from an earlier notice and is not checked yet"),
                      "error", place=Place(path), text=match.group(0))


@record_check
def resolution_time_stated(record: Record, context: Context) -> Iterator[Diagnostic]:
    """K235 (warning): when a disruption was fixed is stated, not left to the record's old estimate.

    The notice says the service was back when the update that resolved it says
    (its ``end``), else at that update's time. A record whose end is earlier, and
    which no update announced as an estimate, most likely meant that end.
    """
    o = record.outage
    state = context.state(o)
    if o.kind != "unplanned" or state.phase != "ended" or o.end is None or state.ended_at is None:
        return
    closing = next((i for i, u in enumerate(o.updates) if u.status in CLOSING and u.time <= context.settings.now),
                   None)
    if closing is None or o.updates[closing].end is not None or o.end >= state.ended_at \
            or any(u.end == o.end for u in o.updates):
        return
    yield problem(record.doc, ("updates", closing, "time"), "K235",
                  N_("the notice says the service was back at %(back)s, when updates[%(number)s] resolved the "
                     "disruption, but the record's end is %(end)s"),
                  "warning", back=state.ended_at, number=closing + 1, end=o.end)
