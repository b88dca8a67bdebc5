"""Katko: outage notices for Finnish public digital services.

The core (load → validate → model → render) knows nothing of MkDocs; the
MkDocs plugin (:mod:`katko.plugin`) and the command line (:mod:`katko.cli`)
are thin adapters over it.
"""

__version__ = "0.1.0"
