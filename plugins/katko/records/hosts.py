"""Whether a web address of a record leads to a public site by its name.

A notice sends people to the authority's services: an address must name a
public host, as the authority's own sites have (``www.esimerkkila.fi``). An
address without a host, with a user name before it (``https://a@b`` leads to
``b``), with an IP address, ``localhost`` or a name that is not in the form
the DNS knows (an international name is written in its ``xn--`` form, which
must decode to a name IDNA 2008 allows) is a mistake or a trick, and
``katko check`` says so (K113). E-mail addresses name their host the same way
(:func:`name_problem`).

>>> host_problem("https://www.esimerkkila.fi/lupa?x=1#y"), host_problem("https://palvelu.example:8443/")
(None, None)
>>> [host_problem(a) is not None for a in ("https://a@b.example", "https://10.0.0.1/", "https://localhost/",
...                                        "https://tänne.fi/", "https:///x", "https://x/")]
[True, True, True, True, True, True]
>>> [host_problem(f"https://{name}/") is not None for name in ("xn--zz.fi", "xn--.fi", "xn--ls8h.fi",
...                                                             "a" * 64 + ".fi", "xn--tnne-koa.fi")]
[True, True, True, True, False]
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import idna

from ..core.i18n import N_

# A DNS label: letters, digits and hyphens, not at either end.
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.ASCII)
# A top-level domain: letters, or an international one in its xn-- form.
_TOP = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}", re.ASCII)
_LOCAL = ("localhost", "localdomain", "local", "internal", "home.arpa")

NO_HOST = N_("'%(address)s' has no host name after https://")
USER = N_("'%(address)s' has a user name or an '@' before its host; the address would lead to what follows the '@'")
IP = N_("'%(address)s' leads to an IP address; write the site's public name instead")
LOCAL = N_("'%(address)s' leads to this computer or a local network, not to a public site")
NOT_A_NAME = N_("'%(address)s' does not have a public host name (letters a-z, digits, hyphens and dots; "
                "an international name in its xn-- form)")
BAD_PORT = N_("'%(address)s' has a port that is not a port number (1 to 65535)")


def host_problem(address: str) -> str | None:
    """The msgid of what is wrong with the host of ``address`` (its ``%(address)s`` field), or None."""
    try:
        netloc = urlsplit(address).netloc
    except ValueError:  # an unclosed '[' of an IPv6 address
        return IP
    if not netloc:
        return NO_HOST
    if "@" in netloc:
        return USER
    host = netloc
    if host.startswith("["):
        return IP  # an IPv6 literal
    if ":" in host:
        host, port = host.rsplit(":", 1)
        if not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
            return BAD_PORT
    if not host:
        return NO_HOST
    return name_problem(host)


def name_problem(host: str) -> str | None:
    """The msgid of what keeps ``host`` from being a public host name (IP, LOCAL or NOT_A_NAME), or None.

    >>> name_problem("www.esimerkkila.fi"), name_problem("xn--zz.fi") == NOT_A_NAME, name_problem("::1") == IP
    (None, True, True)
    """
    host = host.lower()
    try:
        ipaddress.ip_address(host)
        return IP
    except ValueError:
        pass
    labels = host.split(".")
    if labels[-1] in _LOCAL or ".".join(labels[-2:]) in _LOCAL:
        return LOCAL
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels) \
            or not _TOP.fullmatch(labels[-1]) or labels[-1].isdigit() \
            or not all(_international(label) for label in labels if label.startswith("xn--")):
        return NOT_A_NAME
    return None


def _international(label: str) -> bool:
    """Whether the ``xn--`` label is an international name as IDNA 2008 writes it: its Punycode
    decodes to letters a name may have, and encodes back to the same label."""
    try:
        return idna.encode(idna.decode(label)).decode("ascii") == label
    except (idna.IDNAError, UnicodeError):
        return False
