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


def _events(html: str, raw_text: tuple[str, ...]) -> list[tuple[str, Any]] | None:
    """The parser's handler calls for ``html``, or None where it must read it itself."""
    events: list[tuple[str, Any]] = []
    append = events.append
    for text, tag, attributes, slash, end, comment, other in _TOKENS.findall(html):
        if text:
            append(("handle_data", (unescape(text),)))
        elif tag:
            tag = tag.lower()
            if tag in raw_text:
                return None  # a script or style: the parser reads its content as raw text
            attrs = [(name.lower(), unescape(value[1:-1]) if len(value) > 2 else value[1:-1] if value else None)
                     for name, value in _ATTRIBUTE.findall(attributes)]
            append(("handle_startendtag" if slash else "handle_starttag", (tag, attrs)))
        elif end:
            append(("handle_endtag", (end.lower(),)))
        elif other:
            return None
        else:
            append(("handle_comment", (comment,)))
    return events


def feed(parser: HTMLParser, html: str) -> None:
    """``parser.feed(html); parser.close()``, for a parser that converts character references
    (``convert_charrefs``, the default) and has read nothing yet."""
    events = _events(html, tuple(parser.CDATA_CONTENT_ELEMENTS)) if parser.convert_charrefs else None
    if events is None:
        parser.feed(html)
    else:
        for name, args in events:
            getattr(parser, name)(*args)
    parser.close()
