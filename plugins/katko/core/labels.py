"""The site's fixed words, marked for translation where they are written: the names of the
site and its controls, of the kinds and impacts of outages, and the staff site's states.

Every output that names these things (pages, feeds, calendars, the banner, messages of
``katko notify``) reads them here, so all say the same.
"""

from __future__ import annotations

from .i18n import N_

#: Language names as each language writes its own, for the switcher and notes.
ENDONYMS = {"fi": "suomi", "sv": "svenska", "en": "English"}

SERVICE_OUTAGES = N_("Service outages")
AUTHORITY_OUTAGES = N_("Outages of %(authority)s's digital services")
INTERNAL_SITE = N_("Service outages – internal")
INTERNAL_MARKER = N_("Internal – do not share. This site is for the authority's own staff only.")
NOT_FOUND = N_("Page not found")
# The page frame's own controls (overrides/partials/header.html, main.html).
SKIP_TO_MAIN = N_("Skip to main content")
SKIP_TO_CURRENT = N_("Skip to current outages")
MENU = N_("Menu")
CLOSE_MENU = N_("Close menu")
SEARCH = N_("Search")
NOT_FOUND_HELP = N_("The page you looked for does not exist, or the notice has been removed. Current outages are on the front page:")
FEED_LABELS = {"rss": N_("RSS feed"), "atom": N_("Atom feed"), "ics": N_("Calendar")}
IMPACTS = {
    "unavailable": N_("Not available"),
    "partial": N_("Partly unavailable"),
    "slow": N_("Slow"),
    "read_only": N_("Read only: changes cannot be saved"),
}
KINDS = {"planned": N_("Planned outage"), "unplanned": N_("Disruption")}
ESTIMATE = N_("estimate")
# The staff site's words for check results and follow-up states (katko.site.planning).
LEVELS = {"ok": N_("OK"), "warning": N_("Warning"), "error": N_("Error")}
USAGE_UNITS = {"requests": N_("requests"), "visits": N_("visits")}
CHECKS = {
    "notice": N_("Notice early enough"),
    "service_level": N_("Within the service level"),
    "instructions": N_("Instructions in every required language"),
    "contacts": N_("Contact channels"),
    "scope": N_("Scope and risks assessed"),
    "other": N_("Other check"),
}
ARRANGEMENT_STATES = {"not_removed": N_("Not removed"),
                      "not_carried_over": N_("Removed, but the information it collected is not carried over")}
EVALUATION_STATES = {"due": N_("Due"), "overdue": N_("Overdue"), "late": N_("Overdue more than twice the time")}
