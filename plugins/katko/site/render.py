"""Rendering pages' content from the templates in ``overrides/katko/``.

One Jinja environment per language, each with that language's translations
installed, so that a single build writes every language. The templates only
produce a page's main content; the page around it (header, search, language
switcher, footer) is Material's, given the page's language by the plugin.

Text from records is escaped; Markdown fields are rendered by
:mod:`katko.core.markup`, with raw HTML turned into visible text and the result
sanitised, so a record can never inject markup into a page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from ..core import i18n, timefmt
from ..core.i18n import N_
from ..core.labels import (ARRANGEMENT_STATES, AUTHORITY_OUTAGES, CHECKS, CLOSE_MENU, ENDONYMS, ESTIMATE,
    EVALUATION_STATES, FEED_LABELS, IMPACTS, INTERNAL_MARKER, INTERNAL_SITE, KINDS, LEVELS, MENU, NOT_FOUND,
    NOT_FOUND_HELP, SEARCH, SERVICE_OUTAGES, SKIP_TO_CURRENT, SKIP_TO_MAIN, USAGE_UNITS)
from ..core.markup import nested, to_html
from ..records.lifecycle import STATUSES, State
from ..records.messages import Texts
from ..records.model import Localized
from ..usage import chart as usagechart
from . import guide
from .addresses import FORMATS, feed_path, internal_key, relative, service_key
from .embedding import embedding
from .pages import Notice, Page, Site

class CompiledTemplates(BytecodeCache):
    """Compiled templates kept for the process, checked against their source by Jinja: every
    language's environment, and every rebuild of ``mkdocs serve``, compiles each template once."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


# Shared by environments configured alike (_environment), which compile a template alike.
_COMPILED = CompiledTemplates()


class Renderer:
    def __init__(self, site: Site, templates: Path, locales: Path, *, directory_urls: bool = True) -> None:
        self.site = site
        #: Written after links to a page's folder: with ``--no-directory-urls`` a page is
        #: its folder's index.html, and file:// shows a folder as a listing.
        self.index = "" if directory_urls else "index.html"
        self.templates = templates
        self.languages = site.settings.languages
        self.translations = {lang: i18n.load(locales, lang) for lang in self.languages}
        self.envs = {lang: self._environment(templates, lang) for lang in self.languages}
        self._fallbacks: set[str] = set()
        #: Parts of files made per notice (its outage in the API), made once and shared by
        #: the files that show it. Keyed by :attr:`notice_key`, a notice's id in a build; a
        #: preview gives a store and a fingerprint that outlive one rebuild (katko.site.incremental).
        self.pieces: dict[tuple[str, str], Any] = {}
        self.notice_key: Callable[[Notice], str] = lambda notice: notice.id

    # ----------------------------------------------------------------------- #
    # Environments
    # ----------------------------------------------------------------------- #

    def _environment(self, templates: Path, lang: str) -> Environment:
        # HTML templates escape what they print; text templates (calendar
        # descriptions) do not, and use the `plain` filter for record texts.
        env = Environment(loader=FileSystemLoader(templates), undefined=StrictUndefined, bytecode_cache=_COMPILED,
                          autoescape=select_autoescape(enabled_extensions=("html", "xml"), default_for_string=True),
                          extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
        env.install_gettext_translations(self.translations[lang], newstyle=True)  # type: ignore[attr-defined]
        env.filters.update(
            text=lambda value: self._text(value, lang),
            plain=lambda value: value.pick(lang, self.languages)[0] if value is not None else "",
            md=lambda value, level=None: self._md(value, lang, level),
            when=lambda value: self._when(value, lang),
            period=lambda start, end: self._period(start, end, lang),
            times=lambda state: self.times(state, lang),
            times_text=lambda state: self.times_text(state, lang),
            lasts=lambda state: self.lasts(state, lang),
            sentence=lambda state: self.sentence(state, lang),
            sentence_text=lambda state: self.sentence(state, lang, html=False),
            number=lambda value, digits=0: timefmt.format_number(value, lang, digits),
            percent=lambda share, digits=0: timefmt.format_number(share * 100, lang, digits),
            duration=lambda value: timefmt.format_duration(value, lang),
            iso=timefmt.iso,
            datetime=lambda value: timefmt.format_datetime(value, lang),
            range=lambda start, end: timefmt.format_range(start, end, lang),
            day=lambda value: timefmt.format_day(value, lang),
            staff=lambda value: self._staff(value, lang),
            problem=lambda value: self.texts(lang).message(value),
        )
        env.globals.update(lang=lang, site=self.site, IMPACTS=IMPACTS, SERVICE_OUTAGES=SERVICE_OUTAGES,
                           AUTHORITY_OUTAGES=AUTHORITY_OUTAGES, KINDS=KINDS,
                           STATUSES=STATUSES, ENDONYMS=ENDONYMS,
                           SITE_TITLE=INTERNAL_SITE if self.site.internal else SERVICE_OUTAGES, home=self.site.home,
                           LEVELS=LEVELS, USAGE_UNITS=USAGE_UNITS, CHECKS=CHECKS, ARRANGEMENT_STATES=ARRANGEMENT_STATES,
                           EVALUATION_STATES=EVALUATION_STATES, internal_key=internal_key,
                           usage_chart=lambda usage, prefix: self._usage_chart(usage, prefix, lang),
                           authority=self.site.dataset.catalogue.authority if self.site.dataset.catalogue else None)
        return env

    def piece(self, kind: str, notice: Notice, make: Callable[[], Any]) -> Any:
        """The part ``kind`` of the files that show ``notice``: made by ``make`` once."""
        key = (kind, self.notice_key(notice))
        found = self.pieces.get(key)
        if found is None:
            found = self.pieces[key] = make()
        return found

    def gettext(self, lang: str) -> Callable[[str], str]:
        return self.translations[lang].gettext

    def texts(self, lang: str) -> Texts:
        """What ``katko check`` says, in ``lang`` (the staff site shows its problems)."""
        return Texts(lang, self.translations[lang].gettext, self.translations[lang].ngettext)

    # ----------------------------------------------------------------------- #
    # Filters
    # ----------------------------------------------------------------------- #

    def _usage_chart(self, usage: Any, prefix: str, lang: str) -> tuple[Markup, Markup]:
        """The heat map of a :class:`~katko.site.planning.Usage` and its data table, in ``lang``."""

        window = (usage.assessment.window.start, usage.assessment.window.end)
        picture, table = usagechart.chart(usage.profile, window, service=usage.service.name.pick(lang)[0],
                                          lang=lang, id_prefix=prefix, gettext=self.gettext(lang))
        return Markup(picture), Markup(table)

    def _staff(self, value: str | None, lang: str) -> Markup:
        """Free text of a record's internal section. It has no languages: it is taken to be
        written in the site's first language, and marked so on other languages' pages."""
        if not value:
            return Markup("–")
        written = self.languages[0]
        return escape(value) if lang == written else Markup(f'<span lang="{written}">{escape(value)}</span>')

    def _text(self, value: Localized | None, lang: str) -> Markup:
        return self._localized(value, lang, escape, "span")

    def _md(self, value: Localized | None, lang: str, level: int | None = None) -> Markup:
        """A record's Markdown in ``lang``, its headings below an ``h{level}`` (:func:`nested`)."""
        return self._localized(value, lang, lambda text: nested(to_html(text), level), "div")

    def _localized(self, value: Localized | None, lang: str, convert: Callable[[str], Markup],
                   element: str) -> Markup:
        """A record's text in ``lang``; a fallback is marked with its own language and noted for the page."""
        if value is None:
            return Markup("")
        text, used = value.pick(lang, self.languages)
        if used == lang:
            return convert(text)
        self._fallbacks.add(used)
        return Markup('<{0} lang="{1}">{2}</{0}>').format(Markup(element), used, convert(text))

    @staticmethod
    def _when(value: datetime, lang: str) -> Markup:
        return Markup('<time datetime="{}">{}</time>').format(
            timefmt.iso(value), timefmt.format_datetime(value, lang))

    # The estimate mark and the closing sentences are written here alone: every
    # page, feed, calendar, snippet and the banner's data use these.

    def times(self, state: State, lang: str) -> Markup:
        """When, as :mod:`katko.records.lifecycle` says for the moment, with ``<time>`` elements and the estimate mark."""
        return self._marked(self._period(state.start, state.end, lang), state, lang)

    def times_text(self, state: State, lang: str) -> str:
        """:meth:`times` as plain text."""
        return self._marked(timefmt.format_range(state.start, state.end, lang), state, lang)  # type: ignore[arg-type]

    def lasts(self, state: State, lang: str) -> str:
        """How long, with the estimate mark; '' while the end is not known."""
        if state.duration is None:
            return ""
        return self._marked(timefmt.format_duration(state.duration, lang), state, lang)  # type: ignore[arg-type]

    def _marked(self, text: Any, state: State, lang: str) -> Any:
        return text + f" ({self.gettext(lang)(ESTIMATE)})" if state.end_is_estimate else text

    def sentence(self, state: State, lang: str, html: bool = True) -> Markup | str:
        """The sentence a notice begins with once it is over (back in use, or cancelled); '' before."""
        if state.sentence is None:
            return ""
        _ = self.gettext(lang)
        if html:
            return escape(_(state.sentence)) % {
                "time": self._when(state.ended_at, lang) if state.ended_at else "",
                "period": self._period(state.start, state.end, lang)}
        return _(state.sentence) % {
            "time": timefmt.format_datetime(state.ended_at, lang) if state.ended_at else "",  # type: ignore[arg-type]
            "period": timefmt.format_range(state.start, state.end, lang)}  # type: ignore[arg-type]

    @staticmethod
    def _period(start: datetime, end: datetime | None, lang: str) -> Markup:
        parts = []
        for text, moment in timefmt.range_segments(start, end, lang):
            if moment is None:
                parts.append(escape(text))
            else:
                parts.append(Markup('<time datetime="{}">{}</time>').format(timefmt.iso(moment), text))
        return Markup("").join(parts)

    # ----------------------------------------------------------------------- #
    # Pages
    # ----------------------------------------------------------------------- #

    def absolute(self, path: str) -> str:
        """The full address of a site-relative path, for feeds and calendars."""
        return self.site.settings.site_url + path

    def fragment(self, template: str, lang: str, **context: Any) -> str:
        """A piece of a feed or calendar, rendered in ``lang``; links are absolute."""
        saved, self._fallbacks = self._fallbacks, set()  # a page's fallback note is not a feed's
        try:
            return self.envs[lang].get_template(template).render(
                url=lambda key, lang=lang: self.absolute(f"{lang}/{key}"), **context)
        finally:
            self._fallbacks = saved

    def site_name(self, lang: str) -> str:
        catalogue = self.site.dataset.catalogue
        name = self.gettext(lang)(INTERNAL_SITE if self.site.internal else SERVICE_OUTAGES)
        if catalogue:
            name = f"{name} – {catalogue.authority.name.pick(lang, self.languages)[0]}"
        return name

    def _formatters(self) -> dict[str, Callable[..., str]]:
        """Per language, gettext with %-formatting: for pages that speak every language."""
        def formatter(lang: str) -> Callable[..., str]:
            return lambda message, **values: self.gettext(lang)(message) % values if values else self.gettext(lang)(message)
        return {lang: formatter(lang) for lang in self.languages}

    def _frame(self, lang: str) -> dict[str, Any]:
        """The texts of the page frame (header, menu, search) in ``lang``: the site's and the
        authority's names, the latter also the alternative text of the authority's logo."""
        _ = self.gettext(lang)
        catalogue = self.site.dataset.catalogue
        return {"site_name": self.site_name(lang),
                "site_title": _(INTERNAL_SITE if self.site.internal else SERVICE_OUTAGES),
                "authority": catalogue.authority.name.pick(lang, self.languages)[0] if catalogue else None,
                "menu": _(MENU), "close_menu": _(CLOSE_MENU), "search": _(SEARCH)}

    def frame_everywhere(self) -> dict[str, Any]:
        """:meth:`_frame` for a page that speaks every language (the page for a missing address):
        each text in every language, the site's first language first."""
        parts = [self._frame(lang) for lang in self.languages]
        joined = {key: " – ".join(dict.fromkeys(p[key] for p in parts)) if parts[0][key] is not None else None
                  for key in parts[0]}
        skip = " – ".join(dict.fromkeys(self.gettext(lang)(SKIP_TO_MAIN) for lang in self.languages))
        return {**joined, "skip": {"href": "#katko-main", "text": skip}}

    def not_found(self) -> list[dict[str, str]]:
        """The texts of the page shown for a missing address, in every language; its footer
        links, as every page's, to the last page of the menu (the accessibility statement, on
        the staff site the record guide)."""
        last = (N_("Record guide"), "guide/") if self.site.internal else (N_("Accessibility statement"), "accessibility/")
        return [{"lang": lang, "name": ENDONYMS[lang], "title": self.gettext(lang)(NOT_FOUND),
                 "help": self.gettext(lang)(NOT_FOUND_HELP), "home": self.site_name(lang),
                 "path": f"{lang}/{self.site.home}",
                 "footer": {"text": self.gettext(lang)(last[0]),
                            "path": f"{lang}/{self.site.home if self.site.internal else ''}{last[1]}"}}
                for lang in self.languages]

    def internal_marker(self) -> list[dict[str, str]]:
        """The staff site's "internal – do not share" in every language (for pages that speak them all)."""
        return [{"lang": lang, "text": self.gettext(lang)(INTERNAL_MARKER)} for lang in self.languages]

    def feed_links(self, page: Page) -> list[dict[str, str]]:
        """``<link rel="alternate">`` targets of a home or service page, for feed readers."""
        if page.kind not in ("home", "service"):
            return []
        service = page.data["service"] if page.kind == "service" else None
        name = service.name.pick(page.lang, self.languages)[0] if service else self.site_name(page.lang)
        _ = self.gettext(page.lang)
        return [{"href": relative(feed_path(kind, page.lang, service), page.path, self.index), "type": mime,
                 "title": f"{_(FEED_LABELS[kind])}: {name}"}
                for kind, (_name, mime) in FORMATS.items()]

    def _subscribe_words(self, lang: str) -> tuple[str, str]:
        """The Subscribe page's name in the menu and as its title: "subscribe to notices" only
        when a person can sign up for messages (an e-mail list in notify.yml); else the page
        offers feeds and a calendar, and is called so."""
        notify = self.site.settings.notify
        if notify is not None and notify.subscribable(lang):
            return N_("Subscribe"), N_("Subscribe to notices")
        return N_("Feeds and calendar"), N_("Feeds and calendar")

    def title(self, page: Page) -> str:
        _ = self.gettext(page.lang)
        if page.kind == "root":
            site_title = INTERNAL_SITE if self.site.internal else SERVICE_OUTAGES
            return " · ".join(self.gettext(lang)(site_title) for lang in self.languages)
        if page.kind == "outage":
            return page.data["notice"].outage.title.pick(page.lang, self.languages)[0]
        if page.kind == "internal-outage":
            return _("Internal: %(title)s") % {
                "title": page.data["facts"].outage.title.pick(page.lang, self.languages)[0]}
        if page.kind == "service":
            return page.data["service"].name.pick(page.lang, self.languages)[0]
        if page.kind == "archive-year":
            return _("Past outages in %(year)s") % {"year": page.data["year"]}
        if page.kind == "internal-guide":
            return guide.page(page.lang)[0]
        return {"home": self.site_name(page.lang), "archive": _("Archive of past outages"),
                "internal-planning": _("Outage planning and follow-up"),
                "internal-report": _("Outages by service"),
                "subscribe": _(self._subscribe_words(page.lang)[1]),
                "embed": _("Show notices on your own site"),
                "accessibility": _("Accessibility statement")}[page.kind]

    def content(self, page: Page) -> str:
        """The page's main content as HTML."""
        self._fallbacks = set()
        env = self.envs[page.lang]
        extra: dict[str, Any] = {}
        if page.kind == "embed":
            extra["embedding"] = embedding(self.site.settings.site_url, self.templates)
        if page.kind == "internal-guide":
            extra["guide"] = Markup(guide.page(page.lang)[1])  # Katko's own text, like a template
        html = env.get_template(f"{page.kind}.html").render(**extra,
            page=page, url=lambda key, lang=page.lang: relative(f"{lang}/{key}", page.path, self.index),
            title=self.title(page), now=self.site.now, gettexts=self._formatters(),
            feed_path=feed_path, site_url=self.site.settings.site_url,
            link=lambda path: relative(path, page.path, self.index), **page.data)
        if self._fallbacks:
            note = env.get_template("fallback-note.html").render(languages=sorted(self._fallbacks))
            html = html.replace("<!-- katko:fallback-note -->", note, 1)
        return html

    def chrome(self, page: Page) -> dict[str, Any]:
        """What the page around the content needs: navigation, alternates, status labels."""
        lang = page.lang
        _ = self.gettext(lang)
        link = lambda key: relative(f"{lang}/{key}", page.path, self.index)  # noqa: E731
        if self.site.internal:
            nav = [(_("Outage planning and follow-up"), link(self.site.home), page.kind == "internal-planning"),
                   (_("Outages by service"), link(f"{self.site.home}report/"), page.kind == "internal-report"),
                   (_("Record guide"), link(f"{self.site.home}guide/"), page.kind == "internal-guide")]
        else:
            nav = [(_("Current outages"), link(""), page.kind == "home")]
            nav += [(s.name.pick(lang, self.languages)[0], link(service_key(s)),
                     page.kind == "service" and page.data["service"].id == s.id) for s in self.site.services]
            nav += [(_("Archive"), link("archive/"), page.kind in ("archive", "archive-year")),
                    (_(self._subscribe_words(lang)[0]), link("subscribe/"), page.kind == "subscribe"),
                    (_("Accessibility statement"), link("accessibility/"), page.kind == "accessibility")]
        # Site-relative: Material's templates make them relative to the page.
        alternates = [(other, f"{other}/{page.key or self.site.home}{self.index}") for other in self.languages]
        return {
            **self._frame(lang),
            # The home page's readers come for the current outages: the skip link goes straight there.
            "skip": {"href": "#ongoing", "text": _(SKIP_TO_CURRENT)} if page.kind == "home"
            else {"href": "#katko-main", "text": _(SKIP_TO_MAIN)},
            "feeds": self.feed_links(page),
            "nav": nav,
            "nav_label": _("Pages"),
            "languages_label": _("Language"),
            "is_root": page.kind == "root",
            # The root and home pages' titles already name the site.
            "is_front": page.kind in ("root", "home", "internal-planning"),
            "internal_marker": _(INTERNAL_MARKER) if self.site.internal else None,
            "alternates": [{"name": ENDONYMS[o], "link": href, "lang": o} for o, href in alternates],
            "built_at": Markup(_("Information as of %(time)s.") % {"time": self._when(self.site.now, lang)}),
        }

