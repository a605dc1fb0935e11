"""Conditions the lists share (tours, villages, centers, communes, products): folded search
words and rows named by slug, as models/queries writes them with SQLAlchemy."""

from __future__ import annotations

from models.text import fold, like_pattern
from resolvers.planner.sql.compiler import Compiler


def matching_words(c: Compiler, text: str | None, column_sql: str) -> list[str]:
    """models/text: words folded like the stored search text, matched anywhere."""
    if text is None or not fold(text):
        return []
    return [f"{column_sql} LIKE {c.params.add(like_pattern(fold(text)), 'text')} ESCAPE '\\'"]


def id_by_slug(c: Compiler, table: str, slug: str) -> str:
    """The id of the `table` row with `slug` (null where there is none)."""
    return f"(SELECT id FROM {table} WHERE slug = {c.params.add(slug, 'text')})"


def named_by_slug(c: Compiler, table: str, slug: str | None, column_sql: str) -> list[str]:
    """`column_sql` is the id of the `table` row with `slug`; no condition without a slug."""
    return [] if slug is None else [f"{column_sql} = {id_by_slug(c, table, slug)}"]
