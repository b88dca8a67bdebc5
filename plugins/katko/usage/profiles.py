"""Usage profiles: how much a service is used in each hour of the week.

The law asks for outages to be scheduled "when the service is used little";
this module turns what an authority already has into the numbers that answer
it. It reads, streaming and in constant memory:

* web-server access logs in Common or Combined Log Format (nginx and Apache
  defaults), plain or gzip-compressed (told apart by their first bytes);
* CSV exports ``timestamp,count`` with ISO 8601 timestamps that carry an offset;
* Matomo's visits per hour (``VisitTime.getVisitInformationPerServerTime`` or
  ``...PerLocalTime`` with ``period=day`` over a date range), JSON or CSV;
* an OpenSearch/Elasticsearch ``date_histogram`` aggregation response, whose
  counts are taken as the cluster aggregated them.

Everything is counted per UTC hour first (an integer: hours since the epoch),
because that is the only clock without gaps or repeats; the profile then
turns each hour into Helsinki local time. Only counts are kept: no address,
path, user agent or any other part of a request survives the parsing.

>>> counts = Counts(unit="requests")
>>> counts.add(hour_of(datetime(2026, 12, 7, 8, tzinfo=timezone.utc)), 5)
>>> profile = build_profile(counts)
>>> row = profile.row("normal", 0, 10)   # Monday 10.00 Helsinki = 08.00 UTC
>>> (row.weeks, row.mean, row.p90)
(1, 5.0, 5.0)
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from ..core.i18n import N_
from ..core.times import FIRST_YEAR, HELSINKI, LAST_YEAR

FORMATS = ("auto", "clf", "csv", "matomo", "opensearch")
#: Profile kinds: ordinary days, and Finnish public holidays kept apart.
KINDS = ("normal", "holiday")
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
COLUMNS = ("days", "weekday", "day", "hour", "weeks", "mean", "p90")
PERCENTILE = 90
#: How many malformed lines are quoted back; the rest are only counted.
EXAMPLES = 5
#: Access logs are read in blocks this big: large enough that the per-block
#: Python overhead vanishes, small enough that memory stays flat.
BLOCK = 1 << 20

_GZIP_MAGIC = b"\x1f\x8b"
_MONTHS = {m.encode(): i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}
# The CLF time field "[10/Oct/2026:13:55:36 +0300]" followed by the quoted
# request. The hour prefix and the offset are captured apart so that a whole
# block can be counted with findall + Counter in C, and each distinct hour is
# converted to a UTC hour only once (see _ClfHours). Requiring ' [' before and
# '] "' after keeps a bracketed date inside a URL or user agent from counting.
_CLF = re.compile(rb' \[(\d\d/[A-Z][a-z][a-z]/\d{4}:\d\d):\d\d:\d\d ([+-]\d{4})\] "')
_CLF_HOUR = rb' \[(\d\d/[A-Z][a-z][a-z]/\d{4}:\d\d):\d\d:\d\d '


@lru_cache(maxsize=64)
def _clf_at(offset: bytes) -> re.Pattern[bytes]:
    """The CLF pattern for lines with this one offset, capturing only the hour prefix.

    Nearly every block of a log has a single offset (a server writes its own
    zone's); one group instead of two saves a tuple per line, a third of the
    time of counting. Blocks with mixed offsets use :data:`_CLF`.
    """
    return re.compile(_CLF_HOUR + re.escape(offset) + rb'\] "')
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LEADING_INT = re.compile(r"^\D*?(\d{1,2})")


#: The most requests or visits one line may count: far beyond any service's hour.
MAX_COUNT = 10 ** 12
#: What a malformed line's example says of a row the csv module refuses.
TOO_LONG = "(a field longer than the csv module reads)"


class UsageError(ValueError):
    """An input that cannot be read at all (as opposed to a malformed line)."""


def hour_of(moment: datetime) -> int:
    """The UTC hour (hours since the epoch) that an aware ``moment`` falls in.

    >>> hour_of(datetime(1970, 1, 1, 2, 59, tzinfo=timezone.utc))
    2
    >>> hour_of(datetime(1970, 1, 1, 2, 0, tzinfo=timezone(timedelta(hours=3))))
    -1
    """
    return math.floor(moment.timestamp() / 3600)


def log_hour(moment: datetime) -> int:
    """:func:`hour_of` a moment of a log, which is in the years Katko plans outages for
    (:data:`~katko.core.times.FIRST_YEAR` to ``LAST_YEAR``); ValueError otherwise.

    A line of the year 1 or 9999 is a damaged line: taken as data, it made the profile
    cover every hour since or until then, one by one (a traceback, or hours of work).

    >>> log_hour(datetime(2026, 12, 7, 8, tzinfo=timezone.utc)) == hour_of(datetime(2026, 12, 7, 8, tzinfo=timezone.utc))
    True
    >>> log_hour(datetime(9999, 12, 31, 23, tzinfo=timezone.utc))
    Traceback (most recent call last):
    ...
    ValueError: the year 9999 is not between 2000 and 2100
    """
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"the year {moment.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return hour_of(moment)


@dataclass
class Malformed:
    """One line that could not be read, for the report."""

    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


@dataclass
class Counts:
    """Requests or visits per UTC hour, with the hours the inputs cover.

    ``first``/``last`` bound the covered hours: an hour inside them without
    any count had none (a quiet night is a zero, not missing data).
    """

    unit: str = ""
    hours: dict[int, float] = field(default_factory=dict)
    first: int | None = None
    last: int | None = None
    lines: int = 0
    malformed: int = 0
    examples: list[Malformed] = field(default_factory=list)

    def add(self, hour: int, count: float) -> None:
        if not 0 <= count <= MAX_COUNT:  # NaN too: a damaged line, whose figure would overflow the sums
            raise ValueError(f"a count of {count} is not a number of requests or visits in an hour")
        self.hours[hour] = self.hours.get(hour, 0) + count
        self.cover(hour, hour)

    def cover(self, first: int, last: int) -> None:
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)

    def bad(self, file: str, line: int, text: str) -> None:
        self.malformed += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(Malformed(file, line, _shorten(text)))

    def set_unit(self, unit: str) -> None:
        # Requests and visits are different quantities: summing them would
        # give a profile that means nothing, so mixing is refused.
        if self.unit and self.unit != unit:
            raise UsageError(f"cannot mix {self.unit} and {unit} in one profile")
        self.unit = unit


def _shorten(text: str, width: int = 120) -> str:
    text = text.rstrip("\r\n")
    return text if len(text) <= width else text[: width - 1] + "…"


# --- reading files ---------------------------------------------------------


def open_binary(path: Path) -> IO[bytes]:
    """Open ``path`` for reading bytes, decompressing gzip by its magic bytes.

    Logs are often rotated as ``access.log.2.gz`` or renamed without a suffix,
    so the name says nothing reliable; the first two bytes do.
    """
    raw = path.open("rb")
    if raw.read(2) == _GZIP_MAGIC:
        raw.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]
    raw.seek(0)
    return raw


def _head(path: Path, size: int = 4096) -> bytes:
    with open_binary(path) as f:
        return f.read(size)


def _decode_head(head: bytes) -> str:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", errors="ignore")
    return head.decode("utf-8-sig", errors="replace")


def detect_format(path: Path) -> str:
    """Guess the format of ``path`` from its first bytes.

    JSON with ``aggregations`` is a date_histogram response, other JSON is
    Matomo's; text whose first line is a CLF line is an access log; a CSV
    header naming ``nb_visits`` is Matomo's; any other text is ``timestamp,count``.
    """
    text = _decode_head(_head(path)).lstrip()
    if text.startswith(("{", "[")):
        return "opensearch" if '"aggregations"' in text else "matomo"
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")), "")
    if _CLF.search(first.encode("utf-8", errors="replace")):
        return "clf"
    if "nb_visits" in first:
        return "matomo"
    return "csv"


def read_files(paths: Iterable[Path], fmt: str = "auto", timezone_name: str = "Europe/Helsinki") -> Counts:
    """Read every file in ``paths`` (any order) into one :class:`Counts`.

    ``timezone_name`` is the Matomo site's timezone, in which its hours are given.
    Raises :class:`UsageError` for a file that cannot be read at all.
    """
    counts = Counts()
    try:
        site_zone = ZoneInfo(timezone_name)
    except (KeyError, ValueError) as exc:
        raise UsageError(f"unknown timezone: {timezone_name}") from exc
    for path in paths:
        try:
            kind = detect_format(path) if fmt == "auto" else fmt
            if kind == "clf":
                read_clf(path, counts)
            elif kind == "csv":
                read_csv(path, counts)
            elif kind == "matomo":
                read_matomo(path, counts, site_zone)
            elif kind == "opensearch":
                read_opensearch(path, counts)
            else:
                raise UsageError(f"unknown format: {kind}")
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from exc
        except (EOFError, gzip.BadGzipFile) as exc:
            raise UsageError(f"{path}: damaged gzip file ({exc})") from exc
    return counts


# --- access logs ------------------------------------------------------------


class _ClfHours(dict[tuple[bytes, bytes], "int | None"]):
    """Cache: (``dd/Mon/yyyy:HH``, ``+hhmm``) → UTC hour, or None if invalid.

    A log has a few distinct hours per day however many lines it has, so
    parsing dates costs nothing per line. An offset that is not whole hours
    (none in Finland) is counted in the UTC hour where its local hour starts.
    """

    def __missing__(self, key: tuple[bytes, bytes]) -> int | None:
        prefix, offset = key
        month = _MONTHS.get(prefix[3:6])
        value: int | None = None
        if month is not None:
            try:
                sign = -1 if offset[:1] == b"-" else 1
                zone = timezone(sign * timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5])))
                moment = datetime(int(prefix[7:11]), month, int(prefix[:2]), int(prefix[12:14]), tzinfo=zone)
                value = log_hour(moment)
            except ValueError:
                value = None
        self[key] = value
        return value


def read_clf(path: Path, counts: Counts) -> None:
    """Count the requests of a Common or Combined Log Format file per UTC hour.

    Blocks are counted whole by a C-level ``findall``; only a block whose
    number of matches differs from its number of lines (a malformed line, or
    an impossible date) is walked line by line to find and report the culprit.
    Each block is searched in place (``pos``/``endpos``), not copied; the one
    line split between two blocks is put together and counted on its own.
    """
    counts.set_unit("requests")
    reader = _ClfBlocks(counts, str(path))
    with open_binary(path) as f:
        carry = b""
        while True:
            block = f.read(BLOCK)
            if not block:
                if carry:
                    reader.count(carry + b"\n", 0, len(carry) + 1)
                break
            cut = block.rfind(b"\n") + 1
            if cut == 0:
                carry += block
                continue
            start = 0
            if carry:
                start = block.find(b"\n") + 1
                line = carry + block[:start]
                reader.count(line, 0, len(line))
            reader.count(block, start, cut)
            carry = block[cut:]
    if reader.first is not None and reader.last is not None:
        counts.cover(reader.first, reader.last)


class _ClfBlocks:
    """Counts the whole lines in ``data[start:end]``, block after block, into ``counts``."""

    def __init__(self, counts: Counts, name: str) -> None:
        self.counts, self.name = counts, name
        self.cache = _ClfHours()
        self.hours = counts.hours
        self.first, self.last = counts.first, counts.last
        self.line_no = 0  # lines before the current block

    def count(self, data: bytes, start: int, end: int) -> None:
        n_lines = data.count(b"\n", start, end)
        found: Counter[tuple[bytes, bytes]] = Counter()
        first_match = _CLF.search(data, start, end)
        if first_match is not None:
            offset = first_match.group(2)
            found = Counter({(prefix, offset): n for prefix, n in
                             Counter(_clf_at(offset).findall(data, start, end)).items()})
            if sum(found.values()) != n_lines:
                found = Counter(_CLF.findall(data, start, end))  # mixed offsets, or a malformed line
        converted = [(self.cache[key], n) for key, n in found.items()]
        if sum(found.values()) == n_lines and all(h is not None for h, _ in converted):
            for hour, n in converted:
                self._add(hour, n)  # type: ignore[arg-type]
            self.counts.lines += n_lines
        else:
            self._line_by_line(data[start:end])
        self.line_no += n_lines

    def _add(self, hour: int, n: int) -> None:
        self.hours[hour] = self.hours.get(hour, 0) + n
        if self.first is None or hour < self.first:
            self.first = hour
        if self.last is None or hour > self.last:
            self.last = hour

    def _line_by_line(self, data: bytes) -> None:
        for i, line in enumerate(data.split(b"\n")[:-1], start=self.line_no + 1):
            if not line.strip():
                continue  # a blank line is not a request, nor an error
            self.counts.lines += 1
            matches = _CLF.findall(line)
            hour = self.cache[matches[0]] if len(matches) == 1 else None
            if hour is None:
                self.counts.bad(self.name, i, line.decode("utf-8", errors="replace"))
                continue
            self._add(hour, 1)


# --- CSV timestamp,count ------------------------------------------------------


def _text_lines(path: Path) -> Iterator[str]:
    """Decode a small text export line by line (UTF-8, or UTF-16 with a BOM as Matomo writes)."""
    with open_binary(path) as f:
        head = f.read(2)
        encoding = "utf-16" if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig"
        rest = f.read()  # exports of hourly counts are small: a year is 8,760 rows
    yield from io.StringIO((head + rest).decode(encoding, errors="replace"), newline=None)


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str] | None]]:
    """The rows of a CSV export with the number of the line each ends on; None for a row the csv
    module refuses (a field longer than its limit, 128 kB), which is one malformed line, not the end."""
    reader = csv.reader(_text_lines(path))
    while True:
        read = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            if reader.line_num == read:
                return  # nothing more could be read
            row = None
        yield reader.line_num, row


def parse_offset_time(text: str) -> datetime:
    """Read an ISO 8601 timestamp that must carry an offset (``Z`` or ``±hh:mm``).

    >>> parse_offset_time("2026-10-25T03:30:00+03:00").isoformat()
    '2026-10-25T03:30:00+03:00'
    >>> parse_offset_time("2026-10-25 03:30")
    Traceback (most recent call last):
    ...
    ValueError: timestamp has no offset: 2026-10-25 03:30
    """
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        # Without an offset an hour on the autumn change is ambiguous, and the
        # log's clock unknown: refusing is safer than guessing.
        raise ValueError(f"timestamp has no offset: {text.strip()}")
    return moment


def read_csv(path: Path, counts: Counts) -> None:
    """Add a ``timestamp,count`` export (header optional) to ``counts``.

    Buckets may be an hour or shorter; shorter ones are summed into their hour.
    """
    counts.set_unit("requests")
    name = str(path)
    for i, row in _csv_rows(path):
        if row is None:
            counts.lines += 1
            counts.bad(name, i, TOO_LONG)
            continue
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if i == 1 and not row[0].strip()[:1].isdigit():
            continue  # the optional header
        counts.lines += 1
        try:
            if len(row) != 2:
                raise ValueError("expected two columns")
            number = float(row[1])
            if number < 0 or not math.isfinite(number):
                raise ValueError("count must be a non-negative number")
            counts.add(log_hour(parse_offset_time(row[0])), int(number) if number.is_integer() else number)
        except ValueError:
            counts.bad(name, i, ",".join(row))


# --- Matomo -------------------------------------------------------------------


def _matomo_hour(label: Any) -> int:
    """The hour in a Matomo row label: ``"0h"`` in English, other languages vary.

    >>> [_matomo_hour(x) for x in ("0h", "23h", "klo 7", 5)]
    [0, 23, 7, 5]
    """
    match = _LEADING_INT.match(str(label))
    if not match or not 0 <= int(match.group(1)) <= 23:
        raise ValueError(f"not an hour: {label!r}")
    return int(match.group(1))


def _local_hour(day: date, hour: int, zone: ZoneInfo) -> int:
    # Matomo's hours are wall-clock hours of the site's timezone. On the autumn
    # change its hour 3 holds two real hours; they are counted in the first,
    # which in Helsinki is the same wall-clock hour anyway.
    return log_hour(datetime(day.year, day.month, day.day, hour, tzinfo=zone))


def _matomo_day(counts: Counts, day: date, zone: ZoneInfo) -> None:
    # A day present in the export is covered from 0 to 23 even with no rows:
    # Matomo leaves out hours (and whole days) without visits.
    counts.cover(_local_hour(day, 0, zone), _local_hour(day, 23, zone))


def read_matomo(path: Path, counts: Counts, zone: ZoneInfo = HELSINKI) -> None:
    """Add Matomo's visits per hour (``period=day`` over a date range) to ``counts``.

    JSON has the form ``{"2026-11-02": [{"label": "0h", "nb_visits": 3, ...}, ...], ...}``;
    CSV has the columns ``date,label,...,nb_visits,...``. The hours are in the
    site's timezone ``zone`` (Matomo does not write it into the export).
    """
    counts.set_unit("visits")
    name = str(path)
    text = _decode_head(_head(path))
    if text.lstrip().startswith(("{", "[")):
        _matomo_json(path, counts, zone)
        return
    rows = _csv_rows(path)
    header = [h.strip() for h in next(rows, (0, None))[1] or []]
    if "date" not in header or "label" not in header or "nb_visits" not in header:
        raise UsageError(f"{name}: a Matomo CSV export needs the columns date, label and nb_visits "
                         "(export with period=day and a date range)")
    d, lab, vis = header.index("date"), header.index("label"), header.index("nb_visits")
    for i, row in rows:
        if row is None:
            counts.lines += 1
            counts.bad(name, i, TOO_LONG)
            continue
        if not row or not "".join(row).strip():
            continue
        counts.lines += 1
        try:
            day = date.fromisoformat(row[d].strip())
            if not row[lab].strip() and not row[vis].strip():
                _matomo_day(counts, day, zone)  # a date listed without visits
                continue
            hour = _local_hour(day, _matomo_hour(row[lab]), zone)
            visits = int(float(row[vis] or 0))
            _matomo_day(counts, day, zone)
            counts.add(hour, visits)
        except (ValueError, IndexError):
            counts.bad(name, i, ",".join(row))


def _read_json(path: Path) -> Any:
    try:
        with open_binary(path) as f:
            return json.loads(f.read())
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise UsageError(f"{path}: not JSON ({exc})") from None


def _matomo_json(path: Path, counts: Counts, zone: ZoneInfo) -> None:
    name = str(path)
    data = _read_json(path)
    if isinstance(data, dict) and data.get("result") == "error":
        raise UsageError(f"{name}: Matomo returned an error: {data.get('message', '')}")
    if not isinstance(data, dict) or not data or not all(_DAY.match(str(k)) for k in data):
        raise UsageError(f"{name}: expected Matomo's per-day JSON "
                         '({"YYYY-MM-DD": [rows], ...}; export with period=day and a date range)')
    for n, (key, rows) in enumerate(sorted(data.items()), start=1):
        try:
            day = date.fromisoformat(key)
            _matomo_day(counts, day, zone)
        except ValueError:  # no such day (2026-02-30), or a year far off
            counts.lines += 1
            counts.bad(name, n, key)
            continue
        for row in rows if isinstance(rows, list) else [rows]:
            counts.lines += 1
            try:
                counts.add(_local_hour(day, _matomo_hour(row["label"]), zone), int(row.get("nb_visits") or 0))
            except (ValueError, TypeError, KeyError, AttributeError):
                # JSON has no useful line numbers: the day's position is given instead.
                counts.bad(name, n, f"{key}: {json.dumps(row, ensure_ascii=False)}")


# --- OpenSearch / Elasticsearch -----------------------------------------------


def _find_buckets(node: Any) -> list[Any] | None:
    """The first ``buckets`` list under ``aggregations`` (the histogram's name is the author's choice)."""
    if isinstance(node, dict):
        if isinstance(node.get("buckets"), list):
            return node["buckets"]  # type: ignore[no-any-return]
        for value in node.values():
            found = _find_buckets(value)
            if found is not None:
                return found
    return None


def read_opensearch(path: Path, counts: Counts) -> None:
    """Add a ``date_histogram`` response's ``doc_count`` per bucket to ``counts``.

    ``key`` (epoch milliseconds, always UTC) is preferred to ``key_as_string``,
    whose format the query chose. Buckets must be an hour apart or closer; the
    counts are taken as the cluster made them, not re-aggregated from documents.
    """
    counts.set_unit("requests")
    name = str(path)
    data = _read_json(path)
    buckets = _find_buckets(data.get("aggregations")) if isinstance(data, dict) else None
    if buckets is None:
        raise UsageError(f"{name}: no aggregations.<name>.buckets in this response")
    keys: list[int] = []
    for n, bucket in enumerate(buckets, start=1):
        counts.lines += 1
        try:
            if "key" in bucket:
                moment = datetime.fromtimestamp(int(bucket["key"]) / 1000, timezone.utc)
            else:
                moment = parse_offset_time(bucket["key_as_string"])
            doc_count = int(bucket["doc_count"])
            if doc_count < 0:
                raise ValueError("negative doc_count")
            counts.add(log_hour(moment), doc_count)
        except (ValueError, TypeError, KeyError, OverflowError):
            counts.bad(name, n, f"bucket {n}: {json.dumps(bucket, ensure_ascii=False)}")
            continue
        keys.append(int(moment.timestamp()))
    keys.sort()
    gaps = {b - a for a, b in zip(keys, keys[1:])}
    if gaps and min(gaps) > 3600:
        raise UsageError(f"{name}: buckets are {min(gaps) // 3600} h apart; "
                         "use fixed_interval 1h (or shorter) for an hourly profile")


# --- the profile --------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One hour of the week: Monday 0.00 is weekday 0, hour 0."""

    days: str
    weekday: int
    hour: int
    weeks: int
    mean: float | None
    p90: float | None


@dataclass
class Profile:
    """Per hour of the week, ordinary days and holidays apart."""

    unit: str
    first: datetime
    last: datetime
    rows: list[Row]

    @property
    def weeks(self) -> float:
        """Weeks covered, counting every covered hour."""
        return round(((self.last - self.first).total_seconds() / 3600 + 1) / 168, 2)

    def row(self, days: str, weekday: int, hour: int) -> Row:
        return self.rows[KINDS.index(days) * 168 + weekday * 24 + hour]


def percentile(values: list[float], q: float = PERCENTILE) -> float:
    """The ``q``-th percentile, linearly interpolated between the closest ranks.

    This is the usual definition (numpy's default, Excel's PERCENTILE.INC), so
    a service owner can check a figure with a spreadsheet.

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    9.1
    >>> percentile([7])
    7.0
    """
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def build_profile(counts: Counts) -> Profile:
    """Turn UTC-hour counts into the Helsinki hour-of-week profile.

    Every covered hour is one sample of its weekday and hour in Helsinki, and
    hours on Finnish public holidays are samples of the holiday profile only,
    so that a quiet Christmas does not make ordinary Thursdays look quiet.
    On the autumn change the clock passes 3.00–4.00 twice: both real hours are
    summed into that day's 3.00 sample, because an outage set for 3.00–4.00
    on that day would indeed last through both. On the spring change the
    missing 3.00 simply has no sample that week.
    """
    if counts.first is None or counts.last is None:
        raise UsageError("nothing to profile: no line could be read")
    first = datetime.fromtimestamp(counts.first * 3600, HELSINKI)
    last = datetime.fromtimestamp(counts.last * 3600, HELSINKI)
    import holidays  # here, not at the top: reading logs does not need the calendar (~30 ms to import)

    finnish = holidays.Finland(years=range(first.year, last.year + 1))
    # (holiday?, local date, hour) → count; bounded by the hours covered.
    samples: dict[tuple[bool, date, int], float] = {}
    for hour in range(counts.first, counts.last + 1):
        local = datetime.fromtimestamp(hour * 3600, HELSINKI)
        key = (local.date() in finnish, local.date(), local.hour)
        samples[key] = samples.get(key, 0) + counts.hours.get(hour, 0)
    slots: dict[tuple[bool, int, int], list[float]] = {}
    for (holiday, day, hour), value in samples.items():
        slots.setdefault((holiday, day.weekday(), hour), []).append(value)
    rows = []
    for days in KINDS:
        for weekday in range(7):
            for hour in range(24):
                values = slots.get((days == "holiday", weekday, hour), [])
                rows.append(Row(days, weekday, hour, len(values),
                                sum(values) / len(values) if values else None,
                                percentile(values) if values else None))
    return Profile(counts.unit or "requests", first, last, rows)


def _number(value: float | None) -> str:
    """A figure written the same way every time: at most two decimals, no trailing zeros.

    >>> [_number(x) for x in (None, 3.0, 2.5, 1 / 3, 1200.0)]
    ['', '3', '2.5', '0.33', '1200']
    """
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def profile_csv(profile: Profile, service: str) -> str:
    """The profile as CSV text, with ``#`` comment lines saying what it is.

    Nothing in it depends on when or where it was made, so running the same
    ingest twice gives the same file, and git shows only real changes.
    """
    out = io.StringIO()
    out.write(f"# Katko usage profile of service {service}: {profile.unit} per hour, Helsinki time\n")
    out.write(f"# covered: {profile.first.isoformat()} .. {profile.last.isoformat()} "
              f"({_number(profile.weeks)} weeks)\n")
    out.write("# days: normal = ordinary days, holiday = Finnish public holidays; weekday 0 = Monday; "
              f"weeks = samples; mean and p{PERCENTILE} of {profile.unit} in that hour\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in profile.rows:
        writer.writerow((r.days, r.weekday, DAY_NAMES[r.weekday], r.hour, r.weeks, _number(r.mean), _number(r.p90)))
    return out.getvalue()


def write_profile(profile: Profile, service: str, out_dir: Path) -> Path:
    """Write ``out_dir/SERVICE.csv`` and return its path."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", service) or ".." in service:
        raise UsageError(f"not a service id: {service!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{service}.csv"
    target.write_text(profile_csv(profile, service), encoding="utf-8", newline="\n")
    return target


#: A profile is 340 short lines (about 9 kB); anything much larger is something else.
MAX_PROFILE_BYTES = 64 * 1024
#: A file's problems beyond this many are not listed: the first ones show what is wrong.
MAX_PROFILE_PROBLEMS = 10
_WHOLE = re.compile(r"[0-9]+")
_FIGURE = re.compile(r"[0-9]+(\.[0-9]+)?")


class ProfileError(UsageError):
    """A usage profile that cannot be used, with its problems as ``(line, msgid, values)``.

    The messages are msgids (:mod:`katko.records.messages` shows them in the reader's
    language); ``str()`` gives the first of them in English, for the command line.
    """

    def __init__(self, path: Path, problems: list[tuple[int, str, dict[str, Any]]]) -> None:
        self.path, self.problems = path, problems
        line, msgid, values = problems[0]
        super().__init__(f"{path}:{line}: {msgid % values}")


def read_profile(path: Path) -> Profile:
    """Read a profile written by :func:`write_profile` (for suggest and check).

    Anything else, or a profile edited into something :func:`write_profile`
    would not write (a missing or repeated hour, a negative or non-numeric
    figure, other columns), raises :class:`ProfileError` naming the lines.
    """
    problems: list[tuple[int, str, dict[str, Any]]] = []

    def bad(line: int, msgid: str, **values: Any) -> None:
        if len(problems) < MAX_PROFILE_PROBLEMS:
            problems.append((line, msgid, values))

    try:
        with path.open("rb") as f:
            data = f.read(MAX_PROFILE_BYTES + 1)
    except OSError:
        raise ProfileError(path, [(1, N_("the usage profile cannot be read"), {})]) from None
    if len(data) > MAX_PROFILE_BYTES:
        raise ProfileError(path, [(1, N_("the usage profile is larger than %(limit)s kB; one made by 'katko usage "
                                         "ingest' is about 9 kB"), {"limit": MAX_PROFILE_BYTES // 1024})])
    try:
        text = data.decode("utf-8-sig")  # an editor may have added a byte order mark
    except UnicodeDecodeError as exc:
        raise ProfileError(path, [(data[:exc.start].count(b"\n") + 1,
                                   N_("the usage profile is not UTF-8 text"), {})]) from None
    unit, first, last = None, None, None
    header: int | None = None
    rows: list[Row] = []
    found = 0
    last_line = extra_line = 1  # the last line with anything on it; the first row past the week's
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            last_line = number
        if line.startswith("# Katko usage profile"):
            unit = line.split(": ", 1)[1].split(" ", 1)[0] if ": " in line else ""
            if unit not in ("requests", "visits"):
                bad(number, N_("the usage profile's unit should be requests or visits, not '%(value)s'"),
                    value=_shorten(unit, 40))
        elif line.startswith("# covered: "):
            try:
                a, b = line[len("# covered: "):].split(" (", 1)[0].split(" .. ")
                first, last = datetime.fromisoformat(a), datetime.fromisoformat(b)
                if first.tzinfo is None or last.tzinfo is None or first > last:
                    raise ValueError(line)
            except ValueError:
                bad(number, N_("this line should give the times the usage profile covers, as 'katko usage ingest' "
                               "writes it"))
        elif line.startswith("#") or not line.strip():
            continue
        elif header is None:
            header = number
            if next(csv.reader([line]), []) != list(COLUMNS):
                bad(number, N_("the usage profile's columns should be %(columns)s"), columns=",".join(COLUMNS))
        else:
            found += 1
            if found <= 168 * len(KINDS):
                row = _profile_row(next(csv.reader([line]), []), found - 1, number, bad)
                if row is not None:
                    rows.append(row)
            elif found == 168 * len(KINDS) + 1:
                extra_line = number
    if unit is None or first is None or last is None:
        bad(1, N_("the usage profile does not say what it covers: its first lines should be the ones "
                  "'katko usage ingest' writes"))
    if found != 168 * len(KINDS):
        bad(extra_line if found > 168 * len(KINDS) else last_line, N_("the usage profile should have %(rows)s rows, one for each hour of the week on ordinary "
                       "days and on holidays; it has %(found)s"), rows=168 * len(KINDS), found=found)
    if problems:
        raise ProfileError(path, sorted(problems, key=lambda p: p[0]))
    assert unit is not None and first is not None and last is not None
    return Profile(unit, first, last, rows)


def _profile_row(row: list[str], index: int, line: int, bad: Any) -> Row | None:
    """The ``index``-th row of a profile (0 = ordinary Monday 0.00), or None after reporting it."""
    days, weekday, hour = KINDS[index // 168], index % 168 // 24, index % 24
    if len(row) != len(COLUMNS) or row[:4] != [days, str(weekday), DAY_NAMES[weekday], str(hour)]:
        bad(line, N_("this row of the usage profile should be for %(days)s days, weekday %(weekday)s (%(day)s), "
                     "hour %(hour)s: the rows go through the week hour by hour, ordinary days first"),
            days=days, weekday=weekday, day=DAY_NAMES[weekday], hour=hour)
        return None
    ok = True
    if not _WHOLE.fullmatch(row[4]):
        bad(line, N_("'%(column)s' should be a whole number of zero or more, not '%(value)s'"),
            column="weeks", value=_shorten(row[4], 40))
        ok = False
    for column, value in (("mean", row[5]), ("p90", row[6])):
        if value and not _FIGURE.fullmatch(value):
            bad(line, N_("'%(column)s' should be a number of zero or more, or empty, not '%(value)s'"),
                column=column, value=_shorten(value, 40))
            ok = False
    if not ok:
        return None
    return Row(days, weekday, hour, int(row[4]), float(row[5]) if row[5] else None,
               float(row[6]) if row[6] else None)
