"""The editors' workflow files: GitHub Actions, pre-commit and the pull-request template.

GitHub reads these files only when they run there, so a mistake would show up
first in an authority's repository. They are checked against the schemas
GitHub and pre-commit use, offline: check-jsonschema ships GitHub's workflow
schema, and pre-commit validates its own files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO_ROOT

WORKFLOWS = sorted((REPO_ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    return data


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the key 'on' as True.
    return workflow.get("on", workflow.get(True))


def run_steps(workflow: dict) -> list[str]:
    return [step.get("run", "") for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict, job: str) -> list[str]:
    return [step.get("uses", "").split("@")[0] for step in workflow["jobs"][job].get("steps", [])]


def fixed_time(workflow: dict) -> bool:
    """Whether any build is pinned to a moment instead of the real time. Only the
    repository variable may set KATKO_NOW (unset, it is empty: the real time)."""
    envs = [workflow.get("env", {}), *(job.get("env", {}) for job in workflow["jobs"].values()),
            *(step.get("env", {}) for job in workflow["jobs"].values() for step in job.get("steps", []))]
    return any(env.get("KATKO_NOW", "${{ vars.KATKO_NOW }}") != "${{ vars.KATKO_NOW }}" for env in envs) \
        or any("KATKO_NOW" in c for c in run_steps(workflow))


def test_workflows_are_valid() -> None:
    assert len(WORKFLOWS) >= 2
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                             "vendor.github-workflows", *map(str, WORKFLOWS)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("command, path", [("validate-config", ".pre-commit-config.yaml"),
                                           ("validate-manifest", ".pre-commit-hooks.yaml")])
def test_pre_commit_files_are_valid(command: str, path: str) -> None:
    result = subprocess.run([sys.executable, "-m", "pre_commit", command, str(REPO_ROOT / path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pull_requests_are_checked_and_previewed() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "pull-request.yml")
    assert "pull_request" in triggers(workflow)
    commands = run_steps(workflow)
    assert any(c.startswith("katko check --format github --since") for c in commands), commands
    assert any("mkdocs build --strict" in c for c in commands)
    assert "actions/upload-artifact" in uses(workflow, "preview")
    assert not fixed_time(workflow)


def test_main_is_published_every_15_minutes() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "publish.yml")
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert on["schedule"] == [{"cron": "*/15 * * * *"}]
    assert "workflow_dispatch" in on
    assert workflow["concurrency"]["group"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses(workflow, "build")[-1] == "actions/upload-pages-artifact"
    assert "actions/deploy-pages" in uses(workflow, "deploy")
    assert not fixed_time(workflow)


def test_internal_site_is_never_deployed() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "publish.yml")
    # The Pages artifact is built from mkdocs.yml alone.
    build = [s.get("run", "") for s in workflow["jobs"]["build"]["steps"]]
    assert not any("internal" in command for command in build)
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    internal = workflow["jobs"]["internal"]
    assert "permissions" not in internal
    assert "actions/upload-pages-artifact" not in uses(workflow, "internal")
    assert any("-f mkdocs.internal.yml" in s.get("run", "") for s in internal["steps"])


def test_pre_commit_runs_katko_check_on_outages() -> None:
    (hook,) = load(REPO_ROOT / ".pre-commit-config.yaml")["repos"][0]["hooks"]
    assert hook["entry"].startswith("katko check") and hook["files"] == "^outages/"
    assert hook["pass_filenames"] is False
    (manifest,) = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert manifest["id"] == "katko-check" and manifest["entry"] == "katko check"
    assert manifest["language"] == "python"


def test_pull_request_template_covers_every_duty() -> None:
    text = (REPO_ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    items = [line for line in text.splitlines() if line.startswith("- [ ]")]
    for duty in range(1, 11):
        assert sum(f"**D{duty} " in item for item in items) == 1, f"D{duty}"


def test_subscribers_are_notified_after_a_successful_deploy() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "publish.yml")
    build = workflow["jobs"]["build"]["steps"]
    position = {name: next(i for i, s in enumerate(build) if name in s.get("run", "") + s.get("uses", ""))
                for name in ("mkdocs build", "katko notify --save-published", "actions/upload-pages-artifact")}
    # The published notices are read after the build (which knows the address) and before the deployment.
    assert position["mkdocs build"] < position["katko notify --save-published"] \
        < position["actions/upload-pages-artifact"]
    notify = workflow["jobs"]["notify"]
    assert "deploy" in notify["needs"] and "permissions" not in notify
    (send,) = [s for s in notify["steps"] if s.get("run", "").startswith("katko notify ")]
    assert "--published published-api.json" in send["run"] and "--journal" in send["run"]
    assert "--dry-run" not in send["run"]
    # Secrets come from the repository's secrets only.
    assert send["env"] and all(v == f"${{{{ secrets.{k} }}}}" for k, v in send["env"].items())
    assert not fixed_time(workflow)


def test_pull_requests_show_what_katko_notify_would_send() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "pull-request.yml")
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
    (dry,) = [s for s in steps if "katko notify" in s.get("run", "")]
    assert dry["run"].startswith("katko notify --dry-run --published")
    assert "secrets." not in str(dry)  # a dry run needs no secrets
    assert not fixed_time(workflow)


def test_releases_build_check_and_attach_the_sdist_and_wheel() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "release.yml")
    assert triggers(workflow) == {"push": {"tags": ["v*"]}}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write"}
    commands = "\n".join(run_steps(workflow))
    assert "python -m build" in commands and "twine check --strict dist/*" in commands
    assert 'gh release create "$TAG" dist/*' in commands
    # The wheel records the release it is attached to, for the sites katko init makes.
    assert job["env"]["KATKO_RELEASE_REPOSITORY"] == "${{ github.server_url }}/${{ github.repository }}"
    assert job["env"]["KATKO_RELEASE_TAG"] == "${{ github.ref_name }}"
    assert "pypi" not in commands.lower() and "upload" not in commands


def test_the_preview_can_be_read_from_the_disk() -> None:
    workflow = load(REPO_ROOT / ".github" / "workflows" / "pull-request.yml")
    (build,) = [s["run"] for s in workflow["jobs"]["preview"]["steps"] if s.get("name") == "Build the site"]
    assert build == "mkdocs build --strict --no-directory-urls"


def test_new_sites_get_the_sites_workflows_but_not_katkos_release() -> None:
    from katko.authoring import scaffold

    shipped = {p.as_posix() for p in scaffold.shipped(REPO_ROOT)}
    assert {".github/workflows/publish.yml", ".github/workflows/pull-request.yml"} <= shipped
    assert ".github/workflows/release.yml" not in shipped
