"""Site settings shared by the CLI and the MkDocs plugin, and the build's "now"."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from .model import LANGUAGES, Policy
from .times import TimeError, parse_time

if TYPE_CHECKING:
    from .notify.config import NotifyConfig


class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    #: Languages the site is published in, the first being the default.
    languages: tuple[str, ...] = LANGUAGES
    #: Languages every public text must have (the Language Act: Finnish and Swedish).
    required_languages: tuple[str, ...] = ("fi", "sv")
    #: How long an ended outage stays on the home page.
    recent: timedelta = timedelta(days=7)
    #: How long an ended or cancelled outage stays in the feeds.
    feed_window: timedelta = timedelta(days=30)
    #: How long an ended or cancelled outage is searchable in full; after that, by
    #: its title and summary only (the archive still lists it, its page still says all).
    search_window: timedelta = timedelta(days=365)
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
