"""The site's machine-readable files: feeds, calendars and the JSON API.

:func:`outputs` lists every such file with the function that writes it, so
that the plugin publishes them, pages link to them (``<link rel="alternate">``
and the Subscribe page) and tests find them from one list.

Addresses::

    LANG/feed.rss, LANG/feed.atom, LANG/outages.ics                    the whole site
    LANG/services/ID/feed.rss, …/feed.atom, …/outages.ics             one service
    api/v1/outages.json, api/v1/services/ID.json, api/v1/schema.json  all languages
    api/v1/webhook.schema.json                                        webhooks' messages (katko notify)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..records.model import Service

if TYPE_CHECKING:
    from ..site.render import Renderer

#: kind → (file name, MIME type)
FORMATS = {
    "rss": ("feed.rss", "application/rss+xml"),
    "atom": ("feed.atom", "application/atom+xml"),
    "ics": ("outages.ics", "text/calendar"),
}


@dataclass(frozen=True)
class Output:
    """One file: where it goes, what it is, and how to write it."""

    path: str
    kind: str  # rss, atom, ics, json or html
    lang: str | None
    service: Service | None
    write: Callable[[], bytes]


def feed_path(kind: str, lang: str, service: Service | str | None = None) -> str:
    """Site-relative address of a feed or calendar, of the site or of a service (or its id).

    >>> feed_path("atom", "sv"), feed_path("ics", "fi", "lupa")
    ('sv/feed.atom', 'fi/services/lupa/outages.ics')
    """
    service_id = service.id if isinstance(service, Service) else service
    folder = f"{lang}/services/{service_id}/" if service_id else f"{lang}/"
    return folder + FORMATS[kind][0]


def outputs(renderer: Renderer) -> list[Output]:
    from . import api, calendars, feeds
    from ..notify import webhook

    site = renderer.site
    found: list[Output] = []
    for lang in site.settings.languages:
        for service in (None, *site.services):
            found += [
                Output(feed_path("rss", lang, service), "rss", lang, service,
                       lambda lang=lang, service=service: feeds.rss(renderer, lang, service)),
                Output(feed_path("atom", lang, service), "atom", lang, service,
                       lambda lang=lang, service=service: feeds.atom(renderer, lang, service)),
                Output(feed_path("ics", lang, service), "ics", lang, service,
                       lambda lang=lang, service=service: calendars.icalendar(renderer, lang, service)),
            ]
    found.append(Output("api/v1/outages.json", "json", None, None, lambda: api.outages(renderer)))
    for service in site.services:
        found.append(Output(f"api/v1/services/{service.id}.json", "json", None, service,
                            lambda service=service: api.outages(renderer, service)))
    found.append(Output("api/v1/schema.json", "json", None, None, api.schema))
    found.append(Output(webhook.SCHEMA_PATH, "json", None, None, webhook.schema))
    return found
