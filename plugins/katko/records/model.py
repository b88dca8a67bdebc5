"""The record format: services catalogue and outage records, as typed models.

These models are the single source of truth for the format: validation uses
them, and the JSON Schema files in ``schema/`` (which editors use to complete
fields and flag mistakes while typing) are generated from them by
``katko schema``. Field descriptions here are what the editor shows.

Languages are ISO 639-1 codes: ``fi``, ``sv``, ``en``. Which of them are
required is a site setting, checked by :mod:`katko.records.rules`, not by the models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from ..core.i18n import N_
from ..core.markup import scheme
from ..core.times import HELSINKI, TimeError, parse_duration, parse_time
from . import hosts as addresses, texts
from .emails import email_problem

LANGUAGES = ("fi", "sv", "en")
#: An id is part of file names and addresses (``api/v1/services/ID.json``): short enough for any
#: file system, whose names end at 255 bytes.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,99}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

# --------------------------------------------------------------------------- #
# Value types
# --------------------------------------------------------------------------- #


def error(code: str, message: str, **values: Any) -> PydanticCustomError:
    """A validation error with a problem code, its message a msgid with ``%(name)s``
    fields (see :mod:`katko.records.messages`); loading shows it in the reader's language."""
    return PydanticCustomError(code, message % values if values else message, {"msgid": message, "values": values})


def _time(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            moment = parse_time(value)
        except TimeError as exc:
            raise error(exc.code, exc.msgid, **exc.values) from None
        finnish = moment.astimezone(HELSINKI).utcoffset()
        if moment.utcoffset() not in (finnish, timedelta(0)):
            # +03:00 in winter (copied from a summer notice), +02:00 in summer or another place's
            # offset: the notice would show another hour than the one meant. UTC is written on purpose.
            raise error("K119", N_("'%(text)s' has the offset %(offset)s from UTC, but Finnish time then is "
                                   "%(finnish)s: this is %(local)s in Finnish time"),
                        text=value, offset=_offset(moment.utcoffset()), finnish=_offset(finnish),
                        local=moment.astimezone(HELSINKI))
        return moment
    raise error("K103", N_("a date and time is needed here"))


def _offset(offset: timedelta | None) -> str:
    """``+02:00``, as an offset is written.

    >>> _offset(timedelta(hours=3)), _offset(timedelta(hours=-3, minutes=-30))
    ('+03:00', '-03:30')
    """
    minutes = int((offset or timedelta(0)).total_seconds() // 60)
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except TimeError as exc:
            raise error(exc.code, exc.msgid, **exc.values) from None
    raise error("K111", N_("a duration such as 4h or 90min is needed here"))


_WEB_ADDRESS = re.compile(r"(?i)https?://[^/\s]\S*")


#: Characters an address never holds as they are (RFC 3986 writes them %22, %3C, %3E, %5C, %60): one in an
#: address was copied with the HTML or the quotes around it.
_NOT_IN_ADDRESS = re.compile(r'["<>\\`]')


def web_address(value: Any) -> str:
    """A web address, http:// or https://, without spaces or quote marks (K113 otherwise).

    >>> web_address('https://lupa.example.fi/"><script>')
    Traceback (most recent call last):
    pydantic_core._pydantic_core.PydanticCustomError: the character '"' cannot be in a web address as it is
    """
    address = value.strip() if isinstance(value, str) else ""
    if _WEB_ADDRESS.fullmatch(address):
        stray = _NOT_IN_ADDRESS.search(address)
        if stray:
            raise error("K113", N_("the character '%(character)s' cannot be in a web address as it is"),
                        character=stray.group())
        return address
    raise error("K113", N_("this is not a web address"))


def _url(value: Any) -> str:
    address = value.strip() if isinstance(value, str) else ""
    if address and not any(c.isspace() for c in address) and scheme(address) not in (None, "https"):
        # Also http:, whose pages could be altered on the way, and
        # javascript: or data:, which would run on the notice site.
        raise error("K120", N_("'%(address)s' does not start with https://"), address=address)
    address = web_address(address)
    problem = addresses.host_problem(address)
    if problem is not None:
        raise error("K113", problem, address=address)
    return address


def email_address(value: Any, public: bool = True) -> Any:
    """``value`` if it is no text (its type is checked next) or an e-mail address alone (K121, K103 otherwise)."""
    problem = email_problem(value, public) if isinstance(value, str) else None
    if problem is not None:
        code, message, values = problem
        raise error(code, message, **values)
    return value


def _checked(*checks: Any) -> Any:
    """A validator that runs :mod:`katko.records.texts`' ``checks`` on a text: each gives ``None`` or
    ``(code, msgid, values)``."""
    def validate(value: str) -> str:
        for check in checks:
            found = check(value)
            if found is not None:
                code, message, values = found
                raise error(code, message, **values)
        return value
    return AfterValidator(validate)


#: A text of a record or the catalogue: something visible (K115).
Text = Annotated[str, _checked(texts.blank)]
#: A title or a name: one line of visible text (K115, K116).
OneLine = Annotated[str, _checked(texts.blank, texts.line_break)]
#: Markdown: visible, and within what the renderer converts in bounded time (K115, K117).
MarkdownText = Annotated[str, _checked(texts.blank, texts.markdown_complexity)]


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
Url = Annotated[str, BeforeValidator(_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]://"})]
Id = Annotated[str, Field(pattern=ID_PATTERN)]
#: An e-mail address, published as a mailto: link: the address alone (K121), at a public host (K103).
#: The pattern is the schema's, for editors; the validator is stricter.
Email = Annotated[str, Field(pattern=EMAIL_PATTERN), BeforeValidator(email_address)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Model):
    """One text in several languages. Finnish and Swedish are required by default."""

    fi: Text | None = Field(None, description="Suomeksi / Finnish")
    sv: Text | None = Field(None, description="På svenska / Swedish")
    en: Text | None = Field(None, description="In English")

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


class Markdown(Localized):
    """One text in several languages, written in Markdown. Links may lead to
    https://, mailto: and tel: addresses and to pages of this site."""

    fi: MarkdownText | None = Field(None, description="Suomeksi / Finnish")
    sv: MarkdownText | None = Field(None, description="På svenska / Swedish")
    en: MarkdownText | None = Field(None, description="In English")


class Name(Localized):
    """A title or a name in several languages: one line each."""

    fi: OneLine | None = Field(None, description="Suomeksi / Finnish")
    sv: OneLine | None = Field(None, description="På svenska / Swedish")
    en: OneLine | None = Field(None, description="In English")


# --------------------------------------------------------------------------- #
# The services catalogue: outages/services.yml
# --------------------------------------------------------------------------- #

ContactKind = Literal["phone", "email", "service_point", "form", "chat"]
_CONTACT_VALUE = {"phone": "phone", "email": "email", "service_point": "address", "form": "url", "chat": "url"}


class Contact(Model):
    """A way to reach the authority: phone line, e-mail, service point, form or chat."""

    kind: ContactKind = Field(description="phone, email, service_point, form or chat")
    name: Name = Field(description="What the channel is called, e.g. 'Asiakaspalvelu'.")
    phone: Text | None = Field(None, description="Phone number as it should be shown, e.g. '029 123 4567'.")
    email: Email | None = None
    address: Localized | None = Field(None, description="Street address of a service point.")
    url: Url | None = Field(None, description="Address of a form or chat.")
    hours: Localized | None = Field(None, description="Opening hours, e.g. 'ma–pe klo 9.00–16.00'.")
    note: Localized | None = Field(None, description="Anything else the reader should know (e.g. call charges).")

    @model_validator(mode="after")
    def _value_for_kind(self) -> Contact:
        needed = _CONTACT_VALUE[self.kind]
        if getattr(self, needed) is None:
            raise error("K102", N_("a %(kind)s contact needs the field '%(needed)s'"), kind=self.kind, needed=needed)
        return self


class AccessibilityStatement(Model):
    """Facts for the accessibility statement page (the law requires one)."""

    date: Text = Field(description="When the statement was made or last reviewed, e.g. '1.11.2026'.")
    status: Literal["full", "partial", "none"] = Field("full", description="Compliance with WCAG 2.1 AA.")
    feedback_email: Email
    known_issues: Markdown | None = Field(None, description="Content that is not yet accessible, and why.")
    supervisor: Localized | None = Field(None, description="The supervisory authority for accessibility, by name.")
    supervisor_url: Url | None = Field(None, description="Web address of the supervisory authority.")


class Authority(Model):
    name: Name
    url: Url
    accessibility: AccessibilityStatement
    crisis: Crisis | None = Field(None, description="Crisis communication template: needed for data breach notices.")


# --------------------------------------------------------------------------- #
# Policy: how early outages must be announced, and how long follow-up may take
# --------------------------------------------------------------------------- #


class NoticeStep(Model):
    """Outages up to ``up_to`` long must be public ``working_days`` Finnish working days before they start."""

    up_to: Duration | None = Field(None, description="Outages up to this long; leave out in the last step (any length).")
    working_days: int = Field(ge=0, le=250, description="Finnish working days of notice (weekends and public holidays excluded).")


def _in_order(steps: list[NoticeStep]) -> list[NoticeStep]:
    """Steps from the shortest outage to the longest, only the last without ``up_to``: a step after
    an open one, or after a longer one, would never apply, and the policy would say less than it reads."""
    limits = [step.up_to for step in steps]
    if None in limits[:-1] or any(a >= b for a, b in zip(limits, limits[1:]) if a is not None and b is not None):
        raise error("K103", N_("the steps of 'notice' go from the shortest outage to the longest, each 'up_to' longer "
                               "than the one before, and only the last step has no 'up_to'"))
    return steps


#: Advance notice by outage length, in order (K103 otherwise).
NoticeSteps = Annotated[list[NoticeStep], AfterValidator(_in_order)]


#: The default advance-notice policy: 5 working days up to 4 h, 10 up to 12 h, 20 beyond
#: (after the precedent of Commission Implementing Regulation (EU) 2020/2244).
DEFAULT_NOTICE = (NoticeStep(up_to=timedelta(hours=4), working_days=5),
                  NoticeStep(up_to=timedelta(hours=12), working_days=10),
                  NoticeStep(working_days=20))


class Policy(Model):
    """The authority's outage policy. Every field has a default; give only what differs."""

    notice: NoticeSteps | None = Field(
        None, min_length=1,
        description="Advance notice by outage length. Default: 5 working days up to 4h, 10 up to 12h, 20 beyond.")
    arrangement_days: int = Field(
        7, ge=0, le=3650, description="Days after a temporary arrangement is due (the outage's end, or its remove_by if later) "
                             "until one not marked removed is an error.")
    evaluation_days: int = Field(
        14, ge=1, le=3650, description="Days after an outage's end until a missing evaluation is a warning; twice this, an error.")
    quiet_share: float = Field(
        10, gt=0, le=100,
        description="For services with a usage profile: a planned outage outside this percentage of the week's "
                    "quietest windows of its length is warned about (K230).")

    def notice_days(self, duration: timedelta, steps: list[NoticeStep] | None = None) -> int:
        """Working days of notice an outage of ``duration`` needs.

        >>> Policy().notice_days(timedelta(hours=4)), Policy().notice_days(timedelta(hours=5))
        (5, 10)
        >>> Policy().notice_days(timedelta(hours=13))
        20
        """
        for step in steps or self.notice or DEFAULT_NOTICE:
            if step.up_to is None or duration <= step.up_to:
                return step.working_days
        return (steps or self.notice or DEFAULT_NOTICE)[-1].working_days

    def notice_needed(self, duration: timedelta, services: Iterable[Service]) -> int:
        """Working days of notice for an outage of these services: each service's own
        steps or the site's, and with several services the strictest."""
        return max([self.notice_days(duration, s.notice) for s in services] or [self.notice_days(duration)])


class Crisis(Model):
    """The authority's crisis communication template for data breaches and other exceptional situations."""

    contacts: list[Contact] = Field(
        min_length=1, description="Whom people reach in a crisis, e.g. the data protection officer.")
    statement: Localized | None = Field(
        None, description="A passage every crisis notice ends with, e.g. how the authority reports to the supervisor.")
    supervisor_url: Url | None = Field(
        None, description="For data breaches: where people can complain, e.g. the Data Protection Ombudsman's site.")


class Service(Model):
    """One digital service whose outages Katko announces."""

    id: Id = Field(description="Short permanent identifier used in outage records and addresses.")
    name: Name
    url: Url
    owner: Text = Field(description="The unit responsible for the service.")
    max_outage: Duration | None = Field(None, description="The service level's maximum single outage.")
    notice: NoticeSteps | None = Field(
        None, min_length=1, description="This service's own advance-notice policy, instead of the catalogue's.")
    contacts: list[Contact] = Field(default_factory=list, description="Ways to get help.")
    alternatives: Markdown | None = Field(
        None, description="Standing instructions for getting matters handled while the service is down (Markdown).")


class Catalogue(Model):
    """``outages/services.yml``: the authority and its services."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"title": "Katko services catalogue"})

    authority: Authority
    policy: Policy = Field(default_factory=Policy, description="Advance notice, follow-up and evaluation deadlines.")
    services: list[Service] = Field(min_length=1)


# --------------------------------------------------------------------------- #
# Outage records: one file per outage
# --------------------------------------------------------------------------- #

Kind = Literal["planned", "unplanned"]
Status = Literal["scheduled", "ongoing", "extended", "ended", "cancelled",
                 "investigating", "identified", "monitoring", "resolved"]
Impact = Literal["unavailable", "partial", "slow", "read_only"]
Exceptional = Literal["data_breach", "other"]
PLANNED_STATUSES = ("scheduled", "ongoing", "extended", "ended", "cancelled")
UNPLANNED_STATUSES = ("investigating", "identified", "monitoring", "resolved", "cancelled")


class Update(Model):
    """One entry in the outage's timeline of updates."""

    time: Time
    text: Markdown
    status: Status | None = Field(None, description="The status from this update on, if it changed.")
    end: Time | None = Field(
        None, description="The new end this update announces: an extension, or the estimate of an unplanned outage. "
                          "With status ended or resolved: when the service was back in use.")


class Risk(Model):
    """A risk of the outage and how it is handled."""

    risk: Text
    handling: Text = Field(description="How the risk is prevented, or what is done if it happens.")


class Arrangement(Model):
    """A temporary arrangement for the outage: an extra phone line, an extended deadline, a paper form…"""

    what: Text = Field(description="The arrangement, e.g. 'Extra phone line 09 000 1234'.")
    owner: Text = Field(description="Who removes it afterwards.")
    remove_by: Time | None = Field(None, description="When it is to be removed.")
    removed: Time | None = Field(None, description="When it was removed. Needed after the outage has ended.")
    collects_data: bool = Field(False, description="True if it collects information (forms, messages) meanwhile.")
    carried_over: Time | None = Field(
        None, description="When the information it collected was carried over to the service. Needed if collects_data.")


class Evaluation(Model):
    """The evaluation after the outage: what happened and what to learn."""

    actual_start: Time
    actual_end: Time
    went_well: Text = Field(description="What went well.")
    problems: Text = Field(description="What went wrong or caused trouble; 'none' if nothing.")
    improvements: Text = Field(description="What to do differently next time.")
    reached_people: Text = Field(description="Whether the notice and the instructions reached the people affected.")


class Internal(Model):
    """Never published anywhere: for the authority's own staff only."""

    risks: list[Risk | Text] | Text | None = Field(None, description="Risks of the outage and how they are handled.")
    authority_impact: Text | None = Field(None, description="Impact on the authority's own work.")
    contacts: list[Text] | Text | None = Field(None, description="Who is responsible, on call, etc.")
    notes: Text | None = None
    affected_users: int | None = Field(None, ge=0, description="Expected number of affected users.")
    service_level_reason: Text | None = Field(
        None, description="Why a planned outage may be longer than the service level's maximum single outage.")
    arrangements: list[Arrangement] = Field(default_factory=list, description="Temporary arrangements to remove afterwards.")
    evaluation: Evaluation | None = Field(None, description="Written after the outage has ended.")


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
    title: Name
    summary: Localized
    details: Markdown | None = Field(None, description="What is affected, and the cause in plain words (Markdown).")
    still_works: Markdown | None = Field(None, description="What still works during the outage (Markdown).")
    alternatives: Markdown | None = Field(
        None, description="Instructions specific to this outage, shown before the services' standing ones (Markdown).")
    unsaved_work: Localized | None = Field(
        None, description="What happens to work people have not finished (drafts, forms), e.g. 'Drafts are kept'.")
    stakeholders: list[Localized] = Field(default_factory=list, description="The affected groups of people.")
    urgent: Localized | None = Field(
        None, description="Why a planned outage cannot wait for the usual notice period; shown on the notice.")
    exceptional: Exceptional | None = Field(
        None, description="data_breach or other: the notice follows the authority's crisis communication template.")
    affected_data: Localized | None = Field(
        None, description="For a data breach: which information was concerned, in plain words.")
    advice: Markdown | None = Field(
        None, description="In an exceptional situation: what people should do now (Markdown).")
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
    def duration(self) -> timedelta | None:
        return self.end - self.start if self.end is not None else None

    @property
    def last_updated(self) -> datetime:
        return max([self.public_from, *(u.time for u in self.updates)])
