"""Tests for katko.core.timefmt: Helsinki-time notation in Finnish, Swedish and English."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from katko.core.timefmt import HELSINKI, format_date, format_datetime, format_duration, format_range, format_time, iso

UTC = timezone.utc
PLUS3 = timezone(timedelta(hours=3))

# Saturday 5.12.2026 22.00 in Helsinki (EET, +02:00).
START = datetime(2026, 12, 5, 20, 0, tzinfo=UTC)
SAME_DAY_END = datetime(2026, 12, 5, 21, 30, tzinfo=UTC)  # 23.30 local
NEXT_DAY_END = datetime(2026, 12, 6, 0, 0, tzinfo=UTC)  # Sunday 2.00 local
MIDNIGHT_END = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)  # Sunday 0.00 local


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- format_datetime ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "la 5.12.2026 klo 22.00"),
        ("sv", "lö 5.12.2026 kl. 22.00"),
        ("en", "Sat 5 December 2026 at 22:00 (Finnish time)"),
    ],
)
def test_format_datetime(lang: str, expected: str) -> None:
    assert format_datetime(START, lang) == expected


@pytest.mark.parametrize(
    ("dt", "fi", "en"),
    [
        (utc(2026, 12, 7, 0, 0), "ma 7.12.2026 klo 2.00", "Mon 7 December 2026 at 02:00 (Finnish time)"),
        (utc(2026, 12, 6, 22, 5), "ma 7.12.2026 klo 0.05", "Mon 7 December 2026 at 00:05 (Finnish time)"),
        (utc(2026, 1, 1, 10, 0), "to 1.1.2026 klo 12.00", "Thu 1 January 2026 at 12:00 (Finnish time)"),
    ],
)
def test_format_datetime_no_leading_zeros_in_finnish(dt: datetime, fi: str, en: str) -> None:
    assert format_datetime(dt, "fi") == fi
    assert format_datetime(dt, "en") == en


def test_weekdays_all_languages() -> None:
    # Monday 30.11.2026 to Sunday 6.12.2026, noon local.
    days = [utc(2026, 11, 30, 10, 0) + timedelta(days=i) for i in range(7)]
    assert [format_date(d, "fi").split()[0] for d in days] == ["ma", "ti", "ke", "to", "pe", "la", "su"]
    assert [format_date(d, "sv").split()[0] for d in days] == ["må", "ti", "on", "to", "fr", "lö", "sö"]
    assert [format_date(d, "en").split()[0] for d in days] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def test_english_uses_plain_spaces() -> None:
    for text in (
        format_datetime(START, "en"),
        format_range(START, SAME_DAY_END, "en"),
        format_range(START, NEXT_DAY_END, "en"),
        format_range(START, None, "en"),
    ):
        assert "\u202f" not in text and "\u00a0" not in text


# --- time zones --------------------------------------------------------------


def test_utc_and_plus3_inputs_give_helsinki_wall_clock() -> None:
    # Same instant given three ways: UTC, +03:00 and Helsinki itself.
    as_utc = utc(2026, 12, 5, 20, 0)
    as_plus3 = datetime(2026, 12, 5, 23, 0, tzinfo=PLUS3)
    as_helsinki = datetime(2026, 12, 5, 22, 0, tzinfo=HELSINKI)
    for dt in (as_utc, as_plus3, as_helsinki):
        assert format_datetime(dt, "fi") == "la 5.12.2026 klo 22.00"
        assert iso(dt) == "2026-12-05T22:00+02:00"


def test_plus3_input_in_summer_is_helsinki_summer_time() -> None:
    dt = datetime(2026, 7, 1, 9, 0, tzinfo=PLUS3)
    assert format_datetime(dt, "sv") == "on 1.7.2026 kl. 9.00"
    assert iso(dt) == "2026-07-01T09:00+03:00"


def test_utc_input_can_move_to_the_next_local_day() -> None:
    dt = utc(2026, 12, 31, 22, 30)  # 0.30 on New Year's Day in Helsinki
    assert format_date(dt, "fi") == "pe 1.1.2027"
    assert format_time(dt, "fi") == "0.30"


@pytest.mark.parametrize(
    "call",
    [
        lambda dt: format_datetime(dt, "fi"),
        lambda dt: format_date(dt, "sv"),
        lambda dt: format_time(dt, "en"),
        lambda dt: format_range(dt, None, "fi"),
        lambda dt: format_range(START, dt, "fi"),
        iso,
    ],
)
def test_naive_datetime_raises(call) -> None:
    with pytest.raises(ValueError, match="naive"):
        call(datetime(2026, 12, 5, 22, 0))


def test_unknown_language_raises() -> None:
    with pytest.raises(ValueError):
        format_datetime(START, "de")  # type: ignore[arg-type]


# --- daylight saving time, 2026 ---------------------------------------------


def test_spring_forward_range() -> None:
    # 29.3.2026 at 3.00 local clocks jump to 4.00: 2.30 EET to 5.30 EEST.
    start, end = utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 2, 30)
    assert format_range(start, end, "fi") == "su 29.3.2026 klo 2.30–5.30"
    assert format_range(start, end, "sv") == "sö 29.3.2026 kl. 2.30–5.30"
    assert format_range(start, end, "en") == "Sun 29 March 2026, 02:30–05:30 (Finnish time)"
    assert iso(start) == "2026-03-29T02:30+02:00"
    assert iso(end) == "2026-03-29T05:30+03:00"
    # The wall clock shows three hours, but only two pass.
    assert format_duration(end - start, "fi") == "2 h"


def test_fall_back_repeated_hour_is_told_apart() -> None:
    # 25.10.2026: 3.30 local happens twice, first in EEST then in EET; the text says which.
    first, second = utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)
    assert format_datetime(first, "fi") == "su 25.10.2026 klo 3.30 (kesäaikaa)"
    assert format_datetime(second, "fi") == "su 25.10.2026 klo 3.30 (talviaikaa)"
    assert format_datetime(second, "sv") == "sö 25.10.2026 kl. 3.30 (vintertid)"
    assert format_datetime(first, "en") == "Sun 25 October 2026 at 03:30 (Finnish summer time)"
    assert format_range(first, second, "en") == ("Sun 25 October 2026 at 03:30 (Finnish summer time) – "
                                                 "Sun 25 October 2026 at 03:30 (Finnish winter time)")
    assert format_range(first, utc(2026, 10, 25, 3, 0), "en") == ("Sun 25 October 2026 at 03:30 (Finnish summer time)"
                                                                  " – Sun 25 October 2026 at 05:00 (Finnish time)")
    assert iso(first) == "2026-10-25T03:30+03:00"
    assert iso(second) == "2026-10-25T03:30+02:00"
    # Outside the doubled hour nothing is added.
    assert format_datetime(utc(2026, 10, 25, 2, 0), "fi") == "su 25.10.2026 klo 4.00"


def test_fall_back_range_reads_as_it_is() -> None:
    # End is later as an instant although the wall clock reads earlier (issue 11: "klo 3.30–3.30").
    start, end = utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 1, 30)  # 3.30 EEST, 3.30 EET
    assert format_range(start, end, "fi") == "su 25.10.2026 klo 3.30 (kesäaikaa) – su 25.10.2026 klo 3.30 (talviaikaa)"
    assert format_range(utc(2026, 10, 24, 19, 0), end, "sv") == "lö 24.10.2026 kl. 22.00 – sö 25.10.2026 kl. 3.30 (vintertid)"


# --- format_date / format_time ------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fi", "la 5.12.2026"), ("sv", "lö 5.12.2026"), ("en", "Sat 5 December 2026")],
)
def test_format_date(lang: str, expected: str) -> None:
    assert format_date(START, lang) == expected


@pytest.mark.parametrize(
    ("dt", "lang", "expected"),
    [
        (START, "fi", "22.00"),
        (START, "sv", "22.00"),
        (START, "en", "22:00"),
        (utc(2026, 12, 5, 0, 0), "fi", "2.00"),
        (utc(2026, 12, 5, 0, 0), "en", "02:00"),
        (utc(2026, 12, 4, 22, 5), "sv", "0.05"),
        (utc(2026, 12, 4, 22, 5), "en", "00:05"),
    ],
)
def test_format_time(dt: datetime, lang: str, expected: str) -> None:
    assert format_time(dt, lang) == expected


def test_seconds_are_not_shown_in_text() -> None:
    dt = utc(2026, 12, 5, 20, 0, 59)
    assert format_time(dt, "fi") == "22.00"


# --- format_range --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "la 5.12.2026 klo 22.00–23.30"),
        ("sv", "lö 5.12.2026 kl. 22.00–23.30"),
        ("en", "Sat 5 December 2026, 22:00–23:30 (Finnish time)"),
    ],
)
def test_range_same_day(lang: str, expected: str) -> None:
    assert format_range(START, SAME_DAY_END, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "la 5.12.2026 klo 22.00 – su 6.12.2026 klo 2.00"),
        ("sv", "lö 5.12.2026 kl. 22.00 – sö 6.12.2026 kl. 2.00"),
        ("en", "Sat 5 December 2026 at 22:00 – Sun 6 December 2026 at 02:00 (Finnish time)"),
    ],
)
def test_range_across_days(lang: str, expected: str) -> None:
    assert format_range(START, NEXT_DAY_END, lang) == expected


def test_range_across_days_mentions_finnish_time_once() -> None:
    assert format_range(START, NEXT_DAY_END, "en").count("Finnish time") == 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "la 5.12.2026 klo 22.00 alkaen"),
        ("sv", "från lö 5.12.2026 kl. 22.00"),
        ("en", "from Sat 5 December 2026 at 22:00 (Finnish time)"),
    ],
)
def test_range_open_ended(lang: str, expected: str) -> None:
    assert format_range(START, None, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fi", "la 5.12.2026 klo 22.00 – su 6.12.2026 klo 0.00"),
        ("sv", "lö 5.12.2026 kl. 22.00 – sö 6.12.2026 kl. 0.00"),
        ("en", "Sat 5 December 2026 at 22:00 – Sun 6 December 2026 at 00:00 (Finnish time)"),
    ],
)
def test_range_ending_at_midnight(lang: str, expected: str) -> None:
    text = format_range(START, MIDNIGHT_END, lang)
    assert text == expected
    assert "midnight" not in text.lower()
    assert "24" not in text.replace("2026", "")


def test_range_uses_en_dash() -> None:
    assert "\u2013" in format_range(START, SAME_DAY_END, "fi")
    assert "-" not in format_range(START, NEXT_DAY_END, "fi")


def test_range_end_before_start_raises() -> None:
    with pytest.raises(ValueError):
        format_range(SAME_DAY_END, START, "fi")


def test_range_inputs_in_different_offsets() -> None:
    start = datetime(2026, 12, 5, 23, 0, tzinfo=PLUS3)  # 22.00 Helsinki
    end = utc(2026, 12, 5, 21, 30)  # 23.30 Helsinki
    assert format_range(start, end, "fi") == "la 5.12.2026 klo 22.00–23.30"


# --- iso -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dt", "expected"),
    [
        (START, "2026-12-05T22:00+02:00"),
        (utc(2026, 7, 1, 9, 0), "2026-07-01T12:00+03:00"),
        (utc(2026, 12, 5, 20, 0, 15), "2026-12-05T22:00:15+02:00"),
        (utc(2026, 12, 5, 20, 0, 0, 999_999), "2026-12-05T22:00+02:00"),
    ],
)
def test_iso(dt: datetime, expected: str) -> None:
    assert iso(dt) == expected


# --- format_duration ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "fi", "sv", "en"),
    [
        (timedelta(hours=4, minutes=30), "4 h 30 min", "4 h 30 min", "4 h 30 min"),
        (timedelta(hours=4), "4 h", "4 h", "4 h"),
        (timedelta(minutes=45), "45 min", "45 min", "45 min"),
        (timedelta(hours=36), "36 h", "36 h", "36 h"),
        (timedelta(hours=48), "48 h", "48 h", "48 h"),
        (timedelta(hours=49), "2 vrk 1 h", "2 dygn 1 h", "2 days 1 h"),
        (timedelta(days=3, hours=2), "3 vrk 2 h", "3 dygn 2 h", "3 days 2 h"),
        (timedelta(days=3), "3 vrk", "3 dygn", "3 days"),
        (timedelta(days=3, minutes=15), "3 vrk 15 min", "3 dygn 15 min", "3 days 15 min"),
        (timedelta(0), "0 min", "0 min", "0 min"),
        (timedelta(minutes=89, seconds=40), "1 h 30 min", "1 h 30 min", "1 h 30 min"),
    ],
)
def test_format_duration(delta: timedelta, fi: str, sv: str, en: str) -> None:
    assert format_duration(delta, "fi") == fi
    assert format_duration(delta, "sv") == sv
    assert format_duration(delta, "en") == en


def test_negative_duration_raises() -> None:
    with pytest.raises(ValueError):
        format_duration(timedelta(minutes=-1), "fi")
