"""Loading: files in ``outages/`` become validated records, or diagnostics.

:func:`load` reads the services catalogue and every outage file, validates
each against the models of :mod:`katko.records.model`, runs the named checks of
:mod:`katko.records.rules`, and returns a :class:`Dataset` together with a
:class:`~katko.records.diagnostics.Report` holding every problem found. Nothing is
published from a dataset whose report has errors.
"""

from __future__ import annotations

import difflib
import gc
import os
import re
import typing
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Iterable, Optional

import yaml
from pydantic import BaseModel, ValidationError, create_model

from . import rules
from .codes import hint
from .diagnostics import Diagnostic, Report
from ..core.i18n import N_
from .messages import OneOf, Phrase, Place, params
from .model import EMAIL_PATTERN, ID_PATTERN, Catalogue, Outage, Service
from .settings import Settings
from .yamlsource import Document
from .yamlsource import load as load_yaml

CATALOGUE_NAME = "services.yml"
SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Record:
    """A valid outage with the document it came from (for positions in later checks)."""

    outage: Outage
    id: str
    doc: Document

    @property
    def path(self) -> str:
        return self.doc.path


@dataclass
class Dataset:
    catalogue: Catalogue | None = None
    catalogue_doc: Document | None = None
    records: list[Record] = field(default_factory=list)
    #: The valid parts of records that failed validation: checked, never published.
    salvaged: list[Record] = field(default_factory=list)
    #: The records folder (where services.yml is); usage profiles are in its ``usage/``.
    folder: Path | None = None

    @property
    def services(self) -> dict[str, Service]:
        return {s.id: s for s in self.catalogue.services} if self.catalogue else {}


# --------------------------------------------------------------------------- #
# Finding files
# --------------------------------------------------------------------------- #


def find_files(paths: Iterable[Path]) -> tuple[Path | None, list[Path]]:
    """The catalogue and the outage files named by ``paths`` (files or folders)."""
    catalogue: Path | None = None
    outages: dict[Path, None] = {}  # ordered, and a file named twice is read once
    for path in paths:
        if path.is_dir():
            # Anything but a folder: a pipe or a link to a device is reported, never waited on.
            candidates = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and not p.is_dir())
            folder = path
        else:
            candidates = [path]
            folder = path.parent
        for candidate in candidates:
            if candidate.name == CATALOGUE_NAME:
                catalogue = candidate
            else:
                outages[candidate] = None
        if catalogue is None:
            for parent in (folder, *folder.parents):
                if (parent / CATALOGUE_NAME).is_file():
                    catalogue = parent / CATALOGUE_NAME
                    break
    return catalogue, list(outages)


# --------------------------------------------------------------------------- #
# Turning pydantic's errors into plain-language diagnostics
# --------------------------------------------------------------------------- #


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the last part of ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


#: Pydantic's own errors in plain words; any other is shown as Pydantic says it.
PYDANTIC_PROBLEMS = {
    "string_type": N_("text is needed here"),
    "int_type": N_("a whole number is needed here"),
    "int_parsing": N_("a whole number is needed here"),
    "int_from_float": N_("a whole number is needed here"),
    "float_type": N_("a number is needed here"),
    "float_parsing": N_("a number is needed here"),
    "bool_type": N_("true or false is needed here"),
    "bool_parsing": N_("true or false is needed here"),
    "list_type": N_("a list is needed here: lines that start with '- '"),
    "dict_type": N_("fields are needed here: 'name: value' lines, indented under this one"),
    "model_type": N_("fields are needed here: 'name: value' lines, indented under this one"),
    "model_attributes_type": N_("fields are needed here: 'name: value' lines, indented under this one"),
    "greater_than_equal": N_("the value must be at least %(ge)s"),
    "greater_than": N_("the value must be more than %(gt)s"),
    "less_than_equal": N_("the value must be at most %(le)s"),
    "less_than": N_("the value must be less than %(lt)s"),
}
AT = N_("%(place)s: %(problem)s")


def _as_written(value: Any, width: int = 80) -> str:
    """A value of a record as a message quotes it: text as it is, a list or mapping in YAML's
    one-line form (never Python's), shortened to ``width`` characters.

    >>> _as_written("planed"), _as_written({"a": [1, 2]}), _as_written(None)
    ('planed', '{a: [1, 2]}', 'null')
    """
    if isinstance(value, str):
        text = value
    else:
        try:
            text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10 ** 6)
        except yaml.YAMLError:
            text = str(value)
        text = text.strip().removesuffix("...").strip()
    return text if len(text) <= width else text[:width - 1] + "…"


def _diagnostic(doc: Document, model: type[BaseModel], error: Any) -> Diagnostic:
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    place = Place(loc)
    raw_tag, raw_text = doc.raw(loc) or ("", "")
    at_key = False
    if kind == "missing":
        code, message, values = "K102", N_("the field '%(field)s' is missing"), params(field=loc[-1])
        loc, at_key = loc[:-1], True
    elif kind == "extra_forbidden":
        code, at_key = "K101", True
        holder = _model_at(model, loc)
        close = difflib.get_close_matches(str(loc[-1]), list(holder.model_fields) if holder else [], n=1)
        message = N_("unknown field '%(field)s' (did you mean '%(close)s'?)") if close else N_("unknown field '%(field)s'")
        values = params(field=loc[-1], close=close[0] if close else "")
    elif raw_tag == "bool" and kind in ("string_type", "literal_error", "K103"):
        code, message = "K105", N_("%(place)s: YAML read '%(raw)s' as %(value)s, not as text")
        values = params(place=place, raw=raw_text, value=str(error["input"]).lower())
    elif raw_tag == "int" and ":" in raw_text:
        code, message = "K106", N_("%(place)s: YAML read '%(raw)s' as the number %(value)s, not as a time")
        values = params(place=place, raw=raw_text, value=error["input"])
    elif kind == "literal_error":
        code, message = "K104", N_("%(place)s: '%(value)s' is not allowed; use %(allowed)s")
        values = params(place=place, value=_as_written(error["input"]), allowed=OneOf(tuple(re.findall(r"'([^']*)'", ctx["expected"]))))
    elif kind == "string_pattern_mismatch" and ctx["pattern"] == ID_PATTERN:
        code, message = "K112", N_("%(place)s: '%(value)s' is not a valid id")
        values = params(place=place, value=_as_written(error["input"]))
    elif kind == "string_pattern_mismatch" and ctx["pattern"] == EMAIL_PATTERN:
        code, message = "K103", N_("%(place)s: '%(value)s' is not an e-mail address")
        values = params(place=place, value=_as_written(error["input"]))
    elif kind == "too_short":
        code, message, values = "K102", N_("%(place)s: at least one is needed"), params(place=place)
    elif kind.startswith("K"):
        problem = Phrase(ctx["msgid"], params(**ctx["values"])) if "msgid" in ctx else error["msg"]
        code, message, values = kind, AT, params(place=place, problem=problem)
    elif kind in ("model_type", "model_attributes_type", "dict_type") and loc and loc[-1] in ("title", "summary"):
        code, message = "K103", N_("%(place)s: write the text per language (fi:, sv:, en:) on separate lines")
        values = params(place=place)
    else:
        known = PYDANTIC_PROBLEMS.get(kind)
        problem = Phrase(known, params(**ctx)) if known else error["msg"][0].lower() + error["msg"][1:]
        code, message, values = "K103", AT, params(place=place, problem=problem)
    line, column = doc.position(loc, key=at_key)
    return Diagnostic(doc.path, line, column, "error", code, message, hint(code), values)


def validate(doc: Document, model: type[BaseModel]) -> tuple[Any, Any, list[Diagnostic]]:
    """``(value, partial, problems)``: the valid model, or else the valid part of it."""
    if not isinstance(doc.data, dict):
        return None, None, [Diagnostic(doc.path, 1, 1, "error", "K006",
                                       N_("the file should contain fields ('name: value' lines)"), hint("K006"))]
    try:
        return model.model_validate(doc.data), None, []
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    bad = {e["loc"][0] for e in errors if e["loc"]}
    return None, _salvage(doc.data, model, bad), [_diagnostic(doc, model, e) for e in errors]


@lru_cache(maxsize=None)
def _lenient(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` with every top-level field optional."""
    fields: dict[str, Any] = {
        name: (Optional[Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation], None)
        for name, field in model.model_fields.items()
    }
    return create_model(f"Lenient{model.__name__}", **fields)


def _salvage(data: dict[str, Any], model: type[BaseModel], bad: set[Any]) -> Any:
    """The valid part of a record that failed validation, so that the record
    checks still report their problems in the same run: every problem at once.
    Fields with errors stay unset, and a check that needs one does not run.
    """
    kept = {k: v for k, v in data.items() if k in model.model_fields and k not in bad}
    try:
        partial = _lenient(model).model_validate(kept)
    except ValidationError:
        return None
    salvaged = model.model_construct(**{k: getattr(partial, k) for k in kept})
    for name in bad:  # not even the default: "end: wrong" is not "no end"
        salvaged.__dict__.pop(name, None)
    return salvaged


# --------------------------------------------------------------------------- #
# Loading
# --------------------------------------------------------------------------- #


def display(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    if not path.is_absolute():
        return str(path)
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


class Reuse:
    """What earlier loads made of each record file: ``mkdocs serve`` loads the records
    again after every save, and only the files saved since need reading and checking.

    A file is known by its path, size and modification time; its record's checks by
    the record's text, under the same settings ("now" included) and catalogue."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, int, int], tuple[Any, ...]] = {}
        self.checks: dict[tuple[str, str], list[Diagnostic]] = {}
        self.context = ""
        #: Where each record stands, by its text and the moment (:class:`katko.site.pages.Site`).
        self.states: dict[tuple[str, str], Any] = {}

    def read(self, path: Path, shown: str) -> tuple[Document | None, list[Diagnostic], Any, Any]:
        try:
            stat = path.stat()
        except OSError:
            return _read(path, shown)
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        found = self.files.get(key)
        if found is None:
            found = self.files[key] = _read(path, shown)
        return found  # type: ignore[return-value]

    def checks_for(self, context: str) -> dict[tuple[str, str], list[Diagnostic]]:
        if context != self.context:
            self.checks, self.states, self.context = {}, {}, context
        return self.checks

    def forget_others(self, paths: Iterable[Path]) -> None:
        """Keep only what the files now in ``paths`` are (a saved file's older versions go)."""
        kept = {str(p) for p in paths}
        self.files = {key: value for key, value in self.files.items() if key[0] in kept}


def load(paths: Iterable[Path], settings: Settings, reuse: Reuse | None = None) -> tuple[Dataset, Report]:
    """Load and check everything under ``paths``; see the module docstring. With ``reuse``,
    files unchanged since an earlier load with it are not read or checked again."""
    # Loading makes many objects and no reference cycles: the cyclic garbage
    # collector would only rescan them, again and again as they accumulate.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(paths, settings, reuse)
    finally:
        if enabled:
            gc.enable()


def _read(path: Path, shown: str) -> tuple[Document | None, list[Diagnostic], Any, Any]:
    """One record file: its document, its problems, and its outage if valid, else what is salvaged."""
    doc, problems = load_yaml(path, shown)
    if doc is None:
        return None, problems, None, None
    outage, partial, invalid = validate(doc, Outage)
    return doc, problems + invalid, outage, partial


def _load(paths: Iterable[Path], settings: Settings, reuse: Reuse | None = None) -> tuple[Dataset, Report]:
    report = Report()
    dataset = Dataset()
    catalogue_path, outage_paths = find_files([Path(p) for p in paths])

    dataset.folder = catalogue_path.parent if catalogue_path is not None else None
    if catalogue_path is None:
        first = display(outage_paths[0]) if outage_paths else "outages"
        report.add(Diagnostic(first, 1, 1, "error", "K303", N_("no %(name)s found"), hint("K303"),
                              params(name=CATALOGUE_NAME)))
    else:
        doc, problems = load_yaml(catalogue_path, display(catalogue_path))
        report.extend(problems)
        if doc is not None:
            catalogue, _, problems = validate(doc, Catalogue)
            report.extend(problems)
            dataset.catalogue, dataset.catalogue_doc = catalogue, doc

    for path in outage_paths:
        doc, problems, outage, partial = reuse.read(path, display(path)) if reuse else _read(path, display(path))
        report.extend(problems)
        if doc is None:
            continue
        if outage is not None:
            dataset.records.append(Record(outage, outage.id or path.stem, doc))
        elif partial is not None:
            dataset.salvaged.append(Record(partial, getattr(partial, "id", None) or path.stem, doc))

    checked = None
    if reuse is not None:
        reuse.forget_others(outage_paths)
        catalogue_text = dataset.catalogue_doc.text if dataset.catalogue_doc else ""
        checked = reuse.checks_for(repr(settings) + "\0" + catalogue_text)
    report.extend(rules.run(dataset, settings, checked))
    dataset.records.sort(key=lambda r: (r.outage.start, r.id))
    return dataset, report
