"""Tests of katko.authoring: `katko new` and `katko init`."""
