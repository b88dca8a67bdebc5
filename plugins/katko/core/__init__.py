"""The base every other layer stands on: times and their formats, working days, the interface
texts and their catalogs, records' Markdown, and where Katko's own files are.

Nothing here knows of records, sites or MkDocs.
"""
