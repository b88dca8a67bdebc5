"""New outage records, drafted from what the authority already knows.

``katko new`` writes a record for a service, pre-filled with the texts,
instructions, affected groups and risk assessment of an earlier outage (by
default the service's latest of the same kind that has ended and been
evaluated: one that has not happened yet teaches nothing), so that each notice
builds on the last one; and it hands back that outage's evaluation, so that
its problems and improvements are read before the next one is planned (D4).
Without one, each kind has its own template.

What an earlier outage said about its own times, its updates, its status, its
temporary arrangements and its evaluation is never copied: those belong to it.
Nor is a title that speaks of its time ("la 28.11.", "Saturday night"). In the
texts that are copied, a date or time that was the earlier outage's start or
end becomes this one's when its times are given, and every other one is marked
``[[like this]]`` for the editor, which ``katko check`` reports (K234) until it
is checked. The times are left for the editor to set, as placeholders that
``katko check`` rejects until they are set.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..core import textdates, timefmt
from ..core.times import HELSINKI
from ..records import lifecycle
from ..records.dataset import Dataset, Record
from ..records.model import Evaluation, Localized, Outage, Service

#: What the time fields say until the editor sets them (``katko check``: K108).
PLACEHOLDER = "VVVV-KK-PP tt:mm"
TEXTS = ("title", "summary", "details", "still_works", "alternatives", "unsaved_work")
INTERNAL = ("risks", "authority_impact", "contacts", "affected_users")


class DraftError(ValueError):
    """The draft cannot be made; the message says why, in plain words."""


@dataclass(frozen=True)
class Draft:
    text: str
    file_name: str
    source: Record | None

    @property
    def evaluation(self) -> Evaluation | None:
        internal = self.source.outage.internal if self.source else None
        return internal.evaluation if internal else None


def earlier(dataset: Dataset, service: str, kind: str, now: datetime) -> Record | None:
    """The service's latest outage of ``kind`` (by start) that has ended by ``now`` and has an evaluation.
    A data breach or other exceptional situation follows a template of its own, and is no model."""
    done = [r for r in dataset.records if service in r.outage.services and r.outage.kind == kind
            and r.outage.exceptional is None and lifecycle.at(r.outage, now).phase == "ended"
            and r.outage.internal is not None and r.outage.internal.evaluation is not None]
    return max(done, key=lambda r: (r.outage.start, r.id), default=None)


def draft(dataset: Dataset, service: str, now: datetime, *, kind: str = "planned",
          source_id: str | None = None, start: datetime | None = None, end: datetime | None = None) -> Draft:
    """A new record for ``service``; ``source_id`` names the outage to start from."""
    if service not in dataset.services:
        known = ", ".join(sorted(dataset.services)) or "none"
        raise DraftError(f"unknown service '{service}' (known: {known})")
    if source_id is not None:
        source = next((r for r in dataset.records if r.id == source_id), None)
        if source is None:
            raise DraftError(f"no outage record with the id '{source_id}'")
    else:
        source = earlier(dataset, service, kind, now)
    if start is not None and end is not None and end <= start:
        raise DraftError("the end must be later than the start")
    if kind == "unplanned":
        start = start or _this_minute(now)

    day = (start or now).astimezone(HELSINKI).date().isoformat()
    file_name = f"{day}-{service}-{'katko' if kind == 'planned' else 'hairio'}.yml"
    retimed = Retimer(source.outage, now, start, end) if source else None
    return Draft(_render(dataset.services[service], kind, source.outage if source else None, now, start, end,
                         source.id if source else None, retimed), file_name, source)


# --------------------------------------------------------------------------- #
# Dates in the copied texts
# --------------------------------------------------------------------------- #


class Retimer:
    """Turns the dates and times of an earlier outage's texts into this one's, or marks them."""

    def __init__(self, source: Outage, now: datetime, start: datetime | None, end: datetime | None) -> None:
        final = lifecycle.at(source, max([now, *lifecycle.transitions(source)]))
        ends = [m for m in (final.ended_at, source.end, *(u.end for u in source.updates)) if m is not None]
        self.near = source.start.astimezone(HELSINKI).date()
        # (earlier day, earlier minutes) → this outage's moment, start first.
        self.moments: list[tuple[datetime, datetime | None]] = [(source.start, start), *((e, end) for e in ends)]

    def _local(self, moment: datetime) -> tuple[Any, int]:
        local = moment.astimezone(HELSINKI)
        return local.date(), local.hour * 60 + local.minute

    def _day(self, day: Any) -> datetime | None | bool:
        """This outage's moment for an earlier day; False if the day was not the earlier outage's."""
        for old, new in self.moments:
            if self._local(old)[0] == day:
                return new
        return False

    def _clock(self, minutes: int) -> datetime | None | bool:
        for old, new in self.moments:
            if self._local(old)[1] == minutes:
                return new
        return False

    def text(self, text: str, lang: str) -> str:
        """``text`` with each date and time replaced or marked."""
        out, last = [], 0
        for mention in textdates.scan(text, lang, self.near):
            pieces = self._mention(mention, text, lang)
            for start, end, new in pieces:
                out += [text[last:start], new]
                last = end
        out.append(text[last:])
        return "".join(out)

    def _mention(self, mention: textdates.Mention, text: str, lang: str) -> list[tuple[int, int, str]]:
        if mention.kind == "when":
            # A weekday with no date says when; words such as "tonight" are left as they are.
            return [(mention.start, mention.end, f"[[{mention.text}]]")] if mention.weekday is not None else []
        pieces = []
        if mention.kind == "date":
            new = self._day(mention.day)
            replaced = textdates.rewrite_date(mention, new.astimezone(HELSINKI).date(), lang) \
                if isinstance(new, datetime) else f"[[{mention.text}]]"
            pieces.append((mention.start, mention.end, replaced))
        for clock in mention.clocks:
            new = self._clock(clock.minutes)
            if isinstance(new, datetime):
                local = new.astimezone(HELSINKI)
                pieces.append((clock.start, clock.end, textdates.rewrite_clock(clock, local.hour * 60 + local.minute,
                                                                               lang)))
            else:
                pieces.append((clock.start, clock.end, f"[[{clock.text}]]"))
        return pieces


def speaks_of_time(value: Localized | None, near: Any) -> bool:
    """Whether a text names a date, weekday, time or a word such as "tonight" in any language."""
    return value is not None and any(textdates.scan(value.get(lang) or "", lang, near) for lang in ("fi", "sv", "en"))


#: The titles of a new record without an earlier outage to start from, per kind.
TEMPLATES = {
    "planned": {"fi": "Käyttökatko: {name} {day}", "sv": "Driftavbrott: {name} {day}", "en": "Outage: {name}, {day}"},
    "unplanned": {"fi": "Häiriö: {name}", "sv": "Störning: {name}", "en": "Disruption: {name}"},
}


def template_title(service: Service, kind: str, start: datetime | None) -> Localized | None:
    """A title from the kind's template, in the languages the service's name is written in."""
    texts = {}
    for lang, pattern in TEMPLATES[kind].items():
        name = service.name.get(lang)
        if not name:
            continue
        if "{day}" in pattern and start is None:
            return None  # a planned outage's title says its day
        day = timefmt.format_date(start, lang) if start is not None else ""  # type: ignore[arg-type]
        texts[lang] = pattern.format(name=name, day=day)
    return Localized(**texts)


# --------------------------------------------------------------------------- #
# Writing YAML that editors read: block scalars for long texts, comments
# --------------------------------------------------------------------------- #


def _scalar(text: str, indent: int) -> str:
    """A string as YAML: JSON's double-quoted form (valid YAML) on one line, a
    literal block for text with line breaks."""
    if "\n" in text.rstrip("\n"):
        pad = " " * (indent + 2)
        chomp = "|" if text.endswith("\n") else "|-"
        return chomp + "\n" + "\n".join(pad + line if line else "" for line in text.rstrip("\n").split("\n"))
    return json.dumps(text.rstrip("\n"), ensure_ascii=False)


def _localized(name: str, value: Localized | None) -> list[str]:
    """``name:`` and its languages; a text missing in the source is a TODO that ``katko check`` rejects (K202)."""
    lines = [f"{name}:"]
    for lang in ("fi", "sv", "en"):
        text = value.get(lang) if value else None
        if text:
            lines.append(f"  {lang}: {_scalar(text, 2)}")
        elif lang != "en":
            lines.append(f'  {lang}: ""  # TODO')
    return lines


def _group(value: Localized) -> list[str]:
    """One item of a list of localised texts (``stakeholders``)."""
    texts = [(lang, value.get(lang)) for lang in ("fi", "sv", "en") if value.get(lang)]
    return [f"  {'- ' if i == 0 else '  '}{lang}: {_scalar(text or '', 4)}" for i, (lang, text) in enumerate(texts)]


def _time(moment: datetime | None) -> str:
    if moment is None:
        return f'"{PLACEHOLDER}"  # TODO'
    return f'"{moment.astimezone(HELSINKI):%Y-%m-%d %H:%M}"'


def _render(service: Service, kind: str, source: Outage | None, now: datetime, start: datetime | None,
            end: datetime | None, source_id: str | None, retimed: Retimer | None) -> str:
    def copied(value: Localized | None, *, lang: str | None = None) -> Localized | None:
        if value is None or retimed is None:
            return value
        return Localized(**{code: retimed.text(text, lang or code) for code in ("fi", "sv", "en")
                            if (text := value.get(code))})

    def staff(text: str) -> str:
        # The internal section is written in the site's first language.
        return retimed.text(text, "fi") if retimed is not None else text

    out = ["# yaml-language-server: $schema=../schema/outage.schema.json", "#"]
    if source is not None:
        out += [f"# Drafted by 'katko new' from {source_id}. Check every text: dates and times",
                "# of that outage are this one's where its times were given, and the others",
                "# are marked [[like this]] (katko check reports them until they are checked)."]
    else:
        out += ["# Drafted by 'katko new' from the template for a " + ("planned outage" if kind == "planned" else
                "disruption") + ". Write every text marked TODO."]
    if kind == "planned":
        out += ["# Set start, end and public_from. public_from must give the policy's notice",
                "# in Finnish working days (katko check tells how many)."]
    else:
        out += ["# A disruption that started now: correct the start if it began earlier."]
    out += [f"kind: {kind}", "services:", f"  - {service.id}",
            f"impact: {source.impact if source else 'unavailable'}",
            f"start: {_time(start)}"]
    if kind == "planned":
        out.append(f"end: {_time(end)}")
        out.append(f"public_from: {_time(None if start is None else _next_hour(now))}")
    else:
        if end is not None:
            out.append(f"end: {_time(end)}  # an estimate")
        out.append(f"public_from: {_time(_this_minute(now))}")
    for name in TEXTS:
        value = getattr(source, name) if source else None
        if name == "title" and (source is None or speaks_of_time(value, retimed.near if retimed else None)):
            out.append("")
            if value is not None and value.fi:
                out.append(f"# Not copied: the title of {source_id} names its own time ({json.dumps(value.fi, ensure_ascii=False)}).")
            out += _localized(name, template_title(service, kind, start))
            continue
        if value is None and name != "summary":
            continue
        out.append("")
        out += _localized(name, copied(value))
    if source and source.stakeholders:
        out += ["", "stakeholders:"]
        for group in source.stakeholders:
            out += _group(copied(group) or group)
    if kind == "unplanned":
        out += ["", "updates:", f"  - time: {_time(_this_minute(now))}",
                "    status: investigating", "    text:",
                '      fi: ""  # TODO: mitä tiedetään nyt, ja mitä asiakkaan kannattaa tehdä',
                '      sv: ""  # TODO: vad vet vi nu, och vad kunden ska göra']
    internal = source.internal if source else None
    out += ["", "internal:"]
    if internal is not None and internal.risks:
        risks = internal.risks if isinstance(internal.risks, list) else [internal.risks]
        out.append("  risks:")
        for risk in risks:
            if isinstance(risk, str):
                out.append(f"    - {_scalar(staff(risk), 4)}")
            else:
                out += [f"    - risk: {_scalar(staff(risk.risk), 6)}",
                        f"      handling: {_scalar(staff(risk.handling), 6)}"]
    else:
        out += ["  risks:", '    - risk: ""  # TODO: mikä voi mennä vikaan', '      handling: ""  # TODO: miten varaudutaan']
    impact = internal.authority_impact if internal else None
    out.append(f"  authority_impact: {_scalar(staff(impact), 2) if impact else chr(34) * 2 + '  # TODO'}")
    if internal is not None and internal.contacts:
        contacts = internal.contacts if isinstance(internal.contacts, list) else [internal.contacts]
        out.append("  contacts:")
        out += [f"    - {_scalar(c, 4)}" for c in contacts]
    users = internal.affected_users if internal else None
    if users is not None:
        out.append(f"  affected_users: {users}  # the earlier outage's figure: estimate this one's")
    return "\n".join(out) + "\n"


def _next_hour(now: datetime) -> datetime:
    local = now.astimezone(HELSINKI)
    return (local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).astimezone(HELSINKI)


def _this_minute(now: datetime) -> datetime:
    return now.astimezone(HELSINKI).replace(second=0, microsecond=0)
