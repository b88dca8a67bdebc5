"""Feeds, calendars and the API together: a change reaches subscribers as a
change of exactly one entry and one event, and nothing else moves."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from lxml import etree

from ..site.test_site import build, copy_project, snapshot

RECORD = "2026-12-05-rakennuslupa-palvelinvaihto"
ATOM = "{http://www.w3.org/2005/Atom}"
EXTENSION = '''updates:
  - time: "2026-11-30 10:00"
    text:
      fi: Katko jatkuu su 6.12. klo 5.00 asti.
      sv: Avbrottet fortsätter till sö 6.12 kl. 5.00.
      en: The outage continues until Sun 6 December at 5:00.
'''


def atom_entries(data: bytes) -> tuple[dict[str, bytes], bytes]:
    """Entries by id, and the feed without its entries and its own updated."""
    feed = etree.fromstring(data)
    for element in feed:
        element.tail = None  # the changed entry moves to the top: only the order may differ
    entries = {e.findtext(f"{ATOM}id"): etree.tostring(e) for e in feed.findall(f"{ATOM}entry")}
    for element in feed.findall(f"{ATOM}entry") + feed.findall(f"{ATOM}updated"):
        feed.remove(element)
    return entries, etree.tostring(feed)


def events(data: bytes) -> dict[str, bytes]:
    return {str(e["UID"]): e.to_ical() for e in Calendar.from_ical(data).walk("VEVENT")}


def test_an_extension_changes_one_entry_and_one_event_and_nothing_else(built_site: Path, tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    record = project / "outages" / f"{RECORD}.yml"
    text = record.read_text(encoding="utf-8")
    text = text.replace('end: "2026-12-06 04:00"', 'end: "2026-12-06 05:00"')
    record.write_text(text.replace("\ninternal:", "\n" + EXTENSION + "internal:"), encoding="utf-8")
    result = build(project, "--strict", "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    before, after = snapshot(built_site), snapshot(tmp_path / "site")

    changed_entries = changed_events = 0
    for name in sorted(before):
        if name.endswith("feed.atom"):
            (old, old_rest), (new, new_rest) = atom_entries(before[name]), atom_entries(after[name])
            assert old_rest == new_rest, name
            assert old.keys() == new.keys(), name
            for entry_id in old:
                if entry_id.endswith(f"/outages/{RECORD}/"):
                    changed_entries += 1
                    assert old[entry_id] != new[entry_id]
                    assert b"2026-11-30T10:00:00+02:00</updated>" in new[entry_id]
                else:
                    assert old[entry_id] == new[entry_id], (name, entry_id)
        elif name.endswith(".ics"):
            old, new = events(before[name]), events(after[name])
            assert old.keys() == new.keys(), name
            for uid in old:
                if uid.startswith(f"{RECORD}/"):
                    changed_events += 1
                    assert Calendar.from_ical(after[name]).walk("VEVENT")  # still parses
                    assert b"SEQUENCE:" in new[uid] and new[uid] != old[uid]
                else:
                    assert old[uid] == new[uid], (name, uid)
    # Three languages: the site's feed and calendar and the service's.
    assert changed_entries == 6 and changed_events == 6
