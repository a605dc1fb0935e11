"""Coverage per district against the goal rows of the 2023 plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from models.tables import Center, District
from tests.support import Clock, InProcess, ScratchDatabase

COVERAGE = """query($y: Int!) { coverage(year: $y) { year newShowrooms newShowroomGoalMin newShowroomGoalMax
  districtsMeetingShowroomGoal designCenters districtsRequiringDesignCenter districtsMeetingDesignCenterGoal
  districts { district { code slug } showrooms newShowrooms designCenters villages tours newShowroomsRequired
    meetsShowroomGoal designCenterRequired meetsDesignCenterGoal } } }"""

PILOTS = {"gia-lam", "thuong-tin", "phu-xuyen", "chuong-my", "son-tay"}


def by_slug(report: dict) -> dict[str, dict]:
    return {row["district"]["slug"]: row for row in report["districts"]}


async def test_2023_goals_from_the_plan(api: InProcess) -> None:
    report = (await api.execute(COVERAGE, {"y": 2023})).data["coverage"]
    rows = by_slug(report)
    assert len(rows) == 30
    assert (report["newShowroomGoalMin"], report["newShowroomGoalMax"]) == (20, 30)
    assert all(row["newShowroomsRequired"] == 1 for row in rows.values())
    assert {slug for slug, row in rows.items() if row["designCenterRequired"]} == PILOTS
    assert report["districtsRequiringDesignCenter"] == 5
    # The seed knows no showroom opened in 2023 and no design center before March 2024.
    assert report["newShowrooms"] == 0 and report["districtsMeetingShowroomGoal"] == 0
    assert report["designCenters"] == 0 and report["districtsMeetingDesignCenterGoal"] == 0
    assert not rows["gia-lam"]["meetsDesignCenterGoal"] and rows["ba-dinh"]["meetsDesignCenterGoal"]
    assert rows["ba-dinh"]["showrooms"] == 1 and rows["ba-dinh"]["tours"] == 1 and rows["ba-dinh"]["villages"] == 1


async def test_2025_requires_design_centers_in_every_rural_district_and_the_town(api: InProcess) -> None:
    report = (await api.execute(COVERAGE, {"y": 2025})).data["coverage"]
    rows = by_slug(report)
    assert report["districtsRequiringDesignCenter"] == 18
    assert not rows["ba-dinh"]["designCenterRequired"] and rows["son-tay"]["designCenterRequired"]
    meeting = {slug for slug, row in rows.items() if row["designCenterRequired"] and row["meetsDesignCenterGoal"]}
    assert meeting == {"gia-lam", "hoai-duc", "chuong-my", "me-linh"}
    assert report["districtsMeetingDesignCenterGoal"] == 4
    assert report["newShowroomGoalMin"] is None


@pytest.mark.parametrize("year", [2022, 1990, 2100])
async def test_a_year_without_goals_has_counts_but_no_requirements(api: InProcess, year: int) -> None:
    result = await api.execute(COVERAGE, {"y": year})
    assert result.errors is None
    report = result.data["coverage"]
    assert report["districtsRequiringDesignCenter"] == 0 and report["newShowroomGoalMin"] is None
    assert all(r["newShowroomsRequired"] is None and r["meetsShowroomGoal"] for r in report["districts"])
    if year == 2022:
        assert report["newShowrooms"] == 5


@pytest.mark.parametrize("year", [-1, 0, 99999, 2**31 - 1])
async def test_absurd_years_are_a_clear_error(api: InProcess, year: int) -> None:
    result = await api.execute(COVERAGE, {"y": year})
    assert "year must be between" in result.errors[0].message


async def test_a_new_showroom_meets_its_district_goal(fresh_db: ScratchDatabase) -> None:
    runner = InProcess(fresh_db.url, Clock())
    try:
        async with runner.sessions() as db:
            district = (await db.execute(select(District).where(District.slug == "my-duc"))).scalar_one()
            db.add(
                Center(
                    slug="ocop-my-duc-test",
                    name="Điểm OCOP thử",
                    kind="OCOP_SHOWROOM",
                    district_id=district.id,
                    opened_on=date(2023, 6, 1),
                    opened_on_confidence="estimated",
                )
            )
            db.add(
                Center(
                    slug="dc-son-tay-test",
                    name="Trung tâm thử",
                    kind="DESIGN_CENTER",
                    district_id=(await db.execute(select(District.id).where(District.slug == "son-tay"))).scalar_one(),
                    opened_on=date(2023, 12, 31),
                )
            )
            await db.commit()
        report = (await runner.execute(COVERAGE, {"y": 2023})).data["coverage"]
        rows = by_slug(report)
        assert rows["my-duc"]["newShowrooms"] == 1 and rows["my-duc"]["meetsShowroomGoal"]
        assert report["newShowrooms"] == 1 and report["districtsMeetingShowroomGoal"] == 1
        assert rows["son-tay"]["meetsDesignCenterGoal"] and report["districtsMeetingDesignCenterGoal"] == 1
        next_year = by_slug((await runner.execute(COVERAGE, {"y": 2024})).data["coverage"])
        assert next_year["my-duc"]["showrooms"] == 1 and next_year["my-duc"]["newShowrooms"] == 0
    finally:
        await runner.close()
