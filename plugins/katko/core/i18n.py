"""The interface texts in Finnish, Swedish and English, from ``locales/``.

Catalogs are the gettext ``.po`` files under ``locales/LANG/LC_MESSAGES/``,
managed with Babel (see ``docs/translating.md``). They are compiled in memory
at every build, so a fresh clone builds without a compile step, and a catalog
that is missing, broken or incomplete stops the build: Babel's own loader
would silently fall back to the English source texts instead.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from babel.support import Translations

# Babel is imported where a catalog is read, not here: every module that marks
# its texts with N_ imports this one, and commands that show none of them
# (``katko usage ingest``) need not pay for loading Babel.

DOMAIN = "katko"


def N_(message: str) -> str:
    """Mark a text for extraction (``pybabel extract -k N_``); it is translated where it is shown."""
    return message


class CatalogError(Exception):
    """A catalog that cannot be used; the message names the file and the problem."""


def catalog_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(locales: Path, lang: str) -> Catalog:
    from babel.messages.pofile import PoFileError, read_po  # here: see the note on Babel above

    path = catalog_path(locales, lang)
    if not path.is_file():
        raise CatalogError(f"{path}: the {lang} translation catalog is missing")
    try:
        with path.open("rb") as fh:
            return read_po(fh, locale=lang, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"{path}: the catalog cannot be read: {exc}") from None


def untranslated(catalog: Catalog) -> list[str]:
    """Message ids with no translation, or a fuzzy one that gettext would ignore."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


#: Translations read, by catalog file and the file's size and modification time: under
#: ``mkdocs serve`` every rebuild asks for the same catalogs, and reading one takes longer
#: than anything a rebuild after one saved record renders.
_LOADED: dict[tuple[str, int, int], Translations] = {}


def load(locales: Path, lang: str) -> Translations:
    """Complete translations for ``lang``, or :class:`CatalogError` (read again when the file changes)."""
    path = catalog_path(locales, lang)
    try:
        stat = path.stat()
    except OSError:
        key = None
    else:
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        found = _LOADED.get(key)
        if found is not None:
            return found
    translations = _read_translations(locales, lang)
    if key is not None:
        _LOADED[key] = translations
    return translations


def _read_translations(locales: Path, lang: str) -> Translations:
    from babel.messages.mofile import write_mo  # here: see the note on Babel above
    from babel.support import Translations  # here: see the note on Babel above

    catalog = read_catalog(locales, lang)
    missing = untranslated(catalog)
    if missing:
        shown = "; ".join(repr(m) for m in missing[:5])
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise CatalogError(f"{catalog_path(locales, lang)}: {len(missing)} texts are not translated: {shown}{more}")
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)
