"""docs/records.md keeps up with the record format and the problem codes."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from katko import codes
from katko.model import (AccessibilityStatement, Arrangement, Authority, Catalogue, Contact, Crisis, Evaluation,
                         Internal, NoticeStep, Outage, Policy, Risk, Service, Update)

from .conftest import REPO_ROOT

RECORDS_MD = (REPO_ROOT / "docs" / "records.md").read_text(encoding="utf-8")
MODELS: list[type[BaseModel]] = [Outage, Update, Internal, Catalogue, Authority, AccessibilityStatement, Service,
                                 Contact, Policy, NoticeStep, Crisis, Risk, Arrangement, Evaluation]


@pytest.mark.parametrize("code", sorted(codes.CODES))
def test_every_code_is_documented(code: str) -> None:
    c = codes.CODES[code]
    assert f"| {c.code} | `{c.name}` | {c.hint} |" in RECORDS_MD, f"{code}'s row in docs/records.md is missing or stale"


@pytest.mark.parametrize("field", sorted({(m.__name__, f) for m in MODELS for f in m.model_fields}))
def test_every_field_is_documented(field: tuple[str, str]) -> None:
    assert f"`{field[1]}`" in RECORDS_MD, f"{field[0]}.{field[1]} is missing from docs/records.md"
