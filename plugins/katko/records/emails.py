"""Whether an e-mail address of a record, the catalogue or ``notify.yml`` is one address and nothing more.

The site publishes every address as a ``mailto:`` link, and a reader's mail program
reads a link's ``?`` as the start of the message's fields: ``?bcc=…`` sends a copy
to someone else, ``?subject=…&body=…`` writes the message for the reader. A ``,`` or
``;`` adds a recipient (so does ``%2C``, decoded), and a ``#`` ends the address. An
address with any of them is refused with its own code (K121); one that is not
``name@host`` with a public host name (:mod:`katko.records.hosts`) is no e-mail
address (K103).

>>> email_problem("neuvonta@esimerkkila.fi"), email_problem("x@y.fi?bcc=attacker@evil.example")[:2]
(None, ('K121', "'%(address)s' is more than an e-mail address: a mailto: link would also carry '%(extra)s'"))
>>> [email_problem(a)[0] for a in ("a,b@y.fi", "x%2Cy@y.fi", "neuvonta at esimerkkila", "x@xn--zz.fi", "x@10.0.0.1")]
['K121', 'K121', 'K103', 'K103', 'K103']
"""

from __future__ import annotations

import re
from typing import Any

from ..core.i18n import N_
from .hosts import IP, LOCAL, name_problem

# What a mailto: link reads as more than the address.
_EXTRA = re.compile(r"[?&#,;%]")
# The part before the '@': letters and digits of any script, and the marks an address may have.
_LOCAL = re.compile(r"[\w.!$'*+/=^`{|}~-]+")

NOT_ALONE = N_("'%(address)s' is more than an e-mail address: a mailto: link would also carry '%(extra)s'")
NOT_AN_ADDRESS = N_("'%(address)s' is not an e-mail address")
NO_HOST = N_("'%(address)s' is not an e-mail address: what follows the '@' is not a public host name "
             "(letters a-z, digits, hyphens and dots; an international name in its xn-- form)")


def email_problem(address: str, public: bool = True) -> tuple[str, str, dict[str, Any]] | None:
    """``(code, msgid, values)`` of what keeps ``address`` from being one e-mail address, or None.
    Not ``public`` (where Katko posts, never shown): a host of the local network will do.

    >>> email_problem("katkot@lists.kaupunki.local", public=False), email_problem("x@xn--zz.fi", public=False)[0]
    (None, 'K103')
    """
    extra = _EXTRA.search(address)
    if extra:
        return "K121", NOT_ALONE, {"address": address, "extra": address[extra.start():]}
    local, at, host = address.rpartition("@")
    if not at or not _LOCAL.fullmatch(local):
        return "K103", NOT_AN_ADDRESS, {"address": address}
    if name_problem(host) not in ((None,) if public else (None, LOCAL, IP)):
        return "K103", NO_HOST, {"address": address}
    return None
