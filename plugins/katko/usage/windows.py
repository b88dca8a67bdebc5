"""Outage windows weighed against a usage profile: how many users a window
affects, how it ranks in the week, and which windows would be quieter.

The figures come from the profile's **mean** per hour of the week (see
:mod:`katko.usage.profiles`): the expected users of a window is the sum of the means of
the hours it covers, a partly covered hour counted in proportion. Hours on a
Finnish public holiday use the profile's holiday rows when it has data for
them, otherwise the ordinary ones.

A window's *rank* compares it with every window of the same length that starts
on the hour in a typical week (168 of them, ordinary days): rank 1 is the
quietest, and windows with equal figures share the better rank. A window is
*quiet* when fewer than ``share`` × 168 windows are quieter than it, i.e. it is
among the quietest 10 % by default.

This module is the API that ``katko usage suggest``, ``katko check`` and the
internal staff site share; it never writes anything.

>>> from .profiles import KINDS, Profile, Row
>>> rows = [Row(k, d, h, 1, 1.0 if h < 6 else 10.0, None) for k in KINDS for d in range(7) for h in range(24)]
>>> p = Profile("requests", datetime(2026, 1, 5, tzinfo=HELSINKI), datetime(2026, 1, 11, 23, tzinfo=HELSINKI), rows)
>>> a = assess(p, datetime(2026, 11, 17, 1, tzinfo=HELSINKI), datetime(2026, 11, 17, 4, tzinfo=HELSINKI))
>>> (a.expected, a.rank, a.windows, a.quiet)
(3.0, 1, 168, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path

import holidays

from ..core.timefmt import format_range, iso
from ..core.times import HELSINKI, localize
from ..core.workdays import holiday_days, holiday_name
from .profiles import KINDS, Profile, ProfileError, read_profile

#: Share of the week's windows that count as quiet (``katko check --quiet-share``).
DEFAULT_SHARE = 0.10
#: The profile statistic the figures are computed from.
STATISTIC = "mean"
HOURS_IN_WEEK = 168
_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Window:
    """A candidate or planned outage window and its figures."""

    start: datetime
    end: datetime
    #: Expected users (the profile's unit: requests or visits) during the window.
    expected: float
    #: ``expected`` as a share (0–1) of a typical week's total.
    share: float
    #: 1 = the quietest window of this length in a typical week.
    rank: int
    #: How many windows of this length the week has (168: one per starting hour).
    windows: int

    @property
    def finnish(self) -> str:
        """``la 5.12.2026 klo 22.00 – su 6.12.2026 klo 2.00``."""
        return format_range(self.start, self.end, "fi")

    @property
    def iso(self) -> str:
        """``2026-12-05T22:00+02:00/2026-12-06T02:00+02:00`` (an ISO 8601 interval)."""
        return f"{iso(self.start)}/{iso(self.end)}"

    def to_json(self) -> dict[str, object]:
        return {"start": iso(self.start), "end": iso(self.end), "finnish": self.finnish,
                "expected_users": round(self.expected, 2), "share_of_week": round(self.share, 6),
                "rank": self.rank, "windows": self.windows}


@dataclass(frozen=True)
class Assessment:
    """How a planned window compares with the week (see :func:`assess`)."""

    window: Window
    #: The share of quietest windows that counts as quiet (0.10 = 10 %).
    limit: float
    #: Whether the window is among the quietest ``limit`` of its length.
    quiet: bool
    #: Up to three quieter windows in the same Monday–Sunday week, quietest first.
    better: list[Window] = field(default_factory=list)
    unit: str = "requests"
    statistic: str = STATISTIC

    @property
    def expected(self) -> float:
        return self.window.expected

    @property
    def share(self) -> float:
        return self.window.share

    @property
    def rank(self) -> int:
        return self.window.rank

    @property
    def windows(self) -> int:
        return self.window.windows

    @property
    def quiet_windows(self) -> int:
        """How many of the week's windows count as quiet."""
        return quiet_count(self.limit, self.windows)


# --- profiles -------------------------------------------------------------------


def load_profiles(folder: Path, errors: list[ProfileError] | None = None) -> dict[str, Profile]:
    """Every profile ``folder/ID.csv``, by service id; none if the folder does not exist.

    A file that is not a profile raises :class:`~katko.usage.profiles.ProfileError`, or,
    when ``errors`` is given, is left out and its error recorded there.
    """
    found: dict[str, Profile] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.csv")):
        try:
            found[path.stem] = read_profile(path)
        except ProfileError as exc:
            if errors is None:
                raise
            errors.append(exc)
    return found


def _means(profile: Profile) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(ordinary, holiday) means per hour of the week; a holiday hour without data uses the ordinary one."""
    normal = tuple((r.mean or 0.0) for r in profile.rows[:HOURS_IN_WEEK])
    holiday = tuple(r.mean if r.mean is not None else normal[i]
                    for i, r in enumerate(profile.rows[HOURS_IN_WEEK:2 * HOURS_IN_WEEK]))
    return normal, holiday


# --- holidays and their eves ---------------------------------------------------------


@lru_cache(maxsize=32)
def avoided_days(year: int) -> dict[date, str]:
    """Finnish public holidays of ``year`` and the eve of each (the day before), with names.

    Eves matter as much as the holidays: people do their errands before a long
    weekend (30.4., 5.12., 23.12., 31.12., …). Christmas Eve and Midsummer Eve
    are public holidays in the calendar already.

    >>> days = avoided_days(2026)
    >>> [days[date(2026, 12, d)] for d in (5, 6, 23, 24)]
    ['eve of Independence Day', 'Independence Day', 'eve of Christmas Eve', 'Christmas Eve']
    >>> date(2026, 12, 31) in days and date(2026, 6, 18) in days
    True
    """
    finnish = holidays.Finland(years=(year, year + 1), language="en_US")
    days: dict[date, str] = {}
    for day, name in sorted(finnish.items()):
        eve = day - timedelta(days=1)
        if eve.year == year and eve not in finnish:
            days.setdefault(eve, f"eve of {name}")
        if day.year == year:
            days[day] = name
    return days


@lru_cache(maxsize=32)
def _is_holiday(day: date) -> bool:
    return holiday_name(day) is not None


def _touches_avoided(start: datetime, end: datetime) -> bool:
    first, last = start.astimezone(HELSINKI).date(), (end - timedelta(microseconds=1)).astimezone(HELSINKI).date()
    day = first
    while day <= last:
        if day in avoided_days(day.year):
            return True
        day += timedelta(days=1)
    return False


# --- figures -----------------------------------------------------------------------


def hour_slices(start: datetime, end: datetime) -> list[tuple[datetime, float]]:
    """The local hours a window covers, each with the fraction of it covered.

    Helsinki's offsets are whole hours, so UTC hour boundaries are local ones too.
    """
    start_utc, end_utc = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    hour = start_utc.replace(minute=0, second=0, microsecond=0)
    out = []
    while hour < end_utc:
        nxt = hour + _HOUR
        covered = (min(nxt, end_utc) - max(hour, start_utc)).total_seconds() / 3600
        if covered > 0:
            out.append((hour.astimezone(HELSINKI), covered))
        hour = nxt
    return out


#: Windows up to this long are summed hour by hour. Longer ones are summed by
#: whole local days in closed form (how many Mondays, Tuesdays, ... they hold),
#: with only holidays and the days of a clock change taken hour by hour, so
#: that an outage written as lasting a century costs no more than a short one.
BY_THE_HOUR = timedelta(days=8)


def expected_users(profile: Profile, start: datetime, end: datetime) -> float:
    """The sum of the profile's mean over the hours of ``start``–``end`` (aware datetimes)."""
    normal, holiday = _means(profile)
    if end - start <= BY_THE_HOUR:
        return _by_the_hour(normal, holiday, start, end)
    first = start.astimezone(HELSINKI).date() + timedelta(days=1)
    last = end.astimezone(HELSINKI).date()
    head, tail = _local(first, time(0)), _local(last, time(0))
    return (_by_the_hour(normal, holiday, start, head) + _by_the_day(normal, holiday, first, last)
            + _by_the_hour(normal, holiday, tail, end))


def _by_the_hour(normal: tuple[float, ...], holiday: tuple[float, ...], start: datetime, end: datetime) -> float:
    total = 0.0
    for local, covered in hour_slices(start, end):
        means = holiday if _is_holiday(local.date()) else normal
        total += covered * means[local.weekday() * 24 + local.hour]
    return total


def _by_the_day(normal: tuple[float, ...], holiday: tuple[float, ...], first: date, last: date) -> float:
    """The sum over the whole local days ``first`` (inclusive) to ``last`` (exclusive).

    Every ordinary day of 24 hours adds its weekday's 24 means; the days that are
    not ordinary (a public holiday, or 23 or 25 hours long) are few, a dozen a
    year, and are summed hour by hour in place of their weekday's day.
    """
    days = (last - first).days
    if days <= 0:
        return 0.0
    day_sums = [sum(normal[wd * 24:(wd + 1) * 24]) for wd in range(7)]
    weeks, rest = divmod(days, 7)
    total = sum((weeks + ((wd - first.weekday()) % 7 < rest)) * day_sums[wd] for wd in range(7))
    for day in sorted(_special_days(first, last)):
        total += _by_the_hour(normal, holiday, _local(day, time(0)), _local(day + timedelta(days=1), time(0)))
        total -= day_sums[day.weekday()]
    return total


def _special_days(first: date, last: date) -> set[date]:
    """The public holidays and the clock-change days from ``first`` (inclusive) to ``last`` (exclusive)."""
    found = {day for year in range(first.year, last.year + 1) for day in holiday_days(year)
              if first <= day < last}
    for year in range(first.year, last.year + 1):
        found |= {day for day in clock_changes(year) if first <= day < last}
    return found


@lru_cache(maxsize=256)
def clock_changes(year: int) -> tuple[date, ...]:
    """The days of ``year`` that are not 24 hours long in Helsinki (the clock changes).

    >>> clock_changes(2026)
    (datetime.date(2026, 3, 29), datetime.date(2026, 10, 25))
    """
    def offset(day: date) -> timedelta | None:
        return datetime.combine(day, time(0), HELSINKI).utcoffset()

    found = []
    for month in range(1, 13):
        low = date(year, month, 1)
        high = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        if offset(low) == offset(high):
            continue  # (Helsinki changes its clock at most once a month)
        while (high - low).days > 1:  # the offset at low's midnight differs from high's: halve
            middle = low + (high - low) / 2
            if offset(middle) == offset(low):
                low = middle
            else:
                high = middle
        found.append(low)
    return tuple(found)


def week_total(profile: Profile) -> float:
    """A typical week's total: the sum of the ordinary means over the 168 hours."""
    return sum(_means(profile)[0])


def week_windows(profile: Profile, duration: timedelta) -> list[float]:
    """Expected users of the window of ``duration`` starting at each hour of a typical week.

    Index ``weekday * 24 + hour`` (Monday 0.00 is 0); the week wraps around, so
    a window starting on Sunday evening continues on Monday morning.
    """
    normal = _means(profile)[0]
    hours = duration.total_seconds() / 3600
    whole, part = int(hours), hours - int(hours)
    # Every whole week of the window adds the week's total, whatever its start.
    weeks, whole = divmod(whole, HOURS_IN_WEEK)
    week = weeks * sum(normal)
    sums = []
    for begin in range(HOURS_IN_WEEK):
        value = week + sum(normal[(begin + i) % HOURS_IN_WEEK] for i in range(whole))
        if part:
            value += part * normal[(begin + whole) % HOURS_IN_WEEK]
        sums.append(value)
    return sums


def quiet_count(share: float, windows: int = HOURS_IN_WEEK) -> int:
    """How many of ``windows`` are "the quietest ``share``": 17 of 168 for 10 %."""
    return max(1, math.ceil(share * windows - 1e-9))


def rank_of(expected: float, week: list[float]) -> int:
    """1 + how many of the week's windows are quieter than ``expected`` (ties share the better rank).

    A window busier than every window of a typical week (one over holidays,
    say) is the last of them, not one past the last.

    >>> rank_of(5.0, [1.0, 2.0, 5.0]), rank_of(9.0, [1.0, 2.0, 5.0])
    (3, 3)
    """
    return min(len(week), 1 + sum(1 for v in week if v < expected - 1e-9)) if week else 1


def _window(profile: Profile, start: datetime, end: datetime, week: list[float], total: float) -> Window:
    value = expected_users(profile, start, end)
    return Window(start.astimezone(HELSINKI), end.astimezone(HELSINKI), value,
                  value / total if total else 0.0, rank_of(value, week), len(week))


# --- suggesting ------------------------------------------------------------------------


def _day_range(day: date, not_before: time | None, not_after: time | None) -> tuple[datetime, datetime]:
    """The allowed stretch that starts on ``day``: ``not_before`` to ``not_after`` (next day if earlier)."""
    begin = not_before or time(0)
    start = _local(day, begin)
    if not_after is None or not_after == time(0):
        end_day, end_time = day + timedelta(days=1), time(0)
    elif not_after <= begin:
        end_day, end_time = day + timedelta(days=1), not_after
    else:
        end_day, end_time = day, not_after
    return start, _local(end_day, end_time)


def _local(day: date, clock: time) -> datetime:
    naive = datetime.combine(day, clock)
    try:
        return localize(naive)
    except ValueError:  # a skipped or doubled hour at a DST change: take the first reading
        return naive.replace(tzinfo=HELSINKI).astimezone(timezone.utc).astimezone(HELSINKI)


def candidates(duration: timedelta, first: date, last: date, *, not_before: time | None = None,
               not_after: time | None = None, include_holidays: bool = False,
               after: datetime | None = None) -> list[tuple[datetime, datetime]]:
    """Windows of ``duration`` starting on the hour, lying within ``first`` 0.00 – ``last`` 24.00
    and, each day, within ``not_before``–``not_after`` (which may cross midnight), starting no
    earlier than ``after`` if given."""
    if duration <= timedelta(0):
        raise ValueError("the duration must be positive")
    lower, upper = _local(first, time(0)), _local(last + timedelta(days=1), time(0))
    ranges = [_day_range(first + timedelta(days=i), not_before, not_after)
              for i in range(-1, (last - first).days + 1)]
    out = []
    start = lower.astimezone(timezone.utc)
    while start + duration <= upper:
        end = start + duration
        if (after is None or start >= after) and any(a <= start and end <= b for a, b in ranges) and \
                (include_holidays or not _touches_avoided(start, end)):
            out.append((start.astimezone(HELSINKI), end.astimezone(HELSINKI)))
        start += _HOUR
    return out


def suggest(profile: Profile, duration: timedelta, first: date, last: date, *, not_before: time | None = None,
            not_after: time | None = None, include_holidays: bool = False, limit: int = 5,
            overlapping: bool = False, after: datetime | None = None) -> list[Window]:
    """The quietest windows of ``duration`` between ``first`` and ``last`` (inclusive days), quietest first.

    Holidays and their eves are left out unless ``include_holidays``. Unless
    ``overlapping``, a window overlapping a better one is left out, so that the
    list offers real alternatives rather than the same night shifted by an hour.
    Equal figures keep the earlier window first.
    """
    week, total = week_windows(profile, duration), week_total(profile)
    scored = [_window(profile, s, e, week, total)
              for s, e in candidates(duration, first, last, not_before=not_before, not_after=not_after,
                                     include_holidays=include_holidays, after=after)]
    scored.sort(key=lambda w: (round(w.expected, 9), w.start))
    chosen: list[Window] = []
    for w in scored:
        if len(chosen) >= limit:
            break
        if overlapping or all(w.end <= c.start or c.end <= w.start for c in chosen):
            chosen.append(w)
    return chosen


def week_of(moment: datetime) -> tuple[date, date]:
    """The Monday and Sunday of the Helsinki week ``moment`` falls in."""
    day = moment.astimezone(HELSINKI).date()
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def assess(profile: Profile, start: datetime, end: datetime, share: float = DEFAULT_SHARE, *,
           better: int = 3, after: datetime | None = None, include_holidays: bool = False) -> Assessment:
    """Weigh the window ``start``–``end`` against ``profile``.

    ``better`` lists up to that many quieter windows of the same length that
    start in the same Monday–Sunday week (Helsinki time), avoiding holidays and
    their eves unless ``include_holidays``, and starting no earlier than
    ``after`` (e.g. now) if given.
    """
    duration = end - start
    week, total = week_windows(profile, duration), week_total(profile)
    window = _window(profile, start, end, week, total)
    quiet = window.rank <= quiet_count(share, len(week))
    monday, sunday = week_of(start)
    options = [w for w in suggest(profile, duration, monday, sunday + timedelta(days=1), limit=10 * max(better, 1),
                                  include_holidays=include_holidays, after=after)
               if w.start.date() <= sunday and w.expected < window.expected - 1e-9]
    return Assessment(window, share, quiet, options[:better], profile.unit)


__all__ = ["Assessment", "DEFAULT_SHARE", "STATISTIC", "Window", "assess", "avoided_days", "candidates",
           "expected_users", "hour_slices", "load_profiles", "quiet_count", "rank_of", "suggest", "week_of", "week_total",
           "week_windows", "KINDS"]
