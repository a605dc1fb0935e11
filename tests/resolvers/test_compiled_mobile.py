"""The compiled mobile query answers exactly what the generic executor answers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from resolvers.compiled_mobile import MOBILE_QUERY, execute_mobile_query
from resolvers.context import Context
from tests.support import Clock, InProcess, ScratchDatabase, World, make_token, run_sql, shared_schema


async def both(runner: InProcess, query: str, variables: dict[str, Any] | None) -> tuple[Any, Any]:
    generic = await shared_schema().execute(
        query, variable_values=variables, context_value=Context(sessions=runner.sessions, now=runner.clock())
    )
    compiled = await execute_mobile_query(query, variables, None, Context(sessions=runner.sessions, now=runner.clock()))
    return generic, compiled


@pytest.mark.parametrize("first", [0, 5, 20, 100])
@pytest.mark.parametrize(
    "after",
    [
        None,
        "2026-12-03T10:00:00+07:00",
        "2026-12-02T02:00:00Z",
        "2027-01-29T20:00:00+07:00",
        "2030-01-01T00:00:00+07:00",
    ],
)
async def test_same_answer_as_the_generic_executor(api: InProcess, first: int, after: str | None) -> None:
    query = MOBILE_QUERY.replace("first: 20", f"first: {first}")
    generic, compiled = await both(api, query, {"after": after} if after else None)
    assert generic.errors is None and compiled is not None
    assert json.dumps(compiled.data) == json.dumps(generic.data)


def test_same_answer_with_holds_lapses_cancellations_and_sold_out_sessions(
    world: World, fresh_db: ScratchDatabase
) -> None:
    session = world.session_id()
    for key, seats, minutes in (("a", 4, 5), ("b", 3, 60)):
        world.call(
            """mutation($i: HoldSeatsInput!) { holdSeats(input: $i) { __typename } }""",
            {
                "i": {
                    "sessionId": session,
                    "tickets": [{"category": "ADULT", "quantity": seats}],
                    "contact": {"name": "H"},
                    "idempotencyKey": key,
                    "holdMinutes": minutes,
                }
            },
        )
    world.call(
        """mutation($i: CancelSessionInput!) { cancelSession(input: $i) { __typename } }""",
        {"i": {"sessionId": world.session_id("phu-vinh-weaving")}},
        token=world.center_staff,
    )
    run_sql(
        fresh_db.url,
        "UPDATE tour_session SET seats_taken = capacity WHERE id IN (SELECT min(id) + 1 FROM tour_session GROUP BY tour_id)",
    )
    clock = Clock()
    clock.advance(minutes=10)  # the first hold has lapsed, the second has not; some sessions are closing

    async def compare() -> None:
        runner = InProcess(fresh_db.url, clock)
        try:
            for after in (None, "2026-12-01T00:00:00+07:00", "2027-01-25T00:00:00+07:00"):
                generic, compiled = await both(runner, MOBILE_QUERY, {"after": after})
                assert json.dumps(compiled.data) == json.dumps(generic.data)
                seen = {
                    s["node"]["availability"]
                    for t in generic.data["tours"]["edges"]
                    for s in t["node"]["sessions"]["edges"]
                }
                assert after is not None or {"SOLD_OUT", "CLOSED", "AVAILABLE"} <= seen, seen
        finally:
            await runner.close()

    asyncio.run(compare())


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (MOBILE_QUERY.replace("first: 20", "first: 101"), None),
        (MOBILE_QUERY.replace("title", "title description"), None),
        (MOBILE_QUERY, {"after": "2026-12-05T09:00:00"}),  # naive: the generic path explains the error
        (MOBILE_QUERY, {"after": "2026-12-05T09:00:00+07:00", "other": 1}),
        ("{ tours { totalCount } }", None),
    ],
)
async def test_anything_else_takes_the_generic_path(
    api: InProcess, query: str, variables: dict[str, Any] | None
) -> None:
    assert await execute_mobile_query(query, variables, None, Context(sessions=api.sessions, now=api.clock())) is None


def test_the_http_answer_is_the_same_with_or_without_a_token(world: World) -> None:
    anonymous = world.client.post("/graphql", json={"query": MOBILE_QUERY}).json()
    operator = world.call(MOBILE_QUERY)
    staff = world.call(MOBILE_QUERY, token=make_token(world.db.url, "ADMIN", "A"))
    assert anonymous == operator == staff and len(anonymous["data"]["tours"]["edges"]) == 15
