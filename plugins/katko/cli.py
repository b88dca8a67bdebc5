"""The ``katko`` command line: the same core as the MkDocs plugin."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import diagnostics, history, records
from .model import Catalogue, Outage
from .settings import Settings, SettingsError, now_from_environment

SCHEMAS = {"outage.schema.json": Outage, "services.schema.json": Catalogue}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="katko")
def main() -> None:
    """Katko: outage notices for Finnish public digital services."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text",
              help="'github' prints GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--require", "required", default="fi,sv", show_default=True,
              help="Languages every public text must have, comma-separated.")
@click.option("--since", "ref", metavar="REF",
              help="Also check that changes since this git commit or branch are announced as updates.")
def check(paths: tuple[Path, ...], output: str, strict: bool, required: str, ref: str | None) -> None:
    """Check outage records (default: the folder 'outages')."""
    try:
        settings = Settings(required_languages=tuple(x.strip() for x in required.split(",") if x.strip()),
                            now=now_from_environment())
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    dataset, report = records.load(paths or (Path("outages"),), settings)
    if ref:
        try:
            report.extend(history.changes_announced(dataset, ref, settings.now))
        except history.HistoryError as exc:
            raise click.UsageError(str(exc)) from None
    found = report.sorted()
    if found:
        formatter = diagnostics.format_github if output == "github" else diagnostics.format_text
        click.echo(formatter(found))
    if output == "text":
        click.echo(f"{len(dataset.records)} outage records checked: {diagnostics.summary(report)}",
                   err=bool(found))
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schema"), show_default=True)
@click.option("--check", "verify", is_flag=True, help="Only check that the files are up to date.")
def schema(out: Path, verify: bool) -> None:
    """Write the JSON Schema files that editors use for outages/*.yml."""
    stale = []
    for name, model in SCHEMAS.items():
        text = json_schema(model)
        target = out / name
        if verify:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(str(target))
        else:
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    if stale:
        click.echo(f"out of date: {', '.join(stale)}; run 'katko schema'", err=True)
        sys.exit(1)


def json_schema(model: type[Outage] | type[Catalogue]) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
