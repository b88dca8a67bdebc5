"""Placeholders that ``katko init`` and ``katko new`` leave for the editors to replace.

A new site's ``services.yml``, ``mkdocs.yml`` and ``mkdocs.internal.yml``, and a
record drafted by ``katko new``, hold values that only look real. Each is marked
with a comment that begins with ``TODO`` and says what belongs there; the addresses are under
:data:`DOMAIN`, which leads nowhere; the phone number is :data:`PHONE`. Until an
editor replaces them, ``katko check`` reports each one (K240–K242), so that no
pull request publishes them; the site build warns of them, so that ``mkdocs
build --strict`` (the publishing workflow) refuses them too, while a plain
``mkdocs serve`` still shows a new site at once.

Only what Katko itself writes counts: an address under ``.example`` in
Katko's own example site or in a test is not a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from ..core.i18n import N_
from .codes import hint
from .diagnostics import Diagnostic
from .messages import params
from .yamlsource import Document, parse

#: The domain of every address ``katko init`` writes.
DOMAIN = "viranomainen.example"
#: The phone number ``katko init`` writes.
PHONE = "09 000 0000"

#: A comment that begins with TODO, and what it says after it.
_TODO = re.compile(r"#[ \t]*TODO\b:?[ \t]*([^\n]*)")
_ADDRESS = re.compile(r"(?:https?://)?[\w.+-]*@?(?:[\w-]+\.)*" + re.escape(DOMAIN) + r"(?:/[^\s)>\"']*)?", re.IGNORECASE)
# The number however it is spaced; as a placeholder, not inside a longer number. The first is a
# quick test: a search for a literal start is fast, one that begins with \b tries every character.
_PHONE_ANYWHERE = re.compile(r"[\s-]?".join(re.escape(part) for part in PHONE.split()))
_PHONE = re.compile(rf"\b{_PHONE_ANYWHERE.pattern}\b")


def find(doc: Document) -> Iterator[Diagnostic]:
    """Every placeholder in a YAML file: TODO comments, and values with the placeholder address or number."""
    text = doc.text
    if "TODO" not in text and DOMAIN not in text.lower() and not _PHONE_ANYWHERE.search(text):
        return  # the usual case: nothing to scan for
    scalars = _scalar_spans(text)
    for match in _TODO.finditer(text):
        if not _inside(match.start(), scalars):
            note = match.group(1).strip()
            message = N_("marked TODO: %(note)s") if note else N_("this line is marked TODO")
            yield _at(doc, match.start(), "K240", message, note=note)
    for pattern, code, message in (
            (_ADDRESS, "K241", N_("'%(value)s' is a placeholder address that 'katko init' wrote")),
            (_PHONE, "K242", N_("'%(value)s' is the sample phone number that 'katko init' wrote"))):
        for match in pattern.finditer(text):
            if _inside(match.start(), scalars):
                yield _at(doc, match.start(), code, message, value=match.group(0))


def in_site_config(config: Path, display: str) -> list[Diagnostic]:
    """The placeholders in a site's ``mkdocs.yml`` (or ``mkdocs.internal.yml``), e.g. its ``site_url``."""
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # MkDocs reports an unreadable configuration itself
    doc, _ = parse(text, display, tags=True)
    return list(find(doc)) if doc is not None else []


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Where YAML's values are: a ``#`` inside one is text, not a comment."""
    spans = []
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.ScalarToken):
                spans.append((token.start_mark.index, token.end_mark.index))
    except yaml.YAMLError:
        pass  # the file's YAML error is reported on its own; the tokens read before it still count
    return spans


def _inside(index: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= index < end for start, end in spans)


def _at(doc: Document, index: int, code: str, message: str, **values: str) -> Diagnostic:
    before = doc.text[:index]
    line = before.count("\n") + 1
    column = index - (before.rfind("\n") + 1) + 1
    return Diagnostic(doc.path, line, column, "error", code, message, hint(code), params(**values))
