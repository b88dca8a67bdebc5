"""The notice site's structure: which pages exist, in which languages, with what data.

:class:`Site` turns a valid :class:`~katko.records.Dataset` and the build's
"now" into :class:`Page` descriptions. It decides nothing about HTML (that is
:mod:`katko.render`) nor about MkDocs (that is :mod:`katko.plugin`).

Addresses are the same in every language but for the first part, so a page's
other-language versions are always found: ``fi/outages/ID/`` ↔ ``sv/outages/ID/``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .model import Outage, Service
from .phase import Phase, phase
from .records import Dataset, Record
from .settings import Settings
from .times import HELSINKI

if TYPE_CHECKING:
    from .planning import Planning

#: How many past outages a service page lists before pointing to the archive.
SERVICE_PAST_LIMIT = 10

#: Where the staff site's pages are, under each language: a link that leaks is
#: plainly internal, and no address is shared with the public site.
INTERNAL = "internal/"


@dataclass(frozen=True)
class Notice:
    """An outage as the site shows it: the record and its phase at build time."""

    record: Record
    phase: Phase
    services: tuple[Service, ...]
    #: Whether search indexes the whole notice; one that ended long ago is found by
    #: its title and summary only (``Settings.search_window``), which keeps the
    #: index small on a site with years of history.
    searchable: bool = True

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def outage(self) -> Outage:
        return self.record.outage

    @property
    def key(self) -> str:
        return f"outages/{self.id}/"

    @property
    def ended_at(self) -> datetime:
        """When the outage ended or was cancelled, for ordering past outages."""
        return self.outage.end or self.outage.last_updated

    @property
    def back_since(self) -> datetime | None:
        """For an ended outage, when the service was back in use: the end, or the
        update that announced an earlier end. None unless the outage has ended."""
        if self.phase != "ended":
            return None
        o = self.outage
        closing = next((u.time for u in o.updates if u.status in ("ended", "resolved")), None)
        if closing is None:
            return o.end
        return min(closing, o.end) if o.end is not None else closing

    @property
    def changed_at(self) -> datetime:
        """The record's last change as the record states it: its publication, its
        latest update (a cancellation or a change of times is announced as one),
        or its end once it has ended. Never the build time.
        """
        stated = self.outage.last_updated
        # Ended by the clock: the end is the change. Ended by an update (early,
        # or resolved): that update is, and the planned end may lie ahead.
        if self.phase == "ended" and self.outage.end is not None \
                and self.outage.effective_status not in ("ended", "resolved"):
            return max(stated, self.outage.end)
        return stated

    @property
    def revision(self) -> int:
        """A number that grows with every stated change: minutes from publication
        to the last change. Calendars use it as SEQUENCE."""
        return int((self.changed_at - self.outage.public_from).total_seconds() // 60)


@dataclass(frozen=True)
class Page:
    """One page in one language. ``key`` is its address without the language."""

    kind: str
    key: str
    lang: str
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: Whether the page goes into the search index.
    search: bool = True

    @property
    def path(self) -> str:
        """The page's address relative to the site root, ending in '/'."""
        return f"{self.lang}/{self.key}" if self.kind != "root" else ""


class Site:
    """The public notice site; or, given a :class:`~katko.planning.Planning`, the
    authority's internal staff site, which has only the staff's pages."""

    def __init__(self, dataset: Dataset, settings: Settings, planning: Planning | None = None) -> None:
        self.dataset = dataset
        self.settings = settings
        self.planning = planning
        self.now = settings.now
        services = dataset.services
        self.services: list[Service] = list(services.values())
        self.notices: list[Notice] = []
        for r in dataset.records:
            if r.outage.public_from > self.now:
                continue
            notice = Notice(r, phase(r.outage, self.now), tuple(services[s] for s in r.outage.services if s in services))
            if notice.phase in ("ended", "cancelled") and notice.ended_at < self.now - settings.search_window:
                notice = replace(notice, searchable=False)
            self.notices.append(notice)

    # ----------------------------------------------------------------------- #
    # Groupings
    # ----------------------------------------------------------------------- #

    def in_phase(self, wanted: Phase) -> list[Notice]:
        return [n for n in self.notices if n.phase == wanted]

    @cached_property
    def current(self) -> dict[str, list[Notice]]:
        """The home page's sections: ongoing, upcoming, and recently ended or cancelled."""
        since = self.now - self.settings.recent
        recent = [n for n in self.notices if n.phase in ("ended", "cancelled") and n.ended_at >= since]
        return {
            "ongoing": self.in_phase("ongoing"),
            "upcoming": self.in_phase("upcoming"),
            "recent": sorted(recent, key=lambda n: (n.ended_at, n.id), reverse=True),
        }

    def subscribed(self, service_id: str | None = None) -> list[Notice]:
        """What feeds list: ongoing and upcoming outages, and those that ended or were
        cancelled within the feed window; newest change first. Older ones are in the archive."""
        since = self.now - self.settings.feed_window
        notices = self.by_service.get(service_id, []) if service_id else self.notices
        chosen = [n for n in notices if n.phase in ("ongoing", "upcoming") or n.changed_at >= since]
        return sorted(chosen, key=lambda n: (n.changed_at, n.id), reverse=True)

    @cached_property
    def past(self) -> list[Notice]:
        """Ended and cancelled outages, newest first."""
        done = [n for n in self.notices if n.phase in ("ended", "cancelled")]
        return sorted(done, key=lambda n: (n.outage.start, n.id), reverse=True)

    @cached_property
    def by_service(self) -> dict[str, list[Notice]]:
        grouped: dict[str, list[Notice]] = defaultdict(list)
        for notice in self.notices:
            for service in notice.services:
                grouped[service.id].append(notice)
        return grouped

    @cached_property
    def archive(self) -> dict[int, list[Notice]]:
        """Past outages by the year they started in (Finnish time), newest year first."""
        years: dict[int, list[Notice]] = defaultdict(list)
        for notice in self.past:
            years[notice.outage.start.astimezone(HELSINKI).year].append(notice)
        return dict(sorted(years.items(), reverse=True))

    # ----------------------------------------------------------------------- #
    # Pages
    # ----------------------------------------------------------------------- #

    @property
    def internal(self) -> bool:
        return self.planning is not None

    @property
    def home(self) -> str:
        """The key of each language's front page."""
        return INTERNAL if self.internal else ""

    def pages(self) -> list[Page]:
        if self.planning is not None:
            return self._internal_pages(self.planning)
        pages = [Page("root", "", self.settings.languages[0], search=False)]
        for lang in self.settings.languages:
            pages.append(Page("home", "", lang, {"sections": self.current}))
            for notice in self.notices:
                pages.append(Page("outage", notice.key, lang, {"notice": notice}))
            for service in self.services:
                notices = self.by_service.get(service.id, [])
                pages.append(Page("service", f"services/{service.id}/", lang, {
                    "service": service,
                    "current": [n for n in notices if n.phase in ("ongoing", "upcoming")],
                    "past": [n for n in reversed(notices) if n.phase in ("ended", "cancelled")][:SERVICE_PAST_LIMIT],
                }))
            pages.append(Page("archive", "archive/", lang, {"years": self.archive}, search=False))
            for year, notices in self.archive.items():
                pages.append(Page("archive-year", f"archive/{year}/", lang,
                                  {"year": year, "notices": notices}, search=False))
            pages.append(Page("subscribe", "subscribe/", lang, search=False))
            pages.append(Page("embed", "embed/", lang, search=False))
            pages.append(Page("accessibility", "accessibility/", lang))
        return pages


    def _internal_pages(self, planning: Planning) -> list[Page]:
        """The staff site: the planning view, the report, and a page per record (public or not yet)."""
        pages = [Page("root", "", self.settings.languages[0], search=False)]
        for lang in self.settings.languages:
            pages.append(Page("internal-planning", INTERNAL, lang, {"planning": planning}))
            pages.append(Page("internal-report", f"{INTERNAL}report/", lang, {"planning": planning}))
            pages.append(Page("internal-guide", f"{INTERNAL}guide/", lang))
            for facts in planning.facts.values():
                pages.append(Page("internal-outage", internal_key(facts.id), lang, {"facts": facts, "planning": planning}))
        return pages


def internal_key(outage_id: str) -> str:
    """The key of an outage's page on the staff site."""
    return f"{INTERNAL}outages/{outage_id}/"
