"""Tests of katko.outputs: The site's files besides its pages: feeds, calendars, API, banner, snippets."""
