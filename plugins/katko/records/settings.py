"""The site's settings, from one place: the ``katko`` entry of ``mkdocs.yml``.

The MkDocs plugin (for the build) and ``katko check`` (for pull requests) read
the same options with the same defaults, :data:`OPTIONS`, so that a record the
check passes is one the build accepts: a site that requires English fails the
check too. The build's "now" comes from ``KATKO_NOW``.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..core.i18n import N_
from .model import LANGUAGES, Policy
from ..core.times import TimeError, parse_time

if TYPE_CHECKING:
    from .channels import NotifyConfig

#: The options of the ``katko`` plugin in mkdocs.yml, and their defaults.
OPTIONS: dict[str, Any] = {
    "records": "outages",
    "locales": "locales",
    "languages": list(LANGUAGES),
    # The Language Act: Finnish and Swedish.
    "required_languages": ["fi", "sv"],
    "recent_days": 7,
    "feed_days": 30,
    "search_days": 365,
    # The settings of 'katko notify', relative to mkdocs.yml.
    "notify": "notify.yml",
    # Where the editors read the record guide (katko check's hints link there); None: the staff site's page.
    "guide_url": None,
    "internal": False,
}
CONFIG_NAME = "mkdocs.yml"

#: Options that are a number of days, and the range they may take: a hundred years at
#: most, or the dates computed from them would leave the calendar.
DAY_OPTIONS = ("recent_days", "feed_days", "search_days")
MAX_DAYS = 36_500
BAD_DAYS = N_("the katko option '%(option)s' must be a whole number of days from 0 to %(limit)s, not %(value)s")
BAD_DAYS_HINT = N_("Set the option in mkdocs.yml, under 'plugins: - katko:', to a number of days such as 30.")


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why.

    ``option``, ``msgid`` and ``values``, when given, say which katko option of mkdocs.yml
    is wrong, in a message that can be shown in the reader's language (:mod:`katko.records.messages`).
    """

    def __init__(self, message: str, option: str | None = None, msgid: str = "",
                 values: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.option, self.msgid, self.values = option, msgid, values or {}


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
        raise SettingsError(BAD_DAYS % values, name, BAD_DAYS, values)
    return value


@dataclass(frozen=True)
class Settings:
    #: Languages the site is published in, the first being the default.
    languages: tuple[str, ...] = tuple(OPTIONS["languages"])
    #: Languages every public text must have.
    required_languages: tuple[str, ...] = tuple(OPTIONS["required_languages"])
    #: How long an ended outage stays on the home page.
    recent: timedelta = timedelta(days=OPTIONS["recent_days"])
    #: How long an ended or cancelled outage stays in the feeds.
    feed_window: timedelta = timedelta(days=OPTIONS["feed_days"])
    #: How long an ended or cancelled outage is searchable in full; after that, by
    #: its title and summary only (the archive still lists it, its page still says all).
    search_window: timedelta = timedelta(days=OPTIONS["search_days"])
    #: The site's public address, ending in '/': feeds and calendars need absolute links.
    site_url: str = "http://127.0.0.1:8000/"
    #: The moment statuses are computed for (``KATKO_NOW`` in tests and reproducible builds).
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    #: A planned outage outside this share of the week's quietest windows of its
    #: length is warned about (K230), for services with a usage profile. None:
    #: the catalogue policy's ``quiet_share`` (10 % by default).
    low_usage_share: float | None = None
    #: The channels of ``katko notify`` (``notify.yml``): the Subscribe page shows
    #: how to join its e-mail lists, and the feeds name its WebSub hub.
    notify: NotifyConfig | None = None

    def __post_init__(self) -> None:
        unknown = [lang for lang in (*self.languages, *self.required_languages) if lang not in LANGUAGES]
        if unknown:
            raise SettingsError(f"unknown language {unknown[0]!r}; Katko knows {', '.join(LANGUAGES)}")
        missing = [lang for lang in self.required_languages if lang not in self.languages]
        if missing:
            raise SettingsError(f"required language {missing[0]!r} is not among the site's languages")
        if self.low_usage_share is not None and not 0 < self.low_usage_share <= 1:
            raise SettingsError(f"low_usage_share must be more than 0 and at most 1 (10 % is 0.10), "
                                f"not {self.low_usage_share}")

    def quiet_share(self, policy: Policy) -> float:
        """The share of quietest windows that counts as low usage: this setting, or the policy's."""
        return self.low_usage_share if self.low_usage_share is not None else policy.quiet_share / 100

    @property
    def optional_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang not in self.required_languages)

    @classmethod
    def from_options(cls, options: Mapping[str, Any], **given: Any) -> Settings:
        """Settings from the plugin's options (missing ones at their defaults) and ``given`` values.

        >>> Settings.from_options({"required_languages": ["fi", "sv", "en"], "recent_days": 3}).recent.days
        3
        """
        merged = {**OPTIONS, **options}
        days = {name: day_option(name, merged[name]) for name in DAY_OPTIONS}
        values = {"languages": tuple(merged["languages"]), "required_languages": tuple(merged["required_languages"]),
                  "recent": timedelta(days=days["recent_days"]), "feed_window": timedelta(days=days["feed_days"]),
                  "search_window": timedelta(days=days["search_days"])}
        return cls(**{**values, **given})


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


def read_mkdocs(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """A MkDocs configuration as plain data, with what it INHERITs."""
    if path.resolve() in seen:
        raise SettingsError(f"{path}: INHERIT goes round in a circle")
    try:
        data = copy.deepcopy(_parsed(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SettingsError(f"{path}: cannot be read: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: not a MkDocs configuration")
    parent = data.pop("INHERIT", None)
    if isinstance(parent, str):
        data = _merge(read_mkdocs(path.parent / parent, (*seen, path.resolve())), data)
    return data


def read_config(path: Path) -> dict[str, Any]:
    """The ``katko`` plugin's options in the MkDocs configuration at ``path`` (INHERIT followed),
    with ``site_url``; only what the file gives."""
    data = read_mkdocs(path)
    options: dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if entry == "katko":
            options = {}
        elif isinstance(entry, dict) and "katko" in entry:
            options = dict(entry["katko"] or {})
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise SettingsError(f"{path}: unknown katko option '{unknown[0]}' (known: {', '.join(OPTIONS)})")
    if data.get("site_url"):
        options["site_url"] = str(data["site_url"])
    return options


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
