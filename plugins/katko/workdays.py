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


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def local_date(moment: datetime | date) -> date:
    """The Finnish calendar day of a moment."""
    return moment.astimezone(HELSINKI).date() if isinstance(moment, datetime) else moment


def working_days_between(published: datetime | date, start: datetime | date) -> int:
    """Clear working days after the day of ``published`` and before the day of ``start``."""
    first, last = local_date(published) + timedelta(days=1), local_date(start)
    count = 0
    day = first
    while day < last:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def latest_publication(start: datetime | date, days: int) -> date:
    """The last day on which a notice still gives ``days`` clear working days before ``start``."""
    day = local_date(start) - timedelta(days=1)
    found = 0
    while found < days:
        found += is_working_day(day)
        day -= timedelta(days=1)
    return day


def holidays_between(first: datetime | date, last: datetime | date) -> list[tuple[date, str]]:
    """The public holidays on weekdays strictly between two days: the ones that shorten a notice."""
    day, end = local_date(first) + timedelta(days=1), local_date(last)
    found = []
    while day < end:
        name = holiday_name(day)
        if name and day.weekday() < 5:
            found.append((day, name))
        day += timedelta(days=1)
    return found
