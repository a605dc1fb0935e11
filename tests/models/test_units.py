"""The 126 units of the 2025 reform as seeded, and where every seeded village and center lies."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import yaml

from models.units.boundaries import COMMUNE_BOUNDARIES, DISTRICT_BOUNDARIES, boundaries, unit_at
from tests.support import ROOT, Clock, InProcess, ScratchDatabase, prepare, run_sql

SEED = Path(__file__).resolve().parents[2] / "models" / "seed" / "hanoi.yaml"


def test_126_units_with_codes_kinds_and_the_day_they_began(seeded_db: ScratchDatabase) -> None:
    rows = run_sql(seeded_db.url, "SELECT code, name, full_name, kind, valid_from FROM commune ORDER BY code")
    assert len(rows) == 126
    assert sum(1 for r in rows if r[3] == "WARD") == 51 and sum(1 for r in rows if r[3] == "COMMUNE") == 75
    assert {str(r[4]) for r in rows} == {"2025-07-01"}
    assert ("00004", "Ba Đình", "Phường Ba Đình", "WARD") == rows[0][:4]
    with (Path(__file__).resolve().parents[2] / "models/seed/units/hanoi_2025_units.csv").open(encoding="utf-8") as f:
        official = {row["code"]: row["full_name"] for row in csv.DictReader(f)}
    assert {r[0]: r[2] for r in rows} == official


def test_each_unit_is_linked_to_the_districts_it_came_from(seeded_db: ScratchDatabase) -> None:
    spans = run_sql(
        seeded_db.url,
        "SELECT c.code, count(*) FROM commune c JOIN commune_origin o ON o.commune_id = c.id GROUP BY c.code",
    )
    assert len(spans) == 126
    assert sum(1 for _code, n in spans if n > 1) == 65
    bat_trang = run_sql(
        seeded_db.url,
        "SELECT d.code FROM commune c JOIN commune_origin o ON o.commune_id = c.id "
        "JOIN district d ON d.id = o.district_id WHERE c.slug = 'bat-trang' ORDER BY d.code",
    )
    assert bat_trang == [("004",), ("018",)]  # Long Biên and Gia Lâm
    until = run_sql(seeded_db.url, "SELECT DISTINCT valid_until FROM district")
    assert [str(u) for (u,) in until] == ["2025-06-30"]


def test_every_seeded_village_and_center_has_its_2025_unit(seeded_db: ScratchDatabase) -> None:
    unplaced = run_sql(
        seeded_db.url,
        "SELECT slug FROM village WHERE id NOT IN (SELECT village_id FROM village_placement) "
        "UNION SELECT slug FROM center WHERE id NOT IN (SELECT center_id FROM center_placement)",
    )
    assert unplaced == []
    villages = dict(run_sql(seeded_db.url, "SELECT placed_by, count(*) FROM village_placement GROUP BY placed_by"))
    centers = dict(run_sql(seeded_db.url, "SELECT placed_by, count(*) FROM center_placement GROUP BY placed_by"))
    print(f"villages placed: {villages}; centers placed: {centers}")
    assert sum(villages.values()) == 33 and sum(centers.values()) == 15
    assert villages.get("COORDINATES", 0) > 0 and villages.get("COMMUNE", 0) > 0


def test_a_village_with_a_known_commune_is_placed_there(seeded_db: ScratchDatabase) -> None:
    known = {
        v["slug"]: v["commune_2025_code"]
        for v in yaml.safe_load(SEED.read_text(encoding="utf-8"))["villages"]
        if v.get("commune_2025_code")
    }
    placed = dict(
        run_sql(
            seeded_db.url,
            "SELECT v.slug, c.code FROM village v JOIN village_placement p ON p.village_id = v.id "
            "JOIN commune c ON c.id = p.commune_id WHERE p.placed_by = 'COMMUNE'",
        )
    )
    assert placed == known


def test_a_village_without_one_is_placed_by_its_coordinates_in_its_own_district(seeded_db: ScratchDatabase) -> None:
    rows = run_sql(
        seeded_db.url,
        "SELECT v.slug, v.lat, v.lon, c.code, d.code FROM village v "
        "JOIN village_placement p ON p.village_id = v.id JOIN commune c ON c.id = p.commune_id "
        "JOIN district d ON d.id = v.district_id WHERE p.placed_by = 'COORDINATES' ORDER BY v.slug",
    )
    assert [r[0] for r in rows] == ["cu-da", "ha-thai", "la-phu", "phu-do", "phuc-am", "tranh-khuc", "van-diem", "vong"]
    with (ROOT / "models/seed/units/hanoi_2025_units.csv").open(encoding="utf-8") as f:
        origins = {row["code"]: row["old_district_codes"].split(";") for row in csv.DictReader(f)}
    assert all(district in origins[commune] for _slug, _lat, _lon, commune, district in rows)
    assert all(unit_at(COMMUNE_BOUNDARIES, lat, lon) == commune for _slug, lat, lon, commune, _d in rows)


def test_points_fall_in_the_right_units_and_outside_points_in_none() -> None:
    hoan_kiem_lake = (21.0287, 105.8524)
    assert unit_at(COMMUNE_BOUNDARIES, *hoan_kiem_lake) == "00070"  # Phường Hoàn Kiếm
    assert unit_at(DISTRICT_BOUNDARIES, *hoan_kiem_lake) == "002"  # Quận Hoàn Kiếm
    assert unit_at(COMMUNE_BOUNDARIES, 10.7769, 106.7009) is None  # Hồ Chí Minh City
    assert len(boundaries(DISTRICT_BOUNDARIES)) == 30 and len(boundaries(COMMUNE_BOUNDARIES)) == 126


def test_a_catalogue_seeded_before_the_units_gets_them_on_start(fresh_db: ScratchDatabase) -> None:
    placements = (
        "SELECT p.village_id, c.code, p.placed_by FROM village_placement p "
        "JOIN commune c ON c.id = p.commune_id ORDER BY p.village_id"
    )
    before = run_sql(fresh_db.url, placements)
    for table in ("center_placement", "village_placement", "commune_origin", "commune"):
        run_sql(fresh_db.url, f"DELETE FROM {table}")
    # Two centers registered before the units existed: one with a location, one with none.
    for slug, lat, lon in (("ocop-located", 20.9765, 105.911), ("ocop-nowhere", None, None)):
        run_sql(
            fresh_db.url,
            "INSERT INTO center (slug, name, kind, district_id, opened_on, lat, lon) "
            "SELECT :slug, 'Điểm OCOP', 'OCOP_SHOWROOM', id, '2026-01-05', :lat, :lon FROM district WHERE code = '018'",
            {"slug": slug, "lat": lat, "lon": lon},
        )
    prepare(fresh_db.url, Clock())  # what the server does on start
    assert run_sql(fresh_db.url, "SELECT count(*) FROM commune") == [(126,)]
    assert run_sql(fresh_db.url, placements) == before and len(before) == 33
    placed = run_sql(
        fresh_db.url,
        "SELECT ct.slug, c.slug, p.placed_by FROM center ct JOIN center_placement p ON p.center_id = ct.id "
        "JOIN commune c ON c.id = p.commune_id WHERE ct.slug LIKE 'ocop-%' AND ct.slug IN ('ocop-located', 'ocop-nowhere')",
    )
    assert placed == [("ocop-located", "bat-trang", "COORDINATES")]
    assert run_sql(fresh_db.url, "SELECT count(*) FROM center_placement") == [(16,)]
    assert _unplaced_in_coverage(fresh_db.url, "COMMUNE") == 1  # counted in the city totals, in no row
    assert _unplaced_in_coverage(fresh_db.url, "DISTRICT") == 0


def _unplaced_in_coverage(url: str, level: str) -> int:
    async def run() -> int:
        runner = InProcess(url, Clock())
        try:
            query = "query($l: UnitLevel) { coverage(year: 2026, level: $l) { unplacedCenters } }"
            result = await runner.execute(query, {"l": level})
            assert result.errors is None
            return int(result.data["coverage"]["unplacedCenters"])
        finally:
            await runner.close()

    return asyncio.run(run())
