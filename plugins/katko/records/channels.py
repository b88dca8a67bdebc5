"""The settings of ``katko notify``: ``notify.yml`` next to ``mkdocs.yml``.

The file names the channels (e-mail lists, webhooks, a WebSub hub) and how to
reach them. It holds no secrets: a password, a webhook's signing key or the
address of a Teams or Slack webhook (which works as a password) is given as
the *name* of an environment variable, read only when a message is sent.

The site build reads the same file: the Subscribe page tells how to join the
e-mail lists, and the feeds name the WebSub hub. Katko keeps no subscriber
lists: it sends one message to each list's address, and the authority's
mailing-list server or newsletter tool delivers it to the subscribers.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from email.utils import getaddresses, parseaddr
from functools import partial
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from ..core.i18n import N_
from .codes import hint
from .diagnostics import Diagnostic
from .messages import OneOf, params
from .model import EMAIL_PATTERN, ID_PATTERN, Model, email_address, error, web_address
from .validation import validate
from .yamlsource import Document
from .yamlsource import load as load_yaml

FILE_NAME = "notify.yml"

Lang = Literal["fi", "sv", "en"]
_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"


def _env_name(value: Any) -> Any:
    if isinstance(value, str) and not re.match(_ENV_NAME, value):
        raise error("K103", N_("'%(value)s' is not the name of an environment variable (letters A-Z, digits and _, "
                               "not starting with a digit)"), value=value)
    return value


EnvName = Annotated[str, Field(
    pattern=_ENV_NAME,
    description="The name of an environment variable (the value itself is never written here)."),
    BeforeValidator(_env_name)]

def _target(value: Any) -> Any:
    """A join or leave address that is written to is an e-mail address alone, as the records' (K121, K103)."""
    if isinstance(value, str) and not value.startswith(("https://", "http://")):
        email_address(value.removeprefix("mailto:"))
    return value


#: What a subscriber uses to join or leave a list: a web page, or an e-mail address to write to.
Target = Annotated[str, Field(
    pattern=r"^(https?://\S+|mailto:[^@\s]+@[^@\s]+\.[^@\s]+|[^@\s:/]+@[^@\s]+\.[^@\s]+)$",
    description="A web address (https://…) or an e-mail address (with or without mailto:).",
    examples=["https://lists.esimerkkila.example/postorius/lists/katkot.lists.esimerkkila.example/",
              "katkot-join@lists.esimerkkila.example"]), BeforeValidator(_target)]


def href(target: str) -> str:
    """A subscribe or unsubscribe target as a link: an e-mail address becomes ``mailto:``.

    >>> href("katkot-leave@lists.esimerkkila.example"), href("https://lists.esimerkkila.example/katkot")
    ('mailto:katkot-leave@lists.esimerkkila.example', 'https://lists.esimerkkila.example/katkot')
    """
    return target if target.startswith(("https://", "http://", "mailto:")) else f"mailto:{target}"


class NotifyError(Exception):
    """``katko notify`` cannot go on; the message says why and what to do."""


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (where plain HTTP cannot be overheard).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("hooks.esimerkkila.example")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def encrypted(url: str) -> bool:
    """Whether ``url`` may carry a message: https://, or plain http:// to this machine only.

    A webhook's address (for Teams and Slack, a password in itself) and a hub
    get the messages; only this machine (tests, a local relay) cannot overhear them.

    >>> [encrypted(url) for url in ("https://hooks.example/x", "http://127.0.0.1:8080/", "http://hooks.example/")]
    [True, True, False]
    """
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))


def _https(url: str) -> str:
    if not encrypted(url):
        raise error("K113", N_("use an https:// address: '%(url)s' would travel unencrypted"), url=url)
    return url


# Not the records' Url (https only): plain http:// to this machine carries messages too.
HttpsUrl = Annotated[str, BeforeValidator(web_address), AfterValidator(_https),
                     WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})]


def _mailbox(value: str) -> str:
    """One address with an optional name, on one line: a line break would start a header of its own
    in every message (``Bcc:``), and a second address would send from or reply to it too."""
    name, address = parseaddr(value)
    if not address or "@" not in address or " " in address or any(c in value for c in "\r\n") \
            or len(getaddresses([value])) != 1:
        raise error("K103", N_("'%(value)s' is not an e-mail address such as "
                               "'Esimerkkilän kaupunki <katkot@esimerkkila.example>'"), value=value)
    email_address(address)
    return value


Mailbox = Annotated[str, AfterValidator(_mailbox)]
#: Where Katko posts a list's messages: an address alone (K121), but never published, so it may be
#: on the authority's own network (lists.kaupunki.local).
PostingAddress = Annotated[str, Field(pattern=EMAIL_PATTERN), BeforeValidator(partial(email_address, public=False))]


def _server(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9._:\[\]-]+", value):
        raise error("K103", N_("'%(value)s' is not the name or address of a server"), value=value)
    return value


#: A host name or an IP address, as the mail server is reached by.
ServerName = Annotated[str, AfterValidator(_server)]


class Smtp(Model):
    """The mail server that takes Katko's messages to the lists."""

    host: ServerName = Field(description="The SMTP server, e.g. smtp.office365.com or the authority's own relay.")
    port: int | None = Field(None, ge=1, le=65535,
                             description="Default: 587 with starttls, 465 with smtps, 25 with none.")
    security: Literal["starttls", "smtps", "none"] = Field(
        "starttls", description="starttls (port 587), smtps (TLS from the start, port 465), "
                                "or none (only for a relay that accepts no TLS; never with a password).")
    username_env: EnvName = Field("KATKO_SMTP_USERNAME",
                                  description="Environment variable with the user name; unset: no login.")
    password_env: EnvName = Field("KATKO_SMTP_PASSWORD", description="Environment variable with the password.")
    ca_file: str | None = Field(
        None, description="A CA certificate file (PEM) to trust, for a server whose certificate is from the "
                          "authority's own certification authority. Relative to notify.yml.")
    timeout: float = Field(30, gt=0, le=300, description="Seconds to wait for the server.")

    @property
    def effective_port(self) -> int:
        return self.port or {"starttls": 587, "smtps": 465, "none": 25}[self.security]


class MailingList(Model):
    """One list: its address, its language, and optionally the services it is about."""

    address: PostingAddress = Field(description="The list's posting address; Katko sends each message there.")
    lang: Lang = Field(description="The language of the messages: fi, sv or en.")
    services: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(
        default_factory=list, description="Only outages of these services (ids from services.yml); empty: all.")
    subscribe: Target | None = Field(
        None, description="Where people join the list: its sign-up page, or an address to write to. "
                          "The Subscribe page shows the lists that have one.")
    unsubscribe: Target | None = Field(
        None, description="Where people leave the list; sent as the List-Unsubscribe header.")

    def covers(self, services: Iterable[str]) -> bool:
        return not self.services or any(s in self.services for s in services)

    @property
    def subscribe_href(self) -> str | None:
        return href(self.subscribe) if self.subscribe else None

    @property
    def unsubscribe_href(self) -> str | None:
        return href(self.unsubscribe) if self.unsubscribe else None


class EmailChannel(Model):
    """E-mail over SMTP to list addresses."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    sender: Mailbox = Field(alias="from", description="The From address, e.g. 'Esimerkkilän kaupunki "
                                                     "<katkot@esimerkkila.example>'. The list must accept posts from it.")
    reply_to: Mailbox | None = Field(None, description="Where replies go, e.g. the customer service.")
    smtp: Smtp
    lists: list[MailingList] = Field(min_length=1)


class Webhook(Model):
    """A web address that gets a POST for every event."""

    name: Annotated[str, Field(pattern=ID_PATTERN)] = Field(
        description="A short name for the output and the journal, e.g. teams-it.")
    preset: Literal["json", "teams", "slack"] = Field(
        "json", description="json: Katko's signed JSON (api/v1/webhook.schema.json); teams: a Microsoft Teams "
                            "workflow or incoming webhook; slack: a Slack-compatible incoming webhook "
                            "(Slack, Mattermost, Rocket.Chat, Zulip).")
    url: HttpsUrl | None = Field(None, description="The address, if it is not secret (json only).")
    url_env: EnvName | None = Field(None, description="Environment variable with the address (Teams and Slack: "
                                                      "the address is the password).")
    secret_env: EnvName | None = Field(
        None, description="json: environment variable with the signing secret (default KATKO_WEBHOOK_SECRET).")
    lang: Lang | None = Field(None, description="teams and slack: the language of the messages "
                                                "(default: the site's first language).")
    services: list[Annotated[str, Field(pattern=ID_PATTERN)]] = Field(
        default_factory=list, description="Only outages of these services; empty: all.")
    timeout: float = Field(10, gt=0, le=60, description="Seconds to wait for an answer.")
    retries: int = Field(3, ge=0, le=10, description="Further attempts after a failure that may pass.")

    @model_validator(mode="after")
    def _consistent(self) -> Webhook:
        if (self.url is None) == (self.url_env is None):
            raise error("K102", N_("give either 'url' or 'url_env'"))
        if self.preset != "json":
            if self.url is not None:
                raise error("K103", N_("the address of a %(preset)s webhook works as its password: give the name of "
                                       "an environment variable in 'url_env' instead of 'url'"), preset=self.preset)
            if self.secret_env is not None:
                raise error("K103", N_("%(preset)s does not check signatures: leave 'secret_env' out"),
                            preset=self.preset)
        elif self.lang is not None:
            raise error("K103", N_("a json webhook carries every language: leave 'lang' out"))
        return self

    @property
    def signing_env(self) -> str | None:
        return (self.secret_env or "KATKO_WEBHOOK_SECRET") if self.preset == "json" else None

    def covers(self, services: Iterable[str]) -> bool:
        return not self.services or any(s in self.services for s in services)


class WebSub(Model):
    """A WebSub hub: the feeds name it, and ``katko notify`` tells it which feeds changed."""

    hub: HttpsUrl = Field(description="The hub's address, e.g. https://pubsubhubbub.appspot.com/.")
    timeout: float = Field(10, gt=0, le=60, description="Seconds to wait for the hub.")
    retries: int = Field(3, ge=0, le=10, description="Further attempts after a failure that may pass.")


class NotifyConfig(Model):
    """``notify.yml``: the channels of ``katko notify``. Every channel is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"title": "Katko notifications"})

    email: EmailChannel | None = None
    webhooks: list[Webhook] = Field(default_factory=list)
    websub: WebSub | None = None

    @property
    def empty(self) -> bool:
        return self.email is None and not self.webhooks and self.websub is None

    def subscribable(self, lang: str) -> list[MailingList]:
        """The lists people can join, those in ``lang`` first (the Subscribe page)."""
        lists = [m for m in self.email.lists if m.subscribe] if self.email else []
        return sorted(lists, key=lambda m: m.lang != lang)


# --------------------------------------------------------------------------- #
# Reading the file
# --------------------------------------------------------------------------- #


def load(path: Path, services: Iterable[str] | None = None,
         languages: Iterable[str] | None = None) -> tuple[NotifyConfig | None, list[Diagnostic]]:
    """``notify.yml`` checked, or every problem found in it (with line and column).

    A missing file means no channels. ``services`` and ``languages``, when
    given, are what the lists and webhooks may name.
    """
    if not path.is_file():
        return NotifyConfig(), []
    doc, problems = load_yaml(path, str(path))
    if doc is None:
        return None, problems
    config, _, found = validate(doc, NotifyConfig)
    problems += found
    problems += _references(doc, set(services) if services is not None else None,
                            tuple(languages) if languages is not None else None)
    ca_file = config.email.smtp.ca_file if config and config.email else None
    if ca_file and not (path.parent / ca_file).is_file():
        line, column = doc.position(("email", "smtp", "ca_file"))
        problems.append(Diagnostic(str(path), line, column, "error", "K007",
                                   N_("email.smtp.ca_file: no such file: %(file)s"), hint("K007"), params(file=ca_file)))
    return (config if not problems else None), sorted(set(problems))


def _channels(data: Any) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """Each list and webhook of the file as written, with where it is: also when the file
    has other mistakes, so that every problem is reported at once."""
    if not isinstance(data, dict):
        return
    email = data.get("email")
    lists = email.get("lists") if isinstance(email, dict) else None
    for key, items in ((("email", "lists"), lists), (("webhooks",), data.get("webhooks"))):
        if isinstance(items, list):
            yield from (((*key, i), item) for i, item in enumerate(items) if isinstance(item, dict))


def _references(doc: Document, services: set[str] | None, languages: tuple[str, ...] | None) -> list[Diagnostic]:
    """Services and languages named in the file that the site does not have, repeated webhook names,
    and a list written twice (each of its messages would be sent twice)."""
    problems = []
    names: list[Any] = []
    addresses: set[tuple[str, str]] = set()
    for where, channel in _channels(doc.data):
        named = channel.get("services")
        if services is not None and isinstance(named, list):
            for j, service in enumerate(named):
                if isinstance(service, str) and re.match(ID_PATTERN, service) and service not in services:
                    line, column = doc.position((*where, "services", j))
                    problems.append(Diagnostic(doc.path, line, column, "error", "K302",
                                               N_("unknown service '%(service)s'"), hint("K302"),
                                               params(service=service)))
        lang = channel.get("lang")
        if languages is not None and lang in ("fi", "sv", "en") and lang not in languages:
            line, column = doc.position((*where, "lang"))
            problems.append(Diagnostic(doc.path, line, column, "error", "K104",
                                       N_("'%(lang)s' is not one of the site's languages; use %(languages)s"),
                                       hint("K104"), params(lang=lang, languages=OneOf(languages))))
        if where[0] == "webhooks" and "name" in channel:
            if channel["name"] in names:
                line, column = doc.position((*where, "name"))
                problems.append(Diagnostic(doc.path, line, column, "error", "K103",
                                           N_("webhooks[%(number)s].name: '%(name)s' is used twice; give each "
                                              "webhook its own name"), hint("K103"),
                                           params(number=where[1] + 1, name=channel["name"])))
            names.append(channel["name"])
        address = channel.get("address")
        if where[0] == "email" and isinstance(address, str):
            # The same list in two languages gets each message in both; in one language, twice.
            key = (address.strip().lower(), str(channel.get("lang")))
            if key in addresses:
                line, column = doc.position((*where, "address"))
                problems.append(Diagnostic(doc.path, line, column, "error", "K103",
                                           N_("email.lists[%(number)s]: the list '%(address)s' is listed twice in "
                                              "the same language; each message would reach it twice"),
                                           hint("K103"), params(number=where[2] + 1, address=address)))
            addresses.add(key)
    return problems


def secret(name: str, environ: Mapping[str, str] = os.environ) -> str:
    """The value of the environment variable ``name``, or :class:`NotifyError` saying how to set it."""
    value = environ.get(name, "").strip()
    if not value:
        raise NotifyError(f"the environment variable {name} is not set: add it as a secret where katko notify runs "
                          f"(on GitHub: Settings > Secrets and variables > Actions, and pass it in the workflow)")
    return value
