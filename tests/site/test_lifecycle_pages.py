"""What the outage process shows the public (issue 5): the end notice on the
notice page, the home page and in the feeds; the reason for an urgent outage;
the crisis communication template; and follow-up duties that fail
``katko check`` without stopping the site from being published.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import feedparser
import lxml.html
import yaml

from ..conftest import KATKO_NOW, REPO_ROOT
from .test_site import copy_project

ENDED = "2026-11-28-rakennuslupa-versiopaivitys"   # planned to end at 2.00, ended early at 1.35 (an update)
ON_TIME = "2026-02-14-maksut-korttimaksut"         # planned, ended by the clock
RESOLVED = "2026-11-16-maksut-hairio"              # unplanned, resolved by an update
URGENT = "2026-12-03-maksut-tietoturvapaivitys"
BREACH = "2026-10-20-asiointi-tietoturvaloukkaus"
UPCOMING = "2026-12-05-rakennuslupa-palvelinvaihto"


def text(path: Path, xpath: str) -> list[str]:
    """What the page says as built: the status script's future states (<template>s) left out."""
    tree = lxml.html.fromstring(path.read_bytes())
    for template in tree.xpath("//template"):
        template.drop_tree()
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


END = "//p[@class='katko-end']"
ARTICLE = "//article"


def page(site: Path, lang: str, outage: str) -> Path:
    return site / lang / "outages" / outage / "index.html"


def record(outage: str) -> dict:
    return yaml.safe_load((REPO_ROOT / "outages" / f"{outage}.yml").read_text(encoding="utf-8"))


def test_end_notice_on_the_notice_page(built_site: Path) -> None:
    # Ended early: back since the update that said so, not the planned end (2.00).
    assert text(page(built_site, "fi", ENDED), END) == ["Palvelu on taas käytössä su 29.11.2026 klo 1.35 alkaen."]
    assert text(page(built_site, "sv", ENDED), END) == ["Tjänsten är i bruk igen sedan sö 29.11.2026 kl. 1.35."]
    # Ended by the clock, with no update: back since the planned end.
    assert record(ON_TIME)["end"] == "2026-02-15 02:00"
    assert text(page(built_site, "en", ON_TIME), END) == ["The service is back in use since Sun 15 February 2026 at 02:00 (Finnish time)."]
    # Resolved: back since the end the record states (11.20), not the update's time.
    assert text(page(built_site, "fi", RESOLVED), END) == ["Palvelu on taas käytössä ma 16.11.2026 klo 11.20 alkaen."]
    # Not before the end.
    assert text(page(built_site, "fi", UPCOMING), END) == []


def test_end_notice_on_the_home_page_for_the_recent_days(built_site: Path) -> None:
    home = built_site / "fi" / "index.html"
    recent = lxml.html.fromstring(home.read_bytes()).xpath("//section[@aria-labelledby='recent']")[0]
    cards = {c.xpath(".//a")[0].get("href").rstrip("/").rsplit("/", 1)[-1]: c
             for c in recent.xpath(".//li[contains(@class, 'katko-card')]")}
    assert ENDED in cards  # ended 29.11., within recent_days (7) of 1.12.
    assert "Palvelu on taas käytössä su 29.11.2026 klo 1.35 alkaen." in " ".join(cards[ENDED].text_content().split())
    assert RESOLVED not in cards  # resolved 16.11., more than 7 days ago


def test_end_notice_in_the_feeds(built_site: Path) -> None:
    sentence = "Palvelu on taas käytössä su 29.11.2026 klo 1.35 alkaen."
    for name in ("feed.atom", "feed.rss", "services/rakennuslupa/feed.atom"):
        entries = feedparser.parse((built_site / "fi" / name).read_bytes()).entries
        entry = next(e for e in entries if e.link.rstrip("/").endswith(ENDED))
        content = lxml.html.fromstring(entry.content[0].value)
        assert sentence in " ".join(content.text_content().split()), name


def test_urgent_outage_states_why(built_site: Path) -> None:
    reason = " ".join(record(URGENT)["urgent"]["fi"].split())
    path = page(built_site, "fi", URGENT)
    assert text(path, "//h2[@id='urgent']") == ["Miksi katkosta ilmoitetaan lyhyellä varoitusajalla"]
    assert reason in " ".join(text(path, ARTICLE))
    assert text(page(built_site, "fi", UPCOMING), "//h2[@id='urgent']") == []


def test_data_breach_follows_the_crisis_template(built_site: Path) -> None:
    path = page(built_site, "fi", BREACH)
    headings = text(path, "//article//h2")
    template = ["Mitä tapahtui", "Mitä tietoja asia koskee", "Mitä sinun pitää tehdä nyt", "Keneen voit ottaa yhteyttä"]
    assert [h for h in headings if h in template] == template  # all there, in this order
    assert headings.index("Keneen voit ottaa yhteyttä") < headings.index("Tilannepäivitykset")
    body = " ".join(text(path, ARTICLE))
    catalogue = yaml.safe_load((REPO_ROOT / "outages" / "services.yml").read_text(encoding="utf-8"))
    crisis = catalogue["authority"]["crisis"]
    assert crisis["contacts"][0]["phone"] in body
    assert " ".join(crisis["statement"]["fi"].split()) in body
    assert 'href="https://tietosuoja.fi"' in path.read_text()
    # An ordinary disruption keeps the ordinary headings.
    assert "Mitä tapahtui" not in text(page(built_site, "fi", RESOLVED), "//article//h2")


def test_follow_up_duties_fail_the_check_but_not_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    later = "2027-01-15T12:00:00+02:00"  # 47 days after ENDED, which has no evaluation
    env = {**os.environ, "KATKO_NOW": later, "NO_MKDOCS_2_WARNING": "1"}
    check = subprocess.run([str(Path(sys.executable).with_name("katko")), "check", "--lang", "en", "outages"],
                           cwd=project, env=env, capture_output=True, text=True)
    assert check.returncode == 1
    assert f"outages/{ENDED}.yml" in check.stdout and "error K220" in check.stdout
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "jatkotoimi: " in built.stderr and "virhe K220" in built.stderr  # the site's first language is fi
    assert (project / "site" / "fi" / "outages" / ENDED / "index.html").is_file()
    assert KATKO_NOW != later
