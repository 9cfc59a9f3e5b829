"""Gettext catalogs (Babel .po files under bot/locales), compiled in memory at start."""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
DOMAIN = "messages"
PLURAL_SUFFIX = ".plural"


def catalog_path(language: str) -> Path:
    """Where a language's .po file lives."""
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages() -> list[str]:
    """Languages with a catalog."""
    return sorted(p.name for p in LOCALES.iterdir() if catalog_path(p.name).exists())


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of a language, falling back to English for missing keys."""
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    if language != "en":
        compiled.add_fallback(translations("en"))
    return compiled


@cache
def has_catalog(language: str) -> bool:
    """Whether a language has a catalog (asked on every message, so remembered)."""
    return catalog_path(language).exists()


def template(language: str, key: str, count: int | None = None) -> str:
    """The message template for a key, in the plural form `count` needs."""
    catalog = translations(language if has_catalog(language) else "en")
    if count is None:
        return catalog.gettext(key)
    return catalog.ngettext(key, key + PLURAL_SUFFIX, count)
