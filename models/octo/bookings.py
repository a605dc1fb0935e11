"""OCTO's booking calls, each through the domain operation GraphQL uses: a reservation is a
hold (`reserve`), so a reseller's and an operator's bookings compete for the same seats under
the same lock and rules; the booking's uuid is its idempotency key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from uuid import uuid4

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.booking import operations
from models.booking.locking import begin_write
from models.booking.queries import effective_status
from models.booking.requests import DEFAULT_HOLD_MINUTES, Contact, SeatRequest, TicketLine
from models.db import SessionFactory
from models.errors import DomainError
from models.octo.catalog import offer_of, offers
from models.octo.errors import OctoError, from_domain
from models.octo.ids import OPTION_ID, parse_availability_id
from models.octo.render import Offer
from models.queries.sessions import SessionView, sessions_by_id
from models.tables import Booking, OctoBooking, Principal, Tour, TourSession
from models.timeutil import LOCAL_TZ

MAX_LISTED = 500


@dataclass(frozen=True, slots=True)
class UnitItem:
    uuid: str | None  # as the reseller sent it; Craftway gives one to an item without
    unit_id: str
    reseller_reference: str | None = None


@dataclass(frozen=True, slots=True)
class Reservation:
    uuid: str
    product_id: str
    option_id: str
    availability_id: str
    unit_items: tuple[UnitItem, ...]
    expiration_minutes: int | None = None
    reseller_reference: str | None = None
    notes: str | None = None
    contact: Contact | None = None

    def body_hash(self) -> str:
        canonical = json.dumps(asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Found:
    """A booking with what OCTO answers about it."""

    booking: Booking
    octo: OctoBooking
    session: SessionView
    offer: Offer
    cancellable: bool = field(default=False)

    def status(self, now: datetime) -> str:
        return effective_status(self.booking, now)


async def _session_at(db: AsyncSession, offer: Offer, availability_id: str) -> int:
    start = parse_availability_id(availability_id)
    query = select(col(TourSession.id)).where(
        col(TourSession.tour_id) == offer.tour.pk,
        col(TourSession.starts_at) == start,
        col(TourSession.status) == "SCHEDULED",
    )
    found = None if start is None else (await db.execute(query)).scalar_one_or_none()
    if found is None:
        raise OctoError(
            "INVALID_AVAILABILITY_ID", "no session of this product starts then", availabilityId=availability_id
        )
    return int(found)


async def _request(db: AsyncSession, reservation: Reservation, now: datetime) -> SeatRequest:
    offer = await offer_of(db, reservation.product_id, now)
    if offer is None:
        raise OctoError("INVALID_PRODUCT_ID", "no product with this id", productId=reservation.product_id)
    if reservation.option_id != OPTION_ID:
        raise OctoError("INVALID_OPTION_ID", "the only option is DEFAULT", optionId=reservation.option_id)
    units = {p.category for p in offer.prices}
    tickets: dict[str, int] = {}
    for item in reservation.unit_items:
        if item.unit_id not in units:
            raise OctoError("INVALID_UNIT_ID", f"this product has no unit {item.unit_id}", unitId=item.unit_id)
        tickets[item.unit_id] = tickets.get(item.unit_id, 0) + 1
    session_id = await _session_at(db, offer, reservation.availability_id)
    lines = tuple(TicketLine(c, n) for c, n in sorted(tickets.items()))
    minutes = reservation.expiration_minutes or DEFAULT_HOLD_MINUTES
    contact = reservation.contact or Contact(name="")
    return SeatRequest(session_id, lines, contact, f"octo:{reservation.uuid}", minutes)


async def reserve(sessions: SessionFactory, reseller: Principal, reservation: Reservation, now: datetime) -> Found:
    async with sessions() as db:
        request = await _request(db, reservation, now)

    async def attach(db: AsyncSession, booking: Booking) -> None:
        items = [
            {"uuid": i.uuid or str(uuid4()), "unitId": i.unit_id, "resellerReference": i.reseller_reference}
            for i in reservation.unit_items
        ]
        db.add(
            OctoBooking(
                principal_id=reseller.pk,
                uuid=reservation.uuid,
                booking_id=booking.pk,
                body_hash=reservation.body_hash(),
                reseller_reference=reservation.reseller_reference,
                notes=reservation.notes,
                unit_items=items,
                created_at=now,
            )
        )

    try:
        booking = await operations.reserve(sessions, reseller, request, now, confirm=False, attach=attach)
    except DomainError as refused:
        raise from_domain(refused, reservation.uuid) from None
    found = await find(sessions, reseller, reservation.uuid, now)
    if found is None or found.booking.pk != booking.pk or found.octo.body_hash != reservation.body_hash():
        raise OctoError("BAD_REQUEST", "this uuid was used for a different booking request", uuid=reservation.uuid)
    return found


async def _found(db: AsyncSession, rows: Sequence[tuple[Booking, OctoBooking]], now: datetime) -> list[Found]:
    if not rows:
        return []
    views = await sessions_by_id(db, sorted({b.session_id for b, _ in rows}), now)
    tour_of = {v.id: v.tour_id for v in views.values()}
    by_tour = {o.tour.pk: o for o in await offers(db, now, tour_ids=sorted(set(tour_of.values())))}
    made = []
    for booking, octo in rows:
        view = views[booking.session_id]
        offer = by_tour[view.tour_id]
        made.append(Found(booking, octo, view, offer, _cancellable(booking, view, offer.tour, now)))
    return made


def _cancellable(booking: Booking, session: SessionView, tour: Tour, now: datetime) -> bool:
    status = effective_status(booking, now)
    if status == "HELD":
        return True
    cutoff = session.starts_at - timedelta(minutes=tour.cancellation_cutoff_minutes)
    return status == "CONFIRMED" and now < cutoff


def _joined() -> Select[Booking, OctoBooking]:
    return select(Booking, OctoBooking).join(OctoBooking, col(OctoBooking.booking_id) == col(Booking.id))


async def find(sessions: SessionFactory, reseller: Principal, uuid: str, now: datetime) -> Found | None:
    async with sessions() as db:
        query = _joined().where(col(OctoBooking.principal_id) == reseller.pk, col(OctoBooking.uuid) == uuid)
        rows = [(b, o) for b, o in (await db.execute(query)).all()]
        found = await _found(db, rows, now)
    return found[0] if found else None


async def search(
    sessions: SessionFactory,
    reseller: Principal,
    now: datetime,
    *,
    reseller_reference: str | None = None,
    supplier_reference: str | None = None,
    local_dates: tuple[date, date] | None = None,
) -> list[Found]:
    """The reseller's OCTO bookings matching every filter given, newest first."""
    query = _joined().where(col(OctoBooking.principal_id) == reseller.pk)
    if reseller_reference is not None:
        query = query.where(col(OctoBooking.reseller_reference) == reseller_reference)
    if supplier_reference is not None:
        query = query.where(col(Booking.reference) == supplier_reference.strip().upper())
    if local_dates is not None:
        first, last = local_dates
        start = datetime.combine(first, datetime.min.time(), LOCAL_TZ)
        end = datetime.combine(last + timedelta(days=1), datetime.min.time(), LOCAL_TZ)
        query = query.join(TourSession, col(TourSession.id) == col(Booking.session_id)).where(
            col(TourSession.starts_at) >= start, col(TourSession.starts_at) < end
        )
    query = query.order_by(col(Booking.created_at).desc(), col(Booking.id).desc()).limit(MAX_LISTED)
    async with sessions() as db:
        rows = [(b, o) for b, o in (await db.execute(query)).all()]
        return await _found(db, rows, now)


async def _owned(sessions: SessionFactory, reseller: Principal, uuid: str, now: datetime) -> Found:
    found = await find(sessions, reseller, uuid, now)
    if found is None:
        raise OctoError("INVALID_BOOKING_UUID", "no booking with this uuid", uuid=uuid)
    return found


async def _change(
    sessions: SessionFactory, reseller: Principal, uuid: str, now: datetime, change: Callable[[str], Awaitable[object]]
) -> Found:
    """Apply `change` (a domain operation, given the booking's reference) to the reseller's
    booking `uuid`; the booking after it, or OCTO's error for the refusal."""
    found = await _owned(sessions, reseller, uuid, now)
    try:
        await change(found.booking.reference)
    except DomainError as refused:
        raise from_domain(refused, uuid) from None
    return await _owned(sessions, reseller, uuid, now)


async def confirm(
    sessions: SessionFactory,
    reseller: Principal,
    uuid: str,
    contact: Contact,
    reseller_reference: str | None,
    now: datetime,
) -> Found:
    """Confirm with the contact; a new resellerReference is kept once the booking is confirmed."""
    found = await _change(
        sessions, reseller, uuid, now, lambda ref: operations.confirm_booking(sessions, reseller, ref, now, contact)
    )
    if reseller_reference is None or reseller_reference == found.octo.reseller_reference:
        return found
    async with sessions() as db:
        await begin_write(db)
        octo = await db.get(OctoBooking, found.octo.pk)
        assert octo is not None
        octo.reseller_reference = reseller_reference
        await db.commit()
    return await _owned(sessions, reseller, uuid, now)


async def cancel(sessions: SessionFactory, reseller: Principal, uuid: str, reason: str | None, now: datetime) -> Found:
    return await _change(
        sessions, reseller, uuid, now, lambda ref: operations.cancel_booking(sessions, reseller, ref, reason, now)
    )


async def extend(sessions: SessionFactory, reseller: Principal, uuid: str, minutes: int, now: datetime) -> Found:
    return await _change(
        sessions, reseller, uuid, now, lambda ref: operations.extend_hold(sessions, reseller, ref, minutes, now)
    )
