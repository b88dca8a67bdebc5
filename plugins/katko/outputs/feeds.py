"""RSS 2.0 and Atom feeds of the outage notices, per language and per service.

A feed lists what :meth:`katko.site.pages.Site.subscribed` lists: ongoing and
upcoming outages, and those that ended or were cancelled within the feed
window, newest change first. Each outage is one entry for good: its id is the
notice page's address, and when the record announces a change (a cancellation,
new times, an extension, the end) the same entry comes back with a new
``updated`` time, its status in its title and the newest update at the top of
its content, so a feed reader shows it as changed instead of as a new item.

Nothing in a feed comes from the build's clock except which notices are
listed and their phase: every time is one the records state (the feed's own
``updated`` is its newest entry's), so the same records and the same "now"
give the same bytes. feedgen would otherwise stamp ``updated``,
``lastBuildDate`` and every entry with the time of the build.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from feedgen.entry import FeedEntry
from feedgen.ext.base import BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from ..core.labels import AUTHORITY_OUTAGES
from ..core.times import HELSINKI
from ..records.model import Service
from ..site.addresses import FORMATS, feed_path, home
from ..site.pages import Notice
from .base import Context, Output


Kind = Literal["rss", "atom"]

TEMPLATE = "feed-entry.html"
GENERATOR = "Katko"
RSS_DOCS = "https://www.rssboard.org/rss-specification"
ATOM = "http://www.w3.org/2005/Atom"


def outputs(context: Context) -> list[Output]:
    """The RSS and Atom feeds of the site and of each service, in every language."""
    return [Output(feed_path(kind, lang, service), kind, lang, service,
                   lambda lang=lang, service=service, write=write: write(context, lang, service))
            for lang in context.languages for service in (None, *context.site.services)
            for kind, write in (("rss", rss), ("atom", atom))]


def rss(context: Context, lang: str, service: Service | None = None) -> bytes:
    """The RSS 2.0 feed in ``lang``, of one service or (``None``) of the whole site."""
    return generator(context, lang, service, "rss").rss_str(pretty=True)


def atom(context: Context, lang: str, service: Service | None = None) -> bytes:
    """The Atom (RFC 4287) feed in ``lang``, of one service or of the whole site."""
    return generator(context, lang, service, "atom").atom_str(pretty=True)


def generator(context: Context, lang: str, service: Service | None, kind: Kind) -> FeedGenerator:
    """A feed with every field set, entries in order, ready to be written as ``kind``.

    RSS and Atom get separate generators because feedgen writes one value for
    both an Atom entry's ``published`` and an RSS item's ``pubDate``, and the
    two must differ (see :func:`entry`).
    """
    site = context.site
    languages = site.settings.languages
    _ = context.gettext(lang)
    notices = site.subscribed(service.id if service else None)
    catalogue = site.dataset.catalogue
    site_name = context.site_name(lang)
    about = _(AUTHORITY_OUTAGES) % {"authority": catalogue.authority.name.pick(lang, languages)[0]} \
        if catalogue else site_name
    own = context.absolute(feed_path(kind, lang, service))

    feed = FeedGenerator()
    feed.id(own)
    if service:
        name = service.name.pick(lang, languages)[0]
        feed.title(f"{name} – {site_name}")
        feed.description(f"{name} – {about}")
    else:
        feed.title(site_name)
        feed.description(about)
    feed.language(lang)
    if catalogue:
        # Atom only: an RSS author must be an e-mail address, which the
        # catalogue does not give. The feed's author covers every entry.
        feed.author(name=catalogue.authority.name.pick(lang, languages)[0], uri=catalogue.authority.url)
    else:
        feed.author(name=site_name)
    feed.link(href=own, rel="self", type=FORMATS[kind][1])
    notify = site.settings.notify
    if notify is not None and notify.websub is not None:
        declare_hub(feed, notify.websub.hub)
    # Last, because feedgen takes the last link for RSS's <link>.
    feed.link(href=context.absolute(home(lang, service)),
              rel="alternate", type="text/html", hreflang=lang)
    # No version: the file must not change when only a library is upgraded.
    feed.generator(GENERATOR)
    feed.docs(RSS_DOCS)
    # An empty feed still needs a time that only the records decide: the newest
    # change of the service, or of the site, or at the very least the build's "now".
    scope = site.by_service.get(service.id, []) if service else site.notices
    feed.updated(_local(last_change(notices, scope, site.notices, default=site.now)))
    for notice in notices:
        entry(feed.add_entry(order="append"), context, lang, notice, kind)
    return feed


def last_change(*groups: Iterable[Notice], default: datetime) -> datetime:
    """The newest change in the first group that has notices, else ``default``.

    >>> from datetime import datetime, timezone
    >>> from types import SimpleNamespace as N
    >>> t = lambda day: datetime(2026, 12, day, tzinfo=timezone.utc)
    >>> last_change([N(changed_at=t(2)), N(changed_at=t(5))], default=t(9)).day
    5
    >>> last_change([], [N(changed_at=t(3))], default=t(9)).day
    3
    >>> last_change([], [], default=t(9)).day
    9
    """
    for group in groups:
        changes = [n.changed_at for n in group]
        if changes:
            return max(changes)
    return default


def entry(item: FeedEntry, context: Context, lang: str, notice: Notice, kind: Kind) -> FeedEntry:
    """Fill ``item`` with one outage as the feeds in ``lang`` show it."""
    _ = context.gettext(lang)
    outage = notice.outage
    languages = context.site.settings.languages
    page = context.absolute(f"{lang}/{notice.key}")

    # The page's address never changes: the same entry, updated, whatever happens.
    item.guid(page, permalink=True)
    item.title(f"{_(notice.state.label)}: {outage.title.pick(lang, languages)[0]}")
    item.link(href=page, rel="alternate", type="text/html", hreflang=lang)
    item.updated(_local(notice.changed_at))
    if kind == "atom":
        item.published(_local(outage.public_from))
    else:
        # RSS has no "updated": readers notice a change by the item's date.
        item.pubDate(_local(notice.changed_at))
    # RSS: <description> is the summary and <content:encoded> the notice.
    item.summary(outage.summary.pick(lang, languages)[0])
    item.content(context.piece("feed:" + lang, notice, lambda: context.fragment(TEMPLATE, lang, notice=notice)),
                 type="html")
    for service in notice.services:
        item.category(term=service.id, label=service.name.pick(lang, languages)[0])
    return item


def _local(moment: datetime) -> datetime:
    """The moment in Helsinki time, so every date in a feed has the site's offset."""
    return moment.astimezone(HELSINKI)


# --------------------------------------------------------------------------- #
# WebSub: the feeds name the hub that ``katko notify`` pings (katko.notify.websub)
# --------------------------------------------------------------------------- #


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


def declare_hub(feed: FeedGenerator, hub: str) -> None:
    """Name ``hub`` in a feedgen feed, in both its Atom and its RSS form."""
    feed.link(href=hub, rel="hub")
    feed.register_extension("websub", HubExtension, atom=False, rss=True)
    feed.websub.hub = hub
