"""Generated documents from the live schema (hypothesis-graphql), sent over HTTP as anonymous,
an operator and center staff: never an internal error, never a 5xx."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries
from starlette.testclient import TestClient

from schema.export import current_sdl
from server import create_app
from tests.support import Clock, ScratchDatabase, make_token
from web.settings import Settings

SDL = current_sdl()
DATETIMES = st.sampled_from(["2026-12-05T09:00:00+07:00", "2027-01-10T02:00:00Z", "2026-12-05T09:00:00", "nonsense"])
SCALARS = {
    "DateTime": DATETIMES.map(nodes.String),
    "Date": st.sampled_from(["2026-12-06", "2026-02-30", "x"]).map(nodes.String),
}
EXAMPLES = 250  # per strategy and backend: 2 x 250 valid + 125 invalid documents on each database
SEEN: Counter[str] = Counter()


@pytest.fixture(scope="module")
def fuzz_client(seeded_db: ScratchDatabase) -> Iterator[tuple[TestClient, list[str | None]]]:
    tokens: list[str | None] = [
        None,
        make_token(seeded_db.url, "OPERATOR", "Fuzz Tours"),
        make_token(seeded_db.url, "CENTER_STAFF", "Fuzz staff", "dc-phu-nghia"),
    ]
    app = create_app(seeded_db.url, clock=Clock(), settings=Settings(mutations_per_minute=10**9))
    SEEN.clear()
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, tokens
    # Checked when this database's generators are done: the run really sent that many documents.
    assert SEEN["query"] + SEEN["mutation"] >= 500 and SEEN["invalid"] >= 100, SEEN


def send(client: TestClient, document: str, token: str | None, kind: str) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": document}, headers=headers)
    SEEN[kind] += 1
    assert response.status_code < 500, (document, response.text)
    assert "INTERNAL_SERVER_ERROR" not in response.text, (document, response.text)


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(document=queries(SDL, custom_scalars=SCALARS), who=st.integers(0, 2))
def test_generated_queries(fuzz_client: tuple[TestClient, list[str | None]], document: str, who: int) -> None:
    client, tokens = fuzz_client
    send(client, document, tokens[who], "query")


@FUZZ
@given(document=mutations(SDL, custom_scalars=SCALARS), who=st.integers(0, 2))
def test_generated_mutations(fuzz_client: tuple[TestClient, list[str | None]], document: str, who: int) -> None:
    client, tokens = fuzz_client
    send(client, document, tokens[who], "mutation")


@settings(FUZZ, max_examples=EXAMPLES // 2)
@given(document=queries(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE), who=st.integers(0, 2))
def test_generated_invalid_documents(fuzz_client: tuple[TestClient, list[str | None]], document: str, who: int) -> None:
    client, tokens = fuzz_client
    send(client, document, tokens[who], "invalid")
