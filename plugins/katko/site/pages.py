"""The notice site's structure: which pages exist, in which languages, with what data.

:class:`Site` turns a valid :class:`~katko.records.dataset.Dataset` and the build's
"now" into :class:`Page` descriptions. It decides nothing about HTML (that is
:mod:`katko.site.render`) nor about MkDocs (that is :mod:`katko.plugin`).

Addresses are the same in every language but for the first part, so a page's
other-language versions are always found: ``fi/outages/ID/`` ↔ ``sv/outages/ID/``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property
from typing import Any

from ..core.times import HELSINKI
from ..records import lifecycle
from ..records.dataset import Dataset, Record
from ..records.lifecycle import Phase, State
from ..records.model import Outage, Service
from ..records.settings import Settings
from .addresses import INTERNAL, internal_key, notice_key, service_key
from .planning import Planning


#: How many past outages a service page lists before pointing to the archive.
SERVICE_PAST_LIMIT = 10


@dataclass(frozen=True)
class Notice:
    """An outage as the site shows it: the record and where it stands (:mod:`katko.records.lifecycle`)."""

    record: Record
    state: State
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
        return notice_key(self.id)

    @property
    def phase(self) -> Phase:
        return self.state.phase

    @property
    def ended_at(self) -> datetime:
        """When the outage ended or was cancelled, for ordering past outages."""
        return self.state.over_at or self.outage.end or self.outage.last_updated

    @property
    def back_since(self) -> datetime | None:
        """When the service was back in use; None unless the outage has ended."""
        return self.state.ended_at

    @property
    def changed_at(self) -> datetime:
        """The record's last change as the record states it: its publication, its
        latest update (a cancellation or a change of times is announced as one),
        or its end once it has ended by the clock. Never the build time."""
        return self.state.changed_at

    @property
    def revision(self) -> int:
        """A number that grows with every stated change: minutes from publication
        to the last change. Calendars use it as SEQUENCE."""
        return int((self.changed_at - self.outage.public_from).total_seconds() // 60)


@dataclass(frozen=True)
class Placed:
    """Where a notice stands in one of a page's lists: the list's id and its sort key there."""

    notice: Notice
    list: str
    key: str


@dataclass(frozen=True)
class Change:
    """What the status script shows from ``at`` on, without a rebuild: the notice as it
    will stand then, and the list it moves to ('' for off the page; None where it is
    not in a list)."""

    at: datetime
    notice: Notice
    list: str | None = None
    key: str = ""


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
    """The public notice site; or, given a :class:`~katko.site.planning.Planning`, the
    authority's internal staff site, which has only the staff's pages."""

    def __init__(self, dataset: Dataset, settings: Settings, planning: Planning | None = None,
                 states: dict[tuple[str, str], State] | None = None) -> None:
        """``states`` keeps where each record stands by its text and the moment, for a
        preview that builds the same records again (:mod:`katko.site.incremental`)."""
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
            notice = Notice(r, self._state(r, states),
                            tuple(services[s] for s in r.outage.services if s in services))
            if notice.phase in ("ended", "cancelled") and notice.ended_at < self.now - settings.search_window:
                notice = replace(notice, searchable=False)
            self.notices.append(notice)

    def _state(self, record: Record, states: dict[tuple[str, str], State] | None) -> State:
        if states is None:
            return lifecycle.at(record.outage, self.now)
        key = (record.doc.text, self.now.isoformat())
        found = states.get(key)
        if found is None:
            found = states[key] = lifecycle.at(record.outage, self.now)
        return found

    # ----------------------------------------------------------------------- #
    # Groupings
    # ----------------------------------------------------------------------- #

    # The lists a notice moves between as the clock passes, on the home page and
    # on a service page. The status script moves it from the changes that
    # changes() lists: the list's id, and a key that sorts the list (ascending;
    # the recent and the past outages descending, as their data-katko-order says).

    def place(self, notice: Notice, page: str) -> Placed | None:
        """Which list of a ``page`` ("home" or "service") holds ``notice`` as it stands; None: none."""
        state = notice.state
        moment = state.moment or self.now
        if not state.over:
            return Placed(notice, "katko-current" if page == "service" else f"katko-{state.phase}",
                          _sort_key(notice.outage.start, notice.id))
        if page == "service":
            return Placed(notice, "katko-past", _sort_key(notice.outage.start, notice.id))
        if notice.ended_at <= moment - self.settings.recent:
            return None  # the recent days are over at the moment the status script is told
        return Placed(notice, "katko-recent", _sort_key(notice.ended_at, notice.id))

    def changes(self, notice: Notice, page: str | None = None) -> list[Change]:
        """How ``notice`` changes after the build, for the status script: on its own page
        (``page`` None), or in the lists of a home or service page."""
        later = lifecycle.future(notice.outage, self.now)
        if page == "home":
            # Off the home page once the recent days are over.
            overs = {s.over_at for _, s in later} | {notice.state.over_at}
            later = lifecycle.future(notice.outage, self.now,
                                     tuple(o + self.settings.recent for o in overs if o is not None))
        found: list[Change] = []
        last = self.place(notice, page) if page else None
        for moment, state in later:
            moved = replace(notice, state=state)
            if page is None:
                found.append(Change(moment, moved))
                continue
            placed = self.place(moved, page)
            if placed == last:
                continue
            found.append(Change(moment, moved, placed.list if placed else "", placed.key if placed else ""))
            last = placed
        return found

    @cached_property
    def current(self) -> dict[str, list[Placed]]:
        """The home page's lists: ongoing, upcoming, and recently ended or cancelled."""
        lists: dict[str, list[Placed]] = {"katko-ongoing": [], "katko-upcoming": [], "katko-recent": []}
        for notice in self.notices:
            placed = self.place(notice, "home")
            if placed is not None:
                lists[placed.list].append(placed)
        lists["katko-recent"].sort(key=lambda p: p.key, reverse=True)
        return lists

    def service_lists(self, service: Service) -> dict[str, list[Placed]]:
        """A service page's lists: ongoing and upcoming first by start, then the latest past ones."""
        placed = [self.place(n, "service") for n in self.by_service.get(service.id, [])]
        current = [p for p in placed if p is not None and p.list == "katko-current"]
        past = [p for p in reversed(placed) if p is not None and p.list == "katko-past"]
        return {"katko-current": current, "katko-past": past[:SERVICE_PAST_LIMIT]}

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
                pages.append(Page("service", service_key(service), lang,
                                  {"service": service, "lists": self.service_lists(service)}))
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


def _sort_key(moment: datetime, outage_id: str) -> str:
    """A key that sorts as ``(moment, id)`` do, as text (the status script compares them so)."""
    return f"{moment.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%S}Z {outage_id}"
