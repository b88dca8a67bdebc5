"""The Content Security Policies of the published pages.

Every text on a page comes from records that anyone with write access to the
repository can change, so the pages say to the browser what may run on them:
scripts only from the site's own files, never inline, never from elsewhere.
Should some text ever get past the escaping and sanitising, it still cannot
run. docs/security.md gives the same policies as HTTP headers for servers,
which can add what a ``<meta>`` element cannot: ``frame-ancestors``.
"""

from __future__ import annotations

#: The notice site's pages (Material's frame around Katko's content).
#: - scripts: Material's bundle, its search worker and Katko's own, all files
#:   of the site (Material's two inline scripts are replaced by a file, see
#:   overrides/partials/javascripts/);
#: - styles and images: the site's files, and the icons Material's stylesheet
#:   carries as data: URLs;
#: - connect: the search index, and the banner's data on the Embed page.
#: base-uri, form-action and object-src do not fall back to default-src.
PAGE = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
        "base-uri 'none'; form-action 'none'; object-src 'none'")

#: Self-contained pages (shutter and iframe pages): they load nothing at all;
#: their inline stylesheet is their only resource.
SELF_CONTAINED = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
