"""Named checks over valid records, each with a stable code (see :mod:`katko.records.codes`).

A record check is a small function that receives one record and the
:class:`~katko.records.rules.base.Context` and yields
:class:`~katko.records.diagnostics.Diagnostic`\\ s; a dataset check looks at all
records together. Register a check with :func:`~katko.records.rules.base.record_check`
or :func:`~katko.records.rules.base.dataset_check` in the module of its concern;
:func:`run` runs them all. Checks read no files: what they need (the usage
profiles) is in the :class:`~katko.records.dataset.Dataset`.

The concerns, in the order their checks run:

- :mod:`~katko.records.rules.record`: one record on its own;
- :mod:`~katko.records.rules.process`: notice, service level, instructions, follow-up;
- :mod:`~katko.records.rules.catalogue`: all records together, and the catalogue;
- :mod:`~katko.records.rules.quiet`: usage profiles (K230);
- :mod:`~katko.records.rules.dates`: dates and times written in the texts.

A new check is a function in the module of its concern (or a new module, imported here).
"""

from __future__ import annotations

# Importing a concern's module registers its checks, in this order.
from . import record, process, catalogue, quiet, dates
from .base import Context, run

__all__ = ["Context", "run", "record", "process", "catalogue", "quiet", "dates"]
