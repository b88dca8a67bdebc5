"""Checks of all records together and of the services catalogue: placeholders, unique ids
and services, the catalogue's languages and links."""

from __future__ import annotations

from collections.abc import Iterator

from ...core.i18n import N_
from .. import placeholders
from ..dataset import Dataset, Record
from ..diagnostics import Diagnostic
from .base import Context, dataset_check, problem, missing_languages, unsafe_links


# --------------------------------------------------------------------------- #
# Dataset checks
# --------------------------------------------------------------------------- #


@dataset_check
def placeholders_replaced(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K240–K242: what 'katko init' and 'katko new' left for the editors to replace."""
    docs = [r.doc for r in (*dataset.records, *dataset.salvaged)]
    for doc in ([dataset.catalogue_doc] if dataset.catalogue_doc else []) + docs:
        yield from placeholders.find(doc)


@dataset_check
def unique_ids(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K301: outage ids are unique across files.

    The file named after an id owns it; the others sharing it are reported.
    """
    groups: dict[str, list[Record]] = {}
    for record in [*dataset.records, *dataset.salvaged]:
        groups.setdefault(record.id, []).append(record)
    for same in groups.values():
        owner, *others = sorted(same, key=lambda r: (getattr(r.outage, "id", None) is not None, r.path))
        for record in others:
            yield problem(record.doc, ("id",), "K301", N_("the id '%(id)s' is already used by %(owner)s"),
                          id=record.id, owner=owner.path)


@dataset_check
def unique_services(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K304: service ids are unique."""
    if dataset.catalogue is None or dataset.catalogue_doc is None:
        return
    seen: set[str] = set()
    for i, service in enumerate(dataset.catalogue.services):
        if service.id in seen:
            yield problem(dataset.catalogue_doc, ("services", i, "id"), "K304",
                          N_("the service id '%(service)s' is used twice"), service=service.id)
        seen.add(service.id)


@dataset_check
def catalogue_languages(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K202 for the catalogue: names, contacts and instructions in every required language."""
    if dataset.catalogue is not None and dataset.catalogue_doc is not None:
        yield from missing_languages(dataset.catalogue_doc, dataset.catalogue, context)


@dataset_check
def catalogue_links_allowed(dataset: Dataset, context: Context) -> Iterator[Diagnostic]:
    """K120 in services.yml: the services' standing instructions, the accessibility statement."""
    if dataset.catalogue is not None and dataset.catalogue_doc is not None:
        yield from unsafe_links(dataset.catalogue_doc, dataset.catalogue, context)
