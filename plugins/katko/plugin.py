"""The MkDocs plugin ``katko``: a thin adapter from MkDocs' events to the core.

The core loads and checks the records (:mod:`katko.records`), decides the
site's pages (:mod:`katko.site`) and renders their content
(:mod:`katko.render`). This module only hands those pages to MkDocs, gives
each page its own language while Material renders it, and makes a build
all-or-nothing.
"""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from . import csp, diagnostics, embeds, placeholders, planning, publish, records, shutters, subscriptions
from .codes import FOLLOW_UP, PLACEHOLDERS
from .i18n import CatalogError
from .notify import config as notify_config
from .model import LANGUAGES
from .render import Renderer
from .settings import OPTIONS, Settings, SettingsError, now_from_environment
from .site import Page, Site

log = get_plugin_logger(__name__)


class KatkoConfig(Config):
    # Defaults from katko.settings.OPTIONS, which 'katko check' reads too.
    records = c.Type(str, default=OPTIONS["records"])
    """Folder of the outage records and ``services.yml``, relative to mkdocs.yml."""
    locales = c.Type(str, default=OPTIONS["locales"])
    """Folder of the gettext catalogs, relative to mkdocs.yml."""
    languages = c.ListOfItems(c.Choice(LANGUAGES), default=list(OPTIONS["languages"]))
    """Languages of the site; the first is the default."""
    required_languages = c.ListOfItems(c.Choice(LANGUAGES), default=list(OPTIONS["required_languages"]))
    """Languages every public text must have."""
    recent_days = c.Type(int, default=OPTIONS["recent_days"])
    """How many days an ended outage stays on the home page."""
    feed_days = c.Type(int, default=OPTIONS["feed_days"])
    """How many days an ended or cancelled outage stays in the feeds."""
    search_days = c.Type(int, default=OPTIONS["search_days"])
    """How many days an ended or cancelled outage is searchable in full; then by title and summary."""
    notify = c.Type(str, default=OPTIONS["notify"])
    """The settings of ``katko notify`` (e-mail lists, webhooks, a WebSub hub), relative to
    mkdocs.yml; without the file, none. The Subscribe page and the feeds use them too."""
    internal = c.Type(bool, default=OPTIONS["internal"])
    """Build the authority's internal staff site instead of the public one
    (``mkdocs.internal.yml``): planning, follow-up and the ``internal:`` sections.
    Publish it only on the intranet."""
    guide_url = c.Optional(c.Type(str))
    """Where the editors read the record guide, ``{lang}`` standing for the language, if not on
    the internal staff site (``LANG/internal/guide/`` under mkdocs.internal.yml's site_url):
    the hints of ``katko check`` link there (:func:`katko.messages.guide_address`)."""


class KatkoPlugin(BasePlugin[KatkoConfig]):
    def __init__(self) -> None:
        self.command = "build"
        self.pages: dict[str, Page] = {}
        self.renderer: Renderer | None = None
        self.staging: Path | None = None
        self.target: Path | None = None
        self._saved: dict[str, Any] = {}

    # Defining on_startup keeps one plugin object across `mkdocs serve` rebuilds.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command

    # ----------------------------------------------------------------------- #
    # Loading: every problem reported at once, and nothing built if any
    # ----------------------------------------------------------------------- #

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.pages, self.renderer, self.staging, self._saved = {}, None, None, {}
        root = Path(config.config_file_path).parent
        if not config.site_url:
            raise PluginError("katko: set site_url in mkdocs.yml: feeds and calendars need the site's full address")
        try:
            settings = Settings.from_options(dict(self.config), site_url=config.site_url.rstrip("/") + "/",
                                             now=now_from_environment())
        except SettingsError as exc:
            raise PluginError(f"katko: {exc}") from None

        dataset, report = records.load([root / self.config.records], settings)
        config_file = Path(config.config_file_path)
        report.extend(placeholders.in_site_config(config_file, config_file.name))
        # The build log stays English, like the rest of MkDocs' log; editors read the same
        # problems in their language from katko check on the pull request.
        blocking = set(report.blocking)
        for problem in report.sorted():
            if problem.severity == "note":
                continue  # internal figures (expected users of an outage) never reach the site or its log
            text = diagnostics.format_text([problem])
            if problem in blocking:
                log.error(text)
            elif problem.code in PLACEHOLDERS:
                # Fails `mkdocs build --strict`, the publishing workflow's build: a placeholder
                # address or phone number must never reach citizens. A plain build shows a new site.
                log.warning(text)
            elif problem.code in FOLLOW_UP:
                # A follow-up duty: katko check fails on it, the site is still published.
                log.info("follow-up: %s", text)
            else:
                # Advisory: the pull request's 'katko check' shows it where it can be
                # fixed. A warning here would stop the scheduled 'mkdocs build --strict'
                # and so freeze the statuses citizens rely on.
                log.info("advice: %s", text)
        if blocking:
            raise PluginError(f"katko: {diagnostics.summary(report)} in the outage records; nothing was built")
        channels, problems = notify_config.load(root / self.config.notify, dataset.services, settings.languages)
        for problem in problems:
            log.error(diagnostics.format_text([problem]))
        if problems:
            raise PluginError(f"katko: {len(problems)} problem{'s' if len(problems) != 1 else ''} in "
                              f"{self.config.notify}; nothing was built")
        settings = replace(settings, notify=channels)

        templates = next((Path(d) / "katko" for d in config.theme.dirs if (Path(d) / "katko").is_dir()), None)
        if templates is None:
            raise PluginError("katko: no 'katko' template folder in the theme (expected overrides/katko/)")
        # The internal site's pages, and only they, are given the records' internal sections.
        site = Site(dataset, settings, planning.plan(dataset, settings, report) if self.config.internal else None)
        try:
            self.renderer = Renderer(site, templates, root / self.config.locales,
                                     directory_urls=config.use_directory_urls)
        except CatalogError as exc:
            raise PluginError(f"katko: {exc}") from None
        self.pages = {page.path + "index.md": page for page in site.pages()}
        config.theme["language"] = settings.languages[0]
        if not config.use_directory_urls and not config.extra.get("homepage"):
            # Material's logo links to the home page's folder, which file:// shows as a listing.
            config.extra["homepage"] = "index.html"
        self._stage(config)
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        # A build writes into a sibling folder and swaps it in only when it has
        # succeeded, so a failed build never leaves a half-written site (katko.publish).
        if self.command != "build":
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
            files.append(File.generated(config, src_uri, content="", inclusion=InclusionLevel.NOT_IN_NAV))
        if self.config.internal:
            # No feeds, calendars, API or embeds (nor the embeds' script): those are the public site's.
            for file in [f for f in files if f.src_uri.startswith("embed/")]:
                files.remove(file)
            return files
        for output in [*subscriptions.outputs(self.renderer), *embeds.outputs(self.renderer),
                       *shutters.outputs(self.renderer)]:
            files.append(File.generated(config, output.path, content=output.write()))
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # MkDocs' theme environment prints every value as HTML, Material's
        # templates too: a title or name from a record would be markup in the
        # header, the nav and <title>. With autoescape, a value is text unless
        # it is marked as HTML (Markup), as the page's content is below.
        env.autoescape = True
        env.globals["katko_csp"] = Markup(csp.PAGE)  # a constant: its quotes need no escaping
        if self.renderer is not None:
            env.globals["katko_not_found"] = self.renderer.not_found()
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
        return markdown

    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str | None:
        katko_page = self.pages.get(page.file.src_uri)
        if katko_page is None or self.renderer is None:
            return html
        return self.renderer.content(katko_page)

    # Last of all plugins: the content is final only after the others (Material's
    # search takes attributes out of it), and only then marked as HTML.
    @event_priority(-100)
    def on_page_context(self, context: dict[str, Any], *, page: MkDocsPage, config: MkDocsConfig,
                        nav: Any) -> dict[str, Any]:
        page.content = Markup(page.content)
        katko_page = self.pages.get(page.file.src_uri)
        if katko_page is None or self.renderer is None:
            return context
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
        return context

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if self._saved:
            config.theme["language"] = self._saved["language"]
            config.site_name = self._saved["site_name"]
            config.extra["alternate"] = self._saved["alternate"]
            self._saved = {}
        return _valid_html(output)

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
        if self.staging is None or self.target is None:
            return
        if config.strict and _strict_warnings():
            return  # MkDocs aborts next; on_build_error discards the staging folder
        try:
            publish.swap(self.staging, self.target)
        except OSError as exc:
            raise PluginError(f"katko: cannot put the new site in place of {self.target}: {exc}") from None
        config.site_dir = str(self.target)
        self.staging = None

    def on_build_error(self, *, error: Exception) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None


_CHECKBOX_AUTOCOMPLETE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')


def _valid_html(html: str) -> str:
    """Drop the ``autocomplete`` attribute that Material's base template puts on its two
    checkboxes, where HTML does not allow it (the Nu Html Checker reports it as an error);
    it sits outside any block an override can replace."""
    return _CHECKBOX_AUTOCOMPLETE.sub(r"\1", html)


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter has seen warnings in this build."""
    from mkdocs.utils import CountHandler

    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)
