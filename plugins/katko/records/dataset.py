"""What loading gives the rest of Katko: the valid records, the catalogue and the usage profiles.

A :class:`Dataset` is what :func:`katko.records.loading.load` made of the files;
the rules (:mod:`katko.records.rules`) check it, the site is built from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..usage.profiles import Profile
from .model import Catalogue, Outage, Service
from .yamlsource import Document


@dataclass(frozen=True)
class Record:
    """A valid outage with the document it came from (for positions in later checks)."""

    outage: Outage
    id: str
    doc: Document

    @property
    def path(self) -> str:
        return self.doc.path


@dataclass
class Dataset:
    catalogue: Catalogue | None = None
    catalogue_doc: Document | None = None
    records: list[Record] = field(default_factory=list)
    #: The valid parts of records that failed validation: checked, never published.
    salvaged: list[Record] = field(default_factory=list)
    #: The records folder (where services.yml is); usage profiles are in its ``usage/``.
    folder: Path | None = None
    #: The services' usage profiles (``usage/ID.csv``) by service id, read with the records.
    profiles: dict[str, Profile] = field(default_factory=dict)

    @property
    def services(self) -> dict[str, Service]:
        return {s.id: s for s in self.catalogue.services} if self.catalogue else {}
