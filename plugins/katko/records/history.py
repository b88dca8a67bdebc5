"""Checks against an earlier version of the records in git: ``katko check --since REF``.

Subscribers learn of a change from what a record states: its timeline of
updates (feeds date an entry by its latest update, calendars number an event's
revisions by it). A published outage whose times or status change without a
new update would change silently for them. Only the history can tell that
the times changed, so this check compares each record with its version at
``REF`` (in a pull request: the branch it is merged into).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError

from ..core.i18n import N_
from .codes import hint
from .dataset import Dataset, Record
from .diagnostics import Diagnostic
from .messages import params
from .model import Outage
from .yamlsource import parse

WATCHED = ("start", "end", "effective_status")


class HistoryError(Exception):
    """git could not show the earlier version; the message says why."""


def _git_show(ref: str, path: Path) -> str | None:
    """The file's text at ``ref``, or None if it did not exist there."""
    folder = path.resolve().parent
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, capture_output=True,
                             text=True, check=True).stdout.strip()
        subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=folder,
                       capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        raise HistoryError(f"'{ref}' is not a commit of a git repository holding {path}") from None
    relative = path.resolve().relative_to(Path(top).resolve()).as_posix()
    shown = subprocess.run(["git", "show", f"{ref}:{relative}"], cwd=top, capture_output=True)
    if shown.returncode != 0:
        return None  # a new record: nothing to compare with
    return shown.stdout.decode("utf-8", errors="replace")


def _earlier(record: Record, ref: str) -> Outage | None:
    text = _git_show(ref, Path(record.path))
    if text is None:
        return None
    doc, problems = parse(text, record.path)
    if doc is None or problems:
        return None
    try:
        return Outage.model_validate(doc.data, strict=True)  # as the record itself is read
    except ValidationError:
        return None  # it was broken then; there is no published state to compare with


def changes_announced(dataset: Dataset, ref: str, now: datetime) -> Iterator[Diagnostic]:
    """K209: a change of a published outage's times or status comes with a new update."""
    for record in dataset.records:
        before = _earlier(record, ref)
        if before is None or before.public_from > now:
            continue  # new, or not yet public then: nobody has been told anything
        current = record.outage
        changed = [name for name in WATCHED if getattr(before, name) != getattr(current, name)]
        announced = {u.time for u in current.updates} - {u.time for u in before.updates}
        if changed and not announced:
            line, column = record.doc.position((changed[0].replace("effective_", ""),))
            fields = tuple(name.replace("effective_", "") for name in changed)
            yield Diagnostic(record.path, line, column, "error", "K209",
                             N_("%(fields)s changed since %(ref)s, but no new update announces it"), hint("K209"),
                             params(fields=fields, ref=ref))
