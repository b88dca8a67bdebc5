"""Injection payloads, and the example project with one in every text field.

Every payload carries a number: a payload that runs calls ``__katko_xss(N)``
(or ``alert(N)``), which the browser tests catch, and the number tells which
field of which file let it through (:attr:`Poisoned.fields`). Texts under a
record's ``internal:`` carry ``katko-internal-N`` instead, which must appear in
no public output at all.

The payloads stay within what ``katko check`` accepts (the build refuses
anything else): links that K120 refuses go only into fields that are not
Markdown, where they are plain text, and are tested against the check itself
in test_security.py. Payloads with control characters (a CR for calendar
lines) are not accepted in records either, and are put straight into the
models there.
"""

from __future__ import annotations

import itertools
import re
import shutil
import typing
from collections.abc import Iterator
from html.parser import HTMLParser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from katko.core.markup import SCHEMES, scheme, unsafe_links
from katko.records.model import Catalogue, Localized, Markdown, Outage
from katko.records.texts import line_break

#: What a payload calls when it runs. {n} is the payload's number.
CALL = "__katko_xss({n})"

PAYLOADS = [
    # Elements and event handlers
    "<script>" + CALL + "</script>",
    "<img src=x onerror=" + CALL + ">",
    "<IMG SRC=x OnError=" + CALL + ">",
    "<svg onload=" + CALL + ">",
    "<svg><script>" + CALL + "</script></svg>",
    "<svg><a xlink:href=\"javascript:" + CALL + "\"><text y=20>x</text></a></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=" + CALL + ">",
    "<math href=\"javascript:" + CALL + "\">x</math>",
    "<details open ontoggle=" + CALL + ">",
    "<input autofocus onfocus=" + CALL + ">",
    "<iframe srcdoc=\"<script>parent." + CALL + "</script>\"></iframe>",
    "<object data=\"javascript:" + CALL + "\"></object>",
    "<form action=\"javascript:" + CALL + "\"><button>x</button></form>",
    "<a href=\"javascript:" + CALL + "\">x</a>",
    "<a href=\"&#x6A;avascript:" + CALL + "\">x</a>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:" + CALL + "\">",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<scr<script>ipt>" + CALL + "</script>",
    "<<img src=x onerror=" + CALL + ">",
    # Breaking out of attributes, elements, JSON in a script element, comments, CDATA
    "\"><img src=x onerror=" + CALL + ">",
    "'><img src=x onerror=" + CALL + ">",
    "\" autofocus onfocus=\"" + CALL,
    "</title><script>" + CALL + "</script>",
    "</script><script>" + CALL + "</script>",
    "</textarea></noscript></style><img src=x onerror=" + CALL + ">",
    "<!--<img src=x onerror=" + CALL + ">-->",
    "--><img src=x onerror=" + CALL + ">",
    "<![CDATA[<img src=x onerror=" + CALL + ">]]>",
    "]]><img src=x onerror=" + CALL + ">",
    # Text that is already escaped, so that unescaping it once makes markup
    "&lt;img src=x onerror=" + CALL + "&gt;",
    "&#60;img src=x onerror=" + CALL + "&#62;",
    # JavaScript strings and templates, Unicode line separators
    "';" + CALL + ";//",
    "\";" + CALL + ";//",
    "${" + CALL + "}",
    "\u2028" + CALL + "\u2029",
    # Templates: Jinja evaluates nothing from a record
    "{{ 'katko' ~ 'tpl' ~ {n} }}",
    "{% if true %}katko{{ 'tpl' }}{n}{% endif %}",
    "{{constructor.constructor('" + CALL + "')()}}",
    # Markdown: links, autolinks, images, code
    "[x](javascript:" + CALL + ")",
    "[x](JaVaScRiPt:" + CALL + ")",
    "[x](%20javascript:" + CALL + ")",
    "[x](data:text/html;base64,PHNjcmlwdD5fX2thdGtvX3hzcygpPC9zY3JpcHQ+)",
    "[x](vbscript:msgbox({n}))",
    "[x](http://evil.example/{n})",
    "[x][r{n}]\n\n[r{n}]: javascript:" + CALL,
    "[x](&#106;avascript:" + CALL + ")",
    "[x](java&#x09;script:" + CALL + ")",
    "[x](https://x.example \"\\\"onmouseover=" + CALL + " x=\\\"\")",
    "[<img src=x onerror=" + CALL + ">](https://x.example/)",
    "<mailto:x/`/onfocus=" + CALL + "//autofocus/tabindex=1>",
    "<https://x.example/\"onmouseover=" + CALL + ">",
    "<javascript:" + CALL + ">",
    "![x](x\" onerror=\"" + CALL + ")",
    "![x][i{n}]\n\n[i{n}]: javascript:" + CALL,
    "`<img src=x onerror=" + CALL + ">`",
    "*<img src=x onerror=" + CALL + ">*",
    "- <svg onload=" + CALL + ">\n- x",
    "    <img src=x onerror=" + CALL + ">",
]

#: A web address with what an address may have that means something in HTML, JavaScript and templates:
#: https, no spaces, and none of the '"<>\\`' that K113 refuses (an address with one was copied with its
#: HTML), so a single quote, parentheses, '&', braces and '='.
URL_PAYLOAD = "https://x.example/?q='/onmouseover=" + CALL + "//&amp;x={{7*7}}&y=${7*7}"
#: An e-mail address with what an address may have that means something in HTML, JavaScript and
#: templates (K103 refuses '<', '"' and parentheses in one): a tagged template calls without them.
EMAIL_PAYLOAD = "x'/onfocus=__katko_xss`{n}`/{{7*7}}@x.example"


def payload(template: str, n: int) -> str:
    return template.replace("{n}", str(n))


def refused_by_check(text: str) -> bool:
    """Whether a Markdown text with ``text`` fails ``katko check`` (K120)."""
    return bool(unsafe_links(text))


# --------------------------------------------------------------------------- #
# Poisoning the example project
# --------------------------------------------------------------------------- #


@dataclass
class Poisoned:
    folder: Path
    #: payload number -> (file name, field path, text)
    fields: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    #: what went into internal sections, which nothing public may contain
    internal: list[str] = field(default_factory=list)


#: Fields that hold identifiers, not text.
IDS = {(Outage, "services")}


def _kind(annotation: Any, metadata: tuple[Any, ...] = ()) -> tuple[str, Any, tuple[Any, ...]]:
    """``(kind, inner type, metadata)`` of a model field, as far as poisoning is concerned."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _kind(args[0], metadata + tuple(args[1:]))
    if origin is list:
        return "list", args[0], metadata
    if origin is not None and origin is not typing.Literal:
        # X | None, or list[Risk | str] | str | None: the first that is not None.
        return _kind(args[0], metadata)
    if isinstance(annotation, type) and issubclass(annotation, Localized):
        return ("markdown" if issubclass(annotation, Markdown) else "localized"), annotation, metadata
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation, metadata
    if annotation is str:
        patterns = {getattr(m, "pattern", None) for m in metadata} - {None}
        validators = {getattr(getattr(m, "func", None), "__name__", None) for m in metadata}
        if "_url" in validators:
            return "url", None, metadata
        if "email_address" in validators:
            return "email", None, metadata
        return ("text" if not patterns else "other"), None, metadata
    return "other", annotation, metadata


class _Poisoner:
    def __init__(self, poisoned: Poisoned) -> None:
        self.poisoned = poisoned
        self.numbers = itertools.count(1)
        # One line each: a line break (also U+2028, U+2029) is not for titles and names (K116).
        self.templates = itertools.cycle([t for t in PAYLOADS if line_break(t) is None and not t.startswith(" ")])
        self.markdown_templates = itertools.cycle([t for t in PAYLOADS if not refused_by_check(payload(t, 1))])

    def text(self, where: str, path: str, template: str, internal: bool) -> str:
        n = next(self.numbers)
        if internal:
            self.poisoned.internal.append(f"katko-internal-{n} ")
            return f"katko-internal-{n} <b>"
        text = payload(template, n)
        self.poisoned.fields[n] = (where, path, text)
        return text

    def model(self, data: Any, model: type[BaseModel], where: str, path: str, internal: bool) -> Any:
        if not isinstance(data, dict):
            return data
        result = dict(data)
        hints = typing.get_type_hints(model, include_extras=True)  # forward references resolved
        for name, value in data.items():
            info = model.model_fields.get(name)
            if info is None or (model, name) in IDS:
                continue
            kind, inner, _ = _kind(hints[name], tuple(info.metadata))
            result[name] = self.value(value, kind, inner, where, f"{path}.{name}".lstrip("."),
                                      internal or name == "internal")
        return result

    def value(self, value: Any, kind: str, inner: Any, where: str, path: str, internal: bool) -> Any:
        if kind == "list" and isinstance(value, list):
            item_kind, item_inner, _ = _kind(inner)
            return [self.value(item, item_kind, item_inner, where, f"{path}[{i + 1}]", internal)
                    for i, item in enumerate(value)]
        if kind in ("localized", "markdown") and isinstance(value, dict):
            templates = self.markdown_templates if kind == "markdown" else self.templates
            return {lang: self.text(where, f"{path}.{lang}", next(templates), internal) if isinstance(text, str)
                    else text for lang, text in value.items()}
        if kind == "model":
            return self.model(value, inner, where, path, internal)
        if isinstance(value, str) and kind in ("text", "url", "email"):
            template = {"url": URL_PAYLOAD, "email": EMAIL_PAYLOAD}.get(kind) or next(self.templates)
            return self.text(where, path, template, internal)
        return value


def poison(source: Path, target: Path) -> Poisoned:
    """A copy of the project folder ``source`` (outages/) with a payload in every text."""
    shutil.copytree(source, target)
    poisoned = Poisoned(target)
    poisoner = _Poisoner(poisoned)
    for path in sorted(target.glob("*.yml")):
        model = Catalogue if path.name == "services.yml" else Outage
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = poisoner.model(data, model, path.name, "", internal=False)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return poisoned


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


# --------------------------------------------------------------------------- #
# What published HTML may contain
# --------------------------------------------------------------------------- #

#: Attributes whose value is an address that a browser loads, follows or runs.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
                  "ping", "srcset", "cite", "manifest"}
#: Elements that run, load or redirect, which no page of the notice site has.
FORBIDDEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}


class Audit(HTMLParser):
    """Everything in an HTML document or fragment that could run a script or load something
    from elsewhere. ``tags``/``attributes``: an allowlist, for fragments made of Markdown."""

    def __init__(self, tags: set[str] | None = None, attributes: dict[str, set[str]] | None = None,
                 styles: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.styles = tags, attributes, styles
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        where = self.getpos()
        found = dict(attrs)
        if self.tags is not None and tag not in self.tags:
            self.problems.append(f"{where}: element <{tag}>")
        if tag in FORBIDDEN or (tag == "style" and not self.styles):
            self.problems.append(f"{where}: element <{tag}>")
        if tag == "script" and not found.get("src") and found.get("type") != "application/json":
            self.problems.append(f"{where}: inline script")
        if tag == "meta" and (found.get("http-equiv") or "").lower() == "refresh":
            self.problems.append(f"{where}: <meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc" or (name == "style" and not self.styles):
                self.problems.append(f"{where}: <{tag} {name}={value!r}>")
            if self.attributes is not None and name not in self.attributes.get(tag, set()):
                self.problems.append(f"{where}: <{tag} {name}>")
            if name in URL_ATTRIBUTES and value is not None:
                for address in (value.split(",") if name == "srcset" else [value]):
                    found_scheme = scheme(address)
                    if found_scheme is not None and found_scheme not in SCHEMES:
                        self.problems.append(f"{where}: <{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def audit(html: str, **allowlist: Any) -> list[str]:
    """The problems :class:`Audit` finds in ``html``."""
    parser = Audit(**allowlist)
    parser.feed(html)
    parser.close()
    return parser.problems


#: A payload's call, found anywhere: its number names the field.
CALLED = re.compile(r"__katko_xss\((\d+)\)")
