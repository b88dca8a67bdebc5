"""The table of problem codes: one stable code per kind of mistake.

Codes never change meaning once published; pull-request reviews, editors and
documentation refer to them. ``K0xx`` are about the file itself, ``K1xx``
about one value, ``K2xx`` about a record as a whole, ``K3xx`` about
records in relation to each other and ``K4xx`` about the site's configuration
(``mkdocs.yml``). Each record code has its own failing fixture in
``tests/fixtures/invalid/``; the ``K4xx`` are tested in ``tests/test_config.py``.

A hint is an English msgid (``pybabel extract -k Code:3`` finds it), shown in
the reader's language; see :mod:`katko.records.messages`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    hint: str


#: Follow-up duties after an outage has ended. They fail ``katko check`` (and so
#: the pull request), but never stop the public site from being rebuilt: a late
#: evaluation must not freeze the notices and statuses citizens rely on.
FOLLOW_UP = frozenset({"K215", "K218", "K219", "K220"})

#: Placeholders left by ``katko init`` and ``katko new``. They fail ``katko check``;
#: the site build warns of them, so that only ``mkdocs build --strict`` (the
#: publishing workflow) refuses them, and a new site can be looked at at once.
PLACEHOLDERS = frozenset({"K240", "K241", "K242"})


_TABLE = [
    # The file itself
    Code("K001", "not-utf8", "Save the file as UTF-8 (in most editors: File > Save with encoding > UTF-8)."),
    Code("K002", "empty-file", "Write the record's fields into the file, or delete the file."),
    Code("K003", "file-too-large", "One outage per file: split the file, or remove pasted material."),
    Code("K004", "yaml-syntax", "Check indentation (spaces, not tabs) and that every 'name: value' has a space after the colon."),
    Code("K005", "duplicate-key", "Each field may appear only once in the same place: remove or rename one of them."),
    Code("K006", "not-a-mapping", "A record is a list of 'field: value' lines; start the file with a field such as 'kind: planned'."),
    Code("K007", "unreadable-file", "Check that the file exists and that you may read it."),
    Code("K008", "yaml-anchor", "Write the value out in full wherever it is needed: Katko does not read YAML anchors "
         "(&name) and aliases (*name)."),
    Code("K009", "yaml-tag", "Remove the tag, the word that starts with '!'. If the value must be read as text, "
         "put it in quotes instead."),
    Code("K010", "too-deep", "Check the indentation: the fields of a record are never nested this deep."),
    Code("K011", "too-long", "Shorten the text or the list: link to a longer document instead of pasting it in."),
    Code("K012", "bad-field-name", "Write each field name as a word followed by a colon, for example 'title:'; "
         "remove the '?' or the brackets in front of it."),
    Code("K020", "bad-usage-profile", "Make the usage profile again with 'katko usage ingest' rather than editing it "
         "by hand, or remove the file: without it, the outages of its service are not weighed against its use."),
    Code("K021", "not-a-usage-profile", "Name the file after its service's id with a lower-case .csv, for example "
         "rakennuslupa.csv, or move it out of the usage folder."),
    Code("K022", "not-a-record-file", "Rename the file so that its name ends in a lower-case .yml, for example "
         "2026-12-24-rakennuslupa-huoltokatko.yml, or move it out of the records folder."),
    # One value
    Code("K101", "unknown-field", "Check the spelling of the field name; the record guide lists every field."),
    Code("K102", "missing-field", "Add the field; the record guide shows an example."),
    Code("K103", "wrong-type", "Check the value against the example in the record guide."),
    Code("K104", "not-allowed", "Use one of the values listed in the message."),
    Code("K105", "yes-no-as-text", "YAML reads an unquoted yes, no, on or off as true/false: put the text in quotes, for example 'no'."),
    Code("K106", "time-as-number", "YAML reads 22:00 as a number: write the full date and time in quotes, for example \"2026-12-05 22:00\"."),
    Code("K107", "date-without-time", "Add the time of day, for example 2026-12-05 22:00."),
    Code("K108", "bad-time", "Write times as 2026-12-05 22:00 (Finnish time) or 2026-12-05T22:00+02:00."),
    Code("K109", "nonexistent-local-time", "This clock time is skipped when summer time begins: give the offset explicitly, for example 2026-03-29T04:00+03:00."),
    Code("K110", "ambiguous-local-time", "This clock time happens twice when summer time ends: add +03:00 (the first) or +02:00 (the second)."),
    Code("K111", "bad-duration", "Write a duration as hours and minutes, for example 4h, 90min or 2h30min."),
    Code("K112", "bad-id", "Use lower-case letters a-z, digits and hyphens only, at most 100 characters, for example 2026-12-lupapalvelu."),
    Code("K113", "bad-url", "Write the full address, starting with https://."),
    Code("K114", "control-character", "Remove the invisible control character: retype the text around it, "
         "or paste the text through a plain-text editor."),
    Code("K115", "empty-text", "Write the text, or leave the language out: this text has only spaces or "
         "invisible characters."),
    Code("K116", "line-break-in-name", "Write this title or name on one line, right after the colon (in quotes "
         "if it has a colon of its own), not as a block of lines."),
    Code("K117", "markdown-too-complex", "Simplify the text: fewer lists, quotes or emphasis inside each other, "
         "and fewer link definitions."),
    Code("K118", "year-out-of-range", "Check the year: a notice is about an outage between the years 2000 and 2100."),
    Code("K119", "bad-offset", "Check the offset from UTC: Finnish time is +02:00 in winter and +03:00 in summer, "
         "and no offset is more than 14 hours."),
    Code("K120", "link-not-allowed", "Links may lead only to web addresses starting with https://, e-mail "
         "(mailto:) and phone (tel:) addresses, or pages of this site. Write the address with https://, or "
         "remove the link."),
    Code("K121", "email-not-alone", "Write the e-mail address alone, for example neuvonta@esimerkkila.fi: "
         "nothing after it, and no ?, &, #, %, comma or semicolon in it. Write a subject or other "
         "instructions in the text instead."),
    # One record
    Code("K201", "end-before-start", "Check the dates and times: the end must be later than the start."),
    Code("K202", "missing-language", "Write this text in every required language (Finnish and Swedish by law; English if configured)."),
    Code("K203", "status-not-for-kind", "Planned outages use scheduled, ongoing, extended, ended or cancelled; unplanned ones investigating, identified, monitoring, resolved or cancelled."),
    Code("K204", "public-after-start", "Make the notice public before the outage starts, so that people can prepare."),
    Code("K205", "planned-without-end", "Give the planned end time: people need to know when the service is back."),
    Code("K206", "bad-id-from-file-name", "Rename the file using lower-case letters a-z, digits and hyphens (at most 100 characters), or give an 'id' field."),
    Code("K207", "update-in-the-future", "An update tells what has happened: check its date, or publish it when it happens."),
    Code("K208", "cancelled-without-update", "Add an update that tells people the outage is cancelled, and why: subscribers see it as a change."),
    Code("K209", "change-not-announced", "Add an update that tells what changed and why: feed readers and calendars learn of changes from updates."),
    # The outage process (duties D3-D11 of the guidance)
    Code("K210", "notice-too-short", "Make the notice public earlier, move the outage later, or, if it truly cannot wait, explain why under 'urgent:' in every required language (the notice shows it)."),
    Code("K211", "over-service-level", "Split the work into shorter outages, or give the reason under 'internal: service_level_reason:' (approved by the service owner)."),
    Code("K212", "no-alternative-instructions", "Tell people how to get their matter handled meanwhile: write 'alternatives:' in every required language, or add standing instructions to the service in services.yml."),
    Code("K213", "no-contact-channels", "Add at least one contact (phone, e-mail, service point, form or chat) to the service in services.yml."),
    Code("K214", "scope-not-assessed", "Assess who is affected and what could go wrong: fill in 'stakeholders:' and, under 'internal:', 'affected_users', 'authority_impact' and 'risks'."),
    Code("K215", "status-out-of-date", "The end has passed: add an update with status ended (or resolved), or extend the outage with an update that gives the new end."),
    Code("K216", "end-not-as-announced", "Give every update that extends the outage its new 'end:', and keep the record's 'end:' equal to the last one announced."),
    Code("K217", "first-update-missing", "Add a first update under 'updates:' telling what is known now, with its time and status."),
    Code("K218", "arrangement-not-removed", "Remove the temporary arrangement and record when under 'removed:', or ask its owner to."),
    Code("K219", "data-not-carried-over", "Carry the information the arrangement collected over to the service, and record when under 'carried_over:'."),
    Code("K220", "evaluation-missing", "Write the evaluation under 'internal: evaluation:' (actual times, what went well, problems, improvements, whether people were reached)."),
    Code("K221", "crisis-template-incomplete", "An exceptional situation follows the crisis communication template: give 'details', 'advice' (and 'affected_data' for a data breach), and 'authority: crisis:' in services.yml."),
    Code("K222", "resolved-without-update", "Add an update with status resolved that tells people the service works again, and since when (its end): subscribers see it as a change."),
    Code("K223", "cancelled-after-start", "A cancellation tells people that the outage did not happen. If the service was already down, add an update with status ended instead, with the actual end: the notice then says it ended early."),
    Code("K230", "busy-window", "Move the outage to a quieter time: the message names quieter windows in the same week "
         "('katko usage suggest' finds more)."),
    # Dates and times written in the texts (katko.core.textdates)
    Code("K231", "weekday-not-of-date", "Check the weekday against the calendar: the date and the weekday next to it must agree (a copied text keeps the earlier notice's)."),
    Code("K232", "title-of-another-day", "Write the days of this outage in the title: a title copied from an earlier notice keeps that one's."),
    Code("K233", "time-not-of-outage", "Write the times the record gives in 'start' and 'end' (or the end an update announced): a copied text keeps the earlier outage's times."),
    Code("K234", "copied-date-unchecked", "'katko new' marked this date or time, copied from an earlier notice: correct it for this outage and remove the [[ ]] around it."),
    Code("K235", "resolution-time-unclear", "Give the update that resolved the disruption the time the service was back in use, as 'end:'."),
    # Placeholders that 'katko init' and 'katko new' leave (katko.records.placeholders)
    Code("K240", "todo-mark", "Replace the placeholder on this line, or in the lines under it, with the real value; "
         "then delete the TODO comment."),
    Code("K241", "placeholder-address", "Write the real address here: the addresses 'katko init' writes end in "
         ".example and lead nowhere."),
    Code("K242", "placeholder-phone", "Write the real phone number here, and wherever the texts mention it."),
    # Records in relation to each other
    Code("K301", "duplicate-id", "Give each outage its own id (by default the file name)."),
    Code("K302", "unknown-service", "Use a service id listed in outages/services.yml, or add the service there."),
    Code("K303", "no-services-catalogue", "Create outages/services.yml listing the services (see the record guide)."),
    Code("K304", "duplicate-service", "Give each service its own id."),
    Code("K305", "service-listed-twice", "Delete the second mention: each affected service is listed once."),
    # The site's configuration, mkdocs.yml (katko.config)
    Code("K401", "site-config-not-a-mapping", "Write the site's settings as 'name: value' lines starting at the "
         "left edge, for example 'site_name: Käyttökatkot', with no '- ' in front of them."),
    Code("K402", "inherit-loop", "Let only the other configuration, such as mkdocs.internal.yml, say 'INHERIT: "
         "mkdocs.yml', and remove INHERIT from mkdocs.yml."),
    Code("K403", "inherit-not-found", "Check the file name after INHERIT: it is read from this file's folder, "
         "for example 'INHERIT: mkdocs.yml'."),
    Code("K404", "plugins-not-a-list", "Write each plugin on its own line under 'plugins:', starting with '- ', "
         "for example '- search' and '- katko:'."),
    Code("K405", "katko-plugin-missing", "Add the line '- katko:' under 'plugins:' in mkdocs.yml, with Katko's "
         "options indented under it."),
    Code("K406", "unknown-katko-option", "Check the option's spelling in mkdocs.yml, under 'plugins: - katko:', "
         "or remove it."),
    Code("K407", "bad-katko-option", "Write the option in mkdocs.yml, under 'plugins: - katko:', as the message "
         "says."),
]

CODES: dict[str, Code] = {c.code: c for c in _TABLE}
BY_NAME: dict[str, Code] = {c.name: c for c in _TABLE}


def hint(code: str) -> str:
    return CODES[code].hint
