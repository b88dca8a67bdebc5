"""Checks on the texts editors write: each is visible, a name is one line, Markdown stays simple.

Each check takes a text and gives ``None`` or ``(code, msgid, values)``, which
:mod:`katko.records.model` turns into a validation error at the text's place. Control
characters are refused earlier, where the file is read (K114, :mod:`katko.records.yamlsource`).

>>> blank("\\u200b") is not None, blank(" Huolto "), blank("")
(True, None, None)
>>> line_break("Huoltokatko\\n")[0], line_break("Huoltokatko")
('K116', None)
>>> markdown_complexity("[" * 60)[0], markdown_complexity("Soita [neuvontaan](tel:+358900).")
('K117', None)
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..core.i18n import N_

Problem = tuple[str, str, dict[str, Any]] | None

#: Characters that take up no room or show nothing by themselves, beyond white space and
#: the invisible formatting characters (zero-width space and joiners, byte order mark,
#: soft hyphen, direction marks; Unicode category Cf): the fillers of Hangul, a blank
#: Braille pattern.
_BLANKS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
#: Categories of what shows nothing: format characters, marks with nothing to mark,
#: controls, separators.
_INVISIBLE = frozenset({"Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp"})


def as_name(name: Any) -> str:
    """A field name or an id, which are ASCII, as a message quotes it: any other character as its
    escape, so that one which looks like a letter of the name (Cyrillic а, ℯ) or shows nothing (a
    zero-width space) is seen where the name looks right.

    >>> as_name("rakennuslup\\u0430"), as_name("ti\\u200btle"), as_name("title")
    ('rakennuslup\\\\u0430', 'ti\\\\u200btle', 'title')
    """
    return "".join(c if " " <= c <= "~" else f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
                   for c in str(name))


def visible(char: str) -> bool:
    """Whether ``char`` shows anything by itself.

    >>> visible("a"), visible("\\u00ad"), visible("\\u2067"), visible(" ")
    (True, False, False, False)
    """
    return not (char.isspace() or char in _BLANKS or unicodedata.category(char) in _INVISIBLE)


def blank(text: str) -> Problem:
    """K115: a text that has characters, but none that shows (an empty one is missing: K202)."""
    if text[:1].isascii() and text[:1].isalnum():
        return None  # the usual case, decided by the first character (speed of 'katko check')
    if text and not any(visible(char) for char in text):
        return "K115", N_("the text has only spaces or invisible characters (%(characters)s)"), {
            "characters": " ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in text[:100]))}
    return None


#: Line breaks a text can hold: a new line, and Unicode's line and paragraph separators (U+2028,
#: U+2029, written as the escapes "\L" and "\P"), which break the line in a page or an e-mail.
_LINE_BREAK = re.compile("[\n\u2028\u2029]")


def line_break(text: str) -> Problem:
    """K116: a title or a name is one line (a block scalar ``|`` or ``>`` ends in a line break).

    >>> line_break("Huolto\u2028katko")[0]
    'K116'
    """
    if _LINE_BREAK.search(text):
        return "K116", N_("a title or a name is one line, and this one has a line break"), {}
    return None


# --------------------------------------------------------------------------- #
# Markdown within what the renderer converts in bounded time
# --------------------------------------------------------------------------- #

#: Measured with Python-Markdown (benchmarks/markdown_limits.py; docs/performance.md):
#: every '[' that does not close a link is searched forward to the end of the text, and
#: every inline mark (emphasis, code, a character reference, an escaped '<') is
#: stashed by copying the rest of the text, so their cost grows with their number
#: times the text's length. Within these limits a text of the longest length
#: (20,000 characters) converts in a small fraction of a second; notices use a few of each.
MAX_BRACKETS = 20
MAX_MARKS = 1_000
MAX_NESTING = 10
MAX_LINES = 200

_MARKS = re.compile(r"[*_`<>&\[\]\\!]")
# A line's block quote markers and list indentation: '> > - ', '    1. '.
_NESTING = re.compile(r"^((?:[ \t]*>)*)([ \t]*)")


# A line's nesting is at most the number of these characters it starts with.
_MAY_NEST_DEEP = re.compile(rf"^[ \t>]{{{MAX_NESTING + 1}}}", re.MULTILINE)


def _nesting(line: str) -> int:
    quotes, indent = _NESTING.match(line).groups()  # type: ignore[union-attr]
    return quotes.count(">") + len(indent.expandtabs(4)) // 4


def markdown_complexity(text: str) -> Problem:
    """K117: Markdown whose conversion would take long: many brackets, marks, lines or levels."""
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        return "K117", N_("%(count)s square brackets (links); the limit is %(limit)s"), {
            "count": brackets, "limit": MAX_BRACKETS}
    marks = len(_MARKS.findall(text))
    if marks > MAX_MARKS:
        return "K117", N_("%(count)s Markdown marks (such as * _ ` < & [); the limit is %(limit)s"), {
            "count": marks, "limit": MAX_MARKS}
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        return "K117", N_("%(count)s lines; the limit is %(limit)s"), {"count": len(lines), "limit": MAX_LINES}
    if not _MAY_NEST_DEEP.search(text):
        return None  # no line starts with enough quote markers or indentation to be too deep
    deepest = max(_nesting(line) for line in lines)
    if deepest > MAX_NESTING:
        return "K117", N_("quotes or lists nested %(count)s levels deep; the limit is %(limit)s"), {
            "count": deepest, "limit": MAX_NESTING}
    return None
