"""The MkDocs plugin as a thin adapter: its options are :mod:`katko.config`'s, its settings are the
ones ``katko check`` reads from the same mkdocs.yml, and a mistake there stops the build with a
plain message. Whole builds are tested in tests/site/test_site.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from katko.cli import _site_settings
from katko.config import OPTIONS, SiteConfig
from katko.plugin import KatkoConfig, KatkoPlugin
from .conftest import KATKO_NOW, REPO_ROOT
from .site.test_site import copy_project


def configured(config_file: Path, site_dir: Path) -> tuple[MkDocsConfig, KatkoPlugin]:
    """mkdocs.yml loaded and the plugin's on_config run, as `mkdocs gh-deploy` would (no staging folder)."""
    config = load_config(str(config_file), site_dir=str(site_dir))
    plugin = config.plugins["katko"]
    assert isinstance(plugin, KatkoPlugin)
    plugin.on_startup(command="gh-deploy", dirty=False)
    return plugin.on_config(config), plugin


@pytest.fixture(autouse=True)
def build_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KATKO_NOW", KATKO_NOW)


def test_the_plugin_declares_every_option_with_its_type_and_default() -> None:
    schema = dict(KatkoConfig._schema)
    assert {name: option.default for name, option in schema.items()} == OPTIONS
    assert {name: type(default) for name, default in OPTIONS.items() if default is not None} == {
        "records": str, "locales": str, "languages": list, "required_languages": list, "recent_days": int,
        "feed_days": int, "search_days": int, "notify": str, "internal": bool}
    assert SiteConfig.from_options({}) == SiteConfig()


def test_the_build_and_the_check_read_the_same_settings(tmp_path: Path) -> None:
    config, plugin = configured(REPO_ROOT / "mkdocs.yml", tmp_path / "site")
    assert plugin.site is not None and plugin.renderer is not None
    built = plugin.site.settings
    checked, folder, found = _site_settings(REPO_ROOT / "mkdocs.yml")
    assert found == REPO_ROOT / "mkdocs.yml" and folder.resolve() == REPO_ROOT / "outages"
    for name in ("languages", "required_languages", "recent", "feed_window", "search_window", "now"):
        assert getattr(built, name) == getattr(checked, name), name
    assert built.site_url == config.site_url and built.notify is not None
    assert config.theme["language"] == built.languages[0] == "fi"


def test_the_plugin_hands_mkdocs_a_page_per_notice_page(tmp_path: Path) -> None:
    _, plugin = configured(REPO_ROOT / "mkdocs.yml", tmp_path / "site")
    assert plugin.site is not None
    paths = {page.path + "index.md" for page in plugin.site.pages()}
    assert set(plugin.pages) == paths
    assert {"fi/index.md", "sv/index.md", "en/index.md", "index.md"} <= paths


def test_a_bad_option_stops_the_build_and_names_the_option(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = copy_project(tmp_path)
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    assert "      recent_days: 7\n" in text
    config_file.write_text(text.replace("      recent_days: 7\n", "      recent_days: -1\n"), encoding="utf-8")
    with pytest.raises(PluginError, match="mkdocs.yml on 1 ongelma; sivustoa ei rakennettu"):
        configured(config_file, tmp_path / "site")
    # Where the option is written, in the site's first language (fi), as katko check says it.
    line = text.splitlines().index("      recent_days: 7") + 1
    assert f"mkdocs.yml:{line}:20: virhe K407: katko-asetuksen 'recent_days' on oltava" in caplog.text


@pytest.mark.parametrize("config", ["mkdocs.yml", "mkdocs.internal.yml"])
def test_a_misspelt_option_stops_the_build_with_the_option_meant(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, config: str) -> None:
    """In the public and the internal site's configuration (which repeats the plugins), the option's
    name is shown where it is written, in the site's first language, with the known one it resembles."""
    project = copy_project(tmp_path)
    shutil.copy(REPO_ROOT / "mkdocs.internal.yml", project)
    config_file = project / config
    text = config_file.read_text(encoding="utf-8")
    written = next(line for line in text.splitlines() if line.strip().startswith("recent_days:"))
    config_file.write_text(text.replace(written, written.replace("recent_days", "recent_dayz")), encoding="utf-8")
    with pytest.raises(PluginError, match=f"{config} on 1 ongelma; sivustoa ei rakennettu"):
        configured(config_file, tmp_path / "site")
    line = text.splitlines().index(written) + 1
    column = written.index("recent_days") + 1
    assert (f"{config}:{line}:{column}: virhe K406: tuntematon katko-asetus 'recent_dayz': tarkoititko "
            f"'recent_days'?") in caplog.text


def test_a_site_without_its_address_is_not_built(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config_file = project / "mkdocs.yml"
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text("\n".join(line for line in text.splitlines() if not line.startswith("site_url:")),
                           encoding="utf-8")
    with pytest.raises(PluginError, match="anna tiedostossa mkdocs.yml sivuston koko osoite kohtaan site_url"):
        configured(config_file, tmp_path / "site")


def test_the_preview_lists_the_installed_themes_files_once_and_the_projects_every_time(tmp_path: Path) -> None:
    """Under `mkdocs serve` the names of the installed theme's files are read once per process
    (katko.plugin._ThemeFiles): the files MkDocs copies are the same, and a file added to the
    project's overrides/ between two rebuilds is copied."""
    from mkdocs.structure.files import Files

    from katko.plugin import _ThemeFiles

    project = copy_project(tmp_path)

    def theme_files(listing: _ThemeFiles | None) -> list[str]:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        if listing is not None:
            listing.install(config.theme)
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return [f.src_uri for f in files]

    listing = _ThemeFiles()
    plain = theme_files(None)
    assert len(plain) > 50 and not any(name.startswith(".") or "/." in name for name in plain)
    assert theme_files(listing) == plain
    kept = [Path(folder) for folder, _ in listing._listed]  # Material's and MkDocs' folders, not overrides/
    assert any(folder.parent.name == "material" for folder in kept)
    assert not any(folder.is_relative_to(project) for folder in kept)
    (project / "overrides" / "assets" / "katko" / "added.css").write_text("p{}", encoding="utf-8")
    again = theme_files(listing)
    assert again == theme_files(None) and "assets/katko/added.css" in again and len(again) == len(plain) + 1
