"""The site's configuration: the ``katko`` entry of ``mkdocs.yml``, declared once.

:class:`SiteConfig` is every option with its type, default and meaning. The
MkDocs plugin declares its options from it (:mod:`katko.plugin`) and
``katko check`` reads the same file with :func:`read_config`, so that a record
the check passes is one the build accepts: a site that requires English fails
the check too. :meth:`SiteConfig.settings` makes the
:class:`~katko.records.settings.Settings` records are checked and the site is
built with; the build's "now" comes from ``KATKO_NOW``.

This module also finds a records folder's site and language, and where its
editors read the record guide.
"""

from __future__ import annotations

import copy
import difflib
import locale
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .core.i18n import N_
from .core.times import TimeError, parse_time
from .records import codes, diagnostics, messages
from .records.loading import display
from .records.model import LANGUAGES
from .records.settings import Settings, SettingsError
from .records.yamlsource import Document


@dataclass(frozen=True)
class SiteConfig:
    """The options of the ``katko`` plugin in mkdocs.yml, with their defaults."""

    records: str = "outages"
    """Folder of the outage records and ``services.yml``, relative to mkdocs.yml."""
    locales: str = "locales"
    """Folder of the gettext catalogs, relative to mkdocs.yml."""
    languages: tuple[str, ...] = LANGUAGES
    """Languages of the site; the first is the default."""
    required_languages: tuple[str, ...] = ("fi", "sv")
    """Languages every public text must have (the Language Act: Finnish and Swedish)."""
    recent_days: int = 7
    """How many days an ended outage stays on the home page."""
    feed_days: int = 30
    """How many days an ended or cancelled outage stays in the feeds."""
    search_days: int = 365
    """How many days an ended or cancelled outage is searchable in full; then by title and summary."""
    notify: str = "notify.yml"
    """The settings of ``katko notify`` (e-mail lists, webhooks, a WebSub hub), relative to
    mkdocs.yml; without the file, none. The Subscribe page and the feeds use them too."""
    guide_url: str | None = None
    """Where the editors read the record guide, ``{lang}`` standing for the language, if not on
    the internal staff site (``LANG/internal/guide/`` under mkdocs.internal.yml's site_url):
    the hints of ``katko check`` link there (:func:`guide_address`)."""
    internal: bool = False
    """Build the authority's internal staff site instead of the public one
    (``mkdocs.internal.yml``): planning, follow-up and the ``internal:`` sections.
    Publish it only on the intranet."""

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> SiteConfig:
        """The options given (others at their defaults), the numbers of days checked.

        >>> SiteConfig.from_options({"required_languages": ["fi", "sv", "en"], "recent_days": 3}).recent_days
        3
        """
        unknown = sorted(set(options) - set(OPTIONS), key=str)
        if unknown:
            raise unknown_option(unknown[0])
        merged = {name: option_value(name, value) for name, value in {**OPTIONS, **options}.items()}
        missing = [lang for lang in merged["required_languages"] if lang not in merged["languages"]]
        if missing:
            values = {"language": missing[0], "languages": ", ".join(merged["languages"])}
            raise SettingsError(NOT_A_SITE_LANGUAGE % values, "required_languages", NOT_A_SITE_LANGUAGE, values,
                                LANGUAGES_HINT, code=BAD_OPTION)
        return cls(**merged)

    def settings(self, **given: Any) -> Settings:
        """The settings records are checked and the site is built with; ``given`` ones
        (``now``, ``site_url``, ``low_usage_share``, ...) win.

        >>> SiteConfig(recent_days=3).settings().recent.days
        3
        """
        values = {"languages": self.languages, "required_languages": self.required_languages,
                  "recent": timedelta(days=self.recent_days), "feed_window": timedelta(days=self.feed_days),
                  "search_window": timedelta(days=self.search_days)}
        return Settings(**{**values, **given})


#: Every option and its default, as mkdocs.yml writes it (a list for a tuple).
OPTIONS: dict[str, Any] = {f.name: list(f.default) if isinstance(f.default, tuple) else f.default
                           for f in fields(SiteConfig)}
CONFIG_NAME = "mkdocs.yml"
NO_SITE_URL = N_("set site_url in mkdocs.yml: the feeds and calendars need the site's full address")

#: Options that are a number of days, and the range they may take: a hundred years at
#: most, or the dates computed from them would leave the calendar.
DAY_OPTIONS = ("recent_days", "feed_days", "search_days")
MAX_DAYS = 36_500
BAD_DAYS = N_("the katko option '%(option)s' must be a whole number of days from 0 to %(limit)s, not %(value)s")
BAD_DAYS_HINT = N_("Set the option in mkdocs.yml, under 'plugins: - katko:', to a number of days such as 30.")


BAD_LANGUAGES = N_("the katko option '%(option)s' must be a list of the languages %(known)s, each at most "
                   "once, not %(value)s")
LANGUAGES_HINT = N_("Write the languages in mkdocs.yml, under 'plugins: - katko:', as a list such as "
                    "[fi, sv, en]; the first is the site's own, and the required ones are among them.")
NOT_A_SITE_LANGUAGE = N_("the katko option 'required_languages' names '%(language)s', which is not one of the "
                         "site's languages (%(languages)s)")
BAD_TEXT = N_("the katko option '%(option)s' must be a text, not %(value)s")
TEXT_HINT = N_("Write the option in mkdocs.yml, under 'plugins: - katko:', as a text such as a folder's name "
               "or an address.")
BAD_SWITCH = N_("the katko option '%(option)s' must be true or false, not %(value)s")
SWITCH_HINT = N_("Write the option in mkdocs.yml, under 'plugins: - katko:', as true or false.")
UNKNOWN_OPTION = N_("unknown katko option '%(option)s'; the options are %(known)s")
MISSPELT_OPTION = N_("unknown katko option '%(option)s': did you mean '%(suggestion)s'? The options are %(known)s")
#: The codes of mistakes in the site's configuration (katko.records.codes).
UNKNOWN, BAD_OPTION = "K406", "K407"


def unknown_option(option: Any) -> SettingsError:
    """An option the katko plugin does not have, with the known one it most resembles (a typo).

    >>> unknown_option("recrods").values["suggestion"]
    'records'
    """
    name = str(option)[:40]
    close = difflib.get_close_matches(name, OPTIONS, n=1, cutoff=0.6)
    msgid = MISSPELT_OPTION if close else UNKNOWN_OPTION
    values = {"option": name, "known": ", ".join(OPTIONS), **({"suggestion": close[0]} if close else {})}
    return SettingsError(msgid % values, option, msgid, values, codes.hint(UNKNOWN), code=UNKNOWN, key=True)


def _written(value: Any) -> str:
    """A value as mkdocs.yml wrote it, short, for a message."""
    return repr(value)[:40]


def option_value(name: str, value: Any) -> Any:
    """The value of the katko option ``name`` as :class:`SiteConfig` holds it, or
    :class:`SettingsError` saying why it cannot be used (a value MkDocs' own checks let
    through, or one that ``katko check`` reads without them).

    >>> option_value("languages", ["sv", "fi"]), option_value("records", "notices")
    (('sv', 'fi'), 'notices')
    >>> option_value("languages", "fi")
    Traceback (most recent call last):
    ...
    katko.records.settings.SettingsError: the katko option 'languages' must be a list of the languages fi, sv, en, each at most once, not 'fi'
    """
    default = OPTIONS[name]
    if name in DAY_OPTIONS:
        return day_option(name, value)
    if isinstance(default, list):
        if (not isinstance(value, list) or (name == "languages" and not value)
                or not all(isinstance(lang, str) and lang in LANGUAGES for lang in value)
                or len(set(value)) != len(value)):
            values = {"option": name, "known": ", ".join(LANGUAGES), "value": _written(value)}
            raise SettingsError(BAD_LANGUAGES % values, name, BAD_LANGUAGES, values, LANGUAGES_HINT,
                                code=BAD_OPTION)
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            values = {"option": name, "value": _written(value)}
            raise SettingsError(BAD_SWITCH % values, name, BAD_SWITCH, values, SWITCH_HINT, code=BAD_OPTION)
        return value
    if not isinstance(value, str) and not (default is None and value is None):
        values = {"option": name, "value": _written(value)}
        raise SettingsError(BAD_TEXT % values, name, BAD_TEXT, values, TEXT_HINT, code=BAD_OPTION)
    return value


def day_option(name: str, value: Any) -> int:
    """The number of days of the option ``name``, or :class:`SettingsError`.

    >>> day_option("feed_days", 30)
    30
    >>> day_option("recent_days", -1)
    Traceback (most recent call last):
    ...
    katko.records.settings.SettingsError: the katko option 'recent_days' must be a whole number of days from 0 to 36500, not -1
    """
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        values = {"option": name, "limit": MAX_DAYS, "value": repr(value)[:40] if not isinstance(value, int) else value}
        raise SettingsError(BAD_DAYS % values, name, BAD_DAYS, values, BAD_DAYS_HINT, code=BAD_OPTION)
    return value


# --------------------------------------------------------------------------- #
# Reading mkdocs.yml without MkDocs
# --------------------------------------------------------------------------- #


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as plain data: tags such as ``!ENV`` or ``!!python/name:`` are read as null."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """MkDocs' INHERIT: mappings merge key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in over.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) \
            else value
    return merged


@lru_cache(maxsize=8)
def _parsed(text: str) -> Any:
    """A configuration's text parsed, once per text: a check reads mkdocs.yml for its settings,
    its language and its notify.yml (callers get a copy to change)."""
    return yaml.load(text, Loader=_ConfigLoader) or {}


#: Mistakes in the shape of an mkdocs.yml (katko.records.codes K401–K405, K407).
NOT_A_CONFIGURATION = N_("the site's settings must be written as 'name: value' lines, not %(kind)s")
A_LIST = N_("as a list")
A_VALUE = N_("as a single value")
INHERIT_LOOP = N_("INHERIT names %(file)s, which leads back to this file: the configurations go round in a "
                  "circle")
INHERIT_MISSING = N_("INHERIT names %(file)s, but there is no such file")
PLUGINS_NOT_A_LIST = N_("'plugins' must be a list of plugins, not %(value)s")
NO_KATKO = N_("the katko plugin is not among the site's plugins, so the build would make no notice pages")
OPTIONS_NOT_A_MAPPING = N_("the katko plugin's options must be written as 'name: value' lines under "
                           "'- katko:', not as %(value)s")
OPTIONS_HINT = N_("Indent each option under '- katko:' as 'name: value', for example 'records: outages'.")


def _located(code: str, msgid: str, source: Path, where: tuple[Any, ...], *, key: bool = False, hint: str = "",
             **values: Any) -> SettingsError:
    """A mistake in the shape of the configuration ``source``, written at ``where`` in it."""
    text = messages.ENGLISH.text(msgid, messages.params(**values))
    return SettingsError(f"{source}: {text}", None, msgid, values, hint or codes.hint(code), code=code,
                         file=source, where=where, key=key)


def read_mkdocs(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A MkDocs configuration as plain data, with what it INHERITs; :class:`SettingsError`,
    located where the mistake is written, if it is no mapping or its INHERIT leads nowhere."""
    try:
        data = copy.deepcopy(_parsed(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SettingsError(f"{path}: cannot be read: {exc}", file=path) from None
    if not isinstance(data, dict):
        kind = messages.Term(A_LIST if isinstance(data, list) else A_VALUE)
        raise _located("K401", NOT_A_CONFIGURATION, path, (), kind=kind)
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        inherited = path.parent / parent
        if inherited.resolve() in (*seen, path.resolve()):
            raise _located("K402", INHERIT_LOOP, path, ("INHERIT",), file=parent)
        if not inherited.is_file():
            raise _located("K403", INHERIT_MISSING, path, ("INHERIT",), file=parent)
        data = _merge(read_mkdocs(inherited, (*seen, path.resolve())), data)
    return data


def read_config(path: Path) -> dict[str, Any]:
    """The ``katko`` plugin's options in the MkDocs configuration at ``path`` (INHERIT followed),
    with ``site_url``; only what the file gives. :class:`SettingsError`, located, if the file is
    no MkDocs configuration or has no katko plugin to read."""
    data = read_mkdocs(path)
    where, options = katko_entry(data, path)
    if where is None:
        raise _located("K405", NO_KATKO, _origin(path, ("plugins",)), ("plugins",), key=True)
    options = dict(options)
    if data.get("site_url"):
        options["site_url"] = str(data["site_url"])
    return options


def katko_entry(data: Mapping[str, Any], path: Path | None = None) -> tuple[tuple[Any, ...] | None, Mapping[str, Any]]:
    """Where the katko plugin's entry is in an mkdocs.yml's ``data`` (the last one, as MkDocs
    reads a list or a mapping of plugins; None if there is none) and its options;
    :class:`SettingsError` (K404, K407) if the plugins or its options are not written as lists
    and mappings.

    >>> katko_entry({"plugins": ["search", {"katko": {"records": "notices"}}]})
    (('plugins', 1, 'katko'), {'records': 'notices'})
    >>> katko_entry({"plugins": {"katko": None}})
    (('plugins', 'katko'), {})
    """
    plugins = data.get("plugins") or []
    if isinstance(plugins, Mapping):
        entries = [(("plugins", name), {name: value}) for name, value in plugins.items()]
    elif isinstance(plugins, list):
        entries = [(("plugins", index), entry) for index, entry in enumerate(plugins)]
    else:
        raise _located("K404", PLUGINS_NOT_A_LIST, _origin(path, ("plugins",)), ("plugins",), value=_written(plugins))
    found: tuple[tuple[Any, ...] | None, Mapping[str, Any]] = (None, {})
    for where, entry in entries:
        if entry == "katko":
            found = (where, {})
        elif isinstance(entry, Mapping) and "katko" in entry:
            where = where if where[-1] == "katko" else (*where, "katko")
            options = entry["katko"] if entry["katko"] is not None else {}
            if not isinstance(options, Mapping):
                raise _located(BAD_OPTION, OPTIONS_NOT_A_MAPPING, _origin(path, where), where, hint=OPTIONS_HINT,
                               value=_written(options))
            found = (where, options)
    return found


def katko_options(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The options of the katko plugin in an mkdocs.yml's data; none if they cannot be read
    (``katko check`` and the build report why)."""
    try:
        return katko_entry(data)[1]
    except SettingsError:
        return {}


def _origin(config: Path | None, where: tuple[Any, ...]) -> Path:
    """Which file of ``config``'s INHERIT chain writes the value at ``where``: the nearest that
    has it (an inherited list is replaced whole, so its items' places are that file's)."""
    file, seen = config, set()
    while file is not None and file.resolve() not in seen:
        seen.add(file.resolve())
        try:
            data = _parsed(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            break
        node: Any = data
        for part in where:
            has = (isinstance(node, Mapping) and part in node) or (
                isinstance(node, list) and isinstance(part, int) and part < len(node))
            node = node[part] if has else _NOTHING
        if node is not _NOTHING:
            return file
        parent = data.get("INHERIT") if isinstance(data, dict) else None
        file = file.parent / parent if isinstance(parent, str) else None
    return config if config is not None else Path(CONFIG_NAME)


_NOTHING = object()


def now_from_environment(environ: os._Environ[str] | dict[str, str] = os.environ) -> datetime:
    """``KATKO_NOW`` if set (ISO 8601 or Finnish local time), else the real time.

    >>> now_from_environment({"KATKO_NOW": "2026-12-01T12:00:00+02:00"}).isoformat()
    '2026-12-01T12:00:00+02:00'
    >>> now_from_environment({"KATKO_NOW": "now"}).year >= 2026
    True
    """
    value = environ.get("KATKO_NOW", "").strip()
    if not value or value.lower() == "now":
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        return parse_time(value)
    except TimeError as exc:
        raise SettingsError(f"KATKO_NOW: {exc}") from None


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


def site_languages(config: Path) -> tuple[str, ...]:
    """The languages of the katko plugin in ``config``, the first being the site's own;
    ``()`` if the file says nothing that can be used."""
    data = _readable(config)
    languages = katko_options(data).get("languages")
    if isinstance(languages, list) and languages and all(lang in LANGUAGES for lang in languages):
        return tuple(languages)
    theme = data.get("theme")
    if isinstance(theme, Mapping) and theme.get("language") in LANGUAGES:
        return (theme["language"],)
    return ()


def _readable(config: Path) -> dict[str, Any]:
    """An mkdocs.yml as plain data (:func:`read_mkdocs`); ``{}`` if it cannot be read (the
    build reports that, not ``katko check``)."""
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
            return lang if lang in LANGUAGES else None
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
    given = katko_options(_readable(config)).get("guide_url")
    if isinstance(given, str) and given:
        return given.replace("{lang}", lang)
    internal = config.with_name("mkdocs.internal.yml")
    site_url = _readable(internal).get("site_url") if internal.is_file() else None
    if isinstance(site_url, str) and site_url.startswith(("https://", "http://")):
        return site_url.rstrip("/") + "/" + GUIDE_PAGE.format(lang=lang)
    return None


def option_problem(exc: SettingsError, config: Path | None) -> diagnostics.Diagnostic:
    """A mistake in ``config`` (a mkdocs.yml) or in what it inherits, as a problem at the line
    and column where it is written, for the build's log and for ``katko check``: a katko
    option that cannot be used, or a configuration of the wrong shape (:func:`read_mkdocs`)."""
    if exc.where is not None:
        file, where = exc.file or config, exc.where
    else:
        entry = None
        try:
            entry = katko_entry(read_mkdocs(config))[0] if config is not None and config.is_file() else None
        except SettingsError:
            pass
        where = (*entry, exc.option) if entry is not None else ()
        file = _origin(config, where) if entry is not None else config
    line = column = 1
    if file is not None and file.is_file():
        text = file.read_text(encoding="utf-8", errors="replace")
        try:
            line, column = Document(str(file), None, text).position(where, key=exc.key)
        except yaml.YAMLError:
            pass
    name = display(file) if file is not None else CONFIG_NAME
    return diagnostics.Diagnostic(name, line, column, "error", exc.code, exc.msgid, exc.hint or BAD_DAYS_HINT,
                                  messages.params(**exc.values))
