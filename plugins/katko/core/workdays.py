"""Finnish working days: the unit of the advance-notice policy.

A working day is a Monday to Friday that is not a Finnish public holiday.
The public holidays come from the ``holidays`` package (which also counts
Midsummer Eve and Christmas Eve, the days Finnish authorities are closed).

Notice is counted in *clear* working days: neither the day the notice becomes
public nor the day the outage starts is counted, whatever the hour.

>>> from datetime import date
>>> working_days_between(date(2026, 12, 16), date(2026, 12, 28))   # over Christmas
5
>>> latest_publication(date(2026, 12, 28), 5)
datetime.date(2026, 12, 16)
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from .times import HELSINKI


#: The ``holidays`` package's names of Katko's languages.
_LANGUAGE = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}


@lru_cache(maxsize=64)
def _holidays(year: int, lang: str = "fi") -> holidays.HolidayBase:
    return holidays.Finland(years=year, language=_LANGUAGE[lang])


def holiday_name(day: date, lang: str = "fi") -> str | None:
    """The Finnish public holiday on ``day``, if any, by its name in ``lang``.

    >>> holiday_name(date(2026, 12, 6)), holiday_name(date(2026, 12, 6), "sv")
    ('Itsenäisyyspäivä', 'Självständighetsdagen')
    """
    return _holidays(day.year, lang).get(day)


def holiday_days(year: int) -> tuple[date, ...]:
    """The Finnish public holidays of ``year``, in order.

    >>> [d.isoformat() for d in holiday_days(2026)][-3:]
    ['2026-12-24', '2026-12-25', '2026-12-26']
    """
    return tuple(sorted(_holidays(year)))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def local_date(moment: datetime | date) -> date:
    """The Finnish calendar day of a moment."""
    return moment.astimezone(HELSINKI).date() if isinstance(moment, datetime) else moment


def _weekdays(first: date, last: date) -> int:
    """Mondays to Fridays from ``first`` (inclusive) to ``last`` (exclusive), in closed form."""
    days = (last - first).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    return weeks * 5 + sum(1 for i in range(rest) if (first.weekday() + i) % 7 < 5)


def _weekday_holidays(first: date, last: date) -> list[tuple[date, str]]:
    """The public holidays on Mondays to Fridays from ``first`` (inclusive) to ``last`` (exclusive).

    A year at a time, so that the work grows with the years between, not the days.
    """
    found = []
    for year in range(first.year, last.year + 1) if first < last else ():
        found += [(day, name) for day, name in sorted(_holidays(year).items())
                  if first <= day < last and day.weekday() < 5]
    return found


def working_days_between(published: datetime | date, start: datetime | date) -> int:
    """Clear working days after the day of ``published`` and before the day of ``start``."""
    first, last = local_date(published) + timedelta(days=1), local_date(start)
    return _weekdays(first, last) - len(_weekday_holidays(first, last))


def latest_publication(start: datetime | date, days: int) -> date:
    """The last day on which a notice still gives ``days`` clear working days before ``start``."""
    day = local_date(start) - timedelta(days=1)
    found = 0
    while found < days:  # a policy asks for at most 250 working days (about a year)
        found += is_working_day(day)
        day -= timedelta(days=1)
    return day


def holidays_between(first: datetime | date, last: datetime | date) -> list[tuple[date, str]]:
    """The public holidays on weekdays strictly between two days: the ones that shorten a notice."""
    return _weekday_holidays(local_date(first) + timedelta(days=1), local_date(last))
