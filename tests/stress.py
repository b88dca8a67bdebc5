"""A "stress" project: records and a services catalogue with extreme content that ``katko check``
still accepts, written as real editors and attackers might, to find what the example's polite
records never show (a long word that runs off a phone's screen, a table that widens a page).

- Finnish and Swedish compound words of 76 and 79 letters without a hyphen or a space;
- a web address of 336 and an e-mail address of 128 characters, in texts and in contact fields;
- long service names, owners, addresses and opening hours in ``services.yml``;
- Markdown with a table of many columns (Markdown without tables shows it as text), long and
  nested list items, code spans and a code block of one long line, headings # to ####, a quote;
- one title at the length limit of a text (:data:`MAX_TEXT` characters), the others long;
- an unplanned outage of every service with :data:`UPDATES` updates;
- one service with :data:`NOTICES` current and upcoming notices, for its page and its banner;
- an ended outage (the archive) with a long evaluation and temporary arrangements.

Every record keeps to the record format and the outage process: the build, ``--strict``, refuses
anything else, and ``tests/test_stress.py`` runs ``katko check`` on them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from katko.records.yamlsource import MAX_TEXT

#: Words that have no place to break but between any two letters.
WORD = {
    "fi": "tietojärjestelmäkokonaisuudenkäyttöoikeudenhallintapalvelinympäristöuudistus",
    "sv": "informationssystemhelhetsåtkomsträttighetshanteringsservermiljöförnyelsearbetet",
    "en": "informationsystemaccessrightsmanagementserverenvironmentmodernisationprogramme",
}
URL = ("https://kayttooikeudenhallintapalvelinymparistouudistus.esimerkkila.example/"
       "tietojarjestelmakokonaisuudenkayttooikeudenhallintapalvelinymparistouudistus/"
       "ohjeet-ja-lomakkeet/hakemukset?palvelu=kayttooikeudet&kieli=fi&versio=2026-12-01T12%3A00%3A00"
       "&paluuosoite=https%3A%2F%2Foma.esimerkkila.example%2Fasiointi%2Fhakemukset%2Fkeskeneraiset")
EMAIL = ("tietojarjestelmakokonaisuudenkayttooikeudenhallinta.neuvonta"
         "@kayttooikeudenhallintapalvelinymparistouudistus.esimerkkila.example")
#: The service of many notices.
CROWDED = "kayttooikeudet-tietojarjestelmakokonaisuudenkayttooikeudenhallintapalvelinymparistouudistus"
#: Services besides the crowded one, each with a long name.
OTHERS = [f"palvelu-{n}" for n in range(1, 9)]
NOTICES = 30
UPDATES = 25
#: The outage of every service, the one whose title is at the length limit, and the ended one.
EVERY = "2026-12-01-every-service"
LONGEST = "2026-12-crowded-03"
ENDED = "2026-11-21-ended"
#: The moment the site is built for (tests/conftest.py's KATKO_NOW).
NOW = datetime.fromisoformat("2026-12-01T12:00:00+02:00")

LANGS = ("fi", "sv")


def _both(fi: str, sv: str) -> dict[str, str]:
    return {"fi": fi, "sv": sv}


def _words(lang: str, n: int) -> str:
    return " ".join([WORD[lang]] * n)


def _time(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M")


def markdown(lang: str) -> str:
    """Markdown of every kind a notice's texts may hold, each with a long word or address."""
    word = WORD[lang]
    columns = 14
    header = "| " + " | ".join(f"{word[:12 + i]} {i}" for i in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join([word] * columns) + " |"
    return f"""# {word}

## {word} {word}

{_words(lang, 3)}: `{word}-{word}` {URL} <{URL}> [{word}]({URL}) <mailto:{EMAIL}>.

### {word}

{header}
{rule}
{row}
{row}

- {_words(lang, 6)} `{word}` {URL}
    - {_words(lang, 4)}
        - {word} `{word}{word}`
            1. {word} <{URL}>
            2. **{word}** *{word}*
- {word}

1. {_words(lang, 2)}
2. {EMAIL}

> {_words(lang, 3)} {URL}

    {URL}{URL}

#### {word}

{"-" * 3}

{word}
"""


def _contacts(lang_names: dict[str, str]) -> list[dict[str, Any]]:
    fi, sv = WORD["fi"], WORD["sv"]
    return [
        {"kind": "phone", "name": _both(f"{fi} {lang_names['fi']}", f"{sv} {lang_names['sv']}"),
         "phone": "09 000 4100", "hours": _both(f"ma–pe klo 9.00–15.00 {fi}", f"må–fre kl. 9.00–15.00 {sv}"),
         "note": _both(_words("fi", 3), _words("sv", 3))},
        {"kind": "email", "name": _both(fi, sv), "email": EMAIL, "note": _both(URL, URL)},
        {"kind": "service_point", "name": _both(fi, sv),
         "address": _both(f"{fi}katu 12 A, 01230 Esimerkkilä", f"{sv}gatan 12 A, 01230 Exempelby"),
         "hours": _both(_words("fi", 2), _words("sv", 2))},
        {"kind": "form", "name": _both(fi, sv), "url": URL},
        {"kind": "chat", "name": _both(fi, sv), "url": URL, "hours": _both(fi, sv)},
    ]


def _service(id: str, n: int) -> dict[str, Any]:
    names = _both(f"{WORD['fi']}palvelu {n} – {WORD['fi']}", f"{WORD['sv']}tjänsten {n} – {WORD['sv']}")
    return {
        "id": id, "name": names, "url": URL, "owner": f"{WORD['fi']}yksikkö, {EMAIL}",
        "max_outage": "3d", "contacts": _contacts(names),
        "alternatives": {lang: markdown(lang) for lang in LANGS},
    }


def catalogue(example: Path) -> dict[str, Any]:
    """The example's catalogue, its authority named at length, and the stress services added."""
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    authority = data["authority"]
    authority["name"] = _both(f"{WORD['fi']}kuntayhtymä", f"{WORD['sv']}samkommunen")
    for contact in authority["crisis"]["contacts"]:
        if contact["kind"] == "email":
            contact["email"] = EMAIL
    authority["accessibility"]["feedback_email"] = EMAIL
    authority["accessibility"]["known_issues"] = {lang: markdown(lang) for lang in LANGS}
    data["services"] = [_service(CROWDED, 0)] + [_service(id, n) for n, id in enumerate(OTHERS, 1)]
    return data


def _texts(title: dict[str, str]) -> dict[str, Any]:
    return {
        "title": title,
        "summary": _both(f"{_words('fi', 4)} {URL} {EMAIL}", f"{_words('sv', 4)} {URL} {EMAIL}"),
        "details": {lang: markdown(lang) for lang in LANGS},
        "still_works": {lang: markdown(lang) for lang in LANGS},
        "alternatives": {lang: markdown(lang) for lang in LANGS},
        "unsaved_work": _both(_words("fi", 5), _words("sv", 5)),
        "stakeholders": [_both(_words("fi", 2), _words("sv", 2)), _both(URL, URL), _both(EMAIL, EMAIL)],
    }


def _internal(**more: Any) -> dict[str, Any]:
    fi = WORD["fi"]
    return {
        "risks": [{"risk": _words("fi", 3), "handling": f"{fi} {URL}"}, f"{fi} {EMAIL}"],
        "authority_impact": _words("fi", 4),
        "contacts": [f"{fi}: {EMAIL}", URL],
        "notes": f"{_words('fi', 3)} {URL}",
        "affected_users": 1_000_000,
        **more,
    }


def _title(n: int) -> dict[str, str]:
    return _both(f"{WORD['fi']} {n}: {_words('fi', 2)} {URL}", f"{WORD['sv']} {n}: {_words('sv', 2)} {URL}")


def _longest_title() -> dict[str, str]:
    """A title of exactly MAX_TEXT characters in each language."""
    return {lang: (_words(lang, MAX_TEXT // len(WORD[lang])) + " " + WORD[lang])[:MAX_TEXT - 1].rstrip() + "x"
            for lang in LANGS}


def records() -> dict[str, dict[str, Any]]:
    """Every stress record, by id."""
    found: dict[str, dict[str, Any]] = {}
    # The crowded service's notices: two under way, the rest to come, one a day.
    for n in range(NOTICES):
        start = NOW - timedelta(hours=2) if n < 2 else (NOW + timedelta(days=n + 8)).replace(hour=22, minute=0)
        found[f"2026-12-crowded-{n + 1:02d}"] = {
            "kind": "planned", "services": [CROWDED], "impact": ["unavailable", "partial", "slow", "read_only"][n % 4],
            "start": _time(start), "end": _time(start + timedelta(hours=4)),
            "public_from": _time(NOW - timedelta(days=40)),
            **_texts(_longest_title() if f"2026-12-crowded-{n + 1:02d}" == LONGEST else _title(n + 1)),
            "internal": _internal(),
        }
    # Every service at once, with a long timeline.
    start = NOW - timedelta(hours=6)
    updates = [{"time": _time(start + timedelta(minutes=5 + 10 * i)),
                "status": ["investigating", "identified", "monitoring"][min(i // 9, 2)],
                "text": {lang: f"{_words(lang, 2)} `{WORD[lang]}` {URL}" if i % 5 else markdown(lang)
                         for lang in LANGS}}
               for i in range(UPDATES)]
    found[EVERY] = {
        "kind": "unplanned", "services": [CROWDED, *OTHERS], "impact": "partial",
        "start": _time(start), "end": _time(NOW + timedelta(hours=6)), "public_from": updates[0]["time"],
        **_texts(_title(0)), "updates": updates, "internal": _internal(),
    }
    # An ended one, evaluated: the archive and the staff site's report.
    start = NOW - timedelta(days=10)
    end = start + timedelta(hours=3)
    found[ENDED] = {
        "kind": "planned", "services": OTHERS[:3], "impact": "unavailable",
        "start": _time(start), "end": _time(end), "public_from": _time(start - timedelta(days=40)),
        **_texts(_title(99)),
        "updates": [{"time": _time(end), "status": "ended", "text": {lang: markdown(lang) for lang in LANGS}}],
        "internal": _internal(
            arrangements=[{"what": f"{WORD['fi']} {URL}", "owner": EMAIL, "remove_by": _time(end + timedelta(days=1)),
                           "removed": _time(end + timedelta(days=1)), "collects_data": True,
                           "carried_over": _time(end + timedelta(days=1))}],
            evaluation={"actual_start": _time(start), "actual_end": _time(end), "went_well": _words("fi", 3),
                        "problems": f"{WORD['fi']} {URL}", "improvements": f"{WORD['fi']} {EMAIL}",
                        "reached_people": _words("fi", 2)}),
    }
    return found


def _pages() -> list[tuple[str, str | None, str]]:
    """(site, language of the page, path): every kind of page that shows records' texts."""
    pages = [("public", None, "/"), ("public", None, "/404.html"), ("public", "fi", f"/shutter/{CROWDED}/")]
    for lang in LANGS:
        pages += [("public", lang, f"/{lang}/{path}") for path in (
            "", f"services/{CROWDED}/", f"outages/{EVERY}/", f"outages/{LONGEST}/", f"outages/{ENDED}/",
            "archive/", "archive/2026/", "subscribe/", "embed/", "accessibility/")]
        pages.append(("public", lang, f"{IFRAME}{lang}/"))
        pages += [("internal", lang, f"/{lang}/internal/{path}") for path in (
            "", "report/", f"outages/{EVERY}/", f"outages/{ENDED}/")]
    return pages


#: The iframe pages of the crowded service: a list of notices inside another page.
IFRAME = f"/embed/{CROWDED}/"
PAGES = _pages()


def page_file(site: Path, path: str) -> Path:
    """The file of the page at ``path`` in the built ``site``."""
    return site / (path.strip("/") + ("/index.html" if path.endswith("/") else "")).lstrip("/")


def write(folder: Path, example: Path) -> Path:
    """Write the stress catalogue and records into ``folder`` (a project's ``outages/``)."""
    folder.mkdir(parents=True, exist_ok=True)
    dump = dict(allow_unicode=True, sort_keys=False, width=10_000)
    (folder / "services.yml").write_text(yaml.safe_dump(catalogue(example / "services.yml"), **dump),
                                         encoding="utf-8")
    for id, record in records().items():
        (folder / f"{id}.yml").write_text(yaml.safe_dump(record, **dump), encoding="utf-8")
    return folder
