#!/usr/bin/env python3
"""Profile a Katko build (or ``katko.records.loading.load``) with cProfile; show Katko's hot spots.

    .venv/bin/python benchmarks/profile_build.py PROJECT_DIR [--check] [--top 20]

PROJECT_DIR is a generated Katko project (``benchmarks/work/N/katko``). Without
``--check`` it runs ``mkdocs build`` in-process under cProfile (KATKO_NOW set,
site into PROJECT_DIR/site-profile); with ``--check`` it profiles
``katko.records.loading.load`` of PROJECT_DIR/outages instead. It prints the time
spent under each of Katko's MkDocs hooks and the main MkDocs/Material steps,
then the functions of Katko's own code (plugins/katko) by own time and by
cumulative time. The raw profile is written next to the project
(``profile-build.prof`` / ``profile-check.prof``) for snakeviz or pstats.
By default it profiles the snapshot of the code that run.py measured.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

KATKO_NOW = "2026-12-01T12:00:00+02:00"
KATKO_CODE = str(REPO / "plugins" / "katko")  # set in main() to the code profiled

# (file fragment, function name) of the steps worth seeing in a build profile.
STEPS = [
    ("katko/plugin.py", "on_config"),
    ("katko/records/loading.py", "load"),
    ("katko/plugin.py", "on_files"),
    ("katko/plugin.py", "on_page_content"),
    ("katko/site/render.py", "content"),
    ("katko/site/render.py", "_markdown"),
    ("katko/plugin.py", "on_page_context"),
    ("katko/site/render.py", "chrome"),
    ("katko/plugin.py", "on_post_build"),
    ("mkdocs/commands/build.py", "_populate_page"),
    ("mkdocs/commands/build.py", "_build_page"),
    ("mkdocs/structure/pages.py", "render"),
    ("material/plugins/search/plugin.py", "on_page_context"),
    ("material/plugins/search/plugin.py", "on_post_build"),
    ("jinja2/environment.py", "render"),
    ("mkdocs/utils/__init__.py", "write_file"),
]


def profile_build(project: Path, out: Path) -> pstats.Stats:
    from mkdocs.__main__ import cli

    os.environ.setdefault("KATKO_NOW", KATKO_NOW)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.chdir(project)
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        cli(["build", "-q", "-d", str(project / "site-profile")], standalone_mode=False)
    finally:
        profiler.disable()
    profiler.dump_stats(str(out))
    return pstats.Stats(profiler)


def profile_check(project: Path, out: Path) -> pstats.Stats:
    from katko.records import loading as records
    from katko.records.settings import Settings
    from katko.core.times import parse_time

    settings = Settings(now=parse_time(KATKO_NOW))
    records.load([project / "outages"], settings)  # warm-up: imports, pydantic schemas
    profiler = cProfile.Profile()
    profiler.enable()
    records.load([project / "outages"], settings)
    profiler.disable()
    profiler.dump_stats(str(out))
    return pstats.Stats(profiler)


def short(path: str) -> str:
    for marker in ("/plugins/", "/site-packages/", "/lib/python3"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def report(stats: pstats.Stats, top: int, steps: bool) -> None:
    raw = stats.stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    total = max(ct for (_, _, _), (_, _, _, ct, _) in raw.items())
    print(f"total profiled time: {total:.2f} s (cProfile overhead included)\n")
    if steps:
        print("Steps (cumulative time, calls):")
        for fragment, name in STEPS:
            hits = [(k, v) for k, v in raw.items() if k[0].endswith(fragment) and k[2] == name]
            if hits:
                ct = sum(v[3] for _, v in hits)
                calls = sum(v[1] for _, v in hits)
                print(f"  {ct:8.2f} s {100 * ct / total:5.1f} %  {calls:>8}  {fragment}:{name}")
        print()
    own = [(k, v) for k, v in raw.items() if k[0].startswith(KATKO_CODE)]
    print(f"Katko's own functions by own time (tottime), top {top}:")
    print(f"  {'tottime':>8} {'cumtime':>8} {'calls':>9}  function")
    for (file, line, name), (cc, nc, tt, ct, _) in sorted(own, key=lambda kv: -kv[1][2])[:top]:
        print(f"  {tt:8.3f} {ct:8.3f} {nc:9}  {short(file)}:{line} {name}")
    print(f"\nKatko's own functions by cumulative time, top {top}:")
    for (file, line, name), (cc, nc, tt, ct, _) in sorted(own, key=lambda kv: -kv[1][3])[:top]:
        print(f"  {tt:8.3f} {ct:8.3f} {nc:9}  {short(file)}:{line} {name}")
    print(f"\nAll functions by own time, top {top}:")
    for (file, line, name), (cc, nc, tt, ct, _) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        print(f"  {tt:8.3f} {ct:8.3f} {nc:9}  {short(file)}:{line} {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--check", action="store_true", help="profile katko.records.loading.load instead of the build")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--code", type=Path, help="folder holding the katko package to profile (default: the "
                        "snapshot run.py took, benchmarks/work/snapshot/plugins, if there is one; else plugins/)")
    args = parser.parse_args()
    project = args.project.resolve()
    snapshot = HERE / "work" / "snapshot" / "plugins"
    code = (args.code or (snapshot if snapshot.is_dir() else REPO / "plugins")).resolve()
    sys.path.insert(0, str(code))
    global KATKO_CODE
    KATKO_CODE = str(code / "katko")
    print(f"profiling the katko package in {code}")
    if args.check:
        stats = profile_check(project, project.parent / "profile-check.prof")
    else:
        stats = profile_build(project, project.parent / "profile-build.prof")
    report(stats, args.top, steps=not args.check)


if __name__ == "__main__":
    main()
