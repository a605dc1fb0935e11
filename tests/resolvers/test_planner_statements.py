"""When the planner's statement cannot answer: data it does not cover goes to the generic
executor with that executor's own answer, and a statement nested deeper than SQLite's parser
goes to the planner's Python runner, with the same answer."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.app_documents import TOUR_LIST
from resolvers.context import Context
from resolvers.planner.sql.execute import STATEMENTS
from schema.build import build_schema
from schema.pagination import encode_cursor
from tests.support import Clock, InProcess, ScratchDatabase

NESTED = "{ districts { centers { district { villages { district { centers { district { villages { district { name } } } } } } } } } }"  # fmt: skip


def as_json(result: Any) -> str:
    """The answer, with each error as its path and code (masked errors carry a new request id)."""
    errors = [(e.path, (e.extensions or {}).get("code")) for e in result.errors or []]
    return json.dumps({"data": result.data, "errors": errors})


async def both(api: InProcess, query: str) -> tuple[Context, str, str]:
    contexts = [Context(sessions=api.sessions, now=api.clock()) for _ in range(2)]
    planned = await build_schema().execute(query, context_value=contexts[0])
    generic = await build_schema(planned_reads=False).execute(query, context_value=contexts[1])
    return contexts[0], as_json(planned), as_json(generic)


async def test_a_missing_required_value_gets_the_generic_executors_answer(fresh_db: ScratchDatabase) -> None:
    """priceVnd is never null, so a tour without an adult price makes the statement fail."""
    api = InProcess(fresh_db.url, Clock())
    try:
        async with api.engine.begin() as conn:
            await conn.exec_driver_sql(
                "DELETE FROM ticket_price WHERE category = 'ADULT' AND tour_id = "
                "(SELECT id FROM tour WHERE slug = 'ngu-xa-bronze-heritage')"
            )
        context, planned, generic = await both(api, '{ tour(slug: "ngu-xa-bronze-heritage") { slug priceVnd } }')
    finally:
        await api.close()
    assert planned == generic and '"errors": [[["tour", "priceVnd"], "INTERNAL_SERVER_ERROR"]]' in generic
    assert not context.planned


async def test_a_statement_too_deep_for_sqlite_is_answered_by_the_runner(
    seeded_db: ScratchDatabase, api: InProcess
) -> None:
    context, planned, generic = await both(api, NESTED)
    assert planned == generic and '"errors": []' in generic
    assert context.planned and context.planned_fields == 1
    assert context.compiled_fields == (1 if seeded_db.url.startswith("postgresql") else 0)


async def test_a_kept_statement_answers_other_moments_as_a_new_one_would(api: InProcess) -> None:
    """The tour list at several `after` moments: after the first, its statement is kept and only
    the moments change (resolvers/planner/sql/statement_cache.py); every answer stays the
    generic executor's."""
    hits = STATEMENTS.hits
    planned_schema, generic_schema = build_schema(), build_schema(planned_reads=False)  # plans live in the schema
    for after in ("2026-11-30T00:00:00+07:00", "2026-12-02T09:00:00+07:00", "2026-12-24T09:00:00.5+07:00"):
        contexts = [Context(sessions=api.sessions, now=api.clock()) for _ in range(2)]
        planned = await planned_schema.execute(TOUR_LIST, {"after": after}, context_value=contexts[0])
        generic = await generic_schema.execute(TOUR_LIST, {"after": after}, context_value=contexts[1])
        assert as_json(planned) == as_json(generic) and contexts[0].compiled_fields == 1, after
        api.clock.advance(minutes=7)  # a new moment as well
    assert STATEMENTS.hits >= hits + 2


class CountedSessions(async_sessionmaker[AsyncSession]):
    """A session factory that counts the sessions it opens."""

    opened = 0

    def __call__(self, **local_kw: Any) -> AsyncSession:
        self.opened += 1
        return super().__call__(**local_kw)


async def test_a_document_the_statements_answer_opens_no_session(api: InProcess) -> None:
    """The statements read straight from the driver; only the Python runner needs a session."""
    for query, sessions_opened in ((TOUR_LIST, 0), ("{ coverage(year: 2023) { year } }", 1)):
        sessions = CountedSessions(api.engine, expire_on_commit=False)
        context = Context(sessions=sessions, now=api.clock())
        result = await build_schema().execute(query, variable_values={"after": None}, context_value=context)
        assert not result.errors and context.planned, (query, result.errors)
        assert sessions.opened == sessions_opened, query


NEAR_PAGE = """{ tours(filter: { near: { lat: 21.0, lon: 105.85, radiusKm: 30 } }, first: 2, after: "%s") {
  totalCount edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage } } }"""


async def test_a_near_me_page_counts_every_tour_in_the_circle_even_past_the_end(api: InProcess) -> None:
    """Near-me counts its tours while paging them (one pass): a page past the end has no rows to
    carry that count, and must still give the same totalCount as the generic executor."""
    first_context, first, _ = await both(api, NEAR_PAGE % encode_cursor(0))
    total = json.loads(first)["data"]["tours"]["totalCount"]
    assert total > 2 and first_context.planned
    for position in (0, total - 2, total - 1, total + 5):
        context, planned, generic = await both(api, NEAR_PAGE % encode_cursor(position))
        assert planned == generic and context.planned, position
        answer = json.loads(planned)["data"]["tours"]
        assert answer["totalCount"] == total and len(answer["edges"]) == min(2, max(0, total - position - 1))
