"""The per-request context: a session factory (never a shared session), the clock reading of
this request, the caller, and the request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from models.booking.queries import (
    bookings_of,
    count_bookings_of,
    owned_booking,
    owned_booking_by_id,
)
from models.queries.sessions import SessionWindow
from models.tables import Principal
from resolvers.auth import require_role
from resolvers.loaders import Loaders
from schema.pagination import Connection, connection, page_args
from schema.types.booking import Booking
from schema.types.session import Session
from schema.types.tour import Tour

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


@dataclass
class Context:
    sessions: async_sessionmaker[AsyncSession]
    now: datetime
    principal: Principal | None = None
    bad_token: bool = False  # a token was sent but is unknown or revoked
    base_url: str = DEFAULT_BASE_URL
    request: Any = None
    response: Any = None  # the HTTP sub-response: extensions may set its status and headers
    request_id: str | None = None
    rate_limiter: Any = None
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.sessions, self.now)

    def rate_limit_keys(self) -> list[str]:
        """Mutations count against the caller's token (principal) and client address."""
        keys = []
        if self.principal is not None:
            keys.append(f"principal:{self.principal.id}")
        client = getattr(self.request, "client", None)
        keys.append(f"address:{client.host if client else 'unknown'}")
        return keys

    def absolute_url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    async def tours_of(self, column: str, owner_id: int, first: int | None, after: str | None) -> Connection[Tour]:
        """A page of the tours of a village or center (`column` names the owning column)."""
        page = page_args(first, after)
        rows = await self.loaders.tour_pages.load(((column, page.offset, page.probe), owner_id))
        return connection(
            [Tour.from_row(r) for r in rows],
            page,
            lambda: self.loaders.tour_counts.load((column, owner_id)),
        )

    async def sessions_of(
        self,
        tour_id: int,
        starts_after: datetime | None,
        starts_before: datetime | None,
        only_available: bool | None,
        first: int | None,
        after: str | None,
    ) -> Connection[Session]:
        """A page of a tour's sessions; without `starts_after`, upcoming ones only."""
        page = page_args(first, after)
        window = SessionWindow(
            starts_after=starts_after if starts_after is not None else self.now,
            starts_before=starts_before,
            only_available=bool(only_available),
        )
        views = await self.loaders.session_pages.load(((window, page.offset, page.probe), tour_id))
        return connection(
            [Session.from_view(v, self.now) for v in views],
            page,
            lambda: self.loaders.session_counts.load((window, tour_id)),
        )

    async def private_node(self, type_name: str, pk: int) -> Any:
        """Objects only their owner may see by global id: others get null, as for a missing one."""
        if type_name != "Booking" or self.principal is None:
            return None
        async with self.sessions() as db:
            row = await owned_booking_by_id(db, self.principal.id, pk)  # type: ignore[arg-type]
        return Booking.from_row(row, self.now) if row else None

    async def viewer_bookings(self, status: str | None, first: int | None, after: str | None) -> Connection[Booking]:
        operator = self._operator()
        page = page_args(first, after)
        async with self.sessions() as db:
            rows = await bookings_of(db, operator.id, status, self.now, page.offset, page.probe)  # type: ignore[arg-type]

        async def count() -> int:
            async with self.sessions() as db:
                return await count_bookings_of(db, operator.id, status, self.now)  # type: ignore[arg-type]

        return connection([Booking.from_row(r, self.now) for r in rows], page, count)

    async def own_booking(self, reference: str) -> Booking | None:
        operator = self._operator()
        async with self.sessions() as db:
            row = await owned_booking(db, operator.id, reference)  # type: ignore[arg-type]
        return Booking.from_row(row, self.now) if row else None

    def _operator(self) -> Principal:
        return require_role(self, "OPERATOR")
