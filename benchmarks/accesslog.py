"""Write a realistic, synthetic access log in Combined Log Format.

    python benchmarks/accesslog.py OUT.log [--lines 2000000] [--first 2026-09-07 --last 2026-11-29]
                                   [--shape rakennuslupa] [--seed 1] [--gzip]

The requests of each hour follow the shape of a municipal e-service (see
SHAPES: quiet at night, busiest on weekday mornings, quieter at weekends;
public holidays like a Sunday), with seeded noise per hour, so the same
arguments always give the same bytes. Times are written as a server in Finland
writes them: Helsinki local time with +0300 in summer time and +0200 in
winter. Addresses are from the documentation ranges (192.0.2.0/24,
198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32); paths, statuses, sizes,
referrers and user agents vary as on a real site. Nothing here is real data.

Used by ``benchmarks/usage_ingest.py`` (the speed benchmark) and to make the
example profiles in ``outages/usage/`` (see docs/usage.md).
"""

from __future__ import annotations

import argparse
import gzip
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Iterator
from zoneinfo import ZoneInfo

import holidays

HELSINKI = ZoneInfo("Europe/Helsinki")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Relative requests per hour 0..23, Helsinki time.
_WEEKDAY = (0.6, 0.4, 0.3, 0.3, 0.35, 0.6, 2, 6, 14, 18, 19, 16, 14, 17, 16, 13, 9, 6, 5, 5, 4.5, 3.5, 2.2, 1.2)
_SATURDAY = (0.8, 0.5, 0.3, 0.25, 0.25, 0.3, 0.5, 1, 1.8, 3, 3.8, 4, 4, 3.8, 3.5, 3.2, 3, 2.8, 2.6, 2.4, 2, 1.5,
             1.0, 0.6)
_SUNDAY = (0.5, 0.3, 0.2, 0.18, 0.2, 0.25, 0.4, 0.8, 1.5, 2.2, 2.8, 3, 3.2, 3.2, 3.3, 3.4, 3.6, 3.8, 4, 4.5, 4.5,
           3.5, 2.2, 1.2)
# Citizens' e-services are used more in the evening than professionals' ones.
_CITIZEN = tuple(w * (1.6 if 17 <= h <= 22 else 1.0) for h, w in enumerate(_WEEKDAY))
SHAPES: dict[str, tuple[tuple[float, ...], ...]] = {
    # Monday..Friday (Friday afternoon a little quieter), Saturday, Sunday.
    "rakennuslupa": (_WEEKDAY,) * 4 + (tuple(w * (0.8 if h >= 13 else 1) for h, w in enumerate(_WEEKDAY)),)
    + (_SATURDAY, _SUNDAY),
    "asiointi": (_CITIZEN,) * 5 + (tuple(w * 1.3 for w in _SATURDAY), tuple(w * 1.3 for w in _SUNDAY)),
}

PATHS = ("/", "/fi/", "/sv/", "/en/", "/fi/hakemukset", "/fi/hakemukset/uusi", "/fi/hakemukset/{n}",
         "/fi/hakemukset/{n}/liitteet", "/sv/ansokningar/{n}", "/api/v1/applications/{n}", "/api/v1/status",
         "/login", "/logout", "/static/app.{n}.js", "/static/style.{n}.css", "/static/logo.svg",
         "/favicon.ico", "/robots.txt", "/fi/haku?q=katos+{n}", "/fi/ohjeet/rakennuslupa")
METHODS = ("GET",) * 17 + ("POST",) * 2 + ("HEAD",)
STATUSES = (200,) * 40 + (304,) * 8 + (302,) * 4 + (404,) * 2 + (401, 403, 500, 503, 201, 204)
REFERRERS = ("-", "-", "https://www.esimerkkila.example/", "https://lupa.esimerkkila.example/fi/",
             "https://www.google.com/", "https://www.bing.com/", "https://duckduckgo.com/")
AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
    "Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/7.88.1",
    "Zabbix",
)


def _addresses(rng: random.Random, n: int = 4000) -> list[str]:
    out = []
    for _ in range(n):
        if rng.random() < 0.15:
            out.append(f"2001:db8:{rng.randrange(0x10000):x}::{rng.randrange(1, 0x10000):x}")
        else:
            out.append(f"{rng.choice(('192.0.2', '198.51.100', '203.0.113'))}.{rng.randrange(1, 255)}")
    return out


def hourly_counts(lines: int, first: date, last: date, shape: str, rng: random.Random) -> list[tuple[datetime, int]]:
    """Requests per real hour from ``first`` 0.00 to ``last`` 24.00 Helsinki time, summing to ``lines``."""
    days = SHAPES[shape]
    finnish = holidays.Finland(years=range(first.year, last.year + 1))
    start = datetime(first.year, first.month, first.day, tzinfo=HELSINKI).astimezone(timezone.utc)
    end = datetime(last.year, last.month, last.day, tzinfo=HELSINKI).astimezone(timezone.utc) + timedelta(days=1)
    hours, weights = [], []
    moment = start
    while moment < end:
        local = moment.astimezone(HELSINKI)
        row = days[6] if local.date() in finnish else days[local.weekday()]
        hours.append(moment)
        weights.append(row[local.hour] * rng.uniform(0.85, 1.15))
        moment += timedelta(hours=1)
    total = sum(weights)
    # Largest remainders: the counts add up to exactly ``lines``.
    exact = [w * lines / total for w in weights]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)[: lines - sum(counts)]:
        counts[i] += 1
    return list(zip(hours, counts))


def generate(lines: int, first: date, last: date, shape: str = "rakennuslupa", seed: int = 1) -> Iterator[str]:
    """The log's lines, in time order, each ending in a newline."""
    rng = random.Random(seed)
    ips = _addresses(rng)
    for hour, n in hourly_counts(lines, first, last, shape, rng):
        local = hour.astimezone(HELSINKI)
        offset = "+0300" if local.utcoffset() == timedelta(hours=3) else "+0200"
        prefix = f"{local.day:02d}/{MONTHS[local.month - 1]}/{local.year}:{local.hour:02d}"
        for second in sorted(rng.randrange(3600) for _ in range(n)):
            path = rng.choice(PATHS).replace("{n}", str(rng.randrange(1, 50000)))
            status = rng.choice(STATUSES)
            size = 0 if status in (204, 304) else rng.randrange(200, 250000)
            yield (f'{rng.choice(ips)} - - [{prefix}:{second // 60:02d}:{second % 60:02d} {offset}] '
                   f'"{rng.choice(METHODS)} {path} HTTP/1.1" {status} {size} '
                   f'"{rng.choice(REFERRERS)}" "{rng.choice(AGENTS)}"\n')


def write(out: Path, lines: int, first: date, last: date, shape: str = "rakennuslupa", seed: int = 1,
          compress: bool = False) -> Path:
    handle: IO[bytes]
    with (gzip.open(out, "wb", compresslevel=6) if compress else out.open("wb")) as handle:
        batch: list[str] = []
        for line in generate(lines, first, last, shape, seed):
            batch.append(line)
            if len(batch) >= 50000:
                handle.write("".join(batch).encode())
                batch.clear()
        handle.write("".join(batch).encode())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--first", type=date.fromisoformat, default=date(2026, 9, 7), help="first day (a Monday)")
    parser.add_argument("--last", type=date.fromisoformat, default=date(2026, 11, 29), help="last day (a Sunday)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="rakennuslupa")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gzip", action="store_true", help="write gzip-compressed")
    args = parser.parse_args()
    write(args.out, args.lines, args.first, args.last, args.shape, args.seed, args.gzip)


if __name__ == "__main__":
    main()
