"""`katko init`: a new authority's site that builds at once, and passes every check once its
placeholders are replaced (tests/test_release.py installs one from Katko's wheel)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from katko.authoring import scaffold
from katko.cli import main
from katko.core.times import HELSINKI, parse_time

from ..conftest import REPO_ROOT
from ..test_release import fill_placeholders

KATKO = str(Path(sys.executable).with_name("katko"))
#: Where the sites made here say they install Katko from (nothing is installed from it here).
WHEEL = "https://git.katko.example/katko/releases/download/v0.1.0/katko-0.1.0-py3-none-any.whl"


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # The real time, as on an authority's machine: no KATKO_NOW.
    environ = {k: v for k, v in os.environ.items() if k != "KATKO_NOW"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True,
                          env={**environ, "NO_MKDOCS_2_WARNING": "1", **env})


def example(site: Path) -> Path:
    (record,) = [p for p in (site / "outages").glob("*.yml") if p.name != "services.yml"]
    return record


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site made by `katko init` in a folder outside Katko's repository, and built there."""
    work = tmp_path_factory.mktemp("init")
    made = run([KATKO, "init", "--name", "Testilän kunta", "--katko-from", WHEEL, "newsite"], cwd=work)
    assert made.returncode == 0, made.stdout + made.stderr
    site = work / "newsite"
    fill_placeholders(site)
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site)
    assert built.returncode == 0, built.stdout + built.stderr
    return site


def test_new_site_passes_every_check(new_site: Path) -> None:
    result = run([KATKO, "check", "--strict", "outages"], cwd=new_site)
    assert result.returncode == 0, result.stdout + result.stderr
    # In the site's first language, Finnish.
    assert "Tarkistettiin 1 katkotiedote: 0 virhettä, 0 varoitusta" in result.stdout


def test_a_fresh_site_fails_its_check_until_the_placeholders_are_replaced(tmp_path: Path) -> None:
    made = run([KATKO, "init", "--katko-from", WHEEL, "site"], cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    site = tmp_path / "site"
    fresh = run([KATKO, "check", "--lang", "en", "outages"], cwd=site)
    assert fresh.returncode == 1
    found = set(re.findall(r"^([\w./-]+):\d+:\d+: error (K24\d)", fresh.stdout, re.M))
    assert found == {("outages/services.yml", "K240"), ("outages/services.yml", "K241"),
                     ("outages/services.yml", "K242"), ("mkdocs.yml", "K240"), ("mkdocs.yml", "K241"),
                     ("mkdocs.internal.yml", "K240"), ("mkdocs.internal.yml", "K241")}
    assert "'09 000 0000' is the sample phone number that 'katko init' wrote" in fresh.stdout
    # Shown at once, but never published: the publishing workflow builds with --strict.
    assert run([sys.executable, "-m", "mkdocs", "build"], cwd=site).returncode == 0
    strict = run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=site)
    assert strict.returncode == 1 and "K241" in strict.stderr
    fill_placeholders(site)
    assert run([KATKO, "check", "--strict", "outages"], cwd=site).returncode == 0


def test_a_swedish_first_site(tmp_path: Path) -> None:
    made = run([KATKO, "init", "--lang", "sv", "--katko-from", WHEEL, "site"], cwd=tmp_path)
    assert made.returncode == 0 and "En Katko-webbplats skapades i mappen site" in made.stdout, made.stdout
    site = tmp_path / "site"
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["language"] == "sv" and config["site_name"] == "Myndigheten"
    assert config["plugins"][1]["katko"]["languages"] == ["sv", "fi", "en"]
    assert "# TODO: tjänstens adress" in (site / "outages" / "services.yml").read_text(encoding="utf-8")
    checklist = (site / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "- [ ] **D4 Tidigare avbrott.** Jag utgick från ett tidigare meddelande" in checklist
    assert "## Så publiceras meddelanden" in (site / "README.md").read_text(encoding="utf-8")
    assert "fel K241" in run([KATKO, "check", "outages"], cwd=site).stdout


def test_katkos_own_checklist_is_the_english_one_init_writes() -> None:
    rendered = scaffold.environment("en").get_template("pull_request_template.md").render()
    assert (REPO_ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8") == rendered


def test_a_checkout_names_no_source_it_cannot_vouch_for(tmp_path: Path) -> None:
    """Katko run from a checkout is no release: the new site would install Katko from nowhere."""
    assert not scaffold.RELEASE.exists()
    result = CliRunner().invoke(main, ["init", str(tmp_path / "site")])
    assert result.exit_code == 2 and "--katko-from" in result.output and "Traceback" not in result.output
    wheel = tmp_path / "katko-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"")
    assert CliRunner().invoke(main, ["init", "--katko-from", str(wheel), str(tmp_path / "site")]).exit_code == 0
    assert (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8").endswith(
        f"katko @ {wheel.as_uri()}\n")


def test_new_site_builds_every_language(new_site: Path) -> None:
    notice = example(new_site).stem
    for lang in ("fi", "sv", "en"):
        assert (new_site / "site" / lang / "index.html").is_file()
        page = new_site / "site" / lang / "outages" / notice / "index.html"
        assert page.is_file(), f"no notice page {page}"
    home = (new_site / "site" / "fi" / "index.html").read_text(encoding="utf-8")
    assert "Sähköinen asiointi ei ole käytössä lauantaiyönä" in home


def test_new_site_has_an_internal_staff_site(new_site: Path) -> None:
    notice = example(new_site).stem
    built = run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.internal.yml"], cwd=new_site)
    assert built.returncode == 0, built.stdout + built.stderr
    for lang in ("fi", "sv", "en"):
        assert (new_site / "site-internal" / lang / "internal" / "index.html").is_file()
        assert (new_site / "site-internal" / lang / "internal" / "outages" / notice / "index.html").is_file()
    assert not (new_site / "site" / "fi" / "internal").exists()


def test_new_site_is_independent_of_katko_repository(new_site: Path) -> None:
    assert not new_site.resolve().is_relative_to(REPO_ROOT)
    for path in new_site.rglob("*"):
        if path.is_file() and path.relative_to(new_site).parts[0] not in ("site", "site-internal"):
            assert str(REPO_ROOT) not in path.read_text(encoding="utf-8"), path
    for name in ("overrides/katko/outage.html", "locales/sv/LC_MESSAGES/katko.po", "locales/katko.pot",
                 ".github/workflows/pull-request.yml", ".github/workflows/publish.yml",
                 ".github/pull_request_template.md", ".pre-commit-config.yaml",
                 "schema/outage.schema.json", "schema/services.schema.json", "README.md", "requirements.txt"):
        assert (new_site / name).is_file(), name
    assert "/site/" in (new_site / ".gitignore").read_text(encoding="utf-8").split()
    assert yaml.safe_load((new_site / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == "Testilän kunta"


def test_schema_files_are_katkos_own(new_site: Path) -> None:
    for name in scaffold.schemas():
        assert (new_site / "schema" / name).read_bytes() == (REPO_ROOT / "schema" / name).read_bytes()


def test_example_is_a_complete_saturday_night_notice(tmp_path: Path) -> None:
    now = datetime(2026, 11, 27, 18, 5, 42, tzinfo=timezone.utc)
    scaffold.create(tmp_path, now, katko_from=WHEEL)
    record = yaml.safe_load(example(tmp_path).read_text(encoding="utf-8"))
    start, end = parse_time(record["start"]), parse_time(record["end"])
    local = start.astimezone(HELSINKI)
    assert (local.weekday(), local.hour, local.minute) == (5, 22, 0)
    assert timedelta(days=30) <= start - now < timedelta(days=37)
    assert end - start == timedelta(hours=4)
    assert record["public_from"] == "2026-11-27 20:05"
    assert record["kind"] == "planned"
    for field in ("title", "summary", "details", "alternatives"):
        assert set(record[field]) == {"fi", "sv", "en"}, field
    assert record["stakeholders"]
    assert {"risks", "authority_impact", "affected_users"} <= set(record["internal"])


def test_public_from_when_the_clock_goes_back() -> None:
    # 3.30 happens twice on 25 October 2026; the first time is summer time (+03:00).
    first = datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)
    assert scaffold.Example.for_moment(first).public_from == "2026-10-25 03:30+03:00"
    assert parse_time(scaffold.Example.for_moment(first).public_from) == first


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not empty" in result.output and "--force" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "mkdocs.yml").exists()

    forced = CliRunner().invoke(main, ["init", "--force", "--katko-from", WHEEL, str(tmp_path)])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "mkdocs.yml").is_file() and (tmp_path / "notes.txt").read_text() == "mine"


def test_refuses_an_address_that_is_not_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", "--url", "katkot.example.fi", str(tmp_path / "site")])
    assert result.exit_code == 2 and "https://" in result.output


def test_a_wheel_carries_what_init_copies(tmp_path: Path) -> None:
    """The build hook of setup.py puts the files init copies into the package."""
    pytest.importorskip("setuptools")
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.mo")
    source.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md", ".pre-commit-config.yaml"):
        shutil.copy(REPO_ROOT / name, source / name)
    for name in ("plugins", "overrides", "locales", ".github", "docs"):
        shutil.copytree(REPO_ROOT / name, source / name, ignore=ignore)
    lib = tmp_path / "lib"
    built = run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(lib)], cwd=source)
    assert built.returncode == 0, built.stdout + built.stderr
    packaged = lib / "katko" / "project_files"
    assert {str(p) for p in scaffold.shipped(packaged)} == {str(p) for p in scaffold.shipped(REPO_ROOT)}
    # Katko from the built package, not from this checkout, creates a site that checks clean.
    made = run([sys.executable, "-c", "import katko.core.shipped as s; assert s.project_files() == s.PACKAGED;"
                " from katko.cli import main; main()", "init", "--katko-from", WHEEL, "site"], cwd=tmp_path,
               PYTHONPATH=str(lib))
    assert made.returncode == 0, made.stdout + made.stderr
    fill_placeholders(tmp_path / "site")
    checked = run([sys.executable, "-c", "from katko.cli import main; main()", "check", "outages"],
                  cwd=tmp_path / "site", PYTHONPATH=str(lib))
    assert "0 virhettä, 0 varoitusta" in checked.stdout, checked.stdout + checked.stderr
