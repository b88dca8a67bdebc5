"""Tests of katko.site: The notice site: pages, the staff site, rendering and publishing."""
