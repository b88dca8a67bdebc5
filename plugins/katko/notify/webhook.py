"""Webhooks: an HTTP POST per event, signed, retried, with a timeout.

The ``json`` preset sends Katko's own message, version 1: the event, and the
outage and its services exactly as ``api/v1/outages.json`` has them. Its JSON
Schema is published in the site as ``api/v1/webhook.schema.json``. Messages
are signed as the Standard Webhooks specification says
(https://www.standardwebhooks.com/), with HMAC-SHA256 over
``id.timestamp.body`` in the ``webhook-signature`` header, so a receiver can
check them with a few lines of code or one of that specification's libraries.
The same event always has the same ``webhook-id``: a receiver ignores an id
it has seen.

The ``teams`` and ``slack`` presets send what those tools show in a channel;
their address is their only protection, so it is given in an environment
variable and never printed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.request import HTTPRedirectHandler, Request, build_opener

from ..outputs.webhook import VERSION, Payload
from ..records.channels import NotifyError
from .events import Event

#: Answers after which another attempt may succeed; any other error is final.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Seconds before the first retry; each further one waits twice as long, at most MAX_DELAY.
RETRY_DELAY = 2.0
MAX_DELAY = 30.0


def payload(event: Event, document: dict[str, Any]) -> dict[str, Any]:
    """The ``json`` preset's message for ``event`` of the site in ``document`` (the new API)."""
    services = {s["id"]: s for s in document["services"]}
    return Payload(version=VERSION, id=event.id, event=event.kind, site=document["site"],
                   services=[services[s] for s in event.services if s in services],
                   outage=event.outage, updates=list(event.updates)).model_dump(mode="json")


def body(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


# --------------------------------------------------------------------------- #
# Signing
# --------------------------------------------------------------------------- #


def key(secret: str, name: str) -> bytes:
    """The signing key in a secret written ``whsec_`` + base64, as Standard Webhooks' libraries read it.

    >>> key("whsec_" + base64.b64encode(b"0123456789abcdef").decode(), "S")
    b'0123456789abcdef'
    """
    try:
        raw = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) < 16:
        raise NotifyError(f"{name} is not a signing key: write it as whsec_ followed by at least 16 random bytes "
                          f"in base64 (make one with: python3 -c \"import base64, secrets; "
                          f"print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\")")
    return raw


def sign(raw_key: bytes, message_id: str, timestamp: int, data: bytes) -> str:
    """The ``webhook-signature`` header: ``v1,`` and the base64 HMAC-SHA256 of ``id.timestamp.body``.

    >>> sign(b"0123456789abcdef", "a.published.0", 1764583200, b"{}")
    'v1,LiXDvqG2EB85iVQR3+FscZkScvuO2MpbNunRw/3Tq/M='
    """
    signed = f"{message_id}.{timestamp}.".encode() + data
    return "v1," + base64.b64encode(hmac.new(raw_key, signed, hashlib.sha256).digest()).decode()


def signed_headers(raw_key: bytes, message_id: str, data: bytes) -> dict[str, str]:
    # Signed anew for each attempt: the timestamp says when it was sent, so a
    # receiver can refuse an old message replayed later.
    timestamp = int(time.time())
    return {"webhook-id": message_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(raw_key, message_id, timestamp, data)}


# --------------------------------------------------------------------------- #
# Posting
# --------------------------------------------------------------------------- #


class _NoRedirect(HTTPRedirectHandler):
    # A signed message goes to the address it was meant for, or nowhere.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = build_opener(_NoRedirect)


def post(url: str, data: bytes, content_type: str, *, timeout: float, retries: int,
         headers: Callable[[], dict[str, str]] = dict, delay: float | None = None,
         sleep: Callable[[float], None] = time.sleep) -> int:
    """POST ``data`` to ``url``, trying again after a failure that may pass.

    Returns the number of attempts made; raises :class:`NotifyError` with the
    last failure. Messages never contain ``url``: it may be a secret.
    """
    wait = RETRY_DELAY if delay is None else delay
    failure = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(min(wait * 2 ** (attempt - 1), MAX_DELAY))
        request = Request(url, data=data, method="POST",
                          headers={"Content-Type": content_type, "User-Agent": "Katko (katko notify)", **headers()})
        try:
            with _OPENER.open(request, timeout=timeout) as response:
                response.read(65536)
            return attempt + 1
        except HTTPError as exc:
            failure = f"HTTP {exc.code} {exc.reason}"
            if exc.code not in RETRY_STATUSES:
                raise NotifyError(f"{failure} (not retried: the receiver refused the message)") from None
        except (URLError, OSError) as exc:
            failure = str(getattr(exc, "reason", exc)) or type(exc).__name__
    attempts = retries + 1
    raise NotifyError(f"{failure} (after {attempts} attempt{'s' if attempts != 1 else ''})")
