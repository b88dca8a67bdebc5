#!/usr/bin/env python3
"""Run one command in a fresh subprocess and print its wall time and peak memory as JSON.

    python benchmarks/measure.py [--log FILE] -- COMMAND [ARGS...]
    python benchmarks/measure.py --preview PROJECT --edit FILE --find OLD --replace NEW [--saves N] [--pause S]

The wrapper's only child is COMMAND, so ``getrusage(RUSAGE_CHILDREN)`` after
it has ended describes that command alone: ``ru_maxrss`` is its peak resident
memory (KiB on Linux). The wall time is measured around the child only, not
the wrapper's own start-up. COMMAND's output goes to FILE (default: discarded).
The JSON line is ``{"rc", "wall_s", "user_s", "sys_s", "maxrss_kib"}``.

With ``--preview`` it measures what an editor waits for under ``mkdocs serve``
instead, in this process, through the same calls serve makes: MkDocs' serve
command loads the config, runs the plugins' ``on_startup`` (command "serve")
and builds into a temporary folder; after each save it loads the config again
and rebuilds. Here the first build is timed, then FILE is saved ``--saves``
times (default 5), alternately with OLD replaced by NEW and back, each save
followed by the rebuild serve would run; each rebuild's wall time and CPU time
(user + sys of this process, all its threads) is given. Saves are ``--pause``
seconds apart (default 2), as an editor looks at the page between two saves:
Katko's plugin collects the garbage while the preview is idle. The JSON line is ``{"initial_s",
"initial_cpu_s", "rebuild_s": [...], "rebuild_cpu_s": [...], "maxrss_kib"}``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def preview(project: str, edit: str, old: str, new: str, saves: int, pause: float = 2.0) -> dict:
    """The first build of ``mkdocs serve`` and its rebuilds after saves of ``edit``, as serve runs them."""
    import logging
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.chdir(project)
    path = Path(edit)
    original = path.read_text(encoding="utf-8")
    if original.count(old) < 1:
        raise SystemExit(f"{edit}: {old!r} not found")
    site_dir = tempfile.mkdtemp(prefix="preview_")
    serve_url = "http://127.0.0.1:8000/"

    def rebuild(first: bool) -> tuple[float, float]:
        started, used = time.perf_counter(), cpu()
        config = load_config(config_file="mkdocs.yml", site_dir=site_dir)
        if first:
            config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=False)
        return time.perf_counter() - started, cpu() - used

    try:
        initial = rebuild(True)
        walls, cpus = [], []
        for i in range(saves):
            time.sleep(pause)
            path.write_text(original.replace(old, new, 1) if i % 2 == 0 else original, encoding="utf-8")
            wall, used = rebuild(False)
            walls.append(round(wall, 4))
            cpus.append(round(used, 4))
    finally:
        path.write_text(original, encoding="utf-8")
        shutil.rmtree(site_dir, ignore_errors=True)
    return {"initial_s": round(initial[0], 4), "initial_cpu_s": round(initial[1], 4), "rebuild_s": walls,
            "rebuild_cpu_s": cpus, "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--preview"]:
        import argparse

        parser = argparse.ArgumentParser()
        parser.add_argument("--preview", required=True)
        parser.add_argument("--edit", required=True)
        parser.add_argument("--find", required=True)
        parser.add_argument("--replace", required=True)
        parser.add_argument("--saves", type=int, default=5)
        parser.add_argument("--pause", type=float, default=2.0, help="seconds between saves")
        options = parser.parse_args(args)
        print(json.dumps(preview(options.preview, options.edit, options.find, options.replace, options.saves,
                                 options.pause)))
        return
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
