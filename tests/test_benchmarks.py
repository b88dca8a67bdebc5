"""The benchmarks' generated records stay what the benchmarks say they are: records that
``katko check --strict`` accepts as they are, so that a new rule that the generator's records
break shows up here and not first in a benchmark run (which stops on the first problem)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from .conftest import KATKO_NOW, REPO_ROOT


def _generate_module():
    spec = importlib.util.spec_from_file_location("katko_benchmark_generate", REPO_ROOT / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_generated_records_pass_a_strict_check(tmp_path: Path) -> None:
    generate = _generate_module()
    generate.generate(300, tmp_path / "project", now=KATKO_NOW)
    records = sorted((tmp_path / "project" / "outages").glob("*.yml"))
    assert len(records) == 301  # and services.yml
    result = subprocess.run([sys.executable, "-m", "katko", "check", "--strict", "--lang", "en",
                             str(tmp_path / "project" / "outages")], capture_output=True, text=True,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "300 outage records checked: 0 errors, 0 warnings" in result.stdout + result.stderr
