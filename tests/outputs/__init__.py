"""Tests of katko.outputs: the files besides pages (feeds, calendars, API, banner data, snippets, shutter pages)."""
