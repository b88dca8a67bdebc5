"""Outage records and the services catalogue: read from YAML, validated against the models,
checked by the named rules, and the problems found (each with its code) in the reader's language.
"""
