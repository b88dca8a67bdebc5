"""The JSON API (``api/v1/``): valid against its published schema, complete, and private data-free.

Most tests read the files of the session's ``built_site``; a few call
:mod:`katko.outputs.api` directly on the example records, with the same "now".
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from katko.outputs import api
from katko.site.render import Renderer
from katko.config import now_from_environment
from katko.records.settings import Settings
from katko.site.pages import Site
from katko.core.times import HELSINKI

from ..conftest import KATKO_NOW, REPO_ROOT, renderer_for

CANARY = "KATKO-INTERNAL-CANARY-7f3a"
SITE_URL = "https://katkot.example.org/"  # mkdocs.yml
NOT_YET_PUBLIC = "2026-12-27-kirjasto-jarjestelmapaivitys"
NO_ENGLISH_DETAILS = "2025-10-25-kirjasto-palvelinsiirto"
SERVICES = ("rakennuslupa", "asiointi", "maksut", "kirjasto")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def documents(site: Path) -> dict[str, Any]:
    """Every outage document of the build, by its path under api/v1/."""
    folder = site / "api" / "v1"
    found = {"outages.json": load(folder / "outages.json")}
    found.update({f"services/{p.name}": load(p) for p in sorted((folder / "services").glob("*.json"))})
    return found


def walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair at any depth."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key, inner
            yield from walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner)


def format_checker() -> FormatChecker:
    """Draft 2020-12's checker, plus the two formats the API uses if their optional
    libraries (rfc3339-validator, rfc3987) are not installed."""
    checker = FormatChecker()
    if "date-time" not in checker.checkers:
        @checker.checks("date-time", raises=ValueError)
        def date_time(value: object) -> bool:
            if not isinstance(value, str):
                return True
            return bool(RFC3339.match(value)) and datetime.fromisoformat(value.upper().replace("Z", "+00:00")) is not None
    if "uri" not in checker.checkers:
        @checker.checks("uri")
        def uri(value: object) -> bool:
            if not isinstance(value, str):
                return True
            parts = urlsplit(value)
            return bool(parts.scheme) and " " not in value
    return checker


@pytest.fixture(scope="module")
def schema(built_site: Path) -> dict[str, Any]:
    return load(built_site / "api" / "v1" / "schema.json")


@pytest.fixture(scope="module")
def docs(built_site: Path) -> dict[str, Any]:
    return documents(built_site)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    """The example records rendered in-process, as the build does."""
    settings = Settings(site_url=SITE_URL, now=now_from_environment({"KATKO_NOW": KATKO_NOW}))
    return renderer_for(settings)


def outage(doc: dict[str, Any], outage_id: str) -> dict[str, Any]:
    return next(o for o in doc["outages"] if o["id"] == outage_id)


# --------------------------------------------------------------------------- #
# The schema
# --------------------------------------------------------------------------- #


def test_published_schema_is_the_generated_one(built_site: Path) -> None:
    assert (built_site / "api" / "v1" / "schema.json").read_bytes() == api.schema()


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("schema.json")
    assert schema["title"] and schema["description"]
    assert schema["properties"]["version"]["const"] == 1


#: What version 1 promised when it was published. Fields may be added; none of
#: these may disappear or become optional without a new version (api/v2/).
CONTRACT = {
    "": {"version", "generated_at", "site", "service", "services", "outages"},
    "Site": {"name", "url", "languages"},
    "Service": {"id", "name", "url", "page"},
    "Outage": {"id", "kind", "status", "phase", "impact", "services", "start", "end", "end_is_estimate",
               "public_from", "changed_at", "revision", "title", "summary", "details", "still_works",
               "alternatives", "stakeholders", "updates", "urls"},
    "Update": {"time", "status", "text"},
    "Text": {"fi", "sv", "en"},
    "Pages": {"fi", "sv", "en"},
}


def test_schema_keeps_the_version_1_contract(schema: dict[str, Any]) -> None:
    by_title = {d["title"]: d for d in schema["$defs"].values()}
    for title, fields in CONTRACT.items():
        definition = by_title[title] if title else schema
        assert fields <= set(definition["required"]), title


def test_every_document_validates_against_the_schema(schema: dict[str, Any], docs: dict[str, Any]) -> None:
    validator = Draft202012Validator(schema, format_checker=format_checker())
    assert {"outages.json", *(f"services/{s}.json" for s in SERVICES)} <= set(docs)
    for name, doc in docs.items():
        errors = [f"{name}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
        assert errors == []


def test_schema_rejects_what_the_contract_rules_out(schema: dict[str, Any], docs: dict[str, Any]) -> None:
    """The format checks are live: a time without an offset, a bad phase or a missing text key fail."""
    validator = Draft202012Validator(schema, format_checker=format_checker())
    good = docs["outages.json"]
    broken = [
        {**good, "generated_at": "2026-12-01T12:00:00"},
        {**good, "generated_at": "2026-12-01T25:00:00+02:00"},
        {**good, "version": 2},
        {**good, "outages": [{**good["outages"][0], "phase": "soon"}]},
        {**good, "outages": [{**good["outages"][0], "title": {"fi": "x", "sv": "y"}}]},
        {**good, "site": {**good["site"], "url": "katkot.example.org"}},
    ]
    for doc in broken:
        assert not validator.is_valid(doc)


def test_document_model_reads_back_what_it_wrote(docs: dict[str, Any]) -> None:
    for doc in docs.values():
        assert api.Document.model_validate(doc).model_dump(mode="json") == doc


# --------------------------------------------------------------------------- #
# Contents
# --------------------------------------------------------------------------- #


def test_generated_at_is_the_build_time(docs: dict[str, Any]) -> None:
    for doc in docs.values():
        assert doc["version"] == 1
        assert datetime.fromisoformat(doc["generated_at"]) == datetime.fromisoformat(KATKO_NOW)


def test_outages_are_exactly_the_public_notices(built_site: Path, docs: dict[str, Any]) -> None:
    pages = {p.name for p in (built_site / "fi" / "outages").iterdir() if (p / "index.html").is_file()}
    ids = [o["id"] for o in docs["outages.json"]["outages"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == pages


def test_a_notice_not_yet_public_is_absent(built_site: Path, docs: dict[str, Any]) -> None:
    assert (REPO_ROOT / "outages" / f"{NOT_YET_PUBLIC}.yml").is_file()
    for path in (built_site / "api").rglob("*"):
        if path.is_file():
            assert NOT_YET_PUBLIC not in path.read_text(encoding="utf-8"), path


def test_nothing_internal_is_published(built_site: Path, docs: dict[str, Any]) -> None:
    assert CANARY in (REPO_ROOT / "outages" / "2026-12-01-asiointi-liitteet-hairio.yml").read_text()
    files = [p for p in (built_site / "api").rglob("*") if p.is_file()]
    assert len(files) >= 2 + len(SERVICES)
    for path in files:
        assert CANARY not in path.read_text(encoding="utf-8"), path
    for doc in docs.values():
        assert "internal" not in {key for key, _ in walk(doc)}


def test_no_fallback_language_in_the_api(docs: dict[str, Any]) -> None:
    details = outage(docs["outages.json"], NO_ENGLISH_DETAILS)["details"]
    assert details["en"] is None
    assert details["fi"] and details["sv"]
    # A field left out altogether is an object of nulls, not a missing key.
    archive = outage(docs["outages.json"], "2025-03-15-rakennuslupa-arkisto")
    assert archive["alternatives"] == {"fi": None, "sv": None, "en": None}


def test_outages_are_ordered_by_start_then_id(docs: dict[str, Any]) -> None:
    for doc in docs.values():
        order = [(datetime.fromisoformat(o["start"]), o["id"]) for o in doc["outages"]]
        assert order == sorted(order)


def test_times_are_finnish_time_with_offset(docs: dict[str, Any]) -> None:
    doc = docs["outages.json"]
    times = [doc["generated_at"]]
    for o in doc["outages"]:
        times += [o["start"], o["public_from"], o["changed_at"], *(u["time"] for u in o["updates"])]
        times += [o["end"]] if o["end"] else []
    for text in times:
        moment = datetime.fromisoformat(text)
        assert moment.utcoffset() == moment.astimezone(HELSINKI).utcoffset(), text
    # Summer and winter time both appear in the examples.
    assert {t[-6:] for t in times} == {"+02:00", "+03:00"}


def test_status_phase_and_estimate(docs: dict[str, Any]) -> None:
    doc = docs["outages.json"]
    ongoing = outage(doc, "2026-12-01-asiointi-liitteet-hairio")
    assert (ongoing["kind"], ongoing["status"], ongoing["phase"]) == ("unplanned", "monitoring", "ongoing")
    assert ongoing["end_is_estimate"] is True
    upcoming = outage(doc, "2026-12-05-rakennuslupa-palvelinvaihto")
    assert (upcoming["phase"], upcoming["end_is_estimate"]) == ("upcoming", False)
    for o in doc["outages"]:
        if o["phase"] in ("ended", "cancelled") or o["kind"] == "planned" or o["end"] is None:
            assert o["end_is_estimate"] is False, o["id"]
        assert o["revision"] >= 0


def test_updates_are_newest_first(docs: dict[str, Any]) -> None:
    updates = outage(docs["outages.json"], "2026-12-01-asiointi-liitteet-hairio")["updates"]
    assert [u["status"] for u in updates] == ["monitoring", "identified", "investigating"]
    for o in docs["outages.json"]["outages"]:
        times = [datetime.fromisoformat(u["time"]) for u in o["updates"]]
        assert times == sorted(times, reverse=True)


def test_addresses_lead_to_pages_of_the_site(built_site: Path, docs: dict[str, Any]) -> None:
    doc = docs["outages.json"]
    assert doc["site"]["url"] == SITE_URL
    assert set(doc["site"]["name"]) == {"fi", "sv", "en"} and all(doc["site"]["name"].values())
    pages = [o["urls"] for o in doc["outages"]] + [s["page"] for s in doc["services"]]
    for urls in pages:
        assert set(urls) == {"fi", "sv", "en"}
        for lang, url in urls.items():
            assert url.startswith(f"{SITE_URL}{lang}/"), url
            assert (built_site / url.removeprefix(SITE_URL) / "index.html").is_file(), url


def test_whole_site_file_lists_every_service(docs: dict[str, Any]) -> None:
    doc = docs["outages.json"]
    assert doc["service"] is None
    assert [s["id"] for s in doc["services"]] == list(SERVICES)


@pytest.mark.parametrize("service", SERVICES)
def test_service_file_holds_that_services_outages(service: str, docs: dict[str, Any]) -> None:
    doc = docs[f"services/{service}.json"]
    everything = docs["outages.json"]
    assert doc["service"] == service
    assert doc["services"][0]["id"] == service
    expected = [o for o in everything["outages"] if service in o["services"]]
    assert doc["outages"] == expected
    # Every service an outage names is described in the same file, once.
    ids = [s["id"] for s in doc["services"]]
    assert len(ids) == len(set(ids))
    assert {i for o in doc["outages"] for i in o["services"]} <= set(ids)
    assert all(s in everything["services"] for s in doc["services"])


# --------------------------------------------------------------------------- #
# Calling the module directly
# --------------------------------------------------------------------------- #


def test_same_input_gives_identical_bytes(renderer: Renderer) -> None:
    first = api.outages(renderer)
    assert first == api.outages(renderer)
    assert first.endswith(b"}\n") and "Esimerkkilä".encode() in first  # ensure_ascii=False
    service = renderer.site.services[0]
    assert api.outages(renderer, service) == api.outages(renderer, service)
    assert api.schema() == api.schema()


def test_build_writes_what_the_module_produces(built_site: Path, renderer: Renderer) -> None:
    folder = built_site / "api" / "v1"
    assert (folder / "outages.json").read_bytes() == api.outages(renderer)
    for service in renderer.site.services:
        assert (folder / "services" / f"{service.id}.json").read_bytes() == api.outages(renderer, service)


def test_languages_the_site_does_not_publish_are_null() -> None:
    settings = Settings(languages=("fi", "sv"), site_url=SITE_URL,
                        now=now_from_environment({"KATKO_NOW": KATKO_NOW}))
    renderer = renderer_for(settings)
    doc = json.loads(api.outages(renderer))
    assert doc["site"]["languages"] == ["fi", "sv"]
    assert doc["site"]["name"]["en"] is None
    first = doc["outages"][0]
    assert first["title"]["en"] is None and first["title"]["fi"]
    assert first["urls"]["en"] is None and first["urls"]["sv"].startswith(f"{SITE_URL}sv/")


def test_process_fields(built_site: Path) -> None:
    """The end notice, the urgent reason and the crisis texts reach other systems too."""
    outages = {o["id"]: o for o in load(built_site / "api" / "v1" / "outages.json")["outages"]}
    ended = outages["2026-11-28-rakennuslupa-versiopaivitys"]
    assert ended["phase"] == "ended" and ended["back_since"] == "2026-11-29T01:35:00+02:00"
    assert all(o["back_since"] is None for o in outages.values() if o["phase"] != "ended")
    breach = outages["2026-10-20-asiointi-tietoturvaloukkaus"]
    assert breach["exceptional"] == "data_breach"
    assert breach["affected_data"]["fi"].startswith("Viestin otsikko") and breach["advice"]["sv"]
    assert outages["2026-12-03-maksut-tietoturvapaivitys"]["urgent"]["en"].startswith("The payment service's supplier")
    assert [o["exceptional"] for i, o in outages.items() if i != breach["id"]] == [None] * (len(outages) - 1)
