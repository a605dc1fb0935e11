"""Placing a center the programme office registers or moves in its 2025 commune.

A center is registered with its 2023 district (the contract's districtSlug) and placed in a
commune from, in order: the commune named (communeSlug), its location, or its village. A center
that could be placed nowhere would drop out of the commune-level coverage, so registration
refuses it. Whatever decides, the commune must have been formed (wholly or partly) from the
district given, so the two generations never disagree about where a center is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.errors import InvalidInput
from models.network.slugs import id_by_slug
from models.tables import CenterPlacement, Commune, CommuneOrigin, VillagePlacement
from models.units.placement import BY_COORDINATES, BY_VILLAGE, GIVEN, by_coordinates

# Placements that follow the center's location when it moves.
FOLLOWS_LOCATION = frozenset({BY_COORDINATES, BY_VILLAGE})


async def _formed_from(db: AsyncSession, commune_id: int, district_id: int) -> bool:
    link = select(CommuneOrigin).where(
        col(CommuneOrigin.commune_id) == commune_id, col(CommuneOrigin.district_id) == district_id
    )
    return (await db.execute(link)).first() is not None


async def _commune_at(db: AsyncSession, lat: float, lon: float) -> Commune | None:
    found = by_coordinates(lat, lon)
    if found is None:
        return None
    return (await db.execute(select(Commune).where(col(Commune.code) == found.commune_code))).scalar_one_or_none()


async def _located(db: AsyncSession, district_id: int, lat: float, lon: float) -> int:
    commune = await _commune_at(db, lat, lon)
    if commune is None:
        raise InvalidInput("location: the point lies outside every commune and ward of Hanoi", "location")
    if not await _formed_from(db, commune.pk, district_id):
        raise InvalidInput(
            f"location: the point lies in {commune.full_name}, which is not in that district", "location"
        )
    return commune.pk


async def place_new_center(
    db: AsyncSession,
    district_id: int,
    commune_slug: str | None,
    village_id: int | None,
    location: tuple[float, float] | None,
) -> tuple[int, str]:
    """(commune id, placed_by) for a center about to be registered. A location given with a
    commune must lie in that commune; a village must lie in the district given."""
    located = await _located(db, district_id, *location) if location is not None else None
    if commune_slug is not None:
        commune_id = await id_by_slug(db, Commune, commune_slug, "communeSlug")
        if not await _formed_from(db, commune_id, district_id):
            raise InvalidInput("communeSlug: that commune was not formed from the district given", "communeSlug")
        if located is not None and located != commune_id:
            raise InvalidInput("location: the point lies outside the commune named by communeSlug", "location")
        return commune_id, GIVEN
    if located is not None:
        return located, BY_COORDINATES
    if village_id is not None:
        placed = await db.get(VillagePlacement, village_id)
        if placed is not None:
            if not await _formed_from(db, placed.commune_id, district_id):
                raise InvalidInput("villageSlug: that village does not lie in the district given", "villageSlug")
            return placed.commune_id, BY_VILLAGE
    raise InvalidInput(
        "give communeSlug, location or a placed villageSlug, so the center can be placed in its 2025 commune",
        "communeSlug",
    )


async def follow_move(db: AsyncSession, center_id: int, district_id: int, lat: float, lon: float) -> None:
    """A center placed by its location or village moves with its new location; one placed by its
    known commune keeps it. A location outside the center's district is refused."""
    commune_id = await _located(db, district_id, lat, lon)
    placement = await db.get(CenterPlacement, center_id, with_for_update=True)
    if placement is None:
        db.add(CenterPlacement(center_id=center_id, commune_id=commune_id, placed_by=BY_COORDINATES))
    elif placement.placed_by in FOLLOWS_LOCATION:
        placement.commune_id, placement.placed_by = commune_id, BY_COORDINATES
