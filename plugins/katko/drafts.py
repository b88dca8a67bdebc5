"""New outage records, drafted from what the authority already knows.

``katko new`` writes a record for a service, pre-filled with the texts,
instructions, affected groups and risk assessment of an earlier outage (by
default the service's latest of the same kind), so that each notice builds on
the last one; and it hands back that outage's evaluation, so that its problems
and improvements are read before the next one is planned (duty D4).

What an earlier outage said about its own times, its updates, its status, its
temporary arrangements and its evaluation is never copied: those belong to it.
The times are left for the editor to set, as placeholders that ``katko check``
rejects until they are set; everything else passes as it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import Evaluation, Localized, Outage
from .records import Dataset, Record
from .times import HELSINKI

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


def earlier(dataset: Dataset, service: str, kind: str) -> Record | None:
    """The service's latest outage of ``kind`` (by start), or of any kind if it has none."""
    mine = [r for r in dataset.records if service in r.outage.services]
    same = [r for r in mine if r.outage.kind == kind] or mine
    return max(same, key=lambda r: (r.outage.start, r.id), default=None)


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
        source = earlier(dataset, service, kind)
    if start is not None and end is not None and end <= start:
        raise DraftError("the end must be later than the start")

    day = (start or now).astimezone(HELSINKI).date().isoformat()
    file_name = f"{day}-{service}-{'katko' if kind == 'planned' else 'hairio'}.yml"
    return Draft(_render(service, kind, source.outage if source else None, now, start, end,
                         source.id if source else None), file_name, source)


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


def _render(service: str, kind: str, source: Outage | None, now: datetime, start: datetime | None,
            end: datetime | None, source_id: str | None) -> str:
    out = ["# yaml-language-server: $schema=../schema/outage.schema.json", "#"]
    if source is not None:
        out += [f"# Drafted by 'katko new' from {source_id}. Check every text: dates and",
                "# times written inside the texts are still those of that outage."]
    else:
        out += ["# Drafted by 'katko new'. Write every text marked TODO."]
    if kind == "planned":
        out += ["# Set start, end and public_from. public_from must give the policy's notice",
                "# in Finnish working days (katko check tells how many)."]
    else:
        out += ["# A disruption that started now: correct the start if it began earlier."]
        start = start or _this_minute(now)
    out += [f"kind: {kind}", "services:", f"  - {service}",
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
        if value is None and name not in ("title", "summary"):
            continue
        out.append("")
        out += _localized(name, value)
    if source and source.stakeholders:
        out += ["", "stakeholders:"]
        for group in source.stakeholders:
            out += _group(group)
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
                out.append(f"    - {_scalar(risk, 4)}")
            else:
                out += [f"    - risk: {_scalar(risk.risk, 6)}", f"      handling: {_scalar(risk.handling, 6)}"]
    else:
        out += ["  risks:", '    - risk: ""  # TODO: mikä voi mennä vikaan', '      handling: ""  # TODO: miten varaudutaan']
    impact = internal.authority_impact if internal else None
    out.append(f"  authority_impact: {_scalar(impact, 2) if impact else chr(34) * 2 + '  # TODO'}")
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
