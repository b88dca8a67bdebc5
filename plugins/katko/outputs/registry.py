"""Every file the site publishes besides its pages, from one list of output modules.

The plugin publishes what :func:`outputs` lists, and tests find the files
there. A new output (an e-mail digest, a post for a social network) is a
module with an ``outputs(context)`` function (:class:`~katko.outputs.base.Maker`)
and one line in :data:`MAKERS`.
"""

from __future__ import annotations

from . import api, banner, calendars, feeds, shutters, snippets, webhook
from .base import Context, Maker, Output

MAKERS: tuple[Maker, ...] = (
    feeds.outputs,
    calendars.outputs,
    api.outputs,
    webhook.outputs,
    banner.outputs,
    snippets.outputs,
    shutters.outputs,
)


def outputs(context: Context) -> list[Output]:
    """Every file of every output module."""
    return [output for make in MAKERS for output in make(context)]
