"""Tests of katko.usage: usage profiles, outage windows and the week's heat map."""
