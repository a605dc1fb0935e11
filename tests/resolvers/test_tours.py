"""The `tours` query: every filter, combined with AND, and its edges."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support import InProcess

TOURS = """
query Tours($filter: TourFilter, $first: Int, $after: String) {
  tours(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { slug title priceVnd languages district { slug } village { slug } center { slug } } }
  }
}
"""


async def slugs(api: InProcess, filter: dict[str, Any] | None = None, **args: Any) -> list[str]:
    result = await api.execute(TOURS, {"filter": filter, **args})
    assert result.errors is None, result.errors
    return [edge["node"]["slug"] for edge in result.data["tours"]["edges"]]


@pytest.mark.parametrize("words", ["ngu xa", "Ngũ Xã", "NGU XA", "đúc đồng", "duc dong", "  Ngu   xa "])
async def test_search_ignores_case_and_diacritics(api: InProcess, words: str) -> None:
    assert "ngu-xa-bronze-heritage" in await slugs(api, {"search": words})


async def test_search_covers_village_craft_and_district(api: InProcess) -> None:
    assert "ngu-xa-bronze-heritage" in await slugs(api, {"search": "ba dinh"})
    pottery = await slugs(api, {"search": "bat trang"})
    assert len(pottery) == 3 and all("bat-trang" in s for s in pottery)
    assert await slugs(api, {"search": "no such thing"}) == []


async def test_search_treats_like_wildcards_literally(api: InProcess) -> None:
    assert await slugs(api, {"search": "%"}) == []
    assert await slugs(api, {"search": "_"}) == []


async def test_filters_by_district_village_center_and_craft(api: InProcess) -> None:
    assert await slugs(api, {"districtSlug": "ba-dinh"}) == ["ngu-xa-bronze-heritage"]
    assert await slugs(api, {"villageSlug": "ngu-xa"}) == ["ngu-xa-bronze-heritage"]
    assert await slugs(api, {"centerSlug": "dc-phu-nghia"}) == ["phu-vinh-weaving"]
    assert await slugs(api, {"craft": "duc-dong"}) == ["ngu-xa-bronze-heritage"]
    assert await slugs(api, {"craft": "Đúc đồng"}) == ["ngu-xa-bronze-heritage"]


async def test_village_filter_includes_villages_a_tour_visits(api: InProcess) -> None:
    # The south Thăng Long day tour starts in Hạ Thái and also visits Chuông.
    assert "south-thang-long-3-villages" in await slugs(api, {"villageSlug": "chuong"})


async def test_unknown_slugs_match_nothing(api: InProcess) -> None:
    for key in ("districtSlug", "villageSlug", "centerSlug", "craft"):
        assert await slugs(api, {key: "nowhere"}) == []


async def test_language_and_price(api: InProcess) -> None:
    french = await slugs(api, {"language": "fr"})
    assert french and "bat-trang-half-day-guided" in french
    assert await slugs(api, {"language": "xx"}) == []
    result = await api.execute(TOURS, {"filter": {"maxPriceVnd": 50_000}, "first": 100})
    prices = [e["node"]["priceVnd"] for e in result.data["tours"]["edges"]]
    assert prices and all(p <= 50_000 for p in prices)
    assert len(prices) < 13


async def test_filters_combine_with_and(api: InProcess) -> None:
    assert await slugs(api, {"districtSlug": "gia-lam", "maxPriceVnd": 60_000}) == ["bat-trang-family-workshop"]
    assert await slugs(api, {"districtSlug": "ba-dinh", "search": "bat trang"}) == []


async def test_session_window_and_min_seats(api: InProcess) -> None:
    everything = await slugs(api, first=100)
    assert len(everything) == 15
    window = {"startsAfter": "2026-12-05T00:00:00+07:00", "startsBefore": "2026-12-05T23:59:00+07:00"}
    saturday = await slugs(api, window, first=100)  # 2026-12-05 is a Saturday: every tour runs
    assert sorted(saturday) == sorted(everything)
    monday = await slugs(
        api,
        {**window, "startsAfter": "2026-12-07T00:00:00+07:00", "startsBefore": "2026-12-07T23:59:00+07:00"},
        first=100,
    )
    assert "south-thang-long-3-villages" not in monday and monday
    assert await slugs(api, {"minSeats": 11, "villageSlug": "ngu-xa"}) == []  # capacity 10
    assert await slugs(api, {"minSeats": 10, "villageSlug": "ngu-xa"}) == ["ngu-xa-bronze-heritage"]
    past = {"startsBefore": "2026-01-01T00:00:00+07:00"}
    assert await slugs(api, past) == []


async def test_near_filters_by_distance_and_sorts_nearest_first(api: InProcess) -> None:
    # From Ngũ Xã (Ba Đình), 5 km takes in only central Hanoi.
    near_ngu_xa = {"near": {"lat": 21.0455, "lon": 105.8430, "radiusKm": 5}}
    assert await slugs(api, near_ngu_xa) == ["ngu-xa-bronze-heritage"]
    wide = await slugs(api, {"near": {"lat": 21.0455, "lon": 105.8430, "radiusKm": 40}}, first=100)
    assert wide[0] == "ngu-xa-bronze-heritage" and len(wide) > 5
    result = await api.execute(
        TOURS, {"filter": {"near": {"lat": 21.0455, "lon": 105.8430, "radiusKm": 40}}, "first": 3}
    )
    assert result.data["tours"]["totalCount"] == len(wide)


@pytest.mark.parametrize(
    "near",
    [
        {"lat": 91, "lon": 105, "radiusKm": 5},
        {"lat": 21, "lon": 181, "radiusKm": 5},
        {"lat": 21, "lon": 105, "radiusKm": 0},
        {"lat": 21, "lon": 105, "radiusKm": -3},
    ],
)
async def test_near_rejects_impossible_circles(api: InProcess, near: dict[str, float]) -> None:
    result = await api.execute(TOURS, {"filter": {"near": near}})
    assert result.errors and result.errors[0].extensions == {"code": "BAD_USER_INPUT"}


async def test_pagination_walks_every_tour_once(api: InProcess) -> None:
    seen: list[str] = []
    after = None
    while True:
        result = await api.execute(TOURS, {"first": 5, "after": after})
        page = result.data["tours"]
        seen += [e["node"]["slug"] for e in page["edges"]]
        assert page["totalCount"] == 15
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == 15 == len(set(seen))


async def test_first_defaults_to_20_and_accepts_0_and_100(api: InProcess) -> None:
    assert len(await slugs(api)) == 15
    result = await api.execute(TOURS, {"first": 0})
    assert result.data["tours"]["edges"] == [] and result.data["tours"]["pageInfo"]["hasNextPage"]
    assert len(await slugs(api, first=100)) == 15


@pytest.mark.parametrize("first", [-1, 101, 500])
async def test_first_out_of_range_is_a_clear_error(api: InProcess, first: int) -> None:
    result = await api.execute(TOURS, {"first": first})
    assert result.data is None or result.data.get("tours") is None
    assert "first must be between 0 and 100" in result.errors[0].message
    assert result.errors[0].extensions == {"code": "BAD_USER_INPUT"}


@pytest.mark.parametrize("cursor", ["nonsense", "", "Y3cxOi0x", "Y3cxOmFiYw==", "%%%", "😀"])
async def test_malformed_cursor_is_a_clear_error(api: InProcess, cursor: str) -> None:
    result = await api.execute(TOURS, {"after": cursor})
    assert "malformed cursor" in result.errors[0].message


@pytest.mark.parametrize(
    "value",
    ["2026-12-05T09:00:00", "2026-12-05", "next tuesday", "2026-13-45T00:00:00+07:00", "0001-01-01T00:00:00+00:00"],
)
async def test_naive_or_malformed_datetimes_are_rejected(api: InProcess, value: str) -> None:
    result = await api.execute(TOURS, {"filter": {"startsAfter": value}})
    assert result.data is None
    assert "DateTime" in result.errors[0].message or value in result.errors[0].message
    assert "Internal error" not in result.errors[0].message


async def test_tour_by_slug_and_unknown_slug(api: InProcess) -> None:
    query = "query($s: String!) { tour(slug: $s) { title craft { name } district { name } sample prices { category priceVnd confidence } } }"
    found = await api.execute(query, {"s": "ngu-xa-bronze-heritage"})
    tour = found.data["tour"]
    assert tour["title"] == "Di sản đúc đồng Ngũ Xã"
    assert tour["district"]["name"] == "Ba Đình" and tour["craft"]["name"] == "Đúc đồng"
    assert tour["sample"] is True
    assert tour["prices"][0] == {"category": "ADULT", "priceVnd": 200000, "confidence": "ESTIMATED"}
    missing = await api.execute(query, {"s": "no-such-tour"})
    assert missing.errors is None and missing.data == {"tour": None}
