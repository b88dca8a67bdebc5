#!/usr/bin/env python3
"""Katko's performance benchmark: build time, memory, search index and record checking.

    .venv/bin/python benchmarks/run.py --sizes 1000 5000

First it copies Katko's code, templates, catalogs and mkdocs.yml to
``benchmarks/work/snapshot`` (checking that the copy builds its example site)
and measures that copy throughout. Then for each size N, in one run on one
machine:

1. ``generate.py`` writes a Katko project with N synthetic outage records to
   ``benchmarks/work/N/katko`` (and checks it with ``katko check``);
2. an untimed warm-up ``mkdocs build`` of it gives the pages that
   ``bare_site.py`` writes as a plain mkdocs-material site to
   ``benchmarks/work/N/bare``; the bare site is built once untimed too;
3. both are built ``--repeats`` times (default 2), alternating which goes
   first, each build in a fresh subprocess (``measure.py``: wall time and
   peak RSS of that build alone); the best time of each is compared;
4. the size of Katko's ``search/search_index.json``, in total and per
   language (the JSON of the entries whose location starts with fi/, sv/, en/);
5. ``katko.records.loading.load`` (what ``katko check`` and the plugin run) against a
   bare ``yaml.load(..., Loader=yaml.CSafeLoader)`` of the same files,
   in-process, alternating, best of ``--check-repeats`` (default 3).

Then it prints a Markdown table and writes it into docs/performance.md,
between the ``results`` markers (the rest of the file is left as it is; the
file is created if it does not exist). Work folders stay in benchmarks/work/
(git-ignored) for inspection.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

# Imported in main(), from the snapshot of the code taken at the start of the run.
bare_site: Any = None
generate: Any = None
SNAPSHOT_ITEMS = ("mkdocs.yml", "overrides", "locales", "docs", "outages", "plugins/katko")

KATKO_NOW = "2026-12-01T12:00:00+02:00"
LANGS = ("fi", "sv", "en")
DOC = REPO / "docs" / "performance.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"

# Targets
BUILD_RATIO = 1.2
BUILD_RATIO_LARGE = (3000, 0.6)  # Katko / bare Material at N = 3000
HUGO_SPEEDUP = 10  # cState-like Hugo site / Katko, N = 3000
PREVIEW_S = 1.0  # mkdocs serve's rebuild after one save, N = 1000
INDEX_PER_LANG = 1.5e6  # bytes, at N = 1000
CHECK_RATIO = 1.5
LINEAR_TOLERANCE = 1.2  # time per page at the largest N ≤ this × at the smallest N


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- #
# Builds
# --------------------------------------------------------------------------- #


def mkdocs_command() -> list[str]:
    mkdocs = Path(sys.executable).with_name("mkdocs")
    return [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]


def snapshot(work: Path) -> tuple[Path, str]:
    """Copy Katko's code, templates, catalogs and config to ``work/snapshot``; return it and a digest.

    The whole run measures this copy: the plugin's code through PYTHONPATH
    (ahead of the editable install), the rest through generate.py. Edits made
    to the repository while the benchmark runs do not mix into one run.
    """
    target = work / "snapshot"
    shutil.rmtree(target, ignore_errors=True)
    digest = hashlib.sha256()
    for item in SNAPSHOT_ITEMS:
        source = REPO / item
        if source.is_dir():
            shutil.copytree(source, target / item, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
        else:
            (target / item).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / item)
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        digest.update(path.relative_to(target).as_posix().encode() + b"\0" + path.read_bytes())
    return target, digest.hexdigest()[:12]


def code_env() -> dict[str, str]:
    env = {**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SNAPSHOT / "plugins"), env.get("PYTHONPATH")) if p)
    return env


SNAPSHOT = HERE / "work" / "snapshot"


def build(project: Path, logfile: Path) -> dict:
    """``mkdocs build`` of ``project`` in a fresh subprocess: wall time, peak RSS, warnings."""
    env = code_env()
    command = [sys.executable, str(HERE / "measure.py"), "--log", str(logfile), "--",
               *mkdocs_command(), "build", "-d", str(project / "site")]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=True)
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    text = logfile.read_text(encoding="utf-8", errors="replace")
    if measured["rc"] != 0:
        raise SystemExit(f"mkdocs build failed in {project} (see {logfile}):\n{text[-3000:]}")
    measured["warnings"] = sum(1 for line in text.splitlines() if line.startswith(("WARNING", "ERROR")))
    return measured


def hugo_build(project: Path, logfile: Path) -> dict:
    """``hugo`` of the cState-like site in a fresh subprocess (measure.py), like the MkDocs builds."""
    command = [sys.executable, str(HERE / "measure.py"), "--log", str(logfile), "--",
               "hugo", "--quiet", "-s", str(project), "-d", str(project / "public")]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    if measured["rc"] != 0:
        raise SystemExit(f"hugo failed in {project} (see {logfile})")
    measured["warnings"] = 0
    return measured


def upcoming_record(outages: Path) -> Path:
    """The first public record that is still to come at KATKO_NOW: its notice is on the home page,
    its service's page, the feeds, the API and the banner's data (the most a save re-renders)."""
    now = datetime.fromisoformat(KATKO_NOW).strftime("%Y-%m-%d %H:%M")
    for path in sorted(outages.glob("*.yml")):
        if path.name == "services.yml":
            continue
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if str(record["public_from"]) <= now < str(record["start"]) and record.get("status") != "cancelled":
            return path
    raise SystemExit(f"no upcoming public record in {outages}")


def title_edit(record: Path) -> tuple[str, str]:
    """The record's Finnish title line, and the line with a word added (valid YAML either way)."""
    lines = record.read_text(encoding="utf-8").splitlines()
    line = lines[lines.index("title:") + 1]
    assert line.startswith("  fi: "), line
    edited = line[:-1] + " muutettu'" if line.endswith("'") else line + " muutettu"
    return line, edited


def preview(project: Path, edit: Path, old: str, new: str, saves: int) -> dict:
    """``measure.py --preview``: serve's first build, then its rebuild after each of ``saves`` saves."""
    command = [sys.executable, str(HERE / "measure.py"), "--preview", str(project), "--edit", str(edit),
               "--find", old, "--replace", new, "--saves", str(saves)]
    result = subprocess.run(command, cwd=project, env=code_env(), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"preview of {project} failed:\n{result.stderr[-3000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["median_s"] = statistics.median(measured["rebuild_s"])
    measured["median_cpu_s"] = statistics.median(measured["rebuild_cpu_s"])
    return measured


def html_pages(site: Path) -> int:
    return len(bare_site.katko_pages(site))


def search_index(site: Path) -> dict:
    """Total size of search_index.json, and per language the JSON of its entries."""
    path = site / "search" / "search_index.json"
    docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
    per_lang = {lang: {"entries": 0, "bytes": 0} for lang in LANGS}
    for entry in docs:
        lang = entry["location"].split("/", 1)[0]
        if lang in per_lang:
            per_lang[lang]["entries"] += 1
            # Serialised as Material writes the index (plus the separating comma).
            per_lang[lang]["bytes"] += len(json.dumps(entry, separators=(",", ":"), default=str)) + 1
    raw = path.read_bytes()
    return {"total_bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, 6)), "entries": len(docs),
            "per_lang": per_lang}


# --------------------------------------------------------------------------- #
# Record checking
# --------------------------------------------------------------------------- #


def embed_sizes(site: Path) -> dict:
    """What a host page downloads for the banner, gzip -9 as the issue measures it."""
    return {name: len(gzip.compress((site / "embed" / name).read_bytes(), 9))
            for name in ("banner.js", "outages.json")}


def time_checks(outages: Path, repeats: int) -> dict:
    from katko.records import loading as records
    from katko.records.settings import Settings
    from katko.core.times import parse_time

    files = sorted(p for p in outages.iterdir() if p.suffix in (".yml", ".yaml"))
    settings = Settings(now=parse_time(KATKO_NOW))

    def bare() -> None:
        for f in files:
            yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    def katko() -> None:
        dataset, report = records.load([outages], settings)
        if report.errors or len(dataset.records) != len(files) - 1:
            raise SystemExit(f"katko.records.loading.load: {len(report.errors)} errors, {len(dataset.records)} records")

    best = {"bare": float("inf"), "katko": float("inf")}
    for i in range(repeats):
        for name, func in (("bare", bare), ("katko", katko)) if i % 2 == 0 else (("katko", katko), ("bare", bare)):
            gc.collect()
            started = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - started)
    return {"files": len(files), "repeats": repeats, "bare_s": best["bare"], "katko_s": best["katko"],
            "ratio": best["katko"] / best["bare"]}


# --------------------------------------------------------------------------- #
# One size
# --------------------------------------------------------------------------- #


def run_size(n: int, work: Path, repeats: int, check_repeats: int, seed: int,
             preview_sizes: tuple[int, ...] = (1000,), saves: int = 5) -> dict:
    base = work / str(n)
    project, bare = base / "katko", base / "bare"
    logs = base / "logs"
    logs.mkdir(parents=True, exist_ok=True)

    log(f"N={n}: generating records")
    info = generate.generate(n, project, seed=seed, now=KATKO_NOW, source=SNAPSHOT)
    for note in info["notes"]:
        log(f"N={n}: note: locales copy: {note}")
    checked = generate.katko_check(project, KATKO_NOW, env=code_env())
    log(f"N={n}: katko check: {checked}")

    log(f"N={n}: warm-up Katko build")
    warm_katko = build(project, logs / "katko-warmup.log")
    pages = html_pages(project / "site")
    log(f"N={n}: {pages} pages in {warm_katko['wall_s']:.1f} s; writing the bare site")
    bare_info = bare_site.write_bare_site(project, bare, project / "site")
    log(f"N={n}: warm-up bare build")
    warm_bare = build(bare, logs / "bare-warmup.log")
    if html_pages(bare / "site") != pages:
        raise SystemExit(f"N={n}: the bare site has {html_pages(bare / 'site')} pages, Katko {pages}")

    hugo = base / "hugo"
    kinds = ["katko", "bare"]
    if shutil.which("hugo"):
        hugo_info = bare_site.write_hugo_site(project, hugo, KATKO_NOW)
        log(f"N={n}: cState-like Hugo site with {hugo_info['incidents']} incidents; warm-up hugo build")
        hugo_build(hugo, logs / "hugo-warmup.log")
        kinds.append("hugo")
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for i in range(repeats):
        # Each kind goes first in turn: no kind always runs on a machine the others warmed or loaded.
        order = kinds[i % len(kinds):] + kinds[:i % len(kinds)]
        for name in order:
            if name == "hugo":
                result = hugo_build(hugo, logs / f"hugo-{i + 1}.log")
            else:
                result = build(project if name == "katko" else bare, logs / f"{name}-{i + 1}.log")
            runs[name].append(result)
            log(f"N={n}: {name} build {i + 1}: {result['wall_s']:.2f} s "
                f"(CPU {result['user_s'] + result['sys_s']:.2f} s), "
                f"{result['maxrss_kib'] / 1024:.0f} MiB, {result['warnings']} warnings; load {load_average()}")

    previews = {}
    if n in preview_sizes:
        record = upcoming_record(project / "outages")
        old, new = title_edit(record)
        bare_page = bare / "docs" / "fi" / "outages" / record.stem / "index.md"
        heading = next(line for line in bare_page.read_text(encoding="utf-8").splitlines() if line.startswith("# "))
        for i in range(2):
            for name in (("katko", "bare") if i % 2 == 0 else ("bare", "katko")):
                if name == "katko":
                    found = preview(project, record, old, new, saves)
                else:
                    found = preview(bare, bare_page, heading, heading + " muutettu", saves)
                previews.setdefault(name, []).append(found)
                log(f"N={n}: {name} preview: first build {found['initial_s']:.1f} s, rebuilds {found['rebuild_s']} s "
                    f"(CPU {found['rebuild_cpu_s']}); load {load_average()}")
        previews = {name: {"runs": found,
                           "median_s": statistics.median(s for f in found for s in f["rebuild_s"]),
                           "median_cpu_s": statistics.median(s for f in found for s in f["rebuild_cpu_s"]),
                           "record": record.name}
                    for name, found in previews.items()}

    log(f"N={n}: timing katko.records.loading.load against yaml.load")
    checks = time_checks(project / "outages", check_repeats)
    public = len(list((project / "site" / "fi" / "outages").glob("*/index.html")))
    result = {
        "n": n,
        "public_notices": public,
        "pages": pages,
        "bare_pages_excluded_from_search": bare_info["excluded_from_search"],
        "katko_build": runs["katko"],
        "bare_build": runs["bare"],
        "hugo_build": runs.get("hugo", []),
        "preview": previews,
        "warmup": {"katko": warm_katko, "bare": warm_bare},
        "katko_best_s": min(r["wall_s"] for r in runs["katko"]),
        "bare_best_s": min(r["wall_s"] for r in runs["bare"]),
        "katko_best_cpu_s": min(r["user_s"] + r["sys_s"] for r in runs["katko"]),
        "bare_best_cpu_s": min(r["user_s"] + r["sys_s"] for r in runs["bare"]),
        "katko_maxrss_kib": max(r["maxrss_kib"] for r in runs["katko"]),
        "bare_maxrss_kib": max(r["maxrss_kib"] for r in runs["bare"]),
        "katko_warnings": max(r["warnings"] for r in runs["katko"]),
        "bare_warnings": max(r["warnings"] for r in runs["bare"]),
        "search": search_index(project / "site"),
        "embed": embed_sizes(project / "site"),
        "bare_search": search_index(bare / "site"),
        "check": checks,
        "record_stats": generate.record_stats(project / "outages"),
    }
    for kind in kinds:
        result[f"{kind}_median_s"] = statistics.median(r["wall_s"] for r in runs[kind])
        result[f"{kind}_median_cpu_s"] = statistics.median(r["user_s"] + r["sys_s"] for r in runs[kind])
    result["build_ratio"] = result["katko_median_s"] / result["bare_median_s"]
    result["build_cpu_ratio"] = result["katko_median_cpu_s"] / result["bare_median_cpu_s"]
    if "hugo" in kinds:
        result["hugo_speedup"] = result["hugo_median_s"] / result["katko_median_s"]
        result["hugo_cpu_speedup"] = result["hugo_median_cpu_s"] / result["katko_median_cpu_s"]
    (base / "results.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


# --------------------------------------------------------------------------- #
# Report
# --------------------------------------------------------------------------- #


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def mark(ok: bool) -> str:
    return "✅" if ok else "❌ missed"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for package in ("mkdocs", "mkdocs-material", "pydantic", "PyYAML", "Markdown", "Jinja2"):
        try:
            from importlib.metadata import version
            versions[package] = version(package)
        except Exception:  # noqa: BLE001
            pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions}


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def linearity(results: list[dict]) -> dict | None:
    if len(results) < 2:
        return None
    small, large = results[0], results[-1]
    out = {"small": small["n"], "large": large["n"]}
    for kind in ("katko", "bare"):
        per_small = small[f"{kind}_median_s"] / small["pages"]
        per_large = large[f"{kind}_median_s"] / large["pages"]
        marginal = (large[f"{kind}_median_s"] - small[f"{kind}_median_s"]) / (large["pages"] - small["pages"])
        out[kind] = {"per_page_small_ms": per_small * 1e3, "per_page_large_ms": per_large * 1e3,
                     "growth": per_large / per_small, "marginal_ms": marginal * 1e3}
    for kind in ("katko", "bare"):
        per_small = small["check"][f"{kind}_s"] / small["n"]
        per_large = large["check"][f"{kind}_s"] / large["n"]
        marginal = (large["check"][f"{kind}_s"] - small["check"][f"{kind}_s"]) / (large["n"] - small["n"])
        out[f"check_{kind}"] = {"per_record_small_ms": per_small * 1e3, "per_record_large_ms": per_large * 1e3,
                                "growth": per_large / per_small, "marginal_ms": marginal * 1e3}
    return out


def table(results: list[dict], lin: dict | None) -> str:
    head = "| | " + " | ".join(f"N = {r['n']}" for r in results) + " |"
    rule = "|---|" + "---:|" * len(results)
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, func) -> None:
        rows.append((label, [func(r) for r in results]))

    examples = generate.record_stats(SNAPSHOT / "outages")
    row(f"mean record size (the {examples['records']} example records: {examples['bytes_per_record']:,} B)",
        lambda r: f"{r['record_stats']['bytes_per_record']:,} B")
    row("public notices (of N records)", lambda r: f"{r['public_notices']}")
    row("HTML pages (3 languages)", lambda r: f"{r['pages']:,}")
    reps = len(results[0]["katko_build"])
    row(f"Katko `mkdocs build`, median of {reps} (CPU user + sys)",
        lambda r: f"{r['katko_median_s']:.2f} s ({r['katko_median_cpu_s']:.2f} s)")
    row(f"bare Material `mkdocs build`, median of {reps} (CPU)",
        lambda r: f"{r['bare_median_s']:.2f} s ({r['bare_median_cpu_s']:.2f} s)")
    large_n, large_ratio = BUILD_RATIO_LARGE

    def ratio_mark(r: dict) -> str:
        if r["n"] == large_n:
            return mark(r["build_ratio"] <= large_ratio)
        return mark(r["build_ratio"] <= BUILD_RATIO)
    row(f"**build ratio Katko / bare, wall** (target ≤ {BUILD_RATIO}; ≤ {large_ratio} at N = {large_n})",
        lambda r: f"**{r['build_ratio']:.2f}** {ratio_mark(r)}")
    row("build ratio Katko / bare, CPU time", lambda r: f"{r['build_cpu_ratio']:.2f}")
    if all("hugo_median_s" in r for r in results):
        row(f"cState-like Hugo site, `hugo`, median of {reps} (CPU)",
            lambda r: f"{r['hugo_median_s']:.2f} s ({r['hugo_median_cpu_s']:.2f} s)")
        row(f"**Hugo / Katko, wall** (how many times faster Katko is; target ≥ {HUGO_SPEEDUP} at N = {large_n})",
            lambda r: f"**{r['hugo_speedup']:.2f}** " + (mark(r["hugo_speedup"] >= HUGO_SPEEDUP) if r["n"] == large_n else ""))
        row("Hugo / Katko, CPU time", lambda r: f"{r['hugo_cpu_speedup']:.2f}")

    def preview_cell(r: dict, kind: str, target: bool = False) -> str:
        found = r.get("preview", {}).get(kind)
        if not found:
            return "–"
        text = f"{found['median_s']:.2f} s ({found['median_cpu_s']:.2f} s)"
        return f"**{text}** {mark(found['median_s'] <= PREVIEW_S)}" if target else text
    row(f"**preview: `mkdocs serve` rebuild after one save, Katko**, median (CPU) (target ≤ {PREVIEW_S:.0f} s)",
        lambda r: preview_cell(r, "katko", True))
    row("preview: the same, bare Material (its page's heading edited), median (CPU)",
        lambda r: preview_cell(r, "bare"))
    row("preview: first build of `mkdocs serve`, Katko / bare",
        lambda r: (f"{r['preview']['katko']['runs'][0]['initial_s']:.1f} / "
                   f"{r['preview']['bare']['runs'][0]['initial_s']:.1f} s") if r.get("preview") else "–")
    row("time per page Katko / bare (median wall)",
        lambda r: f"{r['katko_median_s'] / r['pages'] * 1e3:.2f} / {r['bare_median_s'] / r['pages'] * 1e3:.2f} ms")
    row("peak RSS Katko / bare (ru_maxrss)",
        lambda r: f"{r['katko_maxrss_kib'] / 1024:.0f} / {r['bare_maxrss_kib'] / 1024:.0f} MiB")
    row("build warnings Katko / bare", lambda r: f"{r['katko_warnings']} / {r['bare_warnings']}")
    row("search_index.json Katko / bare",
        lambda r: f"{mb(r['search']['total_bytes'])} / {mb(r['bare_search']['total_bytes'])}")
    row("search_index.json Katko, gzip -6 (transfer size if served compressed)",
        lambda r: mb(r["search"]["gzip_bytes"]))
    row("embed/banner.js, gzip -9 (target ≤ 3,072 B)",
        lambda r: f"{r['embed']['banner.js']:,} B " + mark(r["embed"]["banner.js"] <= 3072))
    row("embed/outages.json, gzip -9 (current and upcoming outages only)",
        lambda r: f"{r['embed']['outages.json']:,} B")
    for lang in LANGS:
        def per(r: dict, lang: str = lang) -> str:
            size = r["search"]["per_lang"][lang]["bytes"]
            text = f"{mb(size)} ({r['search']['per_lang'][lang]['entries']:,} entries)"
            if r["n"] == 1000:
                text += " " + mark(size <= INDEX_PER_LANG)
            return text
        row(f"search index, `{lang}/` entries (target ≤ 1.5 MB at N = 1000)", per)
    reps = results[0]["check"]["repeats"]
    row(f"`katko.records.loading.load` (katko check; best of {reps})", lambda r: f"{r['check']['katko_s']:.3f} s")
    row(f"bare `yaml.load` CSafeLoader (best of {reps})", lambda r: f"{r['check']['bare_s']:.3f} s")
    row(f"**check ratio katko / bare parse** (target ≤ {CHECK_RATIO})",
        lambda r: f"**{r['check']['ratio']:.2f}** {mark(r['check']['ratio'] <= CHECK_RATIO)}")
    lines = [head, rule] + [f"| {label} | " + " | ".join(cells) + " |" for label, cells in rows]
    if lin:
        k, b = lin["katko"], lin["bare"]
        lines += ["", f"**Linearity** (N = {lin['small']} → {lin['large']}; target: time per page at "
                  f"N = {lin['large']} ≤ {LINEAR_TOLERANCE} × at N = {lin['small']}):", "",
                  "| | ms/page N = %d | ms/page N = %d | growth | marginal ms/page |" % (lin["small"], lin["large"]),
                  "|---|---:|---:|---:|---:|",
                  f"| Katko | {k['per_page_small_ms']:.2f} | {k['per_page_large_ms']:.2f} | "
                  f"{k['growth']:.2f} {mark(k['growth'] <= LINEAR_TOLERANCE)} | {k['marginal_ms']:.2f} |",
                  f"| bare Material | {b['per_page_small_ms']:.2f} | {b['per_page_large_ms']:.2f} | "
                  f"{b['growth']:.2f} | {b['marginal_ms']:.2f} |"]
        ck, cb = lin["check_katko"], lin["check_bare"]
        lines += ["", "| | ms/record N = %d | ms/record N = %d | growth | marginal ms/record |"
                  % (lin["small"], lin["large"]),
                  "|---|---:|---:|---:|---:|",
                  f"| `katko.records.loading.load` | {ck['per_record_small_ms']:.3f} | {ck['per_record_large_ms']:.3f} | "
                  f"{ck['growth']:.2f} {mark(ck['growth'] <= LINEAR_TOLERANCE)} | {ck['marginal_ms']:.3f} |",
                  f"| bare `yaml.load` | {cb['per_record_small_ms']:.3f} | {cb['per_record_large_ms']:.3f} | "
                  f"{cb['growth']:.2f} | {cb['marginal_ms']:.3f} |"]
    return "\n".join(lines)


INTRO = """# Performance

Katko turns every outage record into a notice page in three languages, plus
the home, service, archive, subscription and accessibility pages, feeds,
calendars and a JSON API. These benchmarks check that this stays cheap as the
number of records grows: a site with years of history must build about as fast
as a plain Material site of the same pages, its search index must stay small
enough to download, and `katko check` must stay about as fast as reading the
YAML.

## What is measured

For each size N (records), `benchmarks/run.py` does, in one run on one machine:

* **Code.** It first copies Katko's code, templates, catalogs and
  `mkdocs.yml` to `benchmarks/work/snapshot/` and measures that copy (the
  plugin through `PYTHONPATH`, ahead of the editable install), so that edits
  made while it runs do not mix into one run; the copy must build the example
  site, or the run stops. Its digest is in the results.
* **Records.** `benchmarks/generate.py N DIR` writes a self-contained Katko
  project (`mkdocs.yml`, `overrides/`, `locales/`, `docs/` and
  `outages/services.yml`, and N seeded, synthetic records: about 60 % planned
  and 40 % unplanned outages of the catalogue's services, one in ten affecting
  two, starting between 2024-01 and 2027-06, lasting 1–8 h, with texts in fi,
  sv and en of about the example records' length (the table gives both), 0–3
  updates, stakeholders and an internal section). Every Markdown text names its
  outage's time, so no two records share a text, as with real records (Katko
  caches rendered Markdown). The set passes `katko check` with no warnings.
  Planned outages become public 10 days before they start; a disruption, which
  cannot be announced in advance, 10–40 minutes after it starts. With
  `KATKO_NOW=2026-12-01T12:00:00+02:00` about 84 % of the records are public.
* **Build time.** `mkdocs build` of the Katko project against `mkdocs build`
  of a bare mkdocs-material site with the *same pages* written as plain
  Markdown (`benchmarks/bare_site.py`: the text of each page Katko's build
  rendered through Material, title as H1, same headings, paragraphs, lists and
  links; Material with `font: false`, the search plugin with the same
  languages, pages not in the nav, the same pages kept out of search). After an
  untimed warm-up of each, both are built twice, alternating which goes first,
  each in a fresh subprocess; the best time of each counts. The ratio is the
  per-page cost of Katko against a plain Material site. Katko's build also
  writes what has no Material page (feeds, calendars, the JSON API, embeddable
  banners); that is part of its cost, as the bare site has none of it (its
  links to those files are absolute addresses).
* **Linear growth.** Time per page at the largest N against the smallest, and
  the same per record for `katko.records.loading.load`.
* **Peak memory.** `ru_maxrss` of each build's own process
  (`benchmarks/measure.py` runs the build as its only child and reads
  `getrusage(RUSAGE_CHILDREN)`).
* **Search index.** Size of `site/search/search_index.json`, in total and per
  language: the JSON of the entries whose location starts with `fi/`, `sv/`,
  `en/`. A reader's browser downloads the whole file (its gzip size is given
  too) and builds the search index from all of it.
* **Checking records.** `katko.records.loading.load` (what `katko check` and the
  plugin run: YAML with positions, validation, the rules) against a bare
  `yaml.load(..., Loader=yaml.CSafeLoader)` of the same files, in-process,
  alternating, best of 3.

## Targets

| | target |
|---|---|
| build time, Katko / bare Material | ≤ 1.2 |
| growth | linear: time per page at N = 5000 ≤ 1.2 × at N = 1000 |
| search index per language, N = 1000 | ≤ 1.5 MB |
| `katko check`, Katko / bare YAML parse | ≤ 1.5 |
| `embed/banner.js`, gzip -9 (see embedding.md) | ≤ 3,072 B |

## Re-running

```sh
.venv/bin/python benchmarks/run.py --sizes 1000 5000
```

It takes about ten minutes on two cores, prints the table below and rewrites
the results section of this page (between the `results` markers; the rest of
the page is left as it is). The generated projects, build logs and
`results.json` per size stay in `benchmarks/work/` (git-ignored). Profiles of
the measured code: `.venv/bin/python benchmarks/profile_build.py
benchmarks/work/1000/katko` (the build) and `... benchmarks/work/5000/katko
--check` (`katko.records.loading.load`).

"""


def results_section(results: list[dict], lin: dict | None, info: dict, when: str) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return "\n".join([
        START,
        "## Results",
        "",
        f"Measured {when} on {info['nproc']} CPUs (`nproc`), {info['cpu']} (/proc/cpuinfo), "
        f"Python {info['python']}, {info['platform']}; {versions}. "
        f"Katko as in the working tree at the start of the run (snapshot digest `{info['snapshot']}`). "
        f"Load average at the start: {info['load_start']}, at the end: {info['load_end']} "
        "(the machine may be shared: the alternating order, the best-of runs and the CPU-time row "
        "are there to see through that).",
        "",
        table(results, lin),
        "",
        END,
    ])


def write_doc(section: str, start: str = START, end: str = END) -> None:
    """Put ``section`` (which begins with ``start`` and ends with ``end``) in place of the doc's own."""
    DOC.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else INTRO
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = before + section + after
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    global SNAPSHOT, bare_site, generate
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument("--repeats", type=int, default=3, help="timed builds of each site (the median counts)")
    parser.add_argument("--preview-sizes", type=int, nargs="*", default=[1000],
                        help="sizes at which mkdocs serve's rebuild after a save is timed")
    parser.add_argument("--saves", type=int, default=5, help="saves per preview run (two runs, alternating)")
    parser.add_argument("--check-repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None, help="record generator seed (default: generate.py's)")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--no-doc", action="store_true", help=f"do not rewrite {DOC.relative_to(REPO)}")
    args = parser.parse_args()

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    SNAPSHOT, digest = snapshot(work)
    sys.path.insert(0, str(SNAPSHOT / "plugins"))
    import katko  # noqa: F401  (the snapshot, ahead of the editable install)
    assert Path(katko.__file__).resolve().is_relative_to(SNAPSHOT), katko.__file__
    import bare_site as _bare_site
    import generate as _generate
    bare_site, generate = _bare_site, _generate
    log(f"code snapshot {digest} in {SNAPSHOT}")
    # The snapshot must build its own example site, or nothing here means anything.
    preflight = subprocess.run([*mkdocs_command(), "build", "-q", "-d", str(work / "snapshot-site")],
                               cwd=SNAPSHOT, env=code_env(), capture_output=True, text=True)
    shutil.rmtree(work / "snapshot-site", ignore_errors=True)
    if preflight.returncode != 0:
        raise SystemExit("the working tree's example site does not build, so there is nothing to measure:\n"
                         + (preflight.stdout + preflight.stderr)[-3000:])
    if args.seed is None:
        args.seed = generate.DEFAULT_SEED

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_start = load_average()
    results = [run_size(n, work, args.repeats, args.check_repeats, args.seed, tuple(args.preview_sizes), args.saves)
               for n in sorted(args.sizes)]
    lin = linearity(results)
    info = machine()
    info["load_start"], info["load_end"] = load_start, load_average()
    info["snapshot"] = digest
    section = results_section(results, lin, info, when)
    print(section.replace(START + "\n", "").replace("\n" + END, ""))
    (args.work / "results.json").write_text(
        json.dumps({"when": when, "machine": info, "results": results, "linearity": lin}, indent=2), encoding="utf-8")
    if not args.no_doc:
        write_doc(section)
        log(f"wrote {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
