"""Writing webhook deliveries in the transaction of the change they report.

Who hears of what (../shared/CONTRACT.graphql): an operator, of its own bookings (also when a
center cancels them) and SESSION_* of sessions where it holds live bookings; center staff, of
SESSION_* and BOOKING_* of their center's sessions, without the customer's contact details.
WAITLIST_* events go to the entry's operator and to its session's center, like BOOKING_*.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.queries.sessions import sessions_by_id
from models.tables import Booking, Principal, Tour, WaitlistEntry, WebhookDelivery, WebhookEndpoint
from models.webhooks import payloads


@dataclass(frozen=True)
class Facts:
    """What changed, as the transaction has it."""

    now: datetime
    tours: dict[int, Tour]  # session id -> its tour
    bookings: dict[int, Booking]  # those changed, and the offers of the entries below
    entries: dict[int, WaitlistEntry]  # waiting-list entries with events


@dataclass(frozen=True)
class Audience:
    endpoint: WebhookEndpoint
    role: str
    center_id: int | None


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


async def _endpoints(db: AsyncSession, operators: set[int], centers: set[int]) -> list[Audience]:
    if not operators and not centers:
        return []
    query = (
        select(WebhookEndpoint, col(Principal.role), col(Principal.center_id))
        .join(Principal, col(Principal.id) == col(WebhookEndpoint.principal_id))
        .where(
            col(WebhookEndpoint.enabled),
            or_(
                and_(col(Principal.role) == "OPERATOR", col(Principal.id).in_(operators)),
                and_(col(Principal.role) == "CENTER_STAFF", col(Principal.center_id).in_(centers)),
            ),
        )
        .order_by(col(WebhookEndpoint.id))
    )
    return [Audience(endpoint, role, center) for endpoint, role, center in (await db.execute(query)).all()]


async def _live_operators(db: AsyncSession, session_ids: Iterable[int], now: datetime) -> dict[int, set[int]]:
    """Session id -> operators holding live (confirmed, or held and not lapsed) bookings in it."""
    ids = list(session_ids)
    if not ids:
        return {}
    query = select(col(Booking.session_id), col(Booking.principal_id)).where(
        col(Booking.session_id).in_(ids),
        or_(
            col(Booking.status) == "CONFIRMED",
            and_(col(Booking.status) == "HELD", col(Booking.hold_expires_at) > now),
        ),
    )
    found: dict[int, set[int]] = {}
    for session_id, principal_id in (await db.execute(query)).all():
        found.setdefault(session_id, set()).add(principal_id)
    return found


def _center_of(facts: Facts, session_id: int) -> int | None:
    return facts.tours[session_id].center_id


def _hears(audience: Audience, event: str, operators: set[int], center_id: int | None) -> bool:
    if event not in audience.endpoint.events:
        return False
    if audience.role == "OPERATOR":
        return audience.endpoint.principal_id in operators
    return center_id is not None and audience.center_id == center_id


async def enqueue(
    db: AsyncSession,
    facts: Facts,
    session_events: dict[int, list[str]],
    booking_events: dict[int, list[str]],
    entry_events: dict[int, list[str]],
) -> int:
    """Write one PENDING delivery per event and endpoint that hears it; how many."""
    session_events = {sid: events for sid, events in session_events.items() if events}
    entry_events = {eid: events for eid, events in entry_events.items() if events}
    if not session_events and not booking_events and not entry_events:
        return 0
    live = await _live_operators(db, session_events, facts.now)
    for booking_id in booking_events:  # a booking this change ended (a session's cancellation) still counts
        booking = facts.bookings[booking_id]
        live.setdefault(booking.session_id, set()).add(booking.principal_id)
    operators = {facts.bookings[b].principal_id for b in booking_events}
    operators.update(facts.entries[e].principal_id for e in entry_events)
    operators.update(p for s in session_events for p in live.get(s, ()))
    touched = [
        *session_events,
        *(facts.bookings[b].session_id for b in booking_events),
        *(facts.entries[e].session_id for e in entry_events),
    ]
    centers = {center for s in touched if (center := _center_of(facts, s)) is not None}
    audiences = await _endpoints(db, operators, centers)
    if not audiences:
        return 0
    sessions = await sessions_by_id(db, sorted(facts.tours), facts.now)  # as readers will see them
    deliveries: list[WebhookDelivery] = []

    def send(audience: Audience, event: str, body: str) -> None:
        deliveries.append(
            WebhookDelivery(
                endpoint_id=audience.endpoint.pk,
                message_id=new_message_id(),
                event_type=event,
                payload=body,
                next_attempt_at=facts.now,
                created_at=facts.now,
            )
        )

    for booking_id, events in booking_events.items():
        booking = facts.bookings[booking_id]
        session, tour = sessions[booking.session_id], facts.tours[booking.session_id]
        for audience in audiences:
            for event in events:
                if _hears(audience, event, {booking.principal_id}, tour.center_id):
                    data = payloads.booking_data(booking, session, tour, facts.now, contact=audience.role == "OPERATOR")
                    send(audience, event, payloads.body(event, facts.now, "booking", booking.sequence, data))
    for entry_id, events in entry_events.items():
        entry = facts.entries[entry_id]
        session, tour = sessions[entry.session_id], facts.tours[entry.session_id]
        offer = facts.bookings.get(entry.offer_booking_id) if entry.offer_booking_id is not None else None
        for audience in audiences:
            for event in events:
                if _hears(audience, event, {entry.principal_id}, tour.center_id):
                    contact = audience.role == "OPERATOR"
                    data = payloads.entry_data(entry, offer, session, tour, facts.now, contact=contact)
                    send(audience, event, payloads.body(event, facts.now, "entry", entry.sequence, data))
    for session_id, events in session_events.items():
        session, tour = sessions[session_id], facts.tours[session_id]
        for audience in audiences:
            for event in events:
                if _hears(audience, event, live.get(session_id, set()), tour.center_id):
                    data = payloads.session_data(session, tour, facts.now)
                    send(audience, event, payloads.body(event, facts.now, "session", session.version, data))
    db.add_all(deliveries)
    return len(deliveries)
