"""The embeddable banner's data, and what the Embed page needs to offer the banner.

The banner itself is ``overrides/embed/banner-v2.js``: the theme publishes it as
``embed/banner-v2.js`` like any other static file, byte for byte, so the
Subresource Integrity hash the Embed page prints is computed here from that
same file. This module publishes the banner's data, one small file per service
and language::

    embed/SERVICE-ID/LANG.json    the service's current and upcoming outages

Every page view of every embedding service fetches its own service's file, so
what it downloads depends on that service's notices, not on the size of the
site: only the outages that are upcoming or ongoing at build time, and only
what the banner shows. Each outage carries its ``states``: how it stands now
and after every coming change, as :mod:`katko.lifecycle` says, each from its
moment on. The banner shows the latest state whose moment the reader's clock
has passed, so it turns from upcoming to ongoing and goes away on time between
builds, by the notice site's rules without repeating them.

Like :mod:`katko.outputs.api`, the documents are built field by field from the public
parts of a record, so nothing from ``internal`` can reach them.

Document (version 2)::

    {"version": 2, "generated": TIME, "service": ID, "lang": LANG,
     "labels": {"region", "instead", "hide", "hidden"},
     "outages": [{"id", "services", "kind", "impact", "public_from", "start", "end", "changed",
                  "title", "title_lang", "url", "alternatives_url",
                  "states": [{"from", "phase", "changed", "label", "period"}]}]}

Times are RFC 3339 in Finnish time (``2026-12-05T22:00:00+02:00``); ``end``
may be ``null``. ``start``, ``end`` and ``changed`` are as at build time, and
the first state's ``from`` is ``public_from``. ``changed`` is the last stated
change: a visitor's "hide this notice" is remembered per outage *and* change,
so an update shows the notice again. ``title_lang`` says which language the
title is in when a record lacks the file's language and the title falls back
to another. A state's ``phase`` is upcoming, ongoing, ended or cancelled; the
banner shows the first two.

The first banner, ``embed/banner.js``, read one file of every service in every
language, ``embed/outages.json`` (version 1: the same outages with ``texts``
and each state's ``texts`` per language, and ``labels`` per language). Pages
that embedded it pinned its bytes with an ``integrity`` hash, and the browser
runs only those bytes, which read only that file: both are still published,
unchanged, so that those pages keep working until their tag is replaced.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import lifecycle
from .api import timestamp
from ..site.render import SERVICE_OUTAGES, N_
from .registry import Output

if TYPE_CHECKING:
    from ..records.model import Service
    from ..site.render import Renderer
    from ..site.pages import Notice

#: Where the theme publishes the banner (site-relative).
BANNER_PATH = "embed/banner-v2.js"
DATA_VERSION = 2
#: The first banner and its one data file of every service, kept for the pages that pinned it.
FIRST_BANNER_PATH = "embed/banner.js"
FIRST_DATA_PATH = "embed/outages.json"
FIRST_DATA_VERSION = 1


def data_path(service: Service | str, lang: str) -> str:
    """Where the banner's data for a service (or its id) in a language is published.

    >>> data_path("maksut", "sv")
    'embed/maksut/sv.json'
    """
    return f"embed/{service if isinstance(service, str) else service.id}/{lang}.json"

# The banner's own words; the states' words and "What to do instead" are the site's.
HIDE = N_("Hide this notice")
#: Said (in a polite live region) once a visitor has hidden a notice.
HIDDEN = N_("The notice is hidden.")
INSTEAD = N_("What to do instead")


# --------------------------------------------------------------------------- #
# The banner file and its integrity hash
# --------------------------------------------------------------------------- #


def banner_file(renderer: Renderer) -> Path:
    """``banner.js`` in the theme folder whose ``katko/`` templates the renderer uses.

    The theme publishes that folder's ``embed/banner.js`` as the site's
    ``embed/banner.js``, so hashing this file hashes the published bytes.
    """
    return renderer.templates.parent / BANNER_PATH


def integrity(data: bytes) -> str:
    """A Subresource Integrity value (SHA-384) for ``data``.

    >>> integrity(b"")
    'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'
    """
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def origin(url: str) -> str:
    """The origin (scheme, host and port) of ``url``, as CSP and CORS write it.

    >>> origin("https://katkot.example.org/sub/")
    'https://katkot.example.org'
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --------------------------------------------------------------------------- #
# The data files
# --------------------------------------------------------------------------- #


def shown(renderer: Renderer) -> list[Notice]:
    """The outages the banner may show: public, not cancelled and not over at build time."""
    notices = [n for n in renderer.site.notices if n.phase in ("upcoming", "ongoing")]
    return sorted(notices, key=lambda n: (n.outage.start, n.id))


def _texts(notice: Notice, lang: str, renderer: Renderer) -> dict[str, str]:
    title, title_lang = notice.outage.title.pick(lang, renderer.languages)
    page = renderer.absolute(f"{lang}/{notice.key}")
    return {"title": title, "title_lang": title_lang, "url": page, "alternatives_url": page + "#alternatives"}


def _words(state: lifecycle.State, lang: str, renderer: Renderer) -> dict[str, str]:
    return {"label": renderer.gettext(lang)(state.label), "period": renderer.times_text(state, lang)}


def _states(notice: Notice, renderer: Renderer) -> list[tuple[datetime, lifecycle.State]]:
    """The notice's state now (from its publication on) and after each coming change, up to its end."""
    found = []
    for moment, state in [(notice.outage.public_from, notice.state),
                          *lifecycle.future(notice.outage, renderer.site.now)]:
        found.append((moment, state))
        if state.over:
            break
    return found


def _outage(notice: Notice) -> dict[str, Any]:
    """What the banner knows of an outage in every language."""
    outage = notice.outage
    return {
        "id": notice.id,
        "services": [service.id for service in notice.services],
        "kind": outage.kind,
        "impact": outage.impact,
        "public_from": timestamp(outage.public_from),
        "start": timestamp(notice.state.start),
        "end": timestamp(notice.state.end) if notice.state.end else None,
        "changed": timestamp(notice.changed_at),
    }


def labels(renderer: Renderer, lang: str) -> dict[str, str]:
    """The banner's fixed words in ``lang``."""
    _ = renderer.gettext(lang)
    return {"region": _(SERVICE_OUTAGES), "instead": _(INSTEAD), "hide": _(HIDE), "hidden": _(HIDDEN)}


def banner_data(renderer: Renderer, service: str, lang: str) -> dict[str, Any]:
    """The document of ``embed/SERVICE-ID/LANG.json``: the service's outages, in ``lang``."""
    outages = []
    for notice in shown(renderer):
        if service in (s.id for s in notice.services):
            states = [{"from": timestamp(moment), "phase": state.phase, "changed": timestamp(state.changed_at),
                       **_words(state, lang, renderer)} for moment, state in _states(notice, renderer)]
            outages.append({**_outage(notice), **_texts(notice, lang, renderer), "states": states})
    return {"version": DATA_VERSION, "generated": timestamp(renderer.site.now), "service": service, "lang": lang,
            "labels": labels(renderer, lang), "outages": outages}


def first_banner_data(renderer: Renderer) -> dict[str, Any]:
    """The document of ``embed/outages.json``, which the first banner reads: every service, every language."""
    languages = renderer.languages
    outages = []
    for notice in shown(renderer):
        states = [{"from": timestamp(moment), "phase": state.phase, "changed": timestamp(state.changed_at),
                   "texts": {lang: _words(state, lang, renderer) for lang in languages}}
                  for moment, state in _states(notice, renderer)]
        outages.append({**_outage(notice), "texts": {lang: _texts(notice, lang, renderer) for lang in languages},
                        "states": states})
    return {"version": FIRST_DATA_VERSION, "generated": timestamp(renderer.site.now),
            "labels": {lang: labels(renderer, lang) for lang in languages}, "outages": outages}


def _compact(document: dict[str, Any]) -> bytes:
    # Compact: every page view of every embedding service downloads one of these.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def service_json(renderer: Renderer, service: str, lang: str) -> bytes:
    """``embed/SERVICE-ID/LANG.json``."""
    return _compact(banner_data(renderer, service, lang))


def outages_json(renderer: Renderer) -> bytes:
    """``embed/outages.json``, for the first banner."""
    return _compact(first_banner_data(renderer))


# --------------------------------------------------------------------------- #
# What the Embed page shows
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Embedding:
    """What a web team needs to embed the banner: addresses, hash and header lines."""

    script_url: str
    integrity: str
    origin: str

    def snippet(self, service: Service | str) -> str:
        """The one ``<script>`` tag for a service, as text to copy."""
        service_id = service if isinstance(service, str) else service.id
        return (f'<script src="{escape(self.script_url)}" data-service="{escape(service_id)}" '
                f'integrity="{self.integrity}" crossorigin="anonymous" defer></script>')

    @property
    def csp(self) -> str:
        """The sources a host page's Content Security Policy must allow."""
        return f"script-src {self.origin}; connect-src {self.origin}"

    @property
    def cors(self) -> str:
        """The header the notice site sends with everything in ``embed/``: the banner and its data."""
        return "Access-Control-Allow-Origin: *"


def embedding(renderer: Renderer) -> Embedding:
    site_url = renderer.site.settings.site_url
    return Embedding(script_url=site_url + BANNER_PATH, integrity=integrity(banner_file(renderer).read_bytes()),
                     origin=origin(site_url))


def outputs(renderer: Renderer) -> list[Output]:
    """The banner's data files, one per service and language, and the first banner's one file."""
    found = [Output(data_path(service, lang), "json", lang, service,
                    lambda service=service, lang=lang: service_json(renderer, service.id, lang))
             for service in renderer.site.services for lang in renderer.languages]
    return found + [Output(FIRST_DATA_PATH, "json", None, None, lambda: outages_json(renderer))]
