"""Tests of katko.records: loading, validation, the rules and their messages, the lifecycle."""
