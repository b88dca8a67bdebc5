"""What every check is made of: the :class:`Context`, the registry of checks, and
:func:`run`, which runs them all; and the helpers several concerns share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from ...core.i18n import N_
from ...core.markup import allowed, links, may_link_elsewhere, scheme
from .. import lifecycle
from ..codes import CODES
from ..dataset import Dataset, Record
from ..diagnostics import Diagnostic, Severity
from ..emails import email_problem
from ..hosts import host_problem
from ..messages import Languages, Phrase, Place, params
from ..model import Catalogue, Localized, Markdown, Policy, Service
from ..settings import Settings
from ..validation import AT, MissingField
from ..yamlsource import Document


@dataclass(frozen=True)
class Context:
    settings: Settings
    services: frozenset[str]
    catalogue: Catalogue | None = None
    #: The last model whose texts were walked, and its texts: a record's checks read them one after another.
    _walked: list[Any] = field(default_factory=list, compare=False, hash=False, repr=False)
    #: The last outage whose state now was worked out, and its state: several checks read it.
    _stood: list[Any] = field(default_factory=list, compare=False, hash=False, repr=False)

    def localized(self, model: Any) -> list[tuple[tuple[Any, ...], Localized]]:
        """:func:`localized_fields` of ``model``, walked once for all the checks of a record."""
        if not self._walked or self._walked[0] is not model:
            self._walked[:] = [model, list(localized_fields(model))]
        return self._walked[1]

    def state(self, outage: Any) -> lifecycle.State:
        """``lifecycle.at(outage, now)``, worked out once for all the checks of a record."""
        if not self._stood or self._stood[0] is not outage:
            self._stood[:] = [outage, lifecycle.at(outage, self.settings.now)]
        return self._stood[1]

    @property
    def policy(self) -> Policy:
        return self.catalogue.policy if self.catalogue else Policy()

    def services_of(self, record: Record) -> list[Service]:
        """The catalogue entries of the record's services (unknown ones are K302)."""
        if self.catalogue is None:
            return []
        known: dict[str, Service] = {}
        for service in self.catalogue.services:
            known.setdefault(service.id, service)  # a duplicate id is K304
        return [known[s] for s in record.outage.services if s in known]


RecordCheck = Callable[["Record", Context], Iterator[Diagnostic]]
DatasetCheck = Callable[["Dataset", Context], Iterator[Diagnostic]]
RECORD_CHECKS: list[RecordCheck] = []
DATASET_CHECKS: list[DatasetCheck] = []


def record_check(func: RecordCheck) -> RecordCheck:
    RECORD_CHECKS.append(func)
    return func


def dataset_check(func: DatasetCheck) -> DatasetCheck:
    DATASET_CHECKS.append(func)
    return func


def problem(doc: Document, path: tuple[Any, ...], code: str, message: str,
            severity: Severity = "error", *, key: bool = False, **values: Any) -> Diagnostic:
    """A problem at ``path``; ``message`` is a msgid (``N_("…")``) whose ``%(name)s`` fields are ``values``."""
    line, column = doc.position(path, key=key)
    return Diagnostic(doc.path, line, column, severity, code, message, CODES[code].hint, params(**values))


def run(dataset: Dataset, settings: Settings,
        checked: dict[tuple[str, str], list[Diagnostic]] | None = None) -> list[Diagnostic]:
    """Every check. ``checked`` keeps each valid record's own problems by its file and text,
    for loads under the same settings and catalogue (:class:`katko.records.loading.Reuse`)."""
    context = Context(settings, frozenset(dataset.services), dataset.catalogue)
    found: list[Diagnostic] = []
    for record in dataset.records:
        key = (record.doc.path, record.doc.text)
        own = checked.get(key) if checked is not None else None
        if own is None:
            own = [problem for check in RECORD_CHECKS for problem in check(record, context)]
            if checked is not None:
                checked[key] = own
        found.extend(own)
    for record in dataset.salvaged:
        for check in RECORD_CHECKS:
            try:
                found.extend(check(record, context))
            except MissingField:
                pass  # the check needs a field that has an error of its own
    for dataset_check_ in DATASET_CHECKS:
        found.extend(dataset_check_(dataset, context))
    return found


# --------------------------------------------------------------------------- #
# Helpers
# --------------------------------------------------------------------------- #


def localized_fields(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Localized]]:
    """Every :class:`Localized` text inside a model, with its path, except internal ones."""
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from localized_fields(item, path + (i,))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name != "internal":
                yield from localized_fields(getattr(value, name, None), path + (name,))


def missing_languages(doc: Document, model: Any, context: Context,
                       skip: tuple[str, ...] = ()) -> Iterator[Diagnostic]:
    for path, text in context.localized(model):
        if path[:1] in [(name,) for name in skip]:
            continue
        missing = text.missing(context.settings.required_languages)
        if missing:
            yield problem(doc, path, "K202", N_("%(field)s has no %(languages)s text"), key=True,
                          field=Place(path), languages=Languages(tuple(missing)))


def unsafe_links(doc: Document, model: Any, context: Context) -> Iterator[Diagnostic]:
    for path, text in context.localized(model):
        if not isinstance(text, Markdown):
            continue
        for lang in type(text).model_fields:
            written = text.get(lang) or ""
            if not may_link_elsewhere(written):
                continue  # Markdown is converted only when it could hold a link with a scheme
            for address in dict.fromkeys(links(written)):
                found = _link_problem(address, Place(path + (lang,)))
                if found is not None:
                    code, message, values = found
                    line, column = position_in(doc, path + (lang,), address)
                    yield Diagnostic(doc.path, line, column, "error", code, message, CODES[code].hint, values)


def _link_problem(address: str, place: Place) -> tuple[str, str, Any] | None:
    """``(code, msgid, values)`` of what is wrong with a link of a text: a scheme not allowed (K120),
    the host of a web address (K113), an e-mail address with more than the address (K121, K103)."""
    if not allowed(address):
        return "K120", N_("%(field)s: the link '%(address)s' is not allowed here"), params(field=place, address=address)
    kind = scheme(address)
    found = None
    if kind == "mailto":
        found = email_problem(address.split(":", 1)[1])
    elif kind == "https":
        host = host_problem(address)
        found = ("K113", host, {"address": address}) if host is not None else None
    if found is None:
        return None
    code, message, values = found
    return code, AT, params(place=place, problem=Phrase(message, params(**values)))


def position_in(doc: Document, path: tuple[Any, ...], written: str) -> tuple[int, int]:
    """Where ``written`` stands inside the text at ``path``, or else where the text starts."""
    _, node, depth = doc.nodes(path)
    if depth == len(path) and node is not None:
        start, end = node.start_mark, node.end_mark
        found = doc.text.find(written, start.index, end.index)
        if found >= 0:
            before = doc.text[start.index:found]
            lines = before.count("\n")
            column = len(before) - before.rfind("\n") if lines else start.column + len(before) + 1
            return start.line + 1 + lines, column
    return doc.position(path)
