"""Markdown from records: each text is converted without the inline patterns that cannot match
in it (katko.core.markup._NEEDS), and the HTML is the same as with every pattern."""

from __future__ import annotations

import random

import markdown

from katko.core import markup

from ..conftest import REPO_ROOT
from ..injection import PAYLOADS

# Pieces of Markdown: every inline pattern's characters, the block syntax around them, tabs
# (which become spaces before a line break), entities, autolinks, escapes and plain words.
PIECES = ["*", "**", "_", "__", "[", "]", "(", ")", "[x](https://x.example/a)", "![i](https://x.example/i.png)",
          "[r]", "[r]: https://x.example/r", "<", ">", "<https://x.example/b>", "<mailto:p@x.example>",
          "<p@x.example>", "&", "&amp;", "&#38;", "`", "``", "\\", "\\*", "\n", "\n\n", "  \n", "\t\n", " \t\n",
          "- ", "* ", "1. ", "> ", "# ", "    ", "---", "a", "sana", "kaksi sanaa", " ", "ä", "!", ":", "=", "|"]


def _texts() -> list[str]:
    rng = random.Random(21)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    texts += [payload for payload in PAYLOADS if isinstance(payload, str)]
    for path in sorted((REPO_ROOT / "outages").glob("*.yml")):
        texts += path.read_text(encoding="utf-8").split("\n\n")
    return texts


def test_leaving_out_the_patterns_a_text_cannot_match_changes_no_html() -> None:
    full = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    for text in _texts():
        full.reset()
        assert markup._converted(text) == full.convert(markup._source(text)), text
    assert markup._converter.cache_info().currsize > 8  # texts took converters without some patterns


def test_every_pattern_left_out_is_one_markdown_has() -> None:
    names = {item.name for item in markdown.Markdown(extensions=["sane_lists"]).inlinePatterns._priority}
    assert set(markup._NEEDS) <= names
