"""Tests of katko.notify: `katko notify`."""
