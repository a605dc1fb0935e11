"""Generated documents from the live schema (hypothesis-graphql), sent over HTTP as anonymous,
an operator and center staff: never an internal error, never a 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries
from starlette.testclient import TestClient

from models.webhooks.worker import SenderSettings
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

Fuzz = tuple[TestClient, list[str | None]]


@pytest.fixture(scope="module")
def fuzz_client(seeded_db: ScratchDatabase) -> Iterator[Fuzz]:
    tokens: list[str | None] = [
        None,
        make_token(seeded_db.url, "OPERATOR", "Fuzz Tours"),
        make_token(seeded_db.url, "CENTER_STAFF", "Fuzz staff", "dc-phu-nghia"),
    ]
    # Webhook URLs are not resolved here: generated host names would wait on DNS.
    settings = Settings(mutations_per_minute=10**9, webhook_sender=SenderSettings(allow_private=True))
    app = create_app(seeded_db.url, clock=Clock(), settings=settings)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, tokens


def send(client: TestClient, document: str, token: str | None) -> None:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": document}, headers=headers)
    assert response.status_code < 500, (document, response.text)
    assert "INTERNAL_SERVER_ERROR" not in response.text, (document, response.text)


def send_generated(fuzz: Fuzz, documents: st.SearchStrategy[str], examples: int) -> int:
    """Send `examples` generated documents as a random caller; returns how many were sent, so
    each test can check that its generator really ran rather than stopping early."""
    client, tokens = fuzz
    sent = 0

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(document=documents, who=st.integers(0, 2))
    def run(document: str, who: int) -> None:
        nonlocal sent
        send(client, document, tokens[who])
        sent += 1

    run()
    return sent


def test_generated_queries(fuzz_client: Fuzz) -> None:
    assert send_generated(fuzz_client, queries(SDL, custom_scalars=SCALARS), EXAMPLES) >= EXAMPLES


def test_generated_mutations(fuzz_client: Fuzz) -> None:
    assert send_generated(fuzz_client, mutations(SDL, custom_scalars=SCALARS), EXAMPLES) >= EXAMPLES


def test_generated_invalid_documents(fuzz_client: Fuzz) -> None:
    invalid = queries(SDL, custom_scalars=SCALARS, mode=Mode.NEGATIVE)
    assert send_generated(fuzz_client, invalid, EXAMPLES // 2) >= EXAMPLES // 2 * 4 // 5
