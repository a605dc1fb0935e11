"""Webhook bodies, as Standard Webhooks lays them out: {"type", "timestamp", "data"}.

`data.version` rises with every change of the booking or session it describes, so a receiver
that gets two events out of order (retries make that possible) keeps the higher one.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from models.global_ids import encode_id
from models.queries.sessions import SessionView
from models.tables import Booking, Tour, WaitlistEntry
from models.timeutil import to_local


def wire_type(event: str) -> str:
    """BOOKING_CONFIRMED -> "booking.confirmed"; WAITLIST_OFFER_EXPIRED -> "waitlist.offer_expired"."""
    subject, _, action = event.lower().partition("_")
    return f"{subject}.{action}"


def _moment(value: datetime | None) -> str | None:
    return None if value is None else to_local(value).isoformat()


def session_data(session: SessionView, tour: Tour, now: datetime) -> dict[str, Any]:
    return {
        "id": encode_id("Session", session.id),
        "tour": {"id": encode_id("Tour", tour.pk), "slug": tour.slug},
        "startsAt": _moment(session.starts_at),
        "endsAt": _moment(session.ends_at),
        "capacity": session.capacity,
        "seatsAvailable": session.seats_available,
        "status": session.status,
        "availability": session.availability(now),
        "cancelReason": session.cancel_reason,
    }


def booking_data(booking: Booking, session: SessionView, tour: Tour, now: datetime, *, contact: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": encode_id("Booking", booking.pk),
        "reference": booking.reference,
        "status": booking.status,
        "seats": booking.seats,
        "tickets": booking.tickets,
        "totalVnd": booking.total_vnd,
        "holdExpiresAt": _moment(booking.hold_expires_at),
        "cancelReason": booking.cancel_reason,
        "session": session_data(session, tour, now),
    }
    if contact:
        data["contact"] = {
            "name": booking.contact_name,
            "phone": booking.contact_phone,
            "email": booking.contact_email,
        }
    return data


def entry_data(
    entry: WaitlistEntry, offer: Booking | None, session: SessionView, tour: Tour, now: datetime, *, contact: bool
) -> dict[str, Any]:
    """A waiting-list entry; `offer` is the HELD booking made for it, when it was offered seats."""
    return {
        "id": encode_id("WaitlistEntry", entry.pk),
        "status": entry.status,
        "seats": entry.seats,
        "tickets": entry.tickets,
        "offer": None if offer is None else booking_data(offer, session, tour, now, contact=contact),
        "session": session_data(session, tour, now),
    }


def body(event: str, now: datetime, subject: str, version: int, data: dict[str, Any]) -> str:
    """The exact JSON text sent (and signed): compact, UTF-8."""
    envelope = {"type": wire_type(event), "timestamp": _moment(now), "data": {"version": version, subject: data}}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
