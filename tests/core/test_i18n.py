"""Interface texts: complete catalogs, loud failures, no silent English."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from katko.core import i18n

from ..conftest import REPO_ROOT

LOCALES = REPO_ROOT / "locales"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_catalog_is_complete(lang: str) -> None:
    assert i18n.untranslated(i18n.read_catalog(LOCALES, lang)) == []


def test_catalogs_hold_every_text_the_code_uses(tmp_path: Path) -> None:
    pot = tmp_path / "katko.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "N_", "-k", "Code:3",
                    "--no-location", "-o", str(pot), "."], cwd=REPO_ROOT, check=True, capture_output=True)
    extracted = {m.id for m in read_po(pot.open("rb")) if m.id}
    assert extracted, "extraction found no texts"
    for lang in ("fi", "sv", "en"):
        catalog = {m.id for m in i18n.read_catalog(LOCALES, lang) if m.id}
        assert extracted - catalog == set(), f"{lang}: run pybabel extract + update (docs/translating.md)"


def test_translations_differ_by_language() -> None:
    texts = {lang: i18n.load(LOCALES, lang).gettext("Service outages") for lang in ("fi", "sv", "en")}
    assert texts == {"fi": "Käyttökatkot", "sv": "Driftavbrott", "en": "Service outages"}


def test_missing_catalog_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(i18n.CatalogError, match="the sv translation catalog is missing"):
        i18n.load(tmp_path, "sv")


def test_broken_catalog_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(LOCALES, tmp_path / "locales")
    po = tmp_path / "locales" / "fi" / "LC_MESSAGES" / "katko.po"
    po.write_text(po.read_text() + '\nmsgid "unterminated\n')
    with pytest.raises(i18n.CatalogError, match="cannot be read"):
        i18n.load(tmp_path / "locales", "fi")


def test_untranslated_text_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(LOCALES, tmp_path / "locales")
    po = tmp_path / "locales" / "sv" / "LC_MESSAGES" / "katko.po"
    po.write_text(po.read_text().replace('msgstr "Driftavbrott"', 'msgstr ""'))
    with pytest.raises(i18n.CatalogError, match="1 texts are not translated: 'Service outages'"):
        i18n.load(tmp_path / "locales", "sv")


def test_a_catalog_is_read_again_only_when_its_file_changes(tmp_path: Path) -> None:
    shutil.copytree(LOCALES, tmp_path / "locales")
    po = tmp_path / "locales" / "sv" / "LC_MESSAGES" / "katko.po"
    first = i18n.load(tmp_path / "locales", "sv")
    assert i18n.load(tmp_path / "locales", "sv") is first  # kept: `mkdocs serve` asks at every rebuild
    po.write_text(po.read_text().replace('msgstr "Driftavbrott"', 'msgstr "Avbrott i tjänsterna"'))
    assert i18n.load(tmp_path / "locales", "sv").gettext("Service outages") == "Avbrott i tjänsterna"
    po.write_text(po.read_text().replace('msgstr "Avbrott i tjänsterna"', 'msgstr ""'))
    with pytest.raises(i18n.CatalogError, match="not translated"):
        i18n.load(tmp_path / "locales", "sv")  # a broken edit is told, not hidden by the kept catalog
