"""Tests of katko.core: times and their formats, dates written in texts, the catalogs."""
