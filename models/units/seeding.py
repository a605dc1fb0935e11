"""Writing the 126 units into the catalogue and placing its villages and centers in them.

Runs inside the seed's transaction for a new database, and once more for a database seeded
before the units existed (`top_up`), so both end with the same rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, func, select
from sqlmodel import Session, col

from models.tables import Center, CenterPlacement, Commune, CommuneOrigin, District, Village, VillagePlacement
from models.text import fold, slugify
from models.units.boundaries import COMMUNE_BOUNDARIES, boundaries
from models.units.placement import BY_VILLAGE, place
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


def place_catalogue(db: Session, communes: dict[str, Commune], data: dict[str, Any]) -> None:
    """Place every village and center that has no placement yet (see models.units.placement)."""
    known = {row["slug"]: row for row in [*data.get("villages", []), *data.get("centers", [])]}
    district_codes = dict(db.execute(select(col(District.id), col(District.code))).all())
    placed_villages: dict[int, int] = {}
    for village in db.execute(select(Village).order_by(col(Village.id))).scalars():
        row = known.get(village.slug, {})
        found = place(
            district_codes[village.district_id],
            row.get("commune_2025_code"),
            village.commune_2023,
            village.lat,
            village.lon,
        )
        if found:
            commune_id = communes[found.commune_code].pk
            placed_villages[village.pk] = commune_id
            db.add(VillagePlacement(village_id=village.pk, commune_id=commune_id, placed_by=found.placed_by))
    for center in db.execute(select(Center).order_by(col(Center.id))).scalars():
        row = known.get(center.slug, {})
        found = place(
            district_codes[center.district_id],
            row.get("commune_2025_code"),
            row.get("commune_2023"),
            center.lat,
            center.lon,
        )
        if found:
            db.add(
                CenterPlacement(
                    center_id=center.pk, commune_id=communes[found.commune_code].pk, placed_by=found.placed_by
                )
            )
        elif center.village_id in placed_villages:
            db.add(
                CenterPlacement(
                    center_id=center.pk, commune_id=placed_villages[center.village_id], placed_by=BY_VILLAGE
                )
            )
    db.flush()


def seed_units(db: Session, data: dict[str, Any]) -> None:
    place_catalogue(db, seed_communes(db), data)


def top_up(conn: Connection, load: Callable[[], dict[str, Any]]) -> None:
    """Add the units to a catalogue seeded before they existed; does nothing once they are there.
    `load` gives the seed data (read only when it is needed)."""
    if conn.execute(select(func.count()).select_from(Commune)).scalar_one():
        return
    with Session(bind=conn) as db:
        seed_units(db, load())
