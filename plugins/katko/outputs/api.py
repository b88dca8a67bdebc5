"""The JSON API, version 1: every public outage in every language, for other systems.

Files (see :mod:`katko.outputs.registry`)::

    api/v1/outages.json          the whole site
    api/v1/services/ID.json      one service
    api/v1/schema.json           the JSON Schema (draft 2020-12) of both

The document is described by the pydantic models below, and the published
schema is generated from the same models, so the two cannot drift apart.
These models are a public contract of their own, kept apart from the record
models in :mod:`katko.records.model` on purpose: the record format may evolve, but
what version 1 promises must not change in a way that breaks its users. New
fields may be added within version 1, so consumers ignore fields they do not
know; anything that would break them needs ``api/v2/``.

The document is built field by field from the public parts of a record, never
by dumping the record model, so nothing from ``internal`` (or any field the
record format gains later) can leak into it.

Decisions a consumer needs to know:

* Texts are objects ``{"fi": …, "sv": …, "en": …}`` with every key present.
  A text not written in a language is ``null``: the site's pages fall back to
  another language, the API does not, so a consumer decides what to show.
  Languages the site is not published in (``site.languages``) are ``null`` too.
  ``details``, ``still_works`` and ``alternatives`` are Markdown; render them
  with raw HTML disabled.
* Times are RFC 3339 / ISO 8601 in Finnish time with an explicit offset and
  seconds (``2026-12-05T22:00:00+02:00``).
* A service file lists the outages that affect that service. Its ``services``
  holds that service first, then every other service those outages name (in
  the catalogue's order), so every id in a document resolves within the same
  document; ``service`` says which service the file is about (``null`` in
  ``outages.json``, whose ``services`` are all services in the catalogue's order).
* Outages are ordered by start, then id; updates newest first.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema

from ..core.times import HELSINKI
from ..records.model import Localized, Service
from ..site.addresses import API_OUTAGES, API_SCHEMA, api_path, service_key
from ..site.pages import Notice
from .base import Context, Output

if TYPE_CHECKING:
    from pydantic_core import CoreSchema

VERSION = 1
#: Relative, so it resolves to wherever the site is published (also under a sub-path).
SCHEMA_ID = "schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# --------------------------------------------------------------------------- #
# Value types
#
# Spelled out here rather than imported from katko.records.model: should the record
# format gain a status or an impact, building the API fails until someone
# decides what version 1 says about it, instead of the contract changing quietly.
# --------------------------------------------------------------------------- #

Lang = Literal["fi", "sv", "en"]
Kind = Literal["planned", "unplanned"]
Status = Literal["scheduled", "ongoing", "extended", "ended", "cancelled",
                 "investigating", "identified", "monitoring", "resolved"]
Impact = Literal["unavailable", "partial", "slow", "read_only"]
Phase = Literal["upcoming", "ongoing", "ended", "cancelled"]
Reason = Literal["early", "as_planned", "extended", "cancelled"]
LANGS: tuple[Lang, ...] = ("fi", "sv", "en")


def outputs(context: Context) -> list[Output]:
    """The API's document of the site and of each service, and their schema."""
    return [Output(API_OUTAGES, "json", None, None, lambda: outages(context)),
            *(Output(api_path(service), "json", None, service, lambda service=service: outages(context, service))
              for service in context.site.services),
            Output(API_SCHEMA, "json", None, None, schema)]


def timestamp(moment: datetime) -> str:
    """RFC 3339 in Finnish time, to the second.

    Unlike :func:`katko.core.timefmt.iso` the seconds are always written: RFC 3339,
    which JSON Schema's ``date-time`` format means, requires them.

    >>> from datetime import timezone
    >>> timestamp(datetime(2026, 12, 5, 20, 0, tzinfo=timezone.utc))
    '2026-12-05T22:00:00+02:00'
    >>> timestamp(datetime(2026, 7, 1, 9, 15, 30, 250000, tzinfo=timezone.utc))
    '2026-07-01T12:15:30+03:00'
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(HELSINKI).isoformat(timespec="seconds")


Timestamp = Annotated[
    datetime,
    PlainSerializer(timestamp, return_type=str),
    WithJsonSchema({
        "type": "string",
        "format": "date-time",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$",
        "description": "RFC 3339 in Finnish time with its offset, e.g. 2026-12-05T22:00:00+02:00.",
    }),
]
Url = Annotated[str, WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class _Model(BaseModel):
    # Frozen: a document is built once and only serialised. Extra fields are not
    # forbidden in the schema, so a consumer validating with an older copy of it
    # keeps working when version 1 gains a field.
    model_config = ConfigDict(frozen=True)


class Text(_Model):
    """One text in every language; null where it was not written in that language."""

    fi: str | None = Field(description="Suomeksi / Finnish.")
    sv: str | None = Field(description="På svenska / Swedish.")
    en: str | None = Field(description="In English.")


class Pages(_Model):
    """Addresses of one page in every language; null for a language the site is not published in."""

    fi: Url | None = Field(description="The Finnish page.")
    sv: Url | None = Field(description="The Swedish page.")
    en: Url | None = Field(description="The English page.")


class SiteInfo(_Model):
    """The notice site the document comes from."""

    model_config = ConfigDict(title="Site")

    name: Text = Field(description="The site's name in each language it is published in.")
    url: Url = Field(description="The site's address, ending in '/'.")
    languages: list[Lang] = Field(description="Languages the site is published in, the default first.")


class ServiceInfo(_Model):
    """A digital service whose outages the site announces."""

    model_config = ConfigDict(title="Service")

    id: Id = Field(description="Permanent identifier, used in outages' 'services'.")
    name: Text
    url: Url = Field(description="Address of the service itself.")
    page: Pages = Field(description="The service's page on the notice site.")


class UpdateInfo(_Model):
    """One entry in an outage's timeline."""

    model_config = ConfigDict(title="Update")

    time: Timestamp
    status: Status | None = Field(description="The status from this update on; null if it did not change.")
    end: Timestamp | None = Field(
        description="The new end this update announced (an extension, or a disruption's estimate); null if none.")
    text: Text


class OutageInfo(_Model):
    """One planned outage or unplanned disruption."""

    model_config = ConfigDict(title="Outage")

    id: Id = Field(description="Permanent identifier; also the last part of the notice pages' addresses.")
    kind: Kind = Field(description="planned: announced in advance; unplanned: a disruption.")
    status: Status = Field(
        description="The status last stated by 'generated_at': planned outages scheduled, ongoing, extended, ended "
                    "or cancelled; disruptions investigating, identified, monitoring, resolved or cancelled.")
    phase: Phase = Field(
        description="Where the outage stood at 'generated_at'. An unplanned outage stays ongoing past "
                    "its estimated end until it is resolved; a planned one ends at its end, or at the update "
                    "that ends it.")
    impact: Impact = Field(description="unavailable, partial (partly unavailable), slow or read_only.")
    services: list[Id] = Field(min_length=1, description="Ids of the affected services, found in 'services'.")
    start: Timestamp
    end: Timestamp | None = Field(
        description="The end as it stood at 'generated_at': planned, estimated, or once ended the actual end "
                    "(as 'back_since'). Null while not known, also once a disruption's estimate has passed.")
    end_is_estimate: bool = Field(
        description="True when 'end' is an estimate: an unplanned outage that has not ended or been cancelled.")
    end_reason: Reason | None = Field(
        description="Once ended or cancelled, why: early (before the end planned or estimated), as_planned, "
                    "extended (later than first planned or estimated) or cancelled. Null before.")
    public_from: Timestamp = Field(description="When the notice was published.")
    changed_at: Timestamp = Field(
        description="The last stated change: publication, the latest update, or the end once ended.")
    revision: int = Field(ge=0, description="Grows with every stated change (iCalendar SEQUENCE).")
    back_since: Timestamp | None = Field(
        description="Once the outage has ended: since when the service is back in use. Null before, and if cancelled.")
    exceptional: Literal["data_breach", "other"] | None = Field(
        description="A data breach or other exceptional situation (crisis communication); null for ordinary outages.")
    title: Text
    summary: Text
    details: Text = Field(description="What is affected and why (Markdown).")
    still_works: Text = Field(description="What still works during the outage (Markdown).")
    alternatives: Text = Field(
        description="How to get matters handled during this outage (Markdown); "
                    "the services' standing instructions are on their pages.")
    stakeholders: list[Text] = Field(description="The affected groups of people.")
    urgent: Text = Field(description="Why a planned outage was announced at shorter notice than usual.")
    affected_data: Text = Field(description="For a data breach: which information was concerned.")
    advice: Text = Field(description="In an exceptional situation: what people should do now (Markdown).")
    updates: list[UpdateInfo] = Field(description="Timeline of updates published by 'generated_at', newest first.")
    urls: Pages = Field(description="The notice's pages.")


class Document(_Model):
    """Outage notices of a Finnish public authority's digital services (Act 306/2019), for other systems.

    Texts are null where not written in a language; consumers choose their own fallback.
    Fields may be added within version 1: ignore the ones you do not know.
    """

    model_config = ConfigDict(title="Katko outage notices, API version 1")

    version: Literal[1] = Field(description="The API version; changes only with a breaking change.")
    generated_at: Timestamp = Field(description="The moment the phases were computed for.")
    site: SiteInfo
    service: Id | None = Field(description="The service this file is about; null for all outages.")
    services: list[ServiceInfo] = Field(
        description="outages.json: all services. A service file: that service first, then those its outages also name.")
    outages: list[OutageInfo] = Field(description="Public outages, ordered by start, then id.")


# --------------------------------------------------------------------------- #
# The schema
# --------------------------------------------------------------------------- #


class _SchemaGenerator(GenerateJsonSchema):
    def field_title_should_be_set(self, schema: CoreSchema) -> bool:  # type: ignore[override]
        # Titles such as "Generated At" only repeat the property name.
        return False


def model_schema(model: type[BaseModel], schema_id: str) -> dict[str, Any]:
    """The JSON Schema of ``model`` as the site publishes schemas (also webhook messages')."""
    generated = model.model_json_schema(mode="serialization", schema_generator=_SchemaGenerator)
    return {"$schema": DRAFT, "$id": schema_id, **generated}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of :class:`Document`, as published."""
    return model_schema(Document, SCHEMA_ID)


def schema() -> bytes:
    """``api/v1/schema.json``."""
    return dump(json_schema())


# --------------------------------------------------------------------------- #
# The documents
# --------------------------------------------------------------------------- #


def outages(context: Context, service: Service | None = None) -> bytes:
    """``api/v1/outages.json``, or ``api/v1/services/ID.json`` for ``service``.

    Each outage is made once (:meth:`~katko.outputs.base.Context.piece`) and shared by the
    site's file and its services' files: the same document as :func:`document` dumps."""
    data = document(context, service, outages=False).model_dump(mode="json")
    data["outages"] = _OUTAGES
    # Each outage's JSON is written once too, and put in its place in the document:
    # the same bytes as dumping the whole (an item of the top-level list is indented by 4).
    items = [context.piece("api", n, lambda n=n: _item(_outage(context, n).model_dump(mode="json")))
             for n in _notices(context, service)]
    text = dump(data)
    marker = json.dumps(_OUTAGES, ensure_ascii=False).encode("utf-8")
    assert text.count(marker) == 1
    return text.replace(marker, b"[\n    " + b",\n    ".join(items) + b"\n  ]" if items else b"[]")


#: Where the outages go in the document (a string no record can write: JSON escapes NUL).
_OUTAGES = "\x00outages\x00"


def _item(outage: dict[str, Any]) -> bytes:
    """An outage as it is written inside the document's list of outages."""
    return json.dumps(outage, ensure_ascii=False, indent=2).replace("\n", "\n    ").encode("utf-8")


def _notices(context: Context, service: Service | None) -> list[Notice]:
    site = context.site
    notices = site.by_service.get(service.id, []) if service else site.notices
    return sorted(notices, key=lambda n: (n.outage.start, n.id))


def document(context: Context, service: Service | None = None, *, outages: bool = True) -> Document:
    """The document for the whole site, or for one service (without its outages: the rest)."""
    site = context.site
    languages = site.settings.languages
    notices = _notices(context, service)
    if service is None:
        services = list(site.services)
    else:
        # The file's own service first, then the others its outages name, so
        # that every id in the document resolves within it.
        named = {s.id for n in notices for s in n.services}
        services = [service, *(s for s in site.services if s.id in named and s.id != service.id)]
    return Document(
        version=VERSION,
        generated_at=site.now,
        site=SiteInfo(
            name=Text(**{lang: context.site_name(lang) if lang in languages else None for lang in LANGS}),
            url=context.absolute(""),
            languages=list(languages),
        ),
        service=service.id if service else None,
        services=[_service(context, s) for s in services],
        outages=[_outage(context, n) for n in notices] if outages else [],
    )


def _service(context: Context, service: Service) -> ServiceInfo:
    return ServiceInfo(id=service.id, name=_text(context, service.name), url=service.url,
                       page=_pages(context, service_key(service)))


def _outage(context: Context, notice: Notice) -> OutageInfo:
    outage = notice.outage
    state = notice.state
    # Newest first; a stable sort keeps same-time updates in the record's order.
    updates = sorted(state.updates, key=lambda u: u.time, reverse=True)
    return OutageInfo(
        id=notice.id,
        kind=outage.kind,
        status=state.stage,
        phase=state.phase,
        impact=outage.impact,
        services=[s.id for s in notice.services],
        start=state.start,
        end=state.end,
        end_is_estimate=state.end_is_estimate,
        end_reason=state.reason,
        public_from=outage.public_from,
        changed_at=notice.changed_at,
        revision=notice.revision,
        back_since=notice.back_since,
        exceptional=outage.exceptional,
        title=_text(context, outage.title),
        summary=_text(context, outage.summary),
        details=_text(context, outage.details),
        still_works=_text(context, outage.still_works),
        alternatives=_text(context, outage.alternatives),
        stakeholders=[_text(context, s) for s in outage.stakeholders],
        urgent=_text(context, outage.urgent),
        affected_data=_text(context, outage.affected_data),
        advice=_text(context, outage.advice),
        updates=[UpdateInfo(time=u.time, status=u.status, end=u.end, text=_text(context, u.text)) for u in updates],
        urls=_pages(context, notice.key),
    )


def _text(context: Context, value: Localized | None) -> Text:
    """Each language as written, or null: deliberately no fallback (see the module's notes)."""
    languages = context.site.settings.languages

    def written(lang: Lang) -> str | None:
        if value is None or lang not in languages:
            return None
        # A block scalar's trailing newline is YAML's, not the writer's; a blank is not written.
        return (value.get(lang) or "").strip() or None

    return Text(fi=written("fi"), sv=written("sv"), en=written("en"))


def _pages(context: Context, key: str) -> Pages:
    languages = context.site.settings.languages
    return Pages(**{lang: context.absolute(f"{lang}/{key}") if lang in languages else None for lang in LANGS})


def dump(data: dict[str, Any]) -> bytes:
    # Field order is the models' order, fixed by the code: byte-identical builds.
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
