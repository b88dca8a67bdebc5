"""The record guide: how to write outage records, every field and every problem code.

It is written in Markdown, once per language: ``docs/records.md`` (English),
``docs/records.fi.md`` and ``docs/records.sv.md``. Katko carries the guide of
its own version (a wheel in ``katko/project_files/docs/``), and every site's
internal staff site shows it at ``LANG/internal/guide/``, where the links of
``katko check``'s hints lead: each row of the table of problem codes has the
code as its anchor (``#k202``).

>>> html = to_html("| Code | Name |\\n|---|---|\\n| K202 | `missing-language` |\\n\\nSee [usage.md](usage.md).")
>>> '<tr id="k202">' in html, "See usage.md." in html
(True, True)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import markdown

from ..core.shipped import project_files

#: The guide's file in each language, under the project files' ``docs/``.
FILES = {"en": "records.md", "fi": "records.fi.md", "sv": "records.sv.md"}

_CODE_ROW = re.compile(r"<tr>(\s*<td>(K\d{3})</td>)")
# A link to another page of Katko's documentation, which a site does not have: its text stays.
_DOC_LINK = re.compile(r'<a href="[^":#]+\.md(?:#[^"]*)?">(.*?)</a>')
# The guide's own first-level heading: the page's template writes the title.
_TITLE = re.compile(r"\A\s*<h1[^>]*>.*?</h1>\s*", re.S)


def source(lang: str) -> Path:
    return project_files() / "docs" / FILES[lang]


def to_html(text: str) -> str:
    """The guide's Markdown as HTML: headings with ids for the contents' links, code rows with anchors.

    The guide is Katko's own text, not a record's: it is converted as it is,
    with no sanitising, like a template.
    """
    html = markdown.markdown(text, extensions=["tables", "fenced_code", "toc"],
                             extension_configs={"toc": {"slugify": _slug}})
    html = _DOC_LINK.sub(r"\1", html)
    return _CODE_ROW.sub(lambda m: f'<tr id="{m.group(2).lower()}">{m.group(1)}', html)


@lru_cache(maxsize=None)
def page(lang: str) -> tuple[str, str]:
    """``(title, body)`` of the guide in ``lang``: its first heading, and the rest as HTML."""
    text = source(lang).read_text(encoding="utf-8")
    title = text.split("\n", 1)[0].lstrip("# ").strip()
    return title, _TITLE.sub("", to_html(text), count=1)


def _slug(value: str, separator: str) -> str:
    """A heading's id as GitHub makes it, so that the contents' links work there and here."""
    value = re.sub(r"[^\w\- ]", "", value.strip().lower())
    return value.replace(" ", separator)
