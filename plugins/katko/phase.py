"""Where an outage stands at a given moment: upcoming, ongoing, ended or cancelled.

The phase is computed at build time from the build's "now", and again in the
reader's browser by ``status.js`` as time passes; both follow these rules.

>>> from katko.times import parse_time as t
>>> from types import SimpleNamespace as O
>>> o = O(effective_status="scheduled", kind="planned", start=t("2026-12-05 22:00"), end=t("2026-12-06 02:00"))
>>> [phase(o, t(now)) for now in ("2026-12-05 21:59", "2026-12-05 22:00", "2026-12-06 02:00")]
['upcoming', 'ongoing', 'ended']
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, Protocol

Phase = Literal["upcoming", "ongoing", "ended", "cancelled"]
PHASES: tuple[Phase, ...] = ("ongoing", "upcoming", "ended", "cancelled")


class _Timed(Protocol):
    effective_status: str
    kind: str
    start: datetime
    end: datetime | None


def phase(outage: _Timed, now: datetime) -> Phase:
    """The phase of ``outage`` at ``now``.

    An unplanned outage stays ongoing past its estimated end until it is
    marked resolved: an estimate passing does not bring a service back.
    """
    status = outage.effective_status
    if status == "cancelled":
        return "cancelled"
    if status in ("ended", "resolved"):
        return "ended"
    if now < outage.start:
        return "upcoming"
    if outage.kind == "planned" and outage.end is not None and now >= outage.end:
        return "ended"
    return "ongoing"
