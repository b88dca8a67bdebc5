"""Records' Markdown as HTML that cannot run anything, and the links in it.

Editors write some texts in Markdown (the fields typed :class:`katko.records.model.Markdown`).
The HTML made from them goes into notice pages, feeds and shutter pages, so it
is made safe in two steps:

1. Before conversion every ``<`` that does not open an autolink, and every
   ``&``, is escaped: HTML written into a record shows as the text it is, and
   character references cannot spell a scheme that the checks would miss.
2. After conversion the HTML is sanitised by ammonia (:mod:`nh3`) with an
   allowlist: only the elements Markdown makes for text, lists and links, no
   attributes but a link's address and title, and addresses only with the
   schemes in :data:`SCHEMES` or relative ones. Whatever Markdown or a trick
   of syntax produced beyond that is dropped, whatever the checks let through.

``katko check`` reports a link with any other scheme as K120 (see
:func:`unsafe_links`), so that the editor learns of it rather than seeing the
link silently lose its address. It finds the links as the page would have
them, by converting the text, but only the texts that could hold a refused
link at all: most hold none, and the check would otherwise convert every text
of every record (see :func:`_may_refuse`).

Markdown, ammonia and the HTML parser are imported when a text is first
converted, so that ``katko check`` and the models, which need only
:func:`scheme`, start without them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markupsafe import Markup

#: Schemes a link in a record may have: web pages over TLS, e-mail and phone
#: numbers. Addresses without a scheme (pages of this site) are allowed too.
SCHEMES = frozenset({"https", "mailto", "tel"})

#: The elements Markdown makes for paragraphs, emphasis, lists, links, quotes,
#: code and headings. No images: pages load nothing from elsewhere.
TAGS = frozenset({"p", "br", "hr", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
                  "h1", "h2", "h3", "h4", "h5", "h6"})
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}

# A '<' that does not open an autolink such as <https://example.org/form> or
# <mailto:neuvonta@example.org>, as Markdown reads them; anything else between
# '<' and '>' is shown as written.
_MARKUP = re.compile(r"<(?!(?:https?://[^<>\s]+|mailto:[-.\w]+@[-\w]+(?:\.[-\w]+)*)>)")
# An image, ![alt](address): pages load nothing from elsewhere, so it stays its alt text.
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
# What browsers ignore in an address before reading its scheme (WHATWG URL):
# leading and trailing C0 controls and spaces, and tabs and newlines anywhere.
_IGNORED_EDGES = "".join(map(chr, range(0x21)))
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


#: Python-Markdown's inline patterns, each with the characters without which it cannot match
#: (``em_strong`` reads both * and _, ``linebreak`` two spaces before a line break, which tabs
#: can make). A text is converted without the patterns whose characters it lacks: each pattern
#: is otherwise tried at every piece of text, about a third of a conversion. A pattern not
#: named here is always tried.
_NEEDS: dict[str, str] = {
    "backtick": "`", "escape": "\\", "reference": "[", "link": "[", "image_link": "[", "image_reference": "[",
    "short_reference": "[", "short_image_ref": "[", "autolink": "<", "automail": "<", "linebreak": "\n",
    "html": "<", "entity": "&", "em_strong": "*_",
}


@lru_cache(maxsize=None)
def _converter(left_out: frozenset[str] = frozenset()) -> Any:
    """A converter without the inline patterns ``left_out``, made once and reset between texts:
    building one costs more than converting a notice."""
    import markdown  # here, not on top: start-up time of 'katko check', which converts few texts

    converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    for name in left_out:
        converter.inlinePatterns.deregister(name, strict=False)
    return converter


@lru_cache(maxsize=None)
def _cleaner() -> Any:
    import nh3  # here, not on top: start-up time of 'katko check', which converts few texts

    return nh3.Cleaner(tags=set(TAGS), attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
                       url_schemes=set(SCHEMES), link_rel=None, strip_comments=True)


def _source(text: str) -> str:
    """The text as the converter reads it: HTML in it escaped, images turned into their alt text."""
    return _IMAGE.sub(r"\1", _MARKUP.sub("&lt;", text.replace("&", "&amp;")))


def _converted(text: str) -> str:
    """Markdown as HTML, any HTML in the text turned into text first (not yet sanitised)."""
    source = _source(text)
    converter = _converter(frozenset(name for name, chars in _NEEDS.items() if not any(c in source for c in chars)))
    converter.reset()
    return converter.convert(source)


# Kept for the process: a build converts each text once however many pages, feeds and
# files show it (10,000 texts at 1,000 records), and a preview keeps them between rebuilds.
@lru_cache(maxsize=None)
def to_html(text: str) -> Markup:
    """Markdown from a record as safe HTML, any HTML in it shown as text.

    >>> print(to_html("Call **09 000 1000** or see <https://example.org/a>. <script>x</script>"))
    <p>Call <strong>09 000 1000</strong> or see <a href="https://example.org/a">https://example.org/a</a>. &lt;script&gt;x&lt;/script&gt;</p>
    >>> print(to_html("![Map](https://tracker.example/pixel.png) of the service points"))
    <p>Map of the service points</p>
    >>> print(to_html("[Form](javascript:alert(1)) or <mailto:x/`/onfocus=alert(1)//autofocus/tabindex=1>"))
    <p><a>Form</a> or &lt;mailto:x/`/onfocus=alert(1)//autofocus/tabindex=1&gt;</p>
    """
    from markupsafe import Markup  # here, not on top: start-up time of 'katko check' (see _converter)

    return Markup(_cleaner().clean(_converted(text)))


# A heading's tags, as the sanitiser leaves them: no attributes, and every other '<' escaped.
_HEADING = re.compile(r"<(/?)h([1-6])>")


def nested(html: Markup, level: int | None) -> Markup:
    """A record's converted text with its headings made the sub-headings of the section it is
    shown in, whose own heading is ``h{level}``: the text's highest heading becomes
    ``h{level + 1}`` and the others keep their steps below it, down to ``h6``. A ``#`` in a
    record would otherwise be a second ``h1`` on the page, and a ``##`` would end the section
    it was written for, for a screen reader's list of headings (WCAG 1.3.1). ``None``: as is.

    >>> print(nested(to_html("# Ohje\\n\\nTeksti\\n\\n### Lisää"), 2))
    <h3>Ohje</h3>
    <p>Teksti</p>
    <h5>Lisää</h5>
    >>> print(nested(to_html("#### Syvällä\\n\\n###### Syvemmällä"), 5))
    <h6>Syvällä</h6>
    <h6>Syvemmällä</h6>
    """
    from markupsafe import Markup  # here, not on top: start-up time of 'katko check' (see _converter)

    levels = [int(found) for _, found in _HEADING.findall(html)]
    if level is None or not levels:
        return html
    shift = level + 1 - min(levels)
    return Markup(_HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + shift, 6)}>", html))


def scheme(address: str) -> str | None:
    """The scheme of an address as a browser reads it (lower case), or None for a relative one.

    >>> scheme(" JaVa\\tScript:alert(1)"), scheme("../services/lupa/"), scheme("tel:+358 9 000")
    ('javascript', None, 'tel')
    """
    found = _SCHEME.match(_IGNORED_INSIDE.sub("", address.strip(_IGNORED_EDGES)))
    return found.group(1).lower() if found else None


def allowed(address: str) -> bool:
    """Whether a record may link to ``address``: a scheme of :data:`SCHEMES`, or none.

    >>> allowed("https://example.org/"), allowed("/fi/"), allowed("http://example.org/"), allowed("data:,x")
    (True, True, False, False)
    """
    found = scheme(address)
    return found is None or found in SCHEMES


# A text in which Markdown can make no link but the autolinks that _source leaves: no '[' (links,
# references, images), '`' (code spans), '\\' (escapes) or '&' (references), no control character
# but the line break, no four spaces in a row (every code block, also inside a quote or a list,
# is indented by four or more), and no line that begins with '<' (HTML blocks).
# In such a text every '<' that _source does not escape opens an autolink, which Markdown's
# inline patterns read before any other (emphasis included), keeping its address as written.
_NOT_ONLY_AUTOLINKS = re.compile("[\\[`\\\\&\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]|    |(?:^|\n)<")
_AUTOLINK = re.compile(r"<(https?://[^<>\s]+|mailto:[-.\w]+@[-\w]+(?:\.[-\w]+)*)>")


def links(text: str) -> list[str]:
    """The addresses the Markdown ``text`` links to, as the page would have them before sanitising.

    >>> links("[a](https://x.example) [b][r] <mailto:p@x.example>\\n\\n[r]: JAVASCRIPT:alert(1)")
    ['https://x.example', 'JAVASCRIPT:alert(1)', 'mailto:p@x.example']
    >>> links("- Lomakkeet: <https://x.example/a_b_*c*>, **<http://y.example>**")
    ['https://x.example/a_b_*c*', 'http://y.example']
    """
    if not _NOT_ONLY_AUTOLINKS.search(text):
        # Start-up and speed of 'katko check': most texts are converted for nothing else.
        return _AUTOLINK.findall(text)
    return _converted_links(text)


def _converted_links(text: str) -> list[str]:
    """:func:`links` found by converting the text (the shortcut is tested against this)."""
    from html.parser import HTMLParser  # here, not on top: start-up time of 'katko check' (see _converter)

    found: list[str] = []

    class Addresses(HTMLParser):
        """Collects every address of the HTML's elements (attribute values already decoded)."""

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(value for name, value in attrs if name in ("href", "src") and value is not None)

    parser = Addresses(convert_charrefs=True)
    parser.feed(_converted(text))
    parser.close()
    return found


# A colon that cannot end a refused scheme: after an allowed scheme, or after
# characters no scheme begins with (a time such as 10:00), each of them where
# Markdown neither removes nor joins what stands before it (see _may_refuse).
_HARMLESS_COLON = re.compile(r"(?:^|(?<=[(<])|(?<=[^\W_] ))(?:https|mailto|tel|[0-9+.\-]*):", re.IGNORECASE)


def may_link_elsewhere(text: str) -> bool:
    """Whether the Markdown ``text`` can hold a link with a scheme (to check its scheme and host).

    False only when it cannot: every link Markdown makes comes from a ``[`` or, as an autolink,
    from a ``<`` (see :func:`_may_refuse`), and an address with a scheme has a colon.

    >>> may_link_elsewhere("Katko klo 10:00, huom: lomake toimii"), may_link_elsewhere("[lomake](/fi/)")
    (False, False)
    >>> may_link_elsewhere("[lomake](https://x.example)"), may_link_elsewhere("<https://x.example>")
    (True, True)
    """
    return ":" in text and ("[" in text or "<" in text)


def _may_refuse(text: str) -> bool:
    """Whether the Markdown ``text`` can link to an address that :func:`allowed` refuses.

    False only when it cannot; then :func:`unsafe_links` need not convert it.
    Every link Markdown makes comes from a ``[``, but for autolinks, of which
    :func:`_source` leaves only ``<https://…>``, ``<http://…>`` and
    ``<mailto:…>``. A refused address has a scheme, which ends at a colon of
    the converted text, and its letters, digits, ``+``, ``.`` and ``-`` come
    from the text as written, except that Markdown may remove characters
    between them (backslashes, backticks, indentation and ``>`` at the start
    of a line) and :func:`scheme` ignores line breaks and tabs. So a colon is
    harmless when what stands right before it is ``https``, ``mailto``,
    ``tel`` or no letter at all, and before that the start of the text, a
    ``(`` or ``<``, or a space after a letter or digit: nothing there can be
    removed or ignored, and no address starts inside a word.

    >>> _may_refuse("Katko klo 10:00 [lomake](https://x.example) <https://y.example>")
    False
    >>> _may_refuse("[lomake](x`tel:1`)"), _may_refuse("Huom: <http://x.example>"), _may_refuse("Huom: http://x")
    (True, True, False)
    """
    if "[" not in text and "<http://" not in text:
        return False
    source = _source(text)
    return source.count(":") != len(_HARMLESS_COLON.findall(source))


def unsafe_links(text: str) -> list[str]:
    """The links of ``text`` that :func:`allowed` refuses, in order, each once.

    >>> unsafe_links("[a](http://x.example) [b](https://x.example) [c](JaVaScRiPt:x) [d](http://x.example)")
    ['http://x.example', 'JaVaScRiPt:x']
    """
    if not _may_refuse(text):
        return []
    return list(dict.fromkeys(address for address in links(text) if not allowed(address)))
