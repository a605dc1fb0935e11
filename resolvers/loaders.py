"""Per-request DataLoaders. Each batch opens its own short database session, because sibling
fields resolve concurrently and an AsyncSession must not be shared between tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col
from strawberry.dataloader import DataLoader

from models.booking.history import history_of
from models.db import SessionFactory
from models.queries.products import (
    outlet_counts,
    outlets_of_products,
    product_counts_of_centers,
    products_of_centers,
)
from models.queries.sessions import (
    SessionView,
    SessionWindow,
    session_counts,
    sessions_by_id,
    sessions_of_tours,
)
from models.queries.tours import tour_counts_grouped_by, tours_grouped_by
from models.tables import (
    BookingEvent,
    Center,
    CenterPlacement,
    Commune,
    CommuneOrigin,
    Craft,
    District,
    Product,
    TicketPrice,
    Tour,
    TourStop,
    Village,
    VillagePlacement,
)

Row = TypeVar("Row", bound=SQLModel)
Args = TypeVar("Args", bound=Hashable)
Value = TypeVar("Value")

TourPageArgs = tuple[str, int, int]  # owning column ("village_id" or "center_id"), offset, limit
SessionPageArgs = tuple[SessionWindow, int, int]


@cache
def _rows_by_id(model: type[SQLModel]) -> Select[tuple[int, Any]]:
    """(id, row) of the rows whose id is in the `ids` parameter. Built once: a statement object
    that is reused keeps its cache key, which SQLAlchemy would otherwise work out per request."""
    primary_key = sa_inspect(model).columns["id"]
    return select(primary_key, model).where(primary_key.in_(bindparam("ids", expanding=True)))


@cache
def _rows_by_parent(model: type[SQLModel], parent: str, order: Any) -> Select[tuple[int, Any]]:
    """(parent id, row) of the rows whose `parent` is in the `ids` parameter, in `order`."""
    parent_column = sa_inspect(model).columns[parent]
    condition = parent_column.in_(bindparam("ids", expanding=True))
    return select(parent_column, model).where(condition).order_by(parent_column, order)


@cache
def _rows_through(model: type[SQLModel], link: type[SQLModel], parent: str, child: str) -> Select[tuple[int, Any]]:
    """(parent id, row) of the rows a link table joins to the parents in the `ids` parameter."""
    links, rows = sa_inspect(link).columns, sa_inspect(model).columns
    return (
        select(links[parent], model)
        .join(link, links[child] == rows["id"])
        .where(links[parent].in_(bindparam("ids", expanding=True)))
        .order_by(links[parent], rows["code"])
    )


class MissingRow(LookupError):
    """No row with the id a loader was given."""


class Loaders:
    """The request's DataLoaders, typed by what each returns."""

    def __init__(self, sessions: SessionFactory, now: datetime) -> None:
        self._sessions = sessions
        self._now = now
        self.district = self._by_id(District)
        self.craft = self._by_id(Craft)
        self.village = self._by_id(Village)
        self.center = self._by_id(Center)
        self.tour = self._by_id(Tour)
        self.session: DataLoader[int, SessionView] = DataLoader(self._load_sessions)
        self.villages_by_district = self._children(Village, "district_id", Village.id)
        self.centers_by_district = self._children(Center, "district_id", Center.id)
        self.prices_by_tour = self._children(TicketPrice, "tour_id", TicketPrice.position)
        self.stops_by_tour: DataLoader[int, list[Village]] = DataLoader(self._load_stops)
        self.session_pages = self._grouped(self._fetch_session_pages, default=list[SessionView]())
        self.session_counts = self._grouped(self._fetch_session_counts, default=0)
        self.tour_pages = self._grouped(self._fetch_tour_pages, default=list[Tour]())
        self.tour_counts = self._grouped(self._fetch_tour_counts, default=0)
        self.booking_history: DataLoader[int, list[BookingEvent]] = DataLoader(self._load_history)
        self.product = self._by_id(Product)
        self.product_pages = self._grouped(self._fetch_product_pages, default=list[Product]())
        self.product_counts = self._grouped(self._fetch_product_counts, default=0)
        self.outlet_pages = self._grouped(self._fetch_outlet_pages, default=list[Center]())
        self.outlet_counts = self._grouped(self._fetch_outlet_counts, default=0)
        self.commune = self._by_id(Commune)
        self.communes_by_district = self._through(Commune, CommuneOrigin, "district_id", "commune_id")
        self.districts_by_commune = self._through(District, CommuneOrigin, "commune_id", "district_id")
        self.commune_of_village = self._through(Commune, VillagePlacement, "village_id", "commune_id")
        self.commune_of_center = self._through(Commune, CenterPlacement, "center_id", "commune_id")

    def _by_id(self, model: type[Row]) -> DataLoader[int, Row]:
        """Rows by id. A missing id fails its own `load` with MissingRow (a foreign key always
        finds its row; `node(id:)` turns the error into null)."""
        query = _rows_by_id(model)

        async def load(ids: Sequence[int]) -> list[Row | BaseException]:
            async with self._sessions() as db:
                found = {pk: row for pk, row in await db.execute(query, {"ids": list(ids)})}
            return [found[i] if i in found else MissingRow(f"no {model.__name__} {i}") for i in ids]

        return DataLoader(load)

    def _children(self, model: type[Row], parent: str, order: Any) -> DataLoader[int, list[Row]]:
        return self._lists(_rows_by_parent(model, parent, order))

    def _through(self, model: type[Row], link: type[SQLModel], parent: str, child: str) -> DataLoader[int, list[Row]]:
        """Rows joined to each parent through a link table, by code."""
        return self._lists(_rows_through(model, link, parent, child))

    def _lists(self, query: Select[tuple[int, Any]]) -> DataLoader[int, list[Row]]:
        """The rows of `query` (parent id, row) grouped by parent."""

        async def load(parent_ids: Sequence[int]) -> list[list[Row]]:
            grouped: dict[int, list[Row]] = defaultdict(list)
            async with self._sessions() as db:
                for parent_id, row in await db.execute(query, {"ids": list(parent_ids)}):
                    grouped[parent_id].append(row)
            return [grouped.get(i, []) for i in parent_ids]

        return DataLoader(load)

    def _grouped(
        self, fetch: Callable[[AsyncSession, Args, list[int]], Awaitable[dict[int, Value]]], default: Value
    ) -> DataLoader[tuple[Args, int], Value]:
        """Loader keyed by (arguments, id): one fetch per distinct arguments in a batch."""

        async def load(keys: Sequence[tuple[Args, int]]) -> list[Value]:
            by_args: dict[Args, list[int]] = defaultdict(list)
            for args, owner_id in keys:
                by_args[args].append(owner_id)
            results: dict[tuple[Args, int], Value] = {}
            async with self._sessions() as db:
                for args, ids in by_args.items():
                    found = await fetch(db, args, ids)
                    results.update({(args, i): found.get(i, default) for i in ids})
            return [results[key] for key in keys]

        return DataLoader(load)

    async def _load_sessions(self, ids: Sequence[int]) -> list[SessionView | BaseException]:
        async with self._sessions() as db:
            found = await sessions_by_id(db, ids, self._now)
        return [found[i] if i in found else MissingRow(f"no session {i}") for i in ids]

    async def _load_history(self, booking_ids: Sequence[int]) -> list[list[BookingEvent]]:
        async with self._sessions() as db:
            found = await history_of(db, list(booking_ids))
        return [found.get(i, []) for i in booking_ids]

    async def _load_stops(self, tour_ids: Sequence[int]) -> list[list[Village]]:
        grouped: dict[int, list[Village]] = defaultdict(list)
        async with self._sessions() as db:
            query = (
                select(col(TourStop.tour_id), Village)
                .join(Village, col(Village.id) == TourStop.village_id)
                .where(col(TourStop.tour_id).in_(tour_ids))
                .order_by(col(TourStop.tour_id), col(TourStop.position))
            )
            for tour_id, village in await db.execute(query):
                grouped[tour_id].append(village)
        return [grouped.get(i, []) for i in tour_ids]

    async def _fetch_session_pages(
        self, db: AsyncSession, args: SessionPageArgs, ids: list[int]
    ) -> dict[int, list[SessionView]]:
        window, offset, limit = args
        return await sessions_of_tours(db, ids, window, self._now, offset, limit)

    async def _fetch_session_counts(self, db: AsyncSession, window: SessionWindow, ids: list[int]) -> dict[int, int]:
        return await session_counts(db, ids, window, self._now)

    async def _fetch_tour_pages(self, db: AsyncSession, args: TourPageArgs, ids: list[int]) -> dict[int, list[Tour]]:
        column, offset, limit = args
        return await tours_grouped_by(db, column, ids, offset, limit)

    async def _fetch_tour_counts(self, db: AsyncSession, column: str, ids: list[int]) -> dict[int, int]:
        return await tour_counts_grouped_by(db, column, ids)

    async def _fetch_product_pages(
        self, db: AsyncSession, args: tuple[int | None, int, int], ids: list[int]
    ) -> dict[int, list[Product]]:
        min_stars, offset, limit = args
        return await products_of_centers(db, ids, min_stars, offset, limit)

    async def _fetch_product_counts(self, db: AsyncSession, min_stars: int | None, ids: list[int]) -> dict[int, int]:
        return await product_counts_of_centers(db, ids, min_stars)

    async def _fetch_outlet_pages(
        self, db: AsyncSession, args: tuple[int, int], ids: list[int]
    ) -> dict[int, list[Center]]:
        offset, limit = args
        return await outlets_of_products(db, ids, offset, limit)

    async def _fetch_outlet_counts(self, db: AsyncSession, _args: None, ids: list[int]) -> dict[int, int]:
        return await outlet_counts(db, ids)
