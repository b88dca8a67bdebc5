"""Dates and times for outage notices, in Helsinki time, as Finns write them.

Every function takes *aware* datetimes, converts them to Europe/Helsinki
first and only then formats them, so a notice always shows the wall-clock
time a reader in Finland sees. Naive datetimes are rejected: guessing their
zone is how an outage ends up announced two or three hours off.

Finnish and Finland-Swedish notation is written out here by hand (``la
5.12.2026 klo 22.00``, ``lö 5.12.2026 kl. 22.00``) because CLDR's ``fi`` and
``sv_FI`` data have no such pattern: none puts a weekday, the date and
"klo"/"kl." together, and ``sv_FI`` abbreviates weekdays the Sweden way
(``lör``, ``sön``). Babel is used for the English weekday and month names.

>>> from datetime import datetime, timezone
>>> start = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)
>>> format_datetime(start, "fi")
'la 5.12.2026 klo 22.00'
>>> iso(start)
'2026-12-05T22:00+02:00'
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from babel.dates import format_date as _babel_format_date
from babel.numbers import format_decimal as _babel_format_decimal

from .times import HELSINKI

__all__ = [
    "HELSINKI",
    "Lang",
    "format_date",
    "format_datetime",
    "format_day",
    "format_duration",
    "format_number",
    "format_range",
    "format_time",
    "range_segments",
    "iso",
]


Lang = Literal["fi", "sv", "en"]

# Monday first, as date.weekday() counts. Two-letter abbreviations without a
# full stop are the established short forms in Finnish and Finland Swedish.
_WEEKDAYS = {
    "fi": ("ma", "ti", "ke", "to", "pe", "la", "su"),
    "sv": ("må", "ti", "on", "to", "fr", "lö", "sö"),
}

_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday_abbreviation(day: int, lang: Lang | str) -> str:
    """The short name of a weekday (0 = Monday).

    >>> [weekday_abbreviation(5, lang) for lang in ("fi", "sv", "en")]
    ['la', 'lö', 'Sat']
    """
    return _WEEKDAYS[lang][day] if lang in _WEEKDAYS else _EN_WEEKDAYS[day]


# The word before the time: Finnish "klo", Finland Swedish "kl." (with a stop).
_CLOCK_WORD = {"fi": "klo", "sv": "kl."}

_EN_DASH = "\u2013"

# Said once per English phrase, because "22:00" alone does not tell a reader
# abroad which zone is meant.
_EN_ZONE = "(Finnish time)"

# Largest unit word for format_duration when the duration exceeds 48 hours.
_DAY_WORD = {"fi": "vrk", "sv": "dygn", "en": "days"}


def _local(dt: datetime) -> datetime:
    """Return *dt* as Helsinki wall-clock time; reject naive datetimes."""
    if not isinstance(dt, datetime):
        raise TypeError(f"expected a datetime, got {type(dt).__name__}")
    # utcoffset() is the real test of awareness: a tzinfo that returns None
    # leaves the datetime just as ambiguous as having no tzinfo at all.
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no time zone; give an offset")
    return dt.astimezone(HELSINKI)


def _check_lang(lang: str) -> None:
    if lang not in ("fi", "sv", "en"):
        raise ValueError(f"unsupported language {lang!r}; use 'fi', 'sv' or 'en'")


def _date_part(day: date, lang: str) -> str:
    """Weekday and date of an already local calendar day."""
    if lang == "en":
        # Passing a plain date keeps Babel away from any zone handling of its
        # own. Babel may emit U+202F/U+00A0 in English output; notices use
        # ordinary spaces so that text search and copy-paste behave.
        text = _babel_format_date(day, "EEE d MMMM y", locale="en")
        return text.replace("\u202f", " ").replace("\u00a0", " ")
    return f"{_WEEKDAYS[lang][day.weekday()]} {day.day}.{day.month}.{day.year}"


# Said after a clock time that happens twice, in the hour the clocks go back.
# In English it names the zone too, so that no "(Finnish time)" follows it: "03:30 (Finnish summer time)".
_SEASON = {"fi": ("kesäaikaa", "talviaikaa"), "sv": ("sommartid", "vintertid"),
           "en": ("Finnish summer time", "Finnish winter time")}


def _doubled(local: datetime) -> bool:
    """Whether the wall-clock time of a local datetime happens twice (the autumn change)."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def _time_part(local: datetime, lang: str) -> str:
    """Clock time of an already local datetime, to the minute.

    In the hour that happens twice the season is said, so that 3.30 before
    the clocks go back and 3.30 after them read differently.

    >>> from datetime import timezone
    >>> _time_part(datetime(2025, 10, 26, 0, 30, tzinfo=timezone.utc).astimezone(HELSINKI), "fi")
    '3.30 (kesäaikaa)'
    >>> _time_part(datetime(2025, 10, 26, 1, 30, tzinfo=timezone.utc).astimezone(HELSINKI), "sv")
    '3.30 (vintertid)'
    """
    # Notices are precise to the minute; seconds would only be noise.
    if lang == "en":
        # Zero-padded 24-hour clock: "02:00" cannot be misread as 2 pm.
        text = f"{local.hour:02d}:{local.minute:02d}"
    else:
        # Finnish usage: no leading zero on the hour, a full stop before minutes.
        text = f"{local.hour}.{local.minute:02d}"
    if _doubled(local):
        summer, winter = _SEASON[lang]
        text += f" ({summer if local.dst() else winter})"
    return text


def _datetime_part(local: datetime, lang: str) -> str:
    """Date and time of an already local datetime, without any zone note."""
    if lang == "en":
        return f"{_date_part(local.date(), lang)} at {_time_part(local, lang)}"
    return f"{_date_part(local.date(), lang)} {_CLOCK_WORD[lang]} {_time_part(local, lang)}"


def format_datetime(dt: datetime, lang: Lang, *, zone: bool = True) -> str:
    """Weekday, date and time in Helsinki time.

    ``zone=False`` leaves out the English "(Finnish time)", for readers who know
    every time is Finnish time (editors reading ``katko check``).

    >>> from datetime import datetime, timezone
    >>> dt = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)
    >>> format_datetime(dt, "fi")
    'la 5.12.2026 klo 22.00'
    >>> format_datetime(dt, "sv")
    'lö 5.12.2026 kl. 22.00'
    >>> format_datetime(dt, "en")
    'Sat 5 December 2026 at 22:00 (Finnish time)'
    >>> format_datetime(dt, "en", zone=False)
    'Sat 5 December 2026 at 22:00'
    """
    _check_lang(lang)
    local = _local(dt)
    text = _datetime_part(local, lang)
    return f"{text} {_EN_ZONE}" if lang == "en" and zone and not _doubled(local) else text


def format_date(dt: datetime, lang: Lang) -> str:
    """Weekday and date of the Helsinki calendar day.

    >>> from datetime import datetime, timezone
    >>> dt = datetime(2026, 12, 5, 22, 30, tzinfo=timezone.utc)  # 0.30 on the 6th
    >>> format_date(dt, "fi")
    'su 6.12.2026'
    >>> format_date(dt, "sv")
    'sö 6.12.2026'
    >>> format_date(dt, "en")
    'Sun 6 December 2026'
    """
    _check_lang(lang)
    return _date_part(_local(dt).date(), lang)


def format_day(day: date, lang: Lang) -> str:
    """Weekday and date of a calendar day (a date, not a moment).

    >>> format_day(date(2026, 11, 29), "fi"), format_day(date(2026, 11, 29), "en")
    ('su 29.11.2026', 'Sun 29 November 2026')
    """
    _check_lang(lang)
    return _date_part(day, lang)


def format_time(dt: datetime, lang: Lang) -> str:
    """Helsinki clock time, to the minute.

    >>> from datetime import datetime, timezone
    >>> dt = datetime(2026, 12, 5, 0, 5, tzinfo=timezone.utc)
    >>> format_time(dt, "fi")
    '2.05'
    >>> format_time(dt, "sv")
    '2.05'
    >>> format_time(dt, "en")
    '02:05'
    """
    _check_lang(lang)
    return _time_part(_local(dt), lang)


def format_range(start: datetime, end: datetime | None, lang: Lang, *, zone: bool = True) -> str:
    """An outage period in Helsinki time; *end* ``None`` means open-ended.

    The date is written once when both ends fall on the same local day.
    An end at 0.00 is written as 0.00 of the following day, with its date,
    rather than as "midnight", which readers take for either day.

    >>> from datetime import datetime, timezone
    >>> s = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)
    >>> e = datetime(2026, 12, 5, 21, 30, tzinfo=timezone.utc)
    >>> format_range(s, e, "fi")
    'la 5.12.2026 klo 22.00–23.30'
    >>> format_range(s, e, "en")
    'Sat 5 December 2026, 22:00–23:30 (Finnish time)'
    >>> format_range(s, datetime(2026, 12, 6, 0, 0, tzinfo=timezone.utc), "sv")
    'lö 5.12.2026 kl. 22.00 – sö 6.12.2026 kl. 2.00'
    >>> format_range(s, None, "fi")
    'la 5.12.2026 klo 22.00 alkaen'
    >>> format_range(s, None, "sv")
    'från lö 5.12.2026 kl. 22.00'
    """
    return "".join(text for text, _ in range_segments(start, end, lang, zone=zone))


Segment = tuple[str, "datetime | None"]


def range_segments(start: datetime, end: datetime | None, lang: Lang, *, zone: bool = True) -> list[Segment]:
    """:func:`format_range` cut into pieces, each naming the moment it writes;
    ``zone=False`` leaves out the English "(Finnish time)", as :func:`format_datetime` does.

    Pages wrap the pieces that name a moment in ``<time datetime>``.

    >>> from datetime import datetime, timezone
    >>> s = datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc)
    >>> [text for text, _ in range_segments(s, s.replace(hour=21), "en")]
    ['Sat 5 December 2026, 22:00', '–', '23:00', ' (Finnish time)']
    """
    _check_lang(lang)
    local_start = _local(start)
    # Not after a time said with its season, which names the zone already.
    last = _local(end) if end is not None else local_start
    zone_note: list[Segment] = [(f" {_EN_ZONE}", None)] if lang == "en" and zone and not _doubled(last) else []

    if end is None:
        first = (_datetime_part(local_start, lang), start)
        if lang == "fi":
            return [first, (" alkaen", None)]
        if lang == "sv":
            return [("från ", None), first]
        return [("from ", None), first, *zone_note]

    local_end = _local(end)
    # Compare instants, not wall clocks: across the autumn change 3.30 EEST
    # comes before 3.30 EET although the clock reads the same.
    if end < start:
        raise ValueError(f"range ends ({end.isoformat()}) before it starts ({start.isoformat()})")

    if local_start.date() == local_end.date() and not (_doubled(local_start) or _doubled(local_end)):
        # Unspaced en dash between two times of the same day.
        day = _date_part(local_start.date(), lang)
        if lang == "en":
            first = f"{day}, {_time_part(local_start, lang)}"
        else:
            first = f"{day} {_CLOCK_WORD[lang]} {_time_part(local_start, lang)}"
        return [(first, start), (_EN_DASH, None), (_time_part(local_end, lang), end), *zone_note]

    # Spaced en dash between two full date-times; an end at 0.00 lands here
    # too, because its local date is already the next day, and so does a time
    # said with its season, which an unspaced dash would run into.
    return [(_datetime_part(local_start, lang), start), (f" {_EN_DASH} ", None),
            (_datetime_part(local_end, lang), end), *zone_note]


def iso(dt: datetime) -> str:
    """ISO 8601 in Helsinki time with offset, for ``<time datetime="...">``.

    Seconds appear only when non-zero; fractions of a second are dropped,
    since HTML allows at most three decimals and notices never need them.

    >>> from datetime import datetime, timezone
    >>> iso(datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc))
    '2026-12-05T22:00+02:00'
    >>> iso(datetime(2026, 7, 1, 9, 15, 30, 250000, tzinfo=timezone.utc))
    '2026-07-01T12:15:30+03:00'
    """
    local = _local(dt)
    return local.isoformat(timespec="seconds" if local.second else "minutes")


def format_duration(delta: timedelta, lang: Lang) -> str:
    """A length of time in hours and minutes; days only beyond 48 hours.

    Up to 48 hours, hours are kept as they are ("36 h") because outage
    lengths are easiest to compare in one unit. Rounded to the nearest minute.

    >>> from datetime import timedelta
    >>> format_duration(timedelta(hours=4, minutes=30), "fi")
    '4 h 30 min'
    >>> format_duration(timedelta(hours=4), "en")
    '4 h'
    >>> format_duration(timedelta(minutes=45), "sv")
    '45 min'
    >>> format_duration(timedelta(days=3, hours=2), "fi")
    '3 vrk 2 h'
    >>> format_duration(timedelta(days=3, hours=2), "sv")
    '3 dygn 2 h'
    >>> format_duration(timedelta(days=3, hours=2), "en")
    '3 days 2 h'
    """
    _check_lang(lang)
    if not isinstance(delta, timedelta):
        raise TypeError(f"expected a timedelta, got {type(delta).__name__}")
    if delta < timedelta(0):
        raise ValueError(f"negative duration {delta}")
    # Work in whole seconds so that rounding is exact integer arithmetic.
    seconds = delta.days * 86400 + delta.seconds + (1 if delta.microseconds >= 500_000 else 0)
    total_minutes = (seconds + 30) // 60
    if total_minutes == 0:
        return "0 min"

    hours, minutes = divmod(total_minutes, 60)
    days = 0
    if total_minutes > 48 * 60:
        days, hours = divmod(hours, 24)

    parts = []
    if days:
        parts.append(f"{days} {_DAY_WORD[lang]}")
    if hours:
        parts.append(f"{hours} h")
    if minutes:
        parts.append(f"{minutes} min")
    return " ".join(parts)


_NUMBER_LOCALES = {"fi": "fi", "sv": "sv_FI", "en": "en"}


def format_number(value: float, lang: Lang, digits: int | None = 0) -> str:
    """A number as the language writes it: decimal comma and a space between thousands in
    Finnish and Swedish, a point and commas in English. ``digits`` None: as many as needed (up to 3).

    >>> format_number(1234.56, "fi", 1), format_number(1234.56, "sv", 1), format_number(1234.56, "en", 1)
    ('1\xa0234,6', '1\xa0234,6', '1,234.6')
    >>> format_number(7.5, "fi", 0), format_number(7.5, "fi", 1)
    ('8', '7,5')
    >>> format_number(10.0, "sv", None), format_number(12.5, "sv", None)
    ('10', '12,5')
    """
    _check_lang(lang)
    pattern = "#,##0.###" if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return _babel_format_decimal(value, format=pattern, locale=_NUMBER_LOCALES[lang])
