"""The MkDocs plugin ``katko``: a thin adapter from MkDocs' events to the core.

The core loads and checks the records (:mod:`katko.records.loading`), decides the
site's pages (:mod:`katko.site.pages`) and renders their content
(:mod:`katko.site.render`). This module only hands those pages to MkDocs, gives
each page its own language while Material renders it, and makes a build
all-or-nothing.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import shutil
import sys
import sysconfig
import threading
from dataclasses import replace
from datetime import datetime
from functools import lru_cache, partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from jinja2 import ChoiceLoader, DictLoader, Environment, FileSystemLoader
from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from .config import NO_SITE_URL, OPTIONS, SiteConfig, guide_address, now_from_environment, option_problem
from .core import htmlparse
from .core.i18n import CatalogError
from .outputs import registry
from .outputs.base import Output
from .records import channels as notify_config
from .records import diagnostics, messages, placeholders, loading as records
from .records.codes import FOLLOW_UP, PLACEHOLDERS
from .records.dataset import Dataset
from .records.model import LANGUAGES
from .records.settings import Settings, SettingsError
from .site import csp, planning, publish
from .site.incremental import Fingerprints, Memo, clock_moves, digest
from .site.pages import Page, Site
from .site.render import CompiledTemplates, Renderer

log = get_plugin_logger(__name__)


def _declared(name: str, default: Any) -> c.BaseConfigOption[Any]:
    """MkDocs' declaration of a katko option: its type and default are katko.config.SiteConfig's."""
    if isinstance(default, list):
        return c.ListOfItems(c.Choice(LANGUAGES), default=list(default))
    if default is None:
        return c.Optional(c.Type(str))
    return c.Type(type(default), default=default)


#: The katko options as MkDocs validates them, declared once in katko.config.SiteConfig.
KatkoConfig = type("KatkoConfig", (Config,), {name: _declared(name, default) for name, default in OPTIONS.items()})


class KatkoPlugin(BasePlugin[KatkoConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.pages: dict[str, Page] = {}
        self.renderer: Renderer | None = None
        self.staging: Path | None = None
        self.target: Path | None = None
        self._saved: dict[str, Any] = {}
        #: Under `mkdocs serve`: what the previous rebuild wrote (katko.site.incremental).
        self.memo: Memo | None = None
        self.reuse: records.Reuse | None = None
        self._pieces: tuple[str, dict[Any, Any]] = ("", {})
        self._clock: datetime | None = None
        self.site: Site | None = None
        self._inputs = ""
        self._fingerprints: Fingerprints | None = None
        self._kept: dict[str, tuple[str, list[Any]]] = {}
        self._made: dict[str, str | None] = {}
        self._entries: list[Any] | None = None
        self._entries_from = 0
        #: Under `mkdocs serve`: the site's files after the previous rebuild, and the pages this
        #: rebuild leaves as that one wrote them (publish.merge).
        self._served: set[str] | None = None
        self._unwritten: set[str] = set()
        #: Material's page around the content, rendered once for a group of pages (_Frames), and
        #: the output of each page made from it, for on_post_page.
        self._frames = _Frames()
        self._kept_frames: tuple[str, _Frames | None] = ("", None)
        self._framed: dict[str, str] = {}
        self._env: Any = None
        #: Material's search index, when Katko reads its pages for it (_before_search), and the
        #: content of the page being read.
        self._index: Any = False
        self._indexing: str | None = None

    # Defining on_startup keeps one plugin object across `mkdocs serve` rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command
        # A preview re-renders only what a save changed; a build renders everything once.
        self.memo = Memo() if command == "serve" else None
        self._clock = None
        self.reuse = records.Reuse() if command == "serve" else None
        self._served = None
        self._collector: threading.Timer | None = None
        if command == "serve":
            for name in _BUILD_LOGGERS:
                logging.getLogger(name).addFilter(self._quiet)

    def _quiet(self, record: logging.LogRecord) -> bool:
        """Leave out MkDocs' note that a page kept from the previous rebuild was not written."""
        message = record.msg
        if isinstance(message, str) and message.startswith(_SKIPPED):
            return message[len(_SKIPPED):].rpartition("'. ")[0] not in self._kept
        return True

    def on_shutdown(self) -> None:
        if self.memo is not None:
            self._idle(None)
            gc.unfreeze()  # the process goes on (a test, a program running serve): collect as usual
        for name in _BUILD_LOGGERS:
            logging.getLogger(name).removeFilter(self._quiet)
        self.memo = self.reuse = self._clock = None
        self._pieces, self._kept_frames = ("", {}), ("", None)

    # ----------------------------------------------------------------------- #
    # Loading: every problem reported at once, and nothing built if any
    # ----------------------------------------------------------------------- #

    def _first_language(self) -> str:
        """The site's own language for what the build says before its settings are read."""
        languages = self.config.languages if isinstance(self.config.languages, list) else []
        return next((lang for lang in languages if lang in LANGUAGES), "en")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._idle(None)  # a save came first: no collection during the rebuild
        self.pages, self.renderer, self.staging, self._saved = {}, None, None, {}
        self.site, self._fingerprints, self._kept, self._made, self._entries = None, None, {}, {}, None
        self._unwritten = set()
        self._frames, self._framed, self._env, self._index, self._indexing = _Frames(), {}, None, False, None
        root = Path(config.config_file_path).parent
        if self.reuse is not None:
            _THEME_FILES.install(config.theme)
        if not config.site_url:
            raise PluginError(f"katko: {messages.texts(self._first_language()).word(NO_SITE_URL)}")
        # Under `mkdocs serve` without KATKO_NOW, the preview's clock stands still while
        # nothing on the site could change (katko.site.incremental.clock_moves).
        clock = self._clock if self.reuse is not None and not os.environ.get("KATKO_NOW", "").strip() else None
        try:
            now = now_from_environment()
            settings = SiteConfig.from_options(dict(self.config)).settings(
                site_url=config.site_url.rstrip("/") + "/", now=clock or now)
        except SettingsError as exc:
            if not exc.msgid:
                raise PluginError(f"katko: {exc}") from None
            # Where the option is written, in the site's first language, as katko check shows it.
            problem = option_problem(exc, Path(config.config_file_path))
            try:
                texts = messages.texts(self._first_language())
            except CatalogError as err:
                raise PluginError(f"katko: {err}") from None
            log.error(diagnostics.format_text([problem], texts))
            raise PluginError(f"katko: {diagnostics.settings_refused(1, problem.path, texts)}") from None

        dataset, report = records.load([root / self.config.records], settings, self.reuse)
        if clock is not None and clock_moves(dataset, settings, clock, now):
            settings = replace(settings, now=now)
            dataset, report = records.load([root / self.config.records], settings, self.reuse)
        self._clock = settings.now if self.reuse is not None else None
        config_file = Path(config.config_file_path)
        report.extend(placeholders.in_site_config(config_file, config_file.name))
        # Problems, hints, guide links and the closing line are logged in the site's first
        # language, as `katko check` shows them without --lang (it reads the locale only for a
        # site that names no language, and a build always has one): editors read this log under
        # `mkdocs serve` and in the publishing build. MkDocs' own lines stay as MkDocs writes them.
        lang = settings.languages[0]
        try:
            texts = messages.texts(lang)
        except CatalogError as exc:
            raise PluginError(f"katko: {exc}") from None
        guide = guide_address(config_file, lang)
        blocking = set(report.blocking)
        for problem in report.sorted():
            if problem.severity == "note":
                continue  # internal figures (expected users of an outage) never reach the site or its log
            text = diagnostics.format_text([problem], texts, guide)
            if problem in blocking:
                log.error(text)
            elif problem.code in PLACEHOLDERS:
                # Fails `mkdocs build --strict`, the publishing workflow's build: a placeholder
                # address or phone number must never reach citizens. A plain build shows a new site.
                log.warning(text)
            elif problem.code in FOLLOW_UP:
                # A follow-up duty: katko check fails on it, the site is still published.
                log.info("%s: %s", texts.gettext(diagnostics.FOLLOW_UP_WORD), text)
            else:
                # Advisory: the pull request's 'katko check' shows it where it can be
                # fixed. A warning here would stop the scheduled 'mkdocs build --strict'
                # and so freeze the statuses citizens rely on.
                log.info("%s: %s", texts.gettext(diagnostics.ADVICE_WORD), text)
        if blocking:
            raise PluginError(f"katko: {diagnostics.build_refused(report, texts)}")
        channels, problems = notify_config.load(root / self.config.notify, dataset.services, settings.languages)
        for problem in problems:
            log.error(diagnostics.format_text([problem], texts, guide))
        if problems:
            raise PluginError(f"katko: {diagnostics.settings_refused(len(problems), self.config.notify, texts)}")
        settings = replace(settings, notify=channels)

        templates = next((Path(d) / "katko" for d in config.theme.dirs if (Path(d) / "katko").is_dir()), None)
        if templates is None:
            raise PluginError("katko: no 'katko' template folder in the theme (expected overrides/katko/)")
        # The internal site's pages, and only they, are given the records' internal sections.
        site = Site(dataset, settings, planning.plan(dataset, settings, report) if self.config.internal else None,
                    self.reuse.states if self.reuse else None)
        try:
            self.renderer = Renderer(site, templates, root / self.config.locales,
                                     directory_urls=config.use_directory_urls)
        except CatalogError as exc:
            raise PluginError(f"katko: {exc}") from None
        self.pages = {page.path + "index.md": page for page in site.pages()}
        self.site = site
        if self.memo is not None:
            self._inputs = _inputs(config, settings, dataset, root, self.config)
            self._fingerprints = Fingerprints(site, self._inputs)
            if self._pieces[0] != self._inputs:
                self._pieces = (self._inputs, {})
            self.renderer.pieces = self._pieces[1]
            self.renderer.notice_key = self._fingerprints.notice
        config.theme["language"] = settings.languages[0]
        if not config.use_directory_urls and not config.extra.get("homepage"):
            # Material's logo links to the home page's folder, which file:// shows as a listing.
            config.extra["homepage"] = "index.html"
        self._stage(config)
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        # A build writes into a sibling folder and swaps it in only when it has
        # succeeded, so a failed build never leaves a half-written site (katko.site.publish).
        # A preview's rebuild writes there only what it rendered anew and moves that into
        # the site served (MkDocs would empty the site and write every file again).
        if self.command != "build" and self.memo is None:
            return
        self.target = Path(config.site_dir)
        try:
            self.staging = publish.prepare(self.target)
        except OSError as exc:
            raise PluginError(f"katko: cannot clean up beside {self.target}: {exc}") from None
        config.site_dir = str(self.staging)

    # ----------------------------------------------------------------------- #
    # Pages
    # ----------------------------------------------------------------------- #

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.renderer is not None
        for src_uri in self.pages:
            # No Markdown: the page's metadata is set in on_page_markdown, its content in on_page_content.
            file = File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV)
            _GeneratedPage(None, file, config)
            files.append(file)
        if self.config.internal:
            # No feeds, calendars, API or embeds (nor the embeds' script): those are the public site's.
            for file in [f for f in files if f.src_uri.startswith("embed/")]:
                files.remove(file)
            return files
        for output in registry.outputs(self.renderer):
            files.append(File.generated(config, output.path, content=self._write(output)))
        return files

    def _write(self, output: Output) -> bytes:
        """The file's content: kept from the previous rebuild of a preview if made from the same inputs."""
        if self.memo is None or self.site is None:
            return output.write()
        assert self._fingerprints is not None
        fingerprint = self._fingerprints.output(output.path, output.service)
        content = self.memo.get("file:" + output.path, fingerprint)
        if content is None:
            content = output.write()
            self.memo.put("file:" + output.path, fingerprint, content)
        return content

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.memo is not None and self.site is not None:
            # Every page shows the navigation: its items are an input of every page.
            inputs = digest(self._inputs, _nav_items(nav.items))
            self._fingerprints = Fingerprints(self.site, inputs)
            # The frames too are made from these inputs alone: a preview keeps them between rebuilds.
            kept = self._kept_frames[1]
            if self._kept_frames[0] == inputs and kept is not None:
                self._frames = kept
                kept.filled = kept.rendered = 0
            self._kept_frames = (inputs, self._frames)
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # MkDocs' theme environment prints every value as HTML, Material's
        # templates too: a title or name from a record would be markup in the
        # header, the nav and <title>. With autoescape, a value is text unless
        # it is marked as HTML (Markup), as the page's content is below.
        env.autoescape = True
        # A page kept from the previous rebuild of a preview is not rendered again (on_post_page).
        # A page framed by _Frames is rendered in _page_context; MkDocs renders nothing for it.
        env.loader = ChoiceLoader([DictLoader({KEPT_TEMPLATE: "", FRAMED_TEMPLATE: ""}), env.loader])
        self._env = env
        # MkDocs makes the theme's environment anew for every build: under `mkdocs serve`
        # its templates would be compiled again after every save.
        env.bytecode_cache = _THEME_COMPILED
        env.globals["katko_csp"] = Markup(csp.PAGE)  # a constant: its quotes need no escaping
        if self.renderer is not None:
            env.globals["katko_not_found"] = self.renderer.not_found()
            # The frame's texts where no Katko page gives them (the page for a missing address).
            env.globals["katko_frame"] = self.renderer.frame_everywhere()
            if self.config.internal:
                # main.html marks every page of the internal site, the 404 page too.
                env.globals["katko_internal"] = self.renderer.internal_marker()
        return env

    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        katko_page = self.pages.get(page.file.src_uri)
        if katko_page is None or self.renderer is None:
            return markdown
        # Escaped text, marked as HTML: Material's templates print it, and its
        # search index takes the title as HTML and shows it so in results.
        page.meta["title"] = escape(self.renderer.title(katko_page))
        if not katko_page.search:
            page.meta["search"] = {"exclude": True}
        if self.memo is not None and self._fingerprints is not None:
            fingerprint = self._fingerprints.page(katko_page)
            kept = self.memo.get(page.file.src_uri, fingerprint)
            self._made[page.file.src_uri] = fingerprint
            if kept is not None:
                self._kept[page.file.src_uri] = kept
                page.meta["template"] = KEPT_TEMPLATE
                return markdown
        if katko_page.kind in _FRAMED_KINDS and _frame_key(katko_page) is not None:
            page.meta["template"] = FRAMED_TEMPLATE
        return markdown

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        katko_page = self.pages.get(page.file.src_uri)
        if katko_page is None or self.renderer is None:
            return html
        if page.file.src_uri in self._kept:
            return ""  # the whole page is kept: see on_post_page
        return self.renderer.content(katko_page)

    # Before Material's search: a kept page's search entries are kept too, so that
    # search does not parse the page again; it is left out, and its entries put in
    # their place in _page_context. A page rendered anew is read for the search by Katko,
    # with Material's own parser and entries but a faster tokenizer (katko.core.htmlparse):
    # Material leaves it out, and _page_context puts its entries in their place.
    @event_priority(100)
    def _before_search(self, context: dict[str, Any], *, page: MkDocsPage, config: MkDocsConfig,
                       nav: Any) -> dict[str, Any]:
        if page.file.src_uri not in self.pages:
            return context
        if self._index is False:
            self._index = _search_index(config)
        if self._index is not None and page.file.src_uri not in self._kept and "search" not in page.meta:
            self._indexing = page.content
            page.meta["search"] = {"exclude": True}
        if self.memo is None:
            return context
        if self._entries is None:
            self._entries = _search_entries(config)
        if page.file.src_uri in self._kept:
            page.meta["search"] = {"exclude": True}
        self._entries_from = len(self._entries) if self._entries is not None else 0
        return context

    # Last of all plugins: the content is final only after the others (Material's
    # search takes attributes out of it), and only then marked as HTML.
    @event_priority(-100)
    def _page_context(self, context: dict[str, Any], *, page: MkDocsPage, config: MkDocsConfig,
                      nav: Any) -> dict[str, Any]:
        page.content = Markup(page.content)
        katko_page = self.pages.get(page.file.src_uri)
        if katko_page is None or self.renderer is None:
            return context
        if self._indexing is not None:
            del page.meta["search"]
            _index_page(self._index, page, self._indexing)
            self._indexing = None
        kept = self._kept.get(page.file.src_uri)
        if kept is not None:
            if self._entries is not None:
                self._entries.extend(kept[1])
            return context
        if page.meta.get("template") == FRAMED_TEMPLATE:
            self._framed[page.file.src_uri] = self._frame(katko_page, page, context, config)
            return context
        self._set_chrome(katko_page, context, config)
        return context

    def _set_chrome(self, katko_page: Page, context: dict[str, Any], config: MkDocsConfig) -> dict[str, Any]:
        """Give Material's templates the page's language, site name, alternates and Katko's chrome."""
        assert self.renderer is not None
        chrome = self.renderer.chrome(katko_page)
        # Material reads the language, the site name and the alternates from
        # the config while rendering; give them this page's values, and put
        # the defaults back in on_post_page.
        self._saved = {"language": config.theme["language"], "site_name": config.site_name,
                       "alternate": config.extra.get("alternate")}
        config.theme["language"] = katko_page.lang
        config.site_name = chrome["site_name"]
        config.extra["alternate"] = chrome["alternates"]
        context["config"] = config
        context["katko"] = chrome
        return chrome

    def _frame(self, katko_page: Page, page: MkDocsPage, context: dict[str, Any], config: MkDocsConfig) -> str:
        """The page's whole HTML, as Material's main.html renders it: filled into the frame of its
        group once that frame has rendered two pages exactly as main.html does (_Frames)."""
        parent, last = _frame_key(katko_page)  # type: ignore[misc]
        values = {"title": str(page.meta["title"]), "content": str(page.content), "last": last}
        key = (katko_page.lang, katko_page.kind, parent, katko_page.search, _H1 in page.content,
               repr(sorted((k, v) for k, v in page.meta.items() if k != "title")))
        output = self._frames.fill(key, values)
        if output is not None:
            return output
        # Rendered as MkDocs would, then compared with what the frame makes of this page.
        template = self._env.get_template("main.html")
        chrome = self._set_chrome(katko_page, context, config)
        output = template.render(context)
        if not self._frames.settled(key):
            probe = self._probe(katko_page, page, context, config, chrome)
            self._frames.learn(key, template.render(probe) if probe is not None else None,
                               _content_token(page.content), values, output)
        return output

    def _probe(self, katko_page: Page, page: MkDocsPage, context: dict[str, Any], config: MkDocsConfig,
               chrome: dict[str, Any]) -> dict[str, Any] | None:
        """The page's context with its title, content and last part of the address replaced by
        placeholders (_Frames): what main.html makes of it is the frame of the page's group."""
        assert self.renderer is not None
        parent, last = _frame_key(katko_page)  # type: ignore[misc]
        url = page.url
        if not url.startswith(katko_page.path) or not (page.canonical_url or "").endswith(url):
            return None
        probe_page = replace(katko_page, key=parent + _LAST + "/")
        probe_url = probe_page.path + url[len(katko_page.path):]
        probe_chrome = self.renderer.chrome(probe_page)
        if {k: v for k, v in probe_chrome.items() if k != "alternates"} != \
                {k: v for k, v in chrome.items() if k != "alternates"}:
            return None
        probe = _Probe(page, url=probe_url, title=Markup(_TITLE), meta={**page.meta, "title": Markup(_TITLE)},
                       content=Markup(_content_token(page.content)),
                       canonical_url=page.canonical_url[:-len(url)] + probe_url)
        config.extra["alternate"] = probe_chrome["alternates"]  # on_post_page puts the default back
        return {**context, "page": probe, "katko": probe_chrome}

    on_page_context = CombinedEvent(_before_search, _page_context)

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if page.file.src_uri in self._framed:
            output = self._framed.pop(page.file.src_uri)
        if self._saved:
            config.theme["language"] = self._saved["language"]
            config.site_name = self._saved["site_name"]
            config.extra["alternate"] = self._saved["alternate"]
            self._saved = {}
        src_uri = page.file.src_uri
        kept = self._kept.get(src_uri)
        if kept is not None:
            if self.memo is not None and self.staging is not None:
                # The site served has this page as the previous rebuild wrote it: MkDocs
                # writes no file for an empty output (and says so, see _Unwritten).
                self._unwritten.add(page.file.dest_uri)
                return ""
            return kept[0]
        output = _valid_html(output)
        if self.memo is not None and src_uri in self._made:
            entries = self._entries[self._entries_from:] if self._entries is not None else []
            self.memo.put(src_uri, self._made[src_uri], (output, entries))
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return _valid_html(output_content)

    # ----------------------------------------------------------------------- #
    # Serving and finishing
    # ----------------------------------------------------------------------- #

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        # MkDocs watches docs_dir and the config only (the theme with --watch-theme).
        # Katko's pages come from the records, the catalogs and the templates in
        # custom_dir (overrides/), so an edit of any of them rebuilds.
        root = Path(config.config_file_path).parent
        for folder in (self.config.records, self.config.locales):
            server.watch(str(root / folder))
        if (root / self.config.notify).is_file():
            server.watch(str(root / self.config.notify))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server

    # Last of all plugins, so that what they write (Material's search index) is in the new site.
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if config.strict and _strict_warnings():
            return  # MkDocs aborts next; on_build_error discards the staging folder
        if self.staging is not None and self.target is not None:
            try:
                if self.memo is not None:
                    self._served = publish.merge(self.staging, self.target, self._unwritten, self._served)
                else:
                    publish.swap(self.staging, self.target)
            except OSError as exc:
                raise PluginError(f"katko: cannot put the new site in place of {self.target}: {exc}") from None
            config.site_dir = str(self.target)
            self.staging = None
        log.debug("made %d pages from their group's frame, rendered %d", self._frames.filled, self._frames.rendered)
        if self.memo is not None:
            log.debug("kept %d pages and files from the previous rebuild, rendered %d",
                      self.memo.hits, self.memo.misses)
            self.memo.finish()
            self._idle(threading.Timer(_COLLECT_WHEN_IDLE, collect_and_freeze))

    def _idle(self, collector: threading.Timer | None) -> None:
        """Cancel the collection waiting for the preview to be idle, and wait for ``collector``'s."""
        if getattr(self, "_collector", None) is not None:
            self._collector.cancel()
        self._collector = collector
        if collector is not None:
            collector.daemon = True
            collector.start()

    def on_build_error(self, *, error: Exception) -> None:
        if self.memo is not None:
            self.memo.abandon()  # what this rebuild rendered is not in the site served
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


#: Seconds after a preview's rebuild before the garbage is collected, if no save came first.
_COLLECT_WHEN_IDLE = 1.0


def collect_and_freeze() -> None:
    """Collect the garbage, then leave what is alive out of later collections (``gc.freeze``).

    A preview's process holds millions of objects: what it keeps between rebuilds,
    the theme's templates, MkDocs' pages. Python's full collection walks them all,
    about a quarter of a second at 1,000 outages, and came in most rebuilds after a
    save. Run while the preview is idle (a second after a rebuild, unless a save
    comes first), it frees the previous rebuild's garbage and freezes the rest, so
    the collections during the next rebuild walk only what that rebuild makes.
    Objects frozen here that become garbage later wait for the next such run.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


#: Where MkDocs (and ProperDocs) log that a page whose output is empty was not written.
_BUILD_LOGGERS = ("mkdocs.commands.build", "properdocs.commands.build")
_SKIPPED = "Page skipped: '"

# Compiled theme templates, for the theme's environments as on_env sets them up.
_THEME_COMPILED = CompiledTemplates()


class _ThemeFiles:
    """The names of the theme's files, read once per process from an installed theme (`mkdocs serve`).

    Before every rebuild MkDocs lists every file in the theme's folders to copy
    their static files (``Files.add_files_from_theme``), and asks its filter of
    each name: Material's folder has 14,500 names, 14,300 of them icons under
    the hidden folder ``.icons``, which the filter drops one by one. Together
    that is about a tenth of a rebuild after one saved record. Here a folder of
    an installed package is listed once per process, a folder of the project
    (``overrides/``, where an editor may add a file) at every rebuild, and hidden
    names (a part starting with a dot) are dropped without asking the filter
    when the filter drops them: MkDocs' filter drops every name matching
    ``.*`` or ``*/.*``. Its answer for every other name is asked as before.
    """

    def __init__(self) -> None:
        self._listed: dict[tuple[str, bool], list[str]] = {}
        self._installed = tuple(Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib"))

    def install(self, theme: Any) -> None:
        make = theme.get_env

        def get_env() -> Environment:
            env = make()
            if type(env.loader) is FileSystemLoader:
                env.list_templates = partial(self.list_templates, env, env.loader)  # type: ignore[method-assign]
            return env

        theme.get_env = get_env

    def names(self, folder: str, followlinks: bool) -> list[str]:
        if not any(Path(folder).resolve().is_relative_to(place) for place in self._installed):
            return FileSystemLoader([folder], followlinks=followlinks).list_templates()
        key = (folder, followlinks)
        found = self._listed.get(key)
        if found is None:
            found = self._listed[key] = FileSystemLoader([folder], followlinks=followlinks).list_templates()
        return found

    def list_templates(self, env: Environment, loader: FileSystemLoader, extensions: Any = None,
                       filter_func: Any = None) -> list[str]:
        """``Environment.list_templates``, from the names kept."""
        if extensions is not None:
            return Environment.list_templates(env, extensions, filter_func)
        names = sorted({name for folder in loader.searchpath for name in self.names(folder, loader.followlinks)})
        if filter_func is None:
            return names
        if not filter_func(".katko-hidden") and not filter_func("katko/.hidden"):
            names = [name for name in names if not (name.startswith(".") or "/." in name)]
        return [name for name in names if filter_func(name)]


_THEME_FILES = _ThemeFiles()

#: The template of a page kept whole from the previous rebuild of a preview (nothing to render).
KEPT_TEMPLATE = "katko-kept.html"


#: The template of a page made from its group's frame (_Frames): MkDocs renders nothing for it.
FRAMED_TEMPLATE = "katko-framed.html"

#: Pages whose frame is shared: notice pages and the archive's years. Material's page around
#: their content differs from one page of a language to the next only in the title, the
#: content and the last part of the address (canonical and alternate links).
_FRAMED_KINDS = ("outage", "archive-year")
_FRAMED_KEY = re.compile(r"((?:[a-z0-9_-]+/)+)([a-z0-9][a-z0-9_-]*)/")
# Placeholders: letters and digits, which escaping, addresses and JSON leave as they are.
_TITLE, _CONTENT, _LAST = "KatkoFrameTitle", "KatkoFrameContent", "katkoframelast"
_H1 = "<h1"  # Material's content.html writes the title as a heading unless the content has one


_PLAIN = re.compile(r"[a-z0-9_-]+")


@lru_cache(maxsize=None)
def _joined(base: str, folder: str) -> tuple[str, str] | None:
    """The canonical address and its path of ``folder`` (ending in '/') on the site at ``base``, as
    MkDocs' pages have them, if ``folder`` joined with a plain last part gives the same plus it."""
    canonical = urljoin(base if base.endswith("/") else base + "/", folder)
    if not canonical.endswith("/") or "?" in canonical or "#" in canonical:
        return None
    return canonical, urlsplit(canonical).path


def _frame_key(page: Page) -> tuple[str, str] | None:
    """The page's address without the language as its folder and its last part, if it has one
    made only of lowercase letters, digits, '-' and '_' (which nothing escapes)."""
    found = _FRAMED_KEY.fullmatch(page.key)
    return (found[1], found[2]) if found else None


def _content_token(content: str) -> str:
    return _CONTENT + (_H1 if _H1 in content else "")


class _Probe:
    """A page as Material's templates read it, with some of its attributes replaced."""

    def __init__(self, page: MkDocsPage, **values: Any) -> None:
        self._page = page
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


class _Frames:
    """Material's page frame, rendered once for each group of pages that share it.

    A group's frame is main.html rendered for a probe: a page of the group whose title, content
    and last part of the address are placeholders. Each page is then the frame with its own
    values put in place of the placeholders: its title as Material prints it (the escaped text
    that on_page_markdown set), its content, and its address's last part, which has only
    characters no escaping or address changes. The frame is used only after it has made the
    first two pages of its group exactly as main.html renders them, and only if no placeholder
    is left anywhere else in it; a group for which it does not is rendered page by page."""

    def __init__(self) -> None:
        self._frames: dict[Any, tuple[list[str], list[str]] | None] = {}
        self._confirmed: dict[Any, int] = {}
        #: Pages made from a frame, and pages rendered by main.html, in this build.
        self.filled = self.rendered = 0

    def settled(self, key: Any) -> bool:
        return key in self._frames

    def fill(self, key: Any, values: dict[str, str]) -> str | None:
        frame = self._frames.get(key)
        if frame is None:
            self.rendered += 1
            return None
        self.filled += 1
        return self._fill(frame, values)

    def learn(self, key: Any, probe_output: str | None, content_token: str, values: dict[str, str],
              output: str) -> None:
        """Compare what the frame makes of a page with main.html's ``output`` for it."""
        frame = self._split(probe_output, content_token) if probe_output is not None else None
        if frame is None or self._fill(frame, values) != output:
            self._frames[key] = None  # rendered page by page
            return
        self._confirmed[key] = self._confirmed.get(key, 0) + 1
        if self._confirmed[key] >= 2:
            self._frames[key] = frame

    @staticmethod
    def _fill(frame: tuple[list[str], list[str]], values: dict[str, str]) -> str:
        literals, slots = frame
        return literals[0] + "".join(values[slot] + literal for slot, literal in zip(slots, literals[1:]))

    @staticmethod
    def _split(html: str, content_token: str) -> tuple[list[str], list[str]] | None:
        names = {content_token: "content", _TITLE: "title", _LAST: "last"}
        parts = re.split("(" + "|".join(map(re.escape, names)) + ")", html)
        literals, slots = parts[0::2], [names[token] for token in parts[1::2]]
        if any("katkoframe" in literal.lower() for literal in literals):
            return None  # a placeholder changed on its way into the page: not a plain slot
        return literals, slots


class _GeneratedPage(MkDocsPage):
    """A page Katko writes: MkDocs' Markdown step has nothing to convert (its source is empty)."""

    def _set_canonical_url(self, base: str | None) -> None:
        # MkDocs joins the site's address and the page's with urljoin for every page; a page in
        # a folder is its folder's joined address and its own last part, which joining leaves as
        # it is when it is made only of letters, digits, '-' and '_'.
        url = self.url
        folder, _, last = url[:-1].rpartition("/")
        joined = _joined(base, folder + "/") if base and url.endswith("/") and folder and _PLAIN.fullmatch(last) else None
        if joined is None:
            super()._set_canonical_url(base)
        else:
            self.canonical_url, self.abs_url = joined[0] + last + "/", joined[1] + last + "/"

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:
            super().render(config, files)  # something else gave it Markdown: convert that as usual
            return
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index in this build, if its search is on and reads pages as Katko knows."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        parser = getattr(sys.modules.get(type(index).__module__), "Parser", None)
        if (isinstance(getattr(index, "entries", None), list) and hasattr(index, "create_entry_for_section")
                and isinstance(parser, type) and issubclass(parser, HTMLParser)
                and getattr(getattr(plugin, "config", None), "enabled", False) is True):
            return index
    return None


def _index_page(index: Any, page: MkDocsPage, content: str) -> None:
    """What Material's ``SearchIndex.add_entry_from_context`` does for the page with ``content``,
    the tokenizing done by katko.core.htmlparse."""
    module = sys.modules[type(index).__module__]
    parser = module.Parser()
    htmlparse.feed(parser, content, _search_ignores(module, parser))
    for section in parser.data:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)


def _search_ignores(module: Any, parser: Any) -> htmlparse.Ignored | None:
    """How Material's search parser ignores excluded content (katko.core.htmlparse.Ignored),
    read from the parser: its void tags and the tags it ignores from the start. None (the
    content is read) where the parser is not the one this was written for."""
    void, skip = getattr(module, "void", None), getattr(parser, "skip", None)
    if not isinstance(void, (set, frozenset)) or not isinstance(skip, set):
        return None
    return htmlparse.Ignored("data-search-exclude", frozenset(void), frozenset(getattr(e, "tag", e) for e in skip))


def _search_entries(config: MkDocsConfig) -> list[Any] | None:
    """The entry list of Material's search index in this build, if search is on.

    Material's plugin interface takes a page's HTML only; a kept page's entries are
    put back into its index's list of entries, in the order a full build makes them."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def _tree(folder: Path) -> str:
    """What changes when a file under ``folder`` (or the file itself) is saved: names, sizes and
    modification times."""
    if not folder.exists():
        return ""
    found = [folder.as_posix()]
    for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
        if path.is_file():
            stat = path.stat()
            found.append(f"{path.as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(found)


def _inputs(config: MkDocsConfig, settings: Settings, dataset: Dataset, root: Path,
            options: KatkoConfig) -> str:
    """The fingerprint of what every page and file of the site is made from but the records."""
    theme = config.theme.custom_dir
    return digest(repr(settings), dataset.catalogue_doc.text if dataset.catalogue_doc else "",
                  Path(config.config_file_path).read_bytes(), config.site_url or "",
                  str(config.use_directory_urls), repr(dict(options)),
                  _tree(Path(theme)) if theme else "", _tree(root / options.locales),
                  _tree(root / options.notify), _tree(Path(config.docs_dir)))


def _nav_items(items: list[Any]) -> str:
    return "[" + ",".join(f"{item.title!r}:{getattr(item, 'url', '')}:{_nav_items(getattr(item, 'children', None) or [])}"
                          for item in items) + "]"


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def _valid_html(html: str) -> str:
    """Drop the ``autocomplete`` attribute that Material's base template puts on its two
    checkboxes, where HTML does not allow it (the Nu Html Checker reports it as an error);
    it sits outside any block an override can replace."""
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter has seen warnings in this build."""
    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)
