"""The record guide keeps up with the record format and the problem codes, in every language.

The guide is docs/records.md (English), docs/records.fi.md and docs/records.sv.md; each
code's row gives its hint as the catalogs of locales/ translate it, which is what
`katko check` prints, and the internal staff site shows the guide with an anchor per code.
"""

from __future__ import annotations

import re

import pytest
from pydantic import BaseModel

from katko.records import codes, messages
from katko.site import guide
from katko.records.model import (AccessibilityStatement, Arrangement, Authority, Catalogue, Contact, Crisis,
    Evaluation, Internal, NoticeStep, Outage, Policy, Risk, Service, Update)

from .conftest import REPO_ROOT

GUIDES = {lang: (REPO_ROOT / "docs" / name).read_text(encoding="utf-8") for lang, name in guide.FILES.items()}
RECORDS_MD = GUIDES["en"]
MODELS: list[type[BaseModel]] = [Outage, Update, Internal, Catalogue, Authority, AccessibilityStatement, Service,
                                 Contact, Policy, NoticeStep, Crisis, Risk, Arrangement, Evaluation]


@pytest.mark.parametrize("lang", sorted(GUIDES))
@pytest.mark.parametrize("code", sorted(codes.CODES))
def test_every_code_is_documented(code: str, lang: str) -> None:
    c = codes.CODES[code]
    hint = messages.texts(lang).gettext(c.hint)
    assert f"| {c.code} | `{c.name}` | {hint} |" in GUIDES[lang], \
        f"{code}'s row in docs/{guide.FILES[lang]} is missing or stale"


@pytest.mark.parametrize("lang", sorted(GUIDES))
@pytest.mark.parametrize("field", sorted({(m.__name__, f) for m in MODELS for f in m.model_fields}))
def test_every_field_is_documented(field: tuple[str, str], lang: str) -> None:
    assert f"`{field[1]}`" in GUIDES[lang], f"{field[0]}.{field[1]} is missing from docs/{guide.FILES[lang]}"


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_links_within_the_guide_lead_to_its_headings(lang: str) -> None:
    html = guide.to_html(GUIDES[lang])
    ids = set(re.findall(r' id="([^"]+)"', html))
    targets = set(re.findall(r' href="#([^"]+)"', html))
    assert targets and targets <= ids, f"docs/{guide.FILES[lang]}: no heading for {sorted(targets - ids)}"


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_the_translations_have_the_same_sections_examples_and_tables(lang: str) -> None:
    """Each translation follows the English guide: as many headings, code blocks and table rows."""
    def shape(text: str) -> tuple[int, int, int]:
        return (len(re.findall(r"^#{1,3} ", text, re.M)), text.count("```"), len(re.findall(r"^\|", text, re.M)))
    # The examples' YAML comments ('# yaml-language-server') count as headings alike in every language.
    assert shape(GUIDES[lang]) == shape(RECORDS_MD)
