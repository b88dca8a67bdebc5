"""Tests of katko.site: the pages, the staff site, rendering and publishing."""
