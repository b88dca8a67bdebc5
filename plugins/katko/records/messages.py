"""Problem messages in the editor's language, translated when they are shown.

A :class:`~katko.records.diagnostics.Diagnostic` carries its message as a *msgid*: an
English text with ``%(name)s`` fields, marked ``N_("…")`` where it is written
so that ``pybabel extract`` finds it, and the values of the fields. The hint is
the code's msgid from :mod:`katko.records.codes`. Nothing is formatted until a
:class:`Texts` of one language shows the problem: the msgid is looked up in
that language's catalog (``locales/``, the same catalogs as the site's texts)
and each value is written as a reader of that language writes it. A rule thus
needs no language of its own, and a new rule is translated by adding its texts
to the catalogs.

Values are written per language as follows:

- a :class:`~datetime.datetime`: the short weekday, the date and the time in
  Finnish time, as :mod:`katko.core.timefmt` writes them (``ti 1.12.2026 klo 12.00``);
- a :class:`~datetime.date`: the weekday and the date; a
  :class:`~datetime.timedelta`: hours and minutes;
- :class:`Period`, :class:`Holiday`, :class:`Languages`, :class:`OneOf`,
  :class:`Term`, :class:`Place` and :class:`Decimal`: see each;
- a tuple: its items, separated by commas; anything else: ``str()``.

>>> from datetime import datetime, timezone
>>> start = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
>>> ENGLISH.text("the outage starts %(start)s", (("start", start),))
'the outage starts Tue 1 December 2026 at 12:00'
>>> Texts("fi", lambda s: "katko alkaa %(start)s").text("the outage starts %(start)s", (("start", start),))
'katko alkaa ti 1.12.2026 klo 12.00'
>>> Texts("sv", lambda s: s).text("%(start)s", (("start", start),))
'ti 1.12.2026 kl. 12.00'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ..core import i18n, timefmt
from ..core.i18n import N_
from ..core.shipped import project_files
from ..core.timefmt import format_day, format_range, iso
from ..core.workdays import holiday_name

Params = tuple[tuple[str, Any], ...]


def params(**values: Any) -> Params:
    """The fields of a message, in the hashable, orderable form a Diagnostic keeps.

    >>> params(b=2, a="x")
    (('a', 'x'), ('b', 2))
    """
    return tuple(sorted((name, _hashable(v)) for name, v in values.items()))


def _hashable(value: Any) -> Any:
    """``value`` with its lists as tuples; a mapping or set (never meant as a field) as its text."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, (dict, set, frozenset)):
        return str(value)
    return value


# --------------------------------------------------------------------------- #
# Values that are written differently in each language
# --------------------------------------------------------------------------- #


@dataclass(frozen=True, order=True)
class Period:
    """An outage window, ``ke 2.12.2026 klo 2.00–5.00``; with ``iso``, followed by the
    ISO 8601 interval to copy into a record."""

    start: datetime
    end: datetime
    iso: bool = False

    def show(self, texts: Texts) -> str:
        text = format_range(self.start, self.end, texts.lang, zone=False)  # type: ignore[arg-type]
        return f"{text} ({iso(self.start)}/{iso(self.end)})" if self.iso else text


@dataclass(frozen=True, order=True)
class Series:
    """Items separated by semicolons, for items that have commas of their own."""

    items: tuple[Any, ...]

    def show(self, texts: Texts) -> str:
        return "; ".join(texts.show(item) for item in self.items)


@dataclass(frozen=True, order=True)
class Holiday:
    """A public holiday by its name in the reader's language, with its day:
    ``itsenäisyyspäivä su 6.12.2026``."""

    day: date

    def show(self, texts: Texts) -> str:
        name = holiday_name(self.day, texts.lang) or ""
        if texts.lang != "en":
            name = name[:1].lower() + name[1:]  # a common noun inside a Finnish or Swedish sentence
        return f"{name} {format_day(self.day, texts.lang)}"  # type: ignore[arg-type]


@dataclass(frozen=True, order=True)
class Languages:
    """Language codes as words joined with 'and': ``suomenkielinen (fi) ja ruotsinkielinen (sv)``."""

    codes: tuple[str, ...]

    def show(self, texts: Texts) -> str:
        return texts.join([texts.gettext(LANGUAGE_NAMES[code]) for code in self.codes], AND)


@dataclass(frozen=True, order=True)
class OneOf:
    """Allowed values, quoted and joined with 'or': ``'planned' tai 'unplanned'``."""

    values: tuple[str, ...]

    def show(self, texts: Texts) -> str:
        return texts.join([f"'{v}'" for v in self.values], OR)


@dataclass(frozen=True, order=True)
class Term:
    """A word or phrase that is itself translated (a msgid marked with ``N_``)."""

    msgid: str

    def show(self, texts: Texts) -> str:
        return texts.gettext(self.msgid)


@dataclass(frozen=True, order=True)
class Phrase:
    """A message within a message: a msgid and its own fields."""

    msgid: str
    values: Params = ()

    def show(self, texts: Texts) -> str:
        return texts.text(self.msgid, self.values)


@dataclass(frozen=True, order=True)
class Place:
    """Where in a file: ``updates[2].text``, or "the file" for the whole of it."""

    path: tuple[Any, ...]

    def show(self, texts: Texts) -> str:
        return describe(self.path) if self.path else texts.gettext(THE_FILE)


def describe(path: tuple[Any, ...]) -> str:
    """A path into a document as readers count: ``updates[2].text``, lists numbered from 1.

    >>> describe(("updates", 1, "text"))
    'updates[2].text'
    """
    text = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return text or "the file"


@dataclass(frozen=True, order=True)
class Decimal:
    """A figure in the reader's notation (:func:`katko.core.timefmt.format_number`): ``1 234,5``,
    ``1,234.5``; ``digits`` decimals, or None for as many as it has (up to 3)."""

    value: float
    digits: int | None = 1

    def show(self, texts: Texts) -> str:
        # A plain space between thousands: messages are read in terminals and logs.
        return timefmt.format_number(self.value, texts.lang, self.digits).replace("\xa0", " ")  # type: ignore[arg-type]


LANGUAGE_NAMES = {"fi": N_("Finnish (fi)"), "sv": N_("Swedish (sv)"), "en": N_("English (en)")}
AND = N_("%(first)s and %(last)s")
OR = N_("%(first)s or %(last)s")
THE_FILE = N_("the file")


# --------------------------------------------------------------------------- #
# One language's texts
# --------------------------------------------------------------------------- #


class Problem(Protocol):
    """What a :class:`Texts` shows of a problem (a :class:`~katko.records.diagnostics.Diagnostic`)."""

    msgid: str
    params: Params
    hint: str


class Texts:
    """Everything ``katko check`` says, in one language."""

    def __init__(self, lang: str, gettext: Callable[[str], str],
                 ngettext: Callable[[str, str, int], str] | None = None) -> None:
        self.lang = lang
        self.gettext = gettext
        self._ngettext = ngettext or (lambda singular, plural, n: singular if n == 1 else plural)

    def show(self, value: Any) -> str:
        if hasattr(value, "show"):
            return str(value.show(self))
        lang: Any = self.lang
        if isinstance(value, datetime):
            return timefmt.format_datetime(value, lang, zone=False)
        if isinstance(value, date):
            return timefmt.format_day(value, lang)
        if isinstance(value, timedelta):
            return timefmt.format_duration(value, lang)
        if isinstance(value, tuple):
            return ", ".join(self.show(item) for item in value)
        return str(value)

    def join(self, items: list[str], last_word: str) -> str:
        if len(items) < 2:
            return "".join(items)
        return self.gettext(last_word) % {"first": ", ".join(items[:-1]), "last": items[-1]}

    def text(self, msgid: str, values: Params = ()) -> str:
        """``msgid`` in this language, its fields filled in."""
        translated = self.gettext(msgid)
        if not values:
            return translated
        return translated % {name: self.show(value) for name, value in values}

    def message(self, d: Problem) -> str:
        return self.text(d.msgid, d.params)

    def hint(self, d: Problem) -> str:
        return self.gettext(d.hint) if d.hint else ""

    def word(self, msgid: str, **values: Any) -> str:
        return self.text(msgid, params(**values))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        """``count`` things: the singular or plural msgid, translated, with ``%(count)s`` filled in."""
        return self._ngettext(singular, plural, count) % {"count": count}


#: English without any catalog: the msgids are English.
ENGLISH = Texts("en", lambda msgid: msgid)


def locales() -> Path:
    """Katko's own catalogs: the messages of the Katko that is running, whatever a site's copy holds."""
    return project_files() / "locales"


@lru_cache(maxsize=None)
def translations(lang: str) -> Any:
    """Katko's catalog of ``lang`` (:class:`~katko.core.i18n.CatalogError` if it is broken)."""
    return i18n.load(locales(), lang)


def texts(lang: str) -> Texts:
    """The texts of ``lang`` from Katko's catalogs."""
    catalog = translations(lang)
    return Texts(lang, catalog.gettext, catalog.ngettext)
