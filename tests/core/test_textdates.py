"""Dates, weekdays and times in a record's texts (issue 11, point 4): reading them in
Finnish, Swedish and English, and the warnings K231-K233 with their line and column."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from katko.records import messages, loading as records
from katko.records.settings import Settings
from katko.core.textdates import scan
from katko.core.times import parse_time

FIXTURES = Path(__file__).parents[1] / "fixtures"
NEAR = date(2027, 1, 10)


def read(text: str, lang: str) -> list[tuple[str, str | None, int | None, list[int]]]:
    return [(m.text, m.day.isoformat() if m.day else None, m.weekday, [c.minutes for c in m.clocks])
            for m in scan(text, lang, NEAR)]


@pytest.mark.parametrize(("lang", "text", "found"), [
    ("fi", "Katko pe 16.1.2027 klo 2.00–4.00.", [("pe 16.1.2027", "2027-01-16", 4, [120, 240])]),
    ("fi", "lauantaina 16.1. kello 22", [("lauantaina 16.1.", "2027-01-16", 5, [1320])]),
    ("fi", "16. tammikuuta 2027", [("16. tammikuuta 2027", "2027-01-16", None, [])]),
    ("fi", "ma–pe klo 9.00–16.00", [("klo 9.00–16.00", None, None, [540, 960])]),
    ("sv", "lö 16.1.2027 kl. 2.00–4.00", [("lö 16.1.2027", "2027-01-16", 5, [120, 240])]),
    ("sv", "senast fre 4.12 och lördagen 16.1", [("fre 4.12", "2026-12-04", 4, []),
                                                  ("lördagen 16.1", "2027-01-16", 5, [])]),
    ("sv", "version 2.10 och kl. 2.10", [("kl. 2.10", None, None, [130])]),
    ("en", "Saturday, 16 January 2027 from 7:50 to 11:20",
     [("Saturday, 16 January 2027", "2027-01-16", 5, [470, 680])]),
    ("en", "by Friday January 15 at 02:00", [("Friday January 15", "2027-01-15", 4, [120])]),
    # The English "on" and "to" are no weekdays.
    ("en", "paid on 18.11. to 22.11.", [("18.11.", "2026-11-18", None, []), ("22.11.", "2026-11-22", None, [])]),
    ("en", "Saturday night", [("Saturday", None, 5, []), ("night", None, None, [])]),
])
def test_forms_read(lang: str, text: str, found: list[tuple[str, str | None, int | None, list[int]]]) -> None:
    assert read(text, lang) == found


def test_a_date_without_a_year_is_the_nearest_to_the_outage() -> None:
    assert [m.day for m in scan("ma 4.1.", "fi", date(2026, 12, 28))] == [date(2027, 1, 4)]
    assert [m.day for m in scan("ma 28.12.", "fi", date(2027, 1, 4))] == [date(2026, 12, 28)]


def test_a_range_after_a_date_does_not_swallow_the_next_date() -> None:
    # "klo 16.10 – 20.10. klo 10.30": the second part is a date.
    found = read("19.10. klo 16.10 – 20.10. klo 10.30", "fi")
    assert found == [("19.10.", "2026-10-19", None, [970]), ("20.10.", "2026-10-20", None, [630])]


def check(tmp_path: Path, old: str, new: str) -> list[tuple[str, int, int, Any]]:
    outages = tmp_path / "outages"
    outages.mkdir(parents=True)
    shutil.copy(FIXTURES / "services.yml", outages / "services.yml")
    text = (FIXTURES / "valid.yml").read_text(encoding="utf-8")
    assert old in text
    (outages / "valid.yml").write_text(text.replace(old, new), encoding="utf-8")
    _, report = records.load([outages], Settings(now=parse_time("2026-12-01T12:00:00+02:00")))
    return [(d.code, d.line, d.column, (d.msgid, d.params)) for d in report.sorted() if d.severity != "note"]


def test_every_language_is_checked_with_its_line_and_column(tmp_path: Path) -> None:
    # The outage is la 5.12.2026 22.00 – su 6.12.2026 2.00.
    found = check(tmp_path, "summary:\n  fi: Palvelinvaihto.\n  sv: Byte av server.\n",
                  "summary:\n  fi: Palvelinvaihto la 5.12.2026 klo 22.00–2.00.\n"
                  "  sv: >-\n    Byte av server\n    fr 5.12.2026 kl. 22.00–2.00.\n"
                  "  en: Server change on Saturday 5 December at 21:00.\n")
    assert [(code, line, column) for code, line, column, _ in found] == [("K231", 14, 5), ("K233", 15, 47)]
    english = messages.ENGLISH
    assert english.text(*found[0][3]) == \
        "summary.sv: 'fr 5.12.2026' names the wrong weekday: the date is Sat 5 December 2026"
    assert english.text(*found[1][3]).startswith(
        "summary.en names the time 21:00 on Sat 5 December 2026, which is not the outage's start or end "
        "(Sat 5 December 2026 at 22:00, Sun 6 December 2026 at 02:00)")
    assert messages.texts("fi").text(*found[0][3]) == \
        "summary.sv: kohdassa 'fr 5.12.2026' on väärä viikonpäivä: päivämäärä on la 5.12.2026"


def test_the_time_of_an_early_end_is_the_outages(tmp_path: Path) -> None:
    summary = ("summary:\n  fi: Palvelinvaihto la 5.12.2026 klo 22.00 – su 6.12.2026 klo 1.35.\n"
               "  sv: Byte av server.\n")
    found = check(tmp_path / "a", "summary:\n  fi: Palvelinvaihto.\n  sv: Byte av server.\n", summary)
    assert [(code, line) for code, line, *_ in found] == [("K233", 11)]
    # An update that ended it at 1.35 makes 1.35 one of its times (written after the end, as
    # editors do; checked here before it, when the update is still ahead: K207).
    ended = summary + ("updates:\n  - time: 2026-12-06 01:35\n    status: ended\n    text:\n"
                       "      fi: Päättyi.\n      sv: Upphörde.\n")
    found = check(tmp_path / "b", "summary:\n  fi: Palvelinvaihto.\n  sv: Byte av server.\n", ended)
    assert [code for code, *_ in found] == ["K207"]
