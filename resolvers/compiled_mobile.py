"""The mobile query, compiled ahead: the one document mobile apps send most, answered with two
SQL statements and direct dict assembly instead of graphql-core's per-field execution (which
costs ~10 µs a field, ~600 fields here).

Only that exact document (any `tours(first:)` literal from 0 to 100, variables `{after}`) takes
this path; anything else, or any doubt (a bad `after`), goes to the generic executor, which also
produces the errors. A test runs both paths on the same data and requires identical results.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from graphql import ExecutionResult, GraphQLSyntaxError, IntValueNode, parse, print_ast, visit
from graphql.language import Visitor

from models.queries.sessions import SessionWindow, sessions_of_tours
from models.queries.tour_cards import tour_cards
from schema.ids import encode_id
from schema.pagination import MAX_FIRST
from schema.scalars import parse_datetime, serialize_datetime

MOBILE_QUERY = """query Mobile($after: DateTime) { tours(first: 20) { totalCount edges { node {
  id slug title priceVnd durationMinutes languages
  village { name } center { name } district { name }
  sessions(first: 5, startsAfter: $after) { edges { node {
    id startsAt endsAt seatsAvailable availability } } }
} } } }"""
SESSIONS_PER_TOUR = 5


class _ToursFirst(Visitor):
    """Reads and blanks the literal `first` of the top-level `tours` field."""

    def __init__(self) -> None:
        super().__init__()
        self.first: int | None = None

    def enter_field(self, node: Any, *_args: Any) -> Any:
        if node.name.value != "tours":
            return None
        for argument in node.arguments or ():
            if argument.name.value == "first" and isinstance(argument.value, IntValueNode):
                self.first = int(argument.value.value)
                return node.__class__(
                    name=node.name,
                    alias=node.alias,
                    directives=node.directives,
                    selection_set=node.selection_set,
                    arguments=tuple(a for a in node.arguments if a is not argument),
                )
        return None


@lru_cache(maxsize=256)
def _shape(query: str) -> tuple[str, int | None]:
    """The document printed with tours' `first` removed, and that `first`."""
    try:
        document = parse(query)
    except GraphQLSyntaxError:
        return "", None
    reader = _ToursFirst()
    return print_ast(visit(document, reader)), reader.first


MOBILE_SHAPE = _shape(MOBILE_QUERY)[0]


def _first_of_mobile_query(query: str | None, variables: dict[str, Any] | None, operation: str | None) -> int | None:
    if query is None or operation not in (None, "Mobile") or set(variables or {}) - {"after"}:
        return None
    shape, first = _shape(query)
    if shape != MOBILE_SHAPE or first is None or not 0 <= first <= MAX_FIRST:
        return None
    return first


async def execute_mobile_query(
    query: str | None, variables: dict[str, Any] | None, operation: str | None, context: Any
) -> ExecutionResult | None:
    """The result of the mobile query, or None when the request is anything else."""
    first = _first_of_mobile_query(query, variables, operation)
    if first is None or context.language != "vi":  # its titles are the Vietnamese ones
        return None
    after_text = (variables or {}).get("after")
    try:
        after = context.now if after_text is None else parse_datetime(after_text)
    except ValueError:
        return None  # the generic path explains what is wrong with it
    async with context.sessions() as db:
        cards, total = await tour_cards(db, first)
        window = SessionWindow(starts_after=after)
        sessions = await sessions_of_tours(db, [c.id for c in cards], window, context.now, 0, SESSIONS_PER_TOUR)
    now = context.now
    edges = [
        {
            "node": {
                "id": encode_id("Tour", card.id),
                "slug": card.slug,
                "title": card.title,
                "priceVnd": card.price_vnd,
                "durationMinutes": card.duration_minutes,
                "languages": card.languages,
                "village": {"name": card.village_name} if card.village_name is not None else None,
                "center": {"name": card.center_name} if card.center_name is not None else None,
                "district": {"name": card.district_name},
                "sessions": {
                    "edges": [
                        {
                            "node": {
                                "id": encode_id("Session", s.id),
                                "startsAt": serialize_datetime(s.starts_at),
                                "endsAt": serialize_datetime(s.ends_at),
                                "seatsAvailable": s.seats_available,
                                "availability": s.availability(now),
                            }
                        }
                        for s in sessions.get(card.id, [])
                    ]
                },
            }
        }
        for card in cards
    ]
    return ExecutionResult(data={"tours": {"totalCount": total, "edges": edges}})
