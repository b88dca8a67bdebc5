#!/usr/bin/env python3
"""What people wait for and download without a build: `katko check` as a whole command, and the banner's data.

    .venv/bin/python benchmarks/check_banner.py --sizes 1000 3000 5000

Like ``run.py`` (whose code snapshot, generator and ``measure.py`` it uses),
for each size N in one run on one machine:

1. ``generate.py`` writes a project with N synthetic records to
   ``benchmarks/work/N/katko`` (skipped if it is there from an earlier run of
   the same snapshot and seed);
2. **check**: ``katko check --lang en`` of its records, as an editor runs it
   (a fresh process: interpreter start, imports, reading, every check) against
   a bare loop in a fresh process that imports PyYAML and reads the same files
   with ``yaml.load(..., Loader=yaml.CSafeLoader)``, and a third process, the
   *library floor*: the same loop after importing what the project's standards
   require a check to use (pydantic for the record model, Babel for dates in
   fi/sv, ``holidays`` for Finland's working days, click for the command line)
   and making one year of Finnish holidays: no cold ``katko check`` can take
   less. ``--repeats`` rounds (default 7), rotating which goes first, each through ``measure.py``
   (wall time, and user + sys CPU time of that process alone). The ratios are
   of the medians; the load average is read before and after;
3. **banner data**: each service's ``embed/SERVICE-ID/LANG.json`` as the build
   writes it (``katko.outputs.banner``, without building the pages), gzip -9: the
   largest, and a service's file cut to its first five notices (what a service
   with five current and upcoming notices downloads at that site size); the
   first banner's ``embed/outages.json`` for comparison, and the banner
   scripts.

It prints a Markdown table and writes it into docs/performance.md between the
``check-banner`` markers (nothing else in the file changes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402  (the snapshot, the environment, the machine)

START, END = "<!-- check-banner:start -->", "<!-- check-banner:end -->"
CHECK_RATIO = 1.3
SERVICE_DATA = 2048  # bytes gzip -9, for a service with five notices
BANNER = 3072

BARE_LOOP = """import sys
from pathlib import Path
import yaml
for f in sorted(Path(sys.argv[1]).glob("*.yml")):
    yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""

#: The bare loop after the imports a check cannot do without (see the module's docstring).
FLOOR_LOOP = """import babel.dates, click, holidays, pydantic
holidays.Finland(years=2026)
""" + BARE_LOOP


def gzip9(data: bytes) -> int:
    return len(gzip.compress(data, 9, mtime=0))


def katko_command() -> list[str]:
    script = Path(sys.executable).with_name("katko")
    return [sys.executable, str(script)] if script.exists() else [sys.executable, "-m", "katko"]


def measured(command: list[str], cwd: Path, log: Path) -> dict[str, float]:
    result = subprocess.run([sys.executable, str(HERE / "measure.py"), "--log", str(log), "--", *command],
                            cwd=cwd, env=run.code_env(), capture_output=True, text=True, check=True)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if found["rc"] != 0:
        raise SystemExit(f"{command[:3]} failed in {cwd} (see {log}):\n{log.read_text()[-2000:]}")
    found["cpu_s"] = found["user_s"] + found["sys_s"]
    return found


def time_check(project: Path, repeats: int) -> dict[str, Any]:
    """``katko check`` against the bare loop and the library floor, whole processes, in turn; medians."""
    outages = project / "outages"
    logs = project.parent / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    commands = {"katko": [*katko_command(), "check", "--lang", "en", "outages"],
                "bare": [sys.executable, "-c", BARE_LOOP, "outages"],
                "floor": [sys.executable, "-c", FLOOR_LOOP, "outages"]}
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    names = list(commands)
    load_before = run.load_average()
    for i in range(repeats):
        for name in names[i % 3:] + names[:i % 3]:
            runs[name].append(measured(commands[name], project, logs / f"check-{name}-{i + 1}.log"))
    text = (logs / "check-katko-1.log").read_text(encoding="utf-8")
    files = len(list(outages.glob("*.yml")))
    out: dict[str, Any] = {"files": files, "repeats": repeats, "load_before": load_before,
                           "load_after": run.load_average(), "katko_output": text.strip().splitlines()[-1]}
    for name, results in runs.items():
        out[name] = {key: statistics.median(r[key] for r in results) for key in ("wall_s", "cpu_s")}
    out["wall_ratio"] = out["katko"]["wall_s"] / out["bare"]["wall_s"]
    out["cpu_ratio"] = out["katko"]["cpu_s"] / out["bare"]["cpu_s"]
    out["floor_cpu_ratio"] = out["floor"]["cpu_s"] / out["bare"]["cpu_s"]
    out["floor_wall_ratio"] = out["floor"]["wall_s"] / out["bare"]["wall_s"]
    return out


def banner_sizes(project: Path) -> dict[str, Any]:
    """Each service's banner data as the build writes it, and the first banner's one file (gzip -9)."""
    from katko.outputs import banner as embeds
    from katko.records import loading as records
    from katko.site.render import Renderer
    from katko.records.settings import Settings
    from katko.site.pages import Site
    from katko.core.times import parse_time

    settings = Settings(site_url="https://katkot.example.org/", now=parse_time(run.KATKO_NOW))
    dataset, report = records.load([project / "outages"], settings)
    if report.blocking:
        raise SystemExit(f"{project}: the records have errors")
    renderer = Renderer(Site(dataset, settings), project / "overrides" / "katko", project / "locales")
    files = []
    for service in renderer.site.services:
        for lang in renderer.languages:
            document = embeds.banner_data(renderer, service.id, lang)
            five = {**document, "outages": document["outages"][:5]}
            files.append({"service": service.id, "lang": lang, "notices": len(document["outages"]),
                          "gzip": gzip9(embeds.service_json(renderer, service.id, lang)),
                          "five_notices": len(five["outages"]),
                          "five_gzip": gzip9(json.dumps(five, ensure_ascii=False, separators=(",", ":")).encode())})
    with_five = [f for f in files if f["five_notices"] == 5]
    largest = max(files, key=lambda f: f["gzip"])
    return {"files": files, "largest": largest,
            "five_max_gzip": max((f["five_gzip"] for f in with_five), default=None),
            "services_with_five": len({f["service"] for f in with_five}),
            "first_file_gzip": gzip9(embeds.outages_json(renderer)),
            "shown": len(embeds.shown(renderer))}


def script_sizes() -> dict[str, int]:
    return {name: gzip9((run.SNAPSHOT / "overrides" / "embed" / name).read_bytes())
            for name in ("banner-v3.js", "banner.js")}


def mark(ok: bool) -> str:
    return "✅" if ok else "❌ missed"


def table(results: list[dict[str, Any]], scripts: dict[str, int]) -> str:
    head = "| | " + " | ".join(f"N = {r['n']}" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]

    def row(label: str, cells: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    checked = [r for r in results if "check" in r]
    if checked:
        reps = checked[0]["check"]["repeats"]
        blank = {r["n"]: "" for r in results}

        def cells(func: Any) -> list[str]:
            return [func(r["check"]) if "check" in r else blank[r["n"]] for r in results]

        row(f"`katko check` whole command, median of {reps}: wall / CPU (user + sys)",
            cells(lambda c: f"{c['katko']['wall_s']:.2f} / {c['katko']['cpu_s']:.2f} s"))
        row(f"bare CSafeLoader loop, whole command, median of {reps}: wall / CPU",
            cells(lambda c: f"{c['bare']['wall_s']:.2f} / {c['bare']['cpu_s']:.2f} s"))
        row(f"library floor (the loop after importing pydantic, Babel, holidays, click), median of {reps}: "
            "wall / CPU", cells(lambda c: f"{c['floor']['wall_s']:.2f} / {c['floor']['cpu_s']:.2f} s"))
        row("floor ratio, CPU / wall: the least any cold check can reach",
            cells(lambda c: f"{c['floor_cpu_ratio']:.2f} / {c['floor_wall_ratio']:.2f}"))
        row(f"**check ratio, CPU** (target ≤ {CHECK_RATIO})",
            cells(lambda c: f"**{c['cpu_ratio']:.2f}** {mark(c['cpu_ratio'] <= CHECK_RATIO)}"))
        row(f"check ratio, wall (target ≤ {CHECK_RATIO})",
            cells(lambda c: f"{c['wall_ratio']:.2f} {mark(c['wall_ratio'] <= CHECK_RATIO)}"))
        row("load average before / after", cells(lambda c: f"{c['load_before']} / {c['load_after']}"))
    row("current and upcoming notices on the site", [f"{r['banner']['shown']:,}" for r in results])
    row("largest `embed/SERVICE-ID/LANG.json`, gzip -9 (its notices)",
        [f"{r['banner']['largest']['gzip']:,} B ({r['banner']['largest']['notices']})" for r in results])
    row(f"a service's file with five notices, gzip -9, largest (target ≤ {SERVICE_DATA:,} B)",
        [f"{r['banner']['five_max_gzip']:,} B {mark(r['banner']['five_max_gzip'] <= SERVICE_DATA)}"
         if r["banner"]["five_max_gzip"] else "no service has five" for r in results])
    row("the first banner's `embed/outages.json` (every service), gzip -9",
        [f"{r['banner']['first_file_gzip']:,} B" for r in results])
    row(f"`embed/banner-v3.js`, gzip -9 (target ≤ {BANNER:,} B)",
        [f"{scripts['banner-v3.js']:,} B {mark(scripts['banner-v3.js'] <= BANNER)}"] * len(results))
    return "\n".join(lines)


def section(results: list[dict[str, Any]], scripts: dict[str, int], info: dict[str, Any], when: str) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return "\n".join([
        START,
        "### Results: check and banner data",
        "",
        f"Measured {when} on {info['nproc']} CPUs, {info['cpu']}, Python {info['python']}; {versions}. "
        f"Katko as in the working tree at the start of the run (snapshot digest `{info['snapshot']}`). "
        f"Load average at the start: {info['load_start']}, at the end: {info['load_end']}.",
        "",
        table(results, scripts),
        "",
        END,
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 5000])
    parser.add_argument("--check-sizes", type=int, nargs="+", default=[1000, 5000],
                        help="sizes at which 'katko check' is timed (the banner data is measured at every size)")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs of each command (medians count)")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    run.SNAPSHOT, digest = run.snapshot(work)
    sys.path.insert(0, str(run.SNAPSHOT / "plugins"))
    import katko  # the snapshot, ahead of the editable install; generate.py then uses it too
    assert Path(katko.__file__).resolve().is_relative_to(run.SNAPSHOT), katko.__file__
    import generate
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = run.load_average()
    results = []
    for n in sorted(set(args.sizes) | set(args.check_sizes)):
        project = work / str(n) / "katko"
        run.log(f"N={n}: generating records")
        generate.generate(n, project, seed=generate.DEFAULT_SEED, now=run.KATKO_NOW, source=run.SNAPSHOT)
        run.log(f"N={n}: {generate.katko_check(project, run.KATKO_NOW, env=run.code_env())}")
        result: dict[str, Any] = {"n": n, "banner": banner_sizes(project)}
        if n in args.check_sizes:
            started = time.perf_counter()
            result["check"] = time_check(project, args.repeats)
            c = result["check"]
            run.log(f"N={n}: katko check {c['katko']['cpu_s']:.2f} s CPU, bare {c['bare']['cpu_s']:.2f} s: "
                    f"{c['cpu_ratio']:.2f} (wall {c['wall_ratio']:.2f}), {time.perf_counter() - started:.0f} s")
        results.append(result)
    info = run.machine()
    info.update(snapshot=digest, load_start=load_start, load_end=run.load_average())
    text = section(results, script_sizes(), info, when)
    print(text.replace(START + "\n", "").replace("\n" + END, ""))
    (work / "check_banner.json").write_text(json.dumps({"when": when, "machine": info, "results": results},
                                                       indent=2), encoding="utf-8")
    if not args.no_doc:
        run.write_doc(text, START, END)
        run.log(f"wrote {run.DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
