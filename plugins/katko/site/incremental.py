"""What a page or file is made from, as a fingerprint: the preview re-renders only what changed.

``mkdocs serve`` rebuilds the whole site after every save. The plugin keeps
what the previous rebuild wrote, and re-renders a page or a file only when its
fingerprint differs from the one it was written with. A fingerprint covers
everything the output is made from:

* the *site's* inputs, the same for every output: the build's "now", the
  settings, the services catalogue, the site's configuration, the theme's
  templates, the catalogs (:class:`Fingerprints` is given them as ``site``);
* the output's own: its kind, address and language, and the data it shows,
  where each notice counts as the text of its record (``Record.doc.text``)
  and whether search indexes it in full.

A page's data is what :mod:`katko.site.pages` hands its template. A file (a feed,
a calendar, the API, the banner's data, a snippet or a shutter page) of a
service is taken to depend on all of that service's notices, one of the whole
site on all notices: more than each strictly uses, so a change re-renders
it whenever it could matter. What this module cannot fingerprint (the staff
site's planning, an unknown type) is not cached: it is rendered every time.

"Now" is one of the site's inputs. Without ``KATKO_NOW`` the clock moves
between two saves, and with it every page's "information as of"; the preview
keeps the previous rebuild's moment as long as :func:`clock_moves` says that
nothing on the site could have changed since, so that it is still a site as
a build at that moment writes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from ..records.dataset import Dataset
from ..records.model import Service
from ..records.settings import Settings
from .pages import Notice, Page, Placed, Site


class Unknown(TypeError):
    """A value this module does not know how to fingerprint."""


def digest(*parts: bytes | str) -> str:
    """A short, collision-safe hash of ``parts`` (each length-prefixed, so no two splits agree).

    >>> digest("ab", "c") == digest("a", "bc")
    False
    """
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


class Fingerprints:
    """Fingerprints of one build's pages and files, given the fingerprint of the site's own inputs."""

    def __init__(self, site: Site, inputs: str) -> None:
        self.site = site
        self.inputs = inputs
        self._notices: dict[str, str] = {}
        #: The notices of the site ("") and of each service, as one fingerprint.
        self._scopes: dict[str, str] = {}

    def notice(self, notice: Notice) -> str:
        found = self._notices.get(notice.id)
        if found is None:
            found = self._notices[notice.id] = digest(notice.id, notice.record.doc.text, str(notice.searchable))
        return found

    def value(self, value: Any) -> str:
        """The fingerprint of a page's data: notices by their record's text, services by id
        (the catalogue is one of the site's inputs), everything else by its value."""
        if isinstance(value, Notice):
            return "N" + self.notice(value)
        if isinstance(value, Placed):
            return f"P({value.list},{value.key},{self.notice(value.notice)})"
        if isinstance(value, Service):
            return "S" + value.id
        if value is None or isinstance(value, (bool, int, str, float, datetime, date, timedelta)):
            return type(value).__name__ + ":" + repr(value)
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{self.value(k)}={self.value(v)}" for k, v in value.items()) + "}"
        if isinstance(value, (list, tuple)):
            return "[" + ",".join(self.value(v) for v in value) + "]"
        raise Unknown(type(value).__name__)

    def page(self, page: Page) -> str | None:
        """The fingerprint of a page; None if it cannot be told (then it is rendered every time)."""
        if self.site.internal:
            return None
        try:
            data = self.value(page.data)
        except Unknown:
            return None
        return digest(self.inputs, "page", page.kind, page.key, page.lang, str(page.search), data)

    def output(self, path: str, service: Service | None) -> str:
        """The fingerprint of a file of ``service``'s notices, or of the whole site's (None)."""
        scope = service.id if service else ""
        notices = self._scopes.get(scope)
        if notices is None:
            shown: Iterable[Notice] = self.site.by_service.get(service.id, []) if service else self.site.notices
            notices = self._scopes[scope] = digest(*map(self.notice, shown))
        return digest(self.inputs, "file", path, scope, notices)


def clock_moves(dataset: Dataset, settings: Settings, since: datetime, until: datetime) -> bool:
    """Whether anything the site shows could differ between ``since`` and ``until``: a time
    written in a record (publication, start, end, an update and the end it gives), or such a
    time plus the home page's recent days, the feeds' or search's window, lies in between.

    Every moment the site's phases, lists and windows turn at is one of those, so while none
    passes, a preview's clock may stand still: its pages are then what a build at ``since``
    writes (:class:`katko.plugin.KatkoPlugin` uses this under ``mkdocs serve``)."""
    windows = (timedelta(0), settings.recent, settings.feed_window, settings.search_window)
    for record in dataset.records:
        outage = record.outage
        times = [outage.public_from, outage.start, outage.end, *(u.time for u in outage.updates),
                 *(u.end for u in outage.updates)]
        for moment in times:
            if moment is not None and any(since < moment + window <= until for window in windows):
                return True
    return False


class Memo:
    """What the previous build wrote, by address, with the fingerprint it was written with."""

    def __init__(self) -> None:
        self._found: dict[str, tuple[str, Any]] = {}
        self._seen: set[str] = set()
        #: What this build's puts replaced, to put back if it fails (abandon).
        self._before: dict[str, tuple[str, Any] | None] = {}
        self.hits = 0
        self.misses = 0
        #: (kept, rendered) of the last build that finished.
        self.last = (0, 0)

    def get(self, address: str, fingerprint: str | None) -> Any:
        """The value kept for ``address`` if it was made with ``fingerprint``, else None."""
        self._seen.add(address)
        kept = self._found.get(address)
        if fingerprint is not None and kept is not None and kept[0] == fingerprint:
            self.hits += 1
            return kept[1]
        self.misses += 1
        return None

    def put(self, address: str, fingerprint: str | None, value: Any) -> None:
        if address not in self._before:
            self._before[address] = self._found.get(address)
        if fingerprint is None:
            self._found.pop(address, None)
        else:
            self._found[address] = (fingerprint, value)

    def finish(self) -> None:
        """Forget what this build did not ask for (pages and files that are gone)."""
        for address in set(self._found) - self._seen:
            del self._found[address]
        self._seen, self._before = set(), {}
        self.last = (self.hits, self.misses)
        self.hits = self.misses = 0

    def abandon(self) -> None:
        """Forget what a build that failed put: what it rendered never reached the site."""
        for address, before in self._before.items():
            if before is None:
                self._found.pop(address, None)
            else:
                self._found[address] = before
        self._seen, self._before = set(), {}
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._found)
