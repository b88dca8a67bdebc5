"""The story of one outage, from its first notice to its end: one source for every output.

For a record and a moment, :func:`at` tells where the outage stands: its
phase, the start and end to show (and whether the end is an estimate), when
and why it ended, and the wording of its status. The notice pages, feeds,
calendars, the JSON API, the banner's data, snippets, shutter pages, the staff
site and the checks all read this, so they cannot disagree.

The rules, as editors write records (``docs/records.md`` explains them):

* An update counts from its own time on: before it, the notice is as it was.
* A cancelled outage is cancelled from the update that says so.
* An update with status ``ended`` (planned) or ``resolved`` (unplanned) ends
  the outage. The service was back at that update's ``end`` if it gives one,
  else at its time; an ``ended`` update written after the planned end does not
  make the outage longer than planned.
* A planned outage with no such update ends at its end, by the clock.
* A closing update whose ``end`` is after its own time says the end ahead
  ("we are done at 5.00"): from the update on, that is the end shown, and the
  outage ends then, by the clock (so feeds and calendars date the end as a change).
* An unplanned outage stays ongoing until it is resolved: an estimate passing
  does not bring a service back. Once its estimated end has passed, the end is
  shown as not known rather than as a stale estimate.
* Why it ended: ``early`` (before the end planned or estimated when it ended),
  ``extended`` (a planned outage that an update extended, or a disruption
  fixed later than estimated), ``as_planned``, or ``cancelled``.

>>> from katko.core.times import parse_time as t
>>> from katko.records.model import Outage
>>> o = Outage.model_validate({"kind": "planned", "services": ["x"], "impact": "unavailable",
...     "start": "2026-12-05 22:00", "end": "2026-12-06 02:00", "public_from": "2026-11-20 09:00",
...     "title": {"fi": "T"}, "summary": {"fi": "S"}})
>>> [at(o, t(now)).phase for now in ("2026-12-05 21:59", "2026-12-05 22:00", "2026-12-06 02:00")]
['upcoming', 'ongoing', 'ended']
>>> at(o, t("2026-12-06 03:00")).reason
'as_planned'
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal

from ..core.i18n import N_
from .model import Outage, Update

Phase = Literal["upcoming", "ongoing", "ended", "cancelled"]
Reason = Literal["early", "as_planned", "extended", "cancelled"]

#: Statuses that end an outage.
CLOSING = ("ended", "resolved")

#: A state's badge: the phase in words, told apart by kind where the words differ.
LABELS = {
    "upcoming": N_("Upcoming"),
    "ongoing": N_("Ongoing"),
    # A disruption whose fix is in place but not yet confirmed is neither "ongoing" as
    # before nor over: saying "ongoing" next to "fixed" contradicts itself.
    "monitoring": N_("Monitoring"),
    "ended": N_("Ended"),
    "fixed": N_("Fixed"),
    "cancelled": N_("Cancelled"),
}

#: An update's status in the timeline of updates. None repeats the kind ("planned")
#: or says "fixed" of a fix not yet confirmed.
STATUSES = {
    "scheduled": N_("Upcoming"),
    "ongoing": N_("Ongoing"),
    "extended": N_("Extended"),
    "ended": N_("Ended"),
    "cancelled": N_("Cancelled"),
    "investigating": N_("Investigating the cause"),
    "identified": N_("Cause identified, being fixed"),
    "monitoring": N_("Fix in place, monitoring"),
    "resolved": N_("Fixed"),
}

#: What a stated status adds to the badge while the outage is on.
STAGES = {
    "extended": N_("Extended: it lasts longer than first announced."),
    "investigating": N_("Investigating the cause."),
    "identified": N_("Cause identified, being fixed."),
    "monitoring": N_("Fix in place, monitoring that the service works."),
}
ESTIMATE_PASSED = N_("The estimated end has passed; a new estimate will be given in an update.")

#: Why an outage ended, by kind; as planned needs no words beyond the end itself.
REASONS = {
    ("planned", "early"): N_("Ended earlier than planned."),
    ("planned", "extended"): N_("Ended later than first planned."),
    ("unplanned", "early"): N_("Fixed sooner than estimated."),
    ("unplanned", "extended"): N_("Fixed later than estimated."),
}

#: The sentence at the top of a notice once it has ended or been cancelled.
BACK = N_("The service is back in use since %(time)s.")
CANCELLED = {
    "planned": N_("The outage planned for %(period)s has been cancelled."),
    "unplanned": N_("This disruption notice has been cancelled."),
}


@dataclass(frozen=True)
class State:
    """An outage as it stands at one moment (see the module's rules)."""

    kind: str
    #: Whether the notice is public at this moment.
    public: bool
    phase: Phase
    #: The status in effect: the last one stated by an update so far, else the kind's first.
    stage: str
    start: datetime
    #: The end to show: planned, estimated, or (once ended) actual; None when not known.
    end: datetime | None
    end_is_estimate: bool
    #: When the service was back in use; set once ended.
    ended_at: datetime | None
    cancelled_at: datetime | None
    reason: Reason | None
    #: The updates published by this moment, in the record's order.
    updates: tuple[Update, ...]
    #: The publication or the latest update by this moment: what the notice itself last said.
    updated_at: datetime
    #: The last change by this moment: :attr:`updated_at`, or the end once ended by the
    #: clock (feeds and calendars date it so).
    changed_at: datetime
    #: Whether an estimated end has passed without the outage ending.
    estimate_passed: bool = False
    #: The moment this state is for; two states that say the same compare equal.
    moment: datetime | None = field(default=None, compare=False)

    @property
    def duration(self) -> timedelta | None:
        return self.end - self.start if self.end is not None else None

    @property
    def over(self) -> bool:
        """Ended or cancelled."""
        return self.phase in ("ended", "cancelled")

    @property
    def badge(self) -> str:
        """The key of :data:`LABELS` for this state."""
        return badge(self.phase, self.kind, self.stage)

    @property
    def label(self) -> str:
        return LABELS[self.badge]

    @property
    def details(self) -> tuple[str, ...]:
        """The status in words beyond the badge, as message ids (none when the badge says it all)."""
        if self.phase == "ended":
            reason = REASONS.get((self.kind, self.reason or ""))
            return (reason,) if reason else ()
        if self.phase != "ongoing":
            return ()
        found = [STAGES[self.stage]] if self.stage in STAGES else []
        if self.estimate_passed:
            found.append(ESTIMATE_PASSED)
        return tuple(found)

    @property
    def sentence(self) -> str | None:
        """The message id of the sentence a notice begins with once over: back in use, or cancelled."""
        if self.phase == "ended":
            return BACK
        if self.phase == "cancelled":
            return CANCELLED[self.kind]
        return None

    @property
    def over_at(self) -> datetime | None:
        """When it ended or was cancelled."""
        return self.ended_at or self.cancelled_at


def badge(phase: str, kind: str, stage: str) -> str:
    """The key of :data:`LABELS` for a phase, told apart by kind and the stated status
    (also for what reads the JSON API, which gives all three).

    >>> badge("ended", "unplanned", "resolved"), badge("ongoing", "unplanned", "monitoring"), badge("ended", "planned", "ended")
    ('fixed', 'monitoring', 'ended')
    """
    if phase == "ended" and kind == "unplanned":
        return "fixed"
    if phase == "ongoing" and kind == "unplanned" and stage == "monitoring":
        return "monitoring"
    return phase


def default_status(kind: str) -> str:
    return "scheduled" if kind == "planned" else "investigating"


def _stage(outage: Outage, known: tuple[Update, ...], now: datetime) -> tuple[str, Update | None]:
    """The status in effect at ``now``, and the update that began its stretch (None: the record's own)."""
    stage, since = default_status(outage.kind), None
    for update in known:
        if update.status and update.status != stage:
            stage, since = update.status, update
    stated = outage.status
    if stated is not None and stated != stage:
        # The record's own status: in effect from the update that states it. A
        # closing one that no update states ends the outage by the clock (see at()).
        carrier = next((u for u in outage.updates if u.status == stated), None)
        if carrier is None and stated not in CLOSING:
            stage, since = stated, None
        elif carrier is not None and carrier.time <= now:
            stage, since = stated, carrier
    return stage, since


def _estimate(outage: Outage, known: tuple[Update, ...]) -> datetime | None:
    """The end in effect: the last one an update announced (not a closing one), else the record's."""
    announced = [u.end for u in known if u.end is not None and u.status not in CLOSING]
    return announced[-1] if announced else outage.end


def _back(outage: Outage, known: tuple[Update, ...], closer: Update | None,
          expected: datetime | None) -> tuple[datetime | None, bool]:
    """When the service is (or will be) back, and whether that is by the clock rather than an update."""
    if closer is not None and closer.status in CLOSING:
        if closer.end is not None:
            # A time after the update's own says the end ahead: it comes by the clock.
            return closer.end, closer.end > closer.time
        if outage.kind == "planned" and expected is not None:
            return min(closer.time, expected), False
        return closer.time, False
    unstated = outage.status in CLOSING and not any(u.status == outage.status for u in outage.updates)
    if outage.kind == "planned" or unstated:
        # A planned outage at its end; a disruption the record marks resolved
        # without an update saying when, at its estimate.
        moment = expected or (known[-1].time if known else None)
        return moment, moment is not None
    return None, False


def at(outage: Outage, now: datetime) -> State:
    """Where ``outage`` stands at ``now``; see the module's rules."""
    known = tuple(u for u in outage.updates if u.time <= now)
    stage, since = _stage(outage, known, now)
    expected = _estimate(outage, known)
    stated = max([outage.public_from, *(u.time for u in known)])
    base = State(kind=outage.kind, public=outage.public_from <= now, phase="upcoming", stage=stage,
                 start=outage.start, end=expected, end_is_estimate=False, ended_at=None, cancelled_at=None,
                 reason=None, updates=known, updated_at=stated, changed_at=stated, moment=now)
    if stage == "cancelled":
        return replace(base, phase="cancelled", cancelled_at=since.time if since else outage.public_from,
                       reason="cancelled")

    closer = since if stage in CLOSING else None
    back, by_clock = _back(outage, known, closer, expected)
    if back is not None and back <= now:
        extended = outage.kind == "planned" and any(u.status == "extended" for u in known)
        reason: Reason
        if expected is not None and back < expected:
            reason = "early"
        elif extended or (expected is not None and back > expected):
            reason = "extended"
        else:
            reason = "as_planned"
        # A closing status the record states without an update takes effect now.
        stage = outage.status if outage.status in CLOSING else stage
        return replace(base, phase="ended", stage=stage, end=back, ended_at=back, reason=reason,
                       changed_at=max(stated, back) if by_clock else stated)

    if closer is not None and back is not None:
        expected = back  # the end a closing update said ahead is the end until then
        base = replace(base, end=back)
    phase: Phase = "upcoming" if now < outage.start else "ongoing"
    if outage.kind == "unplanned" and expected is not None and expected <= now:
        return replace(base, phase=phase, end=None, estimate_passed=True)
    return replace(base, phase=phase, end_is_estimate=outage.kind == "unplanned" and expected is not None)


def transitions(outage: Outage) -> list[datetime]:
    """Every moment at which :func:`at` may say something new, in order."""
    moments = {outage.public_from, outage.start, *(u.time for u in outage.updates)}
    moments |= {m for m in (outage.end, *(u.end for u in outage.updates)) if m is not None}
    return sorted(moments)


def future(outage: Outage, now: datetime, extra: tuple[datetime, ...] = ()) -> list[tuple[datetime, State]]:
    """The states after ``now``, each with the moment it begins, leaving out moments that change nothing.
    ``extra`` adds moments that matter to the caller (say, when a card leaves a list)."""
    found: list[tuple[datetime, State]] = []
    last = at(outage, now)
    for moment in sorted({*transitions(outage), *extra}):
        if moment <= now:
            continue
        current = at(outage, moment)
        if current != last or moment in extra:
            found.append((moment, current))
            last = current
    return found
