#!/usr/bin/env python3
"""Write a bare mkdocs-material site with the same pages as a Katko build, as plain Markdown.

    .venv/bin/python benchmarks/bare_site.py PROJECT_DIR OUT_DIR [--site SITE_DIR]

PROJECT_DIR is a Katko project (see generate.py); SITE_DIR is its built site
(default PROJECT_DIR/site; if it is missing, the project is built first with
KATKO_NOW). For every page Katko generated (every ``index.html``: the root,
each language's home page, a notice per public outage, the service pages,
the archive and its years, the accessibility statement) OUT_DIR/docs gets an
``index.md`` at the same address with the same visible text: the page's main
content (Material's ``<article>``) turned back into Markdown: title as H1, the
same headings, paragraphs, lists (the facts of a ``<dl>`` as "**term**: value"
paragraphs), bold text and links; a heading keeps the id Katko gave it (``{#alternatives}``,
with the attr_list extension). Links between pages point to the other
pages' Markdown files, as an author would write them, so MkDocs resolves and
validates them as in any plain site.

The site is plain Material: ``font: false``, the search plugin with the same
languages, no custom templates, no Katko. No page is in the navigation
(``not_in_nav: "*"``), as Katko's generated pages are not, so the comparison is
the per-page cost of Katko against a plain Material site. Pages that Katko
keeps out of the search index (the root and the archive pages) carry
``search: exclude: true`` here too.
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from lxml import etree

KATKO_NOW = "2026-12-01T12:00:00+02:00"

BLOCKS = {"p", "ul", "ol", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "section", "div", "article", "table",
          "blockquote", "pre", "hr", "nav", "header", "footer", "aside"}
SKIP = {"script", "style", "template", "noscript"}

_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"([\\`*_\[\]])")
_LINE_START = re.compile(r"^(\d+)\. |^([#>+-]) ")


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text).replace("<", "&lt;")


#: The page being converted (its site-relative address), the site's URL, and the addresses of all
#: the pages written (links to anything else become absolute addresses).
_PAGE: dict = {"location": "", "site_url": "", "pages": set()}


def markdown_link(href: str) -> str:
    """A link from a Katko page: to the Markdown file of the page it names.

    A link to anything that is not one of the pages (a feed, a calendar, an API
    file, an embeddable snippet: the bare site has none) becomes an absolute
    address on the site, as it would in a plain site pointing to files it does
    not build.
    """
    if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith(("#", "/")):
        return href
    path, hash_, fragment = href.partition("#")
    target = posixpath.normpath(posixpath.join(_PAGE["location"] or ".", path or "."))
    target = "" if target == "." else target + ("/" if path.endswith("/") or path in ("", ".") else "")
    if target not in _PAGE["pages"]:
        return _PAGE["site_url"].rstrip("/") + "/" + target + hash_ + fragment
    if path in ("", "./", "."):
        path = "index.md"
    elif path.endswith("/"):
        path += "index.md"
    return path + hash_ + fragment


def inline(el: etree._Element) -> str:
    """An element's content as inline Markdown (whitespace collapsed as a browser would)."""
    parts = [escape(_SPACE.sub(" ", el.text or ""))]
    for child in el:
        parts.append(inline_element(child))
        parts.append(escape(_SPACE.sub(" ", child.tail or "")))
    return "".join(parts)


def inline_element(child: etree._Element) -> str:
    """One inline element, without its tail, as Markdown."""
    tag = child.tag if isinstance(child.tag, str) else None
    if tag is None or tag in SKIP:  # comments, processing instructions, scripts
        return ""
    if tag == "br":
        return "\n"
    if tag in ("strong", "b"):
        content = inline(child).strip()
        return f"**{content}**" if content else ""
    if tag in ("em", "i"):
        content = inline(child).strip()
        return f"*{content}*" if content else ""
    if tag == "code":
        return f"`{child.text_content()}`"
    if tag == "a":
        content = inline(child).strip()
        href = child.get("href")
        return f"[{content}]({markdown_link(href)})" if href else content
    return inline(child)  # time, span, abbr, …: their text


def paragraph(text: str) -> str:
    """Inline Markdown as a paragraph: lines trimmed, hard breaks kept, no accidental list or heading."""
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    lines = [_LINE_START.sub(lambda m: (m.group(1) + "\\. ") if m.group(1) else ("\\" + m.group(2) + " "), line)
             for line in lines]
    return "  \n".join(lines)


def blocks(el: etree._Element) -> list[str]:
    """An element's content as Markdown blocks."""
    out: list[str] = []
    pending: list[str] = [escape(_SPACE.sub(" ", el.text or ""))]

    def flush() -> None:
        text = paragraph("".join(pending))
        if text:
            out.append(text)
        pending.clear()

    for child in el:
        tag = child.tag if isinstance(child.tag, str) else None
        if tag is None or tag in SKIP:
            pass
        elif tag in BLOCKS or tag == "li":
            flush()
            out.extend(block(child))
        else:
            pending.append(inline_element(child))
        pending.append(escape(_SPACE.sub(" ", child.tail or "")))
    flush()
    return out


def indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def block(el: etree._Element) -> list[str]:
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        text = " ".join(inline(el).split())
        # Katko's own heading ids (#alternatives, …) kept, so links to them resolve.
        anchor = f" {{#{el.get('id')}}}" if el.get("id") else ""
        return [f"{'#' * int(tag[1])} {text}{anchor}"] if text else []
    if tag == "p":
        text = paragraph(inline(el))
        return [text] if text else []
    if tag in ("ul", "ol"):
        items = []
        for number, li in enumerate((c for c in el if c.tag == "li"), start=1):
            marker = f"{number}. " if tag == "ol" else "- "
            content = "\n\n".join(blocks(li)) or ""
            items.append(marker + indent(content, " " * 4)[4:] if content else marker.rstrip())
        # Items with several blocks need blank lines between items (a loose list).
        loose = any("\n\n" in item for item in items)
        return ["\n\n".join(items) if loose else "\n".join(items)] if items else []
    if tag == "dl":
        out, term = [], ""
        for child in el:
            if child.tag == "dt":
                term = " ".join(inline(child).split())
            elif child.tag == "dd":
                value = paragraph(inline(child))
                out.append(f"**{term}**: {value}" if term else value)
                term = ""
        return out
    if tag == "hr":
        return ["---"]
    if tag == "pre":
        return ["```\n" + el.text_content().rstrip("\n") + "\n```"]
    if tag == "blockquote":
        return [indent("\n\n".join(blocks(el)), "> ")]
    return blocks(el)  # section, div, article, …


def page_markdown(html_file: Path) -> tuple[str, str]:
    """The title and Markdown text of a Katko page's main content."""
    tree = lxml.html.parse(str(html_file))
    articles = tree.xpath("//article[contains(concat(' ', normalize-space(@class), ' '), ' md-content__inner ')]")
    if not articles:
        raise SystemExit(f"{html_file}: no Material <article> found")
    article = articles[0]
    h1 = article.find(".//h1")
    title = " ".join(h1.text_content().split()) if h1 is not None else ""
    text = "\n\n".join(blocks(article)).strip() + "\n"
    return title, text


def searchable_locations(site: Path) -> set[str]:
    """The pages (locations without '#') that Katko put into the search index."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return {d["location"].split("#", 1)[0] for d in index["docs"]}


def katko_pages(site: Path) -> list[Path]:
    """Every page of a Katko build that Material renders, relative to the site.

    The embed iframe pages and the shutter pages are self-contained documents
    outside Material: the bare site has nothing like them, so their cost stays
    on Katko's side of the comparison.
    """
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in ("assets", "search", "embed", "shutter"):
            continue
        pages.append(rel)
    return pages


def bare_config(project: Path) -> dict:
    katko = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    search = next((p["search"] for p in katko.get("plugins", []) if isinstance(p, dict) and "search" in p), {})
    theme = katko.get("theme", {})
    return {
        "site_name": katko.get("site_name", "Katko"),
        "site_url": katko.get("site_url"),
        "docs_dir": "docs",
        "use_directory_urls": True,
        "theme": {
            "name": "material",
            "language": theme.get("language", "fi"),
            "font": False,
            "features": theme.get("features", []),
        },
        "plugins": [{"search": search or {}}],
        # Only for the {#id} of headings that Katko's pages link to.
        "markdown_extensions": ["attr_list"],
        # As Katko's generated pages: none of them is in the navigation.
        "not_in_nav": "*",
    }


def build_katko(project: Path, site: Path) -> None:
    env = {**os.environ, "KATKO_NOW": os.environ.get("KATKO_NOW", KATKO_NOW), "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    subprocess.run([*command, "build", "-q", "-d", str(site)], cwd=project, env=env, check=True)


def write_bare_site(project: Path, out: Path, site: Path | None = None) -> dict:
    project = project.resolve()
    site = (site or project / "site").resolve()
    if not (site / "index.html").is_file():
        build_katko(project, site)
    searchable = searchable_locations(site)
    _PAGE["site_url"] = bare_config(project).get("site_url") or "https://example.org/"
    docs = out / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    excluded = 0
    pages = katko_pages(site)
    _PAGE["pages"] = {"" if rel.parent == Path(".") else rel.parent.as_posix() + "/" for rel in pages}
    for rel in pages:
        location = "" if rel.parent == Path(".") else rel.parent.as_posix() + "/"
        _PAGE["location"] = location
        title, text = page_markdown(site / rel)
        front = ""
        if location not in searchable:
            front = "---\nsearch:\n  exclude: true\n---\n\n"
            excluded += 1
        target = docs / rel.with_name("index.md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(front + text, encoding="utf-8")
    (out / "mkdocs.yml").write_text(
        "# A plain mkdocs-material site with the same pages as the Katko build next to it\n"
        "# (written by benchmarks/bare_site.py; see docs/performance.md).\n"
        + yaml.safe_dump(bare_config(project), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return {"pages": len(pages), "excluded_from_search": excluded, "out": str(out)}


# --------------------------------------------------------------------------- #
# A status site as cState builds one with Hugo, for comparison
# --------------------------------------------------------------------------- #

# cState (a Hugo theme for status pages) keeps each incident as a Markdown file
# with front matter (title, date, severity, affected systems, resolved and
# when) and renders: a home page with every system's status, the active
# incidents and the latest ones; a page per incident; a page per system listing
# its incidents; the incident history; and RSS feeds for them and a JSON index.
# The templates below do the same in Hugo's own template language, written for
# this benchmark (nothing is taken from cState), in the three languages of the
# Katko site, with the same records.

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} | {{ end }}{{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}
{{ range .Translations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>
<nav><ul>{{ range .Site.Taxonomies.affected.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a></li>{{ end }}
<li><a href="{{ "issues/" | relLangURL }}">{{ i18n "history" }}</a></li></ul></nav>
<ul class="languages">{{ range .Translations }}<li><a href="{{ .RelPermalink }}" lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</a></li>{{ end }}</ul>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ i18n "updated" }} {{ now.Format "2006-01-02 15:04" }}</footer>
</body>
</html>
""",
    "index.html": """{{ define "main" }}
{{ $issues := where .Site.RegularPages "Section" "issues" }}
{{ $active := where $issues "Params.resolved" false }}
<h1>{{ .Site.Title }}</h1>
<section class="systems"><h2>{{ i18n "systems" }}</h2><ul>
{{ range .Site.Taxonomies.affected }}{{ $down := where .Pages "Params.resolved" false }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>: {{ if $down }}{{ i18n "disrupted" }}{{ else }}{{ i18n "ok" }}{{ end }}</li>
{{ end }}</ul></section>
<section class="active"><h2>{{ i18n "active" }}</h2>
{{ range $active.ByDate }}{{ partial "issue-card.html" . }}{{ else }}<p>{{ i18n "none" }}</p>{{ end }}</section>
<section class="recent"><h2>{{ i18n "recent" }}</h2>
{{ range first 10 (where $issues "Params.resolved" true).ByDate.Reverse }}{{ partial "issue-card.html" . }}{{ end }}</section>
{{ end }}
""",
    "partials/issue-card.html": """<article class="issue issue--{{ .Params.severity }}">
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2.1.2006 15.04" }}</time>
{{ with .Params.resolvedWhen }} – <time>{{ . }}</time>{{ end }}
· {{ i18n .Params.severity }} · {{ range $i, $s := .Params.affected }}{{ if $i }}, {{ end }}{{ $s }}{{ end }}</p>
<p>{{ .Summary }}</p>
</article>
""",
    "issues/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta">{{ if .Params.resolved }}{{ i18n "resolved" }}{{ else }}{{ i18n "active" }}{{ end }}
· <time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2.1.2006 15.04" }}</time>
{{ with .Params.resolvedWhen }} – {{ . }}{{ end }}</p>
<p>{{ i18n "affected" }}: {{ range $i, $s := .Params.affected }}{{ if $i }}, {{ end }}<a href="{{ (printf "affected/%s/" ($s | urlize)) | relLangURL }}">{{ $s }}</a>{{ end }}</p>
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ range .Pages.GroupByDate "2006" }}<h2>{{ .Key }}</h2>
{{ range .Pages }}{{ partial "issue-card.html" . }}{{ end }}{{ end }}
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}
</ul>{{ end }}
""",
    "index.json": """{{ $issues := where .Site.RegularPages "Section" "issues" }}
{"systems": [{{ range $i, $t := .Site.Taxonomies.affected.Alphabetical }}{{ if $i }},{{ end }}{{ $t.Page.Title | jsonify }}{{ end }}],
 "issues": [{{ range $i, $p := $issues.ByDate }}{{ if $i }},{{ end }}
  {"title": {{ $p.Title | jsonify }}, "date": {{ $p.Date | jsonify }}, "resolved": {{ $p.Params.resolved | jsonify }},
   "severity": {{ $p.Params.severity | jsonify }}, "affected": {{ $p.Params.affected | jsonify }},
   "permalink": {{ $p.Permalink | jsonify }}}{{ end }}]}
""",
}

HUGO_WORDS = {
    "history": ("Historia", "Historik", "History"),
    "updated": ("Päivitetty", "Uppdaterad", "Updated"),
    "systems": ("Palvelut", "Tjänster", "Systems"),
    "disrupted": ("Häiriö", "Störning", "Disrupted"),
    "ok": ("Toiminnassa", "I drift", "Operational"),
    "active": ("Käynnissä", "Pågående", "Active"),
    "none": ("Ei häiriöitä", "Inga störningar", "No incidents"),
    "recent": ("Viimeisimmät", "Senaste", "Recent"),
    "resolved": ("Korjattu", "Åtgärdat", "Resolved"),
    "affected": ("Koskee", "Berör", "Affected"),
    "down": ("Ei käytössä", "Ur bruk", "Down"),
    "disrupted_severity": ("Häiriö", "Störning", "Disrupted"),
    "notice": ("Tiedote", "Meddelande", "Notice"),
}
HUGO_LANGS = ("fi", "sv", "en")
_SEVERITY = {"unavailable": "down", "partial": "disrupted", "slow": "disrupted", "read_only": "notice"}


def _hugo_time(value: Any) -> str:
    """A record's time ('2026-12-06 18:00', Finnish time, or with its offset) as Hugo front matter wants it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).strip())  # '2026-12-06 18:00' or '2024-10-27T03:30+03:00'
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("Europe/Helsinki"))
    return moment.isoformat()


def write_hugo_site(project: Path, out: Path, now: str = KATKO_NOW) -> dict:
    """A cState-like Hugo project with the records of the Katko ``project``: the public ones at ``now``,
    each as an incident in fi, sv and en (title, summary, details, what still works, what to do
    instead, updates), affecting its services by name."""
    from datetime import datetime

    moment = datetime.fromisoformat(now)
    shutil.rmtree(out, ignore_errors=True)
    catalogue = yaml.load((project / "outages" / "services.yml").read_text(encoding="utf-8"),
                          Loader=yaml.CSafeLoader)
    names = {s["id"]: s["name"] for s in catalogue["services"]}
    for relative_path, text in HUGO_LAYOUTS.items():
        target = out / "layouts" / relative_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (out / "static").mkdir(parents=True)
    (out / "static" / "style.css").write_text("body{font-family:system-ui;max-width:50rem;margin:auto}\n"
                                              ".issue--down{border-left:4px solid #b00}\n", encoding="utf-8")
    config = {"baseURL": _PAGE.get("site_url") or "https://katkot.example.org/", "title": "Katkot",
              "defaultContentLanguage": "fi", "defaultContentLanguageInSubdir": True,
              "taxonomies": {"affected": "affected"}, "disableKinds": ["sitemap", "robotsTXT"],
              "outputs": {"home": ["HTML", "RSS", "JSON"], "section": ["HTML", "RSS"], "term": ["HTML", "RSS"]},
              "summaryLength": 40, "languages": {}}
    for i, lang in enumerate(HUGO_LANGS):
        config["languages"][lang] = {"languageName": lang, "weight": i + 1, "contentDir": f"content/{lang}",
                                     "title": {"fi": "Palvelukatkot", "sv": "Serviceavbrott", "en": "Outages"}[lang]}
        words = {key: values[i] for key, values in HUGO_WORDS.items()}
        (out / "i18n").mkdir(exist_ok=True)
        (out / "i18n" / f"{lang}.yaml").write_text(yaml.safe_dump(words, allow_unicode=True), encoding="utf-8")
    (out / "config.yaml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    count = 0
    for path in sorted((project / "outages").glob("*.yml")):
        if path.name == "services.yml":
            continue
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if datetime.fromisoformat(_hugo_time(record["public_from"])) > moment:
            continue
        count += 1
        end = record.get("end")
        resolved = record.get("status") in ("ended", "resolved", "cancelled") or (
            end is not None and datetime.fromisoformat(_hugo_time(end)) <= moment)
        for lang in HUGO_LANGS:
            def text(field: str, lang: str = lang) -> str:
                value = record.get(field) or {}
                return str(value.get(lang) or value.get("fi") or "").strip()
            front = {"title": text("title"), "date": _hugo_time(record["start"]),
                     "severity": _SEVERITY.get(record.get("impact"), "disrupted"), "resolved": bool(resolved),
                     "affected": [names[s].get(lang) or names[s]["fi"] for s in record["services"] if s in names],
                     "summary": text("summary")}
            if end is not None:
                front["resolvedWhen"] = _hugo_time(end)
            body = [text("summary"), "", text("details"), "", text("still_works"), "", text("alternatives")]
            for update in record.get("updates") or []:
                body += ["", f"**{_hugo_time(update['time'])}** {str((update.get('text') or {}).get(lang, '')).strip()}"]
            target = out / "content" / lang / "issues" / f"{path.stem}.md"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
                              + "\n".join(body) + "\n", encoding="utf-8")
    return {"incidents": count, "pages_per_language": count, "out": str(out)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="the Katko project (see generate.py)")
    parser.add_argument("out", type=Path, help="folder to write the bare site's project to")
    parser.add_argument("--site", type=Path, help="the Katko project's built site (default PROJECT/site)")
    args = parser.parse_args()
    info = write_bare_site(args.project, args.out, args.site)
    print(f"wrote {info['pages']} Markdown pages to {args.out / 'docs'} "
          f"({info['excluded_from_search']} excluded from search, as in the Katko build)")


if __name__ == "__main__":
    main()
