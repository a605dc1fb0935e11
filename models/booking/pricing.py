"""What a group's tickets cost on a tour, checked against the tour's categories and group size."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking.requests import TicketLine
from models.errors import InvalidInput
from models.tables import TicketPrice, Tour


async def _prices(db: AsyncSession, tour: Tour) -> dict[str, int]:
    rows = (await db.execute(select(TicketPrice).where(col(TicketPrice.tour_id) == tour.id))).scalars()
    return {p.category: p.price_vnd for p in rows}


def _problem(prices: dict[str, int], tour: Tour, tickets: tuple[TicketLine, ...]) -> str | None:
    """Why the tour cannot sell these tickets, or None."""
    for line in tickets:
        if line.category not in prices:
            return f"tickets: this tour has no {line.category} tickets (it has {', '.join(sorted(prices))})"
    if sum(line.quantity for line in tickets) > tour.max_per_booking:
        return f"tickets: at most {tour.max_per_booking} seats per booking on this tour"
    return None


async def total_vnd(db: AsyncSession, tour: Tour, tickets: tuple[TicketLine, ...]) -> int:
    """The total, or InvalidInput saying why the tour cannot sell these tickets."""
    prices = await _prices(db, tour)
    problem = _problem(prices, tour, tickets)
    if problem is not None:
        raise InvalidInput(problem, "tickets")
    return sum(prices[line.category] * line.quantity for line in tickets)


async def total_or_reason(db: AsyncSession, tour: Tour, tickets: tuple[TicketLine, ...]) -> int | str:
    """The total, or (for tickets asked for earlier, which the tour may since have changed) why
    the tour can no longer sell them."""
    prices = await _prices(db, tour)
    problem = _problem(prices, tour, tickets)
    return problem if problem is not None else sum(prices[line.category] * line.quantity for line in tickets)
