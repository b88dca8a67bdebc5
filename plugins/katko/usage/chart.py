"""A usage profile as an accessible SVG heat map of the week, with a planned window outlined.

Seven rows (Monday to Sunday) by 24 columns (hours, Helsinki time) of the
profile's ordinary-day mean; darker is busier. A planned outage's window is
outlined in black, one outline per run of consecutive hours in a row, so a
window over midnight or over several days outlines each day's part.

Accessibility (WCAG 2.1 AA): the SVG has ``role="img"``, a ``<title>`` and a
``<desc>`` that say what it shows in words (including the quietest and
busiest hours and the window's expected users), tied to it by
``aria-labelledby``. Text is near-black on white (≥ 16:1); the colour scale
stays light enough that the black outline has at least 3:1 against every cell
and the white page, and each cell has a grey edge (4.5:1 on white) so that
even the palest cells stand apart. Every figure is also in :func:`table`, an
HTML data table with a caption and header cells (``scope``), which the page
should show alongside or behind a disclosure.

Output is deterministic: the same profile and window give the same bytes.

>>> from .profiles import KINDS, Profile, Row
>>> from ..core.times import HELSINKI
>>> rows = [Row(k, d, h, 1, float(h), None) for k in KINDS for d in range(7) for h in range(24)]
>>> p = Profile("requests", datetime(2026, 1, 5, tzinfo=HELSINKI), datetime(2026, 1, 11, 23, tzinfo=HELSINKI), rows)
>>> text = svg(p, (datetime(2026, 12, 5, 22, tzinfo=HELSINKI), datetime(2026, 12, 6, 2, tzinfo=HELSINKI)))
>>> text.count('class="cell"'), text.count('class="outline"')
(168, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from babel.dates import get_day_names

from ..core.i18n import N_
from ..core.timefmt import format_range, weekday_abbreviation
from ..core.times import HELSINKI
from . import windows
from .profiles import Profile, _number

#: Light to medium blue (ColorBrewer "Blues" without its darkest steps), so
#: that the black outline keeps ≥ 3:1 against every step.
PALETTE = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6")
OUTLINE = "#000000"
CELL_EDGE = "#767676"
TEXT = "#1a1a1a"
BACKGROUND = "#ffffff"

_CELL_W, _CELL_H = 24, 22
_LEFT, _TOP = 44, 34
_LEGEND_GAP = 18

Gettext = Callable[[str], str]


# Interface texts: msgids in English, translated through locales/ (gettext),
# like every other text of Katko's.
_TITLE = N_("Usage by hour of the week: %(service)s")
_DESC = N_("Heat map of the mean %(unit)s per hour of service %(service)s by weekday and hour (Finnish time, "
           "ordinary days, from %(weeks)s weeks of data). Darker is busier. Quietest hour: %(quiet)s; "
           "busiest: %(busy)s.")
_WINDOW = N_("The planned outage %(range)s is outlined in black; expected use during it %(expected)s %(unit)s "
             "(%(share)s of a week's), number %(rank)s of the week's %(windows)s windows of its length, "
             "quietest first.")
_SEE_TABLE = N_("The same figures are in the table.")
_LEGEND = N_("%(unit)s per hour")
_HOUR = N_("Hour")
_DAY = N_("Day")
_CAPTION = N_("Mean %(unit)s per hour, service %(service)s, Finnish time (ordinary days).")
_CAPTION_WINDOW = N_("Hours in bold are in the planned outage %(range)s.")
_UNITS = {"requests": N_("requests"), "visits": N_("visits")}
_LOCALES = {"fi": "fi_FI", "sv": "sv_FI", "en": "en_GB"}


@dataclass(frozen=True)
class _Words:
    lang: str
    gettext: Gettext

    def __call__(self, message: str, **values: object) -> str:
        text = self.gettext(message)
        return text % values if values else text

    def unit(self, unit: str) -> str:
        return self(_UNITS[unit]) if unit in _UNITS else unit

    def day(self, day: int) -> str:
        return weekday_abbreviation(day, self.lang)

    def long_day(self, day: int) -> str:
        return get_day_names("wide", context="stand-alone", locale=_LOCALES[self.lang])[day]

    def number(self, value: float) -> str:
        """A figure for the reader: a decimal comma in Finnish and Swedish."""
        text = _number(value)
        return text.replace(".", ",") if self.lang in ("fi", "sv") else text


Window = tuple[datetime, datetime]


def window_cells(window: Window | None) -> set[tuple[int, int]]:
    """The (weekday, hour) cells, Helsinki time, that ``window`` covers even in part."""
    if window is None:
        return set()
    start, end = window
    # Fifteen days hold every hour of the week at least once, a clock change or
    # not: a longer window covers them all, and its hours need not be listed.
    end = min(end, start + timedelta(days=15))
    return {(local.weekday(), local.hour) for local, _ in windows.hour_slices(start, end)}


def runs(cells: set[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Consecutive hours per day as ``(weekday, first hour, number of hours)``, in order."""
    out = []
    for day in range(7):
        hour = 0
        while hour < 24:
            if (day, hour) in cells:
                first = hour
                while hour < 24 and (day, hour) in cells:
                    hour += 1
                out.append((day, first, hour - first))
            else:
                hour += 1
    return out


def _means(profile: Profile) -> list[float]:
    return [r.mean or 0.0 for r in profile.rows[:168]]


def _bins(means: list[float]) -> tuple[float, list[float]]:
    """Equal-width steps from 0 to the largest mean: the upper bound of each step."""
    top = max(means) if means and max(means) > 0 else 1.0
    return top, [top * (i + 1) / len(PALETTE) for i in range(len(PALETTE))]


def _step(value: float, top: float) -> int:
    return min(len(PALETTE) - 1, int(value / top * len(PALETTE)))


def _legend_number(w: _Words, value: float) -> str:
    """Whole numbers from 10 up, so that the legend's labels stay short."""
    return str(round(value)) if value >= 10 else w.number(value)


def _words(lang: str, gettext: Gettext | None) -> _Words:
    if lang not in _LOCALES:
        raise ValueError(f"unknown language {lang!r}; use {', '.join(_LOCALES)}")
    return _Words(lang, gettext or (lambda message: message))


def _hour_text(w: _Words, day: int, hour: int) -> str:
    name = w.long_day(day)
    return f"{name} {hour}:00–{hour + 1}:00" if w.lang == "en" else f"{name} {hour}.00–{hour + 1}.00"


def describe(profile: Profile, service: str, window: Window | None = None, lang: str = "fi",
             gettext: Gettext | None = None) -> str:
    """The chart in words: what it shows, its extremes and the window's figures.

    ``gettext`` translates the interface texts (English without it)."""
    w = _words(lang, gettext)
    means = _means(profile)
    unit = w.unit(profile.unit)
    quiet = min(range(168), key=lambda i: (means[i], i))
    busy = max(range(168), key=lambda i: (means[i], -i))
    text = w(_DESC, service=service, unit=unit, weeks=w.number(profile.weeks),
             quiet=f"{_hour_text(w, quiet // 24, quiet % 24)} ({w.number(means[quiet])})",
             busy=f"{_hour_text(w, busy // 24, busy % 24)} ({w.number(means[busy])})")
    if window is not None:
        a = windows.assess(profile, *window)
        text += " " + w(_WINDOW, range=format_range(window[0], window[1], lang), expected=w.number(a.expected),
                        unit=unit, share=f"{w.number(round(a.share * 100, 2))} %", rank=a.rank, windows=a.windows)
    return text + " " + w(_SEE_TABLE)


def svg(profile: Profile, window: Window | None = None, *, service: str = "", lang: str = "fi",
        id_prefix: str = "katko-usage", gettext: Gettext | None = None) -> str:
    """The heat map as a standalone SVG document (also fit to inline in HTML)."""
    w = _words(lang, gettext)
    means = _means(profile)
    top, bounds = _bins(means)
    cells = window_cells(window)
    unit = w.unit(profile.unit)
    grid_w, grid_h = 24 * _CELL_W, 7 * _CELL_H
    legend_y = _TOP + grid_h + _LEGEND_GAP
    width, height = max(_LEFT + grid_w + 8, _LEFT + 96 * len(PALETTE)), legend_y + 44
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(w(_TITLE, service=service or "?"))}</title>',
        f'<desc id="{desc_id}">{escape(describe(profile, service or "?", window, lang, gettext))}</desc>',
        f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>',
        f'<g font-family="sans-serif" font-size="11" fill="{TEXT}" aria-hidden="true">',
    ]
    for hour in range(24):
        x = _LEFT + hour * _CELL_W + _CELL_W / 2
        out.append(f'<text class="hour" x="{x:g}" y="{_TOP - 8}" text-anchor="middle">{hour}</text>')
    out.append(f'<text x="{_LEFT}" y="12">{escape(w(_HOUR))}</text>')
    for day in range(7):
        y = _TOP + day * _CELL_H + _CELL_H / 2 + 4
        out.append(f'<text class="day" x="{_LEFT - 6}" y="{y:g}" text-anchor="end">{escape(w.day(day))}</text>')
    out.append("</g>")
    out.append(f'<g stroke="{CELL_EDGE}" stroke-width="0.5">')
    for day in range(7):
        for hour in range(24):
            value = means[day * 24 + hour]
            x, y = _LEFT + hour * _CELL_W, _TOP + day * _CELL_H
            flag = ' data-window="1"' if (day, hour) in cells else ""
            out.append(f'<rect class="cell" x="{x}" y="{y}" width="{_CELL_W}" height="{_CELL_H}" '
                       f'fill="{PALETTE[_step(value, top)]}" data-day="{day}" data-hour="{hour}" '
                       f'data-mean="{_number(value)}"{flag}><title>{escape(_hour_text(w, day, hour))}: '
                       f'{w.number(value)} {escape(unit)}</title></rect>')
    out.append("</g>")
    if cells:
        out.append(f'<g fill="none" stroke="{OUTLINE}" stroke-width="3">')
        for day, first, length in runs(cells):
            out.append(f'<rect class="outline" x="{_LEFT + first * _CELL_W + 1.5}" y="{_TOP + day * _CELL_H + 1.5}" '
                       f'width="{length * _CELL_W - 3}" height="{_CELL_H - 3}" data-day="{day}" '
                       f'data-first-hour="{first}" data-hours="{length}"/>')
        out.append("</g>")
    out.append(f'<g class="legend" font-family="sans-serif" font-size="11" fill="{TEXT}">')
    out.append(f'<text x="{_LEFT}" y="{legend_y}">{escape(w(_LEGEND, unit=unit))}</text>')
    low = 0.0
    for i, (colour, high) in enumerate(zip(PALETTE, bounds)):
        x = _LEFT + i * 96
        out.append(f'<rect x="{x}" y="{legend_y + 8}" width="{_CELL_W}" height="14" fill="{colour}" '
                   f'stroke="{CELL_EDGE}" stroke-width="0.5"/>')
        out.append(f'<text x="{x + _CELL_W + 4}" y="{legend_y + 19}">{_legend_number(w, low)}–{_legend_number(w, high)}</text>')
        low = high
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(profile: Profile, window: Window | None = None, *, service: str = "", lang: str = "fi",
          gettext: Gettext | None = None) -> str:
    """The same figures as an HTML data table: a row per day, a column per hour."""
    w = _words(lang, gettext)
    means = _means(profile)
    cells = window_cells(window)
    unit = w.unit(profile.unit)
    caption = w(_CAPTION, unit=unit, service=service or "?")
    if window is not None:
        caption += " " + w(_CAPTION_WINDOW, range=format_range(window[0], window[1], lang))
    out = ['<table class="katko-usage">', f"<caption>{escape(caption)}</caption>",
           f'<thead><tr><th scope="col">{escape(w(_DAY))}</th>'
           + "".join(f'<th scope="col">{h}</th>' for h in range(24)) + "</tr></thead>", "<tbody>"]
    for day in range(7):
        row = [f'<tr><th scope="row">{escape(w.long_day(day))}</th>']
        for hour in range(24):
            value = w.number(means[day * 24 + hour])
            row.append(f'<td class="window"><strong>{value}</strong></td>' if (day, hour) in cells
                       else f"<td>{value}</td>")
        out.append("".join(row) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def chart(profile: Profile, window: Window | None = None, *, service: str = "", lang: str = "fi",
          id_prefix: str = "katko-usage", gettext: Gettext | None = None) -> tuple[str, str]:
    """Both at once: ``(svg, table)``."""
    return (svg(profile, window, service=service, lang=lang, id_prefix=id_prefix, gettext=gettext),
            table(profile, window, service=service, lang=lang, gettext=gettext))


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


__all__ = ["HELSINKI", "PALETTE", "chart", "contrast", "describe", "runs", "svg", "table", "window_cells"]
