"""What a message says, in one language: from an event to e-mail, Teams and Slack texts.

Everything comes from the API document the site publishes, so a message
says what the notice page says. Texts from records are untrusted: the HTML
e-mail escapes them and turns their Markdown into the same sanitised HTML the
site shows; a Teams card carries them in text runs, which Teams never reads
as Markdown; a Slack text escapes the three characters Slack gives meaning to.

A text not written in the message's language falls back to another, as on
the site, and the HTML marks its language.

The e-mail bodies are the templates ``notify-email.txt`` and
``notify-email.html`` in ``overrides/katko/``, so an authority can change
them like the rest of the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from ..core import i18n, timefmt
from ..core.i18n import N_
from ..core.labels import IMPACTS, KINDS
from ..core.markup import nested, to_html
from ..records.channels import href
from ..records.lifecycle import BACK, LABELS, STATUSES, badge
from .events import Event, moment

UPDATED = N_("Updated")
READ_MORE = N_("Read the full notice")
READ_MORE_AT = N_("Read the full notice: %(url)s")
STOP = N_("To stop receiving these messages: %(address)s")

TEXT_TEMPLATE = "notify-email.txt"
HTML_TEMPLATE = "notify-email.html"


@dataclass(frozen=True)
class Text:
    """A record's text and the language it is written in (another than the message's if it was missing)."""

    value: str
    lang: str


@dataclass(frozen=True)
class UpdateView:
    time: str
    status: str | None
    text: Text


@dataclass(frozen=True)
class View:
    """One event as a message in one language says it: every text ready to print."""

    event: Event
    lang: str
    label: str
    title: Text
    summary: Text
    kind: str
    phase: str
    services: list[Text]
    impact: str
    period: str
    estimate: bool
    back_since: str | None
    updates: list[UpdateView]
    alternatives: Text | None
    advice: Text | None
    link: str
    site_name: str
    home: str

    @property
    def subject(self) -> str:
        return f"{self.label}: {self.title.value}"


class Composer:
    """Views and message bodies for the events of one site (the new API document)."""

    def __init__(self, document: dict[str, Any], templates: Path, locales: Path) -> None:
        self.site = document["site"]
        self.languages: tuple[str, ...] = tuple(self.site["languages"])
        self.services = {s["id"]: s for s in document["services"]}
        self.translations = {lang: i18n.load(locales, lang) for lang in self.languages}
        self.envs = {lang: self._environment(templates, lang) for lang in self.languages}

    def _environment(self, templates: Path, lang: str) -> Environment:
        env = Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined,
                          autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
                          extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True)
        env.install_gettext_translations(self.translations[lang], newstyle=True)  # type: ignore[attr-defined]
        env.filters.update(text=lambda t: _marked(t, lang, escape(t.value), "span"),
                           md=lambda t, level=None: _marked(t, lang, nested(to_html(t.value), level), "div"),
                           href=href)
        return env

    def gettext(self, lang: str) -> Any:
        return self.translations[lang].gettext

    # ----------------------------------------------------------------------- #
    # The view
    # ----------------------------------------------------------------------- #

    def view(self, event: Event, lang: str) -> View:
        _ = self.gettext(lang)
        o = event.outage
        phase = o["phase"]
        start, end = moment(o["start"]), moment(o["end"]) if o["end"] else None
        # The badge the site shows: the API gives what katko.records.lifecycle said.
        words = _(LABELS[badge(phase, o["kind"], o["status"])])
        label = _(UPDATED) if event.kind == "updated" else words
        return View(
            event=event, lang=lang, label=label,
            title=self._pick(o["title"], lang), summary=self._pick(o["summary"], lang),
            kind=_(KINDS[o["kind"]]), phase=words,
            services=[self._pick(self.services[s]["name"], lang) for s in o["services"] if s in self.services],
            impact=_(IMPACTS[o["impact"]]),
            period=timefmt.format_range(start, end, lang),  # type: ignore[arg-type]
            estimate=bool(o["end_is_estimate"]),
            back_since=timefmt.format_datetime(moment(o["back_since"]), lang)  # type: ignore[arg-type]
            if o.get("back_since") else None,
            updates=[UpdateView(timefmt.format_datetime(moment(u["time"]), lang),  # type: ignore[arg-type]
                                _(STATUSES[u["status"]]) if u.get("status") else None,
                                self._pick(u["text"], lang)) for u in event.updates],
            # What to do instead matters only while the outage is ahead or on.
            alternatives=self._maybe(o["alternatives"], lang) if phase in ("upcoming", "ongoing") else None,
            advice=self._maybe(o["advice"], lang),
            link=self._page(o["urls"], lang),
            site_name=self._pick(self.site["name"], lang).value,
            home=self.site["url"] + f"{lang}/",
        )

    def _pick(self, text: dict[str, str | None], lang: str) -> Text:
        for candidate in (lang, *self.languages, *text):
            if text.get(candidate):
                return Text(str(text[candidate]), candidate)
        return Text("", lang)

    def _maybe(self, text: dict[str, str | None], lang: str) -> Text | None:
        picked = self._pick(text, lang)
        return picked if picked.value else None

    def _page(self, pages: dict[str, str | None], lang: str) -> str:
        return next(p for p in (pages.get(lang), *(pages.get(x) for x in self.languages)) if p)

    # ----------------------------------------------------------------------- #
    # Bodies
    # ----------------------------------------------------------------------- #

    def email(self, view: View, unsubscribe: str | None) -> tuple[str, str]:
        """The plain-text and HTML bodies of an e-mail."""
        env = self.envs[view.lang]
        context = {"v": view, "unsubscribe": unsubscribe}
        return env.get_template(TEXT_TEMPLATE).render(**context), env.get_template(HTML_TEMPLATE).render(**context)

    def teams(self, view: View) -> dict[str, Any]:
        """A Microsoft Teams message with an Adaptive Card (workflows and incoming webhooks take both)."""
        _ = self.gettext(view.lang)

        def runs(*parts: tuple[str, bool]) -> dict[str, Any]:
            # TextRun is never read as Markdown: a record's text stays text.
            return {"type": "RichTextBlock", "inlines": [
                {"type": "TextRun", "text": text, **({"weight": "bolder"} if bold else {})} for text, bold in parts]}

        service_label = _("Services") if len(view.services) > 1 else _("Service")
        body: list[dict[str, Any]] = [
            {"type": "RichTextBlock", "inlines": [
                {"type": "TextRun", "text": view.subject, "weight": "bolder", "size": "large"}]},
            runs((f"{view.kind} · {view.phase}", False)),
            runs((f"{service_label}: ", True), (", ".join(s.value for s in view.services), False)),
            runs((f"{_('When')}: ", True), (view.period + (f" ({_('estimate')})" if view.estimate else ""), False)),
            runs((f"{_('Impact')}: ", True), (view.impact, False)),
        ]
        if view.back_since:
            body.append(runs((_(BACK) % {"time": view.back_since}, False)))
        for update in view.updates:
            body.append(runs((update.time + (f" · {update.status}" if update.status else ""), True)))
            body.append(runs((update.text.value, False)))
        body.append(runs((view.summary.value, False)))
        card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
                "version": "1.4", "body": body,
                "actions": [{"type": "Action.OpenUrl", "title": _(READ_MORE), "url": view.link}]}
        return {"type": "message", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}]}

    def slack(self, view: View) -> dict[str, Any]:
        """A Slack-compatible incoming-webhook message (Slack, Mattermost, Rocket.Chat, Zulip)."""
        _ = self.gettext(view.lang)
        service_label = _("Services") if len(view.services) > 1 else _("Service")
        lines = [f"*{_slack(view.subject)}*",
                 _slack(f"{view.kind} · {view.phase}"),
                 _slack(f"{service_label}: {', '.join(s.value for s in view.services)}"),
                 _slack(f"{_('When')}: {view.period}" + (f" ({_('estimate')})" if view.estimate else "")),
                 _slack(f"{_('Impact')}: {view.impact}")]
        if view.back_since:
            lines.append(_slack(_(BACK) % {"time": view.back_since}))
        for update in view.updates:
            lines += ["", f"*{_slack(update.time + (f' · {update.status}' if update.status else ''))}*",
                      _slack(update.text.value)]
        lines += ["", _slack(view.summary.value), "", f"<{view.link}|{_slack(_(READ_MORE))}>"]
        return {"text": "\n".join(lines)}


def _marked(text: Text, lang: str, html: Markup, element: str) -> Markup:
    """``html`` of ``text``, inside an element that names its language if it is not the message's."""
    if text.lang == lang:
        return html
    return Markup('<{0} lang="{1}">{2}</{0}>').format(Markup(element), text.lang, html)


def _slack(text: str) -> str:
    """Text as Slack shows it literally: ``&``, ``<`` and ``>`` are its markup.

    >>> _slack("<!channel> & <https://evil.example|click>")
    '&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
