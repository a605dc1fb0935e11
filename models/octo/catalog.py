"""The tours OCTO sells and their sessions, read in a number of statements fixed by the request:
one for the tours, one for their prices, one for their start times, one for a window of sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.octo.render import Offer
from models.tables import TicketPrice, Tour, TourSession
from models.timeutil import to_local


async def offers(
    db: AsyncSession,
    now: datetime,
    *,
    slug: str | None = None,
    tour_ids: Sequence[int] | None = None,
    start_times: bool = True,
) -> list[Offer]:
    """Tours on sale (archived ones are not), in catalogue order; only `slug`'s when given. With
    `tour_ids`, those tours, archived or not (bookings of a tour outlive its sale). Without
    `start_times` (which only products list), one statement less."""
    query = select(Tour).order_by(col(Tour.id))
    if tour_ids is not None:
        query = query.where(col(Tour.id).in_(list(tour_ids)))
    else:
        query = query.where(~col(Tour.archived))
    if slug is not None:
        query = query.where(col(Tour.slug) == slug)
    tours = list((await db.execute(query)).scalars())
    if not tours:
        return []
    ids = [t.pk for t in tours]
    prices: dict[int, list[TicketPrice]] = {}
    price_rows = select(TicketPrice).where(col(TicketPrice.tour_id).in_(ids))
    for price in (await db.execute(price_rows.order_by(col(TicketPrice.position), col(TicketPrice.id)))).scalars():
        prices.setdefault(price.tour_id, []).append(price)
    starts: dict[int, set[str]] = {}
    if not start_times:
        return [Offer(t, prices.get(t.pk, []), []) for t in tours]
    upcoming = select(col(TourSession.tour_id), col(TourSession.starts_at)).where(
        col(TourSession.tour_id).in_(ids), col(TourSession.status) == "SCHEDULED", col(TourSession.starts_at) > now
    )
    for tour_id, starts_at in (await db.execute(upcoming)).all():
        starts.setdefault(tour_id, set()).add(to_local(starts_at).strftime("%H:%M"))
    return [Offer(t, prices.get(t.pk, []), sorted(starts.get(t.pk, ()))) for t in tours]


async def offer_of(db: AsyncSession, slug: str, now: datetime, *, start_times: bool = True) -> Offer | None:
    found = await offers(db, now, slug=slug, start_times=start_times)
    return found[0] if found else None

