"""The settings records are checked and a site is built with: languages, windows, "now".

They come from the ``katko`` entry of ``mkdocs.yml`` (:mod:`katko.config`),
read alike by the MkDocs plugin and ``katko check``; tests make them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any


from .model import LANGUAGES, Policy

if TYPE_CHECKING:
    # Only for the annotation: 'katko check' reads no notify.yml unless there is one, and its
    # models cost more to build than a check of one record (start-up time).
    from .channels import NotifyConfig

class SettingsError(ValueError):
    """A setting that cannot be used; the message says which and why.

    ``option``, ``msgid`` and ``values``, when given, say which katko option of mkdocs.yml
    is wrong, in a message that can be shown in the reader's language (:mod:`katko.records.messages`),
    and ``hint`` (a msgid) how to put it right. ``code`` is the problem's code (``K4xx``), and
    ``file`` and ``where`` (a path into that file's YAML, its key's place with ``key``) say where
    the mistake is written when it is not the option's value in the mkdocs.yml read.
    """

    def __init__(self, message: str, option: str | None = None, msgid: str = "",
                 values: dict[str, Any] | None = None, hint: str = "", *, code: str = "",
                 file: Path | None = None, where: tuple[Any, ...] | None = None, key: bool = False) -> None:
        super().__init__(message)
        self.option, self.msgid, self.values, self.hint = option, msgid, values or {}, hint
        self.code, self.file, self.where, self.key = code, file, where, key


@dataclass(frozen=True)
class Settings:
    #: Languages the site is published in, the first being the default.
    languages: tuple[str, ...] = LANGUAGES
    #: Languages every public text must have.
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
