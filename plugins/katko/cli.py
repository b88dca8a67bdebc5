"""The ``katko`` command line: the same core as the MkDocs plugin."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import diagnostics, history, records, scaffold
from .scaffold import SCHEMAS, json_schema
from .settings import Settings, SettingsError, now_from_environment


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


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--name", help="The authority's name, e.g. 'Esimerkkilän kaupunki'.")
@click.option("--url", help="The site's public address, e.g. https://katkot.example.fi/.")
@click.option("--force", is_flag=True, help="Write into DIRECTORY even if it is not empty.")
def init(directory: Path, name: str | None, url: str | None, force: bool) -> None:
    """Create a new authority's notice site in DIRECTORY.

    The site has Katko's templates, texts and GitHub workflows, a services
    catalogue with one placeholder service (fill in what is marked TODO) and
    one example notice. It builds at once with 'mkdocs build'.
    """
    try:
        written = scaffold.create(directory, now_from_environment(), name=name, url=url, force=force)
    except (scaffold.ScaffoldError, SettingsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Created a Katko site in {directory} ({len(written)} files). Next:")
    click.echo("  - fill in what is marked TODO in outages/services.yml and mkdocs.yml")
    click.echo(f"  - cd {directory} && katko check outages && mkdocs serve")
    click.echo("  - README.md explains the editors' workflow")


@main.command()
@click.option("--service", metavar="ID", help="The affected service's id (asked if not given).")
@click.option("--from", "source_id", metavar="ID", help="Start from this earlier outage (default: the service's latest).")
@click.option("--unplanned", is_flag=True, help="A disruption that started now: the short form, no notice period.")
@click.option("--start", metavar="TIME", help="Start, e.g. '2027-01-16 22:00' (Finnish time).")
@click.option("--end", metavar="TIME", help="End (for a disruption, an estimate).")
@click.option("--records", "folder", type=click.Path(path_type=Path, file_okay=False), default=Path("outages"),
              show_default=True, help="The records folder; the new file is written there.")
def new(service: str | None, source_id: str | None, unplanned: bool, start: str | None, end: str | None,
        folder: Path) -> None:
    """Write a new outage record, pre-filled from an earlier one.

    Texts, instructions, affected groups and the risk assessment come from the
    service's latest outage of the same kind (or --from); its evaluation is
    printed, so that its problems and improvements are read first. Without
    --service, asks its questions one by one.
    """
    from . import drafts
    from .times import TimeError, parse_time

    now = now_from_environment()
    dataset, _ = records.load((folder,), Settings(now=now))
    if not dataset.services:
        raise click.UsageError(f"no services catalogue in {folder}/ (services.yml)")
    interactive = service is None
    if interactive:
        click.echo("Services: " + ", ".join(sorted(dataset.services)))
        service = click.prompt("Service", type=click.Choice(sorted(dataset.services)), show_choices=False)
        unplanned = click.prompt("Planned outage or a disruption now?", type=click.Choice(["planned", "unplanned"]),
                                 default="planned") == "unplanned"
        kind = "unplanned" if unplanned else "planned"
        default = drafts.earlier(dataset, service, kind)
        source_id = click.prompt("Start from the earlier outage", default=default.id if default else "",
                                 show_default=bool(default)) or None
        start = click.prompt("Start (e.g. 2027-01-16 22:00; empty: set it later)", default="",
                             show_default=False) or None
        end = click.prompt("End (empty: set it later)", default="", show_default=False) or None
    try:
        times = [parse_time(value) if value else None for value in (start, end)]
    except TimeError as exc:
        raise click.UsageError(f"{exc}; write times as 2027-01-16 22:00") from None
    try:
        made = drafts.draft(dataset, service, now, kind="unplanned" if unplanned else "planned",
                            source_id=source_id, start=times[0], end=times[1])
    except drafts.DraftError as exc:
        raise click.UsageError(str(exc)) from None
    target = folder / made.file_name
    if target.exists():
        raise click.UsageError(f"{target} exists already: give another --start, or rename that file first")
    target.write_text(made.text, encoding="utf-8")
    click.echo(f"Wrote {target}" + (f", starting from {made.source.id}." if made.source else "."))
    if made.source is not None:
        evaluation = made.evaluation
        if evaluation is None:
            click.echo(f"{made.source.id} has no evaluation yet.")
        else:
            click.echo(f"What the evaluation of {made.source.id} says:")
            click.echo(f"  problems:     {evaluation.problems}")
            click.echo(f"  improvements: {evaluation.improvements}")
    click.echo("Next: set the times and check every text, then run 'katko check'.")


@main.group()
def usage() -> None:
    """Usage profiles: when a service is used little (for planning outages)."""


@usage.command("ingest")
@click.option("--service", required=True, metavar="ID", help="The service the profile is for.")
@click.option("--format", "fmt", type=click.Choice(["auto", "clf", "csv", "matomo", "opensearch"]),
              default="auto", show_default=True, help="Input format; 'auto' looks at each file's first bytes.")
@click.option("--timezone", "zone", default="Europe/Helsinki", show_default=True,
              help="Timezone of a Matomo site's hours (as set in Matomo).")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("outages/usage"),
              show_default=True)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False, exists=True))
def usage_ingest(service: str, fmt: str, zone: str, out: Path, files: tuple[Path, ...]) -> None:
    """Count requests or visits per hour in FILES into outages/usage/ID.csv.

    FILES are access logs (Common/Combined Log Format, plain or gzip), CSV
    'timestamp,count', Matomo visits per hour, or a date_histogram response.
    Only counts are stored, never addresses or other personal data.
    """
    from . import usage as usage_module  # imported here: only this command needs 'holidays' (~50 ms to load)

    try:
        counts = usage_module.read_files(files, fmt, zone)
    except usage_module.UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{counts.lines} lines read, {counts.malformed} malformed")
    for example in counts.examples:
        click.echo(f"  {example}")
    if counts.malformed > len(counts.examples):
        click.echo(f"  … and {counts.malformed - len(counts.examples)} more")
    try:
        profile = usage_module.build_profile(counts)
        target = usage_module.write_profile(profile, service, out)
    except usage_module.UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"{target} ({profile.unit}, {profile.weeks:g} weeks)")
