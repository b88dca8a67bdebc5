"""Loading: files in ``outages/`` become validated records, or diagnostics.

:func:`load` reads the services catalogue and every outage file, validates
each against the models of :mod:`katko.records.model`, runs the named checks of
:mod:`katko.records.rules`, and returns a :class:`Dataset` together with a
:class:`~katko.records.diagnostics.Report` holding every problem found. Nothing is
published from a dataset whose report has errors.
"""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path
from typing import Any, Iterable

from ..core.i18n import N_
from ..usage import windows
from ..usage.profiles import Profile, ProfileError
from . import rules
from .codes import hint
from .dataset import Dataset, Record
from .diagnostics import Diagnostic, Report
from .messages import params
from .model import Catalogue, Outage
from .settings import Settings
from .validation import validate
from .yamlsource import Document
from .yamlsource import load as load_yaml

CATALOGUE_NAME = "services.yml"
SUFFIXES = (".yml", ".yaml")


# --------------------------------------------------------------------------- #
# Finding files
# --------------------------------------------------------------------------- #


NOT_A_RECORD = N_("'%(name)s' is not read as an outage record: a record's file name ends in .yml")
#: A name that was meant for a record: it has .yml or .yaml in it (2026-12-24-lupa.YML,
#: 2026-12-24-lupa.yml.txt), starts with a date, or has no suffix at all.
_MEANT_AS_RECORD = re.compile(r"(?i)[^.]+\Z|.*\.ya?ml|\d{4}-\d{2}-\d{2}")


def _unread(folder: Path, others: list[Path]) -> list[Diagnostic]:
    """A K022 warning for each of ``others`` (files in the records ``folder`` that are not read)
    that was meant as a record, so that it is not left out without a word. Hidden files and the
    usage folder (K021) are not looked at."""
    usage = folder / "usage"
    return [Diagnostic(display(path), 1, 1, "warning", "K022", NOT_A_RECORD, hint("K022"), params(name=path.name))
            for path in others
            if not any(part.startswith(".") for part in path.relative_to(folder).parts)
            and not path.is_relative_to(usage) and _MEANT_AS_RECORD.match(path.name) and path.is_file()]


def find_files(paths: Iterable[Path]) -> tuple[Path | None, list[Path], list[Diagnostic]]:
    """The catalogue and the outage files named by ``paths`` (files or folders), and a K022
    warning for each file in a folder that was meant as a record but is not read as one."""
    catalogue: Path | None = None
    outages: dict[Path, None] = {}  # ordered, and a file named twice is read once
    unread: list[Diagnostic] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.rglob("*"))
            # Anything but a folder: a pipe or a link to a device is reported, never waited on.
            candidates = [p for p in found if p.suffix in SUFFIXES and not p.is_dir()]
            unread += _unread(path, [p for p in found if p.suffix not in SUFFIXES])
            folder = path
        else:
            candidates = [path]
            folder = path.parent
        for candidate in candidates:
            if candidate.name == CATALOGUE_NAME:
                catalogue = candidate
            else:
                outages[candidate] = None
        if catalogue is None:
            for parent in (folder, *folder.parents):
                if (parent / CATALOGUE_NAME).is_file():
                    catalogue = parent / CATALOGUE_NAME
                    break
    return catalogue, list(outages), unread


# --------------------------------------------------------------------------- #
# Loading
# --------------------------------------------------------------------------- #


def display(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    if not path.is_absolute():
        return str(path)
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


class Reuse:
    """What earlier loads made of each record file: ``mkdocs serve`` loads the records
    again after every save, and only the files saved since need reading and checking.

    A file is known by its path, size and modification time; its record's checks by
    the record's text, under the same settings ("now" included) and catalogue."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, int, int], tuple[Any, ...]] = {}
        self.checks: dict[tuple[str, str], list[Diagnostic]] = {}
        self.context = ""
        #: Where each record stands, by its text and the moment (:class:`katko.site.pages.Site`).
        self.states: dict[tuple[str, str], Any] = {}

    def read(self, path: Path, shown: str) -> tuple[Document | None, list[Diagnostic], Any, Any]:
        try:
            stat = path.stat()
        except OSError:
            return _read(path, shown)
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        found = self.files.get(key)
        if found is None:
            found = self.files[key] = _read(path, shown)
        return found  # type: ignore[return-value]

    def checks_for(self, context: str) -> dict[tuple[str, str], list[Diagnostic]]:
        if context != self.context:
            self.checks, self.states, self.context = {}, {}, context
        return self.checks

    def forget_others(self, paths: Iterable[Path]) -> None:
        """Keep only what the files now in ``paths`` are (a saved file's older versions go)."""
        kept = {str(p) for p in paths}
        self.files = {key: value for key, value in self.files.items() if key[0] in kept}


def load(paths: Iterable[Path], settings: Settings, reuse: Reuse | None = None) -> tuple[Dataset, Report]:
    """Load and check everything under ``paths``; see the module docstring. With ``reuse``,
    files unchanged since an earlier load with it are not read or checked again."""
    # Loading makes many objects and no reference cycles: the cyclic garbage
    # collector would only rescan them, again and again as they accumulate.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(paths, settings, reuse)
    finally:
        if enabled:
            gc.enable()


NOT_A_PROFILE = N_("'%(name)s' is not read as a usage profile: a profile is named after its service's id, "
                   "ending in a lower-case .csv")


def read_profiles(folder: Path) -> tuple[dict[str, Profile], list[Diagnostic]]:
    """The usage profiles in ``folder`` (none if it does not exist), and a K020 per unreadable one."""
    unreadable: list[ProfileError] = []
    profiles = windows.load_profiles(folder, unreadable)
    problems = [Diagnostic(display(error.path), line, 1, "error", "K020", message, hint("K020"), params(**values))
                for error in unreadable for line, message, values in error.problems]
    # A profile saved as LUPA.CSV or lupa.csv.txt would be left out without a word.
    try:
        others = [path for path in sorted(folder.iterdir()) if path.suffix != ".csv" and not path.name.startswith(".")
                  and path.is_file()] if folder.is_dir() else []
    except OSError:  # a folder that cannot be listed has no profiles either (windows.load_profiles)
        others = []
    problems += [Diagnostic(display(path), 1, 1, "warning", "K021", NOT_A_PROFILE, hint("K021"), params(name=path.name))
                 for path in others]
    return profiles, problems


def _read(path: Path, shown: str) -> tuple[Document | None, list[Diagnostic], Any, Any]:
    """One record file: its document, its problems, and its outage if valid, else what is salvaged."""
    doc, problems = load_yaml(path, shown)
    if doc is None:
        return None, problems, None, None
    outage, partial, invalid = validate(doc, Outage)
    return doc, problems + invalid, outage, partial


def _load(paths: Iterable[Path], settings: Settings, reuse: Reuse | None = None) -> tuple[Dataset, Report]:
    report = Report()
    dataset = Dataset()
    paths = [Path(p) for p in paths]
    catalogue_path, outage_paths, unread = find_files(paths)

    dataset.folder = catalogue_path.parent if catalogue_path is not None else None
    if catalogue_path is None:
        first = display(outage_paths[0]) if outage_paths else "outages"
        report.add(Diagnostic(first, 1, 1, "error", "K303", N_("no %(name)s found"), hint("K303"),
                              params(name=CATALOGUE_NAME)))
    else:
        doc, problems = load_yaml(catalogue_path, display(catalogue_path))
        report.extend(problems)
        if doc is not None:
            catalogue, _, problems = validate(doc, Catalogue)
            report.extend(problems)
            dataset.catalogue, dataset.catalogue_doc = catalogue, doc

    report.extend(unread)
    for path in outage_paths:
        doc, problems, outage, partial = reuse.read(path, display(path)) if reuse else _read(path, display(path))
        report.extend(problems)
        if doc is None:
            continue
        if outage is not None:
            dataset.records.append(Record(outage, outage.id or path.stem, doc))
        elif partial is not None:
            dataset.salvaged.append(Record(partial, getattr(partial, "id", None) or path.stem, doc))

    if dataset.folder is not None:
        dataset.profiles, problems = read_profiles(dataset.folder / "usage")
        report.extend(problems)

    checked = None
    if reuse is not None:
        reuse.forget_others(outage_paths)
        catalogue_text = dataset.catalogue_doc.text if dataset.catalogue_doc else ""
        checked = reuse.checks_for(repr(settings) + "\0" + catalogue_text)
    report.extend(rules.run(dataset, settings, checked))
    dataset.records.sort(key=lambda r: (r.outage.start, r.id))
    return dataset, report
