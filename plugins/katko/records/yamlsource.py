"""Read a YAML file safely, keeping the line and column of every value.

PyYAML's parser (the C one when available) gives the file as a stream of
events; we turn them into plain Python values ourselves so that we can (1)
refuse, before anything is built, what Katko does not read: anchors and
aliases (nothing is ever expanded), explicit tags, deep nesting, huge texts,
lists and files, keys that are not words; (2) refuse duplicate keys; (3)
remember where each value stands, and (4) remember what a scalar looked like
when YAML 1.1 gave it a surprising type (``no`` → False, ``22:00`` → 1320,
``2026-12-05`` → a date). Timestamps are kept as the text that was written:
Katko reads times itself, in Finnish time.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from ..core.i18n import N_
from .codes import hint
from .diagnostics import Diagnostic
from .messages import Decimal, Term, params

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: The limits of a file Katko reads. A record has a few hundred values, nested a few
#: levels deep; the largest services catalogue a city needs is far below these.
MAX_BYTES = 1_000_000
MAX_VALUES = 50_000
MAX_DEPTH = 20
MAX_TEXT = 20_000
MAX_ITEMS = 1_000

Path_ = tuple  # a path into the document: keys and list indices

_YAML_TAG = "tag:yaml.org,2002:"
_STR = _YAML_TAG + "str"
_constructor = yaml.constructor.SafeConstructor()
_CONSTRUCT = {
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
}


@dataclass
class Document:
    """A YAML file's data, and its node tree for finding where each value stands.

    Positions are looked up only when a problem is reported, so that reading
    thousands of valid records costs little more than parsing them.
    """

    path: str
    data: Any
    text: str = ""
    _spans: dict[Path_, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def root(self) -> yaml.Node | None:
        # Parsed again only when a problem is reported: keeping the node trees
        # of thousands of valid records alive would slow every later step.
        return yaml.compose(self.text, Loader=_Loader)

    def nodes(self, path: Path_) -> tuple[yaml.Node | None, yaml.Node | None, int]:
        """``(key node, value node, depth reached)`` for ``path``, as far as it exists."""
        key_node, node = None, self.root
        for depth, part in enumerate(path):
            found = None
            if isinstance(node, yaml.MappingNode):
                found = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part),
                             None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
                found = (None, node.value[part])
            if found is None:
                return key_node, node, depth
            key_node, node = found
        return key_node, node, len(path)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where ``path`` stands (its key's position with ``key=True``), or its nearest existing parent."""
        key_node, node, _ = self.nodes(tuple(path))
        target = key_node if key and key_node is not None else node
        if target is None:
            return (1, 1)
        return (target.start_mark.line + 1, target.start_mark.column + 1)

    def position_in(self, path: Path_, offset: int) -> tuple[int, int]:
        """Where the character at ``offset`` of the text at ``path`` stands in the file.

        Folding and indentation change only white space, so the characters
        between are counted; the text's own position if that cannot be done.

        >>> doc, _ = parse("summary:\\n  fi: >-\\n    Katko la 5.12.\\n    klo 2.00\\n", "a.yml")
        >>> doc.position_in(("summary", "fi"), doc.data["summary"]["fi"].index("klo"))
        (4, 5)
        """
        spans = self._spans.get(tuple(path))
        if spans is None:
            spans = self._spans[tuple(path)] = self._span(tuple(path))
        if not spans:
            return self.position(path)
        before, written = spans
        count = before[min(offset, len(before) - 1)]
        if count >= len(written):
            return self.position(path)
        at = written[count]
        line = bisect.bisect_left(self._line_breaks, at)  # line breaks before 'at'
        start = self._line_breaks[line - 1] + 1 if line else 0
        return line + 1, at - start + 1

    def _span(self, path: Path_) -> tuple[list[int], list[int]] | None:
        """For the text at ``path``: how many characters that are not white space stand before
        each offset of its value, and where each of them is written in the file. Made once per
        text, so that a text with hundreds of problems is placed in linear time, not quadratic."""
        _, node, depth = self.nodes(path)
        if depth != len(path) or not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
            return None
        begin = node.start_mark.index
        raw = self.text[begin:node.end_mark.index]
        skip = 0
        if node.style in ("|", ">"):
            skip = raw.find("\n") + 1 or len(raw)
        elif node.style in ('"', "'"):
            skip = 1
        before = [0]
        for ch in node.value:
            before.append(before[-1] + (not ch.isspace()))
        written = [begin + index for index in range(skip, len(raw)) if not raw[index].isspace()]
        return before, written

    @cached_property
    def _line_breaks(self) -> list[int]:
        return [index for index, ch in enumerate(self.text) if ch == "\n"]

    def raw(self, path: Path_) -> tuple[str, str] | None:
        """``(type, text)`` of a scalar that YAML did not read as text, e.g. ``('bool', 'no')``."""
        _, node, depth = self.nodes(tuple(path))
        if depth == len(path) and isinstance(node, yaml.ScalarNode) and node.tag != _STR:
            return node.tag.rsplit(":", 1)[-1], node.value
        return None


NOT_YAML = N_("this is not valid YAML: %(problem)s")
#: A field name followed by what looks like ': ' but is not: a full-width colon, or a colon and
#: a no-break or other space that is not the space YAML needs. YAML reads the line as text and
#: fails a line or more later; the problem is told where it is.
_ODD_COLON = re.compile(r"^[ \t]*(?:- )?([A-Za-z_][\w-]*)(\uff1a|\ufe55|\ufe13|:[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff])",
                        re.MULTILINE)
ODD_COLON = N_("after '%(name)s' stands %(character)s where YAML needs a colon and a space")

#: PyYAML's words for the mistakes editors make most, in the reader's language;
#: any other problem is shown as PyYAML says it.
YAML_PROBLEMS = {
    "mapping values are not allowed here": N_("a colon is followed by a space where YAML does not expect one "
                                              "(put a text with ': ' in quotes)"),
    "could not find expected ':'": N_("a line has no 'name: value' colon"),
    "found character '\\t' that cannot start any token": N_("a tab character: indent with spaces"),
    "found a tab character that violates indentation": N_("a tab character: indent with spaces"),
    "found unexpected end of stream": N_("a quote or a bracket is not closed"),
    "expected <block end>, but found '<block mapping start>'": N_("a line is indented more or less than the lines "
                                                                  "around it"),
    "expected <block end>, but found '-'": N_("a list item ('- ') is indented differently from the items "
                                              "before it"),
}


def _yaml_problem(problem: str) -> Term | str:
    found = YAML_PROBLEMS.get(problem)
    return Term(found) if found else problem


# --------------------------------------------------------------------------- #
# Reading the events: limits first, values second
# --------------------------------------------------------------------------- #

#: Characters Katko does not read in a file: those YAML does not allow (control characters
#: other than tab and line breaks, DEL, C1 controls, U+FFFE and U+FFFF), NEL, which
#: YAML would take for a line break that no editor shows, and a byte order mark (U+FEFF)
#: anywhere but at the very start (where reading drops it): left there by joining or pasting
#: files, it is invisible, and YAML reads it as text (a title with it inside) or as a line
#: that is not YAML ("did not find expected key").
NOT_IN_YAML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: Control characters in a value: written in a file as escapes such as "\e" or "\x00".
#: Tabs and line breaks are text; a carriage return is not (feeds and calendars); nor are
#: U+FFFE and U+FFFF written as escapes, which no XML (feeds) can carry. The bidirectional
#: embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), written as themselves
#: or as escapes, turn the text that follows around where it is shown ("Trojan Source"):
#: Finnish, Swedish and English never need them.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
#: A line end other than LF: CR LF or a lone CR.
_LINE_END = re.compile("\r\n?")
#: What a file needs to have for a value to hold a control character: an escape, a carriage
#: return (the only control character :data:`NOT_IN_YAML` lets through) or a bidirectional control.
_MAY_CONTROL = re.compile("[\\\\\r\u202a-\u202e\u2066-\u2069]")

try:  # the C parser's events, without the loader's constructor and resolver around it
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

_SCALAR, _ALIAS = yaml.ScalarEvent, yaml.AliasEvent
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
#: YAML 1.1's implicit types of a plain scalar by its first character, as PyYAML's resolver reads them.
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers
#: A key that cannot be used (a list, a set of fields or an alias): its entry is dropped.
_NO_KEY = object()


class _Refused(Exception):
    """A limit that makes reading the rest of the file pointless (too many values)."""


class _Frame:
    """A mapping or list being read: its value, where it began and what comes next in it."""

    __slots__ = ("value", "mapping", "mark", "key", "key_mark", "marks", "count")

    def __init__(self, mapping: bool, mark: Any) -> None:
        self.value: Any = {} if mapping else []
        self.mapping, self.mark = mapping, mark
        #: A mapping's key waiting for its value; :data:`_NO_KEY` for one that cannot be used.
        self.key: Any = None
        self.key_mark: Any = None
        self.marks: dict[Any, Any] = {}  # a mapping's keys, where each was first written
        self.count = 0


class _Reader:
    """Plain Python values from PyYAML's parser events, refusing on the way what Katko does not read.

    Anchors and aliases are refused where they are written (K008), so that nothing is ever
    expanded; so are explicit tags (K009), nesting deeper than :data:`MAX_DEPTH` (K010),
    texts longer than :data:`MAX_TEXT` and lists or mappings of more than :data:`MAX_ITEMS`
    entries (K011), keys that are not words (K012), more than :data:`MAX_VALUES` values
    (K003) and duplicate keys (K005). Each kind of problem is reported once, where it is
    first found: one is enough to show what to fix, and a million aliases make no more work.

    The loop is written out for the speed of ``katko check``: it handles every event of
    every record, about a hundred per record.
    """

    def __init__(self, path: str, tags: bool = False) -> None:
        self.path = path
        self.tags = tags
        self.problems: list[Diagnostic] = []
        self.refused: set[str] = set()  # the codes of the problems that leave no usable data

    def refuse(self, mark: Any, code: str, message: str, **values: Any) -> None:
        if code not in self.refused:
            self.refused.add(code)
            self.problems.append(Diagnostic(self.path, mark.line + 1, mark.column + 1, "error", code, message,
                                            hint(code), params(**values)))

    def read(self, text: str) -> tuple[bool, Any]:
        """``(found, data)``: whether the file holds a document at all, and its values."""
        stack: list[_Frame] = []
        frame: _Frame | None = None  # the innermost mapping or list
        documents = values = 0
        data: Any = None
        # A control character in a value was written as an escape, or as itself (a carriage
        # return or a bidirectional control): a file with none needs no search of each value.
        controls = _MAY_CONTROL.search(text) is not None
        parser = _Parser(text)
        get_event = parser.get_event
        try:
            while True:
                event = get_event()
                kind = event.__class__
                if kind is _SCALAR or kind in _STARTS or kind is _ALIAS:
                    mark = event.start_mark
                    values += 1
                    if values > MAX_VALUES:
                        self.refuse(mark, "K003", N_("the file has more than %(limit)s values"),
                                    limit=Decimal(MAX_VALUES, 0))
                        raise _Refused
                    at_key = False
                    if frame is not None:
                        mapping = frame.mapping
                        at_key = mapping and frame.key is None
                        if at_key or not mapping:
                            frame.count += 1
                            if frame.count == MAX_ITEMS + 1:
                                self.refuse(frame.mark, "K011", N_("a list or a set of fields has more than "
                                                                   "%(limit)s entries"), limit=Decimal(MAX_ITEMS, 0))
                    if event.anchor is not None:
                        self.refuse(mark, "K008", ANCHORS, name=event.anchor)
                    if kind is _ALIAS:
                        value = _NO_KEY if at_key else None
                    else:
                        if event.tag is not None and not self.tags:
                            self.refuse(mark, "K009", TAGS, tag=_written(event.tag))
                        if kind is _SCALAR:
                            value = self._scalar(event, at_key, controls)
                        else:
                            if len(stack) >= MAX_DEPTH:
                                self.refuse(mark, "K010", N_("the values are nested more than %(limit)s levels "
                                                             "deep"), limit=MAX_DEPTH)
                            frame = _Frame(kind is _STARTS[0], mark)
                            stack.append(frame)
                            continue
                elif kind in _ENDS:
                    done = stack.pop()
                    frame = stack[-1] if stack else None
                    value, mark = done.value, done.mark
                    if frame is not None and frame.mapping and frame.key is None:
                        self.refuse(mark, "K012", KEY_NOT_A_WORD)
                        value = _NO_KEY
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents == 2:
                        self.refuse(event.start_mark, "K004", NOT_YAML, problem=Term(MORE_DOCUMENTS))
                    continue
                elif kind is yaml.StreamEndEvent:
                    return documents > 0, data
                else:
                    continue  # the stream's start, a document's end
                if frame is None:
                    data = value
                elif not frame.mapping:
                    frame.value.append(value)
                elif frame.key is None:
                    frame.key, frame.key_mark = value, mark
                else:
                    self._entry(frame, value)
        finally:
            parser.dispose()

    def _scalar(self, event: yaml.ScalarEvent, at_key: bool, controls: bool) -> Any:
        text = event.value
        if len(text) > MAX_TEXT:
            self.refuse(event.start_mark, "K011", N_("a text of %(length)s characters; the limit is %(limit)s"),
                        length=Decimal(len(text), 0), limit=Decimal(MAX_TEXT, 0))
        control = controls and CONTROL.search(text)
        if control:
            # Not a refusal: the file is read, and its other problems reported too.
            mark = event.start_mark
            self.problems.append(Diagnostic(self.path, mark.line + 1, mark.column + 1, "error", "K114",
                                            CONTROL_CHARACTER, hint("K114"),
                                            params(character=_character(control.group()))))
        if at_key:
            if event.style in ("|", ">"):
                self.refuse(event.start_mark, "K012", KEY_NOT_A_WORD)
                return _NO_KEY
            return text  # keys are names: 'no:' or '2026:' as a key means the text
        if not event.implicit[0]:
            return text  # quoted, or tagged
        # PyYAML's resolver, without its call: the first tag whose pattern the text matches.
        for tag, pattern in _IMPLICIT.get(text[:1], ()):
            if pattern.match(text):
                construct = _CONSTRUCT.get(tag)
                if construct is None:
                    return text  # text, and timestamps: Katko reads times itself
                try:
                    return construct(yaml.ScalarNode(tag, text))
                except ValueError:  # '0x_', or an integer of thousands of digits
                    return text
        return text

    def _entry(self, frame: _Frame, value: Any) -> None:
        key, frame.key = frame.key, None
        if key is _NO_KEY:
            return
        first = frame.marks.get(key)
        if first is not None:
            self.problems.append(Diagnostic(
                self.path, frame.key_mark.line + 1, frame.key_mark.column + 1, "error", "K005",
                N_("the field '%(field)s' appears twice (first on line %(line)s)"), hint("K005"),
                params(field=key, line=first.line + 1)))
            return
        frame.marks[key] = frame.key_mark
        frame.value[key] = value


KEY_NOT_A_WORD = N_("a field name must be a word, not a list or a set of fields")
ANCHORS = N_("the YAML anchor or alias '%(name)s' is not allowed")
TAGS = N_("the YAML tag '%(tag)s' is not allowed")
MORE_DOCUMENTS = N_("the file holds more than one YAML document (a line '---' starts a new one)")
NOT_ALLOWED_CHARACTER = N_("the file contains the control character %(character)s, which has no place in a text")
CONTROL_CHARACTER = N_("the text contains the control character %(character)s, which has no place in a text")


def _written(tag: str) -> str:
    """A tag as it is usually written: ``!!int`` for YAML's own."""
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def _character(char: str) -> str:
    return f"U+{ord(char):04X}"


def _place(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def parse(text: str, path: str, *, tags: bool = False) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a :class:`Document`; ``None`` and the problems if it cannot be used.

    With ``tags``, explicit tags are allowed and their values read as text: an
    ``mkdocs.yml`` has ``!ENV`` and ``!!python/name:`` tags of its own.

    >>> doc, problems = parse("title:\\n  fi: Huolto\\n  sv: no\\n", "a.yml")
    >>> doc.data["title"]["sv"], doc.position(("title", "sv")), doc.raw(("title", "sv"))
    (False, (3, 7), ('bool', 'no'))
    >>> doc, problems = parse("a: &x [1]\\nb: *x\\n", "a.yml")
    >>> doc, [(d.code, d.location) for d in problems]
    (None, [('K008', 'a.yml:1:4')])

    A file saved with Windows' (CR LF) or old Macs' (CR) line ends is read with LF, as YAML
    reads every line end: the places found in the text then count the lines YAML counts.

    >>> doc, _ = parse("title:\\r  fi: Huolto [x](http://x)\\r", "a.yml")
    >>> doc.text, doc.position_in(("title", "fi"), 7)
    ('title:\\n  fi: Huolto [x](http://x)\\n', (2, 14))
    """
    text = _LINE_END.sub("\n", text.removeprefix("\ufeff"))  # a byte order mark at the start is no text
    bad = NOT_IN_YAML.search(text)
    if bad:
        line, column = _place(text, bad.start())
        return None, [Diagnostic(path, line, column, "error", "K114", NOT_ALLOWED_CHARACTER, hint("K114"),
                                 params(character=_character(bad.group())))]
    reader = _Reader(path, tags)
    try:
        found, data = reader.read(text)
    except _Refused:
        return None, reader.problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or bracket began
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        odd = _ODD_COLON.search(text)
        if odd and _place(text, odd.start(2))[0] <= line:
            line, col = _place(text, odd.start(2))
            return None, [*reader.problems, Diagnostic(path, line, col, "error", "K004", ODD_COLON, hint("K004"), params(
                name=odd.group(1), character=" + ".join("':'" if c == ":" else _character(c) for c in odd.group(2))))]
        return None, [*reader.problems, Diagnostic(path, line, col, "error", "K004", NOT_YAML, hint("K004"),
                                                   params(problem=_yaml_problem(exc.problem or exc.context or "")))]
    except yaml.YAMLError as exc:
        line, col = _place(text, getattr(exc, "position", 0) or 0)
        return None, [*reader.problems, Diagnostic(path, line, col, "error", "K004", NOT_YAML, hint("K004"),
                                                   params(problem=str(exc).split("\n")[0]))]
    if not found:
        return None, [Diagnostic(path, 1, 1, "error", "K002", N_("the file is empty"), hint("K002"))]
    if reader.refused:
        return None, reader.problems
    return Document(path, data, text), reader.problems


def load(file: Path, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file; every failure becomes a diagnostic.

    Only a regular file is read, and no more of it than the limit: a folder, a pipe or a
    device named like a record is reported, never waited on.
    """
    name = display or str(file)
    try:
        data = _read(file)
    except _NotAFile:
        return None, [Diagnostic(name, 1, 1, "error", "K007", N_("cannot read the file: %(reason)s"), hint("K007"),
                                 params(reason=Term(NOT_A_FILE)))]
    except OSError as exc:
        return None, [Diagnostic(name, 1, 1, "error", "K007", N_("cannot read the file: %(reason)s"), hint("K007"),
                                 params(reason=exc.strerror or str(exc)))]
    if len(data) > MAX_BYTES:
        return None, [Diagnostic(name, 1, 1, "error", "K003", N_("the file is %(size)s bytes; the limit is %(limit)s"),
                                 hint("K003"), params(size=Decimal(_size(file, len(data)), 0),
                                                      limit=Decimal(MAX_BYTES, 0)))]
    try:
        text = data.decode("utf-8")  # parse() drops a byte order mark at the start
    except UnicodeDecodeError as exc:
        before = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
        return None, [Diagnostic(name, line, column, "error", "K001", N_("the file is not UTF-8 text (byte %(byte)s)"),
                                 hint("K001"), params(byte=f"0x{data[exc.start]:02x}"))]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Diagnostic(name, 1, 1, "error", "K002", N_("the file has no content"), hint("K002"))]
    return parse(text, name)


NOT_A_FILE = N_("it is not a regular file (a folder, a device or a pipe)")


class _NotAFile(OSError):
    pass


def _read(file: Path) -> bytes:
    """At most one byte more than :data:`MAX_BYTES` of a regular file."""
    if not stat.S_ISREG(os.stat(file).st_mode):
        raise _NotAFile  # opening a pipe would wait for a writer
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced in between
            raise _NotAFile
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_BYTES + 1)
    finally:
        os.close(fd)


def _size(file: Path, read: int) -> int:
    try:
        return max(os.stat(file).st_size, read)
    except OSError:
        return read
