"""``katko notify``: tell subscribers of every published change, by e-mail, webhooks and WebSub.

A static site sends nothing by itself, so the bridge runs where the site is
built: after each deployment, ``katko notify`` compares the API the site
published before with the one just built (:mod:`~katko.notify.events`), and
sends each event once (:mod:`~katko.notify.delivery`) through the channels of
``notify.yml`` (:mod:`~katko.records.channels`): e-mail to list addresses
(:mod:`~katko.notify.mail`), webhooks (:mod:`~katko.notify.webhook`) and a
WebSub hub (:mod:`~katko.notify.websub`). :mod:`~katko.notify.compose` writes
what the messages say.

Nothing here imports MkDocs: the site build uses only the settings and the
feeds' hub link, the CLI everything.
"""
