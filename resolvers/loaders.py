"""Per-request DataLoaders. Each batch opens its own short database session, because sibling
fields resolve concurrently and an AsyncSession must not be shared between tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import SQLModel
from strawberry.dataloader import DataLoader

from models.booking.history import history_of
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
    Craft,
    District,
    TicketPrice,
    Tour,
    TourStop,
    Village,
)

Fetch = Callable[[AsyncSession, Any, list[int]], Awaitable[dict[int, Any]]]


class Loaders:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
        self._sessions = sessions
        self._now = now
        self.district = self._by_id(District)
        self.craft = self._by_id(Craft)
        self.village = self._by_id(Village)
        self.center = self._by_id(Center)
        self.tour = self._by_id(Tour)
        self.session = DataLoader(self._load_sessions)
        self.villages_by_district = self._children(Village, Village.district_id, Village.id)
        self.centers_by_district = self._children(Center, Center.district_id, Center.id)
        self.prices_by_tour = self._children(TicketPrice, TicketPrice.tour_id, TicketPrice.position)
        self.stops_by_tour = DataLoader(self._load_stops)
        self.session_pages = self._grouped(self._fetch_session_pages, default=[])
        self.session_counts = self._grouped(self._fetch_session_counts, default=0)
        self.tour_pages = self._grouped(self._fetch_tour_pages, default=[])
        self.tour_counts = self._grouped(self._fetch_tour_counts, default=0)
        self.booking_history = DataLoader(self._load_history)

    def _by_id(self, model: type[SQLModel]) -> DataLoader[int, Any]:
        async def load(ids: Sequence[int]) -> list[Any]:
            async with self._sessions() as db:
                rows = (await db.execute(select(model).where(model.id.in_(ids)))).scalars()  # type: ignore[attr-defined]
                found = {row.id: row for row in rows}
            return [found.get(i) for i in ids]

        return DataLoader(load)

    def _children(self, model: type[SQLModel], parent: Any, order: Any) -> DataLoader[int, list[Any]]:
        async def load(parent_ids: Sequence[int]) -> list[list[Any]]:
            grouped: dict[int, list[Any]] = defaultdict(list)
            async with self._sessions() as db:
                query = select(model).where(parent.in_(parent_ids)).order_by(parent, order)
                for row in (await db.execute(query)).scalars():
                    grouped[getattr(row, parent.key)].append(row)
            return [grouped.get(i, []) for i in parent_ids]

        return DataLoader(load)

    def _grouped(self, fetch: Fetch, default: Any) -> DataLoader[tuple[Any, int], Any]:
        """Loader keyed by (arguments, id): one fetch per distinct arguments in a batch."""

        async def load(keys: Sequence[tuple[Any, int]]) -> list[Any]:
            by_args: dict[Any, list[int]] = defaultdict(list)
            for args, owner_id in keys:
                by_args[args].append(owner_id)
            results: dict[tuple[Any, int], Any] = {}
            async with self._sessions() as db:
                for args, ids in by_args.items():
                    found = await fetch(db, args, ids)
                    results.update({(args, i): found.get(i, default) for i in ids})
            return [results[key] for key in keys]

        return DataLoader(load)

    async def _load_sessions(self, ids: Sequence[int]) -> list[SessionView | None]:
        async with self._sessions() as db:
            found = await sessions_by_id(db, ids, self._now)
        return [found.get(i) for i in ids]

    async def _load_history(self, booking_ids: Sequence[int]) -> list[list[BookingEvent]]:
        async with self._sessions() as db:
            found = await history_of(db, list(booking_ids))
        return [found.get(i, []) for i in booking_ids]

    async def _load_stops(self, tour_ids: Sequence[int]) -> list[list[Village]]:
        grouped: dict[int, list[Village]] = defaultdict(list)
        async with self._sessions() as db:
            query = (
                select(TourStop.tour_id, Village)
                .join(Village, Village.id == TourStop.village_id)
                .where(TourStop.tour_id.in_(tour_ids))
                .order_by(TourStop.tour_id, TourStop.position)
            )
            for tour_id, village in await db.execute(query):
                grouped[tour_id].append(village)
        return [grouped.get(i, []) for i in tour_ids]

    async def _fetch_session_pages(
        self, db: AsyncSession, args: tuple[SessionWindow, int, int], ids: list[int]
    ) -> dict[int, Any]:
        window, offset, limit = args
        return await sessions_of_tours(db, ids, window, self._now, offset, limit)

    async def _fetch_session_counts(self, db: AsyncSession, window: SessionWindow, ids: list[int]) -> dict[int, Any]:
        return await session_counts(db, ids, window, self._now)

    async def _fetch_tour_pages(self, db: AsyncSession, args: tuple[str, int, int], ids: list[int]) -> dict[int, Any]:
        column, offset, limit = args
        return await tours_grouped_by(db, column, ids, offset, limit)

    async def _fetch_tour_counts(self, db: AsyncSession, column: str, ids: list[int]) -> dict[int, Any]:
        return await tour_counts_grouped_by(db, column, ids)
