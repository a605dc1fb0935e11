"""Craftway's rows as OCTO objects (the shapes of @octocloud/types' openapi.yaml). Prices are
whole VND (currencyPrecision 0); texts follow the request's language with octo/content."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from models.language import in_language
from models.octo.capabilities import Asked
from models.octo.ids import OPTION_ID, availability_id, unit_type, utc
from models.queries.sessions import SessionView
from models.tables import Booking, OctoBooking, TicketPrice, Tour
from models.timeutil import to_local

CURRENCY = "VND"
OCTO_STATUS = {"HELD": "ON_HOLD", "CONFIRMED": "CONFIRMED", "CANCELLED": "CANCELLED", "EXPIRED": "EXPIRED"}


@dataclass(frozen=True, slots=True)
class Offer:
    """A tour as OCTO sells it: the tour, its prices in order, and its sessions' local start times."""

    tour: Tour
    prices: Sequence[TicketPrice]
    start_times: Sequence[str]  # "09:00", sorted


def pricing(amount: int, unit_id: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"unitId": unit_id} if unit_id is not None else {}
    found.update(original=amount, retail=amount, net=None, currency=CURRENCY, currencyPrecision=0, includedTaxes=[])
    return found


def _title(tour: Tour, language: str) -> str:
    return in_language(language, tour.title, tour.title_en) or tour.title


def unit(price: TicketPrice, tour: Tour, asked: Asked) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": price.category,
        "internalName": price.label,
        "reference": None,
        "type": unit_type(price.category),
        "restrictions": {
            "minAge": 0,
            "maxAge": 100,
            "idRequired": False,
            "minQuantity": None,
            "maxQuantity": tour.max_per_booking,
            "paxCount": 1,
            "accompaniedBy": [],
        },
        "requiredContactFields": [],
    }
    if asked.content:
        found.update(title=price.label, shortDescription="")
    if asked.pricing:
        found.update(pricingFrom=[pricing(price.price_vnd)], pricing=[pricing(price.price_vnd)])
    return found


def option(offer: Offer, asked: Asked) -> dict[str, Any]:
    tour = offer.tour
    cutoff_hours, rest = divmod(tour.cancellation_cutoff_minutes, 60)
    amount, duration_unit = (cutoff_hours, "hour") if rest == 0 else (tour.cancellation_cutoff_minutes, "minute")
    found: dict[str, Any] = {
        "id": OPTION_ID,
        "default": True,
        "internalName": OPTION_ID,
        "reference": None,
        "availabilityLocalStartTimes": list(offer.start_times),
        "cancellationCutoff": f"{amount} {duration_unit}s",
        "cancellationCutoffAmount": amount,
        "cancellationCutoffUnit": duration_unit,
        "requiredContactFields": ["firstName", "lastName"],
        "restrictions": {"minUnits": 1, "maxUnits": tour.max_per_booking},
        "units": [unit(p, tour, asked) for p in offer.prices],
    }
    if asked.content:
        found.update(title=_title(tour, asked.language), shortDescription=None, description=None)
    if asked.pricing and offer.prices:
        cheapest = min(p.price_vnd for p in offer.prices)
        found.update(pricingFrom=[pricing(cheapest)], pricing=[pricing(cheapest)])
    return found


def product(offer: Offer, asked: Asked) -> dict[str, Any]:
    tour = offer.tour
    found: dict[str, Any] = {
        "id": tour.slug,
        "internalName": tour.title,
        "reference": None,
        "locale": asked.language,
        "timeZone": "Asia/Ho_Chi_Minh",
        "allowFreesale": False,
        "instantConfirmation": True,
        "instantDelivery": True,
        "availabilityRequired": True,
        "availabilityType": "START_TIME",
        "deliveryFormats": [],
        "deliveryMethods": ["VOUCHER"],
        "redemptionMethod": "MANIFEST",  # the center checks names against its list
        "options": [option(offer, asked)],
    }
    if asked.content:
        description = in_language(asked.language, tour.description, tour.description_en)
        found.update(
            title=_title(tour, asked.language),
            shortDescription=None,
            description=description,
            durationMinutesFrom=tour.duration_minutes,
            durationMinutesTo=tour.duration_minutes,
        )
    if asked.pricing:
        found.update(defaultCurrency=CURRENCY, availableCurrencies=[CURRENCY], pricingPer="UNIT")
    return found


def availability(
    session: SessionView, offer: Offer, asked: Asked, now: datetime, units: dict[str, int] | None = None
) -> dict[str, Any]:
    status = session.availability(now)
    wanted = sum(units.values()) if units else 1
    found: dict[str, Any] = {
        "id": availability_id(session.starts_at),
        "localDateTimeStart": to_local(session.starts_at).isoformat(),
        "localDateTimeEnd": to_local(session.ends_at).isoformat(),
        "utcCutoffAt": utc(session.booking_closes_at),
        "allDay": False,
        "available": status in ("AVAILABLE", "LIMITED") and session.seats_available >= wanted,
        "status": status,
        "vacancies": session.seats_available if status != "CLOSED" else 0,
        "capacity": session.capacity,
        "maxUnits": min(offer.tour.max_per_booking, session.seats_available),
        "openingHours": [],
    }
    if asked.pricing:
        prices = {p.category: p.price_vnd for p in offer.prices}
        found["unitPricing"] = [pricing(price, category) for category, price in prices.items()]
        if units:
            found["pricing"] = pricing(sum(prices.get(c, 0) * n for c, n in units.items()))
    return found


def calendar_day(
    day: date, sessions: Sequence[SessionView], offer: Offer, asked: Asked, now: datetime
) -> dict[str, Any]:
    """One local day: the best status of its sessions, their highest vacancies."""
    statuses = [s.availability(now) for s in sessions]
    rank = ["AVAILABLE", "LIMITED", "SOLD_OUT", "CLOSED"]
    best = min(statuses, key=rank.index) if statuses else "CLOSED"
    open_sessions = [s for s, status in zip(sessions, statuses, strict=True) if status in ("AVAILABLE", "LIMITED")]
    found: dict[str, Any] = {
        "localDate": day.isoformat(),
        "available": bool(open_sessions),
        "status": best,
        "vacancies": max((s.seats_available for s in open_sessions), default=0),
        "capacity": max((s.capacity for s in sessions), default=0),
        "openingHours": [],
    }
    if asked.pricing and offer.prices:
        found["unitPricingFrom"] = [pricing(p.price_vnd, p.category) for p in offer.prices]
        found["pricingFrom"] = pricing(min(p.price_vnd for p in offer.prices))
    return found


def _contact(name: str | None, phone: str | None, email: str | None, language: str | None) -> dict[str, Any]:
    first, _, last = (name or "").partition(" ")
    return {
        "fullName": name,
        "firstName": first or None,
        "lastName": last or None,
        "emailAddress": email,
        "phoneNumber": phone,
        "locales": [language] if language else [],
        "postalCode": None,
        "country": None,
        "notes": None,
    }


def booking(
    row: Booking,
    octo: OctoBooking,
    status: str,
    session: SessionView,
    offer: Offer,
    asked: Asked,
    now: datetime,
    cancellable: bool,
) -> dict[str, Any]:
    """`status`: the booking's effective status (a lapsed hold reads EXPIRED)."""
    octo_status = OCTO_STATUS[status]
    prices = {p.category: p.price_vnd for p in offer.prices}
    items = []
    for item in octo.unit_items:
        made: dict[str, Any] = {
            "uuid": item["uuid"],
            "resellerReference": item.get("resellerReference"),
            "supplierReference": None,
            "unitId": item["unitId"],
            "status": octo_status,
            "utcRedeemedAt": None,
            "contact": _contact(None, None, None, None),
            "ticket": None,
        }
        if asked.pricing:
            made["pricing"] = pricing(prices.get(item["unitId"], 0))
        items.append(made)
    cancellation = None
    if status == "CANCELLED":
        cancellation = {"refund": "FULL", "reason": row.cancel_reason, "utcCancelledAt": utc(row.cancelled_at)}
    found: dict[str, Any] = {
        "id": octo.uuid,
        "uuid": octo.uuid,
        "testMode": False,
        "resellerReference": octo.reseller_reference,
        "supplierReference": row.reference,
        "status": octo_status,
        "utcCreatedAt": utc(row.created_at),
        "utcUpdatedAt": utc(row.updated_at),
        "utcExpiresAt": utc(row.hold_expires_at) if status == "HELD" else None,
        "utcRedeemedAt": None,
        "utcConfirmedAt": utc(row.confirmed_at),
        "productId": offer.tour.slug,
        "optionId": OPTION_ID,
        "cancellable": cancellable,
        "cancellation": cancellation,
        "freesale": False,
        "availabilityId": availability_id(session.starts_at),
        "availability": availability(session, offer, asked, now),
        "contact": _contact(row.contact_name, row.contact_phone, row.contact_email, asked.language),
        "notes": octo.notes,
        "deliveryMethods": ["VOUCHER"],
        "voucher": None,
        "unitItems": items,
    }
    if asked.pricing:
        found["pricing"] = pricing(row.total_vnd)
    return found
