"""WebSub: the feeds name a hub, and ``katko notify`` tells the hub which feeds changed.

A feed reader that supports WebSub subscribes at the hub and hears of a
change at once, instead of fetching the feed now and then. A static site
cannot answer the hub itself, so the feeds say where the hub is
(``<link rel="hub">``, next to ``rel="self"``), and after each deployment
``katko notify`` sends the hub a *publish* ping for every feed that lists a
changed outage; the hub fetches those feeds and pushes them on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from feedgen.ext.base import BaseExtension
from lxml import etree

from ..outputs.registry import feed_path

ATOM = "http://www.w3.org/2005/Atom"


class HubExtension(BaseExtension):  # type: ignore[misc]
    """feedgen writes an RSS feed's ``atom:link`` only for ``rel="self"``; this adds the hub's."""

    def __init__(self) -> None:
        self.hub: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"atom": ATOM}

    def extend_rss(self, rss: Any) -> Any:
        if self.hub:
            channel = rss.find("channel")
            etree.SubElement(channel, f"{{{ATOM}}}link", href=self.hub, rel="hub")
        return rss


def declare(feed: Any, hub: str) -> None:
    """Name ``hub`` in a feedgen feed, in both its Atom and its RSS form."""
    feed.link(href=hub, rel="hub")
    feed.register_extension("websub", HubExtension, atom=False, rss=True)
    feed.websub.hub = hub


def topics(site_url: str, languages: Iterable[str], outages: Iterable[dict[str, Any]]) -> list[str]:
    """The feeds that list any of ``outages``: the site's and their services', in every language."""
    services = sorted({s for o in outages for s in o["services"]})
    if not services:
        return []
    return [site_url + feed_path(kind, lang, service)
            for lang in languages for service in (None, *services) for kind in ("atom", "rss")]


def ping_body(topic: str) -> bytes:
    """A WebSub publish ping, form-encoded.

    >>> ping_body("https://k.example/fi/feed.atom")
    b'hub.mode=publish&hub.url=https%3A%2F%2Fk.example%2Ffi%2Ffeed.atom'
    """
    return urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
