"""The site's configuration, mkdocs.yml, as `katko check` reads it: every mistake in its shape
(K401–K407) is told where it is written, with its code, in the editor's language, and no traceback.
The build's side is in tests/test_plugin.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from katko.cli import main
from katko.config import unknown_option
from katko.records import codes, messages

from .conftest import KATKO_NOW

#: mkdocs.yml (and the files beside it), the code, the file and line:column of the mistake.
CASES = {
    "a list": ({"mkdocs.yml": "- site_name: Katkot\n- plugins: [katko]\n"}, "K401", "mkdocs.yml", "1:1"),
    "a scalar": ({"mkdocs.yml": "# the site\nKatkot\n"}, "K401", "mkdocs.yml", "2:1"),
    "inherits itself": ({"mkdocs.yml": "site_name: Katkot\nINHERIT: mkdocs.yml\n"}, "K402", "mkdocs.yml", "2:10"),
    "a circle of two": ({"mkdocs.yml": "INHERIT: mkdocs.internal.yml\nplugins: [katko]\n",
                         "mkdocs.internal.yml": "INHERIT: mkdocs.yml\n"}, "K402", "mkdocs.internal.yml", "1:10"),
    "a missing parent": ({"mkdocs.yml": "site_name: Katkot\nINHERIT:  base.yml\n"}, "K403", "mkdocs.yml", "2:11"),
    "plugins a text": ({"mkdocs.yml": "site_name: Katkot\nplugins: katko\n"}, "K404", "mkdocs.yml", "2:10"),
    "plugins a number": ({"mkdocs.yml": "plugins: 3\n"}, "K404", "mkdocs.yml", "1:10"),
    "no katko": ({"mkdocs.yml": "site_name: Katkot\nplugins:\n  - search\n"}, "K405", "mkdocs.yml", "2:1"),
    "no plugins": ({"mkdocs.yml": "site_name: Katkot\n"}, "K405", "mkdocs.yml", "1:1"),
    "a typo": ({"mkdocs.yml": "plugins:\n  - search\n  - katko:\n      recrods: outages\n"}, "K406", "mkdocs.yml",
               "4:7"),
    "a typo in a mapping": ({"mkdocs.yml": "plugins:\n  search: {}\n  katko:\n    languges: [fi, sv]\n"}, "K406",
                            "mkdocs.yml", "4:5"),
    "a typo inherited": ({"mkdocs.yml": "INHERIT: base.yml\nsite_name: Katkot\n",
                          "base.yml": "plugins:\n  - katko:\n      recent_day: 3\n"}, "K406", "base.yml", "3:7"),
    "options a list": ({"mkdocs.yml": "plugins:\n  - katko: [records]\n"}, "K407", "mkdocs.yml", "2:12"),
    "a bad value": ({"mkdocs.yml": "plugins:\n  - katko:\n      feed_days: -3\n"}, "K407", "mkdocs.yml", "3:18"),
}

WORDS = {"fi": "virhe", "sv": "fel", "en": "error"}


def check(tmp_path: Path, files: dict[str, str], lang: str) -> tuple[int, str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "outages").mkdir()
    result = CliRunner().invoke(main, ["check", "--lang", lang, str(tmp_path / "outages")],
                                env={"KATKO_NOW": KATKO_NOW})
    return result.exit_code, result.output


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mistake_in_mkdocs_yml_is_told_where_it_is_in_the_editors_language(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, lang: str) -> None:
    files, code, file, place = CASES[case]
    monkeypatch.chdir(tmp_path)
    status, output = check(tmp_path, files, lang)
    assert status == 1 and "Traceback" not in output, output
    first, hint = output.splitlines()[:2]
    assert first.startswith(f"{file}:{place}: {WORDS[lang]} {code}: "), output
    texts = messages.texts(lang)
    assert hint == f"  {texts.gettext('hint')}: " + hint.split(": ", 1)[1]
    if lang != "en":
        # Neither the message nor the hint is left in English.
        english = check_english(tmp_path, files)
        assert first.split(": ", 2)[2] != english[0].split(": ", 2)[2], output
        assert hint.split(": ", 1)[1] != english[1].split(": ", 1)[1], output


def check_english(tmp_path: Path, files: dict[str, str]) -> list[str]:
    result = CliRunner().invoke(main, ["check", "--lang", "en", str(tmp_path / "outages")],
                                env={"KATKO_NOW": KATKO_NOW})
    return result.output.splitlines()


def test_a_misspelt_option_is_told_with_the_option_meant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, output = check(tmp_path, CASES["a typo"][0], "fi")
    assert "tuntematon katko-asetus 'recrods': tarkoititko 'records'?" in output
    assert unknown_option("languges").values["suggestion"] == "languages"
    assert "suggestion" not in unknown_option("colour").values
    assert unknown_option("colour").msgid != unknown_option("languges").msgid


def test_every_site_configuration_code_is_in_this_file() -> None:
    assert {code for _, code, _, _ in CASES.values()} == {c for c in codes.CODES if c.startswith("K4")}
