"""The record format: services catalogue and outage records, as typed models.

These models are the single source of truth for the format: validation uses
them, and the JSON Schema files in ``schema/`` (which editors use to complete
fields and flag mistakes while typing) are generated from them by
``katko schema``. Field descriptions here are what the editor shows.

Languages are ISO 639-1 codes: ``fi``, ``sv``, ``en``. Which of them are
required is a site setting, checked by :mod:`katko.rules`, not by the models.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from .times import TimeError, parse_duration, parse_time

LANGUAGES = ("fi", "sv", "en")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# --------------------------------------------------------------------------- #
# Value types
# --------------------------------------------------------------------------- #


def _time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            return parse_time(value)
        except TimeError as exc:
            raise PydanticCustomError(exc.code, str(exc)) from None
    raise PydanticCustomError("K103", "a date and time is needed here")


def _duration(value: Any) -> timedelta:
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except TimeError as exc:
            raise PydanticCustomError(exc.code, str(exc)) from None
    raise PydanticCustomError("K111", "a duration such as 4h or 90min is needed here")


def _url(value: Any) -> str:
    if isinstance(value, str) and value.startswith(("https://", "http://")) and " " not in value.strip():
        return value.strip()
    raise PydanticCustomError("K113", "this is not a web address")


Time = Annotated[
    datetime,
    BeforeValidator(_time),
    WithJsonSchema({
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}[:.]\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$",
        "description": "Finnish local time '2026-12-05 22:00', or ISO 8601 with an offset.",
        "examples": ["2026-12-05 22:00", "2026-12-05T22:00+02:00"],
    }),
]
Duration = Annotated[
    timedelta,
    BeforeValidator(_duration),
    WithJsonSchema({"type": "string", "pattern": r"^\s*(?=\d)(\d+\s*d)?\s*(\d+\s*h)?\s*(\d+\s*min)?\s*$",
                    "examples": ["4h", "90min", "2h30min"]}),
]
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]
Id = Annotated[str, Field(pattern=ID_PATTERN)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Model):
    """One text in several languages. Finnish and Swedish are required by default."""

    fi: str | None = Field(None, description="Suomeksi / Finnish")
    sv: str | None = Field(None, description="På svenska / Swedish")
    en: str | None = Field(None, description="In English")

    def get(self, lang: str) -> str | None:
        return getattr(self, lang)

    def pick(self, lang: str, order: tuple[str, ...] = LANGUAGES) -> tuple[str, str]:
        """The text in ``lang``, or the first available fallback, with its language."""
        for candidate in (lang, *order):
            text = getattr(self, candidate)
            if text:
                return text, candidate
        return "", lang

    def missing(self, languages: tuple[str, ...]) -> list[str]:
        return [lang for lang in languages if not (getattr(self, lang) or "").strip()]


# --------------------------------------------------------------------------- #
# The services catalogue: outages/services.yml
# --------------------------------------------------------------------------- #

ContactKind = Literal["phone", "email", "service_point", "form", "chat"]
_CONTACT_VALUE = {"phone": "phone", "email": "email", "service_point": "address", "form": "url", "chat": "url"}


class Contact(Model):
    """A way to reach the authority: phone line, e-mail, service point, form or chat."""

    kind: ContactKind = Field(description="phone, email, service_point, form or chat")
    name: Localized = Field(description="What the channel is called, e.g. 'Asiakaspalvelu'.")
    phone: str | None = Field(None, description="Phone number as it should be shown, e.g. '029 123 4567'.")
    email: str | None = Field(None, pattern=EMAIL_PATTERN)
    address: Localized | None = Field(None, description="Street address of a service point.")
    url: Url | None = Field(None, description="Address of a form or chat.")
    hours: Localized | None = Field(None, description="Opening hours, e.g. 'ma–pe klo 9.00–16.00'.")
    note: Localized | None = Field(None, description="Anything else the reader should know (e.g. call charges).")

    @model_validator(mode="after")
    def _value_for_kind(self) -> Contact:
        needed = _CONTACT_VALUE[self.kind]
        if getattr(self, needed) is None:
            raise PydanticCustomError("K102", "a {kind} contact needs the field '{needed}'",
                                      {"kind": self.kind, "needed": needed})
        return self


class AccessibilityStatement(Model):
    """Facts for the accessibility statement page (the law requires one)."""

    date: str = Field(description="When the statement was made or last reviewed, e.g. '1.11.2026'.")
    status: Literal["full", "partial", "none"] = Field("full", description="Compliance with WCAG 2.1 AA.")
    feedback_email: str = Field(pattern=EMAIL_PATTERN)
    known_issues: Localized | None = Field(None, description="Content that is not yet accessible, and why.")
    supervisor: Localized | None = Field(None, description="The supervisory authority for accessibility, by name.")
    supervisor_url: Url | None = Field(None, description="Web address of the supervisory authority.")


class Authority(Model):
    name: Localized
    url: Url
    accessibility: AccessibilityStatement


class Service(Model):
    """One digital service whose outages Katko announces."""

    id: Id = Field(description="Short permanent identifier used in outage records and addresses.")
    name: Localized
    url: Url
    owner: str = Field(description="The unit responsible for the service.")
    max_outage: Duration | None = Field(None, description="The service level's maximum single outage.")
    contacts: list[Contact] = Field(default_factory=list, description="Ways to get help.")
    alternatives: Localized | None = Field(
        None, description="Standing instructions for getting matters handled while the service is down (Markdown).")


class Catalogue(Model):
    """``outages/services.yml``: the authority and its services."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"title": "Katko services catalogue"})

    authority: Authority
    services: list[Service] = Field(min_length=1)


# --------------------------------------------------------------------------- #
# Outage records: one file per outage
# --------------------------------------------------------------------------- #

Kind = Literal["planned", "unplanned"]
Status = Literal["scheduled", "ongoing", "ended", "cancelled",
                 "investigating", "identified", "monitoring", "resolved"]
Impact = Literal["unavailable", "partial", "slow", "read_only"]
PLANNED_STATUSES = ("scheduled", "ongoing", "ended", "cancelled")
UNPLANNED_STATUSES = ("investigating", "identified", "monitoring", "resolved", "cancelled")


class Update(Model):
    """One entry in the outage's timeline of updates."""

    time: Time
    text: Localized
    status: Status | None = Field(None, description="The status from this update on, if it changed.")


class Internal(Model):
    """Never published anywhere: for the authority's own staff only."""

    risks: list[str] | str | None = None
    authority_impact: str | None = Field(None, description="Impact on the authority's own work.")
    contacts: list[str] | str | None = Field(None, description="Who is responsible, on call, etc.")
    notes: str | None = None
    affected_users: int | None = Field(None, ge=0, description="Expected number of affected users.")


class Outage(Model):
    """One planned or unplanned outage: ``outages/ID.yml``."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"title": "Katko outage record"})

    id: Id | None = Field(None, description="Defaults to the file name without .yml.")
    kind: Kind
    services: list[str] = Field(min_length=1, description="Ids of the affected services (see services.yml).")
    status: Status | None = Field(None, description="Defaults to 'scheduled' (planned) or 'investigating' (unplanned).")
    impact: Impact = Field(description="unavailable, partial (partly unavailable), slow or read_only.")
    start: Time
    end: Time | None = Field(None, description="For unplanned outages an estimate; may be left out when unknown.")
    public_from: Time = Field(description="When the notice becomes public on the site and in feeds.")
    title: Localized
    summary: Localized
    details: Localized | None = Field(None, description="What is affected, and the cause in plain words (Markdown).")
    still_works: Localized | None = Field(None, description="What still works during the outage (Markdown).")
    alternatives: Localized | None = Field(
        None, description="Instructions specific to this outage, shown before the services' standing ones (Markdown).")
    unsaved_work: Localized | None = Field(
        None, description="What happens to work people have not finished (drafts, forms), e.g. 'Drafts are kept'.")
    stakeholders: list[Localized] = Field(default_factory=list, description="The affected groups of people.")
    updates: list[Update] = Field(default_factory=list, description="Timeline of updates, oldest first.")
    internal: Internal | None = None

    @property
    def effective_status(self) -> str:
        if self.status:
            return self.status
        for update in reversed(self.updates):
            if update.status:
                return update.status
        return "scheduled" if self.kind == "planned" else "investigating"

    @property
    def last_updated(self) -> datetime:
        return max([self.public_from, *(u.time for u in self.updates)])
