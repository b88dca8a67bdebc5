"""A faster ``HTMLParser.feed(html); close()`` for the plain HTML Katko's templates write.

Material's search reads each page's HTML with a subclass of :class:`html.parser.HTMLParser`,
whose tokenizer, written in Python, took most of the search's fifth of a build. :func:`feed`
makes the same calls to the parser's handlers, in the same order and with the same arguments,
from one regular expression, for HTML made only of text, comments, and tags whose attributes
are written ``name`` or ``name="value"`` with no ``<`` or ``>`` in the value. Anything else in
the document (a stray ``<``, a declaration, a script or style, another way of writing a tag)
and the whole document goes through the parser's own ``feed`` and ``close`` instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from typing import Any

# Text up to the next '<'; a start tag (name, attributes, '/' of '/>'); an end tag; a comment
# (to the first '--' and '>', as the parser's parse_comment finds it); and any other '<'.
_TOKENS = re.compile(
    r'([^<]+)'
    r'|<([a-zA-Z][a-zA-Z0-9]*)((?:[ \t\n]+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>]*")?)*)[ \t\n]*(/?)>'
    r'|</([a-zA-Z][a-zA-Z0-9]*)>'
    r'|<!--(.*?)--\s*>'
    r'|(<)', re.DOTALL)
_ATTRIBUTE = re.compile(r'[ \t\n]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:=("[^"<>]*"))?')


@dataclass(frozen=True)
class Ignored:
    """Elements whose content a parser ignores: those with ``attribute`` (Material's search:
    ``data-search-exclude``), as Material's search parser does it.

    Within such an element that parser acts on nothing but the elements opened
    and closed: a heading with an id starts a section even there, a raw-text element is read
    as such, and closing an element removes its tag from the tags it ignores
    (it keeps them by tag name), which ends the ignoring of an outer element with
    that tag. So the content is passed over (the parser gets the element's start
    and end tags alone) only where it is text, comments and elements closed in the
    order opened, with no heading with an id, no raw-text element, and no element whose tag
    the parser may be ignoring: the ignored element's own, ``also`` (Material
    ignores ``object`` from the start), and the tags of such elements read before
    (and of elements with a ``linenodiv`` attribute value, which Material ignores
    too). ``void`` are the tags the parser never waits to see closed.
    """

    attribute: str
    void: frozenset[str]
    also: frozenset[str] = frozenset()


_HEADINGS = frozenset(f"h{n}" for n in range(1, 7))


def _ignored_end(html: str, pos: int, tag: str, ignoring: set[str], void: frozenset[str],
                 raw_text: tuple[str, ...]) -> int | None:
    """Where the element ``tag`` opened just before ``pos`` ends (after its end tag), if its
    content can be passed over (see :class:`Ignored`); None if it must be read."""
    open_: list[str] = []
    for match in _TOKENS.finditer(html, pos):
        _, name, attributes, slash, end, _, other = match.groups()
        if name:
            name = name.lower()
            if name in raw_text or name == tag or name in ignoring:
                return None
            if name in _HEADINGS and any(n.lower() == "id" for n, _ in _ATTRIBUTE.findall(attributes)):
                return None  # the parser starts a section at a heading with an id, ignored or not
            if not slash and name not in void:
                open_.append(name)
        elif end:
            end = end.lower()
            if open_:
                if open_.pop() != end:
                    return None
            elif end == tag:
                return match.end()
            else:
                return None
        elif other:
            return None
    return None


def _events(html: str, raw_text: tuple[str, ...], ignored: Ignored | None = None) -> list[tuple[str, Any]] | None:
    """The parser's handler calls for ``html``, or None where it must read it itself; with
    ``ignored``, the content of those elements is left out where the parser would ignore it."""
    events: list[tuple[str, Any]] = []
    append = events.append
    ignoring = set(ignored.also) if ignored is not None else set()
    pos = 0
    while True:
        skip_to = None
        for match in _TOKENS.finditer(html, pos):
            text, tag, attributes, slash, end, comment, other = match.groups()
            if text:
                append(("handle_data", (unescape(text),)))
            elif tag:
                tag = tag.lower()
                if tag in raw_text:
                    return None  # a script or style: the parser reads its content as raw text
                attrs = [(name.lower(), unescape(value[1:-1]) if len(value) > 2 else value[1:-1] if value else None)
                         for name, value in _ATTRIBUTE.findall(attributes)]
                append(("handle_startendtag" if slash else "handle_starttag", (tag, attrs)))
                if ignored is not None and attrs:
                    if any(name == ignored.attribute for name, _ in attrs) and not slash and tag not in ignored.void:
                        skip_to = _ignored_end(html, match.end(), tag, ignoring, ignored.void, raw_text)
                        if skip_to is not None:
                            append(("handle_endtag", (tag,)))
                            break
                        ignoring.add(tag)
                    elif any(value == "linenodiv" for _, value in attrs):
                        ignoring.add(tag)
            elif end:
                append(("handle_endtag", (end.lower(),)))
            elif other:
                return None
            else:
                append(("handle_comment", (comment,)))
        if skip_to is None:
            return events
        pos = skip_to


def feed(parser: HTMLParser, html: str, ignored: Ignored | None = None) -> None:
    """``parser.feed(html); parser.close()``, for a parser that converts character references
    (``convert_charrefs``, the default) and has read nothing yet; with ``ignored``, for a parser
    that ignores the content of those elements as :class:`Ignored` describes."""
    events = _events(html, tuple(parser.CDATA_CONTENT_ELEMENTS), ignored) if parser.convert_charrefs else None
    if events is None:
        parser.feed(html)
    else:
        for name, args in events:
            getattr(parser, name)(*args)
    parser.close()
