"""No N+1: the mobile query costs the same few SQL statements for 5 tours as for 20."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlmodel import col

from models.driver_reads import listen_for_statements
from models.tables import Center, Product, ProductOutlet, TicketPrice, Tour, TourSession, Village
from schema.pagination import encode_cursor
from tests.support import Clock, InProcess, ScratchDatabase

MOBILE = """query($first: Int!, $cursor: String, $after: DateTime) { tours(first: $first, after: $cursor) {
  totalCount edges { node {
  id slug title priceVnd prices { category priceVnd } languages durationMinutes
  craft { name } district { name } village { name district { name } } center { name }
  sessions(first: 5, startsAfter: $after) { edges { node { id startsAt seatsAvailable availability } } }
} } } }"""


@contextmanager
def counting(runner: InProcess) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA")):
            statements.append(statement)

    def record_driver_read(statement: str) -> None:
        record(None, None, statement)

    event.listen(runner.engine.sync_engine, "before_cursor_execute", record)
    stop_listening = listen_for_statements(runner.engine, record_driver_read)  # reads past SQLAlchemy
    try:
        yield statements
    finally:
        event.remove(runner.engine.sync_engine, "before_cursor_execute", record)
        stop_listening()


async def add_copies_of_seed_tours(runner: InProcess, copies: int) -> None:
    """Clone every seeded tour `copies` times, with its prices and sessions."""
    async with runner.sessions() as db:
        originals = list((await db.execute(select(Tour))).scalars())
        for n in range(copies):
            for tour in originals:
                clone = Tour.model_validate(tour.model_dump(exclude={"id"}) | {"slug": f"{tour.slug}-copy-{n}"})
                db.add(clone)
                await db.flush()
                for price in (await db.execute(select(TicketPrice).where(TicketPrice.tour_id == tour.id))).scalars():
                    db.add(TicketPrice.model_validate(price.model_dump(exclude={"id"}) | {"tour_id": clone.id}))
                sessions = (
                    await db.execute(select(TourSession).where(TourSession.tour_id == tour.id).limit(10))
                ).scalars()
                for s in sessions:
                    db.add(TourSession.model_validate(s.model_dump(exclude={"id", "uid"}) | {"tour_id": clone.id}))
        await db.commit()


async def run_counted(runner: InProcess, first: int, offset: int = 0, language: str = "vi") -> tuple[list[dict], int]:
    variables = {
        "first": first,
        "after": "2026-12-01T00:00:00+07:00",
        "cursor": encode_cursor(offset - 1) if offset else None,
    }
    with counting(runner) as statements:
        result = await runner.execute(MOBILE, variables, language=language)
    assert result.errors is None, result.errors
    tours = result.data["tours"]["edges"]
    assert all(len(t["node"]["sessions"]["edges"]) == 5 for t in tours)
    return tours, len(statements)


def mobile_statements(db: ScratchDatabase) -> int:
    """The database builds the whole answer in one statement (resolvers/planner/sql)."""
    return 1


async def test_statement_count_does_not_grow_with_page_size(fresh_db: ScratchDatabase) -> None:
    runner = InProcess(fresh_db.url, Clock())
    try:
        await add_copies_of_seed_tours(runner, 2)  # 39 tours
        # Tours 9-13 of the seed include one with a center, so every loader runs on both pages.
        five, statements_5 = await run_counted(runner, 5, offset=8)
        twenty, statements_20 = await run_counted(runner, 20)
        assert (len(five), len(twenty)) == (5, 20)
        assert any(t["node"]["center"] for t in five) and any(t["node"]["center"] for t in twenty)
        assert statements_5 == statements_20 == mobile_statements(fresh_db)
    finally:
        await runner.close()


async def test_english_pages_cost_the_same(fresh_db: ScratchDatabase) -> None:
    runner = InProcess(fresh_db.url, Clock())
    try:
        await add_copies_of_seed_tours(runner, 2)
        five, statements_5 = await run_counted(runner, 5, offset=8, language="en")
        twenty, statements_20 = await run_counted(runner, 20, language="en")
        assert statements_5 == statements_20 == mobile_statements(fresh_db)
        assert twenty[0]["node"]["title"] == "Pottery wheel session at Bát Tràng Pottery Museum"
    finally:
        await runner.close()


PRODUCTS = """query($first: Int!) { ocopProducts(first: $first, filter: { search: "xuong dem" }) { totalCount edges { node {
  slug name stars village { name district { name } } district { name }
  soldAt { totalCount edges { node { name district { name } } } } } } } }"""


async def test_a_page_of_products_costs_the_same_for_5_as_for_20(fresh_db: ScratchDatabase) -> None:
    runner = InProcess(fresh_db.url, Clock())
    try:
        async with runner.sessions() as db:
            village = (await db.execute(select(Village).where(col(Village.slug) == "bat-trang"))).scalar_one()
            centers = list((await db.execute(select(Center).limit(3))).scalars())
            for n in range(25):
                product = Product(
                    slug=f"p-{n}",
                    name=f"P {n}",
                    producer="Xưởng đếm",
                    search_text="xuong dem",
                    stars=4,
                    village_id=village.id,
                    district_id=village.district_id,
                )
                db.add(product)
                await db.flush()
                db.add_all(ProductOutlet(product_id=product.pk, center_id=c.pk) for c in centers[: 1 + n % 3])
            await db.commit()
        counts = []
        for first in (5, 20):
            with counting(runner) as statements:
                result = await runner.execute(PRODUCTS, {"first": first})
            assert result.errors is None, result.errors
            assert len(result.data["ocopProducts"]["edges"]) == first
            assert all(e["node"]["soldAt"]["edges"] for e in result.data["ocopProducts"]["edges"])
            counts.append(len(statements))
        assert counts[0] == counts[1] == 1  # the database builds the answer in one statement
    finally:
        await runner.close()
