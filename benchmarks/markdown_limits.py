#!/usr/bin/env python3
"""How long Katko's Markdown takes on the texts that cost it most, within the limits of K117 and beyond.

    .venv/bin/python benchmarks/markdown_limits.py [--repeats 5]

Python-Markdown searches forward from every '[' that does not close a link, and
stashes every inline mark (emphasis, code, a character reference, an escaped
'<') by copying the rest of the text; both cost the number of them times the
text's length. Each family below is a text of the longest length Katko reads
(20,000 characters, K011) made of one costly pattern, the rest of it plain
words: once with as much of the pattern as the K117 limit (:mod:`katko.records.texts`)
lets through, and once with ten times as much, which K117 refuses (the cost
grows with the square of it: a whole text of '[' takes minutes).
Each text goes through what ``katko check`` and the build do with it
(``markup.to_html`` and ``markup.unsafe_links``), timed in CPU seconds, median
of ``--repeats``, the two kinds alternating. The table goes into
docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from katko.core import markup
from katko.records import texts

LENGTH = 20_000


def fill(pattern: str, count: int) -> str:
    """``count`` repetitions of ``pattern``, padded with words to LENGTH."""
    text = pattern * min(count, LENGTH // len(pattern))
    return text + ("sana " * LENGTH)[: max(0, LENGTH - len(text))]


def lines(line: str, count: int) -> str:
    """``count`` lines: ``line``, and a last one of words up to LENGTH."""
    text = "\n".join([line] * min(count - 1, LENGTH // (len(line) + 1)))
    return text + "\n" + ("sana " * LENGTH)[: max(0, LENGTH - len(text) - 1)]


#: Family: how a text of it is made, and the most of it K117 lets through.
FAMILIES: dict[str, tuple[Callable[[int], str], int]] = {
    "unclosed '['": (lambda n: fill("[", n), texts.MAX_BRACKETS),
    "'[x](' pairs": (lambda n: fill("[x](", n), texts.MAX_BRACKETS),
    "emphasis marks '*_'": (lambda n: fill("*_", n), texts.MAX_MARKS // 2),
    "'<' (escaped)": (lambda n: fill("<", n), texts.MAX_MARKS),
    "rules '- - -', one a line": (lambda n: lines("- - -", n), texts.MAX_LINES),
    "block quote '> ' levels": (lambda n: fill("> ", n), texts.MAX_NESTING),
}


def cpu(text: str) -> float:
    start = time.process_time()
    markup.to_html.__wrapped__(text)
    markup.unsafe_links(text)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| family | at the limit | CPU s | ten times as much | CPU s | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (make, limit) in FAMILIES.items():
        low, high = make(limit), make(10 * limit)
        assert texts.markdown_complexity(low) is None and texts.markdown_complexity(high) is not None, name
        lows, highs = [], []
        for i in range(args.repeats):
            for text, found in ((low, lows), (high, highs)) if i % 2 == 0 else ((high, highs), (low, lows)):
                found.append(cpu(text))
        a, b = statistics.median(lows), statistics.median(highs)
        print(f"| {name} | {limit} | {a:.3f} | {10 * limit} (K117) | {b:.3f} | {b / a:.0f}× |")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
