"""Districts, villages, centers, node lookups and the viewer."""

from __future__ import annotations

import pytest

from schema.ids import encode_id
from tests.support import InProcess


async def test_thirty_districts_with_codes_kinds_and_centroids(api: InProcess) -> None:
    result = await api.execute("{ districts { code slug name kind location { lat lon } } }")
    districts = result.data["districts"]
    assert len(districts) == 30
    kinds = [d["kind"] for d in districts]
    assert (kinds.count("URBAN_DISTRICT"), kinds.count("RURAL_DISTRICT"), kinds.count("TOWN")) == (12, 17, 1)
    assert districts[0] == {
        "code": "001",
        "slug": "ba-dinh",
        "name": "Ba Đình",
        "kind": "URBAN_DISTRICT",
        "location": {"lat": 21.0362, "lon": 105.8267},
    }
    assert [d["code"] for d in districts][-1] == "282"
    towns = await api.execute("{ districts(kind: TOWN) { name } }")
    assert towns.data["districts"] == [{"name": "Sơn Tây"}]


async def test_district_by_slug_with_villages_and_centers(api: InProcess) -> None:
    query = """query($s: String!) { district(slug: $s) { name validUntil villages { slug }
               centers { slug kind } designCenters: centers(kind: DESIGN_CENTER) { slug } } }"""
    gia_lam = (await api.execute(query, {"s": "gia-lam"})).data["district"]
    assert gia_lam["name"] == "Gia Lâm" and gia_lam["validUntil"] == "2025-06-30"
    assert {"bat-trang", "kim-lan", "giang-cao"} <= {v["slug"] for v in gia_lam["villages"]}
    assert {c["slug"] for c in gia_lam["designCenters"]} == {"dc-bat-trang-1000-nam", "dc-bat-trang-giang-cao"}
    assert len(gia_lam["centers"]) >= len(gia_lam["designCenters"])
    assert (await api.execute(query, {"s": "atlantis"})).data == {"district": None}


async def test_villages_search_and_district_filter(api: InProcess) -> None:
    query = """query($q: String, $d: String, $f: Int) { villages(search: $q, districtSlug: $d, first: $f) {
               totalCount edges { node { slug name craft { name } district { code } location { lat } locationConfidence } } } }"""
    everything = (await api.execute(query, {"f": 100})).data["villages"]
    assert everything["totalCount"] == 33 == len(everything["edges"])
    ngu_xa = (await api.execute(query, {"q": "NGU XA"})).data["villages"]["edges"]
    assert [e["node"]["slug"] for e in ngu_xa] == ["ngu-xa"]
    assert ngu_xa[0]["node"]["craft"]["name"] == "Đúc đồng" and ngu_xa[0]["node"]["locationConfidence"] == "ESTIMATED"
    thuong_tin = (await api.execute(query, {"d": "thuong-tin"})).data["villages"]
    assert thuong_tin["totalCount"] >= 5 and "ha-thai" in {e["node"]["slug"] for e in thuong_tin["edges"]}
    assert (await api.execute(query, {"d": "nowhere"})).data["villages"]["totalCount"] == 0


async def test_centers_by_kind_and_district(api: InProcess) -> None:
    query = """query($k: CenterKind, $d: String) { centers(kind: $k, districtSlug: $d, first: 100) {
               totalCount edges { node { slug kind openedOn openedOnConfidence calendarUrl district { slug } } } } }"""
    design = (await api.execute(query, {"k": "DESIGN_CENTER"})).data["centers"]
    showrooms = (await api.execute(query, {"k": "OCOP_SHOWROOM"})).data["centers"]
    assert design["totalCount"] == 5 and showrooms["totalCount"] == 10
    phu_nghia = next(e["node"] for e in design["edges"] if e["node"]["slug"] == "dc-phu-nghia")
    assert phu_nghia["openedOn"] == "2024-08-01" and phu_nghia["district"]["slug"] == "chuong-my"
    assert phu_nghia["calendarUrl"].endswith("/calendar/centers/dc-phu-nghia.ics")
    ba_dinh = (await api.execute(query, {"d": "ba-dinh"})).data["centers"]["edges"]
    assert [e["node"]["openedOnConfidence"] for e in ba_dinh] == ["INFERRED"]


async def test_village_and_center_tours(api: InProcess) -> None:
    query = """{ villages(search: "bat trang", first: 1) { edges { node { tours(first: 2) { totalCount
                 pageInfo { hasNextPage } edges { node { slug } } } } } }
               centers(kind: DESIGN_CENTER, districtSlug: "chuong-my") { edges { node { tours { edges { node { slug } } } } } } }"""
    data = (await api.execute(query)).data
    bat_trang = data["villages"]["edges"][0]["node"]["tours"]
    assert bat_trang["totalCount"] == 3 and len(bat_trang["edges"]) == 2 and bat_trang["pageInfo"]["hasNextPage"]
    assert data["centers"]["edges"][0]["node"]["tours"]["edges"] == [{"node": {"slug": "phu-vinh-weaving"}}]


async def test_node_round_trips_every_public_type(api: InProcess) -> None:
    query = """{ tour(slug: "ngu-xa-bronze-heritage") { id village { id } district { id } sessions(first: 1) { edges { node { id } } } } }"""
    tour = (await api.execute(query)).data["tour"]
    ids = [tour["id"], tour["village"]["id"], tour["district"]["id"], tour["sessions"]["edges"][0]["node"]["id"]]
    node_query = "query($id: ID!) { node(id: $id) { __typename id } }"
    typenames = []
    for global_id in ids:
        node = (await api.execute(node_query, {"id": global_id})).data["node"]
        assert node["id"] == global_id
        typenames.append(node["__typename"])
    assert typenames == ["Tour", "CraftVillage", "District", "Session"]


@pytest.mark.parametrize("global_id", ["garbage", "", encode_id("Tour", 999_999), encode_id("Nope", 1), "VG91cjotMQ"])
async def test_node_with_unknown_id_is_null(api: InProcess, global_id: str) -> None:
    result = await api.execute("query($id: ID!) { node(id: $id) { id } }", {"id": global_id})
    assert result.errors is None and result.data == {"node": None}


async def test_viewer_is_anonymous_without_a_token(api: InProcess) -> None:
    result = await api.execute("{ viewer { role name } }")
    assert result.data == {"viewer": {"role": "ANONYMOUS", "name": None}}
