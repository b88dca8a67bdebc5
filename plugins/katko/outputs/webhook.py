"""The message Katko's webhooks send, version 1, and its JSON Schema in the site.

``katko notify`` sends it (:mod:`katko.notify.webhook`); the site publishes its
schema next to the API's, so that a receiver can check what it is sent.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..site.addresses import WEBHOOK_SCHEMA
from . import api
from .base import Context, Output

VERSION = 1
#: Relative, like the API's own: it resolves wherever the site is published.
SCHEMA_ID = "webhook.schema.json"


class Payload(BaseModel):
    """One event of one outage, as Katko's webhooks send it (``katko notify``).

    The outage, its services and the site are exactly as in ``outages.json``
    (``schema.json``). Fields may be added within version 1: ignore the ones
    you do not know.
    """

    model_config = ConfigDict(frozen=True, title="Katko webhook message, version 1")

    version: Literal[1] = Field(description="The message format's version; changes only with a breaking change.")
    id: str = Field(description="The event's id, also in the webhook-id header. Every delivery of the same "
                                "event has the same id: ignore one you have already handled.")
    event: Literal["published", "started", "updated", "cancelled", "ended"] = Field(
        description="published: a planned outage's notice was made public; started: an unplanned disruption was "
                    "made public; updated: a change was announced (see 'updates'); cancelled; ended.")
    site: api.SiteInfo
    services: list[api.ServiceInfo] = Field(description="The services the outage affects.")
    outage: api.OutageInfo = Field(description="The outage after the event.")
    updates: list[api.UpdateInfo] = Field(
        description="The updates this event announces (none, or the newest of the outage's updates), newest first.")


def schema() -> bytes:
    """``api/v1/webhook.schema.json``."""
    return api.dump(api.model_schema(Payload, SCHEMA_ID))


def outputs(context: Context) -> list[Output]:
    """The schema of the messages."""
    return [Output(WEBHOOK_SCHEMA, "json", None, None, schema)]
