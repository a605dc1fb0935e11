"""The programme office registers and changes centers; their staff may change what is theirs;
coverage moves with every change, through the read cache and in other server processes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.support import ServerProcess, World, gql, make_token, new_database, run_sql

REGISTER = """mutation($i: RegisterCenterInput!) { registerCenter(input: $i) { __typename
  ... on RegisterCenterSuccess { center { id slug name kind openedOn closedOn district { slug } village { slug } } }
  ... on UserError { code field message } } }"""
UPDATE = """mutation($i: UpdateCenterInput!) { updateCenter(input: $i) { __typename
  ... on UpdateCenterSuccess { center { id name address openedOn closedOn location { lat lon } } }
  ... on UserError { code field message } } }"""
COVERAGE = """query($y: Int!) { coverage(year: $y) { newShowrooms districtsMeetingShowroomGoal
  districts { district { slug } showrooms newShowrooms meetsShowroomGoal designCenters meetsDesignCenterGoal } } }"""
AUDIT = """query($s: ID) { auditLog(subjectId: $s) { totalCount edges { node { actorName actorRole action subjectId summary } } } }"""


def coverage(client: Any, year: int, url: str | None = None) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The report read anonymously (through the read cache), and its rows by district slug."""
    if url is None:
        report = gql(client, COVERAGE, {"y": year})["data"]["coverage"]
    else:
        report = httpx2.post(f"{url}/graphql", json={"query": COVERAGE, "variables": {"y": year}}, timeout=30).json()[
            "data"
        ]["coverage"]
    return report, {row["district"]["slug"]: row for row in report["districts"]}


@pytest.fixture
def admin(world: World) -> str:
    return make_token(world.db.url, "ADMIN", "Programme office")


def register(world: World, token: str, **fields: Any) -> dict[str, Any]:
    data = {
        "kind": "OCOP_SHOWROOM",
        "name": "Điểm OCOP Thạch Thất",
        "districtSlug": "thach-that",
        "communeSlug": "thach-that",
        **fields,
    }
    return world.call(REGISTER, {"i": data}, token=token)["data"]["registerCenter"]


def test_a_registered_showroom_moves_coverage_and_closing_it_moves_it_back(world: World, admin: str) -> None:
    before, rows = coverage(world.client, 2023)
    assert rows["thach-that"]["newShowrooms"] == 0 and not rows["thach-that"]["meetsShowroomGoal"]
    coverage(world.client, 2024)  # cached now, like the 2023 report
    result = register(world, admin, openedOn="2023-06-01")
    assert result["__typename"] == "RegisterCenterSuccess"
    center = result["center"]
    assert center["slug"] == "diem-ocop-thach-that" and center["district"] == {"slug": "thach-that"}

    after, rows = coverage(world.client, 2023)
    assert rows["thach-that"]["newShowrooms"] == 1 and rows["thach-that"]["meetsShowroomGoal"]
    assert after["newShowrooms"] == before["newShowrooms"] + 1
    assert after["districtsMeetingShowroomGoal"] == before["districtsMeetingShowroomGoal"] + 1
    assert coverage(world.client, 2024)[1]["thach-that"]["showrooms"] == rows["thach-that"]["showrooms"]

    closed = world.call(UPDATE, {"i": {"centerId": center["id"], "closedOn": "2024-01-15"}}, token=admin)
    assert closed["data"]["updateCenter"]["center"]["closedOn"] == "2024-01-15"
    assert coverage(world.client, 2023)[1]["thach-that"]["newShowrooms"] == 1  # it was open at the end of 2023
    assert coverage(world.client, 2024)[1]["thach-that"]["showrooms"] == rows["thach-that"]["showrooms"] - 1


def test_a_design_center_in_a_rural_district_meets_the_2025_goal_until_it_closes(world: World, admin: str) -> None:
    _, rows = coverage(world.client, 2025)
    assert not rows["thach-that"]["meetsDesignCenterGoal"]
    center = register(world, admin, kind="DESIGN_CENTER", name="Trung tâm thiết kế Thạch Thất", openedOn="2024-06-01")
    assert coverage(world.client, 2025)[1]["thach-that"]["meetsDesignCenterGoal"]
    world.call(UPDATE, {"i": {"centerId": center["center"]["id"], "closedOn": "2025-08-01"}}, token=admin)
    assert not coverage(world.client, 2025)[1]["thach-that"]["meetsDesignCenterGoal"]
    assert coverage(world.client, 2024)[1]["thach-that"]["designCenters"] == 1


def test_a_future_opening_counts_from_its_day_on(world: World, admin: str) -> None:
    """The read cache's entry for this year's report ends when the day comes, with no write."""
    count = coverage(world.client, 2026)[1]["thach-that"]["showrooms"]
    register(world, admin, openedOn="2026-12-20")
    assert coverage(world.client, 2026)[1]["thach-that"]["showrooms"] == count
    world.clock.advance(days=19)  # 2026-12-20 08:00 in Hanoi
    assert coverage(world.client, 2026)[1]["thach-that"]["showrooms"] == count + 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_another_server_process_sees_the_new_showroom_at_once(backend: str, tmp_path: Path) -> None:
    db = new_database(backend, tmp_path)
    reader = ServerProcess(db.url).wait_healthy()
    writer = ServerProcess(db.url).wait_healthy()
    try:
        admin = make_token(db.url, "ADMIN", "Programme office")
        assert coverage(None, 2023, reader.url)[1]["soc-son"]["newShowrooms"] == 0
        registered = httpx2.post(
            f"{writer.url}/graphql",
            headers={"Authorization": f"Bearer {admin}"},
            json={
                "query": REGISTER,
                "variables": {
                    "i": {
                        "kind": "OCOP_SHOWROOM",
                        "name": "Điểm OCOP Sóc Sơn",
                        "districtSlug": "soc-son",
                        "communeSlug": "soc-son",
                        "openedOn": "2023-09-02",
                    }
                },
            },
            timeout=30,
        ).json()
        assert registered["data"]["registerCenter"]["__typename"] == "RegisterCenterSuccess"
        assert coverage(None, 2023, reader.url)[1]["soc-son"]["newShowrooms"] == 1
    finally:
        reader.stop()
        writer.stop()
        db.drop()


def test_slugs_fold_diacritics_and_stay_unique(world: World, admin: str) -> None:
    first = register(
        world, admin, name="Điểm Giới Thiệu Sản Phẩm OCOP Đông Anh", districtSlug="dong-anh", communeSlug="dong-anh"
    )
    second = register(
        world, admin, name="Điểm giới thiệu sản phẩm OCOP Đông Anh", districtSlug="dong-anh", communeSlug="dong-anh"
    )
    assert first["center"]["slug"] == "diem-gioi-thieu-san-pham-ocop-dong-anh"
    assert second["center"]["slug"] == "diem-gioi-thieu-san-pham-ocop-dong-anh-2"


def test_center_staff_change_name_address_and_location_but_not_dates(world: World, admin: str) -> None:
    center_id = gql(world.client, "{ centers(first: 100) { edges { node { id slug } } } }")["data"]["centers"]["edges"]
    phu_nghia = next(e["node"]["id"] for e in center_id if e["node"]["slug"] == "dc-phu-nghia")
    renamed = world.call(
        UPDATE,
        {
            "i": {
                "centerId": phu_nghia,
                "name": "Trung tâm Phú Nghĩa",
                "address": "Phú Nghĩa, Chương Mỹ",
                "location": {"lat": 20.93, "lon": 105.66},
            }
        },
        token=world.center_staff,
    )["data"]["updateCenter"]
    assert renamed["__typename"] == "UpdateCenterSuccess"
    assert renamed["center"]["name"] == "Trung tâm Phú Nghĩa" and renamed["center"]["location"] == {
        "lat": 20.93,
        "lon": 105.66,
    }
    dates = world.call(UPDATE, {"i": {"centerId": phu_nghia, "closedOn": "2027-01-01"}}, token=world.center_staff)
    assert dates["data"]["updateCenter"]["__typename"] == "ForbiddenError"
    assert dates["data"]["updateCenter"]["field"] == "closedOn"
    other = next(e["node"]["id"] for e in center_id if e["node"]["slug"] != "dc-phu-nghia")
    elsewhere = world.call(UPDATE, {"i": {"centerId": other, "name": "X"}}, token=world.center_staff)
    assert elsewhere["data"]["updateCenter"]["__typename"] == "ForbiddenError"

    log = world.call(AUDIT, {"s": phu_nghia}, token=admin)["data"]["auditLog"]
    assert log["totalCount"] == 1
    entry = log["edges"][0]["node"]
    assert (entry["actorName"], entry["actorRole"], entry["action"]) == (
        "Phú Nghĩa staff",
        "CENTER_STAFF",
        "updateCenter",
    )
    assert (
        'name: "' in entry["summary"] and "Trung tâm Phú Nghĩa" in entry["summary"] and "location:" in entry["summary"]
    )


BAD_REGISTRATIONS = [
    ({"name": "x" * 301}, "INVALID_INPUT", "name"),
    ({"name": "Điểm\u0007OCOP"}, "INVALID_INPUT", "name"),
    ({"name": "   "}, "INVALID_INPUT", "name"),
    ({"districtSlug": "atlantis"}, "NOT_FOUND", "districtSlug"),
    ({"villageSlug": "atlantis"}, "NOT_FOUND", "villageSlug"),
    ({"location": {"lat": 91, "lon": 105}}, "INVALID_INPUT", "location"),
    ({"address": "a" * 301}, "INVALID_INPUT", "address"),
]


@pytest.mark.parametrize(("fields", "code", "field"), BAD_REGISTRATIONS)
def test_bad_registrations_say_which_field_and_store_nothing(
    world: World, admin: str, fields: dict[str, Any], code: str, field: str
) -> None:
    before = (
        run_sql(world.db.url, "SELECT count(*) FROM center")[0][0],
        run_sql(world.db.url, "SELECT count(*) FROM audit_entry")[0][0],
    )
    result = register(world, admin, **fields)
    assert (result["__typename"], result["code"], result["field"]) == (
        f"{code.title().replace('_', '')}Error",
        code,
        field,
    )
    after = (
        run_sql(world.db.url, "SELECT count(*) FROM center")[0][0],
        run_sql(world.db.url, "SELECT count(*) FROM audit_entry")[0][0],
    )
    assert after == before


def test_closing_before_opening_is_refused_and_changes_nothing(world: World, admin: str) -> None:
    center = register(world, admin, openedOn="2025-03-01")["center"]
    stored = run_sql(
        world.db.url, "SELECT name, opened_on, closed_on FROM center WHERE slug = :s", {"s": center["slug"]}
    )
    refused = world.call(UPDATE, {"i": {"centerId": center["id"], "closedOn": "2025-02-01", "name": "Y"}}, token=admin)
    assert (refused["data"]["updateCenter"]["code"], refused["data"]["updateCenter"]["field"]) == (
        "INVALID_INPUT",
        "closedOn",
    )
    assert (
        run_sql(world.db.url, "SELECT name, opened_on, closed_on FROM center WHERE slug = :s", {"s": center["slug"]})
        == stored
    )
