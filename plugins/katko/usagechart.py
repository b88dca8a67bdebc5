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

>>> from .usage import KINDS, Profile, Row
>>> from .times import HELSINKI
>>> rows = [Row(k, d, h, 1, float(h), None) for k in KINDS for d in range(7) for h in range(24)]
>>> p = Profile("requests", datetime(2026, 1, 5, tzinfo=HELSINKI), datetime(2026, 1, 11, 23, tzinfo=HELSINKI), rows)
>>> text = svg(p, (datetime(2026, 12, 5, 22, tzinfo=HELSINKI), datetime(2026, 12, 6, 2, tzinfo=HELSINKI)))
>>> text.count('class="cell"'), text.count('class="outline"')
(168, 2)
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from . import windows
from .timefmt import format_range
from .times import HELSINKI
from .usage import Profile, _number

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

_WORDS = {
    "fi": {"days": ("ma", "ti", "ke", "to", "pe", "la", "su"),
           "long_days": ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
           "title": "Käyttö viikon tunneittain: {service}",
           "desc": "Lämpökartta palvelun {service} käytöstä: {unit} tunnissa keskimäärin viikonpäivittäin ja "
                   "tunneittain (Suomen aikaa, tavalliset päivät, {weeks} viikon aineistosta). Mitä tummempi, sitä "
                   "vilkkaampi. Hiljaisin tunti: {quiet}; vilkkain: {busy}.",
           "window": " Suunniteltu katko {range} on rajattu mustalla; odotettu käyttö sen aikana {expected} "
                     "{unit} ({share} viikon käytöstä), {rank}. hiljaisin {windows} samanpituisesta ajasta.",
           "table": " Samat luvut ovat taulukossa.",
           "legend": "{unit} tunnissa", "hour": "Tunti", "day": "Päivä",
           "caption": "{unit} tunnissa keskimäärin, palvelu {service}, Suomen aikaa (tavalliset päivät).",
           "caption_window": " Lihavoidut tunnit ovat suunnitellun katkon {range} aikana.",
           "units": {"requests": "pyyntöä", "visits": "käyntiä"}},
    "sv": {"days": ("må", "ti", "on", "to", "fr", "lö", "sö"),
           "long_days": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
           "title": "Användning per timme i veckan: {service}",
           "desc": "Värmekarta över användningen av tjänsten {service}: {unit} per timme i medeltal per veckodag och "
                   "timme (finsk tid, vanliga dagar, från {weeks} veckors data). Ju mörkare, desto livligare. "
                   "Lugnaste timmen: {quiet}; livligaste: {busy}.",
           "window": " Det planerade avbrottet {range} är inramat med svart; förväntad användning under det {expected} "
                     "{unit} ({share} av veckans), nummer {rank} av veckans {windows} lika långa perioder, lugnast först.",
           "table": " Samma siffror finns i tabellen.",
           "legend": "{unit} per timme", "hour": "Timme", "day": "Dag",
           "caption": "{unit} per timme i medeltal, tjänsten {service}, finsk tid (vanliga dagar).",
           "caption_window": " Timmarna i fetstil hör till det planerade avbrottet {range}.",
           "units": {"requests": "förfrågningar", "visits": "besök"}},
    "en": {"days": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
           "long_days": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
           "title": "Usage by hour of the week: {service}",
           "desc": "Heat map of the mean {unit} per hour of service {service} by weekday and hour (Finnish "
                   "time, ordinary days, from {weeks} weeks of data). Darker is busier. Quietest hour: {quiet}; "
                   "busiest: {busy}.",
           "window": " The planned outage {range} is outlined in black; expected use during it {expected} {unit} "
                     "({share} of a week's), number {rank} of the week's {windows} windows of its length, quietest first.",
           "table": " The same figures are in the table.",
           "legend": "{unit} per hour", "hour": "Hour", "day": "Day",
           "caption": "Mean {unit} per hour, service {service}, Finnish time (ordinary days).",
           "caption_window": " Hours in bold are in the planned outage {range}.",
           "units": {"requests": "requests", "visits": "visits"}},
}

Window = tuple[datetime, datetime]


def window_cells(window: Window | None) -> set[tuple[int, int]]:
    """The (weekday, hour) cells, Helsinki time, that ``window`` covers even in part."""
    if window is None:
        return set()
    return {(local.weekday(), local.hour) for local, _ in windows.hour_slices(*window)}


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


def _legend_number(value: float) -> str:
    """Whole numbers from 10 up, so that the legend's labels stay short."""
    return str(round(value)) if value >= 10 else _number(value)


def _hour_text(lang: str, day: int, hour: int) -> str:
    name = _WORDS[lang]["long_days"][day]
    return f"{name} {hour}:00–{hour + 1}:00" if lang == "en" else f"{name} {hour}.00–{hour + 1}.00"


def _words(lang: str) -> dict:
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}; use {', '.join(_WORDS)}")
    return _WORDS[lang]


def describe(profile: Profile, service: str, window: Window | None = None, lang: str = "fi") -> str:
    """The chart in words: what it shows, its extremes and the window's figures."""
    w = _words(lang)
    means = _means(profile)
    unit = w["units"].get(profile.unit, profile.unit)
    quiet = min(range(168), key=lambda i: (means[i], i))
    busy = max(range(168), key=lambda i: (means[i], -i))
    text = w["desc"].format(service=service, unit=unit, weeks=_number(profile.weeks),
                            quiet=f"{_hour_text(lang, quiet // 24, quiet % 24)} ({_number(means[quiet])})",
                            busy=f"{_hour_text(lang, busy // 24, busy % 24)} ({_number(means[busy])})")
    if window is not None:
        a = windows.assess(profile, *window)
        text += w["window"].format(range=format_range(window[0], window[1], lang),
                                   expected=_number(a.expected), unit=unit, share=f"{a.share * 100:.2f} %",
                                   rank=a.rank, windows=a.windows)
    return text + w["table"]


def svg(profile: Profile, window: Window | None = None, *, service: str = "", lang: str = "fi",
        id_prefix: str = "katko-usage") -> str:
    """The heat map as a standalone SVG document (also fit to inline in HTML)."""
    w = _words(lang)
    means = _means(profile)
    top, bounds = _bins(means)
    cells = window_cells(window)
    unit = w["units"].get(profile.unit, profile.unit)
    grid_w, grid_h = 24 * _CELL_W, 7 * _CELL_H
    legend_y = _TOP + grid_h + _LEGEND_GAP
    width, height = max(_LEFT + grid_w + 8, _LEFT + 96 * len(PALETTE)), legend_y + 44
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(w["title"].format(service=service or "?"))}</title>',
        f'<desc id="{desc_id}">{escape(describe(profile, service or "?", window, lang))}</desc>',
        f'<rect width="{width}" height="{height}" fill="{BACKGROUND}"/>',
        f'<g font-family="sans-serif" font-size="11" fill="{TEXT}" aria-hidden="true">',
    ]
    for hour in range(24):
        x = _LEFT + hour * _CELL_W + _CELL_W / 2
        out.append(f'<text class="hour" x="{x:g}" y="{_TOP - 8}" text-anchor="middle">{hour}</text>')
    out.append(f'<text x="{_LEFT}" y="12">{escape(w["hour"])}</text>')
    for day in range(7):
        y = _TOP + day * _CELL_H + _CELL_H / 2 + 4
        out.append(f'<text class="day" x="{_LEFT - 6}" y="{y:g}" text-anchor="end">{w["days"][day]}</text>')
    out.append("</g>")
    out.append(f'<g stroke="{CELL_EDGE}" stroke-width="0.5">')
    for day in range(7):
        for hour in range(24):
            value = means[day * 24 + hour]
            x, y = _LEFT + hour * _CELL_W, _TOP + day * _CELL_H
            flag = ' data-window="1"' if (day, hour) in cells else ""
            out.append(f'<rect class="cell" x="{x}" y="{y}" width="{_CELL_W}" height="{_CELL_H}" '
                       f'fill="{PALETTE[_step(value, top)]}" data-day="{day}" data-hour="{hour}" '
                       f'data-mean="{_number(value)}"{flag}><title>{escape(_hour_text(lang, day, hour))}: '
                       f'{_number(value)} {escape(unit)}</title></rect>')
    out.append("</g>")
    if cells:
        out.append(f'<g fill="none" stroke="{OUTLINE}" stroke-width="3">')
        for day, first, length in runs(cells):
            out.append(f'<rect class="outline" x="{_LEFT + first * _CELL_W + 1.5}" y="{_TOP + day * _CELL_H + 1.5}" '
                       f'width="{length * _CELL_W - 3}" height="{_CELL_H - 3}" data-day="{day}" '
                       f'data-first-hour="{first}" data-hours="{length}"/>')
        out.append("</g>")
    out.append(f'<g class="legend" font-family="sans-serif" font-size="11" fill="{TEXT}">')
    out.append(f'<text x="{_LEFT}" y="{legend_y}">{escape(w["legend"].format(unit=unit))}</text>')
    low = 0.0
    for i, (colour, high) in enumerate(zip(PALETTE, bounds)):
        x = _LEFT + i * 96
        out.append(f'<rect x="{x}" y="{legend_y + 8}" width="{_CELL_W}" height="14" fill="{colour}" '
                   f'stroke="{CELL_EDGE}" stroke-width="0.5"/>')
        out.append(f'<text x="{x + _CELL_W + 4}" y="{legend_y + 19}">{_legend_number(low)}–{_legend_number(high)}</text>')
        low = high
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def table(profile: Profile, window: Window | None = None, *, service: str = "", lang: str = "fi") -> str:
    """The same figures as an HTML data table: a row per day, a column per hour."""
    w = _words(lang)
    means = _means(profile)
    cells = window_cells(window)
    unit = w["units"].get(profile.unit, profile.unit)
    caption = w["caption"].format(unit=unit, service=service or "?")
    if window is not None:
        caption += w["caption_window"].format(range=format_range(window[0], window[1], lang))
    out = ['<table class="katko-usage">', f"<caption>{escape(caption)}</caption>",
           f'<thead><tr><th scope="col">{escape(w["day"])}</th>'
           + "".join(f'<th scope="col">{h}</th>' for h in range(24)) + "</tr></thead>", "<tbody>"]
    for day in range(7):
        row = [f'<tr><th scope="row">{w["long_days"][day]}</th>']
        for hour in range(24):
            value = _number(means[day * 24 + hour])
            row.append(f'<td class="window"><strong>{value}</strong></td>' if (day, hour) in cells
                       else f"<td>{value}</td>")
        out.append("".join(row) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def chart(profile: Profile, window: Window | None = None, *, service: str = "", lang: str = "fi",
          id_prefix: str = "katko-usage") -> tuple[str, str]:
    """Both at once: ``(svg, table)``."""
    return (svg(profile, window, service=service, lang=lang, id_prefix=id_prefix),
            table(profile, window, service=service, lang=lang))


def contrast(a: str, b: str) -> float:
    """The WCAG 2.1 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


__all__ = ["HELSINKI", "PALETTE", "chart", "contrast", "describe", "runs", "svg", "table", "window_cells"]
