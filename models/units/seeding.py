"""Writing the 126 units into the catalogue and placing its villages and centers in them.

Runs inside the seed's transaction for a new database, and once more for a database seeded
before the units existed (`top_up`), so both end with the same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select
from sqlmodel import Session, col

from models.tables import Center, CenterPlacement, Commune, CommuneOrigin, District, Village, VillagePlacement
from models.text import fold, slugify
from models.units.boundaries import COMMUNE_BOUNDARIES, boundaries
from models.units.placement import BY_VILLAGE, Placement, place
from models.units.records import REFORM_DAY, unit_records


def seed_communes(db: Session) -> dict[str, Commune]:
    """The units, each with its boundary's centroid and the districts it was formed from."""
    shapes = boundaries(COMMUNE_BOUNDARIES)
    districts = {d.code: d for d in db.execute(select(District)).scalars()}
    communes = {}
    for record in unit_records():
        lat, lon = shapes[record.code].centroid()
        communes[record.code] = Commune(
            code=record.code,
            slug=slugify(record.name),
            name=record.name,
            full_name=record.full_name,
            kind=record.kind,
            valid_from=REFORM_DAY,
            lat=round(lat, 5),
            lon=round(lon, 5),
            search_text=fold(f"{record.full_name} {record.code}"),
        )
    db.add_all(communes.values())
    db.flush()
    db.add_all(
        CommuneOrigin(commune_id=communes[r.code].pk, district_id=districts[code].pk)
        for r in unit_records()
        for code in r.district_codes
        if code in districts
    )
    return communes


def place_catalogue(db: Session, communes: dict[str, Commune], data: dict[str, Any]) -> int:
    """Place every village and center (see models.units.placement) in a commune formed from its
    district; returns how many centers could not be placed. Rows the seed knows get their
    researched commune; others (centers registered before the units existed) their coordinates,
    else their village's commune."""
    known = {row["slug"]: row for row in [*data.get("villages", []), *data.get("centers", [])]}
    district_codes = dict(db.execute(select(col(District.id), col(District.code))).all())
    origins = {(r.code, code) for r in unit_records() for code in r.district_codes}

    def where(district_id: int, row: dict[str, Any], commune_2023: str | None, lat: Any, lon: Any) -> Placement | None:
        district = district_codes[district_id]
        found = place(district, row.get("commune_2025_code"), commune_2023, lat, lon)
        return found if found and (found.commune_code, district) in origins else None

    placed_villages: dict[int, int] = {}
    for village in db.execute(select(Village).order_by(col(Village.id))).scalars():
        found = where(village.district_id, known.get(village.slug, {}), village.commune_2023, village.lat, village.lon)
        if found:
            placed_villages[village.pk] = communes[found.commune_code].pk
            db.add(
                VillagePlacement(
                    village_id=village.pk, commune_id=placed_villages[village.pk], placed_by=found.placed_by
                )
            )
    unplaced = 0
    for center in db.execute(select(Center).order_by(col(Center.id))).scalars():
        row = known.get(center.slug, {})
        found = where(center.district_id, row, row.get("commune_2023"), center.lat, center.lon)
        if found:
            commune_id, placed_by = communes[found.commune_code].pk, found.placed_by
        elif center.village_id in placed_villages:
            commune_id, placed_by = placed_villages[center.village_id], BY_VILLAGE
        else:
            unplaced += 1
            continue
        db.add(CenterPlacement(center_id=center.pk, commune_id=commune_id, placed_by=placed_by))
    db.flush()
    return unplaced


def seed_units(db: Session, data: dict[str, Any]) -> int:
    """Write the units and place the catalogue in them; returns how many centers stay unplaced."""
    return place_catalogue(db, seed_communes(db), data)


def top_up(conn: Connection, load: Callable[[], dict[str, Any]]) -> None:
    """Add the units to a catalogue seeded before they existed; does nothing once they are there.
    `load` gives the seed data (read only when it is needed)."""
    if conn.execute(select(func.count()).select_from(Commune)).scalar_one():
        return
    with Session(bind=conn) as db:
        unplaced = seed_units(db, load())
    if unplaced:
        logging.getLogger("craftway").warning(
            "%d centers have no location or village to place them in a 2025 commune; "
            "coverage by commune counts them as unplacedCenters until updateCenter gives them a location",
            unplaced,
        )
