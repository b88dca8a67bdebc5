"""The embeddable banner's data.

The banner itself is ``overrides/embed/banner-v3.js``, which the theme publishes
(what the Embed page offers of it is :mod:`katko.site.embedding`). This module
publishes the banner's data, one small file per service and language::

    embed/SERVICE-ID/LANG.json    the service's current and upcoming outages

Every page view of every embedding service fetches its own service's file, so
what it downloads depends on that service's notices, not on the size of the
site: only the outages that are upcoming or ongoing at build time, and only
what the banner shows. Each outage carries its ``states``: how it stands now
and after every coming change, as :mod:`katko.records.lifecycle` says, each from its
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

import json
from datetime import datetime
from typing import Any

from ..core.i18n import N_
from ..core.labels import SERVICE_OUTAGES
from ..records import lifecycle
from ..site.addresses import FIRST_DATA_PATH, data_path
from ..site.pages import Notice
from .api import timestamp
from .base import Context, Output


DATA_VERSION = 2
FIRST_DATA_VERSION = 1

# The banner's own words; the states' words and "What to do instead" are the site's.
HIDE = N_("Hide this notice")
#: Said (in a polite live region) once a visitor has hidden a notice.
HIDDEN = N_("The notice is hidden.")
INSTEAD = N_("What to do instead")


# --------------------------------------------------------------------------- #
# The data files
# --------------------------------------------------------------------------- #


def shown(context: Context) -> list[Notice]:
    """The outages the banner may show: public, not cancelled and not over at build time."""
    notices = [n for n in context.site.notices if n.phase in ("upcoming", "ongoing")]
    return sorted(notices, key=lambda n: (n.outage.start, n.id))


def _texts(notice: Notice, lang: str, context: Context) -> dict[str, str]:
    title, title_lang = notice.outage.title.pick(lang, context.languages)
    page = context.absolute(f"{lang}/{notice.key}")
    return {"title": title, "title_lang": title_lang, "url": page, "alternatives_url": page + "#alternatives"}


def _words(state: lifecycle.State, lang: str, context: Context) -> dict[str, str]:
    return {"label": context.gettext(lang)(state.label), "period": context.times_text(state, lang)}


def _states(notice: Notice, context: Context) -> list[tuple[datetime, lifecycle.State]]:
    """The notice's state now (from its publication on) and after each coming change, up to its end."""
    found = []
    for moment, state in [(notice.outage.public_from, notice.state),
                          *lifecycle.future(notice.outage, context.site.now)]:
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


def labels(context: Context, lang: str) -> dict[str, str]:
    """The banner's fixed words in ``lang``."""
    _ = context.gettext(lang)
    return {"region": _(SERVICE_OUTAGES), "instead": _(INSTEAD), "hide": _(HIDE), "hidden": _(HIDDEN)}


def banner_data(context: Context, service: str, lang: str) -> dict[str, Any]:
    """The document of ``embed/SERVICE-ID/LANG.json``: the service's outages, in ``lang``."""
    outages = []
    for notice in shown(context):
        if service in (s.id for s in notice.services):
            states = [{"from": timestamp(moment), "phase": state.phase, "changed": timestamp(state.changed_at),
                       **_words(state, lang, context)} for moment, state in _states(notice, context)]
            outages.append({**_outage(notice), **_texts(notice, lang, context), "states": states})
    return {"version": DATA_VERSION, "generated": timestamp(context.site.now), "service": service, "lang": lang,
            "labels": labels(context, lang), "outages": outages}


def first_banner_data(context: Context) -> dict[str, Any]:
    """The document of ``embed/outages.json``, which the first banner reads: every service, every language."""
    languages = context.languages
    outages = []
    for notice in shown(context):
        states = [{"from": timestamp(moment), "phase": state.phase, "changed": timestamp(state.changed_at),
                   "texts": {lang: _words(state, lang, context) for lang in languages}}
                  for moment, state in _states(notice, context)]
        outages.append({**_outage(notice), "texts": {lang: _texts(notice, lang, context) for lang in languages},
                        "states": states})
    return {"version": FIRST_DATA_VERSION, "generated": timestamp(context.site.now),
            "labels": {lang: labels(context, lang) for lang in languages}, "outages": outages}


def _compact(document: dict[str, Any]) -> bytes:
    # Compact: every page view of every embedding service downloads one of these.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def service_json(context: Context, service: str, lang: str) -> bytes:
    """``embed/SERVICE-ID/LANG.json``."""
    return _compact(banner_data(context, service, lang))


def outages_json(context: Context) -> bytes:
    """``embed/outages.json``, for the first banner."""
    return _compact(first_banner_data(context))


def outputs(context: Context) -> list[Output]:
    """The banner's data files, one per service and language, and the first banner's one file."""
    found = [Output(data_path(service, lang), "json", lang, service,
                    lambda service=service, lang=lang: service_json(context, service.id, lang))
             for service in context.site.services for lang in context.languages]
    return found + [Output(FIRST_DATA_PATH, "json", None, None, lambda: outages_json(context))]
