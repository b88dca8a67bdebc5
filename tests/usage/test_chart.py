"""The usage heat map: accessible SVG, outline of the window, data-table alternative, CLI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from katko.core import i18n
from katko.usage import chart as usagechart
from katko.cli import main
from katko.core.times import HELSINKI

from ..conftest import REPO_ROOT

FI = i18n.load(REPO_ROOT / "locales", "fi").gettext

from ..conftest import REPO_ROOT
from .test_windows import WEDNESDAY_NIGHT, project

SVG = "{http://www.w3.org/2000/svg}"
EXAMPLE = REPO_ROOT / "outages"


def outlined(tree: ET.Element) -> set[tuple[int, int]]:
    """The cells inside the outline rectangles, computed from their geometry alone."""
    cells = {}
    for rect in tree.iter(f"{SVG}rect"):
        if rect.get("class") == "cell":
            cells[float(rect.get("x")), float(rect.get("y"))] = (int(rect.get("data-day")), int(rect.get("data-hour")))
    inside = set()
    for rect in tree.iter(f"{SVG}rect"):
        if rect.get("class") == "outline":
            x0, y0 = float(rect.get("x")), float(rect.get("y"))
            x1, y1 = x0 + float(rect.get("width")), y0 + float(rect.get("height"))
            for (cx, cy), cell in cells.items():
                # a cell is outlined if its centre lies inside the outline
                if x0 < cx + 12 < x1 and y0 < cy + 11 < y1:
                    inside.add(cell)
    return inside


@pytest.mark.parametrize(("start", "end", "expected"), [
    # Saturday 22.00 to Sunday 2.00: two runs, over midnight.
    ((2026, 12, 5, 22, 0), (2026, 12, 6, 2, 0), {(5, 22), (5, 23), (6, 0), (6, 1)}),
    # A partial hour at each end still marks its cell.
    ((2026, 12, 2, 1, 30), (2026, 12, 2, 3, 15), {(2, 1), (2, 2), (2, 3)}),
    # Three days: Monday 20.00 to Wednesday 8.00.
    ((2026, 11, 30, 20, 0), (2026, 12, 2, 8, 0),
     {(0, h) for h in range(20, 24)} | {(1, h) for h in range(24)} | {(2, h) for h in range(8)}),
])
def test_svg_is_accessible_and_outlines_exactly_the_window(start: tuple, end: tuple, expected: set) -> None:
    window = (datetime(*start, tzinfo=HELSINKI), datetime(*end, tzinfo=HELSINKI))
    text = usagechart.svg(WEDNESDAY_NIGHT, window, service="lupa", gettext=FI)
    tree = ET.fromstring(text)
    assert tree.get("role") == "img"
    title, desc = tree.find(f"{SVG}title"), tree.find(f"{SVG}desc")
    assert title is not None and "lupa" in title.text and desc is not None and desc.text
    assert tree.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    cells = [r for r in tree.iter(f"{SVG}rect") if r.get("class") == "cell"]
    assert len(cells) == 168
    assert {(int(r.get("data-day")), int(r.get("data-hour"))) for r in cells} == {(d, h) for d in range(7) for h in range(24)}
    assert outlined(tree) == expected
    assert {(int(r.get("data-day")), int(r.get("data-hour"))) for r in cells if r.get("data-window")} == expected
    labels = [t.text for t in tree.iter(f"{SVG}text")]
    assert [str(h) for h in range(24)] == [t.text for t in tree.iter(f"{SVG}text") if t.get("class") == "hour"]
    assert ["ma", "ti", "ke", "to", "pe", "la", "su"] == [t.text for t in tree.iter(f"{SVG}text") if t.get("class") == "day"]
    assert any("pyyntöä tunnissa" in (t or "") for t in labels)  # the legend


def test_quiet_and_busy_cells_differ_in_colour() -> None:
    tree = ET.fromstring(usagechart.svg(WEDNESDAY_NIGHT, service="lupa"))
    fill = {(r.get("data-day"), r.get("data-hour")): r.get("fill") for r in tree.iter(f"{SVG}rect") if r.get("class") == "cell"}
    assert fill["2", "3"] == usagechart.PALETTE[0] and fill["6", "23"] == usagechart.PALETTE[-1]
    assert not [r for r in tree.iter(f"{SVG}rect") if r.get("class") == "outline"]


def test_colours_meet_wcag_contrast() -> None:
    for colour in (*usagechart.PALETTE, usagechart.BACKGROUND):
        assert usagechart.contrast(usagechart.OUTLINE, colour) >= 3, colour  # graphics: 3:1
    assert usagechart.contrast(usagechart.TEXT, usagechart.BACKGROUND) >= 4.5  # text: 4.5:1
    assert usagechart.contrast(usagechart.CELL_EDGE, usagechart.BACKGROUND) >= 3
    assert usagechart.contrast("#000000", "#ffffff") == pytest.approx(21)


def test_output_is_deterministic() -> None:
    window = (datetime(2026, 12, 5, 22, tzinfo=HELSINKI), datetime(2026, 12, 6, 2, tzinfo=HELSINKI))
    assert usagechart.chart(WEDNESDAY_NIGHT, window, service="lupa") == usagechart.chart(
        WEDNESDAY_NIGHT, window, service="lupa")


class _Table(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append(tag)


def test_table_alternative_has_every_figure() -> None:
    window = (datetime(2026, 12, 2, 2, tzinfo=HELSINKI), datetime(2026, 12, 2, 5, tzinfo=HELSINKI))
    html = usagechart.table(WEDNESDAY_NIGHT, window, service="lupa")
    parser = _Table()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert tags.count("caption") == 1 and tags.count("td") == 7 * 24
    assert all(a.get("scope") in ("col", "row") for t, a in parser.tags if t == "th")
    assert [row.count("td") for row in parser.rows] == [0] + [24] * 7
    assert html.count("<strong>") == 3 and "<td class=\"window\"><strong>2</strong></td>" in html


def test_chart_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out, table = tmp_path / "c.svg", tmp_path / "c.html"
    result = runner.invoke(main, ["usage", "chart", "--service", "rakennuslupa", "--records", str(EXAMPLE),
                                  "--outage", "2026-12-05-rakennuslupa-palvelinvaihto", "--out", str(out),
                                  "--table", str(table)])
    assert result.exit_code == 0, result.output
    tree = ET.parse(out).getroot()
    # la 5.12. 22.00 – su 6.12. 4.00
    assert outlined(tree) == {(5, 22), (5, 23)} | {(6, h) for h in range(4)}
    assert table.read_text().count("<td") == 168
    (tmp_path / "p").mkdir()
    outages = project(tmp_path / "p", WEDNESDAY_NIGHT)
    printed = runner.invoke(main, ["usage", "chart", "--service", "lupa", "--records", str(outages),
                                   "--start", "2026-12-02 02:00", "--end", "2026-12-02 05:00", "--lang", "en"])
    assert printed.exit_code == 0 and outlined(ET.fromstring(printed.output)) == {(2, 2), (2, 3), (2, 4)}
    missing = runner.invoke(main, ["usage", "chart", "--service", "lupa", "--records", str(outages),
                                   "--outage", "no-such"])
    assert missing.exit_code == 1 and "no valid outage record" in missing.output


def test_words_come_from_the_interface_texts() -> None:
    """The chart's words are gettext texts (locales/), like the rest of the interface."""
    window = (datetime(2026, 12, 2, 2, tzinfo=HELSINKI), datetime(2026, 12, 2, 5, tzinfo=HELSINKI))
    sv = i18n.load(REPO_ROOT / "locales", "sv").gettext
    picture, table = usagechart.chart(WEDNESDAY_NIGHT, window, service="lupa", lang="sv", gettext=sv)
    tree = ET.fromstring(picture)
    assert tree.find(f"{SVG}title").text == "Användning per timme i veckan: lupa"
    assert [t.text for t in tree.iter(f"{SVG}text") if t.get("class") == "day"] == ["må", "ti", "on", "to", "fr", "lö", "sö"]
    assert "<th scope=\"row\">onsdag</th>" in table and "förfrågningar per timme i medeltal" in table
    english = ET.fromstring(usagechart.svg(WEDNESDAY_NIGHT, window, service="lupa", lang="en"))
    assert english.find(f"{SVG}title").text == "Usage by hour of the week: lupa"
