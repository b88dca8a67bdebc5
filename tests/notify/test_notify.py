"""``katko notify`` against a real SMTP server and a real HTTP receiver, both on 127.0.0.1.

The records go through a sequence of builds as the publish workflow sees them:
two planned outages are published, one is updated, an unplanned disruption
starts, the second planned outage is cancelled, the disruption ends, and the
first planned outage ends by the clock. After each step ``katko notify``
compares the API published before with the new one, as the workflow does after
each deployment, and every message is checked where it arrives: parsed back
with the ``email`` package, its signature verified, its payload validated
against the schema the site publishes.
"""

from __future__ import annotations

import base64
import email
import hashlib
import hmac
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator

from katko.outputs import api
from katko.cli import main
from katko.records import channels as notify_config
from katko.notify import webhook
from katko.outputs import webhook as webhook_message
from katko.records.settings import Settings
from katko.core.times import parse_time

from ..conftest import REPO_ROOT, renderer_for
from ..outputs.test_api import format_checker
from ..site.test_site import CANARY, build, copy_project

SITE_URL = "https://katkot.example.org/"  # mkdocs.yml
PLANNED = "2026-12-05-rakennuslupa-palvelinvaihto"
CANCELLED = "2026-12-12-maksut-verkkopankkimaksut"
DISRUPTION = "2026-12-01-asiointi-liitteet-hairio"
SECRET = "whsec_" + base64.b64encode(b"katko-notify-test-signing-key-32").decode()
TEAMS_TOKEN = "teams-token-5bd1c0"  # a Teams address is its own password: never printed
FI, SV, EN = (f"{name}@lists.esimerkkila.example" for name in ("kayttokatkot", "driftavbrott", "asiointi"))
STEPS = ("2026-11-19 12:00", "2026-11-27 12:00", "2026-12-01 11:40", "2026-12-01 12:00", "2026-12-06 12:00")


# --------------------------------------------------------------------------- #
# The servers
# --------------------------------------------------------------------------- #


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    """An aiosmtpd handler that keeps every message, and refuses the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.logins: list[tuple[bytes, bytes]] = []
        self.port = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such list here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        ok = data.password == b"list-password"
        return AuthResult(success=ok, handled=ok)  # unhandled: aiosmtpd answers 535

    def messages(self, address: str | None = None) -> list[EmailMessage]:
        return [email.message_from_bytes(content, policy=default_policy)  # type: ignore[misc]
                for _, to, content in self.received if address is None or to == [address]]

    def take(self) -> list[tuple[str, list[str], bytes]]:
        taken, self.received = self.received, []
        return taken


@pytest.fixture()
def smtp() -> Iterator[Mailbox]:
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


class Receiver:
    """Keeps every POST; answers with the statuses queued for its path, then 200."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.gets: list[str] = []
        #: What GET requests find, by path (without the query); anything else is 404.
        self.files: dict[str, bytes] = {}
        self.answers: dict[str, list[int]] = {}
        self.slow: set[str] = set()
        self.release = threading.Event()
        self.url = ""

    def posts(self, path: str) -> list[tuple[dict[str, str], bytes]]:
        return [(headers, body) for p, headers, body in self.requests if p == path]

    def take(self) -> list[tuple[str, dict[str, str], bytes]]:
        taken, self.requests = self.requests, []
        return taken


@pytest.fixture()
def receiver() -> Iterator[Receiver]:
    r = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            r.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            if self.path in r.slow:
                r.release.wait(5)  # longer than the client waits; released when the test ends
            queue = r.answers.get(self.path)
            self.send_response(queue.pop(0) if queue else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            r.gets.append(self.path)
            found = r.files.get(self.path.split("?")[0])
            self.send_response(200 if found is not None else 404)
            self.send_header("Content-Length", str(len(found or b"")))
            self.end_headers()
            self.wfile.write(found or b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.handle_error = lambda *args: None  # type: ignore[method-assign]  # a client that gave up
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    r.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield r
    r.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


# --------------------------------------------------------------------------- #
# The records, the builds and the configuration
# --------------------------------------------------------------------------- #


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_update(path: Path, time: str, status: str | None, fi: str, sv: str, en: str) -> None:
    entry = (f'  - time: "{time}"\n' + (f"    status: {status}\n" if status else "")
             + f"    text:\n      fi: {fi}\n      sv: {sv}\n      en: {en}\n")
    text = path.read_text(encoding="utf-8")
    if "\nupdates:\n" in text:
        edit(path, "\ninternal:", "\n" + entry + "\ninternal:")
    else:
        edit(path, "\ninternal:", "\nupdates:\n" + entry + "\ninternal:")


@pytest.fixture()
def project(tmp_path: Path, smtp: Mailbox, receiver: Receiver) -> Path:
    """Three records (two planned outages and a disruption) and a notify.yml that reaches the test servers."""
    folder = tmp_path / "outages"
    folder.mkdir()
    for name in ("services.yml", f"{PLANNED}.yml", f"{CANCELLED}.yml", f"{DISRUPTION}.yml"):
        shutil.copy(REPO_ROOT / "outages" / name, folder / name)
    assert CANARY in (folder / f"{DISRUPTION}.yml").read_text(encoding="utf-8")
    write_config(tmp_path, receiver, smtp.port)
    return tmp_path


def write_config(project: Path, receiver: Receiver, port: int, security: str = "    security: none\n") -> None:
    (project / "notify.yml").write_text(f"""
email:
  from: Esimerkkilän kaupunki <katkot@esimerkkila.example>
  smtp:
    host: 127.0.0.1
    port: {port}
{security}    timeout: 5
  lists:
    - address: {FI}
      lang: fi
      unsubscribe: kayttokatkot-leave@lists.esimerkkila.example
    - address: {SV}
      lang: sv
    - address: {EN}
      lang: en
      services: [asiointi]
webhooks:
  - name: palvelupiste
    url: {receiver.url}/hook
    secret_env: TEST_WEBHOOK_SECRET
    retries: 1
    timeout: 5
  - name: teams-it
    preset: teams
    url_env: TEST_TEAMS_URL
    lang: sv
  - name: chat
    preset: slack
    url_env: TEST_SLACK_URL
    lang: en
    services: [maksut]
websub:
  hub: {receiver.url}/hub
""", encoding="utf-8")


def publish(project: Path, step: int) -> Path:
    """The API the site has at ``STEPS[step]``, with the records as they are then; its folder."""
    folder = project / "outages"
    if step == 2:
        add_update(folder / f"{PLANNED}.yml", "2026-12-01 11:35", None,
                   "Katkon aikana voi jättää hakemuksen paperilla.",
                   "Under avbrottet kan man lämna in ansökan på papper.",
                   "During the outage applications can be handed in on paper.")
    if step == 3:
        add_update(folder / f"{CANCELLED}.yml", "2026-12-01 11:50", "cancelled",
                   "Katko on peruttu.", "Avbrottet är inställt.", "The outage has been cancelled.")
        add_update(folder / f"{DISRUPTION}.yml", "2026-12-01 11:55", "resolved",
                   "Vika on korjattu.", "Felet har åtgärdats.", "The fault has been fixed.")
    settings = Settings(site_url=SITE_URL, now=parse_time(STEPS[step]))
    renderer = renderer_for(settings, folder)
    site = project / f"site-{step}"
    target = site / "api" / "v1" / "outages.json"
    target.parent.mkdir(parents=True)
    target.write_bytes(api.outages(renderer))
    return site


ENV = {"TEST_WEBHOOK_SECRET": SECRET, "TEST_SLACK_URL": "", "TEST_TEAMS_URL": ""}


def secrets(receiver: Receiver) -> dict[str, str]:
    return {"TEST_WEBHOOK_SECRET": SECRET, "TEST_TEAMS_URL": f"{receiver.url}/teams/{TEAMS_TOKEN}",
            "TEST_SLACK_URL": f"{receiver.url}/slack"}


def notify(project: Path, old: Path, new: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["notify", "--config", str(project / "notify.yml"), "--site", str(new),
            "--published", str(old / "api" / "v1" / "outages.json"),
            "--templates", str(REPO_ROOT / "overrides" / "katko"), "--locales", str(REPO_ROOT / "locales"), *extra]
    return CliRunner().invoke(main, args, env=env or {})


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    # Retries happen as in production, only without the pause between them.
    monkeypatch.setattr(webhook, "RETRY_DELAY", 0.0)


# --------------------------------------------------------------------------- #
# Checking what arrived
# --------------------------------------------------------------------------- #


def parts(msg: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a well-formed multipart/alternative message."""
    assert msg.get_content_type() == "multipart/alternative"
    assert not msg.defects, msg.defects
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    for part in (plain, html):
        assert part.get_content_charset() == "utf-8" and not part.defects
    return plain.get_content(), html.get_content()


class HtmlLang(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")


def verify(headers: dict[str, str], body: bytes, secret: str = SECRET) -> bool:
    """The receiver's side of a Standard Webhooks signature, written from the specification."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split() if s.startswith("v1,")]
    return any(hmac.compare_digest(expected, g) for g in given)


def subjects(box: Mailbox, address: str) -> list[str]:
    return [str(m["Subject"]) for m in box.messages(address)]


# --------------------------------------------------------------------------- #
# The sequence
# --------------------------------------------------------------------------- #


def test_a_sequence_of_builds_sends_each_event_once_in_the_right_language(
        project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    env = secrets(receiver)
    schema = json.loads(webhook_message.schema())
    validator = Draft202012Validator(schema, format_checker=format_checker())
    sites = [publish(project, step) for step in range(len(STEPS))]
    expected = {  # per step: (event, outage) in the new API's order
        1: [("published", PLANNED), ("published", CANCELLED)],
        2: [("started", DISRUPTION), ("updated", PLANNED)],
        3: [("ended", DISRUPTION), ("cancelled", CANCELLED)],
        4: [("ended", PLANNED)],
    }
    mail: list[tuple[str, list[str], bytes]] = []
    posts: list[tuple[str, dict[str, str], bytes]] = []
    for step in range(1, len(STEPS)):
        result = notify(project, sites[step - 1], sites[step], env=env)
        assert result.exit_code == 0, result.output
        arrived, requests = smtp.take(), receiver.take()
        wanted = expected[step]
        about = {o for _, o in wanted}
        assert sorted(to[0] for _, to, _ in arrived) == sorted(
            [FI] * len(wanted) + [SV] * len(wanted) + [EN] * sum(o == DISRUPTION for o in about)), step
        hooks = [json.loads(b) for p, _, b in requests if p == "/hook"]
        assert [(h["event"], h["outage"]["id"]) for h in hooks] == wanted
        for path, headers, body in requests:
            if path == "/hook":
                assert verify(headers, body), "the signature does not verify"
                assert headers["webhook-id"] == json.loads(body)["id"]
                validator.validate(json.loads(body))
        assert len([p for p, _, _ in requests if p.startswith("/teams/")]) == len(wanted)
        assert len([p for p, _, _ in requests if p == "/slack"]) == sum(o == CANCELLED for o in about)
        assert {p for p, _, _ in requests} <= {"/hook", "/hub", "/slack", f"/teams/{TEAMS_TOKEN}"}
        mail += arrived
        posts += requests

        # Re-running the same comparison once the new site is the published one sends nothing.
        again = notify(project, sites[step], sites[step], env=env)
        assert again.exit_code == 0, again.output
        assert "0 events" in again.output
        assert smtp.take() == [] and receiver.take() == []

    smtp.received = mail
    # Finnish list: every event, in Finnish, with Finnish dates.
    assert subjects(smtp, FI) == [
        "Tulossa: Rakennuslupapalvelu ei ole käytössä la 5.12. illalla ja yöllä",
        "Tulossa: Verkkopankkimaksut eivät toimi verkkomaksupalvelussa la 12.12. yöllä",
        # The site's words (katko.records.lifecycle): a disruption whose fix is being monitored, then fixed.
        "Seurannassa: Häiriö Oma Esimerkkilässä – liitteitä ei voi lähettää",
        "Päivitetty: Rakennuslupapalvelu ei ole käytössä la 5.12. illalla ja yöllä",
        "Korjattu: Häiriö Oma Esimerkkilässä – liitteitä ei voi lähettää",
        "Peruttu: Verkkopankkimaksut eivät toimi verkkomaksupalvelussa la 12.12. yöllä",
        "Päättynyt: Rakennuslupapalvelu ei ole käytössä la 5.12. illalla ja yöllä",
    ]
    assert [s.split(":")[0] for s in subjects(smtp, SV)] == [
        "Kommande", "Kommande", "Under uppföljning", "Uppdaterat", "Åtgärdat", "Inställt", "Avslutat"]
    assert subjects(smtp, EN) == ["Monitoring: Disruption in My Esimerkkilä – attachments cannot be sent",
                                  "Fixed: Disruption in My Esimerkkilä – attachments cannot be sent"]
    for address, lang, when in ((FI, "fi", "la 5.12.2026 klo 22.00 – su 6.12.2026 klo 4.00"),
                                (SV, "sv", "lö 5.12.2026 kl. 22.00 – sö 6.12.2026 kl. 4.00")):
        first = smtp.messages(address)[0]
        plain, html = parts(first)
        assert first["Content-Language"] == lang
        assert when in plain and when in html
        page = HtmlLang()
        page.feed(html)
        assert page.lang == lang
        assert f"{SITE_URL}{lang}/outages/{PLANNED}/" in plain
    english, _ = parts(smtp.messages(EN)[0])
    assert "Tue 1 December 2026, 08:40–14:00 (Finnish time)" in english
    # The update that ended the disruption is in the message, in the list's language.
    assert "Vika on korjattu." in parts(smtp.messages(FI)[4])[0]
    assert "Felet har åtgärdats." in parts(smtp.messages(SV)[4])[0]
    # The Teams channel reads Swedish, the Slack-compatible one English.
    teams = [json.loads(b) for p, _, b in posts if p.startswith("/teams/")]
    card = teams[0]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["body"][0]["inlines"][0]["text"].startswith("Kommande: ")
    assert card["content"]["actions"][0]["url"] == f"{SITE_URL}sv/outages/{PLANNED}/"
    slack = [json.loads(b)["text"] for p, _, b in posts if p == "/slack"]
    assert slack[0].startswith("*Upcoming: ") and slack[1].startswith("*Cancelled: ")
    assert f"<{SITE_URL}en/outages/{CANCELLED}/|Read the full notice>" in slack[1]


def test_messages_of_one_outage_are_one_thread_per_list(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    sites = [publish(project, step) for step in range(len(STEPS))]
    for step in range(1, len(STEPS)):
        assert notify(project, sites[step - 1], sites[step], env=secrets(receiver)).exit_code == 0
    ids: set[str] = set()
    for address in (FI, SV):
        messages = smtp.messages(address)
        for outage in (PLANNED, CANCELLED, DISRUPTION):
            thread = [m for m in messages if f"/outages/{outage}/" in parts(m)[0]]
            root, *replies = thread
            assert root["In-Reply-To"] is None and root["References"] is None
            assert replies, outage
            for reply in replies:
                assert reply["In-Reply-To"] == root["Message-ID"] == reply["References"]
        for m in messages:
            assert m["Message-ID"] not in ids
            ids.add(m["Message-ID"])
            assert m["Date"] is not None and m["Auto-Submitted"] == "auto-generated"
    # The list that gives a way out says it in the header, for mail programs' unsubscribe button.
    leave = "<mailto:kayttokatkot-leave@lists.esimerkkila.example>"
    assert {m["List-Unsubscribe"] for m in smtp.messages(FI)} == {leave}
    assert {m["List-Unsubscribe"] for m in smtp.messages(SV)} == {None}


def test_the_same_event_has_the_same_message_id_in_every_run(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    for _ in range(2):
        assert notify(project, old, new, env=secrets(receiver)).exit_code == 0
    first, second = smtp.messages()[:4], smtp.messages()[4:]
    assert [m["Message-ID"] for m in first] == [m["Message-ID"] for m in second]
    hooks = receiver.posts("/hook")
    assert [h["webhook-id"] for h, _ in hooks[:2]] == [h["webhook-id"] for h, _ in hooks[2:]]


def test_websub_pings_the_hub_for_the_feeds_that_changed(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    assert notify(project, old, new, env=secrets(receiver)).exit_code == 0
    pings = [parse_qs(body.decode()) for headers, body in receiver.posts("/hub")]
    assert all(p["hub.mode"] == ["publish"] for p in pings)
    topics = {p["hub.url"][0] for p in pings}
    assert f"{SITE_URL}fi/feed.atom" in topics and f"{SITE_URL}sv/feed.rss" in topics
    assert f"{SITE_URL}en/services/rakennuslupa/feed.atom" in topics
    assert f"{SITE_URL}fi/services/maksut/feed.rss" in topics
    assert not any("/services/asiointi/" in t for t in topics)  # nothing changed there
    assert all(h["content-type"] == "application/x-www-form-urlencoded" for h, _ in receiver.posts("/hub"))


def test_the_first_publication_announces_nothing(project: Path, smtp: Mailbox, receiver: Receiver,
                                                 tmp_path: Path) -> None:
    nothing = tmp_path / "nothing"
    (nothing / "api" / "v1").mkdir(parents=True)
    (nothing / "api" / "v1" / "outages.json").write_text("null\n")
    result = notify(project, nothing, publish(project, 2), env=secrets(receiver))
    assert result.exit_code == 0, result.output
    assert "first publication" in result.output
    assert smtp.received == [] and receiver.requests == []


def test_the_published_api_is_fetched_fresh_from_the_live_site(project: Path, smtp: Mailbox,
                                                                receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    receiver.files["/api/v1/outages.json"] = (old / "api" / "v1" / "outages.json").read_bytes()
    live = f"{receiver.url}/api/v1/outages.json"
    result = notify(project, old, new, "--published", live, env=secrets(receiver))
    assert result.exit_code == 0, result.output
    assert f"2 events since {live}" in result.output and len(smtp.received) == 4
    # A query no CDN has seen: never a copy cached from before the last deployment.
    (path,) = receiver.gets
    assert path.startswith("/api/v1/outages.json?katko-notify=")


def test_nothing_published_yet_at_the_live_site(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    new = publish(project, 1)
    result = notify(project, new, new, "--published", f"{receiver.url}/api/v1/outages.json", env=secrets(receiver))
    assert result.exit_code == 0, result.output
    assert "Nothing is published at" in result.output and "first publication announces nothing" in result.output
    assert smtp.received == [] and receiver.requests == []


def test_an_unreachable_live_site_is_an_error(project: Path) -> None:
    new = publish(project, 1)
    closed = free_port()
    result = notify(project, new, new, "--published", f"http://127.0.0.1:{closed}/api/v1/outages.json")
    assert result.exit_code == 1
    assert f"cannot fetch the published notices from http://127.0.0.1:{closed}/api/v1/outages.json" in result.output
    assert "Traceback" not in result.output


def test_the_published_api_is_saved_before_deploying_only_if_there_is_something_to_send(
        project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    receiver.files["/api/v1/outages.json"] = (old / "api" / "v1" / "outages.json").read_bytes()
    saved = project / "published-api.json"
    live = ("--published", f"{receiver.url}/api/v1/outages.json")
    result = notify(project, old, new, *live, "--save-published", str(saved))
    assert result.exit_code == 0, result.output
    assert "4 e-mails, 5 webhook calls" in result.output
    assert json.loads(saved.read_text()) == json.loads((old / "api" / "v1" / "outages.json").read_text())
    assert smtp.received == [] and receiver.requests == []
    # After the deployment the live site is the new one; the saved file is what was published before.
    receiver.files["/api/v1/outages.json"] = (new / "api" / "v1" / "outages.json").read_bytes()
    result = CliRunner().invoke(main, ["notify", "--config", str(project / "notify.yml"), "--site", str(new),
                                       "--published", str(saved), "--templates", str(REPO_ROOT / "overrides" / "katko"),
                                       "--locales", str(REPO_ROOT / "locales")], env=secrets(receiver))
    assert result.exit_code == 0, result.output
    assert len(smtp.received) == 4
    # The next run before deploying finds nothing to send, and writes no file.
    result = notify(project, old, new, *live, "--save-published", str(saved))
    assert result.exit_code == 0, result.output
    assert "Nothing to send" in result.output and not saved.exists()


def test_another_sites_api_is_refused(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    path = old / "api" / "v1" / "outages.json"
    path.write_text(path.read_text().replace(SITE_URL, "https://muu.example/"))
    result = notify(project, old, new, env=secrets(receiver))
    assert result.exit_code == 1
    assert "is the API of https://muu.example/, not of https://katkot.example.org/" in result.output
    assert "Traceback" not in result.output
    assert smtp.received == [] and receiver.requests == []


# --------------------------------------------------------------------------- #
# Failures: clear, non-zero, and the rest is sent
# --------------------------------------------------------------------------- #


def test_a_refused_list_and_a_failing_webhook_fail_the_run_and_the_rest_is_sent(
        project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    journal = project / "journal.json"
    smtp.refuse = {SV}
    receiver.answers["/hook"] = [500, 503, 502, 500]
    result = notify(project, old, new, "--journal", str(journal), env=secrets(receiver))
    assert result.exit_code == 1
    assert f"the mail server refused the list address {SV}: 550 5.1.1 No such list here" in result.output
    assert "HTTP 500 Internal Server Error (after 2 attempts)" in result.output
    assert "4 failed. The others were sent" in result.output
    assert "Traceback" not in result.output
    assert [to for _, to, _ in smtp.take()] == [[FI], [FI]]
    assert len(receiver.posts("/hook")) == 4  # two events, each tried twice (retries: 1)
    assert len([p for p, _, _ in receiver.take() if p.startswith("/teams/")]) == 2

    # The failed run re-run, the list and the receiver back in order: only what failed is sent.
    smtp.refuse = set()
    result = notify(project, old, new, "--journal", str(journal), env=secrets(receiver))
    assert result.exit_code == 0, result.output
    assert [to for _, to, _ in smtp.take()] == [[SV], [SV]]
    assert [p for p, _, _ in receiver.take() if p != "/hub"] == ["/hook", "/hook"]
    assert "0 failed, 5 sent already in an earlier run" in result.output

    # And once more: nothing left to send.
    result = notify(project, old, new, "--journal", str(journal), env=secrets(receiver))
    assert result.exit_code == 0, result.output
    assert smtp.take() == [] and [p for p, _, _ in receiver.take() if p != "/hub"] == []
    assert json.loads(journal.read_text())["delivered"]  # keys only: no addresses of webhooks, no texts
    assert TEAMS_TOKEN not in journal.read_text() and receiver.url not in journal.read_text()


def test_an_unreachable_mail_server_fails_the_e_mails_and_the_webhooks_are_sent(
        project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    closed = free_port()
    write_config(project, receiver, closed)
    result = notify(project, old, new, env=secrets(receiver))
    assert result.exit_code == 1
    assert f"cannot connect to the mail server 127.0.0.1:{closed}" in result.output
    assert len(receiver.posts("/hook")) == 2 and len(receiver.posts("/slack")) == 1


def test_a_refusing_webhook_is_not_retried(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    receiver.answers["/hook"] = [400, 400]
    result = notify(project, old, new, env=secrets(receiver))
    assert result.exit_code == 1
    assert "HTTP 400 Bad Request (not retried: the receiver refused the message)" in result.output
    assert len(receiver.posts("/hook")) == 2  # once per event


def test_a_webhook_that_does_not_answer_times_out(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    edit(project / "notify.yml", "    retries: 1\n    timeout: 5", "    retries: 0\n    timeout: 0.5")
    receiver.slow = {"/hook"}
    result = notify(project, old, new, env=secrets(receiver))
    assert result.exit_code == 1
    assert "timed out (after 1 attempt)" in result.output
    assert len(smtp.received) == 4  # the e-mails went out all the same


def test_a_flaky_webhook_gets_the_message_on_a_retry(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    receiver.answers["/hook"] = [503]
    result = notify(project, old, new, env=secrets(receiver))
    assert result.exit_code == 0, result.output
    (first, body), (second, again) = receiver.posts("/hook")[:2]
    assert body == again and first["webhook-id"] == second["webhook-id"]
    assert verify(second, again)


def test_a_missing_secret_is_named_and_the_rest_is_sent(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    result = notify(project, old, new, env={**secrets(receiver), "TEST_TEAMS_URL": ""})
    assert result.exit_code == 1
    assert "the environment variable TEST_TEAMS_URL is not set" in result.output
    assert len(smtp.received) == 4 and len(receiver.posts("/hook")) == 2


def test_a_bad_signing_key_is_explained(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    result = notify(project, old, new, env={**secrets(receiver), "TEST_WEBHOOK_SECRET": "password1"})
    assert result.exit_code == 1
    assert "TEST_WEBHOOK_SECRET is not a signing key: write it as whsec_" in result.output
    assert receiver.posts("/hook") == []


# --------------------------------------------------------------------------- #
# TLS and login
# --------------------------------------------------------------------------- #


@pytest.fixture()
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with openssl."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


# aiosmtpd cannot tell that an SMTPS connection is encrypted, and warns about a login over it.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "smtps"])
def test_tls_and_login(security: str, project: Path, receiver: Receiver, certificate: tuple[Path, Path]) -> None:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    box = Mailbox()
    # aiosmtpd offers a login over SMTPS only if told that TLS is not needed: the connection is TLS already.
    tls = ({"tls_context": context, "require_starttls": True, "auth_require_tls": True} if security == "starttls"
           else {"ssl_context": context, "auth_require_tls": False})
    controller = Controller(box, hostname="127.0.0.1", port=free_port(), authenticator=box.authenticate,
                            auth_required=True, **tls)  # type: ignore[arg-type]
    controller.start()
    try:
        write_config(project, receiver, controller.port, f"    security: {security}\n    ca_file: {cert}\n")
        old, new = publish(project, 0), publish(project, 1)
        env = {**secrets(receiver), "KATKO_SMTP_USERNAME": "katko", "KATKO_SMTP_PASSWORD": "list-password"}
        result = notify(project, old, new, env=env)
        assert result.exit_code == 0, result.output
        assert len(box.received) == 4
        assert set(box.logins) == {(b"katko", b"list-password")}
        wrong = notify(project, old, new, env={**env, "KATKO_SMTP_PASSWORD": "wrong"})
        assert wrong.exit_code == 1
        assert "refused the login of katko: 535" in wrong.output
        assert "wrong" not in wrong.output.replace("refused", "")
    finally:
        controller.stop()


def test_a_password_is_never_sent_unencrypted(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 0), publish(project, 1)
    env = {**secrets(receiver), "KATKO_SMTP_USERNAME": "katko", "KATKO_SMTP_PASSWORD": "list-password"}
    result = notify(project, old, new, env=env)
    assert result.exit_code == 1
    assert "will not send the password to 127.0.0.1" in result.output
    assert smtp.received == []


# --------------------------------------------------------------------------- #
# The dry run
# --------------------------------------------------------------------------- #


def test_dry_run_prints_what_each_channel_and_language_would_get_and_sends_nothing(
        project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 1), publish(project, 2)
    result = notify(project, old, new, "--dry-run", env={"TEST_WEBHOOK_SECRET": "", "TEST_TEAMS_URL": ""})
    assert result.exit_code == 0, result.output
    out = result.output
    assert smtp.received == [] and receiver.requests == []
    for header in (f"=== e-mail · fi · {FI} ===", f"=== e-mail · sv · {SV} ===", f"=== e-mail · en · {EN} ===",
                   f"=== webhook · palvelupiste (json, {receiver.url}/hook) ===",
                   "=== webhook · sv · teams-it (teams, the address in $TEST_TEAMS_URL) ===",
                   f"=== WebSub · {receiver.url}/hub ==="):
        assert header in out, header
    assert out.index("· fi ·") < out.index("· sv ·") < out.index("· en ·")
    assert "Subject: Seurannassa: Häiriö Oma Esimerkkilässä – liitteitä ei voi lähettää" in out
    assert "Subject: Uppdaterat: Bygglovstjänsten är ur bruk lö 5.12 på kvällen och natten" in out
    assert "Katkon aikana voi jättää hakemuksen paperilla." in out
    assert "webhook-signature: v1,… (HMAC-SHA256 with the key in $TEST_WEBHOOK_SECRET)" in out
    assert "hub.mode=publish&hub.url=https%3A%2F%2Fkatkot.example.org%2Ffi%2Fservices%2Frakennuslupa%2Ffeed.atom" in out
    assert "Dry run: nothing was sent. 5 e-mails, 4 webhook calls" in out


def test_dry_run_never_prints_a_secret(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    old, new = publish(project, 1), publish(project, 2)
    env = {**secrets(receiver), "KATKO_SMTP_PASSWORD": "list-password"}
    result = notify(project, old, new, "--dry-run", env=env)
    assert result.exit_code == 0, result.output
    for value in (SECRET, TEAMS_TOKEN, "list-password", SECRET.removeprefix("whsec_")):
        assert value not in result.output
    assert smtp.received == [] and receiver.requests == []


# --------------------------------------------------------------------------- #
# Untrusted texts and the internal section
# --------------------------------------------------------------------------- #


def test_nothing_from_internal_reaches_any_message(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    sites = [publish(project, step) for step in range(len(STEPS))]
    outputs = []
    for step in range(1, len(STEPS)):
        outputs.append(notify(project, sites[step - 1], sites[step], "--dry-run").output)
        outputs.append(notify(project, sites[step - 1], sites[step], env=secrets(receiver)).output)
    assert smtp.received and receiver.requests
    sent = [content for _, _, content in smtp.received] + [body for _, _, body in receiver.requests]
    decoded = [parts(m) for m in smtp.messages()]
    for text in [*outputs, *(p for pair in decoded for p in pair)]:
        assert CANARY not in text
    for data in sent:
        assert CANARY.encode() not in data
    # Nor anything else from it: the disruption's internal contacts and affected users.
    assert not any("INC-88412" in t for t in [*outputs, *(p for pair in decoded for p in pair)])


HOSTILE = '<script>alert("x")</script> & <b>bold</b> <!channel>'


def test_record_texts_are_escaped_in_every_format(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    record = project / "outages" / f"{PLANNED}.yml"
    text = record.read_text(encoding="utf-8")
    start = text.index("title:\n  fi: ") + len("title:\n  fi: ")
    record.write_text(text[:start] + json.dumps("Katko " + HOSTILE) + text[text.index("\n", start):],
                      encoding="utf-8")
    edit(record, "alternatives:\n  fi: |\n",
         "alternatives:\n  fi: |\n    Soita <img src=x onerror=alert(1)> **09 000 1000**.\n")
    old, new = publish(project, 0), publish(project, 1)
    assert notify(project, old, new, env=secrets(receiver)).exit_code == 0
    plain, html = parts(smtp.messages(FI)[0])
    assert HOSTILE in plain  # plain text is shown as text by every mail program
    assert "<script" not in html and "<img" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html \
        or "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<strong>09 000 1000</strong>" in html  # Markdown as the site renders it
    page = HtmlLang()
    page.feed(html)
    assert "script" not in page.tags and "img" not in page.tags
    assert smtp.messages(FI)[0]["Subject"] == f"Tulossa: Katko {HOSTILE}"
    hook = json.loads(receiver.posts("/hook")[0][1])
    assert hook["outage"]["title"]["fi"] == f"Katko {HOSTILE}"  # JSON carries the text as written
    card = json.loads(next(b for p, _, b in receiver.requests if p.startswith("/teams/")))
    title = card["attachments"][0]["content"]["body"][0]["inlines"][0]
    assert title["type"] == "TextRun"  # never read as Markdown


def test_slack_cannot_be_made_to_mention_or_link(project: Path, smtp: Mailbox, receiver: Receiver) -> None:
    record = project / "outages" / f"{CANCELLED}.yml"
    text = record.read_text(encoding="utf-8")
    start = text.index("title:\n  fi: ")
    en = text.index("  en: ", start)
    record.write_text(text[:en] + "  en: " + json.dumps(f"Payments {HOSTILE} <https://evil.example|click>")
                      + text[text.index("\n", en):], encoding="utf-8")
    old, new = publish(project, 0), publish(project, 1)
    assert notify(project, old, new, env=secrets(receiver)).exit_code == 0
    message = json.loads(receiver.posts("/slack")[0][1])["text"]
    assert "<!channel>" not in message and "<https://evil.example|click>" not in message
    assert "&lt;!channel&gt;" in message and "&lt;https://evil.example|click&gt;" in message


# --------------------------------------------------------------------------- #
# notify.yml
# --------------------------------------------------------------------------- #


def test_mistakes_in_notify_yml_are_all_reported_with_their_place(project: Path, smtp: Mailbox,
                                                                  receiver: Receiver) -> None:
    (project / "notify.yml").write_text("""email:
  from: not an address
  smtp:
    host: 127.0.0.1
    security: tls
  lists:
    - address: kayttokatkot@lists.esimerkkila.example
      lang: de
    - address: driftavbrott@lists.esimerkkila.example
      lang: sv
      services: [kirjasto, olematon]
webhooks:
  - name: teams
    preset: teams
    url: https://example.webhook.office.com/webhookb2/abc
  - name: plain
    url: http://hooks.esimerkkila.example/katko
""", encoding="utf-8")
    old, new = publish(project, 0), publish(project, 1)
    result = notify(project, old, new, env=secrets(receiver))
    assert result.exit_code == 1
    out = result.output
    path = str(project / "notify.yml")
    assert f"{path}:2:9: error K103: email.from: 'not an address' is not an e-mail address" in out
    assert f"{path}:5:15: error K104: email.smtp.security: 'tls' is not allowed" in out
    assert f"{path}:8:13: error K104: email.lists[1].lang: 'de' is not allowed" in out
    assert f"{path}:11:28: error K302: unknown service 'olematon'" in out
    assert f"{path}:13:5: error K103" in out and "works as its password" in out
    assert f"{path}:17:10: error K113" in out and "would travel unencrypted" in out
    assert "hint: " in out and "Traceback" not in out
    assert "6 problems in" in out
    assert smtp.received == [] and receiver.requests == []


def test_an_address_written_to_is_the_address_alone(tmp_path: Path) -> None:
    """The Subscribe page links to the join and leave addresses (mailto:): nothing after the address
    may add recipients or write the message (K121), and the host is a public name (K103)."""
    path = tmp_path / "notify.yml"
    path.write_text("""email:
  from: katkot@esimerkkila.example
  smtp: {host: 127.0.0.1}
  lists:
    - address: katkot@lists.esimerkkila.example?bcc=attacker@evil.example
      lang: fi
      subscribe: mailto:katkot-join@lists.esimerkkila.example?subject=join&body=yes
      unsubscribe: katkot-leave@lists.esimerkkila.example,attacker@evil.example
    - address: outages@lists.xn--zz.example
      lang: en
      subscribe: outages-join@lists.esimerkkila.example
""", encoding="utf-8")
    config, problems = notify_config.load(path, ["lupa"], ["fi", "sv", "en"])
    assert config is None
    assert [(d.code, d.line, d.column) for d in problems] == [("K121", 5, 16), ("K121", 7, 18), ("K121", 8, 20),
                                                              ("K103", 9, 16)]
    assert "would also carry '?subject=join&body=yes'" in problems[1].message
    # Where Katko posts is never published: a list server of the authority's own network will do.
    path.write_text(path.read_text(encoding="utf-8").replace("?bcc=attacker@evil.example", "").replace(
        "katkot@lists.esimerkkila.example", "katkot@lists.kaupunki.local", 1), encoding="utf-8")
    assert [d.line for d in notify_config.load(path, ["lupa"], ["fi", "sv", "en"])[1]] == [7, 8, 9]


@pytest.mark.parametrize("field, value", [
    ("from", "Kaupunki <katkot@esimerkkila.example>\nBcc: attacker@evil.example"),
    ("from", "katkot@esimerkkila.example, attacker@evil.example"),
    ("reply_to", "asiakaspalvelu@esimerkkila.example\nBcc: attacker@evil.example"),
    ("reply_to", "asiakaspalvelu@xn--zz.example"),
    ("host", ""),
    ("host", "smtp.esimerkkila.example\nRCPT TO:<attacker@evil.example>"),
    ("username_env", "KATKO SMTP"),
])
def test_a_sender_and_a_server_are_one_value_on_one_line(field: str, value: str, tmp_path: Path) -> None:
    """A line break in From or Reply-To would be a header of its own in every message (or a traceback
    when sending); a second address sends from it too. katko check refused none of them."""
    path = tmp_path / "notify.yml"
    email = {"from": "Kaupunki <katkot@esimerkkila.example>", "smtp": {"host": "smtp.esimerkkila.example"},
             "lists": [{"address": "katkot@lists.esimerkkila.example", "lang": "fi"}]}
    (email["smtp"] if field in ("host", "username_env") else email)[field] = value
    path.write_text(json.dumps({"email": email}), encoding="utf-8")
    config, problems = notify_config.load(path, ["lupa"], ["fi", "sv", "en"])
    assert config is None and [d.code for d in problems] == ["K103"]
    assert problems[0].line == 1 and "should match pattern" not in problems[0].message


def test_a_list_is_written_once_per_language(tmp_path: Path) -> None:
    """The same list twice in one language would get every message twice; in two languages it gets
    each message in both, which a bilingual list may want."""
    path = tmp_path / "notify.yml"
    lists = [{"address": "katkot@lists.esimerkkila.example", "lang": "fi"},
             {"address": "Katkot@Lists.Esimerkkila.example", "lang": "fi", "services": ["lupa"]},
             {"address": "katkot@lists.esimerkkila.example", "lang": "sv"}]
    email = {"from": "katkot@esimerkkila.example", "smtp": {"host": "smtp.esimerkkila.example"}, "lists": lists}
    path.write_text(yaml.safe_dump({"email": email}, sort_keys=False), encoding="utf-8")
    config, problems = notify_config.load(path, ["lupa"], ["fi", "sv", "en"])
    second = path.read_text(encoding="utf-8").splitlines().index("  - address: Katkot@Lists.Esimerkkila.example") + 1
    assert config is None and [(d.code, d.line) for d in problems] == [("K103", second)], problems
    assert "email.lists[2]" in problems[0].message % dict(problems[0].params)
    del lists[1]
    path.write_text(yaml.safe_dump({"email": email}, sort_keys=False), encoding="utf-8")
    config, problems = notify_config.load(path, ["lupa"], ["fi", "sv", "en"])
    assert config is not None and problems == []


def test_without_notify_yml_there_is_nothing_to_do(project: Path, tmp_path: Path) -> None:
    (project / "notify.yml").unlink()
    result = notify(project, publish(project, 0), publish(project, 1))
    assert result.exit_code == 0
    assert "No notification channels" in result.output


def test_the_build_stops_on_a_mistake_in_notify_yml(tmp_path: Path) -> None:
    site_project = copy_project(tmp_path)
    edit(site_project / "notify.yml", "      lang: sv\n", "      lang: se\n")
    result = build(site_project, "--strict", "-d", str(tmp_path / "site"))
    assert result.returncode != 0
    assert "notify.yml:27:13: virhe K104" in result.stderr  # the site's first language is fi
    assert "tiedostossa notify.yml on 1 ongelma; sivustoa ei rakennettu" in result.stderr
    assert not (tmp_path / "site").exists()


# --------------------------------------------------------------------------- #
# What the site publishes for notifications
# --------------------------------------------------------------------------- #


def test_feeds_name_the_websub_hub_next_to_themselves(built_site: Path) -> None:
    hub = "https://websub.esimerkkila.example/"  # notify.yml
    for feed in [*built_site.glob("*/feed.atom"), *built_site.glob("*/services/*/feed.atom")]:
        text = feed.read_text(encoding="utf-8")
        assert f'<link href="{hub}" rel="hub"/>' in text and 'rel="self"' in text, feed
    for feed in [*built_site.glob("*/feed.rss"), *built_site.glob("*/services/*/feed.rss")]:
        text = feed.read_text(encoding="utf-8")
        assert f'<atom:link href="{hub}" rel="hub"/>' in text and 'rel="self"' in text, feed


def test_the_webhook_schema_is_published_and_valid(built_site: Path) -> None:
    published = built_site / "api" / "v1" / "webhook.schema.json"
    assert published.read_bytes() == webhook_message.schema()
    schema = json.loads(published.read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "webhook.schema.json" and schema["properties"]["version"]["const"] == 1
    assert set(schema["required"]) >= {"version", "id", "event", "site", "services", "outage", "updates"}


@pytest.mark.parametrize("lang, heading, join", [
    ("fi", "Sähköpostilla", "tilaa sivulla"),
    ("sv", "Per e-post", "prenumerera på sidan"),
    ("en", "By e-mail", "subscribe on the page"),
])
def test_subscribe_page_explains_e_mail_in_each_language(built_site: Path, lang: str, heading: str,
                                                        join: str) -> None:
    page = (built_site / lang / "subscribe" / "index.html").read_text(encoding="utf-8")
    assert f'<h2 id="email">{heading}</h2>' in page
    assert join in page
    # Lists come from notify.yml: those with a sign-up address, the page's language first.
    own = {"fi": "kayttokatkot", "sv": "driftavbrott", "en": "outages-join"}[lang]
    assert page.index(own) < min(page.index(o) for o in ("kayttokatkot", "driftavbrott", "outages-join") if o != own)
    assert "it-paivystys@esimerkkila.example" not in page  # a list without a sign-up address is not advertised
    assert "mailto:outages-leave@lists.esimerkkila.example" in page
    assert page.index('id="email"') < page.index('id="feeds"')


# --------------------------------------------------------------------------- #
# docs/notifications.md
# --------------------------------------------------------------------------- #

NOTIFICATIONS_MD = (REPO_ROOT / "docs" / "notifications.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted({f.alias or name for model in (notify_config.NotifyConfig,
                                                                         notify_config.EmailChannel,
                                                                         notify_config.Smtp, notify_config.MailingList,
                                                                         notify_config.Webhook, notify_config.WebSub)
                                          for name, f in model.model_fields.items()}))
def test_every_setting_is_documented(field: str) -> None:
    assert f"| `{field}` |" in NOTIFICATIONS_MD or f"### `{field}`" in NOTIFICATIONS_MD, field


def test_the_documented_verification_accepts_katkos_signature_and_nothing_else() -> None:
    code = NOTIFICATIONS_MD.split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict[str, Any] = {}
    exec(compile(code, "docs/notifications.md", "exec"), scope)  # noqa: S102 - our own documentation
    body = b'{"version": 1}'
    headers = webhook.signed_headers(webhook.key(SECRET, "KEY"), "a.published.0", body)
    assert scope["verify"](SECRET, headers, body)
    assert not scope["verify"](SECRET, headers, body + b" ")
    other = "whsec_" + base64.b64encode(b"another-key-of-at-least-16").decode()
    assert not scope["verify"](other, headers, body)


# --------------------------------------------------------------------------- #
# A damaged published document is refused by name, never a traceback
# --------------------------------------------------------------------------- #


def _damaged(document: dict[str, Any], how: str) -> Any:
    first = document["outages"][0]
    if how == "id-a-number":
        first["id"] = 5
    elif how == "title-missing":
        del first["title"]
    elif how == "title-a-text":
        first["title"] = "x"
    elif how == "start-not-a-time":
        first["start"] = "huomenna"
    elif how == "start-without-offset":
        first["start"] = "2026-12-05T22:00:00"
    elif how == "end-before-start":
        first["end"] = "2001-01-01T00:00:00+02:00"
    elif how == "updates-of-nothing":
        first["updates"] = [None, 5]
    elif how == "outages-of-texts":
        document["outages"] = ["x", 5]
    elif how == "site-empty":
        document["site"] = {}
    elif how == "start-a-number":  # read as seconds since 1970 where types were coerced
        first["start"] = 5
    elif how == "end-true":
        first["end"] = True
    elif how == "id-a-list":
        first["id"] = []
    elif how == "title-an-object":
        first["title"] = {}
    elif how == "revision-true":
        first["revision"] = True
    elif how == "revision-a-fraction":
        first["revision"] = 1.5
    elif how == "estimate-a-text":
        first["end_is_estimate"] = "no"
    elif how == "generated-at-a-number":
        document["generated_at"] = 1.0e12
    elif how == "nested-too-deep":
        return "[" * 100_000 + "]" * 100_000
    return document


@pytest.mark.parametrize("how", ["id-a-number", "title-missing", "title-a-text", "start-not-a-time",
                                 "start-without-offset", "end-before-start", "updates-of-nothing",
                                 "outages-of-texts", "site-empty", "nested-too-deep", "start-a-number", "end-true",
                                 "id-a-list", "title-an-object", "revision-true", "revision-a-fraction",
                                 "estimate-a-text", "generated-at-a-number"])
def test_a_damaged_published_document_is_refused_by_name(tmp_path: Path, how: str) -> None:
    """The published API comes over the network or from a kept file: whatever it holds, notify
    names it and stops (exit 1), where it used to fail with a traceback while composing."""
    settings = Settings(site_url=SITE_URL, now=parse_time("2026-12-01 12:00"))
    good = json.loads(api.outages(renderer_for(settings)))
    site = tmp_path / "site" / "api" / "v1"
    site.mkdir(parents=True)
    (site / "outages.json").write_text(json.dumps(good), encoding="utf-8")
    damaged = _damaged(json.loads(json.dumps(good)), how)
    (tmp_path / "published.json").write_text(damaged if isinstance(damaged, str) else json.dumps(damaged),
                                             encoding="utf-8")
    result = CliRunner().invoke(main, ["notify", "--dry-run", "--site", str(tmp_path / "site"),
                                       "--published", str(tmp_path / "published.json"),
                                       "--config", str(REPO_ROOT / "notify.yml"),
                                       "--templates", str(REPO_ROOT / "overrides" / "katko"),
                                       "--locales", str(REPO_ROOT / "locales")])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "published.json is not" in result.output, result.output
