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
from email import message_from_bytes
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import default
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from types import TracebackType
from typing import Mapping
from urllib.parse import urlsplit

from ..records.channels import EmailChannel, MailingList, NotifyError, Smtp, href, secret
from .compose import View


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
          site_url: str) -> Message:
    """The message, complete but for ``Date``, which is set when it is sent.

    Made with the ``email.mime`` classes and ``Header``: the newer
    ``EmailMessage`` folds a long non-ASCII subject into encoded words with the
    space between two of them outside both, and mail programs drop it
    ("Esimerkkilässä– liitteitä").
    """
    host = urlsplit(site_url).hostname or "katko.invalid"
    msg = MIMEMultipart("alternative")
    msg["From"] = _mailbox(channel.sender)
    msg["To"] = mailing_list.address
    if channel.reply_to:
        msg["Reply-To"] = _mailbox(channel.reply_to)
    msg["Subject"] = Header(view.subject, "utf-8")
    own = message_id(view, mailing_list, host)
    msg["Message-ID"] = own
    root = thread_id(view.event.outage["id"], mailing_list, host)
    if own != root:
        msg["In-Reply-To"] = root
        msg["References"] = root
    if mailing_list.unsubscribe:
        msg["List-Unsubscribe"] = f"<{href(mailing_list.unsubscribe)}>"
    msg["Content-Language"] = view.lang
    # RFC 3834: no vacation replies or other automatic answers to the list.
    msg["Auto-Submitted"] = "auto-generated"
    for body, subtype in ((text, "plain"), (html, "html")):
        msg.attach(MIMEText(body, subtype, _UTF8))
    return msg


def _mailbox(value: str) -> str:
    """``Name <address>`` with the name encoded as a header needs it."""
    return formataddr(parseaddr(value), charset="utf-8")


# Quoted-printable: the text stays legible in list archives and raw sources.
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


def preview(msg: Message) -> str:
    """The message as a receiver reads it: its headers and its plain-text part (for the dry run)."""
    parsed = message_from_bytes(msg.as_bytes(), policy=default)
    lines = [f"{name}: {value}" for name, value in parsed.items()
             if name.lower() not in ("content-type", "mime-version", "content-transfer-encoding")]
    plain = parsed.get_body(("plain",))  # type: ignore[attr-defined]
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
                    if not connection.has_extn("starttls"):
                        raise NotifyError(f"the mail server {where} does not offer STARTTLS: "
                                          f"check email.smtp.security and port")
                    connection.starttls(context=self._context())
                    connection.ehlo()
                if username:
                    if not connection.has_extn("auth"):
                        raise NotifyError(f"the mail server {where} does not offer a login (SMTP AUTH) "
                                          f"over this connection: check email.smtp.security, or unset "
                                          f"{s.username_env} if the server needs no login")
                    connection.login(username, password)
            except BaseException:
                connection.close()
                raise
        except smtplib.SMTPAuthenticationError as exc:
            raise NotifyError(f"the mail server {where} refused the login of {username}: "
                              f"{exc.smtp_code} {_said(exc.smtp_error)}") from None
        except ssl.SSLError as exc:
            reason = getattr(exc, "verify_message", None) or exc.reason or exc
            raise NotifyError(f"TLS with the mail server {where} failed: {reason}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise NotifyError(f"cannot connect to the mail server {where}: {exc}") from None
        return connection

    def send(self, msg: Message) -> None:
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

