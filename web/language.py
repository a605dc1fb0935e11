"""Which language a request is answered in: RFC 4647 "lookup" of Accept-Language against the
languages Craftway speaks (vi, en), Vietnamese when nothing matches or nothing is asked."""

from __future__ import annotations

from models.language import DEFAULT_LANGUAGE, LANGUAGES

MAX_HEADER_LENGTH = 1_000


def _ranges(header: str) -> list[tuple[str, float]]:
    """Language ranges by preference: highest q first, header order among equals; q=0 dropped."""
    ranges = []
    for position, part in enumerate(header[:MAX_HEADER_LENGTH].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and 0 < quality <= 1:
            ranges.append((-quality, position, tag.strip().lower()))
    return [(tag, -q) for q, _, tag in sorted(ranges)]


def negotiate_language(header: str | None) -> str:
    """`en-US,en;q=0.9` gives en, `fr` gives vi, none gives vi."""
    for tag, _quality in _ranges(header or ""):
        if tag == "*":
            return DEFAULT_LANGUAGE
        subtags = tag.split("-")
        while subtags:  # lookup: drop subtags from the end until one matches
            if "-".join(subtags) in LANGUAGES:
                return "-".join(subtags)
            subtags.pop()
    return DEFAULT_LANGUAGE
