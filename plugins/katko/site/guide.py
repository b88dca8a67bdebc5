"""The record guide: how to write outage records, every field and every problem code.

It is written in Markdown, once per language: ``docs/records.md`` (English),
``docs/records.fi.md`` and ``docs/records.sv.md``. Katko carries the guide of
its own version (a wheel in ``katko/project_files/docs/``), and every site's
internal staff site shows it at ``LANG/internal/guide/``, where the links of
``katko check``'s hints lead: each row of the table of problem codes has the
code as its anchor (``#k202``).

Each table is named by the heading it stands under, and described by the paragraph that
introduces it, if one does (a heading may have several tables), so that a screen reader's list
of tables tells them apart.

>>> html = to_html("| Code | Name |\\n|---|---|\\n| K202 | `missing-language` |\\n\\nSee [usage.md](usage.md).")
>>> '<tr id="k202">' in html, "See usage.md." in html
(True, True)
>>> print(to_html("## Codes\\n\\nThe evaluation:\\n\\n| A |\\n|---|\\n| 1 |").split("<thead>")[0])
<h2 id="codes">Codes</h2>
<p id="codes-table-1">The evaluation:</p>
<table aria-labelledby="codes" aria-describedby="codes-table-1">
<BLANKLINE>
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
    html = _CODE_ROW.sub(lambda m: f'<tr id="{m.group(2).lower()}">{m.group(1)}', html)
    return _name_tables(html)


# A heading, or a table with the paragraph right before it (which introduces it, if any).
_HEADING_OR_TABLE = re.compile(
    r'<h[1-6] id="(?P<heading>[^"]+)"|(?:<p>(?P<intro>(?:(?!</?p>).)*)</p>(?P<gap>\s*))?<table>', re.S)


def _name_tables(html: str) -> str:
    """Every table named by the heading above it (``aria-labelledby``) and described by the
    paragraph that introduces it (``aria-describedby``)."""
    heading, count = "", 0

    def name(match: re.Match[str]) -> str:
        nonlocal heading, count
        if match.group("heading"):
            heading = match.group("heading")
            return match.group(0)
        count += 1
        labelled = f' aria-labelledby="{heading}"' if heading else ""
        if match.group("intro") is None:
            return f"<table{labelled}>"
        intro = f"{heading or 'guide'}-table-{count}"
        return (f'<p id="{intro}">{match.group("intro")}</p>{match.group("gap")}'
                f'<table{labelled} aria-describedby="{intro}">')

    return _HEADING_OR_TABLE.sub(name, html)


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
