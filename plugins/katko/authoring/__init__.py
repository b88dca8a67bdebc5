"""What helps editors write: ``katko new`` (a draft from an earlier outage) and ``katko init``
(a new authority's site from the files in ``newsite/``).
"""
