"""The notice site: which pages exist (:mod:`~katko.site.pages`), their addresses
(:mod:`~katko.site.addresses`), their content from the templates (:mod:`~katko.site.render`),
the staff site's planning view, and putting a finished build in place.
"""
