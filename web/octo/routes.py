"""The OCTO endpoints under /octo, with and without the trailing slash the OCTO document uses.
Every answer carries Octo-Capabilities (those of the request Craftway has) and Content-Language;
every refusal is OCTO's error object with status 400."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from models.booking.requests import DEFAULT_HOLD_MINUTES, MAX_HOLD_MINUTES
from models.octo import bookings, render
from models.octo.capabilities import Asked, capability_list
from models.octo.catalog import offer_of, offers
from models.octo.errors import OctoError, bad_request
from models.octo.ids import OPTION_ID, parse_availability_id
from models.octo.render import Offer
from models.queries.sessions import sessions_starting_between
from models.tables import Principal
from models.timeutil import LOCAL_TZ
from schema.urls import absolute_url
from web.octo import reading
from web.octo.reading import asked as read_asked

Work = Callable[[Request, Asked], Awaitable[Any]]
MAX_AVAILABILITY_DAYS = 100
MAX_CALENDAR_DAYS = 366


def _answer(work: Work, *, public: bool = False) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        asked = read_asked(request)
        # One database session for the request's reads (the token, the product, the sessions);
        # writes go through the domain operations, which open their own.
        async with request.app.state.sessions() as db:
            request.state.db = db
            try:
                if not public:
                    if "octo-capabilities" not in request.headers:
                        raise bad_request("send the Octo-Capabilities header (empty for none)")
                    request.state.reseller = await reading.reseller(request, db)
                    await db.commit()  # no snapshot stays open while a write runs
                body = await work(request, asked)
            except OctoError as refused:
                return JSONResponse(refused.body(), status_code=400)
        headers = {"Octo-Capabilities": asked.header, "Content-Language": asked.language}
        return JSONResponse(body, headers=headers)

    return endpoint


def _now(request: Request) -> datetime:
    clock: Callable[[], datetime] = request.app.state.clock
    return clock()


def _db(request: Request) -> AsyncSession:
    found: AsyncSession = request.state.db
    return found


def _reseller(request: Request) -> Principal:
    found: Principal = request.state.reseller
    return found


async def supplier(request: Request, _asked: Asked) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {
        "id": "craftway",
        "name": "Craftway",
        "endpoint": absolute_url(base, "/octo"),
        "contact": {
            "website": absolute_url(base, "/"),
            "email": None,
            "telephone": None,
            "address": "Hà Nội, Việt Nam",
        },
    }


async def capabilities(_request: Request, _asked: Asked) -> list[dict[str, Any]]:
    return capability_list()


async def products(request: Request, asked: Asked) -> list[dict[str, Any]]:
    found = await offers(_db(request), _now(request))
    return [render.product(offer, asked) for offer in found]


async def _offer(request: Request, product_id: object, *, start_times: bool = True) -> Offer:
    if not isinstance(product_id, str) or not product_id or len(product_id) > 200:
        raise OctoError("INVALID_PRODUCT_ID", "productId must be a product's id", productId=product_id)
    offer = await offer_of(_db(request), product_id, _now(request), start_times=start_times)
    if offer is None:
        raise OctoError("INVALID_PRODUCT_ID", "no product with this id", productId=product_id)
    return offer


async def product(request: Request, asked: Asked) -> dict[str, Any]:
    return render.product(await _offer(request, request.path_params["id"]), asked)


def _units(body: dict[str, Any], offer: Offer) -> dict[str, int] | None:
    units = body.get("units")
    if units is None:
        return None
    if not isinstance(units, list) or len(units) > 20:
        raise bad_request("units must be a list of {id, quantity}")
    known = {p.category for p in offer.prices}
    wanted: dict[str, int] = {}
    for item in units:
        if not isinstance(item, dict):
            raise bad_request("units must be a list of {id, quantity}")
        unit_id, quantity = item.get("id"), reading.integer(item, "quantity")
        if not isinstance(unit_id, str) or unit_id not in known:
            raise OctoError("INVALID_UNIT_ID", f"this product has no unit {unit_id}", unitId=unit_id)
        if quantity is None or not 0 <= quantity <= 1000:
            raise bad_request("units: quantity must be an integer from 0")
        wanted[unit_id] = wanted.get(unit_id, 0) + quantity
    return wanted


async def _checked_offer(request: Request, body: dict[str, Any]) -> Offer:
    offer = await _offer(request, body.get("productId"), start_times=False)
    if body.get("optionId") != OPTION_ID:
        raise OctoError("INVALID_OPTION_ID", "the only option is DEFAULT", optionId=body.get("optionId"))
    return offer


def _window(body: dict[str, Any], longest: int) -> tuple[datetime, datetime]:
    """The UTC span of localDateStart..localDateEnd, both days included."""
    first = reading.local_date(body.get("localDateStart"), "localDateStart")
    last = reading.local_date(body.get("localDateEnd"), "localDateEnd")
    if first is None or last is None:
        raise bad_request("give localDateStart and localDateEnd (or availabilityIds)")
    if last < first or (last - first).days >= longest:
        raise bad_request(f"localDateEnd must be on or after localDateStart, at most {longest} days on")
    start = datetime.combine(first, datetime.min.time(), LOCAL_TZ)
    return start, datetime.combine(last + timedelta(days=1), datetime.min.time(), LOCAL_TZ)


async def availability(request: Request, asked: Asked) -> list[dict[str, Any]]:
    body = await reading.json_body(request)
    offer = await _checked_offer(request, body)
    units = _units(body, offer)
    ids = body.get("availabilityIds")
    if ids is not None:
        if not isinstance(ids, list) or not ids or len(ids) > 500 or not all(isinstance(i, str) for i in ids):
            raise bad_request("availabilityIds must be a list of availability ids")
        starts = {moment for i in ids if (moment := parse_availability_id(i)) is not None}
        if not starts:
            return []
        start, end = min(starts), max(starts) + timedelta(seconds=1)
    else:
        start, end = _window(body, MAX_AVAILABILITY_DAYS)
        starts = None
    now = _now(request)
    found = await sessions_starting_between(_db(request), offer.tour.pk, start, end, now)
    chosen = [s for s in found if s.status == "SCHEDULED" and (starts is None or s.starts_at in starts)]
    return [render.availability(s, offer, asked, now, units) for s in chosen]


async def calendar(request: Request, asked: Asked) -> list[dict[str, Any]]:
    body = await reading.json_body(request)
    offer = await _checked_offer(request, body)
    _units(body, offer)
    start, end = _window(body, MAX_CALENDAR_DAYS)
    now = _now(request)
    found = await sessions_starting_between(_db(request), offer.tour.pk, start, end, now)
    by_day: dict[Any, list[Any]] = {}
    for session in found:
        if session.status == "SCHEDULED":
            by_day.setdefault(session.starts_at.astimezone(LOCAL_TZ).date(), []).append(session)
    days = (start.date() + timedelta(days=n) for n in range((end - start).days))
    return [render.calendar_day(day, by_day.get(day, []), offer, asked, now) for day in days]


def _booking(found: bookings.Found, asked: Asked, now: datetime) -> dict[str, Any]:
    return render.booking(
        found.booking, found.octo, found.status(now), found.session, found.offer, asked, now, found.cancellable
    )


def _unit_items(value: object) -> tuple[bookings.UnitItem, ...]:
    if not isinstance(value, list) or not value or len(value) > reading.MAX_UNIT_ITEMS:
        raise bad_request(f"unitItems must list 1 to {reading.MAX_UNIT_ITEMS} items, each with a unitId")
    items = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("unitId"), str):
            raise bad_request("each of unitItems needs a unitId")
        given = item.get("uuid")
        items.append(
            bookings.UnitItem(
                reading.uuid(given, "unitItems.uuid") if given is not None else None,
                item["unitId"],
                reading.text(item, "resellerReference"),
            )
        )
    return tuple(items)


async def reserve(request: Request, asked: Asked) -> dict[str, Any]:
    body = await reading.json_body(request)
    minutes = reading.integer(body, "expirationMinutes")
    if minutes is not None and not 1 <= minutes <= MAX_HOLD_MINUTES:
        raise bad_request(f"expirationMinutes must be between 1 and {MAX_HOLD_MINUTES}")
    availability_id = reading.text(body, "availabilityId", required=True, max_length=100)
    product_id, option_id = body.get("productId"), body.get("optionId")
    reservation = bookings.Reservation(
        uuid=reading.uuid(body["uuid"], "uuid") if body.get("uuid") is not None else str(uuid4()),
        product_id=product_id if isinstance(product_id, str) else "",
        option_id=option_id if isinstance(option_id, str) else "",
        availability_id=availability_id or "",
        unit_items=_unit_items(body.get("unitItems")),
        expiration_minutes=minutes,
        reseller_reference=reading.text(body, "resellerReference"),
        notes=reading.text(body, "notes", max_length=1000),
        contact=reading.contact(body.get("contact"), required=False),
    )
    now = _now(request)
    return _booking(
        await bookings.reserve(request.app.state.sessions, _reseller(request), reservation, now), asked, now
    )


async def list_bookings(request: Request, asked: Asked) -> list[dict[str, Any]]:
    query = request.query_params
    day = reading.local_date(query.get("localDate"), "localDate")
    first = reading.local_date(query.get("localDateStart"), "localDateStart")
    last = reading.local_date(query.get("localDateEnd"), "localDateEnd")
    if (first is None) != (last is None):
        raise bad_request("give both localDateStart and localDateEnd")
    dates = (day, day) if day is not None else (first, last) if first is not None and last is not None else None
    now = _now(request)
    found = await bookings.search(
        request.app.state.sessions,
        _reseller(request),
        now,
        reseller_reference=reading.text(dict(query), "resellerReference"),
        supplier_reference=reading.text(dict(query), "supplierReference", max_length=40),
        local_dates=dates,
    )
    return [_booking(f, asked, now) for f in found]


def _uuid(request: Request) -> str:
    value = request.path_params["uuid"]
    try:
        return reading.uuid(value, "uuid")
    except OctoError:
        raise OctoError("INVALID_BOOKING_UUID", "no booking with this uuid", uuid=value[:100]) from None


async def get_booking(request: Request, asked: Asked) -> dict[str, Any]:
    uuid, now = _uuid(request), _now(request)
    found = await bookings.find(request.app.state.sessions, _reseller(request), uuid, now)
    if found is None:
        raise OctoError("INVALID_BOOKING_UUID", "no booking with this uuid", uuid=uuid)
    return _booking(found, asked, now)


async def confirm(request: Request, asked: Asked) -> dict[str, Any]:
    uuid, now = _uuid(request), _now(request)
    body = await reading.json_body(request)
    contact = reading.contact(body.get("contact"), required=True)
    assert contact is not None
    reference = reading.text(body, "resellerReference")
    found = await bookings.confirm(request.app.state.sessions, _reseller(request), uuid, contact, reference, now)
    return _booking(found, asked, now)


async def cancel(request: Request, asked: Asked) -> dict[str, Any]:
    uuid, now = _uuid(request), _now(request)
    body = await reading.json_body(request, required=False)
    reason = reading.text(body, "reason", max_length=500)
    found = await bookings.cancel(request.app.state.sessions, _reseller(request), uuid, reason, now)
    return _booking(found, asked, now)


async def extend(request: Request, asked: Asked) -> dict[str, Any]:
    uuid, now = _uuid(request), _now(request)
    body = await reading.json_body(request, required=False)
    minutes = reading.integer(body, "expirationMinutes") or DEFAULT_HOLD_MINUTES
    found = await bookings.extend(request.app.state.sessions, _reseller(request), uuid, minutes, now)
    return _booking(found, asked, now)


async def update(request: Request, _asked: Asked) -> dict[str, Any]:
    _uuid(request)
    raise bad_request("changing a booking is not supported: cancel it and reserve again")


Endpoint = Callable[[Request], Awaitable[Response]]


def _path(path: str, by_method: dict[str, Endpoint]) -> list[Route]:
    """One resource at `path` and at `path/` (the OCTO document writes some with the slash), its
    methods in one route so that a 405 lists them all in Allow."""

    async def endpoint(request: Request) -> Response:
        return await by_method[request.method](request)

    methods = list(by_method)
    return [Route(f"/octo{path}", endpoint, methods=methods), Route(f"/octo{path}/", endpoint, methods=methods)]


def octo_routes() -> list[Route]:
    return [
        *_path("/supplier", {"GET": _answer(supplier)}),
        *_path("/capabilities", {"GET": _answer(capabilities, public=True)}),
        *_path("/products", {"GET": _answer(products)}),
        *_path("/products/{id}", {"GET": _answer(product)}),
        *_path("/availability", {"POST": _answer(availability)}),
        *_path("/availability/calendar", {"POST": _answer(calendar)}),
        *_path("/bookings", {"GET": _answer(list_bookings), "POST": _answer(reserve)}),
        *_path("/bookings/{uuid}", {"GET": _answer(get_booking), "PATCH": _answer(update)}),
        *_path("/bookings/{uuid}/confirm", {"POST": _answer(confirm)}),
        *_path("/bookings/{uuid}/cancel", {"POST": _answer(cancel)}),
        *_path("/bookings/{uuid}/extend", {"POST": _answer(extend)}),
    ]
