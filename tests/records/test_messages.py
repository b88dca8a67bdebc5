"""katko check in the editor's language: every code's texts in fi, sv and en, the language chosen
by --lang, the site or the locale, and dates, times and holidays as each language writes them."""

from __future__ import annotations

import ast
import os
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from katko.records import codes, messages, loading as records
from katko.config import guide_address, locale_language, site_config
from katko.core import i18n
from katko.cli import main
from katko.records.diagnostics import Diagnostic, format_github
from katko.records.messages import Phrase, Term
from katko.records.settings import Settings

from ..conftest import REPO_ROOT
from .test_check import EXPECT, FIXTURES, INVALID, NOW, project

LOCALES = REPO_ROOT / "locales"
CATALOGS = {lang: {m.id: m.string for m in i18n.read_catalog(LOCALES, lang) if m.id} for lang in ("fi", "sv", "en")}
KATKO_NOW = "2026-12-01T12:00:00+02:00"


def translated(msgid: str, lang: str) -> bool:
    """Whether ``lang``'s catalog has ``msgid`` with a translation of its own (fi, sv) or at all (en)."""
    string = CATALOGS[lang].get(msgid)
    if not string:
        return False
    # A message that is nothing but its fields ("%(place)s: %(problem)s") reads the same in every language.
    return lang == "en" or string != msgid or not msgid.replace("%(", "").strip("s:) ").isalpha()


def msgids(d: Diagnostic) -> list[str]:
    """The msgids a diagnostic is made of: its message, its hint, and the phrases and terms in its values."""
    found = [d.msgid, *([d.hint] if d.hint else [])]
    pending = [value for _, value in d.params]
    while pending:
        value = pending.pop()
        if isinstance(value, Phrase):
            found.append(value.msgid)
            pending.extend(v for _, v in value.values)
        elif isinstance(value, Term):
            found.append(value.msgid)
        elif isinstance(value, tuple):
            pending.extend(value)
    return found


def fixture_diagnostics(fixture: Path, tmp_path: Path) -> list[Diagnostic]:
    data = fixture.read_bytes()
    code = EXPECT.search(data).group(1)
    if data.startswith(b"# catalogue"):
        outages = project(tmp_path, catalogue=fixture)
    else:
        outages = project(tmp_path)
        shutil.copy(fixture, outages / (fixture.name if code == b"K206" else fixture.name.lower()))
    if fixture.with_suffix(".usage").is_dir():
        shutil.copytree(fixture.with_suffix(".usage"), outages / "usage")
    _, report = records.load([outages], Settings(now=NOW))
    return report.sorted()


# --------------------------------------------------------------------------- #
# Every code speaks Finnish, Swedish and English
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("code", sorted(codes.CODES))
def test_every_code_has_a_hint_in_every_language(code: str, lang: str) -> None:
    assert translated(codes.CODES[code].hint, lang), f"{code}'s hint has no {lang} text in locales/{lang}"


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_every_message_of_a_failing_fixture_has_every_language(fixture: Path, tmp_path: Path) -> None:
    found = fixture_diagnostics(fixture, tmp_path)
    assert found
    for d in found:
        for msgid in msgids(d):
            for lang in ("fi", "sv", "en"):
                assert translated(msgid, lang), f"{d.code}: {msgid!r} has no {lang} text"
        # Shown in each language, every field is filled in.
        for lang in ("fi", "sv", "en"):
            assert "%(" not in messages.texts(lang).message(d)


@pytest.mark.parametrize("fixture", INVALID, ids=[f.stem for f in INVALID])
def test_a_message_starts_in_lower_case_as_in_english(fixture: Path, tmp_path: Path) -> None:
    """A message follows 'virhe K202: ' or a field's name: where the English starts in lower case
    (or with a value), so does each translation, unless with a name written as English writes it
    (YAML, TODO, Markdown)."""
    for d in fixture_diagnostics(fixture, tmp_path):
        for msgid in msgids(d):
            if not (msgid[:1].islower() or msgid.startswith(("%(", "'"))):
                continue
            for lang in ("fi", "sv"):
                first = CATALOGS[lang][msgid].split()[0]
                assert not first[:1].isupper() or first.split("-")[0] in msgid, \
                    f"{d.code}: {lang} starts with '{first}': {CATALOGS[lang][msgid]!r}"


#: One concept, one name: what the catalogs call it, and the names and phrasings they no longer
#: use for it (a reader would take two names for two things).
GLOSSARY = {
    "fi": {"aikaero UTC-aikaan": ["UTC-poikkeama"], "samanpituinen": ["saman pituis"],
           "ei ole sivuston kieli": ["ei ole sivuston kieliä"],
           "jakso (an outage window)": ["samanpituisesta ajasta", "hiljaisempia aikoja", "hiljaisempaa aikaa",
                                       "s aikaa)"]},
    "sv": {"tidsskillnad mot UTC": ["förskjutning"], "lugn (a quiet window)": ["tyst"],
           "den uppskattade sluttiden": ["beräknade sluttid"], "indrag": ["indragning"],
           "nästa steg": ["därefter:"]},
}


@pytest.mark.parametrize("lang", sorted(GLOSSARY))
def test_one_concept_has_one_name(lang: str) -> None:
    found = [f"{avoided!r} (say {term!r}) in {text!r}" for text in CATALOGS[lang].values()
             for term, avoided_names in GLOSSARY[lang].items() for avoided in avoided_names
             if isinstance(text, str) and avoided in text.lower()]
    assert found == [], "\n".join(found)


def test_catalogs_keep_the_fields_of_every_message() -> None:
    # Babel's checker: a translation has the same %(name)s fields as its msgid.
    for lang in ("fi", "sv", "en"):
        with (LOCALES / lang / "LC_MESSAGES" / "katko.po").open("rb") as fh:
            assert list(read_po(fh, locale=lang).check()) == [], lang


MESSAGE_ARGUMENTS = {"problem": 3, "Diagnostic": 5, "TimeError": 0, "error": 1}


def test_messages_are_msgids_not_formatted_text() -> None:
    """A message made with an f-string or % could not be translated: it must be a msgid with its values apart."""
    wrong = []
    for path in sorted((REPO_ROOT / "plugins" / "katko").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            index = MESSAGE_ARGUMENTS.get(name)
            if index is None or len(node.args) <= index:
                continue
            argument = node.args[index]
            if isinstance(argument, ast.JoinedStr) or (isinstance(argument, ast.BinOp) and isinstance(argument.op, ast.Mod)) \
                    or (isinstance(argument, ast.Call) and getattr(argument.func, "attr", None) == "format"):
                wrong.append(f"{path.name}:{node.lineno}")
    assert wrong == [], "write the message as N_('… %(name)s …') with the values as keywords: " + ", ".join(wrong)


# --------------------------------------------------------------------------- #
# katko check in the chosen language
# --------------------------------------------------------------------------- #


def broken(tmp_path: Path) -> Path:
    outages = project(tmp_path)
    shutil.copy(FIXTURES / "invalid" / "K201-end-before-start.yml", outages / "broken.yml")
    return outages


def check(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, ["check", *args], env={"KATKO_NOW": KATKO_NOW, **(env or {})})
    assert result.exit_code == 1, result.output
    return result.output


def test_lang_fi(tmp_path: Path) -> None:
    output = check("--lang", "fi", str(broken(tmp_path)))
    assert "virhe K201: loppu (la 5.12.2026 klo 2.00) ei ole alun (la 5.12.2026 klo 22.00) jälkeen" in output
    assert "  vinkki: Tarkista päivämäärät ja kellonajat: lopun on oltava alun jälkeen." in output
    assert "Tarkistettiin 2 katkotiedotetta: 1 virhe, 0 varoitusta" in output


def test_lang_sv(tmp_path: Path) -> None:
    output = check("--lang", "sv", str(broken(tmp_path)))
    assert "fel K201: slutet (lö 5.12.2026 kl. 2.00) är inte efter början (lö 5.12.2026 kl. 22.00)" in output
    assert "  tips: Kontrollera datum och klockslag: slutet måste vara senare än början." in output
    assert "2 avbrottsmeddelanden kontrollerades: 1 fel, 0 varningar" in output


def test_lang_en(tmp_path: Path) -> None:
    output = check("--lang", "en", str(broken(tmp_path)))
    assert "error K201: the end (Sat 5 December 2026 at 02:00) is not after the start " \
           "(Sat 5 December 2026 at 22:00)" in output
    assert "2 outage records checked: 1 error, 0 warnings" in output


def site(tmp_path: Path, config: str) -> Path:
    outages = broken(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    return outages


def test_the_sites_first_language_is_the_default(tmp_path: Path) -> None:
    outages = site(tmp_path, "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
                             "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
                             "plugins:\n  - search\n  - katko:\n      languages: [sv, fi, en]\n")
    assert "fel K201" in check(str(outages), env={"LANG": "fi_FI.UTF-8"})
    # --lang wins over the site.
    assert "error K201" in check("--lang", "en", str(outages))


def test_the_themes_language_when_the_plugin_names_none(tmp_path: Path) -> None:
    outages = site(tmp_path, "site_name: x\ntheme:\n  name: material\n  language: fi\nplugins: [katko]\n")
    assert "virhe K201" in check(str(outages))


@pytest.mark.parametrize("locale, word", [("fi_FI.UTF-8", "virhe"), ("sv_FI.UTF-8", "fel"), ("C.UTF-8", "error")])
def test_without_a_site_the_locale(tmp_path: Path, locale: str, word: str) -> None:
    outages = broken(tmp_path)
    environ = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": locale}
    assert site_config(outages) is None
    assert f"{word} K201" in check(str(outages), env=environ)


def test_github_annotations_follow_the_site(tmp_path: Path) -> None:
    outages = site(tmp_path, "site_name: x\nplugins:\n  - katko:\n      languages: [sv, fi, en]\n")
    output = check("--format", "github", str(outages))
    assert "::error file=" in output and ",title=K201::slutet (lö 5.12.2026 kl. 2.00)" in output
    assert "%0ATips: Kontrollera datum och klockslag" in output


def test_a_notice_over_christmas_names_the_holidays_in_each_language(tmp_path: Path) -> None:
    outages = project(tmp_path)
    text = (FIXTURES / "valid.yml").read_text(encoding="utf-8")
    (outages / "2026-12-28-lupa.yml").write_text(
        text.replace("2026-12-05 22:00", "2026-12-28 22:00").replace("2026-12-06 02:00", "2026-12-29 02:00")
        .replace("2026-11-20 09:00", "2026-12-21 09:00"), encoding="utf-8")
    _, report = records.load([outages], Settings(now=NOW))
    (notice,) = [d for d in report.errors if d.code == "K210"]
    assert messages.texts("fi").message(notice) == (
        "4 h:n katkosta on ilmoitettava 5 työpäivää etukäteen, nyt ilmoitusaikaa on 2 (välissä pyhäpäivät: "
        "jouluaatto to 24.12.2026, joulupäivä pe 25.12.2026); julkaise tiedote viimeistään ke 16.12.2026")
    assert messages.texts("sv").message(notice) == (
        "ett avbrott på 4 h ska meddelas 5 arbetsdagar i förväg, nu är framförhållningen 2 (helgdagar emellan: "
        "julafton to 24.12.2026, juldagen fr 25.12.2026); publicera meddelandet senast on 16.12.2026")
    assert "(public holidays in between: Christmas Eve Thu 24 December 2026, Christmas Day Fri 25 December " \
           "2026); make it public on Wed 16 December 2026 at the latest" in notice.message


# --------------------------------------------------------------------------- #
# Hints lead to the record guide
# --------------------------------------------------------------------------- #


def test_hints_link_to_the_guide_on_the_internal_site(tmp_path: Path) -> None:
    outages = site(tmp_path, "site_name: x\nplugins:\n  - katko:\n      languages: [fi, sv, en]\n")
    (tmp_path / "mkdocs.internal.yml").write_text("INHERIT: mkdocs.yml\nsite_url: https://intra.testila.example/katkot/\n",
                                                  encoding="utf-8")
    assert "  ohje: https://intra.testila.example/katkot/fi/internal/guide/#k201" in check(str(outages))
    github = check("--format", "github", "--lang", "sv", str(outages))
    assert "%0AAnvisning: https://intra.testila.example/katkot/sv/internal/guide/#k201" in github


def test_guide_url_in_the_site_config_wins(tmp_path: Path) -> None:
    outages = site(tmp_path, "site_name: x\nplugins:\n  - katko:\n      languages: [sv, fi]\n"
                             "      guide_url: https://ohje.testila.example/{lang}/\n")
    assert "  anvisning: https://ohje.testila.example/sv/#k201" in check(str(outages))


def test_a_strict_build_accepts_guide_url(tmp_path: Path) -> None:
    import subprocess
    import sys

    for name in ("outages", "locales", "overrides", "docs"):
        shutil.copytree(REPO_ROOT / name, tmp_path / name)
    config = (REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(config.replace("      search_days: 365\n", "      search_days: 365\n"
                                                        "      guide_url: https://ohje.testila.example/{lang}/\n"),
                                         encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=tmp_path, capture_output=True,
                           text=True, env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"})
    assert built.returncode == 0, built.stderr
    assert guide_address(tmp_path / "mkdocs.yml", "fi") == "https://ohje.testila.example/fi/"


def build_with_a_problem(tmp_path: Path, languages: str) -> str:
    """The log of a build of the example site with ``languages`` and a record whose end is before its start."""
    import subprocess
    import sys

    for name in ("outages", "locales", "overrides", "docs"):
        shutil.copytree(REPO_ROOT / name, tmp_path / name)
    for name in ("mkdocs.yml", "mkdocs.internal.yml"):
        shutil.copy(REPO_ROOT / name, tmp_path / name)
    config = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      languages: [fi, sv, en]\n" in config
    (tmp_path / "mkdocs.yml").write_text(config.replace("      languages: [fi, sv, en]\n",
                                                        f"      languages: {languages}\n"), encoding="utf-8")
    record = (FIXTURES / "invalid" / "K201-end-before-start.yml").read_text(encoding="utf-8")
    (tmp_path / "outages" / "2026-12-05-broken.yml").write_text(
        record.replace("services: [lupa]", "services: [rakennuslupa]"), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")], cwd=tmp_path,
                           capture_output=True, text=True, env={**os.environ, "KATKO_NOW": KATKO_NOW,
                                                                "NO_MKDOCS_2_WARNING": "1", "LANG": "en_GB.UTF-8"})
    assert built.returncode == 1, built.stderr
    assert "Aborted with a BuildError!" in built.stdout + built.stderr  # MkDocs' own words stay its own
    assert "Traceback" not in built.stderr and not (tmp_path / "site").exists()
    return built.stderr


BUILD_LOGS = {
    "[fi, sv, en]": ("virhe K201: loppu (la 5.12.2026 klo 2.00) ei ole alun (la 5.12.2026 klo 22.00) jälkeen",
                     "  vinkki: Tarkista päivämäärät ja kellonajat: lopun on oltava alun jälkeen.",
                     "  ohje: https://intra.esimerkkila.example/katkot/fi/internal/guide/#k201",
                     "katko: katkotiedotteissa on 1 virhe, 0 varoitusta; sivustoa ei rakennettu"),
    "[sv, fi, en]": ("fel K201: slutet (lö 5.12.2026 kl. 2.00) är inte efter början (lö 5.12.2026 kl. 22.00)",
                     "  tips: Kontrollera datum och klockslag: slutet måste vara senare än början.",
                     "  anvisning: https://intra.esimerkkila.example/katkot/sv/internal/guide/#k201",
                     "katko: 1 fel, 0 varningar i avbrottsmeddelandena; webbplatsen byggdes inte"),
    "[en, fi, sv]": ("error K201: the end (Sat 5 December 2026 at 02:00) is not after the start",
                     "  hint: Check the dates and times: the end must be later than the start.",
                     "  guide: https://intra.esimerkkila.example/katkot/en/internal/guide/#k201",
                     "katko: 1 error, 0 warnings in the outage records; nothing was built"),
}


@pytest.mark.parametrize("languages", BUILD_LOGS)
def test_the_build_logs_problems_in_the_sites_first_language(languages: str, tmp_path: Path) -> None:
    """Whatever the locale (en here): the site's first language, as katko check without --lang."""
    problem, hint, guide, closing = BUILD_LOGS[languages]
    log = build_with_a_problem(tmp_path, languages)
    assert f"outages/2026-12-05-broken.yml:6:6: {problem}" in log
    assert hint in log and guide in log and closing in log
    if not languages.startswith("[en"):
        assert "error K201" not in log and "hint:" not in log and "nothing was built" not in log


def test_the_closing_lines_of_a_refused_build_in_each_language() -> None:
    from katko.records.diagnostics import Report, build_refused, settings_refused
    report = Report()
    report.add(Diagnostic("outages/a.yml", 1, 1, "error", "K201", "x"))
    assert build_refused(report, messages.texts("fi")) == \
        "katkotiedotteissa on 1 virhe, 0 varoitusta; sivustoa ei rakennettu"
    assert build_refused(report) == "1 error, 0 warnings in the outage records; nothing was built"
    assert settings_refused(2, "notify.yml", messages.texts("fi")) == \
        "tiedostossa notify.yml on 2 ongelmaa; sivustoa ei rakennettu"
    assert settings_refused(1, "notify.yml", messages.texts("sv")) == \
        "1 problem i notify.yml; webbplatsen byggdes inte"
    assert settings_refused(6, "notify.yml") == "6 problems in notify.yml; nothing was built"


def test_no_guide_line_without_an_address(tmp_path: Path) -> None:
    assert "guide:" not in check("--lang", "en", str(broken(tmp_path)))


def test_github_format_of_a_translated_problem() -> None:
    d = Diagnostic("outages/a.yml", 3, 7, "error", "K201", "the end (%(end)s) is not after the start (%(start)s)",
                   codes.CODES["K201"].hint, (("end", "x"), ("start", "y")))
    assert format_github([d], messages.texts("fi"), "https://g.example/fi/internal/guide/") == (
        "::error file=outages/a.yml,line=3,col=7,title=K201::loppu (x) ei ole alun (y) jälkeen"
        "%0AVinkki: Tarkista päivämäärät ja kellonajat: lopun on oltava alun jälkeen."
        "%0AOhje: https://g.example/fi/internal/guide/#k201")


def test_locale_environment_is_read_in_gettexts_order() -> None:
    assert locale_language({"LC_ALL": "sv_FI.UTF-8", "LANG": "fi_FI.UTF-8"}) == "sv"
    assert locale_language({"LANG": "de_DE.UTF-8"}) is None
    assert locale_language({}) is None
