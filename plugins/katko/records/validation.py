"""A document validated against a model, and pydantic's errors as plain-language diagnostics.

:func:`validate` is what every file Katko reads goes through (records, the
services catalogue, ``notify.yml``): the model's value, or what of the document
is valid (checked further, never published) and one diagnostic per problem,
each at its line and column and with its code.
"""

from __future__ import annotations

import difflib
import re
import typing
from functools import lru_cache
from typing import Annotated, Any, Optional

import yaml
from pydantic import BaseModel, ValidationError, create_model

from ..core.i18n import N_
from .codes import hint
from .diagnostics import Diagnostic
from .messages import OneOf, Phrase, Place, params
from .model import ID_PATTERN
from .texts import as_name
from .yamlsource import Document


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
        values = params(field=as_name(loc[-1]), close=close[0] if close else "")
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
        values = params(place=place, value=as_name(_as_written(error["input"])))
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
        # Strictly: YAML has read the types already, and a value of another type is a mistake to
        # tell, never one to convert ('evaluation_days: true' was 1 day, 'quiet_share: true' 1 %).
        return model.model_validate(doc.data, strict=True), None, []
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
        partial = _lenient(model).model_validate(kept, strict=True)
    except ValidationError:
        return None
    salvaged = _partial(model).model_construct(**{k: getattr(partial, k) for k in kept})
    for name in bad:  # not even the default: "end: wrong" is not "no end"
        salvaged.__dict__.pop(name, None)
    return salvaged


class MissingField(AttributeError):
    """A field of a salvaged record that has an error of its own: what needs it cannot run."""


@lru_cache(maxsize=None)
def _partial(model: type[BaseModel]) -> type[BaseModel]:
    """``model`` whose unset fields raise :class:`MissingField` when read."""

    def __getattr__(self: BaseModel, name: str) -> Any:
        if name in type(self).model_fields:
            raise MissingField(f"{model.__name__}.{name} has an error of its own")
        return BaseModel.__getattr__(self, name)  # type: ignore[misc]

    return type(f"Partial{model.__name__}", (model,), {"__getattr__": __getattr__})
