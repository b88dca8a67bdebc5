"""Dates, weekdays and clock times as editors write them in a record's texts.

Editors copy earlier notices, and the dates inside the copied texts are the
commonest mistake: a weekday that is not that date's ("pe 16.1.2027", a
Saturday), or a time that is not the outage's. :func:`scan` finds what a text
says in Finnish, Swedish or English, so that :mod:`katko.records.rules` can compare it
with the calendar and the record's own times, and :mod:`katko.authoring.drafts` can
replace or mark it in a copied text.

Forms read (the language's own only, so that the English "on" is no weekday):

* Finnish: ``la 16.1.2027``, ``lauantaina 16.1.``, ``16. tammikuuta 2027``,
  ``klo 2.00``, ``klo 2.00–4.00``, ``klo 2``;
* Swedish: ``lö 16.1.2027``, ``fre 4.12``, ``lördagen 16.1``, ``16 januari``,
  ``kl. 2.00``, ``kl. 2.00–4.00``;
* English: ``Sat 16 January 2027``, ``Saturday, 16 January``, ``January 16``,
  ``16.1.2027``, ``at 2:00``, ``from 7:50 to 11:20``, ``8:00–18:00``.

A date without a year is given the year that puts it nearest to ``near``
(the outage's start), so "ma 4.1." in a notice of 28.12.2026 is in 2027.

>>> [(m.text, m.day.isoformat(), m.weekday) for m in scan("Katko pe 16.1.2027 klo 2.00–4.00.", "fi", date(2027, 1, 1))]
[('pe 16.1.2027', '2027-01-16', 4)]
>>> [(c.text, c.minutes) for c in scan("Katko pe 16.1.2027 klo 2.00–4.00.", "fi", date(2027, 1, 1))[0].clocks]
[('2.00', 120), ('4.00', 240)]
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

# Monday first, as date.weekday() counts.
_WEEKDAY_NAMES = {
    "fi": (("maanantai", "ma"), ("tiistai", "ti"), ("keskiviikko", "ke"), ("torstai", "to"),
           ("perjantai", "pe"), ("lauantai", "la"), ("sunnuntai", "su")),
    "sv": (("måndag", "må", "mån"), ("tisdag", "ti", "tis"), ("onsdag", "on", "ons"), ("torsdag", "to", "tor"),
           ("fredag", "fr", "fre"), ("lördag", "lö", "lör"), ("söndag", "sö", "sön")),
    "en": (("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"), ("thursday", "thu", "thur", "thurs"),
           ("friday", "fri"), ("saturday", "sat"), ("sunday", "sun")),
}
_MONTHS = {
    "fi": ("tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta", "heinäkuuta",
           "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"),
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december"),
    "en": ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"),
}
#: Words that say when without a date: a copied title with one of them speaks of another time.
_RELATIVE = {
    "fi": r"tänään|huomenna|eilen|tänä\w*|ensi\s+\w+|illalla|yöllä|aamulla|iltapäivällä|viikonloppuna",
    "sv": r"i\s*dag|i\s*morgon|i\s*går|i\s*kväll|i\s*natt|ikväll|inatt|imorgon|idag|kvällen|natten|morgonen|"
          r"helgen|förmiddagen|eftermiddagen",
    "en": r"today|tomorrow|yesterday|tonight|evening|night|morning|afternoon|weekend",
}
_DASH = r"\s*[–—-]\s*"
_DIGIT = re.compile(r"\d")
_GAP = re.compile(r"[\s,]*")
_CLOCK_WORD = {"fi": r"klo|kello", "sv": r"kl\.?|klockan", "en": r"at|from|by|until|till|before|after"}


@dataclass(frozen=True)
class Clock:
    """A clock time in a text: where it is, and minutes from midnight."""

    start: int
    end: int
    text: str
    minutes: int

    @property
    def hour(self) -> int:
        return self.minutes // 60


@dataclass(frozen=True)
class Mention:
    """A date (with the weekday and clock times written next to it), or a clock time or a word
    that says when without a date (``day`` None)."""

    start: int
    end: int
    text: str
    kind: str  # "date", "clock" or "when" (a weekday alone, or a word such as "tonight")
    day: date | None = None
    #: The weekday the text names (0 = Monday), if it names one.
    weekday: int | None = None
    #: Whether the year is written.
    year: bool = False
    #: Clock times written after the date (a range gives two), or the clock itself.
    clocks: tuple[Clock, ...] = field(default=())

    @property
    def wrong_weekday(self) -> bool:
        return self.day is not None and self.weekday is not None and self.day.weekday() != self.weekday


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _weekday_pattern(lang: str) -> str:
    full = [names[0] for names in _WEEKDAY_NAMES[lang]]
    short = [n for names in _WEEKDAY_NAMES[lang] for n in names[1:]]
    # A full name may be inflected (lauantaina, lördagen); a short one stands alone.
    return rf"\b(?P<wd>(?:{_alternation(full)})\w*|(?:{_alternation(short)})\b\.?)"


def _date_pattern(lang: str) -> str:
    months = _alternation(list(_MONTHS[lang]))
    numeric = r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})?" if lang != "sv" else \
        r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<y>\d{4})|\.)?"
    if lang == "fi":
        named = rf"(?P<nd>\d{{1,2}})\.\s+(?P<nm>{months})(?:\s+(?P<ny>\d{{4}}))?"
    elif lang == "sv":
        named = rf"(?P<nd>\d{{1,2}})\s+(?P<nm>{months})(?:\s+(?P<ny>\d{{4}}))?"
    else:
        named = (rf"(?P<nd>\d{{1,2}})\s+(?P<nm>{months})(?:,?\s+(?P<ny>\d{{4}}))?"
                 rf"|(?P<nm2>{months})\s+(?P<nd2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<ny2>\d{{4}}))?")
    return rf"(?:{named}|{numeric})(?![\d:])"


def _clock_pattern(lang: str) -> str:
    one = r"\d{1,2}[.:]\d{2}" if lang != "en" else r"\d{1,2}:\d{2}"
    lead = rf"\b(?:{_CLOCK_WORD[lang]})\s+"
    if lang == "en":
        # Any h:mm in English is a time; in Finnish and Swedish 2.10 may be a date, so "klo" is needed.
        return rf"(?:{lead})?(?P<c1>{one})(?:(?:{_DASH}|\s+(?:to|and|until)\s+)(?P<c2>{one}))?(?!\d)"
    # "klo 16.10 – 20.10. klo 10.30": what follows the dash is a date when a clock word follows it.
    date_next = rf"(?!\.?\s*(?:{_CLOCK_WORD[lang]})\b)"
    return (rf"{lead}(?P<c1>{one}|\d{{1,2}}(?![.:\d]))"
            rf"(?:{_DASH}(?P<c2>{one}{date_next}|\d{{1,2}}(?![.:\d])))?")


def _minutes(text: str) -> int | None:
    hour, _, minute = text.replace(":", ".").partition(".")
    h, m = int(hour), int(minute or 0)
    return h * 60 + m if h <= 24 and m < 60 else None


@lru_cache(maxsize=4096)
def _weekday_of(word: str, lang: str) -> int | None:
    lowered = word.lower().rstrip(".")
    for index, names in enumerate(_WEEKDAY_NAMES[lang]):
        if lowered in names[1:] or lowered.startswith(names[0]):
            return index
    return None


@lru_cache(maxsize=4096)
def _year_near(day: int, month: int, near: date) -> date | None:
    candidates = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    return min(candidates, key=lambda d: abs(d - near), default=None)


def _starting(*firsts: str, digit: bool = True) -> str:
    """A look at the first character: a mention starts with a digit or the first letter of one of ``firsts``.

    The patterns begin with it so that the search passes over the characters
    no mention starts with at once, instead of trying every alternative at each.
    """
    letters = re.escape("".join(sorted({word[0] for word in firsts})))
    return rf"(?=[\d{letters}])" if digit else rf"(?=[{letters}])"


@lru_cache(maxsize=None)
def _with_weekday(lang: str) -> re.Pattern[str]:
    """The dates of ``lang`` written with a weekday, as the date pattern of :func:`_compiled` finds them.

    That pattern finds the same ones: a date without a weekday starts with a
    digit, or in English a month's name, and no weekday's name starts inside
    one. Starting with a weekday, the search passes over the rest at once.
    """
    weekdays = [name for names in _WEEKDAY_NAMES[lang] for name in names]
    return re.compile(rf"{_starting(*weekdays, digit=False)}{_weekday_pattern(lang)}[,\s]+(?:the\s+)?"
                      rf"{_date_pattern(lang)}", re.IGNORECASE)


@lru_cache(maxsize=None)
def _compiled(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The clock, date and lone-word patterns of ``lang``, built once: building them costs more than a scan."""
    # Finnish and Swedish need the word before a time; in English it may stand alone.
    clock = re.compile(_starting(*_CLOCK_WORD[lang].split("|"), digit=lang == "en") + _clock_pattern(lang),
                       re.IGNORECASE)
    # A date starts with its weekday or its day, or in English with its month (January 16).
    weekdays = [name for names in _WEEKDAY_NAMES[lang] for name in names]
    months = _MONTHS[lang] if lang == "en" else ()
    dated = re.compile(rf"{_starting(*weekdays, *months)}(?:{_weekday_pattern(lang)}[,\s]+(?:the\s+)?)?"
                       rf"{_date_pattern(lang)}", re.IGNORECASE)
    lone = re.compile(rf"\b(?:{_alternation([n[0] for n in _WEEKDAY_NAMES[lang]])})\w*|\b(?:{_RELATIVE[lang]})\b",
                      re.IGNORECASE)
    return clock, dated, lone


def _clocks(text: str, lang: str, offset: int = 0) -> list[tuple[int, int, tuple[Clock, ...]]]:
    found = []
    for match in _compiled(lang)[0].finditer(text):
        clocks = []
        for group in ("c1", "c2"):
            if match.group(group):
                minutes = _minutes(match.group(group))
                if minutes is not None:
                    clocks.append(Clock(offset + match.start(group), offset + match.end(group),
                                        match.group(group), minutes))
        if clocks:
            found.append((offset + match.start(), offset + match.end(), tuple(clocks)))
    return found


def scan(text: str, lang: str, near: date, *, words: bool = True) -> list[Mention]:
    """What ``text`` (in ``lang``) says about dates and times, in order of appearance; with
    ``words=False`` only its dates and clock times, not a weekday alone or a word such as "tonight"."""
    if lang not in _WEEKDAY_NAMES or not (words or _DIGIT.search(text)):
        return []  # every date and clock time has a digit
    _, pattern, lone = _compiled(lang)
    clocks = _clocks(text, lang)
    # The clock times do not overlap and come in order: by their starts, the one around or after a place.
    starts = [start for start, _, _ in clocks]
    mentions: list[Mention] = []
    for match in pattern.finditer(text):
        if match.group("d") and not match.group("wd"):
            before = bisect_right(starts, match.start("d")) - 1
            if before >= 0 and match.start("d") < clocks[before][1]:
                continue  # a clock time such as "klo 2.10", not a date
        # Clock times right after the date belong to it: only the first after it can be, as any later
        # one has that one's digits between.
        after = bisect_left(starts, match.end())
        attached = clocks[after][2] if after < len(clocks) and _GAP.fullmatch(text, match.end(), starts[after]) \
            else ()
        if lang == "sv" and match.group("d") and not (match.group("y") or match.group("wd") or attached
                                                       or match.group(0).endswith(".")):
            continue  # "1.12" alone is as likely a decimal number as a Swedish date
        parsed = _parse_date(match, lang, near)
        if parsed is None:
            continue
        day, has_year = parsed
        weekday = _weekday_of(match.group("wd"), lang) if match.group("wd") else None
        mentions.append(Mention(match.start(), match.end(), match.group(0), "date", day, weekday, has_year,
                                attached))
    used = {c for m in mentions for c in m.clocks}
    for start, end, found in clocks:
        if not set(found) & used:
            mentions.append(Mention(start, end, text[start:end], "clock", clocks=found))
    if not words:
        return sorted(mentions, key=lambda m: m.start)
    dated = [(m.start, m.end) for m in mentions]
    for match in lone.finditer(text):
        if not any(s <= match.start() < e for s, e in dated):
            mentions.append(Mention(match.start(), match.end(), match.group(0), "when",
                                    weekday=_weekday_of(match.group(0), lang)))
    return sorted(mentions, key=lambda m: m.start)


def wrong_weekdays(text: str, lang: str, near: date) -> list[Mention]:
    """The dates of ``text`` written with a weekday that is not theirs, as :func:`scan` finds them.

    A date with its weekday is a date whatever clock times stand around it, so
    this reads only the dates: the clock times cost as much again.

    >>> [m.text for m in wrong_weekdays("Katko pe 16.1.2027 klo 2.00 ja su 17.1.", "fi", date(2027, 1, 1))]
    ['pe 16.1.2027']
    """
    if lang not in _WEEKDAY_NAMES or not _DIGIT.search(text):
        return []
    found = []
    for match in _with_weekday(lang).finditer(text):
        weekday = _weekday_of(match.group("wd"), lang)
        if weekday is not None:
            parsed = _parse_date(match, lang, near)
            if parsed is not None and parsed[0].weekday() != weekday:
                found.append(Mention(match.start(), match.end(), match.group(0), "date", parsed[0], weekday,
                                     parsed[1]))
    return found


def _parse_date(match: re.Match[str], lang: str, near: date) -> tuple[date, bool] | None:
    groups = match.groupdict()
    if groups.get("d"):
        day, month, year = int(groups["d"]), int(groups["m"]), groups.get("y")
    else:
        name = (groups.get("nm") or groups.get("nm2") or "").lower()
        day = int(groups.get("nd") or groups.get("nd2") or 0)
        month = _MONTHS[lang].index(name) + 1
        year = groups.get("ny") or groups.get("ny2")
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year:
        try:
            return date(int(year), month, day), True
        except ValueError:
            return None
    found = _year_near(day, month, near)
    return (found, False) if found else None


# --------------------------------------------------------------------------- #
# Writing a date or time again, in the style it was written in
# --------------------------------------------------------------------------- #


def weekday_word(old: str, weekday: int, lang: str) -> str:
    """``old`` (a weekday as written) turned into ``weekday``, keeping its form and case.

    >>> weekday_word("lauantaina", 6, "fi"), weekday_word("pe", 5, "fi"), weekday_word("Fri", 5, "en")
    ('sunnuntaina', 'la', 'Sat')
    """
    names = _WEEKDAY_NAMES[lang]
    was = _weekday_of(old, lang)
    if was is None:
        return old
    lowered = old.lower().rstrip(".")
    if lowered in names[was][1:]:
        new = names[weekday][min(names[was].index(lowered), len(names[weekday]) - 1)]
    else:
        new = names[weekday][0] + old[len(names[was][0]):]
    new += "." if old.endswith(".") and not new.endswith(".") else ""
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def rewrite_date(mention: Mention, new: date, lang: str) -> str:
    """The date mention's text with ``new`` in place of its date (and weekday), in the same form.

    >>> m = scan("la 28.11.", "fi", date(2026, 11, 1))[0]
    >>> rewrite_date(m, date(2027, 1, 16), "fi")
    'la 16.1.'
    >>> m = scan("Saturday 28 November 2026", "en", date(2026, 11, 1))[0]
    >>> rewrite_date(m, date(2027, 1, 17), "en")
    'Sunday 17 January 2027'
    """
    text = mention.text
    match = re.fullmatch(rf"(?:{_weekday_pattern(lang)}(?P<sep>[,\s]+(?:the\s+)?))?{_date_pattern(lang)}", text,
                         re.IGNORECASE)
    if match is None or mention.day is None:
        return text
    groups = match.groupdict()
    out = ""
    if groups.get("wd"):
        out += weekday_word(groups["wd"], new.weekday(), lang) + groups["sep"]
    if groups.get("d"):
        out += f"{new.day}.{new.month}"
        if groups.get("y"):
            out += f".{new.year}"
        elif text.endswith("."):
            out += "."
        return out
    month = _MONTHS[lang][new.month - 1]
    written = groups.get("nm") or groups.get("nm2") or ""
    month = month.capitalize() if written[:1].isupper() else month
    year = f" {new.year}" if groups.get("ny") or groups.get("ny2") else ""
    if groups.get("nm2"):
        return out + f"{month} {new.day}{year}"
    return out + (f"{new.day}. {month}{year}" if lang == "fi" else f"{new.day} {month}{year}")


def rewrite_clock(clock: Clock, minutes: int, lang: str) -> str:
    """A clock time written again for ``minutes`` from midnight, in the same form.

    >>> rewrite_clock(Clock(0, 4, "2.00", 120), 22 * 60 + 30, "fi"), rewrite_clock(Clock(0, 5, "02:00", 120), 90, "en")
    ('22.30', '01:30')
    """
    hour, minute = divmod(minutes % (24 * 60), 60)
    separator = ":" if ":" in clock.text else "."
    if separator not in clock.text:
        return str(hour) if minute == 0 else f"{hour}.{minute:02d}"
    hours = f"{hour:02d}" if len(clock.text.split(separator)[0]) == 2 and clock.text.startswith("0") else str(hour)
    return f"{hours}{separator}{minute:02d}"


