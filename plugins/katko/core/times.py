"""Reading times and durations as communications staff write them.

A time is ISO 8601 with an offset (``2026-12-05T22:00+02:00``) or Finnish
local time without one (``2026-12-05 22:00``), read in Europe/Helsinki. A local
time that the clocks skip or pass twice at a daylight-saving change is refused:
only an explicit offset says which moment is meant.

>>> parse_time("2026-12-05 22:00").isoformat()
'2026-12-05T22:00:00+02:00'
>>> parse_time("2026-07-01T09:30:00Z").isoformat()
'2026-07-01T09:30:00+00:00'
>>> parse_time("2026-03-29 03:30")
Traceback (most recent call last):
...
katko.core.times.TimeError: 29.3.2026 3.30 does not exist in Finnish time (clocks jump from 3.00 to 4.00)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from .i18n import N_

HELSINKI = ZoneInfo("Europe/Helsinki")

# ASCII digits only (re.ASCII): '٢٠٢٦' or '２０２６' is not a year Katko reads.
_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{1,2})[:.](\d{2})(?::(\d{2}))?(?:\.\d+)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$", re.ASCII
)
_DURATION = re.compile(r"^\s*(?:(\d{1,6})\s*d)?\s*(?:(\d{1,6})\s*h)?\s*(?:(\d{1,7})\s*min)?\s*$", re.ASCII)

#: The years a notice can be about. Beyond them a time is a typing mistake, and
#: the calendars of working days and holidays would have nothing to say.
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: The largest offset from UTC any place on Earth uses (Kiribati, +14:00).
MAX_OFFSET = timedelta(hours=14)


class TimeError(ValueError):
    """A time that cannot be read; ``code`` is the problem code to report.

    ``message`` is a msgid whose ``%(name)s`` fields are ``values`` (see
    :mod:`katko.records.messages`); ``str()`` of the error is the English text.
    """

    def __init__(self, message: str, code: str = "K108", **values: Any) -> None:
        super().__init__(message % values if values else message)
        self.code = code
        self.msgid = message
        self.values = values


def _offset(text: str, written: str) -> timezone:
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    offset = timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or offset > MAX_OFFSET:
        raise TimeError(N_("'%(text)s' has the offset %(offset)s from UTC; no place is more than 14 hours from UTC"),
                        "K119", text=written, offset=text)
    return timezone(sign * offset)


def _wall(dt: datetime) -> str:
    return f"{dt.day}.{dt.month}.{dt.year} {dt.hour}.{dt.minute:02d}"


def localize(naive: datetime) -> datetime:
    """Attach Helsinki time to a wall-clock time, refusing skipped or doubled times.

    The result carries its fixed UTC offset, not the zone: Python subtracts and
    compares two datetimes of the *same* zone by their wall clocks, which makes
    an outage over a daylight-saving change an hour too long or short.

    >>> start, end = localize(datetime(2027, 3, 28, 2)), localize(datetime(2027, 3, 28, 8, 30))
    >>> end - start, start.isoformat(), end.isoformat()
    (datetime.timedelta(seconds=19800), '2027-03-28T02:00:00+02:00', '2027-03-28T08:30:00+03:00')
    """
    first = naive.replace(tzinfo=HELSINKI, fold=0)
    second = naive.replace(tzinfo=HELSINKI, fold=1)
    if first.utcoffset() == second.utcoffset():
        return naive.replace(tzinfo=timezone(first.utcoffset() or timedelta(0)))
    # Round-tripping through UTC changes a skipped time but keeps a doubled one.
    if first.astimezone(timezone.utc).astimezone(HELSINKI).replace(tzinfo=None) != naive:
        raise TimeError(N_("%(time)s does not exist in Finnish time (clocks jump from 3.00 to 4.00)"), "K109",
                        time=_wall(naive))
    raise TimeError(N_("%(time)s happens twice in Finnish time (clocks go back from 4.00 to 3.00)"), "K110",
                    time=_wall(naive))


def parse_time(text: str) -> datetime:
    """An aware datetime from the text of a record."""
    match = _TIME.match(text.strip())
    if not match:
        raise TimeError(N_("'%(text)s' is not a date and time"), text=text)
    year, month, day, hour, minute, second, offset = match.groups()
    if hour is None:
        raise TimeError(N_("'%(text)s' is a date without a time of day"), "K107", text=text)
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise TimeError(N_("'%(text)s' is in the year %(year)s; Katko reads times from %(first)s to %(last)s"),
                        "K118", text=text, year=year, first=FIRST_YEAR, last=LAST_YEAR)
    try:
        naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError:
        raise TimeError(N_("'%(text)s' is not a real date and time: no such day, hour or minute"), text=text) from None
    if offset:
        return naive.replace(tzinfo=_offset(offset, text))
    return localize(naive)


def parse_duration(text: str) -> timedelta:
    """A duration written as ``4h``, ``90min``, ``2h30min`` or ``1d``.

    >>> parse_duration("2h 30min")
    datetime.timedelta(seconds=9000)
    """
    match = _DURATION.match(text)
    if not match or not any(match.groups()):
        raise TimeError(N_("'%(text)s' is not a duration"), "K111", text=text)
    days, hours, minutes = (int(g or 0) for g in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)
