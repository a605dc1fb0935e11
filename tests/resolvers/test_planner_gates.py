"""Nothing bypasses the planner's gates: limits refuse a document before either path runs,
documents with private fields, introspection or a token take the generic executor, and the
HTTP layer's persisted queries and response cache sit in front of planned answers too."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from starlette.testclient import TestClient

import resolvers.planner.extension
from models.tables import Principal
from resolvers.context import Context
from tests.support import InProcess, ScratchDatabase, make_token, shared_schema

TOUR_PAGE = """query TourPage($slug: String!) { tour(slug: $slug) { title prices { category priceVnd }
  village { name } center { name } sessions(first: 20) { edges { node { startsAt seatsAvailable } } } } }"""


async def run(api: InProcess, query: str, variables: dict[str, Any] | None = None) -> tuple[Any, bool]:
    ctx = Context(sessions=api.sessions, now=api.clock())
    result = await shared_schema().execute(query, variable_values=variables, context_value=ctx)
    return result, ctx.planned


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (
            "{ tours(first: 100) { edges { node { sessions(first: 100) { edges { node { id } } } } } } }",
            "QUERY_TOO_COSTLY",
        ),
        (
            "{ tours { edges { node { village { tours { edges { node { village { tours { edges { node "
            "{ village { name } } } } } } } } } } } } }",
            "QUERY_TOO_DEEP",
        ),
        ("{ " + " ".join(f"a{i}: districts {{ code }}" for i in range(31)) + " }", "TOO_MANY_ALIASES"),
        ("{ " + "__typename " * 2001 + "}", "TOO_MANY_TOKENS"),
        ('{ tour(slug: "a\\u0000b") { slug } }', "BAD_USER_INPUT"),
        ('{ tours(after: "zz") { totalCount } }', "BAD_USER_INPUT"),
    ],
)
async def test_limits_refuse_before_the_planner(api: InProcess, query: str, code: str) -> None:
    result, planned = await run(api, query)
    assert not planned and result.errors and result.errors[0].extensions["code"] == code


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { queryType { name } } }",
        "{ viewer { role } tours(first: 1) { totalCount } }",
        '{ tour(slug: "ngu-xa-bronze-heritage") { slug } __type(name: "Tour") { name } }',
    ],
)
async def test_private_and_introspection_fields_take_the_generic_executor(api: InProcess, query: str) -> None:
    result, planned = await run(api, query)
    assert not planned and result.errors is None and result.data


async def test_a_caller_with_a_token_gets_the_same_answer_from_the_generic_executor(api: InProcess) -> None:
    variables = {"slug": "ngu-xa-bronze-heritage"}
    anonymous, planned = await run(api, TOUR_PAGE, variables)
    assert planned and anonymous.data["tour"]["prices"]
    context = Context(sessions=api.sessions, now=api.clock(), principal=make_principal())
    operator = await shared_schema().execute(TOUR_PAGE, variable_values=variables, context_value=context)
    assert not context.planned and operator.data == anonymous.data


def make_principal() -> Principal:
    return Principal(id=1, role="OPERATOR", name="Gate Tours")


def test_persisted_queries_and_the_response_cache_serve_planned_answers(
    client: TestClient, seeded_db: ScratchDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[str] = []
    real = resolvers.planner.extension.run_plan

    async def counted(*args: Any) -> Any:
        answer = await real(*args)  # raises when the planner cannot answer: then nothing is counted
        runs.append("planned")
        return answer

    monkeypatch.setattr(resolvers.planner.extension, "run_plan", counted)
    variables = {"slug": "ngu-xa-bronze-heritage"}
    digest = hashlib.sha256(TOUR_PAGE.encode()).hexdigest()
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    registered = client.post("/graphql", json={"query": TOUR_PAGE, "variables": variables, "extensions": extensions})
    assert registered.json()["data"]["tour"]["village"] == {"name": "Làng Ngũ Xã"} and runs == ["planned"]
    params = {"extensions": json.dumps(extensions), "variables": json.dumps(variables)}
    by_hash = client.get("/graphql", params=params)
    assert by_hash.json() == registered.json() and runs == ["planned", "planned"]
    cached = client.get("/graphql", params=params)
    assert cached.json() == registered.json() and runs == ["planned", "planned"]  # the response cache answered
    token = make_token(seeded_db.url, "OPERATOR", "Gate Tours")
    with_token = client.post(
        "/graphql", json={"query": TOUR_PAGE, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
    )
    assert with_token.json() == registered.json() and runs == ["planned", "planned"]
