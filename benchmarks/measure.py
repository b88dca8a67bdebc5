#!/usr/bin/env python3
"""Run one command in a fresh subprocess and print its wall time and peak memory as JSON.

    python benchmarks/measure.py [--log FILE] -- COMMAND [ARGS...]

The wrapper's only child is COMMAND, so ``getrusage(RUSAGE_CHILDREN)`` after
it has ended describes that command alone: ``ru_maxrss`` is its peak resident
memory (KiB on Linux). The wall time is measured around the child only, not
the wrapper's own start-up. COMMAND's output goes to FILE (default: discarded).
The JSON line is ``{"rc", "wall_s", "user_s", "sys_s", "maxrss_kib"}``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    args = sys.argv[1:]
    log = None
    if args[:1] == ["--log"]:
        log, args = args[1], args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        raise SystemExit(__doc__)
    with open(log or "/dev/null", "wb") as out:
        started = time.perf_counter()
        rc = subprocess.call(args, stdout=out, stderr=subprocess.STDOUT)
        wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": rc, "wall_s": round(wall, 4), "user_s": round(usage.ru_utime, 4),
                      "sys_s": round(usage.ru_stime, 4), "maxrss_kib": usage.ru_maxrss}))


if __name__ == "__main__":
    main()
