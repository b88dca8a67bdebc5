"""Tests of katko.core: The base layer: times and their formats, text dates, catalogs."""
