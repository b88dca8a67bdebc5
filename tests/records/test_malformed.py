"""Malformed input of every kind: `katko check` exits 1 and names the place, never a traceback.

Each case is a file written into the records folder of a small project (or its
services.yml, or its mkdocs.yml), checked by `katko check` in a process of its
own. Every case must give exit status 1, a problem located at FILE:LINE:COLUMN
with its code, and no traceback, within a timeout that only guards against a
hang. The site build refuses the same input and leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import KATKO_NOW, REPO_ROOT
from ..site.test_site import copy_project

FIXTURES = Path(__file__).parents[1] / "fixtures"
VALID = (FIXTURES / "valid.yml").read_text(encoding="utf-8")
SERVICES = (FIXTURES / "services.yml").read_text(encoding="utf-8")
#: Generous: the slowest case takes well under a second on a laptop.
TIMEOUT = 60


def replaced(old: str, new: str, text: str = VALID) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def added(lines: str, text: str = VALID) -> str:
    return text + lines


@dataclass(frozen=True)
class Case:
    """A malformed file: where it goes (``outages/x.yml``, ``outages/services.yml`` or
    ``mkdocs.yml``), its content, and the code expected."""

    where: str
    content: str | bytes
    code: str


def record(content: str | bytes, code: str) -> Case:
    return Case("outages/x.yml", content, code)


def catalogue(content: str | bytes, code: str) -> Case:
    return Case("outages/services.yml", content, code)


def service_url(url: str, code: str) -> Case:
    """services.yml with ``url`` as the first service's address."""
    return catalogue(replaced("url: https://lupa.testikunta.example", f"url: {url}", SERVICES), code)


def feedback_email(address: str, code: str) -> Case:
    """services.yml with ``address`` as the accessibility feedback address (a mailto: link)."""
    return catalogue(replaced("saavutettavuus@testikunta.example", address, SERVICES), code)


def config(options: str, code: str = "K407") -> Case:
    return Case("mkdocs.yml", "site_name: x\nsite_url: https://x.example/\nplugins:\n  - search\n  - katko:\n"
                + options, code)


def _laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _nested_flow(depth: int) -> str:
    return added(f"  notes: {'[' * depth}x{']' * depth}\n")


def _nested_block(depth: int) -> str:
    return added("".join("  " * (i + 1) + f"k{i}:\n" for i in range(depth)) + "  " * (depth + 1) + "v\n",
                 VALID.replace("internal:\n", "internal:\n  notes: x\nextra:\n", 1))


CASES: dict[str, Case] = {
    # --- YAML structure ------------------------------------------------------------------------
    "alias-bomb": record(_laughs(), "K008"),
    "recursive-alias": record("kind: &a [*a]\n", "K008"),
    "merge-key": record(added("base: &b {fi: x, sv: y}\nother:\n  <<: *b\n"), "K008"),
    "alias-only": record(replaced("title:\n", "title: &t\n") + "details: *t\n", "K008"),
    "tag-int": record(added("id: !!int abc\n"), "K009"),
    "tag-float": record(added("id: !!float x1\n"), "K009"),
    "tag-bool": record(added("id: !!bool maybe\n"), "K009"),
    "tag-python": record(added("id: !!python/object/apply:os.system ['true']\n"), "K009"),
    "tag-local": record(replaced("kind: planned", "kind: !planned planned"), "K009"),
    "tag-directive": record("%TAG !e! tag:example.org,2026:\n---\n" + replaced("kind: planned", "kind: !e!x planned"),
                            "K009"),
    "tag-on-mapping": record(replaced("title:\n", "title: !!map\n"), "K009"),
    "deep-flow": record(_nested_flow(40), "K010"),
    "deep-block": record(_nested_block(25), "K010"),
    "long-text": record(replaced("fi: Palvelinvaihto.", "fi: " + "Palvelinvaihto. " * 1500), "K011"),
    "long-list": record(replaced("services: [lupa]", "services: [" + ", ".join(["lupa"] * 1001) + "]"), "K011"),
    "many-keys": record(added("".join(f"k{i}: x\n" for i in range(1001))), "K011"),
    "many-values": record(added("notes:\n" + "".join("  - [" + ", ".join(["1"] * 999) + "]\n"
                                                     for _ in range(60))), "K003"),
    "huge-file": record("notes: '" + "x" * 1_000_001 + "'\n", "K003"),
    "key-list": record(added("? [notes]\n: x\n"), "K012"),
    "key-mapping": record(added("? {a: 1}\n: x\n"), "K012"),
    "key-block": record(added("? |\n  notes\n: x\n"), "K012"),
    "not-utf8": record(VALID.encode("latin-1", "replace").replace(b"Tillst", b"Till\xe5st"), "K001"),
    "utf16": record(VALID.encode("utf-16"), "K001"),
    "nul-byte": record(replaced("Palvelinvaihto.", "Palvelin\0vaihto."), "K114"),
    "raw-escape": record(replaced("Palvelinvaihto.", "Palvelin\x1b[31mvaihto."), "K114"),
    "raw-nel": record(replaced("Palvelinvaihto.", "Palvelin\x85vaihto."), "K114"),
    "raw-del": record(replaced("Palvelinvaihto.", "Palvelin\x7fvaihto."), "K114"),
    "unclosed-quote": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelinvaihto.'), "K004"),
    "unclosed-bracket": record(replaced("services: [lupa]", "services: [lupa"), "K004"),
    "tab-indent": record(replaced("  fi: Palvelinvaihto.", "\tfi: Palvelinvaihto."), "K004"),
    "full-width-colon": record(replaced("impact: unavailable", "impact\uff1a unavailable"), "K004"),
    "no-break-space-after-colon": catalogue(replaced("owner: Tietohallinto", "owner:\u00a0Tietohallinto", SERVICES),
                                            "K004"),
    "two-documents": record(VALID + "---\n" + VALID, "K004"),
    "duplicate-key": record(added("kind: unplanned\n"), "K005"),
    "empty": record("", "K002"),
    "only-comments": record("# nothing here\n\n# at all\n", "K002"),
    "only-null": record("---\n...\n", "K006"),
    "top-level-list": record("- kind: planned\n- kind: unplanned\n", "K006"),
    "top-level-scalar": record("Huoltokatko lauantaina\n", "K006"),
    # --- Types -----------------------------------------------------------------------------------
    "kind-number": record(replaced("kind: planned", "kind: 5"), "K104"),
    "services-text": record(replaced("services: [lupa]", "services: lupa"), "K103"),
    "title-text": record(replaced("title:\n  fi: Lupapalvelu ei ole käytössä\n  sv: Tillståndstjänsten är inte i bruk\n",
                                  "title: Lupapalvelu ei ole käytössä\n"), "K103"),
    # A value of another type is told, not converted: true was 1, and '14' was 14.
    "users-true": record(replaced("affected_users: 40", "affected_users: true"), "K103"),
    "users-quoted": record(replaced("affected_users: 40", "affected_users: '40'"), "K103"),
    "collects-data-quoted-yes": record(added("  arrangements:\n    - {what: Puhelin, owner: IT, collects_data: 'yes'}\n"),
                                       "K103"),
    "catalogue-policy-days-true": catalogue(SERVICES.replace("services:", "policy:\n  evaluation_days: true\n"
                                                             "services:", 1), "K103"),
    "catalogue-quiet-share-true": catalogue(SERVICES.replace("services:", "policy:\n  quiet_share: true\nservices:", 1),
                                            "K103"),
    "huge-integer": record(replaced("affected_users: 40", "affected_users: " + "9" * 5000), "K103"),
    "bad-hex": record(replaced("affected_users: 40", "affected_users: 0x_"), "K103"),
    "float-infinity": record(replaced("affected_users: 40", "affected_users: 1e400"), "K103"),
    # --- Times -----------------------------------------------------------------------------------
    "year-1": record(replaced("public_from: 2026-11-20 09:00", 'public_from: "0001-01-01 00:00"'), "K118"),
    "year-9999": record(replaced("end: 2026-12-06 02:00", "end: 9999-12-06 02:00"), "K118"),
    "year-1999": record(replaced("start: 2026-12-05 22:00", "start: 1999-12-31 22:00"), "K118"),
    "offset-25": record(replaced("end: 2026-12-06 02:00", 'end: "2026-12-06T02:00+25:00"'), "K119"),
    "offset-minutes": record(replaced("end: 2026-12-06 02:00", 'end: "2026-12-06T02:00+02:75"'), "K119"),
    # An offset other than Finland's at that moment shows another hour than the one meant.
    "offset-of-summer-in-winter": record(replaced("end: 2026-12-06 02:00", 'end: "2026-12-06T02:00+03:00"'), "K119"),
    "offset-of-another-place": record(replaced("end: 2026-12-06 02:00", 'end: "2026-12-06T02:00+05:30"'), "K119"),
    "offset-of-winter-in-the-spring-gap": record(replaced("public_from: 2026-11-20 09:00",
                                                          'public_from: "2026-03-29T03:30+02:00"'), "K119"),
    "arabic-indic-digits": record(replaced("end: 2026-12-06 02:00", "end: ٢٠٢٦-12-06 02:00"), "K108"),
    "fullwidth-digits": record(replaced("end: 2026-12-06 02:00", "end: ２０２６-１２-０６ ０２:００"), "K108"),
    "timestamp-with-seconds": record(replaced("end: 2026-12-06 02:00", "end: 9999-12-06 02:00:00"), "K118"),
    "time-as-float": record(replaced("end: 2026-12-06 02:00", "end: 1.5e+300"), "K103"),
    "no-such-day": record(replaced("end: 2026-12-06 02:00", "end: 2026-02-30 02:00"), "K108"),
    # --- Texts -----------------------------------------------------------------------------------
    "escaped-esc": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelin\\evaihto."'), "K114"),
    "escaped-vt": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelin\\vvaihto."'), "K114"),
    "escaped-nul": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelin\\0vaihto."'), "K114"),
    "escaped-cr-title": record(replaced("fi: Lupapalvelu ei ole käytössä", 'fi: "Lupapalvelu\\r ei ole käytössä"'),
                               "K114"),
    "escaped-c1": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelin\\x9bvaihto."'), "K114"),
    # U+FFFE and U+FFFF are refused in a file as themselves; written as escapes they broke the feeds (lxml).
    "escaped-noncharacter": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelin\\uFFFEvaihto."'), "K114"),
    "escaped-noncharacter-ffff": record(replaced("fi: Lupapalvelu ei ole käytössä", 'fi: "Lupapalvelu\\uFFFF"'),
                                        "K114"),
    # Bidirectional overrides and isolates turn the text after them around ("Trojan Source").
    "bidi-override": record(replaced("fi: Lupapalvelu ei ole käytössä", "fi: Lupapalvelu \u202eei ole käytössä"),
                            "K114"),
    "bidi-isolate-escaped": record(replaced("fi: Palvelinvaihto.", 'fi: "Palvelin\\u2066vaihto."'), "K114"),
    "bidi-in-a-catalogue-name": catalogue(replaced("fi: Lupapalvelu", "fi: Lupa\u202dpalvelu", SERVICES), "K114"),
    # A byte order mark anywhere but at the start: invisible, inside a text or as a line YAML cannot read.
    "bom-inside-a-title": record(replaced("fi: Lupapalvelu ei ole käytössä", "fi: Lupa\ufeffpalvelu ei ole käytössä"),
                                 "K114"),
    "bom-at-a-line-start": record(replaced("title:\n", "title:\n\ufeff"), "K114"),
    "bom-twice-at-the-start": record("\ufeff\ufeff" + VALID, "K114"),
    "bom-in-a-catalogue-name": catalogue(replaced("fi: Lupapalvelu", "fi: Lupa\ufeffpalvelu", SERVICES), "K114"),
    "zero-width-title": record(replaced("sv: Tillståndstjänsten är inte i bruk", 'sv: "\\u200b"'), "K115"),
    "invisible-mix": record(replaced("sv: Byte av server.", 'sv: "\\u00ad\\u200d\\u2067\\ufeff \\u3164"'), "K115"),
    "spaces-only": record(replaced("sv: Byte av server.", 'sv: "   "'), "K115"),
    "blank-stakeholder": record(replaced("sv: De som ansöker om tillstånd", 'sv: "\\u2060"'), "K115"),
    "block-title": record(replaced("  fi: Lupapalvelu ei ole käytössä",
                                   "  fi: |\n    Lupapalvelu ei ole käytössä"), "K116"),
    "title-line-separator": record(replaced("  fi: Lupapalvelu ei ole käytössä", '  fi: "Lupapalvelu\\Lei ole käytössä"'),
                                   "K116"),
    "name-paragraph-separator": catalogue(replaced("sv: Testkommun", 'sv: "Test\\Pkommun"', SERVICES), "K116"),
    "folded-title-two-lines": record(replaced("  fi: Lupapalvelu ei ole käytössä",
                                              "  fi: >\n    Lupapalvelu\n\n    ei ole käytössä"), "K116"),
    "markdown-brackets": record(added("details:\n  fi: \"" + "[" * 400 + "\"\n  sv: Text.\n"), "K117"),
    "markdown-quotes": record(added("details:\n  fi: \"" + "> " * 30 + "x\"\n  sv: Text.\n"), "K117"),
    "markdown-lines": record(added("details:\n  fi: \"" + "x\\n" * 1500 + "\"\n  sv: Text.\n"), "K117"),
    "markdown-marks": record(added("details:\n  fi: \"" + "*_" * 3000 + "\"\n  sv: Text.\n"), "K117"),
    "markdown-references": record(added("details:\n  fi: \"" + "".join(f"[r{i}]: /{i}\\n" for i in range(300))
                                        + "\"\n  sv: Text.\n"), "K117"),
    # --- Addresses -------------------------------------------------------------------------------
    "url-userinfo": service_url("https://a@lupa.testikunta.example", "K113"),
    "url-ip": service_url("https://127.0.0.1/", "K113"),
    "url-ipv6": service_url("https://[::1]/", "K113"),
    "url-localhost": service_url("https://localhost/", "K113"),
    "url-not-idna": service_url("https://lupä.testikunta.fi/", "K113"),
    "url-empty-host": service_url("https://:443/", "K113"),
    "url-port-zero": service_url("https://lupa.testikunta.example:0/", "K113"),
    "url-port-too-big": service_url("https://lupa.testikunta.example:65536/", "K113"),
    "url-port-letters": service_url("https://lupa.testikunta.example:https/", "K113"),
    "url-space": service_url("https://lupa testikunta.example", "K113"),
    # Copied with the HTML around it: what an address never holds as it is.
    "url-quote-and-tag": service_url("'https://lupa.testikunta.example/\"><script>alert(1)</script>'", "K113"),
    "url-angle-bracket": service_url("https://lupa.testikunta.example/<b>", "K113"),
    "url-backslash": service_url("https://lupa.testikunta.example\\\\evil.example/", "K113"),
    "url-http": service_url("http://lupa.testikunta.example", "K120"),
    "markdown-link-userinfo": record(added("details:\n  fi: \"[Ohje](https://ohje.example@192.0.2.1/)\"\n"
                                           "  sv: Text.\n"), "K113"),
    "markdown-autolink-localhost": record(added("details:\n  fi: \"<https://localhost/ohje>\"\n  sv: Text.\n"), "K113"),
    "markdown-javascript-link": record(added("details:\n  fi: \"[Lomake](javascript:alert(1))\"\n  sv: Text.\n"),
                                       "K120"),
    "url-invalid-punycode": service_url("https://lupa.xn--zz.fi/", "K113"),
    "url-punycode-of-a-symbol": service_url("https://xn--ls8h.testikunta.fi/", "K113"),
    "url-punycode-top-level": service_url("https://lupa.xn--zz/", "K113"),
    # A mailto: link carries what follows the address: more recipients, a subject and a text.
    "email-bcc": feedback_email("saavutettavuus@testikunta.example?bcc=attacker@evil.example", "K121"),
    "email-subject-body": feedback_email("saavutettavuus@testikunta.example?subject=x&body=y", "K121"),
    "email-two-recipients": feedback_email("attacker@evil.example,saavutettavuus@testikunta.example", "K121"),
    "email-encoded-comma": feedback_email("attacker%40evil.example%2Cx@testikunta.example", "K121"),
    "email-fragment": feedback_email("saavutettavuus@testikunta.example#x", "K121"),
    "email-invalid-punycode": feedback_email("saavutettavuus@xn--zz.fi", "K103"),
    "email-empty-label": feedback_email("saavutettavuus@xn--.fi", "K103"),
    "email-label-too-long": feedback_email("s@" + "a" * 64 + ".fi", "K103"),
    "email-name-too-long": feedback_email("s@" + "a." * 127 + "fi", "K103"),
    "email-ip": feedback_email("saavutettavuus@192.0.2.1", "K103"),
    "markdown-mailto-bcc": record(added("details:\n  fi: \"[Kirjoita](mailto:x@testikunta.example?bcc=a@evil.example)\"\n"
                                        "  sv: Text.\n"), "K121"),
    # --- services.yml ----------------------------------------------------------------------------
    "catalogue-alias": catalogue(SERVICES.replace("authority:\n", "authority: &a\n", 1) + "other: *a\n", "K008"),
    "catalogue-blank-name": catalogue(replaced("sv: Testkommun", 'sv: "\\u200b\\u200b"', SERVICES), "K115"),
    "catalogue-name-line-break": catalogue(replaced("sv: Testkommun", 'sv: "Testby\\nkommun"', SERVICES), "K116"),
    "catalogue-empty": catalogue("", "K002"),
    "catalogue-tag": catalogue(replaced("max_outage: 8h", "max_outage: !!float 8", SERVICES), "K009"),
    "catalogue-policy-days": catalogue(SERVICES.replace("services:", "policy:\n  arrangement_days: 1000000000000000\n"
                                                        "services:", 1), "K103"),
    # A notice step after an open one, or after a longer one, would never apply.
    "catalogue-notice-open-step-first": catalogue(SERVICES.replace("services:", "policy:\n  notice:\n"
                                                                   "    - {working_days: 5}\n"
                                                                   "    - {up_to: 4h, working_days: 20}\nservices:", 1),
                                                  "K103"),
    "catalogue-notice-steps-decreasing": catalogue(replaced("    max_outage: 8h\n", "    max_outage: 8h\n    notice:\n"
                                                            "      - {up_to: 12h, working_days: 5}\n"
                                                            "      - {up_to: 4h, working_days: 10}\n"
                                                            "      - {working_days: 20}\n", SERVICES), "K103"),
    "catalogue-not-a-mapping": catalogue("- lupa\n- kirjasto\n", "K006"),
    # An id is a file name in the site (api/v1/services/ID.json): a longer one broke the build.
    "catalogue-id-too-long": catalogue(SERVICES.replace("id: lupa", "id: " + "lupa" * 63, 1), "K112"),
    "record-id-too-long": record(added("id: " + "a" * 101 + "\n"), "K112"),
    # --- Site settings ---------------------------------------------------------------------------
    "recent-days-huge": config("      recent_days: 1000000000000\n"),
    "feed-days-negative": config("      feed_days: -5\n"),
    "search-days-text": config("      search_days: a year\n"),
    # Options of the wrong type were tracebacks or usage errors (exit 2) without a place.
    "languages-number": config("      languages: 5\n"),
    "languages-text": config("      languages: fi\n"),
    "languages-empty": config("      languages: []\n"),
    "languages-unknown": config("      languages: [fi, de]\n"),
    "languages-twice": config("      languages: [fi, fi, sv]\n"),
    "languages-nested": config("      languages: [[fi], sv]\n"),
    "required-not-a-site-language": config("      languages: [fi, sv]\n      required_languages: [fi, sv, en]\n"),
    "required-number": config("      required_languages: 3\n"),
    "records-number": config("      records: 5\n"),
    "records-list": config("      records: [outages]\n"),
    "notify-number": config("      notify: 5\n"),
    "guide-url-number": config("      guide_url: 5\n"),
    "internal-text": config("      internal: 'no'\n"),
    "unknown-option": config("      recent_day: 7\n", "K406"),
    # An mkdocs.yml of the wrong shape was a usage error in English, or a traceback.
    "config-a-list": Case("mkdocs.yml", "- site_name: x\n- plugins: [katko]\n", "K401"),
    "config-inherits-itself": Case("mkdocs.yml", "site_name: x\nINHERIT: ./mkdocs.yml\n", "K402"),
    "config-inherits-nothing": Case("mkdocs.yml", "site_name: x\nINHERIT: base.yml\n", "K403"),
    "config-plugins-number": Case("mkdocs.yml", "site_name: x\nplugins: 3\n", "K404"),
    "config-without-katko": Case("mkdocs.yml", "site_name: x\nplugins: [search]\n", "K405"),
    "config-options-a-list": config("        [fi, sv]\n"),
    # An mkdocs.yml that cannot be read at all was a usage error (exit 2) without a place.
    "config-not-yaml": Case("mkdocs.yml", "site_name: x\nplugins:\n  - katko:\n      languages: [fi, sv\n", "K004"),
    "config-not-utf8": Case("mkdocs.yml", b"site_name: x\nsite_url: https://x.example/\n# \xff\n", "K001"),
}


def project(tmp_path: Path, case: Case) -> Path:
    (tmp_path / "outages").mkdir()
    (tmp_path / "outages" / "services.yml").write_text(SERVICES, encoding="utf-8")
    if case.where != "outages/x.yml":
        (tmp_path / "outages" / "valid.yml").write_text(VALID, encoding="utf-8")
    target = tmp_path / case.where
    if isinstance(case.content, bytes):
        target.write_bytes(case.content)
    else:
        target.write_text(case.content, encoding="utf-8")
    return tmp_path


def katko_check(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from katko.cli import main; main()", "check", "--lang", "en", *args],
                          cwd=folder, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, "KATKO_NOW": KATKO_NOW})


def assert_refused(result: subprocess.CompletedProcess[str], where: str, code: str) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == 1, output
    located = re.search(rf"^{re.escape(where)}:\d+:\d+: error{' ' + code if code else ''}: ", output, re.M)
    assert located, f"no {code or 'setting'} problem at {where}:LINE:COLUMN in:\n{output}"
    assert "  hint: " in output


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 40
    assert len({case.code for case in CASES.values()}) >= 20


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_input_is_refused_at_its_place(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    assert_refused(katko_check(project(tmp_path, case)), case.where, case.code)


# --------------------------------------------------------------------------- #
# Files that are not files
# --------------------------------------------------------------------------- #

SPECIAL: dict[str, Callable[[Path], None]] = {
    "fifo": lambda path: os.mkfifo(path),
    "device": lambda path: path.symlink_to("/dev/zero"),
    "broken-link": lambda path: path.symlink_to(path.parent / "nowhere"),
}


# A named path that does not exist at all is a usage error of the command (exit status 2), not a record's.
@pytest.mark.parametrize("name, named", [(name, named) for name in sorted(SPECIAL) for named in (False, True)
                                         if not (named and name == "broken-link")])
def test_what_is_not_a_regular_file_is_reported_not_read(name: str, named: bool, tmp_path: Path) -> None:
    folder = project(tmp_path, record(VALID, ""))
    (folder / "outages" / "x.yml").unlink()
    SPECIAL[name](folder / "outages" / "x.yml")
    result = katko_check(folder, *(["outages", "outages/x.yml"] if named else []))
    assert_refused(result, "outages/x.yml", "K007")


def test_a_folder_named_like_a_record_is_a_folder(tmp_path: Path) -> None:
    folder = project(tmp_path, record(VALID, ""))
    (folder / "outages" / "x.yml").unlink()
    (folder / "outages" / "x.yml").mkdir()
    (folder / "outages" / "x.yml" / "y.yml").write_text("kind: &a [*a]\n", encoding="utf-8")
    assert_refused(katko_check(folder), "outages/x.yml/y.yml", "K008")


# --------------------------------------------------------------------------- #
# The site build refuses the same, and leaves nothing behind
# --------------------------------------------------------------------------- #

BUILT = ["alias-bomb", "tag-python", "year-9999", "offset-25", "escaped-esc", "zero-width-title", "block-title",
         "markdown-brackets", "url-userinfo", "recent-days-huge", "languages-twice", "escaped-noncharacter"]


def site_project(tmp_path: Path, case: Case) -> Path:
    folder = copy_project(tmp_path)
    if case.where == "mkdocs.yml":
        text = (folder / "mkdocs.yml").read_text(encoding="utf-8")
        name, value = case.content.rsplit("katko:\n", 1)[1].strip().split(": ", 1)  # type: ignore[union-attr]
        text, count = re.subn(rf"^(\s*){name}: .*$", lambda m: f"{m.group(1)}{name}: {value}", text, count=1,
                              flags=re.M)
        assert count == 1
        (folder / "mkdocs.yml").write_text(text, encoding="utf-8")
    elif case.where == "outages/services.yml":
        catalogue_text = (folder / "outages" / "services.yml").read_text(encoding="utf-8")
        (folder / "outages" / "services.yml").write_text(
            replaced("url: https://www.esimerkkila.example", "url: https://a@www.esimerkkila.example", catalogue_text),
            encoding="utf-8")
    else:
        content = case.content
        target = folder / "outages" / "x.yml"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content.replace("services: [lupa]", "services: [rakennuslupa]"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", BUILT)
def test_the_build_refuses_it_and_leaves_the_published_site_as_it_was(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    folder = site_project(tmp_path, case)
    published = folder / "site"
    published.mkdir()
    (published / "index.html").write_text("the site as it was", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(published)], cwd=folder,
                            capture_output=True, text=True, timeout=TIMEOUT * 3,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output, output
    if case.where == "mkdocs.yml":  # where the option is written, in the site's language (fi)
        assert re.search(rf"mkdocs\.yml:\d+:\d+: virhe {case.code}: katko-asetuksen '\w+'", output), output
    else:
        where = "outages/services.yml" if case.where == "outages/services.yml" else "outages/x.yml"
        assert re.search(rf"{re.escape(where)}:\d+:\d+: virhe {case.code}", output), output  # the site is in fi
    assert sorted(p.name for p in tmp_path.joinpath("project").iterdir() if p.name.startswith("site")) == ["site"]
    assert [p.name for p in published.iterdir()] == ["index.html"]
    assert (published / "index.html").read_text(encoding="utf-8") == "the site as it was"


def test_a_site_without_its_address_is_told_so_in_its_language(tmp_path: Path) -> None:
    folder = copy_project(tmp_path)
    config = folder / "mkdocs.yml"
    config.write_text(re.sub(r"^site_url: .*$", "", config.read_text(encoding="utf-8"), count=1, flags=re.M),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder / "site")],
                            cwd=folder, capture_output=True, text=True, timeout=TIMEOUT * 3,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert "anna tiedostossa mkdocs.yml sivuston koko osoite kohtaan site_url" in output, output


def test_a_missing_catalogue_is_not_blamed_on_notify_yml(tmp_path: Path) -> None:
    """notify.yml's services are unknown only to a services.yml that could be read: a missing
    or broken one is reported once, where it is, not as every service notify.yml names."""
    folder = project(tmp_path, catalogue("", "K002"))
    (folder / "notify.yml").write_text("webhooks:\n  - name: it\n    preset: teams\n    url_env: HOOK\n    lang: fi\n"
                                       "    services: [lupa]\n",
                                       encoding="utf-8")
    (folder / "mkdocs.yml").write_text("site_name: x\nsite_url: https://x.example/\nplugins:\n  - katko\n",
                                       encoding="utf-8")
    result = katko_check(folder)
    assert_refused(result, "outages/services.yml", "K002")
    assert "notify.yml" not in result.stdout + result.stderr


def test_the_build_refuses_a_malformed_notify_yml(tmp_path: Path) -> None:
    folder = site_project(tmp_path, record(VALID, ""))
    (folder / "outages" / "x.yml").unlink()
    (folder / "notify.yml").write_text(_laughs(), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(folder / "site")],
                            cwd=folder, capture_output=True, text=True, timeout=TIMEOUT * 3,
                            env={**os.environ, "KATKO_NOW": KATKO_NOW, "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output, output
    assert re.search(r"notify\.yml:1:\d+: virhe K008", output), output  # the site's first language is fi
    assert not any(p.name.startswith("site") for p in folder.iterdir())


# --------------------------------------------------------------------------- #
# Bounded time: a text with hundreds of problems is read once, not once per problem
# --------------------------------------------------------------------------- #


def test_a_text_with_hundreds_of_problems_is_placed_in_one_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """800 weekdays that do not fit their dates (K231) in one text of 10,000 characters took
    16 s to place, each problem counting the text and the file from their start again.
    Each is still placed exactly, from one reading of the text."""
    from katko.records import yamlsource

    text = " ".join(["ma 5.12.2026"] * 800)
    doc, problems = yamlsource.parse(f"details:\n  fi: >-\n    {text}\n", "x.yml")
    assert doc is not None and not problems
    readings: list[tuple[object, ...]] = []
    span = yamlsource.Document._span
    monkeypatch.setattr(yamlsource.Document, "_span", lambda self, path: readings.append(path) or span(self, path))
    value = doc.data["details"]["fi"]
    places = [doc.position_in(("details", "fi"), at) for at in range(0, len(value), len("ma 5.12.2026 "))]
    assert places[0] == (3, 5) and places[1] == (3, 18) and places[-1] == (3, 5 + 13 * 799)
    assert readings == [("details", "fi")]
