"""Problems found in outage records, and the ways Katko prints them.

A :class:`Diagnostic` is one problem at one place in one file. Every check in
Katko reports through :class:`Report` so that all problems are collected and
shown at once, in the order of the files and lines they point at. A problem's
message and hint are English msgids, shown in the reader's language by a
:class:`~katko.records.messages.Texts` (see :mod:`katko.records.messages`).

>>> d = Diagnostic("outages/a.yml", 3, 7, "error", "K203", "the end is before the start", "Check the dates.")
>>> print(format_text([d]))
outages/a.yml:3:7: error K203: the end is before the start
  hint: Check the dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Literal

from ..core.i18n import N_
from .codes import FOLLOW_UP, PLACEHOLDERS
from .messages import ENGLISH, Params, Texts

#: A note is information, never a problem: it does not fail a check, even with
#: ``--strict``, is not counted in the summary and is never shown by the site build.
Severity = Literal["error", "warning", "note"]

SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "note": N_("note")}
HINT_WORD = N_("hint")
GUIDE_WORD = N_("guide")
#: What the site build writes before a problem that does not stop it and is not a warning.
FOLLOW_UP_WORD = N_("follow-up")
ADVICE_WORD = N_("advice")


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    column: int
    severity: Severity
    code: str
    #: The message: English, with ``%(name)s`` fields filled from ``params`` when it is shown.
    msgid: str
    #: The code's hint (:mod:`katko.records.codes`), English.
    hint: str = ""
    params: Params = ()

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    @property
    def message(self) -> str:
        """The message in English."""
        return ENGLISH.message(self)


@dataclass
class Report:
    """Collects diagnostics from every stage of loading."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.diagnostics.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def blocking(self) -> list[Diagnostic]:
        """Errors that stop a site build: all but follow-up duties and placeholders
        (see :data:`katko.records.codes.FOLLOW_UP` and :data:`katko.records.codes.PLACEHOLDERS`)."""
        return [d for d in self.errors if d.code not in FOLLOW_UP | PLACEHOLDERS]

    @property
    def notes(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "note"]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))


# What would break a line of the report or act on a terminal: control characters and
# Unicode's line and paragraph separators (a file name or a quoted value may hold them).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _printable(text: str) -> str:
    """``text`` on one line, each control character written as its escape (``\\n``, ``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


def format_text(diagnostics: Iterable[Diagnostic], texts: Texts = ENGLISH, guide: str | None = None) -> str:
    """One line per problem, then an indented plain-language hint, and where
    the record guide explains the code when the ``guide`` address is known.
    A control character in a file name or a value is shown as its escape: it
    cannot start a line of its own (where CI reads ``::`` commands) or move the cursor."""
    lines = []
    for d in diagnostics:
        code = f" {d.code}" if d.code else ""
        lines.append(_printable(f"{d.location}: {texts.gettext(SEVERITY_WORDS[d.severity])}{code}: "
                                f"{texts.message(d)}"))
        if d.hint:
            lines.append(f"  {texts.gettext(HINT_WORD)}: {texts.hint(d)}")
        if guide and d.code:
            lines.append(f"  {texts.gettext(GUIDE_WORD)}: {guide_link(guide, d.code)}")
    return "\n".join(lines)


def guide_link(guide: str, code: str) -> str:
    """Where the record guide explains ``code``: its row in the table of problem codes."""
    return f"{guide}#{code.lower()}"


def _label(texts: Texts, msgid: str) -> str:
    word = texts.gettext(msgid)
    return word[:1].upper() + word[1:]


def _escape_github(value: str, *, property_: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(diagnostics: Iterable[Diagnostic], texts: Texts = ENGLISH, guide: str | None = None) -> str:
    """GitHub Actions workflow commands, shown as annotations on the pull request.

    >>> d = Diagnostic("outages/a.yml", 3, 7, "warning", "K301", "no English title", "Add one.")
    >>> print(format_github([d]))
    ::warning file=outages/a.yml,line=3,col=7,title=K301::no English title%0AHint: Add one.
    """
    lines = []
    for d in diagnostics:
        text = texts.message(d)
        if d.hint:
            text += f"\n{_label(texts, HINT_WORD)}: {texts.hint(d)}"
        if guide and d.code:
            text += f"\n{_label(texts, GUIDE_WORD)}: {guide_link(guide, d.code)}"
        command = "notice" if d.severity == "note" else d.severity
        title = f",title={_escape_github(d.code, property_=True)}" if d.code else ""
        lines.append(
            f"::{command} file={_escape_github(d.path, property_=True)},"
            f"line={d.line},col={d.column}{title}::{_escape_github(text)}"
        )
    return "\n".join(lines)


def summary(report: Report, texts: Texts = ENGLISH) -> str:
    """A closing line such as ``2 errors, 1 warning``."""
    return (texts.ngettext("%(count)s error", "%(count)s errors", len(report.errors)) + ", "
            + texts.ngettext("%(count)s warning", "%(count)s warnings", len(report.warnings)))


def build_refused(report: Report, texts: Texts = ENGLISH) -> str:
    """The site build's closing line when the records stop it: ``2 errors, 0 warnings in the
    outage records; nothing was built``."""
    return texts.word(N_("%(summary)s in the outage records; nothing was built"), summary=summary(report, texts))


def settings_refused(count: int, file: str, texts: Texts = ENGLISH) -> str:
    """The site build's closing line when a settings file such as notify.yml stops it:
    ``3 problems in notify.yml; nothing was built``."""
    problems = texts.ngettext("%(count)s problem", "%(count)s problems", count)
    return texts.word(N_("%(problems)s in %(file)s; nothing was built"), problems=problems, file=file)
