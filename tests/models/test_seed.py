"""The seed: what it holds, and that it is loaded once, even by processes starting together."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.db import create_engine, session_factory
from models.engine_shutdown import close_engine
from models.seed.loader import SESSION_DAYS, load_seed
from models.tables import Center, CoverageGoal, District, Product, Tour, TourSession, Village
from models.timeutil import to_local
from tests.support import T0, ScratchDatabase, ServerProcess, new_database


def test_seed_file_holds_the_researched_catalogue() -> None:
    data = load_seed()
    assert len(data["districts"]) == 30 and len({d["code"] for d in data["districts"]}) == 30
    assert len(data["villages"]) == 33
    kinds = [c["kind"] for c in data["centers"]]
    assert kinds.count("OCOP_SHOWROOM") == 10 and kinds.count("DESIGN_CENTER") == 5
    tours = data["tours"]
    assert len(tours) >= 12 and len({t["village"] for t in tours}) >= 8
    ngu_xa = next(t for t in tours if t["village"] == "ngu-xa")
    village = next(v for v in data["villages"] if v["slug"] == "ngu-xa")
    assert village["district"] == "001"
    assert all(t["prices"][0]["category"] == "ADULT" for t in tours)
    assert ngu_xa["prices"][0]["confidence"] == "estimated"
    assert all(p["stars"] in (3, 4, 5) for p in data["products"])
    assert {g["year"] for g in data["goals"]} == {2023, 2025}


def _counts(url: str) -> dict[str, int]:
    async def run() -> dict[str, int]:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as db:
                out = {}
                for model in (District, Village, Center, Product, Tour, TourSession, CoverageGoal):
                    out[model.__name__] = (await db.execute(select(func.count()).select_from(model))).scalar_one()
                first, last = (
                    await db.execute(select(func.min(TourSession.starts_at), func.max(TourSession.starts_at)))
                ).one()
                out["first_day"] = (to_local(first).date() - to_local(T0).date()).days
                out["last_day"] = (to_local(last).date() - to_local(T0).date()).days
                return out
        finally:
            await close_engine(engine)

    return asyncio.run(run())


def test_seeded_database(fresh_db: ScratchDatabase) -> None:
    counts = _counts(fresh_db.url)
    assert counts["District"] == 30 and counts["Village"] == 33 and counts["Center"] == 15
    assert counts["Tour"] == 15 and counts["CoverageGoal"] == 4 and counts["Product"] >= 6
    assert counts["first_day"] == 1 and counts["last_day"] == SESSION_DAYS
    assert counts["TourSession"] > 1000


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_processes_starting_together_seed_once(backend: str, tmp_path: Path) -> None:
    db = new_database(backend, tmp_path)
    servers = [ServerProcess(db.url), ServerProcess(db.url)]
    try:
        for server in servers:
            server.wait_healthy()
        counts = _counts(db.url)
        assert counts["District"] == 30 and counts["Tour"] == 15 and counts["CoverageGoal"] == 4
        sessions_per_tour_day = counts["TourSession"] / 15 / timedelta(days=SESSION_DAYS).days
        assert sessions_per_tour_day < 4  # a second seed would double every count above
    finally:
        for server in servers:
            server.stop()
        db.drop()
