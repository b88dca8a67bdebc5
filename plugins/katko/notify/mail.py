"""E-mail: one MIME message per event and list, sent over SMTP.

Each message is ``multipart/alternative`` with a plain-text and an HTML part
in the list's language. Its ``Message-ID`` is made from the event and the
list, so the same event always has the same id; the first message about an
outage on a list has the outage's own id, and every later one refers to it in
``In-Reply-To`` and ``References``, so mail programs thread an outage's
messages together even when the first one was never received.
"""

from __future__ import annotations

import hashlib
import smtplib
import ssl
from datetime import datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Mapping
from urllib.parse import urlsplit

from .compose import View
from .config import EmailChannel, MailingList, NotifyError, Smtp, href, secret


def _list_key(mailing_list: MailingList) -> str:
    # The list's own part of its messages' ids: short, stable, and not the address itself.
    return hashlib.sha256(mailing_list.address.lower().encode()).hexdigest()[:10]


def thread_id(outage_id: str, mailing_list: MailingList, host: str) -> str:
    """The Message-ID of an outage's first message on a list, which later ones refer to."""
    return f"<{outage_id}.{_list_key(mailing_list)}@{host}>"


def message_id(view: View, mailing_list: MailingList, host: str) -> str:
    event = view.event
    if event.first:
        return thread_id(event.outage["id"], mailing_list, host)
    return f"<{event.id}.{_list_key(mailing_list)}@{host}>"


def build(view: View, text: str, html: str, channel: EmailChannel, mailing_list: MailingList,
          site_url: str) -> EmailMessage:
    """The message, complete but for ``Date``, which is set when it is sent."""
    host = urlsplit(site_url).hostname or "katko.invalid"
    msg = EmailMessage(policy=SMTP)
    msg["From"] = channel.sender
    msg["To"] = mailing_list.address
    if channel.reply_to:
        msg["Reply-To"] = channel.reply_to
    msg["Subject"] = view.subject
    own = message_id(view, mailing_list, host)
    msg["Message-ID"] = own
    root = thread_id(view.event.outage["id"], mailing_list, host)
    if own != root:
        msg["In-Reply-To"] = root
        msg["References"] = root
    if mailing_list.unsubscribe:
        msg["List-Unsubscribe"] = f"<{href(mailing_list.unsubscribe)}>"
    # RFC 3834: no vacation replies or other automatic answers to the list.
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    # After the parts: setting the content clears every Content-* header.
    msg["Content-Language"] = view.lang
    return msg


def preview(msg: EmailMessage) -> str:
    """The message as the dry run shows it: its headers and its plain-text part."""
    lines = [f"{name}: {value}" for name, value in msg.items()
             if name.lower() not in ("content-type", "mime-version", "content-transfer-encoding")]
    plain = msg.get_body(("plain",))
    assert plain is not None
    return "\n".join(lines) + "\n\n" + plain.get_content().rstrip("\n")


class Sender:
    """One SMTP connection for a run: opened on the first message, closed at the end."""

    def __init__(self, smtp: Smtp, base: Path, environ: Mapping[str, str]) -> None:
        self.smtp = smtp
        self.base = base
        self.environ = environ
        self.connection: smtplib.SMTP | None = None
        #: Why the server could not be reached: the other messages fail at once with it.
        self.unreachable: NotifyError | None = None

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                self.connection.close()
            self.connection = None

    def _context(self) -> ssl.SSLContext:
        cafile = str(self.base / self.smtp.ca_file) if self.smtp.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def _connect(self) -> smtplib.SMTP:
        s = self.smtp
        where = f"{s.host}:{s.effective_port}"
        username = self.environ.get(s.username_env, "").strip()
        password = secret(s.password_env, self.environ) if username else ""
        if username and s.security == "none":
            raise NotifyError(f"email.smtp: will not send the password to {where} unencrypted: "
                              f"use security: starttls or smtps")
        try:
            if s.security == "smtps":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.effective_port, timeout=s.timeout,
                                                            context=self._context())
            else:
                connection = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
            try:
                connection.ehlo()
                if s.security == "starttls":
                    connection.starttls(context=self._context())
                    connection.ehlo()
                if username:
                    connection.login(username, password)
            except BaseException:
                connection.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise NotifyError(f"the mail server {where} refused the login of {username}: "
                              f"{exc.smtp_code} {_said(exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise NotifyError(f"the mail server {where} does not offer STARTTLS: "
                              f"check email.smtp.security and port") from None
        except ssl.SSLError as exc:
            raise NotifyError(f"TLS with the mail server {where} failed: {exc.reason or exc}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise NotifyError(f"cannot connect to the mail server {where}: {exc}") from None
        return connection

    def send(self, msg: EmailMessage) -> None:
        """Send ``msg`` to its list, or :class:`NotifyError` saying why it was not sent."""
        if self.unreachable is not None:
            raise NotifyError(str(self.unreachable))
        if self.connection is None:
            try:
                self.connection = self._connect()
            except NotifyError as exc:
                self.unreachable = exc
                raise
        del msg["Date"]
        msg["Date"] = format_datetime(datetime.now(timezone.utc))
        sender = parseaddr(str(msg["From"]))[1]
        try:
            refused = self.connection.send_message(msg, from_addr=sender, to_addrs=[str(msg["To"])])
        except smtplib.SMTPRecipientsRefused as exc:
            code, said = next(iter(exc.recipients.values()))
            raise NotifyError(f"the mail server refused the list address {msg['To']}: {code} {_said(said)}") from None
        except smtplib.SMTPSenderRefused as exc:
            raise NotifyError(f"the mail server refused the sender {sender}: {exc.smtp_code} "
                              f"{_said(exc.smtp_error)}") from None
        except smtplib.SMTPResponseException as exc:
            raise NotifyError(f"the mail server did not take the message: {exc.smtp_code} "
                              f"{_said(exc.smtp_error)}") from None
        except (smtplib.SMTPException, OSError) as exc:
            # The connection is gone: the next message opens a new one.
            self.connection = None
            raise NotifyError(f"sending to the mail server failed: {exc}") from None
        if refused:
            raise NotifyError(f"the mail server refused {', '.join(refused)}")


def _said(text: bytes | str) -> str:
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)

