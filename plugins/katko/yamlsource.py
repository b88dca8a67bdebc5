"""Read a YAML file safely, keeping the line and column of every value.

PyYAML's composer (the C one when available) builds the node tree; we turn it
into plain Python values ourselves so that we can (1) refuse duplicate keys,
(2) remember where each value stands, and (3) remember what a scalar looked
like when YAML 1.1 gave it a surprising type (``no`` → False, ``22:00`` → 1320,
``2026-12-05`` → a date). Timestamps are kept as the text that was written:
Katko reads times itself, in Finnish time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .codes import hint
from .diagnostics import Diagnostic

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
    """A YAML file's data, with the position of each value and key."""

    path: str
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: Scalars that YAML did not read as text: path → (tag name, text written).
    raw: dict[Path_, tuple[str, str]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where ``path`` stands, or its nearest existing parent."""
        path = tuple(path)
        while True:
            if key and path in self.key_positions:
                return self.key_positions[path]
            if path in self.positions:
                return self.positions[path]
            if not path:
                return (1, 1)
            path = path[:-1]


def describe(path: Path_) -> str:
    """A path as readers count: ``updates[2].text``, lists numbered from 1.

    >>> describe(("updates", 1, "text"))
    'updates[2].text'
    """
    text = "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return text or "the file"


class _Builder:
    def __init__(self, path: str) -> None:
        self.doc = Document(path, None)
        self.problems: list[Diagnostic] = []

    def build(self, node: yaml.Node, at: Path_) -> Any:
        mark = node.start_mark
        self.doc.positions[at] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build_key(key_node)
                if key in result:
                    km = key_node.start_mark
                    first = self.doc.key_positions.get(at + (key,), (0, 0))[0]
                    self.problems.append(Diagnostic(
                        self.doc.path, km.line + 1, km.column + 1, "error", "K005",
                        f"the field '{key}' appears twice (first on line {first})", hint("K005")))
                    continue
                self.doc.key_positions[at + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, at + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, at + (i,)) for i, item in enumerate(node.value)]
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _TIMESTAMP:
            self.doc.raw[at] = ("timestamp", node.value)
            return node.value
        construct = _CONSTRUCT.get(tag)
        if construct is None:
            return node.value
        self.doc.raw[at] = (tag.rsplit(":", 1)[-1], node.value)
        return construct(node)

    def build_key(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            # Keys are names: 'no:' or '2026:' as a key means the text.
            return node.value
        return repr(node.value)


def parse(text: str, path: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse YAML text into a :class:`Document`.

    >>> doc, problems = parse("title:\\n  fi: Huolto\\n  sv: no\\n", "a.yml")
    >>> doc.data["title"]["sv"], doc.position(("title", "sv")), doc.raw[("title", "sv")]
    (False, (3, 7), ('bool', 'no'))
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and "end of stream" in (exc.problem or ""):
            mark = exc.context_mark  # where the unclosed quote or bracket began
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = f"this is not valid YAML: {exc.problem or exc.context}"
        return None, [Diagnostic(path, line, col, "error", "K004", message, hint("K004"))]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(path, 1, 1, "error", "K004", f"this is not valid YAML: {exc}", hint("K004"))]
    if node is None:
        return None, [Diagnostic(path, 1, 1, "error", "K002", "the file is empty", hint("K002"))]
    builder = _Builder(path)
    builder.doc.data = builder.build(node, ())
    return builder.doc, builder.problems


def load(file: Path, display: str | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file; every failure becomes a diagnostic."""
    name = display or str(file)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            return None, [Diagnostic(name, 1, 1, "error", "K003",
                                     f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}", hint("K003"))]
        data = file.read_bytes()
    except OSError as exc:
        return None, [Diagnostic(name, 1, 1, "error", "K007", f"cannot read the file: {exc.strerror}", hint("K007"))]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Diagnostic(name, line, column, "error", "K001",
                                 "the file is not UTF-8 text (byte 0x%02x)" % data[exc.start], hint("K001"))]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Diagnostic(name, 1, 1, "error", "K002", "the file has no content", hint("K002"))]
    return parse(text, name)
