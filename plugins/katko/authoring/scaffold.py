"""A new authority's notice site from scratch: ``katko init DIR``.

A new site gets two kinds of files:

- Katko's own templates, styles, interface texts, GitHub workflows,
  pull-request template and pre-commit configuration, copied as they are.
  They live at the top of Katko's repository, where the example site uses
  them; ``newsite/shipped.txt`` names them. A wheel carries a copy of them in
  ``katko/project_files/`` (``setup.py`` puts it there at build time); a
  checkout or an editable install reads them from the repository itself.
- The site's own files, rendered from ``newsite/`` in the site's first
  language (``katko init --lang``) with the texts of ``locales/``:
  ``mkdocs.yml``, a services catalogue with one placeholder service (each
  placeholder marked TODO, see :mod:`katko.records.placeholders`), one example notice,
  a README for the editors, the pull-request checklist, the JSON Schemas
  editors use, and ``requirements.txt``, which names where Katko is installed
  from (:func:`requirement`).
"""

from __future__ import annotations

import json
import shutil
import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import __version__
from ..core.i18n import N_
from ..core.shipped import RELEASE, project_files
from ..core.times import HELSINKI, TimeError, parse_time
from ..records import messages
from ..records.channels import NotifyConfig
from ..records.model import LANGUAGES, Catalogue, Outage
from ..records.placeholders import DOMAIN

NEWSITE = Path(__file__).with_name("newsite")


def schemas() -> dict[str, Any]:
    """The JSON Schema files that editors use, and the model each is made from."""
    return {"outage.schema.json": Outage, "services.schema.json": Catalogue, "notify.schema.json": NotifyConfig}


DEFAULT_URL = f"https://katkot.{DOMAIN}/"
DEFAULT_NAMES = {"fi": "Viranomainen", "sv": "Myndigheten", "en": "The authority"}
SERVICE = "asiointi"

#: The site's own files: template in newsite/ → path in the new site.
RENDERED = {
    "mkdocs.yml": "mkdocs.yml",
    "mkdocs.internal.yml": "mkdocs.internal.yml",
    "services.yml": "outages/services.yml",
    "README.md": "README.md",
    "requirements.txt": "requirements.txt",
    "gitignore": ".gitignore",
    "docs-README.md": "docs/README.md",
    "pull_request_template.md": ".github/pull_request_template.md",
}


INTERNAL_NAME = N_("%(name)s – internal")


class ScaffoldError(Exception):
    """A site that cannot be created; the message says why and what to do."""


def json_schema(model: type[Outage] | type[Catalogue] | type[NotifyConfig]) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- #
# Katko's own files
# --------------------------------------------------------------------------- #


def shipped(root: Path) -> list[Path]:
    """The files of ``newsite/shipped.txt`` under ``root``, relative to it."""
    patterns = (NEWSITE / "shipped.txt").read_text(encoding="utf-8").split()
    return sorted({p.relative_to(root) for pattern in patterns for p in root.glob(pattern) if p.is_file()})


# --------------------------------------------------------------------------- #
# The new site's own files
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Example:
    """The example notice: planned for a Saturday night about 30 days ahead, public at once."""

    id: str
    start: str
    end: str
    public_from: str

    @classmethod
    def for_moment(cls, now: datetime) -> Example:
        local = now.astimezone(HELSINKI)
        day = local.date() + timedelta(days=30)
        day += timedelta(days=(5 - day.weekday()) % 7)  # the first Saturday from then on
        return cls(id=f"{day.isoformat()}-{SERVICE}-paivitys",
                   start=f"{day.isoformat()} 22:00",
                   end=f"{(day + timedelta(days=1)).isoformat()} 02:00",
                   public_from=_wall_clock(local))


def _wall_clock(moment: datetime) -> str:
    """``moment`` as a record writes it: Finnish time to the minute, with the
    offset only where the clock time happens twice (the night summer time ends)."""
    text = moment.strftime("%Y-%m-%d %H:%M")
    try:
        parse_time(text)
    except TimeError:
        return moment.isoformat(" ", "minutes")
    return text


def environment(lang: str) -> Environment:
    """The templates of ``newsite/``, speaking ``lang`` (Katko's own catalogs)."""

    env = Environment(loader=FileSystemLoader(NEWSITE), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(messages.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    # A JSON string is a YAML string: quotes and colons in a name stay text.
    env.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    env.filters["wrap"] = lambda text: "\n".join(textwrap.wrap(text, 79))
    env.filters["comment"] = lambda text: "\n".join("# " + line for line in textwrap.wrap(text, 77))
    return env


# --------------------------------------------------------------------------- #
# Where a new site installs Katko from
# --------------------------------------------------------------------------- #

FROM_RELEASE = N_("This is the wheel attached to Katko's release %(tag)s. To install from the release's git "
                  "tag instead, write katko @ git+%(repository)s@%(tag)s.")
FROM_ELSEWHERE = N_("This is the source given to katko init with --katko-from.")


def requirement(katko_from: str | None) -> tuple[str, str, dict[str, str]]:
    """``(requirement line, msgid that explains it, its values)`` for the new site's requirements.txt.

    ``--katko-from`` wins (a wheel's or sdist's address or path, or a
    ``git+https://…@TAG`` address); else the release this Katko was installed
    from, whose wheel the release workflow attached to it. A Katko that is no
    release (a checkout) does not know a source that exists: it says so.
    """
    if katko_from:
        source = katko_from
        if "://" not in source and not source.startswith("git+"):
            path = Path(source).expanduser().resolve()
            if not path.is_file():
                raise ScaffoldError(f"--katko-from: {source} is neither an address nor a file")
            source = path.as_uri()
        return f"katko @ {source}", FROM_ELSEWHERE, {}
    if RELEASE.is_file():
        release = json.loads(RELEASE.read_text(encoding="utf-8"))
        repository, tag = release["repository"].rstrip("/"), release["tag"]
        wheel = f"{repository}/releases/download/{tag}/katko-{__version__}-py3-none-any.whl"
        return f"katko @ {wheel}", FROM_RELEASE, {"tag": tag, "repository": repository}
    raise ScaffoldError(f"this Katko ({__version__}) was not installed from a release, so it cannot tell where the "
                        "new site should install Katko from: give --katko-from with a release's wheel address, "
                        "git+https://…/katko@TAG, or the path of a wheel you built")


# --------------------------------------------------------------------------- #
# Creating the site
# --------------------------------------------------------------------------- #


def create(target: Path, now: datetime, *, name: str | None = None, url: str | None = None,
           force: bool = False, lang: str = "fi", katko_from: str | None = None) -> list[Path]:
    """Write a new site into ``target``, ``lang`` its first language; return the files written."""
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise ScaffoldError(f"{target} is not empty: give a new folder, or --force to write the new site's "
                            "files over whatever is there")
    if url is not None and not url.startswith(("https://", "http://")):
        raise ScaffoldError(f"--url: '{url}' is not a web address; write it in full, starting with https://")
    line, explanation, values = requirement(katko_from)
    source = project_files()
    written = []
    for relative in shipped(source):
        written.append(_copy(source / relative, target / relative))

    example = Example.for_moment(now)
    names = {lang: name for lang in DEFAULT_NAMES} if name else DEFAULT_NAMES
    context = {
        "name": names[lang], "name_fi": names["fi"], "name_sv": names["sv"], "name_en": names["en"],
        "url": (url.rstrip("/") + "/") if url else DEFAULT_URL, "url_given": url is not None,
        "today": f"{now.astimezone(HELSINKI):%-d.%-m.%Y}", "version": __version__,
        **vars(example),
    }
    env, texts = environment(lang), messages.texts(lang)
    context.update(
        lang=lang, languages=[lang, *(other for other in LANGUAGES if other != lang)],
        internal_name=texts.word(INTERNAL_NAME, name=names[lang]), requirement=line,
        source=texts.word(explanation, **values))
    for template, path in {**RENDERED, "outage.yml": f"outages/{example.id}.yml"}.items():
        written.append(_write(target / path, env.get_template(template).render(context)))
    for file_name, model in schemas().items():
        written.append(_write(target / "schema" / file_name, json_schema(model)))
    return written


def _copy(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def _write(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target
