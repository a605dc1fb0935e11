"""A database holding data at revision 0004 (before the network was run through the API)
upgrades to head in place: rows referenced by others survive, products get their slugs and
search text, and the seed's English descriptions move to the English columns."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection

from models.db import WRITE_OPTION, create_engine
from models.engine_shutdown import close_engine
from models.migrate import alembic_config, prepare_database
from tests.support import new_database, run_sql

ROWS_AT_0004 = [
    "INSERT INTO district (id, code, slug, name, kind, level) VALUES (1, '018', 'gia-lam', 'Gia Lâm', 'RURAL_DISTRICT', 'DISTRICT')",
    "INSERT INTO craft (id, slug, name) VALUES (1, 'gom-su', 'Gốm sứ')",
    "INSERT INTO village (id, slug, name, craft_id, district_id, description, search_text) "
    "VALUES (1, 'bat-trang', 'Làng gốm Bát Tràng', 1, 1, 'A pottery village', 'bat trang')",
    "INSERT INTO center (id, slug, name, kind, district_id, village_id) VALUES (1, 'dc', 'Trung tâm', 'DESIGN_CENTER', 1, 1)",
    "INSERT INTO tour (id, slug, title, description, craft_id, village_id, center_id, district_id, duration_minutes, "
    "duration_confidence, languages, default_capacity, max_per_booking, booking_cutoff_minutes, "
    "cancellation_cutoff_minutes, sample, search_text) VALUES (1, 'wheel', 'Vuốt gốm', 'Throw a pot', 1, 1, 1, 1, 60, "
    "'estimated', 'vi', 10, 5, 120, 1440, true, 'vuot gom')",
    "INSERT INTO tour_session (id, tour_id, starts_at, ends_at, booking_closes_at, capacity, seats_taken, status, uid, "
    "sequence, created_at, updated_at) VALUES (1, 1, '2026-12-10 02:00:00', '2026-12-10 03:00:00', "
    "'2026-12-10 00:00:00', 10, 0, 'SCHEDULED', 'u1@craftway', 0, '2026-12-01 00:00:00', '2026-12-01 00:00:00')",
    "INSERT INTO product (id, name, producer, stars, village_id, district_id) VALUES (1, 'Bộ ấm chén', 'HTX Gốm', 5, 1, 1)",
    "INSERT INTO product (id, name, producer, stars) VALUES (2, 'Bộ ấm chén', 'Xưởng khác', 4)",
    "INSERT INTO product_outlet (product_id, center_id) VALUES (1, 1)",
]


def _upgrade_to(url: str, revision: str) -> None:
    async def run() -> None:
        engine = create_engine(url)

        def upgrade(conn: Connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)

        try:
            async with engine.connect() as conn:
                conn = await conn.execution_options(**{WRITE_OPTION: True})
                async with conn.begin():
                    await conn.run_sync(upgrade)
        finally:
            await close_engine(engine)

    asyncio.run(run())


def _prepare(url: str) -> None:
    async def run() -> None:
        engine = create_engine(url)
        try:
            await prepare_database(engine, seed=False)
        finally:
            await close_engine(engine)

    asyncio.run(run())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_with_data_at_0004_upgrades_in_place(backend: str, tmp_path: Path) -> None:
    db = new_database(backend, tmp_path)
    try:
        _upgrade_to(db.url, "0004")
        for statement in ROWS_AT_0004:
            run_sql(db.url, statement)
        _prepare(db.url)  # what the server does on start: migrate to head
        assert run_sql(db.url, "SELECT version_num FROM alembic_version") == [("0013",)]
        products = run_sql(db.url, "SELECT id, slug, search_text, confidence FROM product ORDER BY id")
        assert products == [
            (1, "bo-am-chen", "bo am chen htx gom lang gom bat trang", "reported"),
            (2, "bo-am-chen-2", "bo am chen xuong khac", "reported"),
        ]
        assert run_sql(db.url, "SELECT description, description_en, archived FROM tour") == [
            (None, "Throw a pot", False)
        ]
        assert run_sql(db.url, "SELECT description, description_en FROM village") == [(None, "A pottery village")]
        assert run_sql(db.url, "SELECT count(*) FROM tour_session WHERE tour_id = 1") == [(1,)]
        assert run_sql(db.url, "SELECT product_id, center_id FROM product_outlet") == [(1, 1)]
        assert run_sql(db.url, "SELECT count(*), sum(version) FROM catalog_version") == [(64, 0)]
        if backend == "sqlite":
            assert run_sql(db.url, "PRAGMA foreign_key_check") == []
            assert run_sql(db.url, "PRAGMA integrity_check") == [("ok",)]
    finally:
        db.drop()
