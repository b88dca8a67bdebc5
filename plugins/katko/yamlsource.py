"""Read a YAML file safely, keeping the line and column of every value.

PyYAML's composer (the C one when available) builds the node tree; we turn it
into plain Python values ourselves so that we can (1) refuse duplicate keys,
(2) remember where each value stands, and (3) remember what a scalar looked
like when YAML 1.1 gave it a surprising type (``no`` → False, ``22:00`` → 1320,
``2026-12-05`` → a date). Timestamps are kept as the text that was written:
Katko reads times itself, in Finnish time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from .codes import hint
from .diagnostics import Diagnostic
from .i18n import N_
from .messages import Decimal, Term, params

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1_000_000

Path_ = tuple  # a path into the document: keys and list indices

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
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
        _, node, depth = self.nodes(tuple(path))
        if depth != len(path) or not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
            return self.position(path)
        begin = node.start_mark.index
        raw = self.text[begin:node.end_mark.index]
        skip = 0
        if node.style in ("|", ">"):
            skip = raw.find("\n") + 1 or len(raw)
        elif node.style in ('"', "'"):
            skip = 1
        count = sum(not ch.isspace() for ch in node.value[:offset])
        for index in range(skip, len(raw)):
            if raw[index].isspace():
                continue
            if count == 0:
                at = begin + index
                return self.text.count("\n", 0, at) + 1, at - (self.text.rfind("\n", 0, at) + 1) + 1
            count -= 1
        return self.position(path)

    def raw(self, path: Path_) -> tuple[str, str] | None:
        """``(type, text)`` of a scalar that YAML did not read as text, e.g. ``('bool', 'no')``."""
        _, node, depth = self.nodes(tuple(path))
        if depth == len(path) and isinstance(node, yaml.ScalarNode) and node.tag != _STR:
            return node.tag.rsplit(":", 1)[-1], node.value
        return None


def describe(path: Path_) -> str:
    """A path as readers count: ``updates[2].text``, lists numbered from 1.

    >>> describe(("updates", 1, "text"))
    'updates[2].text'
    """
    text = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return text or "the file"


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _key(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else repr(node.value)


def _convert(node: yaml.Node, path: str, problems: list[Diagnostic]) -> Any:
    """Plain Python values from a node tree, refusing duplicate keys."""
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag
        if tag == _STR or tag == _TIMESTAMP:
            control = _CONTROL.search(node.value)
            if control:  # written as an escape such as "\e": it would break feeds and calendars
                mark = node.start_mark
                problems.append(Diagnostic(path, mark.line + 1, mark.column + 1, "error", "K004", NOT_YAML,
                                           hint("K004"), params(problem=f"a control character "
                                                                f"(U+{ord(control.group()):04X}) in a text")))
            return node.value
        construct = _CONSTRUCT.get(tag)
        try:
            return construct(node) if construct else node.value
        except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError):
            return node.value  # '!!float x1': the text, which the record's model then judges
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # Keys are names: 'no:' or '2026:' as a key means the text.
            key = _key(key_node)
            if key in result:
                first = next(k for k, _ in node.value if _key(k) == key)
                mark = key_node.start_mark
                problems.append(Diagnostic(
                    path, mark.line + 1, mark.column + 1, "error", "K005",
                    N_("the field '%(field)s' appears twice (first on line %(line)s)"), hint("K005"),
                    params(field=key, line=first.start_mark.line + 1)))
                continue
            result[key] = _convert(value_node, path, problems)
        return result
    return [_convert(item, path, problems) for item in node.value]


NOT_YAML = N_("this is not valid YAML: %(problem)s")

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


def parse(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a :class:`Document`.

    >>> doc, problems = parse("title:\\n  fi: Huolto\\n  sv: no\\n", "a.yml")
    >>> doc.data["title"]["sv"], doc.position(("title", "sv")), doc.raw(("title", "sv"))
    (False, (3, 7), ('bool', 'no'))
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or bracket began
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Diagnostic(path, line, col, "error", "K004", NOT_YAML, hint("K004"),
                                 params(problem=_yaml_problem(exc.problem or exc.context or "")))]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, "error", "K004", NOT_YAML, hint("K004"), params(problem=str(exc)))]
    if node is None:
        return None, [Diagnostic(path, 1, 1, "error", "K002", N_("the file is empty"), hint("K002"))]
    problems: list[Diagnostic] = []
    try:
        data = _convert(node, path, problems)
    except RecursionError:  # 'x: &a [*a]': a value that contains itself
        return None, [Diagnostic(path, 1, 1, "error", "K004", NOT_YAML, hint("K004"),
                                 params(problem="a value contains itself (an anchor & and its alias *)"))]
    return Document(path, data, text), problems


def load(file: Path, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file; every failure becomes a diagnostic."""
    name = display or str(file)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic(name, 1, 1, "error", "K003", N_("the file is %(size)s bytes; the limit is %(limit)s"),
                                     hint("K003"), params(size=Decimal(size, 0), limit=Decimal(MAX_BYTES, 0)))]
        data = file.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(name, 1, 1, "error", "K007", N_("cannot read the file: %(reason)s"), hint("K007"),
                                 params(reason=exc.strerror or str(exc)))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic(name, line, column, "error", "K001", N_("the file is not UTF-8 text (byte %(byte)s)"),
                                 hint("K001"), params(byte=f"0x{data[exc.start]:02x}"))]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Diagnostic(name, 1, 1, "error", "K002", N_("the file has no content"), hint("K002"))]
    return parse(text, name)
