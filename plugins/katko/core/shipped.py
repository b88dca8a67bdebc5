"""Where the files Katko carries are: templates, interface texts, workflows and the record guide.

A wheel carries them in ``katko/project_files/`` (``setup.py`` copies them
there at build time); a checkout of Katko's repository has them at its top,
where the example site uses them. ``katko init`` copies them into new sites,
``katko check`` reads its catalogs from them and the staff site its guide.
"""

from __future__ import annotations

from pathlib import Path

#: The ``katko`` package's folder.
PACKAGE = Path(__file__).resolve().parents[1]
PACKAGED = PACKAGE / "project_files"
CHECKOUT = PACKAGE.parents[1]
#: Written into a wheel by the release workflow (setup.py): where that release is.
RELEASE = PACKAGE / "release.json"


class NotShipped(Exception):
    """This installation of Katko lacks the files it should carry."""


def project_files() -> Path:
    """The folder that holds the files of ``authoring/newsite/shipped.txt``."""
    if PACKAGED.is_dir():
        return PACKAGED
    if (CHECKOUT / "overrides" / "katko").is_dir() and (CHECKOUT / "locales").is_dir():
        return CHECKOUT
    raise NotShipped("this installation of Katko has no site templates (overrides/, locales/); "
                     "reinstall Katko from a wheel or a checkout of its repository")
