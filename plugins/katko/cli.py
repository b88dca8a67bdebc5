"""The ``katko`` command line: the same core as the MkDocs plugin."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, NoReturn

import click

from .core.i18n import N_

# Each command imports what it needs when it runs: the record models, YAML and
# templates cost about 0.15 s to import, which 'katko usage ingest' (timed
# against GoAccess) and '--help' do not need.


class _Commands(click.Group):
    """Katko's commands: a file or folder a command is given that cannot be read or written
    (no such folder, no permission, a disk full) is told as the system says it, with exit
    status 1, not as a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="katko")
def main() -> None:
    """Katko: outage notices for Finnish public digital services."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text",
              help="'github' prints GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--require", "required", metavar="LANGS",
              help="Languages every public text must have, comma-separated. "
                   "Default: 'required_languages' in mkdocs.yml (fi,sv).")
@click.option("-f", "--config-file", "config_file", type=click.Path(path_type=Path, dir_okay=False),
              help="The site's MkDocs configuration, whose katko settings the check uses as the build does. "
                   "Default: mkdocs.yml here or in a folder above.")
@click.option("--quiet-share", "quiet_share", type=click.FloatRange(0, 100, min_open=True), default=None,
              metavar="PERCENT",
              help="With a usage profile, warn (K230) about a planned outage outside this share of the "
                   "week's quietest windows of its length. Default: 'policy: quiet_share' in services.yml (10).")
@click.option("--since", "ref", metavar="REF",
              help="Also check that changes since this git commit or branch are announced as updates.")
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]),
              help="Language of the messages. Default: the site's first language (mkdocs.yml), else the locale's.")
def check(paths: tuple[Path, ...], output: str, strict: bool, required: str | None, config_file: Path | None,
          quiet_share: float | None, ref: str | None, lang: str | None) -> None:
    """Check outage records (default: the records folder mkdocs.yml names, 'outages').

    The site's settings (required languages and the rest) are those of
    mkdocs.yml, as for the build. For services with a usage profile
    (usage/ID.csv next to the records), each planned outage gets a note with
    its expected affected users. Each problem's hint links to the record guide
    on the site's internal staff site (mkdocs.internal.yml), or to the katko
    plugin's 'guide_url' in mkdocs.yml.
    """
    from .config import choose, guide_address, read_config
    from .records import diagnostics, placeholders, loading as records
    from .records.settings import SettingsError
    given: dict[str, Any] = {"low_usage_share": quiet_share / 100 if quiet_share is not None else None}
    if required is not None:
        given["required_languages"] = tuple(x.strip() for x in required.split(",") if x.strip())
    try:
        settings, folder, site = _site_settings(config_file, paths, **given)
    except SettingsError as exc:
        if not exc.msgid:
            _unreadable_config(exc.file or config_file, paths, lang)
            raise click.UsageError(str(exc)) from None
        _bad_option(exc, config_file, paths, lang)
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {missing[0]}")
    folders = paths or (folder,)
    language = choose(lang, folders[0])
    texts = _texts(language)
    guide = guide_address(site, language)
    dataset, report = records.load(folders, settings)
    for config in (site, site.with_name("mkdocs.internal.yml")) if site else ():
        if config.is_file():
            report.extend(placeholders.in_site_config(config, records.display(config)))
    if site is not None:
        # The build refuses a notify.yml that names a service or language the site does not have.
        notify_file = site.parent / str(read_config(site).get("notify") or "notify.yml")
        if notify_file.is_file():  # none means no channels; its models cost more to build than a check of one
            from .records import channels as notify_config
            # Without a usable services.yml (reported on its own) no service is known to be unknown.
            services = dataset.services if dataset.catalogue is not None else None
            report.extend(notify_config.load(notify_file, services, settings.languages)[1])
    if ref:
        from .records import history  # git and the records' history: only with --since

        try:
            report.extend(history.changes_announced(dataset, ref, settings.now))
        except history.HistoryError as exc:
            raise click.UsageError(str(exc)) from None
    found = report.sorted()
    if found:
        formatter = diagnostics.format_github if output == "github" else diagnostics.format_text
        click.echo(formatter(found, texts, guide))
    if output == "text":
        checked = texts.ngettext("%(count)s outage record checked", "%(count)s outage records checked",
                                 len(dataset.records))
        click.echo(f"{checked}: {diagnostics.summary(report, texts)}", err=bool(found))
    sys.exit(1 if report.failed(strict) else 0)


def _bad_option(exc: Any, config_file: Path | None, paths: tuple[Path, ...], lang: str | None) -> NoReturn:
    """A katko option of mkdocs.yml that cannot be used, or an mkdocs.yml of the wrong shape, shown
    where the mistake is written; exit status 1."""
    from .config import choose, option_problem, site_config
    from .records import diagnostics
    problem = option_problem(exc, config_file or site_config(paths[0] if paths else Path.cwd()))
    language = choose(lang, paths[0] if paths else Path.cwd())
    click.echo(diagnostics.format_text([problem], _texts(language)), err=True)
    sys.exit(1)


def _unreadable_config(config_file: Path | None, paths: tuple[Path, ...], lang: str | None) -> None:
    """An mkdocs.yml that is not UTF-8 or not YAML, shown where the mistake is as a record's would
    be (K001, K004); exit status 1. Returns if the file has no such mistake."""
    from .config import choose, site_config
    from .records import diagnostics, loading, yamlsource
    config = config_file or site_config(paths[0] if paths else Path.cwd())
    if config is None or not config.is_file():
        return
    # Anchors and tags are MkDocs' own to read (!ENV, !!python/name:): only what breaks the file.
    located = [p for p in yamlsource.load(config, loading.display(config))[1] if p.code in ("K001", "K004")]
    if not located:
        return
    language = choose(lang, paths[0] if paths else Path.cwd())
    click.echo(diagnostics.format_text(located, _texts(language)), err=True)
    sys.exit(1)


def _texts(lang: str) -> Any:
    """Katko's texts in ``lang``, or a usage error naming the broken catalog."""
    from .core import i18n
    from .records import messages
    try:
        return messages.texts(lang)
    except i18n.CatalogError as exc:
        raise click.UsageError(str(exc)) from None


def _site_settings(config_file: Path | None, paths: tuple[Path, ...] = (),
                   **given: Any) -> tuple[Any, Path, Path | None]:
    """The build's settings from the site's mkdocs.yml (``config_file``, else the one in or
    above the records, or the current folder), overridden by ``given``; the records folder it
    names (relative to the current folder); and the mkdocs.yml found."""
    from .config import SiteConfig, now_from_environment, option_value, read_config, site_config
    from .records.settings import SettingsError
    if config_file is not None and not config_file.is_file():
        raise SettingsError(f"no such file: {config_file}")
    found = config_file or site_config(paths[0] if paths else Path.cwd())
    options = read_config(found) if found is not None else {}
    options.pop("site_url", None)
    records = option_value("records", options.pop("records", "outages"))
    folder = Path(os.path.relpath(found.parent / records)) if found is not None else Path(records)
    return SiteConfig.from_options(options).settings(now=now_from_environment(), **given), folder, found


@main.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("schema"), show_default=True)
@click.option("--check", "verify", is_flag=True, help="Only check that the files are up to date.")
def schema(out: Path, verify: bool) -> None:
    """Write the JSON Schema files that editors use for outages/*.yml."""
    from .authoring.scaffold import json_schema, schemas
    stale = []
    for name, model in schemas().items():
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
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True,
              help="The site's first language, and the language of its README, checklist and comments.")
@click.option("--katko-from", "katko_from", metavar="SOURCE",
              help="Where the site installs Katko from: a wheel's address or path, or git+https://…@TAG. "
                   "Default: the release this Katko was installed from.")
def init(directory: Path, name: str | None, url: str | None, force: bool, lang: str,
         katko_from: str | None) -> None:
    """Create a new authority's notice site in DIRECTORY.

    The site has Katko's templates, texts and GitHub workflows, a services
    catalogue with one placeholder service (replace what is marked TODO:
    'katko check' fails until you have) and one example notice. 'mkdocs serve'
    shows it at once.
    """
    from .authoring import scaffold
    from .core.shipped import NotShipped
    from .config import now_from_environment
    from .records.settings import SettingsError
    texts = _texts(lang)
    try:
        written = scaffold.create(directory, now_from_environment(), name=name, url=url, force=force,
                                  lang=lang, katko_from=katko_from)
    except (scaffold.ScaffoldError, NotShipped, SettingsError) as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(texts.word(N_("Created a Katko site in %(folder)s (%(count)s files). Next:"),
                          folder=directory, count=len(written)))
    click.echo("  - " + texts.word(N_("replace what is marked TODO in outages/services.yml, mkdocs.yml and "
                                      "mkdocs.internal.yml: 'katko check' lists what is left")))
    click.echo(f"  - cd {directory} && katko check outages && mkdocs serve")
    click.echo("  - " + texts.word(N_("README.md explains the editors' workflow")))


@main.command()
@click.option("--service", metavar="ID", help="The affected service's id (asked if not given).")
@click.option("--from", "source_id", metavar="ID",
              help="Start from this earlier outage (default: the service's latest ended and evaluated one of the "
                   "same kind; without one, the kind's template).")
@click.option("--unplanned", is_flag=True, help="A disruption that started now: the short form, no notice period.")
@click.option("--start", metavar="TIME", help="Start, e.g. '2027-01-16 22:00' (Finnish time).")
@click.option("--end", metavar="TIME", help="End (for a disruption, an estimate).")
@click.option("--records", "folder", type=click.Path(path_type=Path, file_okay=False), default=Path("outages"),
              show_default=True, help="The records folder; the new file is written there.")
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]),
              help="Language of the questions. Default: the site's first language (mkdocs.yml), else the locale's.")
def new(service: str | None, source_id: str | None, unplanned: bool, start: str | None, end: str | None,
        folder: Path, lang: str | None) -> None:
    """Write a new outage record, pre-filled from an earlier one.

    Texts, instructions, affected groups and the risk assessment come from the
    service's latest outage of the same kind that has ended and been evaluated
    (or --from); its evaluation is printed, so that its problems and
    improvements are read first. Dates and times in the copied texts become
    this outage's (--start, --end) or are marked [[like this]] for checking; a
    title that names the earlier outage's time is not copied. Without
    --service, asks its questions one by one.
    """
    from .authoring import drafts
    from .config import choose
    from .records import messages, loading as records
    from .records.settings import SettingsError
    from .core.times import TimeError, parse_time

    texts = _texts(choose(lang, folder))
    say = texts.word
    try:
        settings, _, _ = _site_settings(None, (folder,))
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    now = settings.now
    dataset, _ = records.load((folder,), settings)
    if not dataset.services:
        raise click.UsageError(f"no services catalogue in {folder}/ (services.yml)")
    interactive = service is None
    if interactive:
        click.echo(say(N_("Services: %(services)s"), services=", ".join(sorted(dataset.services))))
        service = click.prompt(say(N_("Service")), type=click.Choice(sorted(dataset.services)), show_choices=False)
        unplanned = click.prompt(say(N_("A planned outage, or a disruption now? (planned/unplanned)")),
                                 type=click.Choice(["planned", "unplanned"]), show_choices=False,
                                 default="planned") == "unplanned"
        kind = "unplanned" if unplanned else "planned"
        default = drafts.earlier(dataset, service, kind, now)
        source_id = click.prompt(say(N_("Start from the earlier outage")), default=default.id if default else "",
                                 show_default=bool(default)) or None
        start = click.prompt(say(N_("Start (e.g. 2027-01-16 22:00; empty: set it later)")), default="",
                             show_default=False) or None
        end = click.prompt(say(N_("End (empty: set it later)")), default="", show_default=False) or None
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
    if made.source is not None:
        click.echo(say(N_("Wrote %(file)s, starting from %(source)s."), file=target, source=made.source.id))
        evaluation = made.evaluation
        if evaluation is None:
            click.echo(say(N_("%(source)s has no evaluation yet."), source=made.source.id))
        else:
            click.echo(say(N_("What the evaluation of %(source)s says:"), source=made.source.id))
            click.echo("  " + say(N_("problems: %(text)s"), text=evaluation.problems))
            click.echo("  " + say(N_("improvements: %(text)s"), text=evaluation.improvements))
    else:
        click.echo(say(N_("Wrote %(file)s."), file=target))
    click.echo(say(N_("Next: set the times and write every text marked TODO, then run 'katko check'.")))


@main.command()
@click.option("--site", "site_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("site"),
              show_default=True, help="The site just built: its api/v1/outages.json is the new state.")
@click.option("--published", metavar="URL|FILE",
              help="The API as published before: an address, or a file saved with --save-published "
                   "(default: api/v1/outages.json of the live site).")
@click.option("--save-published", "save", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Send nothing: if there is something to send, save the published API into FILE. Run it "
                   "before deploying, and give FILE as --published after.")
@click.option("--dry-run", is_flag=True, help="Print, per channel and language, exactly what would be sent; "
                                                "send nothing and need no secrets.")
@click.option("--journal", type=click.Path(path_type=Path, dir_okay=False), metavar="FILE",
              help="Deliveries already made are skipped and new ones added: re-running a failed run "
                   "with the same inputs sends only what did not get through.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              default=Path("notify.yml"), show_default=True, help="The channels and how to reach them.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False), default=Path("overrides/katko"),
              show_default=True, help="The templates the e-mails are written with.")
@click.option("--locales", type=click.Path(path_type=Path, file_okay=False), default=Path("locales"),
              show_default=True, help="The interface texts (gettext catalogs) of the messages.")
def notify(site_dir: Path, published: str | None, save: Path | None, dry_run: bool, journal: Path | None,
           config_path: Path, templates: Path, locales: Path) -> None:
    """Tell subscribers what changed since the site was last published.

    Compares the site just built with the notices published before and sends,
    through the channels of notify.yml (e-mail lists, webhooks, a WebSub hub),
    a message for every notice made public, disruption started, change
    announced, cancellation and end. The published API is the state: once the
    new site is published, comparing again finds nothing to send.
    """
    from jinja2 import TemplateNotFound

    from .records import diagnostics
    from .core.i18n import CatalogError
    from .records import channels as notify_config
    from .notify import delivery, events
    from .notify.compose import Composer

    try:
        new = events.read_file(site_dir / events.API_PATH)
    except notify_config.NotifyError as exc:
        _fail(f"{exc} (build the site first: mkdocs build)")
    assert new is not None
    config, problems = notify_config.load(config_path, [s["id"] for s in new["services"]], new["site"]["languages"])
    if problems:
        click.echo(diagnostics.format_text(problems), err=True)
        _fail(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {config_path}")
    assert config is not None
    if config.empty:
        state = "has none" if config_path.is_file() else "does not exist"
        click.echo(f"No notification channels ({config_path} {state}): nothing to do.")
        return
    source = published or new["site"]["url"] + events.API_PATH
    try:
        old = events.fetch(source) if source.startswith(("https://", "http://")) else events.read_file(Path(source))
        events.same_site(old, new, source)
        found = events.compare(old, new)
        planned = delivery.plan(config, found, events.changed(old, new), new, Composer(new, templates, locales),
                                config_path.parent)
    except notify_config.NotifyError as exc:
        _fail(str(exc))
    except (CatalogError, TemplateNotFound) as exc:
        _fail(f"{exc} (give the site's templates and interface texts with --templates and --locales)")
    if old is None:
        click.echo(f"Nothing is published at {source} yet: a site's first publication announces nothing.")
    else:
        click.echo(f"{len(found)} event{'s' if len(found) != 1 else ''} since {source}:")
        for event in found:
            click.echo(f"  {event.kind:<10} {event.outage['id']}")
    if save is not None:
        if planned.deliveries:
            save.write_text(json.dumps(old, ensure_ascii=False) + "\n", encoding="utf-8")
            click.echo(f"Saved {source} as {save}: after the deployment, 'katko notify --published {save}' "
                       f"sends {_deliveries(planned.deliveries)}.")
        else:
            save.unlink(missing_ok=True)
            click.echo(f"Nothing to send: {save} is not written.")
        return
    if dry_run:
        for d in planned.deliveries:
            click.echo("")
            click.echo(f"=== {d.channel}{' · ' + d.lang if d.lang else ''} · {d.target} ===")
            click.echo(d.preview)
        click.echo("")
        click.echo(f"Dry run: nothing was sent. {_deliveries(planned.deliveries)} would be sent.")
        return
    outcome = delivery.send(planned, delivery.Journal(journal), click.echo)
    summary = f"{outcome.sent} sent, {len(outcome.failed)} failed"
    if outcome.skipped:
        summary += f", {outcome.skipped} sent already in an earlier run"
    if outcome.failed:
        click.echo(f"error: {summary}. The others were sent; re-run with the same --published"
                   f"{' and --journal' if journal else ''} to try again.", err=True)
        sys.exit(1)
    click.echo(summary + ".")


def _deliveries(deliveries: list[Any]) -> str:
    """How many messages, by channel: '2 e-mails, 1 webhook call'."""
    counts: dict[str, int] = {}
    for d in deliveries:
        counts[d.channel] = counts.get(d.channel, 0) + 1
    names = {"e-mail": ("e-mail", "e-mails"), "webhook": ("webhook call", "webhook calls"),
             "WebSub": ("WebSub ping", "WebSub pings")}
    return ", ".join(f"{n} {names[c][n != 1]}" for c, n in counts.items()) or "nothing"


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
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]),
              help="Language of what it says. Default: the site's first language (mkdocs.yml), else the locale's.")
def usage_ingest(service: str, fmt: str, zone: str, out: Path, files: tuple[Path, ...], lang: str | None) -> None:
    """Count requests or visits per hour in FILES into outages/usage/ID.csv.

    FILES are access logs (Common/Combined Log Format, plain or gzip), CSV
    'timestamp,count', Matomo visits per hour, or a date_histogram response.
    Only counts are stored, never addresses or other personal data.
    """
    from .usage import profiles as usage_module  # imported here: only this command needs 'holidays' (~50 ms to load)

    texts = _language_of(lang, out)
    try:
        counts = usage_module.read_files(files, fmt, zone)
    except usage_module.UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(texts.word(N_("%(lines)s lines read, %(malformed)s malformed"), lines=_count(counts.lines),
                          malformed=_count(counts.malformed)))
    for example in counts.examples:
        click.echo(f"  {example}")
    if counts.malformed > len(counts.examples):
        click.echo("  " + texts.word(N_("… and %(count)s more"), count=_count(counts.malformed - len(counts.examples))))
    try:
        profile = usage_module.build_profile(counts)
        target = usage_module.write_profile(profile, service, out)
    except usage_module.UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    click.echo(texts.word(N_("%(file)s (%(unit)s, %(weeks)s weeks of data)"), file=target, unit=_unit(profile.unit),
                          weeks=_figure(profile.weeks, None)))


def _language_of(lang: str | None, folder: Path) -> Any:
    """The texts a command that works in ``folder`` speaks: ``--lang``, else the first language of
    the site the folder belongs to, else the locale's (as ``katko check``)."""
    from .config import choose
    return _texts(choose(lang, folder))


def _figure(value: float, digits: int | None = 1) -> Any:
    """A number written as the reader's language writes it, when the message is shown."""
    from .records.messages import Decimal
    return Decimal(value, digits)


def _count(value: int) -> Any:
    """A count, with the language's separator between thousands."""
    return _figure(value, 0)


def _unit(unit: str) -> Any:
    """A usage profile's unit (requests, visits) in the reader's language."""
    from .core.labels import USAGE_UNITS
    from .records.messages import Term
    return Term(USAGE_UNITS[unit]) if unit in USAGE_UNITS else unit


def _clock(text: str | None) -> time | None:
    """``18:00``, ``18.00`` or ``18`` as a time of day."""
    if text is None:
        return None
    parts = text.strip().replace(".", ":").split(":")
    try:
        hour, minute = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
        if len(parts) > 2 or hour == 24 and minute == 0:
            raise ValueError
        return time(hour, minute)
    except (ValueError, IndexError):
        raise click.BadParameter(f"'{text}' is not a time of day such as 18:00") from None


def _profile_for(service: str, records_folder: Path) -> Any:
    """The service's profile from RECORDS/usage/ID.csv, or a clear error and exit status 1."""
    from .records import loading as records
    from .usage import profiles as usage_module
    from .records.yamlsource import load

    catalogue = records_folder / records.CATALOGUE_NAME
    if catalogue.is_file():
        doc, _ = load(catalogue)
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        services = data.get("services")
        known = sorted(str(s.get("id")) for s in services if isinstance(s, dict)) if isinstance(services, list) else []
        if known and service not in known:
            _fail(f"unknown service '{service}' (known: {', '.join(known)})")
    path = records_folder / "usage" / f"{service}.csv"
    if not path.is_file():
        _fail(f"no usage profile for '{service}': {path} does not exist; "
              f"make one with 'katko usage ingest --service {service} LOGS…'")
    try:
        return usage_module.read_profile(path)
    except usage_module.UsageError as exc:
        _fail(str(exc))


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


#: The longest span ``katko usage suggest`` searches: a year, more than any plan needs.
MAX_SUGGEST_DAYS = 366


@usage.command("suggest")
@click.option("--service", required=True, metavar="ID", help="The service whose profile is used.")
@click.option("--duration", required=True, metavar="DURATION", help="Length of the outage, e.g. 4h or 2h30min.")
@click.option("--between", required=True, nargs=2, metavar="FIRST LAST",
              type=click.DateTime(formats=["%Y-%m-%d"]), help="First and last day (inclusive), e.g. 2026-12-01 2026-12-20.")
@click.option("--not-before", metavar="HH:MM", help="Each window starts at or after this time of day.")
@click.option("--not-after", metavar="HH:MM", help="…and ends by this time of day (the next day if earlier).")
@click.option("--include-holidays", is_flag=True, help="Also offer windows on public holidays and their eves.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1, 100), help="How many windows to list.")
@click.option("--records", "records_folder", type=click.Path(path_type=Path, file_okay=False), default=Path("outages"),
              show_default=True, help="The records folder; profiles are in its usage/ folder.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]),
              help="Language of the text (not of the JSON). Default: the site's first language (mkdocs.yml), "
                   "else the locale's.")
def usage_suggest(service: str, duration: str, between: tuple[datetime, datetime], not_before: str | None,
                  not_after: str | None, include_holidays: bool, limit: int, records_folder: Path,
                  output: str, lang: str | None) -> None:
    """The quietest windows for an outage, by expected affected users.

    Windows start on the hour and do not overlap one another. Expected users
    is the sum of the profile's mean per hour over the window's hours.
    """
    from .usage import windows
    from .core.times import TimeError, parse_duration

    try:
        length = parse_duration(duration)
    except TimeError as exc:
        raise click.BadParameter(str(exc), param_hint="--duration") from None
    if length <= timedelta(0):
        raise click.BadParameter("the duration must be longer than zero", param_hint="--duration")
    first, last = between[0].date(), between[1].date()
    if last < first:
        raise click.BadParameter("the last day is before the first", param_hint="--between")
    if first.year < 2000 or last.year > 2100:  # as times in records (K118)
        raise click.BadParameter("give days from 2000 to 2100", param_hint="--between")
    if (last - first).days > MAX_SUGGEST_DAYS:  # the windows are tried hour by hour: bounded time
        raise click.BadParameter(f"the days are more than {MAX_SUGGEST_DAYS} days apart; plan within a year",
                                 param_hint="--between")
    early, late = _clock(not_before), _clock(not_after)
    profile = _profile_for(service, records_folder)
    found = windows.suggest(profile, length, first, last, not_before=early, not_after=late,
                            include_holidays=include_holidays, limit=limit)
    if output == "json":
        click.echo(json.dumps({
            "service": service, "duration_hours": length.total_seconds() / 3600,
            "first": first.isoformat(), "last": last.isoformat(), "unit": profile.unit,
            "statistic": windows.STATISTIC, "holidays_included": include_holidays,
            "windows": [w.to_json() for w in found]}, ensure_ascii=False, indent=2))
        return
    from .records.messages import Period

    texts = _language_of(lang, records_folder)
    say = texts.word
    click.echo(say(N_("Quietest %(hours)s-hour windows for %(service)s, %(first)s – %(last)s (Finnish time)"),
                   hours=_figure(length.total_seconds() / 3600, None), service=service, first=first, last=last))
    click.echo(say(N_("Expected users = sum of the profile's mean %(unit)s per hour over the window (%(weeks)s "
                      "weeks of data); rank among the week's windows of this length, 1 = quietest."),
                   unit=_unit(profile.unit), weeks=_figure(profile.weeks, None)))
    if not include_holidays:
        click.echo(say(N_("Public holidays and their eves are left out (--include-holidays to include them).")))
    if not found:
        click.echo(say(N_("No window of that length fits those days and times.")))
        sys.exit(1)
    click.echo("")
    heading = [texts.gettext(word) for word in (N_("window"), N_("expected"), N_("of week"), N_("rank"))]
    periods = [texts.show(Period(w.start, w.end)) for w in found]
    width = max(len(text) for text in (heading[0], *periods))
    click.echo(f"{'#':>2}  {heading[0]:<{width}} {heading[1]:>10} {heading[2]:>10} {heading[3]:>10}")
    for i, (w, period) in enumerate(zip(found, periods), start=1):
        share = texts.show(_figure(w.share * 100, 2)) + " %"
        click.echo(f"{i:>2}  {period:<{width}} {texts.show(_figure(w.expected)):>10} {share:>10} "
                   f"{f'{w.rank}/{w.windows}':>10}")
        click.echo(f"    {w.iso}")


@usage.command("chart")
@click.option("--service", required=True, metavar="ID", help="The service whose profile is drawn.")
@click.option("--outage", "outage_id", metavar="OUTAGE-ID", help="Outline this planned outage's window.")
@click.option("--start", metavar="TIME", help="…or outline from this time (e.g. \"2026-12-05 22:00\")…")
@click.option("--end", metavar="TIME", help="…to this time.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write the SVG here (default: print it).")
@click.option("--table", "table_out", type=click.Path(path_type=Path, dir_okay=False),
              help="Also write the figures as an HTML data table here (the chart's text alternative).")
@click.option("--lang", type=click.Choice(["fi", "sv", "en"]), default="fi", show_default=True)
@click.option("--records", "records_folder", type=click.Path(path_type=Path, file_okay=False), default=Path("outages"),
              show_default=True, help="The records folder; profiles are in its usage/ folder.")
@click.option("--locales", type=click.Path(path_type=Path, file_okay=False), default=Path("locales"),
              show_default=True, help="The interface texts (gettext catalogs) the chart's words come from.")
def usage_chart(service: str, outage_id: str | None, start: str | None, end: str | None, out: Path | None,
                table_out: Path | None, lang: str, records_folder: Path, locales: Path) -> None:
    """An SVG heat map of the week's usage (Helsinki time), with an outage window outlined."""
    from .core import i18n
    from .records import loading as records
    from .usage import chart as usagechart
    from .records.settings import SettingsError
    from .core.times import TimeError, parse_time

    try:
        gettext = i18n.load(locales, lang).gettext
    except i18n.CatalogError as exc:
        raise click.UsageError(f"{exc} (give the site's interface texts with --locales)") from None

    if outage_id and (start or end):
        raise click.UsageError("give either --outage or --start and --end")
    if bool(start) != bool(end):
        raise click.UsageError("--start and --end go together")
    window = None
    if start and end:
        try:
            window = (parse_time(start), parse_time(end))
        except TimeError as exc:
            raise click.BadParameter(str(exc), param_hint="--start/--end") from None
    profile = _profile_for(service, records_folder)
    if outage_id:
        try:
            settings, _, _ = _site_settings(None, (records_folder,))
        except SettingsError as exc:
            raise click.UsageError(str(exc)) from None
        dataset, _ = records.load([records_folder], settings)
        found = next((r.outage for r in dataset.records if r.id == outage_id), None)
        if found is None:
            _fail(f"no valid outage record with the id '{outage_id}' in {records_folder}")
        if found.end is None:
            _fail(f"the outage '{outage_id}' has no end time")
        window = (found.start, found.end)
    if window is not None and window[1] <= window[0]:
        _fail("the end is not after the start")
    picture, data = usagechart.chart(profile, window, service=service, lang=lang, gettext=gettext)
    if out is None:
        click.echo(picture, nl=False)
    else:
        out.write_text(picture, encoding="utf-8", newline="\n")
        click.echo(str(out), err=True)
    if table_out is not None:
        table_out.write_text(data, encoding="utf-8", newline="\n")
        click.echo(str(table_out), err=True)
