"""The 2025 communes in the API: search, their origins, and where villages and centers lie."""

from __future__ import annotations

import pytest

from tests.support import InProcess

SEARCH = """query($q: String, $f: Int, $a: String) { communes(search: $q, first: $f, after: $a) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { code slug name fullName kind validFrom } } } }"""


async def _codes(api: InProcess, search: str | None) -> list[str]:
    result = await api.execute(SEARCH, {"q": search, "f": 100})
    assert result.errors is None
    return [edge["node"]["code"] for edge in result.data["communes"]["edges"]]


@pytest.mark.parametrize("search", ["bát tràng", "BAT TRANG", "Bat Trang", "  bát   TRÀNG "])
async def test_search_ignores_diacritics_case_and_spacing(api: InProcess, search: str) -> None:
    assert await _codes(api, search) == ["00577"]


async def test_search_matches_the_kind_and_the_code(api: InProcess) -> None:
    assert await _codes(api, "phuong ba dinh") == ["00004"]
    assert await _codes(api, "00004") == ["00004"]
    assert await _codes(api, "no such place") == []


async def test_all_126_page_by_code(api: InProcess) -> None:
    first = (await api.execute(SEARCH, {"f": 100})).data["communes"]
    assert first["totalCount"] == 126 and first["pageInfo"]["hasNextPage"]
    rest = (await api.execute(SEARCH, {"f": 100, "a": first["pageInfo"]["endCursor"]})).data["communes"]
    codes = [e["node"]["code"] for e in first["edges"] + rest["edges"]]
    assert len(codes) == 126 and codes == sorted(codes) and not rest["pageInfo"]["hasNextPage"]
    ba_dinh = first["edges"][0]["node"]
    assert ba_dinh == {
        "code": "00004",
        "slug": "ba-dinh",
        "name": "Ba Đình",
        "fullName": "Phường Ba Đình",
        "kind": "WARD",
        "validFrom": "2025-07-01",
    }


async def test_a_commune_knows_the_districts_it_came_from_and_they_know_it(api: InProcess) -> None:
    query = """{ commune(slug: "bat-trang") { id location { lat lon } formedFrom { slug validUntil } }
      district(slug: "gia-lam") { validUntil communes { slug } } }"""
    data = (await api.execute(query)).data
    assert [d["slug"] for d in data["commune"]["formedFrom"]] == ["long-bien", "gia-lam"]
    assert {d["validUntil"] for d in data["commune"]["formedFrom"]} == {"2025-06-30"}
    assert "bat-trang" in [c["slug"] for c in data["district"]["communes"]]
    location = data["commune"]["location"]
    assert 20.9 < location["lat"] < 21.0 and 105.88 < location["lon"] < 105.96
    node = await api.execute(
        "query($id: ID!) { node(id: $id) { ... on Commune { slug } } }", {"id": data["commune"]["id"]}
    )
    assert node.data["node"] == {"slug": "bat-trang"}


async def test_villages_and_centers_say_which_commune_they_lie_in(api: InProcess) -> None:
    query = """{ villages(first: 100) { edges { node { slug commune { slug } } } }
      centers(first: 100) { edges { node { slug commune { slug } } } } }"""
    data = (await api.execute(query)).data
    villages = {e["node"]["slug"]: e["node"]["commune"]["slug"] for e in data["villages"]["edges"]}
    centers = {e["node"]["slug"]: e["node"]["commune"]["slug"] for e in data["centers"]["edges"]}
    assert villages["ngu-xa"] == "ba-dinh" and villages["kim-lan"] == "bat-trang"
    assert centers["dc-bat-trang-1000-nam"] == "bat-trang" and centers["dc-me-linh-hoa"] == "me-linh"
    assert len(villages) == 33 and len(centers) == 15
