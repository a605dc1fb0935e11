"""The two languages Craftway answers in, and texts in one of them with the other as fallback."""

from __future__ import annotations

LANGUAGES = ("vi", "en")  # vi first: the default, and always present for names and titles
DEFAULT_LANGUAGE = "vi"


def in_language(language: str, vi: str | None, en: str | None) -> str | None:
    """The text in `language`, else in the other language (seed descriptions exist in English
    only; API-authored texts always have Vietnamese)."""
    first, second = (en, vi) if language == "en" else (vi, en)
    return first if first else second
