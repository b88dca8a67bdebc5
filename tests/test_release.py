"""A release of Katko, and a new authority's site that installs it for real.

The release workflow (.github/workflows/release.yml) builds the sdist and the
wheel with `python -m build` and checks them with `twine check`; this test does
the same, then makes a site with `katko init` and runs the site's own workflow
steps (install, check, build) in a clean virtual environment with no package
index: Katko comes from the wheel that requirements.txt names, its
dependencies from a folder of wheels that ./dev prepares (KATKO_WHEELHOUSE).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
import yaml

from katko import __version__

from .conftest import REPO_ROOT

WHEELHOUSE = Path(os.environ.get("KATKO_WHEELHOUSE", REPO_ROOT / ".venv" / "wheelhouse"))
REPOSITORY = "https://git.katko.example/katko"
WORKFLOWS = REPO_ROOT / ".github" / "workflows"


def run(args: list[str] | str, cwd: Path, env: dict[str, str] | None = None,
        check: bool = True) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("KATKO_NOW", "PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, shell=isinstance(args, str),
                            env={**environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})
    if check:
        assert result.returncode == 0, f"{args}:\n{result.stdout}{result.stderr}"
    return result


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and wheel, built from a copy of the repository as the release workflow builds them."""
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.mo", "build", "dist")
    for name in ("setup.py", "pyproject.toml", "README.md", "MANIFEST.in", ".pre-commit-config.yaml"):
        shutil.copy(REPO_ROOT / name, source / name)
    for name in ("plugins", "overrides", "locales", ".github", "docs"):
        shutil.copytree(REPO_ROOT / name, source / name, ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: setuptools and build come from the test environment, not from a package index.
    run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out)], cwd=source,
        env={"KATKO_RELEASE_REPOSITORY": REPOSITORY, "KATKO_RELEASE_TAG": f"v{__version__}"})
    return out


def wheel(dist: Path) -> Path:
    (found,) = dist.glob("katko-*-py3-none-any.whl")
    return found


def test_sdist_and_wheel_pass_twine_check(dist: Path) -> None:
    files = sorted(str(p) for p in dist.iterdir())
    assert [Path(f).name for f in files] == [f"katko-{__version__}-py3-none-any.whl", f"katko-{__version__}.tar.gz"]
    result = run([sys.executable, "-m", "twine", "check", "--strict", *files], cwd=dist)
    assert result.stdout.count("PASSED") == 2


def test_wheel_records_its_release_and_carries_the_guide(dist: Path) -> None:
    with zipfile.ZipFile(wheel(dist)) as archive:
        names = set(archive.namelist())
        assert json.loads(archive.read("katko/release.json")) == {"repository": REPOSITORY, "tag": f"v{__version__}"}
        metadata = archive.read(f"katko-{__version__}.dist-info/METADATA").decode()
    assert {"katko/project_files/docs/records.md", "katko/project_files/docs/records.fi.md",
            "katko/project_files/docs/records.sv.md"} <= names
    # Katko's own release workflow is Katko's, not a new site's.
    assert "katko/project_files/.github/workflows/release.yml" not in names
    assert "License-Expression: EUPL-1.2" in metadata


def step(workflow: str, job: str, name: str) -> str:
    steps = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))["jobs"][job]["steps"]
    (found,) = [s["run"] for s in steps if s.get("name") == name]
    return found


def fill_placeholders(site: Path) -> None:
    """What the authority does first: the real addresses and number, and no TODO marks."""
    for name in ("outages/services.yml", "mkdocs.yml", "mkdocs.internal.yml"):
        path = site / name
        text = path.read_text(encoding="utf-8").replace("viranomainen.example", "testila.example")
        text = re.sub(r"[ \t]*# TODO.*$", "", text.replace("09 000 0000", "09 123 4567"), flags=re.M)
        path.write_text(text, encoding="utf-8")


def test_a_new_site_installs_the_wheel_and_checks_and_builds_offline(dist: Path, tmp_path: Path) -> None:
    if not any(WHEELHOUSE.glob("mkdocs-*.whl")):
        pytest.fail(f"no wheels of Katko's dependencies in {WHEELHOUSE}: ./dev test makes them "
                    "(or set KATKO_WHEELHOUSE)", pytrace=False)
    # The site names the wheel as where Katko comes from (CI has no release address of its own
    # to fetch from), and the workflow's own install step installs it in a virtual environment
    # that has nothing installed, with no package index.
    site = tmp_path / "site"
    run([sys.executable, "-c", "from katko.cli import main; main()", "init", "--name", "Testilän kunta",
         "--katko-from", str(wheel(dist)), str(site)], cwd=tmp_path)
    ci = tmp_path / "venv"
    venv.create(ci, with_pip=True)
    ci_env = {"PATH": f"{ci / 'bin'}{os.pathsep}{os.environ['PATH']}", "PIP_NO_INDEX": "1",
              "PIP_FIND_LINKS": str(WHEELHOUSE), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    install = step("pull-request.yml", "check", "Install Katko")
    assert step("publish.yml", "build", "Install Katko") == install
    run(install, cwd=site, env=ci_env)
    shown = run(["python", "-c", "import katko.core.shipped as s; print(s.project_files())"], cwd=site, env=ci_env).stdout
    assert shown.strip().startswith(str(ci)), shown  # Katko from the wheel, not from this checkout

    # Katko installed from the release's wheel makes sites that install that release.
    run(["katko", "init", "--lang", "sv", "other"], cwd=tmp_path, env=ci_env)
    requirement = (tmp_path / "other" / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1]
    assert requirement == f"katko @ {REPOSITORY}/releases/download/v{__version__}/katko-{__version__}-py3-none-any.whl"
    readme = (tmp_path / "other" / "README.md").read_text(encoding="utf-8")
    assert requirement in readme and f"git+{REPOSITORY}@v{__version__}" in readme  # which source, and the other way

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=site, check=True)
    subprocess.run(["git", "add", "."], cwd=site, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t.example", "commit", "-qm", "init"], cwd=site,
                   check=True)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=site, check=True)
    check = step("pull-request.yml", "check", "Check the outage records")
    git_env = {**ci_env, "BASE": "main"}

    # A fresh site fails its check until every placeholder is replaced.
    fresh = run(check, cwd=site, env=git_env, check=False)
    assert fresh.returncode == 1
    for code in ("K240", "K241", "K242"):
        assert f"title={code}::" in fresh.stdout, code
    assert "::error file=outages/services.yml" in fresh.stdout and "::error file=mkdocs.yml" in fresh.stdout

    fill_placeholders(site)
    passed = run(check, cwd=site, env=git_env)
    assert "::error" not in passed.stdout and "::warning" not in passed.stdout, passed.stdout
    run(step("publish.yml", "build", "Build the site"), cwd=site, env=ci_env)
    assert (site / "site" / "fi" / "index.html").is_file()
    run(step("pull-request.yml", "preview", "Build the site"), cwd=site, env=ci_env)
    assert (site / "site" / "fi" / "index.html").is_file()
    run(step("publish.yml", "internal", "Build the internal site"), cwd=site, env=ci_env)
    assert (site / "internal-site" / "fi" / "internal" / "guide" / "index.html").is_file()
