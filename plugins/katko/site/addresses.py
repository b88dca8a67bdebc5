"""Where everything the site publishes is, and how one page links to another.

Addresses are site-relative (no leading ``/``) and the same in every language
but for the first part, so a page's other-language versions are always found::

    LANG/feed.rss, LANG/feed.atom, LANG/outages.ics                    the whole site
    LANG/services/ID/feed.rss, …/feed.atom, …/outages.ics             one service
    api/v1/outages.json, api/v1/services/ID.json, api/v1/schema.json  all languages
    api/v1/webhook.schema.json                                        webhooks' messages (katko notify)
    embed/banner-v3.js, embed/ID/LANG.json                             the banner and its data
    embed/ID/LANG.html, embed/ID/LANG/index.html                       snippets
    shutter/ID/index.html                                              shutter pages
"""

from __future__ import annotations

import posixpath

from ..records.model import Service

#: kind → (file name, MIME type)
FORMATS = {
    "rss": ("feed.rss", "application/rss+xml"),
    "atom": ("feed.atom", "application/atom+xml"),
    "ics": ("outages.ics", "text/calendar"),
}


def feed_path(kind: str, lang: str, service: Service | str | None = None) -> str:
    """Site-relative address of a feed or calendar, of the site or of a service (or its id).

    >>> feed_path("atom", "sv"), feed_path("ics", "fi", "lupa")
    ('sv/feed.atom', 'fi/services/lupa/outages.ics')
    """
    service_id = service.id if isinstance(service, Service) else service
    folder = f"{lang}/services/{service_id}/" if service_id else f"{lang}/"
    return folder + FORMATS[kind][0]


def relative(target: str, here: str, index: str = "") -> str:
    """A link from the page at ``here`` to the page at ``target`` (both site-relative).

    ``index`` is written after a link to a folder: ``index.html`` for a site
    built with ``--no-directory-urls`` to be read from ``file://``, where a
    folder is not its index page.

    >>> relative("fi/services/lupa/", "fi/outages/x/")
    '../../services/lupa/'
    >>> relative("fi/", "")
    'fi/'
    >>> relative("fi/", "fi/outages/x/", "index.html")
    '../../index.html'
    """
    if target == here:
        return "./" + index
    # Both are site-relative; ``here`` is a folder (ending in '/'), or '' for the root.
    # Up from ``here`` to the folder they share, then down to ``target``: what
    # posixpath.relpath gives, without its normalising (27,000 calls in a build).
    up = [part for part in here.split("/") if part]
    down = [part for part in target.split("/") if part]
    shared = 0
    while shared < len(up) and shared < len(down) and up[shared] == down[shared]:
        shared += 1
    link = ("../" * (len(up) - shared) + "/".join(down[shared:])).rstrip("/") or "."
    link = link + "/" if not posixpath.splitext(link)[1] else link
    return link + index if link.endswith("/") else link


# --------------------------------------------------------------------------- #
# Pages
# --------------------------------------------------------------------------- #

#: Where the staff site's pages are, under each language: a link that leaks is
#: plainly internal, and no address is shared with the public site.
INTERNAL = "internal/"


def notice_key(outage_id: str) -> str:
    """The key of an outage's notice page (under each language)."""
    return f"outages/{outage_id}/"


def service_key(service: Service | str) -> str:
    """The key of a service's page (under each language)."""
    return f"services/{service.id if isinstance(service, Service) else service}/"


def internal_key(outage_id: str) -> str:
    """The key of an outage's page on the staff site."""
    return f"{INTERNAL}outages/{outage_id}/"


def home(lang: str, service: Service | None = None) -> str:
    """The page a feed or calendar is of: the site's home page in ``lang``, or the service's page.

    >>> home("sv"), home("fi", "lupa")
    ('sv/', 'fi/services/lupa/')
    """
    return f"{lang}/{service_key(service)}" if service else f"{lang}/"


# --------------------------------------------------------------------------- #
# The JSON API
# --------------------------------------------------------------------------- #

API_OUTAGES = "api/v1/outages.json"
API_SCHEMA = "api/v1/schema.json"
WEBHOOK_SCHEMA = "api/v1/webhook.schema.json"


def api_path(service: Service) -> str:
    """The API's document of one service."""
    return f"api/v1/services/{service.id}.json"


# --------------------------------------------------------------------------- #
# The banner, snippets and shutter pages
# --------------------------------------------------------------------------- #

#: Where the theme publishes the banner (site-relative).
BANNER_PATH = "embed/banner-v3.js"
#: The first banner and its one data file of every service, kept for the pages that pinned it.
FIRST_BANNER_PATH = "embed/banner.js"
FIRST_DATA_PATH = "embed/outages.json"


def data_path(service: Service | str, lang: str) -> str:
    """Where the banner's data for a service (or its id) in a language is published.

    >>> data_path("maksut", "sv")
    'embed/maksut/sv.json'
    """
    return f"embed/{service if isinstance(service, str) else service.id}/{lang}.json"


def snippet_path(service: Service, lang: str) -> str:
    """Site-relative address of the fragment for server-side includes.

    >>> from types import SimpleNamespace
    >>> snippet_path(SimpleNamespace(id="lupa"), "sv")
    'embed/lupa/sv.html'
    """
    return f"embed/{service.id}/{lang}.html"


def frame_path(service: Service, lang: str) -> str:
    """Site-relative address of the page for an ``<iframe>``."""
    return f"embed/{service.id}/{lang}/index.html"


def shutter_path(service: Service) -> str:
    """Site-relative address of the service's shutter page."""
    return f"shutter/{service.id}/index.html"
