"""The site's files besides its pages: feeds, calendars, the JSON API, the banner's data,
snippets and shutter pages. Each output is a module; :mod:`~katko.outputs.registry` lists them.
"""
