"""Tests of katko.usage: Usage profiles, outage windows and the week's heat map."""
