"""Tests of katko.records: Records: loading, validation, the rules and their messages, the lifecycle."""
