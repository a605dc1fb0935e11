"""Vietnamese and English: the request's language from Accept-Language (RFC 4647 lookup),
texts in it with the other as fallback, place names in Vietnamese, and caches that never
hand one language's answer to a reader of the other."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from web.language import negotiate_language

TOUR_LIST = """{ tours(first: 20) { edges { node { slug title village { name } sessions(first: 2) {
  edges { node { startsAt availability } } } } } } }"""
TOUR = """{ tour(slug: "bat-trang-museum-wheel") { title description translations { language title }
  craft { name } village { name description } district { name } } }"""


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("en-US,en;q=0.9", "en"),
        ("fr", "vi"),
        (None, "vi"),
        ("", "vi"),
        ("fr-FR, en;q=0.5", "en"),
        ("en;q=0, vi;q=0.1", "vi"),
        ("vi-VN,vi;q=0.9,en;q=0.8", "vi"),
        ("EN-gb", "en"),
        ("*", "vi"),
        ("de;q=abc, en;q=0.2", "en"),
        ("zh-Hant-TW;q=0.9, en-AU;q=0.8", "en"),
    ],
)
def test_the_language_is_looked_up_from_accept_language(header: str | None, language: str) -> None:
    assert negotiate_language(header) == language


def read(client: TestClient, query: str, language: str | None) -> tuple[dict, dict]:  # type: ignore[type-arg]
    headers = {"Accept-Language": language} if language else {}
    response = client.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200
    return response.json()["data"], dict(response.headers)


def test_english_readers_get_english_texts_and_vietnamese_place_names(client: TestClient) -> None:
    english, headers = read(client, TOUR, "en-US,en;q=0.9")
    tour = english["tour"]
    assert headers["content-language"] == "en"
    assert tour["title"] == "Pottery wheel session at Bát Tràng Pottery Museum"
    assert tour["craft"]["name"] == "ceramics / porcelain"
    assert tour["village"]["name"] == "Làng gốm Bát Tràng" and tour["district"]["name"] == "Gia Lâm"
    assert tour["village"]["description"].startswith("Hanoi's best-known pottery village")
    assert [t["language"] for t in tour["translations"]] == ["vi", "en"]

    vietnamese, headers = read(client, TOUR, None)
    assert headers["content-language"] == "vi"
    assert vietnamese["tour"]["title"] == "Trải nghiệm vuốt gốm bàn xoay tại Bảo tàng gốm Bát Tràng"
    assert vietnamese["tour"]["title"] == tour["translations"][0]["title"]
    assert vietnamese["tour"]["craft"]["name"] == "Gốm sứ"
    # Sample descriptions exist in English only: both readers get them rather than nothing.
    assert vietnamese["tour"]["description"] == tour["description"] and tour["description"]
    assert read(client, TOUR, "fr")[0] == vietnamese


def test_the_read_cache_keeps_the_languages_apart(client: TestClient) -> None:
    for _ in range(2):  # the second round comes from the cache
        assert read(client, TOUR, "en")[0]["tour"]["title"].startswith("Pottery")
        assert not read(client, TOUR, "vi")[0]["tour"]["title"].startswith("Pottery")
    get = client.get("/graphql", params={"query": TOUR}, headers={"Accept-Language": "en"})
    assert "accept-language" in get.headers["vary"].lower()


def test_the_tour_list_in_english(client: TestClient) -> None:
    data, _ = read(client, TOUR_LIST, "en")
    titles = [e["node"]["title"] for e in data["tours"]["edges"]]
    assert "Pottery wheel session at Bát Tràng Pottery Museum" in titles
    vietnamese = [e["node"]["title"] for e in read(client, TOUR_LIST, None)[0]["tours"]["edges"]]
    assert len(vietnamese) == len(titles) and set(vietnamese).isdisjoint(
        {"Pottery wheel session at Bát Tràng Pottery Museum"}
    )


def test_search_matches_either_language(client: TestClient) -> None:
    query = '{ tours(filter: { search: "pottery" }) { edges { node { slug village { slug } } } } }'
    villages = {
        e["node"]["village"]["slug"] for e in read(client, query, None)[0]["tours"]["edges"] if e["node"]["village"]
    }
    assert "bat-trang" in villages


def test_feeds_take_lang(client: TestClient) -> None:
    english = client.get("/calendar/tours/bat-trang-museum-wheel.ics", params={"lang": "en"})
    assert english.status_code == 200 and b"SUMMARY:Pottery wheel session" in english.content
    vietnamese = client.get("/calendar/tours/bat-trang-museum-wheel.ics")
    assert b"SUMMARY:Pottery wheel session" not in vietnamese.content
    assert client.get("/calendar/tours/bat-trang-museum-wheel.ics", params={"lang": "fr"}).status_code == 400
