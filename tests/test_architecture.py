"""The package's layers (README, "Architecture"), kept as they are drawn.

``lint-imports`` checks the contracts of ``[tool.importlinter]`` in pyproject.toml:
a module imports only from its own layer and those below it, and only
``katko.plugin`` imports MkDocs. A function-level import is a way round those
rules, so each one says why it is there (start-up time, never a circle).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from katko.outputs import registry

from .conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "plugins" / "katko"


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    result = subprocess.run([str(lint), "--no-cache"], cwd=REPO_ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _function_imports(path: Path) -> list[tuple[int, str]]:
    """The imports inside functions of the module at ``path``: (line, the line's text)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    found.append((inner.lineno, lines[inner.lineno - 1]))
    return found


def test_every_function_level_import_says_why() -> None:
    # cli.py's commands import what each needs, as its note on top says (start-up time).
    unexplained = [f"{path.relative_to(REPO_ROOT)}:{line}: {text.strip()}"
                   for path in sorted(PACKAGE.rglob("*.py")) if path.name != "cli.py"
                   for line, text in _function_imports(path) if "#" not in text]
    assert unexplained == []


def test_the_check_finds_a_function_level_import_without_a_reason(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    import json\n    import csv  # here: start-up time\n", encoding="utf-8")
    assert [text for _, text in _function_imports(module) if "#" not in text] == ["    import json"]


def test_every_output_module_is_in_the_registry() -> None:
    modules = {path.stem for path in (PACKAGE / "outputs").glob("*.py")} - {"__init__", "base", "registry"}
    assert {make.__module__.rpartition(".")[2] for make in registry.MAKERS} == modules
