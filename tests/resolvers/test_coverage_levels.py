"""Coverage by either generation of units, and centers registered in one counted in the other."""

from __future__ import annotations

from typing import Any

import pytest

from schema.ids import encode_id
from tests.support import InProcess, World, gql, make_token, run_sql

REPORT = """query($y: Int!, $l: UnitLevel) { coverage(year: $y, level: $l) { year level levelInForce newShowrooms
  designCenters districtsRequiringDesignCenter
  districts { district { slug } showrooms newShowrooms designCenters villages tours }
  communes { commune { slug code } showrooms newShowrooms designCenters villages tours newShowroomsRequired
    meetsShowroomGoal designCenterRequired meetsDesignCenterGoal } } }"""
REGISTER = """mutation($i: RegisterCenterInput!) { registerCenter(input: $i) { __typename
  ... on RegisterCenterSuccess { center { slug district { slug } commune { slug } } }
  ... on UserError { code field message } } }"""
TOTALS = ("showrooms", "newShowrooms", "designCenters", "villages", "tours")


def _sums(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {key: sum(row[key] for row in rows) for key in TOTALS}


async def test_commune_level_has_a_row_per_unit_and_the_same_city_totals(api: InProcess) -> None:
    by_district = (await api.execute(REPORT, {"y": 2026})).data["coverage"]
    by_commune = (await api.execute(REPORT, {"y": 2026, "l": "COMMUNE"})).data["coverage"]
    assert by_commune["level"] == "COMMUNE" and by_commune["districts"] == []
    assert len(by_commune["communes"]) == 126 and len(by_district["districts"]) == 30
    assert by_district["level"] == "DISTRICT" and by_district["communes"] == []
    assert _sums(by_commune["communes"]) == _sums(by_district["districts"])
    assert by_commune["newShowrooms"] == by_district["newShowrooms"]
    rows = {row["commune"]["slug"]: row for row in by_commune["communes"]}
    assert (
        rows["bat-trang"]["villages"] == 3 and rows["bat-trang"]["designCenters"] == 1
    )  # the Giang Cao center has no known opening day
    assert rows["bat-trang"]["newShowroomsRequired"] is None and not rows["bat-trang"]["designCenterRequired"]


@pytest.mark.parametrize(
    ("year", "level", "in_force"),
    [(2023, "DISTRICT", "DISTRICT"), (2023, "COMMUNE", "DISTRICT"), (2025, "COMMUNE", "COMMUNE"),
     (2026, "DISTRICT", "COMMUNE"), (2024, None, "DISTRICT")],
)  # fmt: skip
async def test_any_year_answers_at_either_level_and_says_which_was_in_force(
    api: InProcess, year: int, level: str | None, in_force: str
) -> None:
    result = await api.execute(REPORT, {"y": year, "l": level})
    assert result.errors is None
    report = result.data["coverage"]
    assert report["levelInForce"] == in_force and report["level"] == (level or "DISTRICT")
    assert len(report["communes"] or report["districts"]) == (126 if level == "COMMUNE" else 30)


async def test_the_2023_goals_stay_with_the_districts(api: InProcess) -> None:
    district_level = (await api.execute(REPORT, {"y": 2023})).data["coverage"]
    commune_level = (await api.execute(REPORT, {"y": 2023, "l": "COMMUNE"})).data["coverage"]
    assert district_level["districtsRequiringDesignCenter"] == 5
    assert commune_level["districtsRequiringDesignCenter"] == 0
    assert all(row["meetsShowroomGoal"] and row["newShowroomsRequired"] is None for row in commune_level["communes"])


def _report(world: World, year: int, level: str) -> dict[str, dict[str, Any]]:
    report = gql(world.client, REPORT, {"y": year, "l": level})["data"]["coverage"]
    key = "district" if level == "DISTRICT" else "commune"
    return {row[key]["slug"]: row for row in report[f"{key}s"]}


def _register(world: World, admin: str, **fields: Any) -> dict[str, Any]:
    data = {"kind": "OCOP_SHOWROOM", "name": "Điểm OCOP Bát Tràng", "openedOn": "2026-03-01", **fields}
    return gql(world.client, REGISTER, {"i": data}, token=admin)["data"]["registerCenter"]


@pytest.mark.parametrize(
    "placement",
    [{"communeSlug": "bat-trang"}, {"location": {"lat": 20.9765, "lon": 105.911}}, {"villageSlug": "bat-trang"}],
)
def test_a_center_registered_by_either_generation_counts_in_both(world: World, placement: dict[str, Any]) -> None:
    admin = make_token(world.db.url, "ADMIN", "Programme office")
    districts, communes = _report(world, 2026, "DISTRICT"), _report(world, 2026, "COMMUNE")
    result = _register(world, admin, districtSlug="gia-lam", **placement)
    assert result["__typename"] == "RegisterCenterSuccess"
    assert result["center"]["district"] == {"slug": "gia-lam"} and result["center"]["commune"] == {"slug": "bat-trang"}
    assert _report(world, 2026, "DISTRICT")["gia-lam"]["newShowrooms"] == districts["gia-lam"]["newShowrooms"] + 1
    assert _report(world, 2026, "COMMUNE")["bat-trang"]["newShowrooms"] == communes["bat-trang"]["newShowrooms"] + 1


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"districtSlug": "ba-dinh", "communeSlug": "bat-trang"}, "INVALID_INPUT", "communeSlug"),
        ({"districtSlug": "gia-lam", "communeSlug": "atlantis"}, "NOT_FOUND", "communeSlug"),
        ({"districtSlug": "gia-lam"}, "INVALID_INPUT", "communeSlug"),
        ({"districtSlug": "gia-lam", "location": {"lat": 10.7769, "lon": 106.7009}}, "INVALID_INPUT", "location"),
        ({"districtSlug": "ba-dinh", "location": {"lat": 20.9765, "lon": 105.911}}, "INVALID_INPUT", "location"),
        ({"districtSlug": "ba-dinh", "villageSlug": "bat-trang"}, "INVALID_INPUT", "villageSlug"),
        (
            {"districtSlug": "gia-lam", "communeSlug": "gia-lam", "location": {"lat": 20.9765, "lon": 105.911}},
            "INVALID_INPUT",
            "location",
        ),  # the point lies in Gia Lâm district, but in Xã Bát Tràng
    ],
)
def test_a_center_that_cannot_be_placed_consistently_is_refused(
    world: World, fields: dict[str, Any], code: str, field: str
) -> None:
    admin = make_token(world.db.url, "ADMIN", "Programme office")
    centers = run_sql(world.db.url, "SELECT count(*) FROM center")
    result = _register(world, admin, **fields)
    assert (result["code"], result["field"]) == (code, field), result
    assert run_sql(world.db.url, "SELECT count(*) FROM center") == centers
    assert run_sql(world.db.url, "SELECT count(*) FROM center_placement") == centers


def test_a_center_placed_by_its_location_moves_with_it(world: World) -> None:
    admin = make_token(world.db.url, "ADMIN", "Programme office")
    created = _register(world, admin, districtSlug="gia-lam", location={"lat": 20.9765, "lon": 105.911})
    center_id = gql(world.client, "{ centers(first: 100) { edges { node { id slug } } } }")["data"]["centers"]["edges"]
    new_id = next(e["node"]["id"] for e in center_id if e["node"]["slug"] == created["center"]["slug"])
    gia_lam_ward = run_sql(world.db.url, "SELECT lat, lon FROM commune WHERE slug = 'gia-lam'")[0]
    moved = gql(
        world.client,
        """mutation($i: UpdateCenterInput!) { updateCenter(input: $i) { __typename
          ... on UpdateCenterSuccess { center { commune { slug } } } ... on UserError { code field } } }""",
        {"i": {"centerId": new_id, "location": {"lat": gia_lam_ward[0], "lon": gia_lam_ward[1]}}},
        token=admin,
    )["data"]["updateCenter"]
    assert moved == {"__typename": "UpdateCenterSuccess", "center": {"commune": {"slug": "gia-lam"}}}


def test_a_move_outside_the_district_is_refused_and_changes_nothing(world: World) -> None:
    admin = make_token(world.db.url, "ADMIN", "Programme office")
    centers = gql(world.client, "{ centers(first: 100) { edges { node { id slug } } } }")["data"]["centers"]["edges"]
    phu_nghia = next(e["node"]["id"] for e in centers if e["node"]["slug"] == "dc-phu-nghia")
    before = run_sql(world.db.url, "SELECT lat, lon FROM center WHERE slug = 'dc-phu-nghia'")
    refused = gql(
        world.client,
        """mutation($i: UpdateCenterInput!) { updateCenter(input: $i) { __typename ... on UserError { code field } } }""",
        {"i": {"centerId": phu_nghia, "location": {"lat": 21.0287, "lon": 105.8524}}},  # Hoàn Kiếm lake
        token=admin,
    )["data"]["updateCenter"]
    assert refused == {"__typename": "InvalidInputError", "code": "INVALID_INPUT", "field": "location"}
    assert run_sql(world.db.url, "SELECT lat, lon FROM center WHERE slug = 'dc-phu-nghia'") == before


def test_a_tour_counts_in_the_same_place_at_both_levels(world: World) -> None:
    """A Phú Nghĩa center's tour that visits Bát Tràng lies in the center's district, Chương Mỹ,
    so at commune level it counts where the center lies, not in Bát Tràng (formed elsewhere)."""
    centers = gql(world.client, "{ centers(first: 100) { edges { node { id slug } } } }")["data"]["centers"]["edges"]
    phu_nghia = next(e["node"]["id"] for e in centers if e["node"]["slug"] == "dc-phu-nghia")
    districts, communes = _report(world, 2026, "DISTRICT"), _report(world, 2026, "COMMUNE")
    created = world.call(
        """mutation($i: CreateTourInput!) { createTour(input: $i) { __typename } }""",
        {
            "i": {
                "centerId": phu_nghia,
                "villageSlug": "bat-trang",
                "craftSlug": "gom-su",
                "texts": [{"language": "vi", "title": "Gốm Bát Tràng từ Phú Nghĩa"}],
                "durationMinutes": 90,
                "prices": [{"category": "ADULT", "label": "Người lớn", "priceVnd": 100000}],
                "languages": ["vi"],
            }
        },
        token=world.center_staff,
    )["data"]["createTour"]
    assert created == {"__typename": "CreateTourSuccess"}
    after_districts, after_communes = _report(world, 2026, "DISTRICT"), _report(world, 2026, "COMMUNE")
    assert after_districts["chuong-my"]["tours"] == districts["chuong-my"]["tours"] + 1
    assert after_communes["phu-nghia"]["tours"] == communes["phu-nghia"]["tours"] + 1
    assert after_communes["bat-trang"]["tours"] == communes["bat-trang"]["tours"]


def test_an_unplaced_center_is_placed_when_it_gets_a_location(world: World) -> None:
    """A center from before the 2025 units, with no location or village, has no commune until
    updateCenter gives it a location (as the README says)."""
    admin = make_token(world.db.url, "ADMIN", "Programme office")
    run_sql(
        world.db.url,
        "INSERT INTO center (slug, name, kind, district_id, opened_on) "
        "SELECT 'ocop-old', 'Điểm OCOP cũ', 'OCOP_SHOWROOM', id, '2026-02-01' FROM district WHERE slug = 'gia-lam'",
    )
    [(pk,)] = run_sql(world.db.url, "SELECT id FROM center WHERE slug = 'ocop-old'")
    query = "query($y: Int!) { coverage(year: $y, level: COMMUNE) { unplacedCenters } }"
    assert gql(world.client, query, {"y": 2026}, token=admin)["data"]["coverage"]["unplacedCenters"] == 1
    moved = gql(
        world.client,
        """mutation($i: UpdateCenterInput!) { updateCenter(input: $i) { __typename
          ... on UpdateCenterSuccess { center { commune { slug } } } } }""",
        {"i": {"centerId": encode_id("Center", pk), "location": {"lat": 20.9765, "lon": 105.911}}},
        token=admin,
    )["data"]["updateCenter"]
    assert moved == {"__typename": "UpdateCenterSuccess", "center": {"commune": {"slug": "bat-trang"}}}
    assert gql(world.client, query, {"y": 2026}, token=admin)["data"]["coverage"]["unplacedCenters"] == 0
