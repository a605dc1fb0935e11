"""The app over real HTTP (Starlette TestClient): routes, GraphiQL, errors, restarts."""

from __future__ import annotations

from starlette.testclient import TestClient

from server import create_app
from tests.support import Clock, ScratchDatabase, gql

MOBILE = """{ tours(first: 20, filter: {search: "ngu xa"}) { totalCount edges { node { title
  village { name } district { name } sessions(first: 5) { edges { node { startsAt seatsAvailable } } } } } } }"""


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_graphiql_is_served_to_browsers(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


def test_mobile_query_over_http(client: TestClient) -> None:
    body = gql(client, MOBILE)
    assert "errors" not in body
    tour = body["data"]["tours"]["edges"][0]["node"]
    assert tour["title"] == "Di sản đúc đồng Ngũ Xã" and tour["district"]["name"] == "Ba Đình"
    assert len(tour["sessions"]["edges"]) == 5


def test_query_over_get(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": "{ districts(kind: TOWN) { name } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"districts": [{"name": "Sơn Tây"}]}}


def test_bad_arguments_over_http_are_clear_errors(client: TestClient) -> None:
    for first in (-1, 101):
        body = gql(client, "query($f: Int) { tours(first: $f) { totalCount } }", {"f": first})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    body = gql(client, '{ tours(after: "zzz") { totalCount } }')
    assert "malformed cursor" in body["errors"][0]["message"]
    body = gql(client, '{ tours(filter: {startsAfter: "2026-12-05T09:00:00"}) { totalCount } }')
    assert "no UTC offset" in body["errors"][0]["message"]


def test_unknown_field_is_a_validation_error(client: TestClient) -> None:
    body = gql(client, "{ tours { nope } }")
    assert "Cannot query field 'nope'" in body["errors"][0]["message"]


def test_restart_keeps_data_and_never_seeds_twice(fresh_db: ScratchDatabase) -> None:
    clock = Clock()
    count = '{ districts { code } tour(slug: "ngu-xa-bronze-heritage") { sessions(first: 1) { totalCount } } }'
    with TestClient(create_app(fresh_db.url, clock=clock)) as first_run:
        before = gql(first_run, count)["data"]
    clock.advance(days=3)  # to 08:00 on 4 Dec: the 4 sessions of 2-3 Dec are past; none may be added
    with TestClient(create_app(fresh_db.url, clock=clock)) as second_run:
        after = gql(second_run, count)["data"]
    assert len(after["districts"]) == 30 == len(before["districts"])
    assert after["tour"]["sessions"]["totalCount"] == before["tour"]["sessions"]["totalCount"] - 4
