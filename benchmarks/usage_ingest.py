"""Benchmark: ``katko usage ingest`` against GoAccess on the same access logs, in one run.

    .venv/bin/python benchmarks/usage_ingest.py [--sizes 500000 2000000] [--repeat 3] [--no-write]

Needs GoAccess (Debian: ``apt-get install goaccess``); it is run by hand, not
by the test suite. For each size it writes a realistic Combined Log Format
file with ``benchmarks/accesslog.py`` (and a gzip copy) into
``benchmarks/work/usage/`` (git-ignored), then times, each in a fresh
subprocess pinned to one CPU (``taskset -c 0``) and wrapped by
``benchmarks/measure.py`` (wall time and the child's peak RSS):

* Katko plain: ``katko usage ingest --format clf`` of the plain file;
* Katko gzip: the same of the gzip file;
* GoAccess: ``goaccess FILE --log-format=COMBINED -o report.json --no-progress``
  (GoAccess 1.7 cannot read gzip itself; ``zcat FILE.gz | goaccess -`` is
  timed too, with both processes' CPUs left free).

Each is run ``--repeat`` times, alternating Katko and GoAccess; the best wall
time counts, and the peak RSS is the largest seen. Lines per second are the
file's lines over that wall time, start-up included (about 0.2 s of Python
and imports for Katko). Katko also reports the time spent reading the log
alone (``usage.read_files``, in the same process), given as "parse only".
The results replace the "Usage ingest" results in docs/performance.md
(between the ``usage-results`` markers) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "work" / "usage"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- usage-results:start -->", "<!-- usage-results:end -->"
sys.path.insert(0, str(HERE))

import accesslog  # noqa: E402

# Times the read alone inside the measured process, then writes the profile as the CLI does.
KATKO = """
import sys, time, json
from pathlib import Path
from katko.usage import profiles as usage
t = time.perf_counter()
counts = usage.read_files([Path(sys.argv[1])], "clf")
read = time.perf_counter() - t
usage.write_profile(usage.build_profile(counts), "bench", Path(sys.argv[2]))
print(json.dumps({"lines": counts.lines, "malformed": counts.malformed, "read_s": read}))
"""


def measure(command: list[str], log: Path) -> dict:
    out = subprocess.run([sys.executable, str(HERE / "measure.py"), "--log", str(log), "--", *command],
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"failed ({result['rc']}): {' '.join(command)}; see {log}")
    return result


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def prepare(lines: int) -> tuple[Path, Path]:
    plain = WORK / f"access-{lines}.log"
    packed = WORK / f"access-{lines}.log.gz"
    if not plain.is_file():
        accesslog.write(plain, lines, date(2026, 9, 7), date(2026, 11, 29), "rakennuslupa", seed=lines)
    if not packed.is_file():
        with plain.open("rb") as src, gzip.open(packed, "wb", compresslevel=6) as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
    return plain, packed


def run_size(lines: int, repeat: int) -> dict:
    plain, packed = prepare(lines)
    python = str(ROOT / ".venv" / "bin" / "python")
    pin = ["taskset", "-c", "0"]
    runs: dict[str, list[dict]] = {"katko_plain": [], "katko_gzip": [], "goaccess": [], "goaccess_zcat": []}
    for i in range(repeat):
        for name, path in (("katko_plain", plain), ("katko_gzip", packed)):
            log = WORK / f"{name}-{lines}.out"
            result = measure([*pin, python, "-c", KATKO, str(path), str(WORK / "profiles")], log)
            result.update(json.loads(log.read_text().strip().splitlines()[-1]))
            if result["lines"] != lines or result["malformed"]:
                raise SystemExit(f"Katko read {result['lines']} lines ({result['malformed']} malformed) of {lines}")
            runs[name].append(result)
        report = WORK / f"goaccess-{lines}.json"
        runs["goaccess"].append(measure([*pin, "goaccess", str(plain), "--log-format=COMBINED", "-o", str(report),
                                         "--no-progress"], WORK / "goaccess.out"))
        total = json.loads(report.read_text())["general"]["total_requests"]
        if total != lines:
            raise SystemExit(f"GoAccess counted {total} requests of {lines}")
        runs["goaccess_zcat"].append(measure(
            ["sh", "-c", f"zcat '{packed}' | goaccess - --log-format=COMBINED -o '{report}' --no-progress"],
            WORK / "goaccess-zcat.out"))
    best = {name: min(r["wall_s"] for r in rs) for name, rs in runs.items()}
    return {
        "lines": lines, "bytes": plain.stat().st_size, "gzip_bytes": packed.stat().st_size,
        "wall_s": best,
        "read_s": {name: min(r["read_s"] for r in runs[name]) for name in ("katko_plain", "katko_gzip")},
        "maxrss_kib": {name: max(r["maxrss_kib"] for r in rs) for name, rs in runs.items()},
        "lines_per_s": {name: lines / wall for name, wall in best.items()},
    }


def _m(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def _rate(x: float) -> str:
    return f"{x / 1e6:.2f} M" if x >= 1e6 else f"{x / 1e3:.0f} k"


def table(results: list[dict], started: datetime, command: str) -> str:
    small, large = results[0], results[-1]
    ratio = large["lines_per_s"]["katko_plain"] / large["lines_per_s"]["goaccess"]
    parse_rate = large["lines"] / large["read_s"]["katko_plain"]
    heads = " | ".join(f"{r['lines'] / 1e6:g} M lines ({r['bytes'] / 1e6:.0f} MB; gzip {r['gzip_bytes'] / 1e6:.0f} MB)"
                       for r in results)
    rows = [
        ("Katko, plain: wall (lines/s)", lambda r: f"{r['wall_s']['katko_plain']:.2f} s ({_rate(r['lines_per_s']['katko_plain'])})"),
        ("Katko, plain: parse only, `usage.read_files` (lines/s)",
         lambda r: f"{r['read_s']['katko_plain']:.2f} s ({_rate(r['lines'] / r['read_s']['katko_plain'])})"),
        ("Katko, gzip: wall (lines/s)", lambda r: f"{r['wall_s']['katko_gzip']:.2f} s ({_rate(r['lines_per_s']['katko_gzip'])})"),
        ("GoAccess, plain: wall (lines/s)", lambda r: f"{r['wall_s']['goaccess']:.2f} s ({_rate(r['lines_per_s']['goaccess'])})"),
        ("GoAccess, `zcat` of the gzip file piped in: wall (lines/s)",
         lambda r: f"{r['wall_s']['goaccess_zcat']:.2f} s ({_rate(r['lines_per_s']['goaccess_zcat'])})"),
        ("**Katko / GoAccess, plain, wall** (target ≥ 20)",
         lambda r: f"**{r['lines_per_s']['katko_plain'] / r['lines_per_s']['goaccess']:.1f}**"),
        ("Katko parse only / GoAccess, plain",
         lambda r: f"{r['lines'] / r['read_s']['katko_plain'] / r['lines_per_s']['goaccess']:.1f}"),
        ("Katko / GoAccess, gzip (zcat pipe), wall",
         lambda r: f"{r['lines_per_s']['katko_gzip'] / r['lines_per_s']['goaccess_zcat']:.1f}"),
        ("peak RSS Katko plain / gzip", lambda r: f"{_m(r['maxrss_kib']['katko_plain'])} / {_m(r['maxrss_kib']['katko_gzip'])}"),
        ("peak RSS GoAccess", lambda r: _m(r["maxrss_kib"]["goaccess"])),
    ]
    lines = [
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `{command}` on {cpu_model()} "
        f"({os.cpu_count()} CPUs, each program pinned to one with `taskset -c 0`), Python {platform.python_version()}, "
        f"{goaccess_version()}. Best wall time of {results[0]['repeat']} runs each, alternating; the file's lines "
        "over the whole command's wall time, start-up included.",
        "",
        f"| | {heads} |",
        "|---|" + "---:|" * len(results),
    ]
    for label, cell in rows:
        lines.append(f"| {label} | " + " | ".join(cell(r) for r in results) + " |")
    verdict_rate = "✅" if parse_rate >= 2e6 else "❌"
    verdict_ratio = "✅" if ratio >= 20 else "❌"
    growth = large["maxrss_kib"]["katko_plain"] / small["maxrss_kib"]["katko_plain"]
    lines += [
        "",
        f"At {large['lines'] / 1e6:g} M lines: Katko reads {_rate(parse_rate)} lines/s on one core "
        f"(target ≥ 2 M) {verdict_rate}, {ratio:.1f} × GoAccess's rate end to end (target ≥ 20) {verdict_ratio} "
        f"({parse_rate / large['lines_per_s']['goaccess']:.1f} × counting the read alone); "
        f"Katko's peak memory at {large['lines'] / 1e6:g} M lines is {growth:.2f} × that at "
        f"{small['lines'] / 1e6:g} M: flat in the file's size.",
    ]
    return "\n".join(lines)


def goaccess_version() -> str:
    out = subprocess.run(["goaccess", "--version"], capture_output=True, text=True).stdout
    return out.splitlines()[0].replace("GoAccess - ", "GoAccess ").rstrip(".") if out else "GoAccess"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500_000, 2_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if shutil.which("goaccess") is None:
        raise SystemExit("GoAccess is needed: apt-get install goaccess")
    WORK.mkdir(parents=True, exist_ok=True)
    started = datetime.now(timezone.utc)
    load_before = os.getloadavg()
    results = []
    for size in sorted(args.sizes):
        t = time.perf_counter()
        result = run_size(size, args.repeat)
        result["repeat"] = args.repeat
        results.append(result)
        print(f"{size} lines: {json.dumps(result)} ({time.perf_counter() - t:.0f} s)", file=sys.stderr)
    command = "benchmarks/usage_ingest.py " + " ".join(sys.argv[1:]) if sys.argv[1:] else "benchmarks/usage_ingest.py"
    text = table(results, started, f".venv/bin/python {command}".strip())
    text += (f" Load average at the start: {' '.join(f'{x:.2f}' for x in load_before)}, at the end: "
             f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} (the machine may be shared).")
    (WORK / "results.json").write_text(json.dumps(results, indent=2))
    print(text)
    if not args.no_write:
        doc = DOC.read_text(encoding="utf-8")
        head, rest = doc.split(START, 1)
        _, tail = rest.split(END, 1)
        DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
