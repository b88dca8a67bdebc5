"""If ``katko check`` exits 0, the site builds: a property, tried on mutated example records.

Hypothesis takes the example records (``outages/*.yml``) and ``services.yml``
and mutates them as a careless editor or an attacker might: values of another
type, odd strings (markup, control and invisible characters, other scripts'
digits), extreme dates and numbers, keys dropped, renamed, swapped or
repeated, and bytes changed in the YAML text. For every mutated set:

* ``katko check`` (its command, in this process) never raises and never
  prints a traceback: it exits 0, or 1 with every problem at ``FILE:LINE:COL``;
* a set it accepts also builds: the site's pages, feeds, calendars, API,
  embeds and shutter pages are rendered by the same core the MkDocs plugin
  calls, for the public and the internal site, and the feeds, calendars and
  JSON files parse. A few accepted sets are built with ``mkdocs build`` too.

Every input that once broke this lies in ``tests/fixtures/crashers/``, checked
(and built, when accepted) by :func:`test_crashers`.

The run is bounded for CI (``KATKO_FUZZ_EXAMPLES``, 150 by default) and
reproducible (derandomized); ``KATKO_FUZZ_EXAMPLES=5000`` tries more locally,
and ``KATKO_FUZZ_SEED`` tries other examples than CI's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, event, given, seed, settings
from hypothesis import strategies as st

from katko.outputs import registry
from katko.site import planning
from katko.records import loading as records
from katko.cli import main
from katko.records import channels as notify_config
from katko.site.render import Renderer
from katko.config import SiteConfig, read_config
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.core.times import parse_time

from .conftest import KATKO_NOW, REPO_ROOT, site_project

EXAMPLE = REPO_ROOT / "outages"
RECORDS = sorted(p for p in EXAMPLE.glob("*.yml") if p.name != "services.yml")
CRASHERS = REPO_ROOT / "tests" / "fixtures" / "crashers"
NOW = parse_time(KATKO_NOW)
EXAMPLES = int(os.environ.get("KATKO_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="KATKO_FUZZ_SEED" not in os.environ,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], database=None)
#: A problem as katko check prints it: FILE:LINE:COL: severity[ CODE]: message.
LOCATED = re.compile(r"^\S[^\n]*:\d+:\d+: (error|warning|note)\b", re.MULTILINE)


# --------------------------------------------------------------------------- #
# What an editor or an attacker might write
# --------------------------------------------------------------------------- #

ODD_STRINGS = [
    "", " ", "\u200b", "\u200b\u2060\ufeff", "\u202eevil\u202c", "a\x00b", "a\x1bb", "a\x0bb", "line\nbreak",
    "line\u2028sep", "tab\there", "\r\n", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))", "<mailto:x/onfocus=alert(1)>", "]]></x>", "END:VEVENT\r\nBEGIN:VEVENT",
    "{{ 7*7 }}", "%(x)s", "${x}", "yes", "no", "~", "null", "0x1F", "1e309", "-0", "NaN", ".inf",
    "٢٠٢٦-١٢-٠٥ ٢٢:٠٠", "２０２６-１２-０５ ２２:００", "2026-12-05 22:00", "2026-12-05T22:00+25:00",
    "2026-12-05T22:00+02:00", "2026-12-05 22:00:00.999999", "0001-01-01 00:00", "9999-12-31 23:59",
    "2026-02-30 10:00", "2026-03-29 03:30", "2026-10-25 03:30", "2000-01-01 00:00", "2100-12-31 23:59",
    "2026-12-05", "22:00", "4h", "0h", "99999999h", "-4h", "1h30min", "P1D", "https://", "http://x.example",
    "https://x.example/<script>", "mailto:", "tel:+358", "javascript:alert(1)", "../../etc/passwd",
    "a" * 5000, "ä" * 300, "𝕏" * 50, "\U0001f4a9", "ｋａｔｋｏ", "planned", "unplanned", "ongoing", "ended",
    "cancelled", "rakennuslupa", "asiointi", "maksut", "kirjasto", "tunnistus", "fi", "sv", "en", "se",
    # Written as escapes by the YAML dumper: no feed (XML) can carry the first two.
    "a\ufffeb", "\uffff", "\u2066isolate", "\u202doverride\u202c",
]

scalars = st.one_of(
    st.sampled_from(ODD_STRINGS),
    st.text(max_size=40),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30),
    st.sampled_from([0, -1, 1, 2 ** 63, -(2 ** 63), 10 ** 18]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    st.datetimes(),
    st.dates(),
)
#: Times an editor might write, from the plausible to the absurd.
times = st.one_of(
    st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M")),
    st.datetimes(min_value=datetime(1999, 12, 1), max_value=datetime(2101, 2, 1)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M")),
    st.sampled_from(["0001-01-01 00:00", "9999-12-31 23:59", "1999-12-31 23:59", "2100-12-31 23:59",
                     "2101-01-01 00:00", "2026-03-29 03:30", "2026-10-25 03:30", "2026-12-01 12:00",
                     "2026-12-01T12:00+14:00", "2026-12-01T12:00-12:00", "2026-12-01T12:00+25:00",
                     "٢٠٢٦-١٢-٠٥ ٢٢:٠٠", "2026-12-05", "2026-12-05 24:00", "now"]),
)
TIME_KEYS = ("start", "end", "public_from", "time", "remove_by", "actual_start", "actual_end", "removed",
             "carried_over", "back_by", "estimate")

values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=6)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a YAML document (the root too), parents before children."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, prefix + (index,))
    return found


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_document(draw: st.DrawFn, data: Any) -> Any:
    """``data`` (a parsed YAML document) with one to four changes."""
    import copy
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        how = draw(st.sampled_from(["value", "value", "value", "time", "time", "drop", "rename", "swap",
                                    "duplicate-item"]))
        if how == "time":  # most paths are texts: aim at the times, where the length of an outage is
            timed = [p for p in paths if p and p[-1] in TIME_KEYS]
            path = draw(st.sampled_from(timed)) if timed else path
            if timed:
                _get(data, path[:-1])[path[-1]] = draw(times)
                continue
            how = "value"
        if not path:  # the document itself
            if how == "value":
                data = draw(values)
            continue
        parent, last = _get(data, path[:-1]), path[-1]
        if how == "value":
            parent[last] = draw(values)
        elif how == "drop":
            del parent[last]
        elif how == "rename" and isinstance(parent, dict):
            new = draw(st.one_of(st.sampled_from(["title", "end", "start", "services", "status", "updates", "id",
                                                  "kind", "public_from", "urgent", "Title", "end ", "ënd", ""]),
                                 st.text(max_size=10)))
            parent[new] = parent.pop(last)
        elif how == "swap":
            other = draw(st.sampled_from(paths))
            if other and other[:len(path)] != path and path[:len(other)] != other:
                other_parent = _get(data, other[:-1])
                parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
        elif how == "duplicate-item" and isinstance(parent, list):
            parent.append(parent[last])
    return data


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> bytes:
    """The YAML ``text`` with lines repeated or dropped (repeating a key), or bytes changed."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["repeat-line", "drop-line", "insert", "bytes"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if how == "repeat-line" and lines:
            lines.insert(i, lines[i])
        elif how == "drop-line" and lines:
            del lines[i]
        elif how == "insert":
            lines.insert(i, draw(st.sampled_from([
                "&a [*a, *a]", "x: &a [*a]", "kind: !!python/object:os.system ls", "title: !!binary aGk=",
                "<<: {kind: planned}", "? [a, b]\n: c", "%YAML 1.1", "---", "...", "\t- tab", "'unclosed",
                "end: !!timestamp 9999-12-31", "start: !!int abc", "x: !!float x1", "y: !!bool maybe",
                "title: {fi: " + "[" * 200 + "}"])))
    data = "\n".join(lines).encode("utf-8")
    if draw(st.booleans()) and data:
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at + 1:]
    return data


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10 ** 6).encode("utf-8")


@st.composite
def record_sets(draw: st.DrawFn) -> dict[str, bytes]:
    """A records folder: services.yml and one or two example records, at least one of them mutated."""
    chosen = draw(st.lists(st.sampled_from(RECORDS), min_size=1, max_size=2, unique=True))
    files = {"services.yml": (EXAMPLE / "services.yml").read_bytes()}
    files.update({p.name: p.read_bytes() for p in chosen})
    targets = draw(st.lists(st.sampled_from(sorted(files)), min_size=1, max_size=2, unique=True))
    for name in targets:
        text = files[name].decode("utf-8")
        if draw(st.integers(0, 3)) == 0:
            files[name] = draw(mutated_text(text))
        else:
            files[name] = _dump(draw(mutated_document(yaml.safe_load(text))))
    return files


# --------------------------------------------------------------------------- #
# The property
# --------------------------------------------------------------------------- #


def _write(folder: Path, files: dict[str, bytes]) -> Path:
    """A project in ``folder``: the example site's configurations and ``notify.yml`` (unless
    ``files`` has its own), and ``outages/`` with the example usage profiles and ``files``."""
    for name in ("mkdocs.yml", "mkdocs.internal.yml", "notify.yml"):
        if not (folder / name).exists():
            shutil.copy(REPO_ROOT / name, folder / name)
    outages = folder / "outages"
    outages.mkdir()
    shutil.copytree(EXAMPLE / "usage", outages / "usage")
    for name, data in files.items():
        (folder / name if name == "notify.yml" else outages / name).write_bytes(data)
    return outages


def katko_check(outages: Path) -> int:
    """Run ``katko check`` on ``outages`` with the example site's settings; assert it ends as it should."""
    result = CliRunner().invoke(main, ["check", "--lang", "en", "-f", str(outages.parent / "mkdocs.yml"), str(outages)],
                                env={"KATKO_NOW": KATKO_NOW})
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception.with_traceback(result.exc_info[2] if result.exc_info else None)
    assert "Traceback" not in output, output
    assert result.exit_code in (0, 1), output
    if result.exit_code == 1:
        assert LOCATED.search(output), f"exit 1 without a located problem:\n{output}"
    return result.exit_code


def _site_settings(config: Path) -> tuple[Settings, bool]:
    """The settings the plugin makes from ``config``, and whether it is the internal site."""
    options = read_config(config)
    options.pop("records", None)
    site_url = options.pop("site_url").rstrip("/") + "/"
    return SiteConfig.from_options(options).settings(site_url=site_url, now=NOW), bool(options.get("internal"))


def render_site(outages: Path) -> int:
    """Render everything both sites publish from ``outages``, as the plugin does; return the number of files."""
    count = 0
    for config in ("mkdocs.yml", "mkdocs.internal.yml"):
        settings, internal = _site_settings(outages.parent / config)
        dataset, report = records.load([outages], settings)
        assert not report.blocking, [d.message for d in report.blocking]
        channels, problems = notify_config.load(outages.parent / "notify.yml", dataset.services, settings.languages)
        assert not problems
        settings = replace(settings, notify=channels)
        site = Site(dataset, settings, planning.plan(dataset, settings, report) if internal else None)
        renderer = Renderer(site, REPO_ROOT / "overrides" / "katko", REPO_ROOT / "locales")
        for page in site.pages():
            renderer.title(page), renderer.content(page), renderer.chrome(page)
            count += 1
        renderer.not_found()
        if internal:
            renderer.internal_marker()
            continue
        for output in registry.outputs(renderer):
            _well_formed(output.path, output.write())
            count += 1
    return count


def _well_formed(path: str, content: str | bytes) -> None:
    """Feeds, calendars and JSON files parse as what they are."""
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    if path.endswith(".json"):
        json.loads(text)
    elif path.endswith((".xml", ".rss", ".atom")):
        ET.fromstring(text.encode("utf-8"))
    elif path.endswith(".ics"):
        calendar = icalendar.Calendar.from_ical(text)
        assert calendar.walk("VCALENDAR"), path


def check_then_build(files: dict[str, bytes]) -> int:
    with tempfile.TemporaryDirectory(prefix="katko-fuzz-") as folder:
        outages = _write(Path(folder), files)
        code = katko_check(outages)
        if code == 0:
            assert render_site(outages) > 0
        return code


@FUZZ
@given(record_sets())
def test_check_never_crashes_and_what_it_accepts_builds(files: dict[str, bytes]) -> None:
    event(f"katko check exit {check_then_build(files)}")


if "KATKO_FUZZ_SEED" in os.environ:
    test_check_never_crashes_and_what_it_accepts_builds = seed(int(os.environ["KATKO_FUZZ_SEED"]))(
        test_check_never_crashes_and_what_it_accepts_builds)


# --------------------------------------------------------------------------- #
# The crashers found so far, and a real mkdocs build of a few accepted sets
# --------------------------------------------------------------------------- #


def _crasher_files(case: Path) -> dict[str, bytes]:
    """A crasher is a folder (services.yml, records, and notify.yml if not the example's) or
    one record file beside the example services.yml."""
    if case.is_dir():
        files = {p.name: p.read_bytes() for p in sorted(case.iterdir()) if p.is_file()}
        files.setdefault("services.yml", (EXAMPLE / "services.yml").read_bytes())
        return files
    return {"services.yml": (EXAMPLE / "services.yml").read_bytes(), case.name: case.read_bytes()}


CRASHER_CASES = sorted(p for p in CRASHERS.iterdir() if not p.name.startswith(".")) if CRASHERS.is_dir() else []


@pytest.mark.parametrize("case", CRASHER_CASES, ids=[p.name for p in CRASHER_CASES])
def test_crashers(case: Path) -> None:
    """Each input that once crashed check or the build is checked (exit 0 or 1, located) and, if accepted, built."""
    check_then_build(_crasher_files(case))


def test_there_are_crashers_to_check() -> None:
    assert len(CRASHER_CASES) >= 1


@st.composite
def retitled_sets(draw: st.DrawFn) -> dict[str, bytes]:
    """The example records with one record's texts in each language replaced by odd but printable text."""
    record = draw(st.sampled_from(RECORDS))
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Cf", "Zl", "Zp")),
                        min_size=1, max_size=30).filter(lambda s: s.strip() and s == s.strip())
    for path in _paths(data):
        if path and path[-1] in ("fi", "sv", "en") and isinstance(_get(data, path), str) and draw(st.booleans()):
            _get(data, path[:-1])[path[-1]] = draw(st.one_of(printable, st.sampled_from(ODD_STRINGS[12:20])))
    files = {p.name: p.read_bytes() for p in sorted(EXAMPLE.glob("*.yml"))}
    files[record.name] = _dump(data)
    return files


@settings(max_examples=2, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
@given(retitled_sets())
def test_accepted_mutations_build_with_mkdocs(tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]) -> None:
    """``mkdocs build --strict`` (a subprocess, as the publishing workflow runs it) builds
    mutated records that check accepts, not only the in-process renderer."""
    project = site_project(tmp_path_factory.mktemp("fuzz") / "project")
    outages = _write(project, files)
    assume(katko_check(outages) == 0)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=project,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"},
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((project / "site").rglob("index.html"))) > 20
