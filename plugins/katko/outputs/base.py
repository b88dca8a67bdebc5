"""What every output is: a file at an address, written on demand from a :class:`Context`.

An output module has one public function, ``outputs(context)``, that lists its
files as :class:`Output`\\ s; :mod:`katko.outputs.registry` lists the modules.
Outputs read the site through :class:`Context`, which the renderer
(:class:`katko.site.render.Renderer`) provides, so that they depend on what
they use and not on how pages are rendered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..records.lifecycle import State
from ..records.model import Service
from ..site.pages import Notice, Site


@dataclass(frozen=True)
class Output:
    """One file: where it goes, what it is, and how to write it."""

    path: str
    kind: str  # rss, atom, ics, json or html
    lang: str | None
    service: Service | None
    write: Callable[[], bytes]


class Context(Protocol):
    """What outputs need of the site being built."""

    site: Site
    #: The site's languages, the first being its own.
    languages: tuple[str, ...]
    #: The folder of the ``katko/`` templates; the theme's files are beside it.
    templates: Path

    def gettext(self, lang: str) -> Callable[[str], str]:
        """The interface texts of ``lang``."""

    def site_name(self, lang: str) -> str:
        """The site's name in ``lang``."""

    def absolute(self, path: str) -> str:
        """The full address of a site-relative path."""

    def fragment(self, template: str, lang: str, **values: Any) -> str:
        """A template of ``katko/`` rendered in ``lang``, with absolute links."""

    def times_text(self, state: State, lang: str) -> str:
        """An outage's times as plain text in ``lang``."""

    def piece(self, kind: str, notice: Notice, make: Callable[[], Any]) -> Any:
        """The part ``kind`` of the files that show ``notice``: made by ``make`` once per build."""


class Maker(Protocol):
    """An output module's ``outputs``: every file it publishes for a site."""

    def __call__(self, context: Context) -> list[Output]: ...
