"""WebSub: the feeds name a hub, and ``katko notify`` tells the hub which feeds changed.

A feed reader that supports WebSub subscribes at the hub and hears of a
change at once, instead of fetching the feed now and then. A static site
cannot answer the hub itself, so the feeds say where the hub is
(``<link rel="hub">``, next to ``rel="self"``: :func:`katko.outputs.feeds.declare_hub`), and after each deployment
``katko notify`` sends the hub a *publish* ping for every feed that lists a
changed outage; the hub fetches those feeds and pushes them on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from ..site.addresses import feed_path


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
