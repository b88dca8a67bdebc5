"""The JSON Schema files editors use agree with the validator."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from katko.cli import main

from ..conftest import REPO_ROOT

OUTAGE = json.loads((REPO_ROOT / "schema" / "outage.schema.json").read_text())
SERVICES = json.loads((REPO_ROOT / "schema" / "services.schema.json").read_text())
RECORDS = sorted(p for p in (REPO_ROOT / "outages").glob("*.yml") if p.name != "services.yml")


def load(path: Path) -> object:
    # An editor's YAML 1.2 language server sees times as text: so do we here.
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_schema_files_are_up_to_date() -> None:
    result = CliRunner().invoke(main, ["schema", "--check", "--out", str(REPO_ROOT / "schema")])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("record", RECORDS, ids=[p.stem for p in RECORDS])
def test_example_records_validate_against_the_schema(record: Path) -> None:
    jsonschema.validate(load(record), OUTAGE)


def test_catalogue_validates_against_its_schema() -> None:
    jsonschema.validate(load(REPO_ROOT / "outages" / "services.yml"), SERVICES)


@pytest.mark.parametrize("record", RECORDS, ids=[p.stem for p in RECORDS])
def test_examples_point_editors_at_the_schema(record: Path) -> None:
    assert record.read_text().startswith("# yaml-language-server: $schema=../schema/outage.schema.json")


@pytest.mark.parametrize("fixture", ["K101-unknown-field", "K104-not-allowed", "K102-missing-field"])
def test_schema_flags_the_same_mistakes(fixture: str) -> None:
    data = load(REPO_ROOT / "tests" / "fixtures" / "invalid" / f"{fixture}.yml")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, OUTAGE)
