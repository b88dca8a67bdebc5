"""Pages made from a shared frame, and pages read for the search by katko.core.htmlparse, are byte
for byte what MkDocs and Material make of each page on its own.

A build renders Material's frame once for each group of notice and archive-year pages and fills
in each page's title, content and address (katko.plugin._Frames), and reads its pages for
Material's search with a faster tokenizer (katko.core.htmlparse). Here the example site and the
poisoned site (an injection payload in every text field) are built both ways and compared.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from katko.core import htmlparse

from .conftest import KATKO_NOW, REPO_ROOT
from .injection import Poisoned

# The build with each page through main.html and Material's own reading for the search.
PAGE_BY_PAGE = ("import katko.plugin as p; p._FRAMED_KINDS = (); p._search_index = lambda config: None; "
                "from mkdocs.__main__ import cli; cli()")


def _build(project: Path, site: Path, *code: str) -> str:
    command = [sys.executable, "-c", code[0], "build"] if code else [sys.executable, "-m", "mkdocs", "build"]
    result = subprocess.run([*command, "--strict", "-v", "-d", str(site)], cwd=project, text=True,
                            capture_output=True,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    return result.stderr


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("which", ["example", "poisoned"])
def test_framed_pages_and_their_search_entries_equal_a_page_by_page_build(
        which: str, poisoned: Poisoned, tmp_path: Path) -> None:
    project = REPO_ROOT if which == "example" else poisoned.folder.parent
    log = _build(project, tmp_path / "framed")
    made = re.search(r"made (\d+) pages from their group's frame, rendered (\d+)", log)
    assert made and int(made[1]) > int(made[2]) > 0, log[-2000:]  # the frames were used
    _build(project, tmp_path / "page-by-page", PAGE_BY_PAGE)
    framed, plain = _files(tmp_path / "framed"), _files(tmp_path / "page-by-page")
    assert sorted(framed) == sorted(plain)
    assert [name for name in framed if framed[name] != plain[name]] == []


class _Calls(HTMLParser):
    """Writes down every call the tokenizer makes."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def handle_data(self, data: str) -> None:
        self.calls.append(("data", data))

    def handle_comment(self, data: str) -> None:
        self.calls.append(("comment", data))

    def handle_decl(self, decl: str) -> None:
        self.calls.append(("decl", decl))

    def handle_pi(self, data: str) -> None:
        self.calls.append(("pi", data))

    def unknown_decl(self, data: str) -> None:
        self.calls.append(("unknown", data))


# Pieces of HTML, plain and not: the tokenizer takes the first kind, and gives the rest to the parser.
PIECES = [
    "<p>", "</p>", "<h2 id=\"a-b\">", "</h2>", "<a href=\"../x/?a=1&amp;b=2\" class=\"headerlink\">", "</a>",
    "<br>", "<br/>", "<br />", "<li data-search-exclude>", "<time datetime=\"2026-12-01T10:00:00+02:00\">",
    "<span lang=\"sv\" title=\"\">", "<DIV CLASS=\"X\">", "</DIV >", "<!-- katko:fallback-note -->", "<!---->",
    "text", " ", "\n", "  \n ", "&amp;", "&lt;script&gt;", "&#x27;", "&#39", "&nbsp;", "&unknown;", "&", "ä–€",
    "<", ">", "<<", "< p>", "<p class='x'>", "<p class=x>", "<p\tclass=\"x\"\r>", "<a b=\"<\">", "<a b=\">\">",
    "<script>", "</script>", "<style>p>a{}</style>", "<!DOCTYPE html>", "<?pi x?>", "<![CDATA[x]]>",
    "<!-- a -- b --  >", "<!-- unclosed", "</ p>", "</>", "<a/b>", "<x-y>", "<p a=\"1\"b=\"2\">", "&#", "&#x",
]


def _calls(html: str, fast: bool) -> list[tuple[object, ...]]:
    parser = _Calls()
    if fast:
        htmlparse.feed(parser, html)
    else:
        parser.feed(html)
        parser.close()
    return parser.calls


def test_the_tokenizer_makes_the_parsers_calls() -> None:
    rng = random.Random(15)
    plain = 0
    for _ in range(20000):
        html = "".join(rng.choice(PIECES[:29] if rng.random() < 0.5 else PIECES) for _ in range(rng.randint(0, 25)))
        assert _calls(html, fast=True) == _calls(html, fast=False), html
        plain += htmlparse._events(html, ("script", "style")) is not None
    assert 2000 < plain < 18000  # both ways were taken


def test_the_tokenizer_reads_a_notice_page_itself(built_site: Path) -> None:
    page = next((built_site / "fi" / "outages").glob("*/index.html")).read_text(encoding="utf-8")
    content = page[page.index('<article'):page.index('</article>')]
    assert htmlparse._events(content, ("script", "style"))
    assert _calls(content, fast=True) == _calls(content, fast=False)


# Pieces for documents read by Material's search parser, with content it ignores: excluded
# elements (nested, of the same tag as an element around or inside them), headings inside them,
# Material's `linenodiv`, void tags, elements closed out of order.
SEARCH_PIECES = [
    "<div data-search-exclude>", "<div>", "</div>", "<ul data-search-exclude>", "<ul>", "</ul>", "<li>", "</li>",
    "<p>", "</p>", "<span class=\"x\">", "</span>", "<h2 id=\"a\">", "</h2>", "<h3>", "</h3>", "<code>", "</code>",
    "<br>", "<br/>", "<img data-search-exclude>", "<hr>", "<td class=\"linenodiv\">", "</td>", "<svg/>",
    "<section data-search-exclude class=\"y\">", "</section>", "<dl>", "</dl>", "<dt>", "</dt>", "<object>",
    "</object>", "text", "more words", " ", "\n", "&amp;", "<!-- c -->", "<p data-search-exclude/>", "<pre>", "</pre>",
    "<", "<script>", "</script>",
]


def _sections(html: str, fast: bool) -> list[tuple[object, ...]]:
    from material.plugins.search import plugin as material_search

    from katko.plugin import _search_ignores

    parser = material_search.Parser()
    try:
        if fast:
            htmlparse.feed(parser, html, _search_ignores(material_search, parser))
        else:
            parser.feed(html)
            parser.close()
    except ValueError as exc:  # Material's parser fails on some unbalanced HTML: the same way both times
        return [("fails", str(exc))]
    return [(s.el.tag, s.id, s.depth, list(s.title), list(s.text), s.is_excluded()) for s in parser.data]


def _tree(rng: random.Random, depth: int = 0) -> str:
    """A random document as Katko's templates write them (elements closed in order), with a
    random piece of any kind in one place of five."""
    parts = []
    for _ in range(rng.randint(0, 4 if depth < 4 else 0)):
        roll = rng.random()
        if roll < 0.2:
            parts.append(rng.choice(SEARCH_PIECES))
        elif roll < 0.45:
            parts.append(rng.choice(["text", "more words", " ", "&amp; x", "\n"]))
        else:
            tag = rng.choice(["div", "ul", "li", "p", "span", "section", "dl", "dd", "h2", "h3", "code", "pre"])
            attrs = "".join(rng.choice(["", "", " data-search-exclude", " class=\"linenodiv\"", " id=\"x\"",
                                        " class=\"a\""]) for _ in range(2))
            parts.append(f"<{tag}{attrs}>{_tree(rng, depth + 1)}</{tag}>")
    return "".join(parts)


def test_content_the_search_ignores_is_passed_over_with_the_same_sections() -> None:
    from material.plugins.search import plugin as material_search

    from katko.plugin import _search_ignores

    rng = random.Random(16)
    passed_over = 0
    for i in range(20000):
        if i % 2:
            html = "".join(rng.choice(SEARCH_PIECES) for _ in range(rng.randint(0, 30)))
        else:
            html = _tree(rng)
        html = f"<article>{html}</article>"
        assert _sections(html, fast=True) == _sections(html, fast=False), html
        full = htmlparse._events(html, ("script", "style"))
        short = htmlparse._events(html, ("script", "style"),
                                  _search_ignores(material_search, material_search.Parser()))
        passed_over += full is not None and short is not None and len(short) < len(full)
    assert passed_over > 1000  # the content was passed over often enough to matter


def test_a_notice_page_is_read_for_the_search_with_its_excluded_parts_passed_over(built_site: Path) -> None:
    from material.plugins.search import plugin as material_search

    from katko.plugin import _search_ignores

    for page in [built_site / "fi" / "index.html", *sorted((built_site / "sv" / "outages").glob("*/index.html"))]:
        html = page.read_text(encoding="utf-8")
        content = html[html.index('<article'):html.index('</article>')]
        ignored = _search_ignores(material_search, material_search.Parser())
        assert len(htmlparse._events(content, ("script", "style"), ignored)) < len(
            htmlparse._events(content, ("script", "style")))
        assert _sections(content, fast=True) == _sections(content, fast=False)
