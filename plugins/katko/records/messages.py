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

import locale
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.i18n import N_
from ..core.shipped import project_files

if TYPE_CHECKING:
    from .diagnostics import Diagnostic

LANGS = ("fi", "sv", "en")

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
        from ..core.timefmt import format_range, iso
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
        from ..core.timefmt import format_day
        from ..core.workdays import holiday_name
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
        from .yamlsource import describe
        return describe(self.path) if self.path else texts.gettext(THE_FILE)


@dataclass(frozen=True, order=True)
class Decimal:
    """A figure with a fixed number of decimals, in the reader's notation: ``1 234,5``, ``1,234.5``."""

    value: float
    digits: int = 1

    def show(self, texts: Texts) -> str:
        text = f"{self.value:,.{self.digits}f}"
        if texts.lang in ("fi", "sv"):
            # Finnish and Swedish group thousands with a space and use a decimal comma.
            return text.replace(",", " ").replace(".", ",")
        return text


LANGUAGE_NAMES = {"fi": N_("Finnish (fi)"), "sv": N_("Swedish (sv)"), "en": N_("English (en)")}
AND = N_("%(first)s and %(last)s")
OR = N_("%(first)s or %(last)s")
THE_FILE = N_("the file")


# --------------------------------------------------------------------------- #
# One language's texts
# --------------------------------------------------------------------------- #


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
        from ..core import timefmt
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

    def message(self, d: Diagnostic) -> str:
        return self.text(d.msgid, d.params)

    def hint(self, d: Diagnostic) -> str:
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
    from ..core import i18n
    return i18n.load(locales(), lang)


def texts(lang: str) -> Texts:
    """The texts of ``lang`` from Katko's catalogs."""
    catalog = translations(lang)
    return Texts(lang, catalog.gettext, catalog.ngettext)


# --------------------------------------------------------------------------- #
# Which language: --lang, else the site's first language, else the locale
# --------------------------------------------------------------------------- #


def site_config(start: Path) -> Path | None:
    """The ``mkdocs.yml`` of the site a records folder belongs to: in it or above it."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "mkdocs.yml").is_file():
            return candidate / "mkdocs.yml"
    return None


def katko_options(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The options of the katko plugin in an mkdocs.yml's data."""
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, Mapping) and isinstance(plugin.get("katko"), Mapping):
            return plugin["katko"]
    return {}


def site_languages(config: Path) -> tuple[str, ...]:
    """The languages of the katko plugin in ``config``, the first being the site's own;
    ``()`` if the file says nothing that can be used."""
    data = read_config(config)
    languages = katko_options(data).get("languages")
    if isinstance(languages, list) and languages and all(lang in LANGS for lang in languages):
        return tuple(languages)
    theme = data.get("theme")
    if isinstance(theme, Mapping) and theme.get("language") in LANGS:
        return (theme["language"],)
    return ()


def read_config(config: Path) -> dict[str, Any]:
    """An mkdocs.yml as plain data (:func:`katko.records.settings.read_mkdocs`); ``{}`` if it cannot
    be read (the build reports that, not ``katko check``)."""
    from .settings import SettingsError, read_mkdocs
    try:
        return read_mkdocs(config)
    except SettingsError:
        return {}


def locale_language(environ: Mapping[str, str] = os.environ) -> str | None:
    """The language of the user's locale, if Katko speaks it.

    >>> locale_language({"LANG": "sv_FI.UTF-8"}), locale_language({"LC_ALL": "C"})
    ('sv', None)
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            lang = locale.normalize(value).split("_")[0].split(".")[0]
            return lang if lang in LANGS else None
    return None


def choose(option: str | None, records: Path, environ: Mapping[str, str] = os.environ) -> str:
    """``--lang``, else the first language of the site the records belong to, else the locale, else English."""
    if option:
        return option
    config = site_config(records)
    languages = site_languages(config) if config else ()
    return languages[0] if languages else locale_language(environ) or "en"


# --------------------------------------------------------------------------- #
# Where the record guide is
# --------------------------------------------------------------------------- #

#: The record guide's address on the internal staff site, under its site_url.
GUIDE_PAGE = "{lang}/internal/guide/"


def guide_address(config: Path | None, lang: str) -> str | None:
    """Where the editors of the site read the record guide in ``lang``.

    The katko plugin's ``guide_url`` in mkdocs.yml if given (``{lang}`` in it
    becomes the language), else the guide page of the site's internal staff site
    (``mkdocs.internal.yml`` beside it), which every site made by ``katko init``
    has; None when neither is known.
    """
    if config is None:
        return None
    given = katko_options(read_config(config)).get("guide_url")
    if isinstance(given, str) and given:
        return given.replace("{lang}", lang)
    internal = config.with_name("mkdocs.internal.yml")
    site_url = read_config(internal).get("site_url") if internal.is_file() else None
    if isinstance(site_url, str) and site_url.startswith(("https://", "http://")):
        return site_url.rstrip("/") + "/" + GUIDE_PAGE.format(lang=lang)
    return None
