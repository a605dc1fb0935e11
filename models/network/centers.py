"""Registering and updating showrooms and design centers.

ADMIN (the programme office) registers centers and may change anything about them; staff of a
center may change its name, address and location, but not the dates that coverage counts by.
Each change runs in one write transaction with its audit entry and raises the catalogue
version, so every server process's read cache sees it at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date, datetime

from models import audit
from models.booking.locking import begin_write
from models.booking.requests import clean_text
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.errors import Forbidden, InvalidInput, NotFound
from models.network.slugs import id_by_slug, unique_slug
from models.tables import Center, CenterPlacement, District, Principal, Village
from models.units.registered import follow_move, place_new_center

CENTER_KINDS = ("OCOP_SHOWROOM", "DESIGN_CENTER")
MAX_NAME_LENGTH = 300
MAX_ADDRESS_LENGTH = 300
# What center staff may change about their own center; the rest is the programme office's.
STAFF_FIELDS = frozenset({"name", "address", "location"})

Sessions = SessionFactory


@dataclass(frozen=True, slots=True)
class Point:
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class NewCenter:
    kind: str
    name: str
    district_slug: str
    village_slug: str | None = None
    commune_slug: str | None = None
    address: str | None = None
    location: Point | None = None
    opened_on: date | None = None


@dataclass(frozen=True, slots=True)
class CenterChanges:
    """Fields to change; None leaves a field as it is."""

    name: str | None = None
    address: str | None = None
    location: Point | None = None
    opened_on: date | None = None
    closed_on: date | None = None

    def given(self) -> set[str]:
        return {f.name for f in fields(self) if getattr(self, f.name) is not None}


def _point(location: Point | None, field: str) -> Point | None:
    if location is None:
        return None
    if not (math.isfinite(location.lat) and math.isfinite(location.lon)):
        raise InvalidInput(f"{field}: lat and lon must be finite numbers", field)
    if not (-90 <= location.lat <= 90 and -180 <= location.lon <= 180):
        raise InvalidInput(f"{field}: lat must be within -90..90 and lon within -180..180", field)
    return location


def _check_dates(opened_on: date | None, closed_on: date | None) -> None:
    if opened_on is not None and closed_on is not None and closed_on < opened_on:
        raise InvalidInput("closedOn must not be before openedOn", "closedOn")


async def register_center(sessions: Sessions, admin: Principal, data: NewCenter, now: datetime) -> Center:
    if data.kind not in CENTER_KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(CENTER_KINDS)}", "kind")
    name = clean_text(data.name, "name", MAX_NAME_LENGTH, required=True)
    address = clean_text(data.address, "address", MAX_ADDRESS_LENGTH)
    location = _point(data.location, "location")
    async with sessions() as db:
        await begin_write(db)
        district_id = await id_by_slug(db, District, data.district_slug, "districtSlug")
        village_id = await id_by_slug(db, Village, data.village_slug, "villageSlug") if data.village_slug else None
        assert name is not None
        point = (location.lat, location.lon) if location else None
        commune_id, placed_by = await place_new_center(db, district_id, data.commune_slug, village_id, point)
        center = Center(
            slug=await unique_slug(db, Center, name, "center"),
            name=name,
            kind=data.kind,
            district_id=district_id,
            village_id=village_id,
            address=address,
            opened_on=data.opened_on,
            opened_on_confidence="verified" if data.opened_on else None,
            lat=location.lat if location else None,
            lon=location.lon if location else None,
        )
        db.add(center)
        await db.flush()
        db.add(CenterPlacement(center_id=center.pk, commune_id=commune_id, placed_by=placed_by))
        summary = audit.describe(
            {
                "kind": data.kind,
                "name": name,
                "districtSlug": data.district_slug,
                "communeSlug": data.commune_slug,
                "openedOn": data.opened_on,
            }
        )
        audit.record(db, admin, "registerCenter", "Center", center.pk, summary, now)
        await commit_write(db)
        return center


def check_may_update(principal: Principal, center: Center, changes: CenterChanges) -> None:
    if principal.role == "ADMIN":
        return
    if principal.role != "CENTER_STAFF" or principal.center_id != center.id:
        raise Forbidden("only the programme office or this center's staff may change it", "centerId")
    reserved = sorted(changes.given() - STAFF_FIELDS)
    if reserved:
        field = {"opened_on": "openedOn", "closed_on": "closedOn"}.get(reserved[0], reserved[0])
        raise Forbidden(f"{field} is set by the programme office, not by center staff", field)


async def update_center(
    sessions: Sessions, principal: Principal, center_id: int, changes: CenterChanges, now: datetime
) -> Center:
    name = clean_text(changes.name, "name", MAX_NAME_LENGTH) if changes.name is not None else None
    if changes.name is not None and name is None:
        raise InvalidInput("name must not be empty", "name")
    address = clean_text(changes.address, "address", MAX_ADDRESS_LENGTH)
    location = _point(changes.location, "location")
    async with sessions() as db:
        await begin_write(db)
        center = await db.get(Center, center_id, with_for_update=True)
        if center is None:
            raise NotFound("no center with this id", "centerId")
        check_may_update(principal, center, changes)
        opened_on = changes.opened_on or center.opened_on
        closed_on = changes.closed_on or center.closed_on
        _check_dates(opened_on, closed_on)
        changed: dict[str, object] = {}
        for field, old, new in (
            ("name", center.name, name),
            ("address", center.address, address),
            ("openedOn", center.opened_on, changes.opened_on),
            ("closedOn", center.closed_on, changes.closed_on),
        ):
            if new is not None and new != old:
                changed[field] = (old, new)
        if location is not None and (location.lat, location.lon) != (center.lat, center.lon):
            changed["location"] = (_location_text(center.lat, center.lon), _location_text(location.lat, location.lon))
            center.lat, center.lon = location.lat, location.lon
            await follow_move(db, center.pk, center.district_id, location.lat, location.lon)
        center.name = name or center.name
        center.address = address or center.address
        if changes.opened_on is not None:
            center.opened_on, center.opened_on_confidence = changes.opened_on, "verified"
        center.closed_on = closed_on
        audit.record(db, principal, "updateCenter", "Center", center.pk, audit.describe(changed), now)
        await commit_write(db)
        return center


def _location_text(lat: float | None, lon: float | None) -> str | None:
    return None if lat is None or lon is None else f"{lat:.6f},{lon:.6f}"
