#!/usr/bin/env python3
"""Time and peak memory of ``katko check`` as an outage on a profiled service grows longer.

    python benchmarks/long_outage.py [--code A=PLUGINS_DIR ...] [--runs 3] [--lengths 6h,1y,100y]

The example records are copied to a temporary project and the example's
Saturday-night outage of ``rakennuslupa`` (a service with a usage profile) is
given each length in turn, from its start on 2026-12-05 22:00 (``100y`` ends
in 2100, the last year a record may name). For every length, each code
(``NAME=DIR``: a ``plugins`` folder put first on ``PYTHONPATH``; by default
this checkout's) runs ``katko check`` in a fresh subprocess through
``benchmarks/measure.py``, the codes alternating in each round, ``--runs``
rounds; the medians of wall time, CPU time (user + system) and peak resident
memory are printed as a Markdown table, with the load average before and after.
A check whose wall time passes ``--timeout`` seconds is stopped and shown as such.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECORD = "2026-12-05-rakennuslupa-palvelinvaihto.yml"
START = "2026-12-05 22:00"
ENDS = {"6h": "2026-12-06 04:00", "1w": "2026-12-12 22:00", "1y": "2027-12-05 22:00",
        "10y": "2036-12-05 22:00", "100y": "2100-12-05 22:00", "500y": "2526-12-05 22:00"}
NOW = "2026-12-01T12:00:00+02:00"


def project(folder: Path, end: str) -> Path:
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(ROOT / "outages", folder / "outages")
    record = folder / "outages" / RECORD
    text = record.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^end: ".*"$', f'end: "{end}"', text)
    record.write_text(text, encoding="utf-8")
    return folder


def check(plugins: Path, folder: Path, timeout: float) -> dict[str, float]:
    code = "import sys; from katko.cli import main; sys.argv[0] = 'katko'; main()"
    env = {**os.environ, "PYTHONPATH": str(plugins), "KATKO_NOW": NOW}
    command = [sys.executable, str(ROOT / "benchmarks" / "measure.py"), "--",
               "timeout", str(timeout), sys.executable, "-c", code, "check", "--lang", "en"]
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lengths", default="6h,1y,100y")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    codes = dict(c.split("=", 1) for c in args.code) or {"this": str(ROOT / "plugins")}
    print(f"load before: {os.getloadavg()}")
    print("| length | code | wall s | CPU s | max RSS MB | exit |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for length in args.lengths.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            folder = project(Path(tmp), ENDS[length])
            found: dict[str, list[dict[str, float]]] = {name: [] for name in codes}
            for round_ in range(args.runs):
                order = list(codes) if round_ % 2 == 0 else list(reversed(codes))
                for name in order:
                    found[name].append(check(Path(codes[name]), folder, args.timeout))
            for name, runs in found.items():
                wall = statistics.median(r["wall_s"] for r in runs)
                cpu = statistics.median(r["user_s"] + r["sys_s"] for r in runs)
                rss = statistics.median(r["maxrss_kib"] for r in runs) / 1024
                codes_seen = sorted({int(r["rc"]) for r in runs})
                shown = "timed out" if 124 in codes_seen else ",".join(map(str, codes_seen))
                print(f"| {length} | {name} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {shown} |", flush=True)
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
