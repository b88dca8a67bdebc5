"""What the Embed page offers a web team: the banner's one ``<script>`` tag, its hash, and
the lines of their Content Security Policy and CORS header.

The banner itself is ``overrides/embed/banner-v3.js``: the theme publishes it as
``embed/banner-v3.js`` like any other static file, byte for byte, so the
Subresource Integrity hash is computed here from that same file. Its data files
are an output (:mod:`katko.outputs.banner`).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from ..records.model import Service
from .addresses import BANNER_PATH


# --------------------------------------------------------------------------- #
# The banner file and its integrity hash
# --------------------------------------------------------------------------- #


def banner_file(templates: Path) -> Path:
    """``banner-v3.js`` in the theme folder whose ``katko/`` templates are ``templates``.

    The theme publishes that folder's ``embed/banner-v3.js`` as the site's
    ``embed/banner-v3.js``, so hashing this file hashes the published bytes.
    """
    return templates.parent / BANNER_PATH


def integrity(data: bytes) -> str:
    """A Subresource Integrity value (SHA-384) for ``data``.

    >>> integrity(b"")
    'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb'
    """
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def origin(url: str) -> str:
    """The origin (scheme, host and port) of ``url``, as CSP and CORS write it.

    >>> origin("https://katkot.example.org/sub/")
    'https://katkot.example.org'
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# --------------------------------------------------------------------------- #
# What the Embed page shows
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Embedding:
    """What a web team needs to embed the banner: addresses, hash and header lines."""

    script_url: str
    integrity: str
    origin: str

    def snippet(self, service: Service | str) -> str:
        """The one ``<script>`` tag for a service, as text to copy."""
        service_id = service if isinstance(service, str) else service.id
        return (f'<script src="{escape(self.script_url)}" data-service="{escape(service_id)}" '
                f'integrity="{self.integrity}" crossorigin="anonymous" defer></script>')

    @property
    def csp(self) -> str:
        """The sources a host page's Content Security Policy must allow."""
        return f"script-src {self.origin}; connect-src {self.origin}"

    @property
    def cors(self) -> str:
        """The header the notice site sends with everything in ``embed/``: the banner and its data."""
        return "Access-Control-Allow-Origin: *"


def embedding(site_url: str, templates: Path) -> Embedding:
    """What the Embed page of the site at ``site_url`` offers, with the banner of ``templates``' theme."""
    return Embedding(script_url=site_url + BANNER_PATH, integrity=integrity(banner_file(templates).read_bytes()),
                     origin=origin(site_url))
