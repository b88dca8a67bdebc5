"""From events to deliveries, and sending them: what ``katko notify`` does once it has its inputs.

A :class:`Delivery` is one message to one place: an e-mail to a list, a
POST to a webhook, a ping to the WebSub hub. :func:`plan` makes them all
before anything is sent, so that the dry run shows exactly what a real run
sends, and secrets are read only when a delivery is sent.

:func:`send` tries every delivery; one that fails does not stop the others.
A :class:`Journal` (optional) remembers the deliveries made, so that running
the same comparison again (a failed run, re-run) sends only what did not get
through. Without one, the published API alone is the state: compare the
next build with the site as now published, and nothing is sent twice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..records.channels import NotifyConfig, NotifyError, Webhook, encrypted, secret
from . import mail, webhook, websub
from .compose import Composer
from .events import Event


@dataclass(frozen=True)
class Delivery:
    """One message to one place."""

    channel: str  # e-mail, webhook or WebSub
    target: str  # where, as printed: never a secret
    lang: str | None
    #: What the journal remembers it by; None for WebSub pings, which may be repeated freely.
    key: str | None
    #: One line: the subject, the event, or the feed.
    title: str
    #: Exactly what is sent, for the dry run (without secrets or the time of sending).
    preview: str
    send: Callable[[], None] = field(repr=False, compare=False)


@dataclass
class Plan:
    deliveries: list[Delivery]
    #: Closed after sending (the SMTP connection).
    resources: ExitStack = field(default_factory=ExitStack)


def plan(config: NotifyConfig, events: list[Event], changed: list[dict[str, Any]], document: dict[str, Any],
         composer: Composer, base: Path, environ: Mapping[str, str] = os.environ) -> Plan:
    """Every delivery for ``events`` (and, for WebSub, the ``changed`` outages) of the site in ``document``."""
    result = Plan([])
    site_url: str = document["site"]["url"]
    languages: list[str] = document["site"]["languages"]
    if config.email:
        channel = config.email
        sender = result.resources.enter_context(mail.Sender(channel.smtp, base, environ))
        for mailing_list in sorted(channel.lists, key=lambda m: languages.index(m.lang)):
            for event in events:
                if not mailing_list.covers(event.services):
                    continue
                view = composer.view(event, mailing_list.lang)
                text, html = composer.email(view, mailing_list.unsubscribe)
                msg = mail.build(view, text, html, channel, mailing_list, site_url)
                result.deliveries.append(Delivery(
                    "e-mail", mailing_list.address, mailing_list.lang, str(msg["Message-ID"]), view.subject,
                    mail.preview(msg) + "\n\n(and the same as HTML)", lambda msg=msg: sender.send(msg)))
    for hook in config.webhooks:
        for event in events:
            if hook.covers(event.services):
                result.deliveries.append(_webhook(hook, event, document, composer, environ))
    if config.websub:
        hub = config.websub
        for topic in websub.topics(site_url, languages, changed):
            data = websub.ping_body(topic)
            result.deliveries.append(Delivery(
                "WebSub", hub.hub, None, None, topic, f"POST {hub.hub}\n\n{data.decode()}",
                lambda data=data: webhook.post(hub.hub, data, "application/x-www-form-urlencoded",
                                               timeout=hub.timeout, retries=hub.retries)))
    return result


def _webhook(hook: Webhook, event: Event, document: dict[str, Any], composer: Composer,
             environ: Mapping[str, str]) -> Delivery:
    if hook.preset == "json":
        data, lang = webhook.body(webhook.payload(event, document)), None
    else:
        lang = hook.lang or document["site"]["languages"][0]
        view = composer.view(event, lang)
        data = webhook.body(composer.teams(view) if hook.preset == "teams" else composer.slack(view))
    where = hook.url or f"the address in ${hook.url_env}"
    target = f"{hook.name} ({hook.preset}, {where})"
    shown = [f"POST {where}", "Content-Type: application/json"]
    signing = hook.signing_env
    if signing:
        shown += [f"webhook-id: {event.id}", "webhook-timestamp: (the time of sending)",
                  f"webhook-signature: v1,… (HMAC-SHA256 with the key in ${signing})"]

    def send() -> None:
        url = hook.url or secret(str(hook.url_env), environ)
        if not encrypted(url):
            raise NotifyError(f"${hook.url_env} is not an https:// address")
        headers: Callable[[], dict[str, str]] = dict
        if signing:
            raw = webhook.key(secret(signing, environ), signing)
            headers = lambda: webhook.signed_headers(raw, event.id, data)  # noqa: E731
        webhook.post(url, data, "application/json", timeout=hook.timeout, retries=hook.retries, headers=headers)

    return Delivery("webhook", target, lang, f"webhook {hook.name} {event.id}", f"{event.kind} {event.outage['id']}",
                    "\n".join(shown) + "\n\n" + data.decode("utf-8"), send)


# --------------------------------------------------------------------------- #
# The journal
# --------------------------------------------------------------------------- #


class Journal:
    """The deliveries already made in this comparison: keys only, no addresses or texts."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.done: set[str] = set()
        if path is None:
            return
        if path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.done = set(data["delivered"])
            except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
                raise NotifyError(f"{path} is not a katko notify journal: {exc}") from None
        self._write()  # exists from the start, for a workflow that keeps it whatever happens

    def __contains__(self, key: str | None) -> bool:
        return key is not None and key in self.done

    def add(self, key: str | None) -> None:
        if key is None or self.path is None:
            return
        self.done.add(key)
        self._write()

    def _write(self) -> None:
        assert self.path is not None
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"version": 1, "delivered": sorted(self.done)}, indent=2) + "\n",
                             encoding="utf-8")
        temporary.replace(self.path)


# --------------------------------------------------------------------------- #
# Sending
# --------------------------------------------------------------------------- #


@dataclass
class Outcome:
    sent: int = 0
    skipped: int = 0
    failed: list[tuple[Delivery, str]] = field(default_factory=list)


def send(planned: Plan, journal: Journal, echo: Callable[[str], None]) -> Outcome:
    """Send every delivery not in ``journal``; report each on ``echo``."""
    outcome = Outcome()
    with planned.resources:
        for delivery in planned.deliveries:
            where = f"{delivery.channel} {delivery.lang + ' ' if delivery.lang else ''}{delivery.target}"
            if delivery.key in journal:
                outcome.skipped += 1
                echo(f"already sent  {where}: {delivery.title}")
                continue
            try:
                delivery.send()
            except NotifyError as exc:
                outcome.failed.append((delivery, str(exc)))
                echo(f"FAILED        {where}: {delivery.title}: {exc}")
                continue
            journal.add(delivery.key)
            outcome.sent += 1
            echo(f"sent          {where}: {delivery.title}")
    return outcome
