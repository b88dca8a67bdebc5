"""What subscribers are told: the events between two versions of the published API.

The state of ``katko notify`` is the site itself. Its ``api/v1/outages.json``
as published before (the *old* document) and as just built (the *new* one)
say everything: an outage new in the API was made public; one whose phase
became ``cancelled`` or ``ended`` was cancelled or ended; one with updates
newer than any it had before announced a change. Running again with the
published API brought up to date finds nothing, so nothing is sent twice
without any list of what was sent; only re-running a failed run, with the
same pair, uses one (:class:`~katko.notify.delivery.Journal`).

Facts come from the API as the site computed them (phase, revision,
changed_at): nothing here decides anew where an outage stands.

>>> old = {"version": 1, "site": {"url": "https://k.example/"}, "outages": [
...     {"id": "a", "kind": "planned", "phase": "upcoming", "revision": 0, "updates": []}]}
>>> new = {"version": 1, "site": {"url": "https://k.example/"}, "outages": [
...     {"id": "a", "kind": "planned", "phase": "cancelled", "revision": 60,
...      "updates": [{"time": "2026-12-01T10:00:00+02:00", "status": "cancelled"}]},
...     {"id": "b", "kind": "unplanned", "phase": "ongoing", "revision": 0, "updates": []}]}
>>> [(e.kind, e.id) for e in compare(old, new)]
[('cancelled', 'a.cancelled.60'), ('started', 'b.started.0')]
>>> compare(new, new)
[]
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from pydantic import ValidationError

from .. import __version__
from ..outputs import api
from ..records.channels import NotifyError

Kind = Literal["published", "started", "updated", "cancelled", "ended"]
#: Every kind, in the order the documentation lists them.
KINDS: tuple[Kind, ...] = ("published", "started", "updated", "cancelled", "ended")

API_PATH = "api/v1/outages.json"
FETCH_TIMEOUT = 30
USER_AGENT = f"Katko/{__version__} (katko notify)"


@dataclass(frozen=True)
class Event:
    """One thing subscribers are told about one outage."""

    kind: Kind
    #: The outage as the new API publishes it.
    outage: dict[str, Any]
    #: The updates this event announces (newer than any published before), newest first.
    updates: tuple[dict[str, Any], ...]
    #: Whether the outage is new in the API: this is the first event about it.
    first: bool = False

    @property
    def id(self) -> str:
        """Stable: the same event of the same outage always has the same id.
        The revision grows with every stated change (see the API's ``revision``)."""
        return f"{self.outage['id']}.{self.kind}.{self.outage['revision']}"

    @property
    def services(self) -> list[str]:
        return list(self.outage["services"])


def compare(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Event]:
    """The events from ``old`` to ``new``, in the new document's order (by start).

    ``old`` None means nothing had been published: a site's first publication
    announces nothing, rather than every notice it already has.
    """
    if old is None:
        return []
    before = {o["id"]: o for o in old["outages"]}
    found = []
    for outage in new["outages"]:
        previous = before.get(outage["id"])
        updates = _new_updates(previous, outage)
        kind = _kind(previous, outage, updates)
        if kind is not None:
            found.append(Event(kind, outage, updates, first=previous is None))
    return found


def _kind(previous: dict[str, Any] | None, outage: dict[str, Any],
          updates: tuple[dict[str, Any], ...]) -> Kind | None:
    phase = outage["phase"]
    if previous is None:
        # A notice published already cancelled or ended is told as such.
        if phase in ("cancelled", "ended"):
            return phase
        return "started" if outage["kind"] == "unplanned" else "published"
    if phase in ("cancelled", "ended") and previous["phase"] != phase:
        return phase
    return "updated" if updates else None


def _new_updates(previous: dict[str, Any] | None, outage: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    # Only updates later than every earlier one are news: an editor correcting
    # the wording of a published update does not announce a change.
    if previous is None:
        return tuple(outage["updates"])
    seen = [moment(u["time"]) for u in previous["updates"]]
    latest = max(seen) if seen else None
    return tuple(u for u in outage["updates"] if latest is None or moment(u["time"]) > latest)


def moment(text: str) -> datetime:
    """A time of the API (RFC 3339 with an offset) as an aware datetime."""
    return datetime.fromisoformat(text)


def changed(old: dict[str, Any] | None, new: dict[str, Any]) -> list[dict[str, Any]]:
    """Outages of ``new`` that are new or differ in any way from ``old`` (the
    feeds that list them have changed), and those gone from it."""
    if old is None:
        return []
    before = {o["id"]: o for o in old["outages"]}
    after = {o["id"]: o for o in new["outages"]}
    return [o for o in new["outages"] if before.get(o["id"]) != o] + \
        [o for i, o in before.items() if i not in after]


# --------------------------------------------------------------------------- #
# Reading the two documents
# --------------------------------------------------------------------------- #


def check(document: Any, source: str) -> dict[str, Any]:
    """``document`` if it is a Katko API version 1 document, else :class:`NotifyError`.

    The published document comes from the network, or from a file kept between two
    runs: every field notify reads is checked against the API's own model (its
    types, strictly, times with offsets, ends not before starts), and the document is read as
    the model writes it, so that a damaged or hand-edited one is refused by name,
    not met as a traceback halfway through composing the messages.
    """
    if not (isinstance(document, dict) and document.get("version") == 1
            and isinstance(document.get("outages"), list) and isinstance(document.get("site"), dict)):
        raise NotifyError(f"{source} is not a Katko API document of version 1 (api/v1/outages.json)")
    try:
        # Strictly, as the JSON it is: no type is made of another (a number is no time in 1970,
        # true no revision 1, "no" no false).
        model = api.Document.model_validate_json(json.dumps(document), strict=True)
        checked = model.model_dump(mode="json")  # naive times fail here: the API writes offsets
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise NotifyError(f"{source} is not a Katko API document of version 1: {where}: {first['msg']}") from None
    except ValueError as exc:
        raise NotifyError(f"{source} is not a Katko API document of version 1: {exc}") from None
    for outage in model.outages:
        if outage.end is not None and outage.end < outage.start:
            raise NotifyError(f"{source} is not a Katko API document of version 1: the outage '{outage.id}' "
                              f"ends before it starts")
    return checked


def read_file(path: Path) -> dict[str, Any] | None:
    """The document in ``path``; None if it says ``null`` (nothing had been published)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise NotifyError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise NotifyError(f"{path} is not JSON: {exc}") from None
    return None if document is None else check(document, str(path))


def fetch(url: str) -> dict[str, Any] | None:
    """The document published at ``url``; None if there is none yet (HTTP 404 or 410).

    A query parameter with the time keeps a CDN from answering with a copy from
    before the last deployment, which would make its events look new again.
    """
    parts = urlsplit(url)
    fresh = urlunsplit(parts._replace(query="&".join(
        q for q in (parts.query, urlencode({"katko-notify": int(datetime.now().timestamp())})) if q)))
    request = Request(fresh, headers={"Accept": "application/json", "Cache-Control": "no-cache",
                                      "User-Agent": USER_AGENT})
    try:
        with urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - http(s) only, checked by the caller
            body = response.read()
    except HTTPError as exc:
        if exc.code in (404, 410):
            return None
        raise NotifyError(f"cannot fetch the published notices from {url}: HTTP {exc.code} {exc.reason}") from None
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise NotifyError(f"cannot fetch the published notices from {url}: {reason}") from None
    try:
        document = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise NotifyError(f"{url} is not JSON: {exc}") from None
    return check(document, url)


def same_site(old: dict[str, Any] | None, new: dict[str, Any], source: str) -> None:
    """Refuse to compare two different sites: every notice would look new."""
    if old is not None and old["site"].get("url") != new["site"].get("url"):
        raise NotifyError(f"{source} is the API of {old['site'].get('url')}, not of {new['site'].get('url')}: "
                          f"give the published API of this site with --published")
