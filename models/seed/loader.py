"""Load the Hanoi catalogue from `hanoi.yaml` (built from the researched shared data) and generate
sample sessions for the next 60 days from each tour's weekly schedule, in Asia/Ho_Chi_Minh time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection
from sqlmodel import Session

from models.network.slugs import product_search_text, unique_slug_in
from models.tables import (
    Center,
    CoverageGoal,
    Craft,
    District,
    Product,
    ProductOutlet,
    TicketPrice,
    Tour,
    TourSession,
    TourStop,
    Village,
)
from models.text import fold
from models.timeutil import LOCAL_TZ
from models.units.seeding import seed_units

SEED_FILE = Path(__file__).resolve().parent / "hanoi.yaml"
SESSION_DAYS = 60
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def load_seed(path: Path = SEED_FILE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def seed_database(conn: Connection, now: datetime, data: dict[str, Any] | None = None) -> None:
    """Insert the whole catalogue through `conn` (inside the caller's transaction)."""
    data = data if data is not None else load_seed()
    with Session(bind=conn) as db:
        districts = {row["code"]: _district(row) for row in data["districts"]}
        crafts = {
            row["slug"]: Craft(slug=row["slug"], name=row["name"], name_en=row.get("name_en")) for row in data["crafts"]
        }
        db.add_all([*districts.values(), *crafts.values()])
        db.flush()
        villages = {row["slug"]: _village(row, districts, crafts) for row in data["villages"]}
        db.add_all(villages.values())
        db.flush()
        centers = {row["slug"]: _center(row, districts, villages) for row in data["centers"]}
        db.add_all(centers.values())
        db.flush()
        _products(db, data.get("products", []), villages, districts, centers)
        for row in data["tours"]:
            _tour(db, row, crafts, villages, centers, districts, now)
        db.add_all(_goal(row) for row in data.get("goals", []))
        db.flush()
        seed_units(db, data)


def _district(row: dict[str, Any]) -> District:
    return District(
        code=row["code"],
        slug=row["slug"],
        name=row["name"],
        kind=row["kind"],
        lat=row.get("lat"),
        lon=row.get("lon"),
        valid_from=_date(row.get("valid_from")),
        valid_until=_date(row.get("valid_until")),
    )


def _village(row: dict[str, Any], districts: dict[str, District], crafts: dict[str, Craft]) -> Village:
    craft, district = crafts[row["craft"]], districts[row["district"]]
    return Village(
        slug=row["slug"],
        name=row["name"],
        name_en=row.get("name_en"),
        craft_id=craft.pk,
        district_id=district.pk,
        commune_2023=row.get("commune_2023"),
        commune_2025=row.get("commune_2025"),
        lat=row.get("lat"),
        lon=row.get("lon"),
        location_confidence=row.get("location_confidence"),
        description=row.get("description_vi"),
        description_en=row.get("description"),  # the seed describes in English
        search_text=fold(" ".join([row["name"], row.get("name_en") or "", craft.name, district.name])),
    )


def _center(row: dict[str, Any], districts: dict[str, District], villages: dict[str, Village]) -> Center:
    village = villages.get(row.get("village") or "")
    return Center(
        slug=row["slug"],
        name=row["name"],
        kind=row["kind"],
        district_id=districts[row["district"]].pk,
        village_id=village.id if village else None,
        address=row.get("address"),
        opened_on=_date(row.get("opened_on")),
        opened_on_confidence=row.get("opened_on_confidence"),
        lat=row.get("lat"),
        lon=row.get("lon"),
        note=row.get("note"),
    )


def _products(
    db: Session,
    rows: list[dict[str, Any]],
    villages: dict[str, Village],
    districts: dict[str, District],
    centers: dict[str, Center],
) -> None:
    slugs: set[str] = set()
    for row in rows:
        village = villages.get(row.get("village") or "")
        district = districts.get(row.get("district") or "")
        product = Product(
            slug=unique_slug_in(slugs, row["name"], "product"),
            name=row["name"],
            producer=row["producer"],
            stars=row["stars"],
            product_group=row.get("product_group"),
            village_id=village.id if village else None,
            district_id=district.id if district else (village.district_id if village else None),
            certified=str(row["certified"]) if row.get("certified") else None,
            confidence=row.get("confidence", "reported"),
            search_text=product_search_text(row["name"], row["producer"], village.name if village else None),
        )
        db.add(product)
        db.flush()
        db.add_all(
            ProductOutlet(product_id=product.pk, center_id=centers[slug].pk) for slug in row.get("sold_at") or []
        )


def _tour(
    db: Session,
    row: dict[str, Any],
    crafts: dict[str, Craft],
    villages: dict[str, Village],
    centers: dict[str, Center],
    districts: dict[str, District],
    now: datetime,
) -> None:
    craft = crafts[row["craft"]]
    village = villages.get(row.get("village") or "")
    center = centers.get(row.get("center") or "")
    stops = [villages[slug] for slug in row.get("also_villages") or []]
    place = village or center
    if place is None:
        raise ValueError(f"tour {row['slug']!r} names neither a village nor a center")
    district_id = place.district_id
    district = next(d for d in districts.values() if d.id == district_id)
    searchable = [row["title"], row.get("title_en") or "", craft.name, craft.name_en or "", district.name]
    searchable += [v.name for v in ([village] if village else []) + stops]
    tour = Tour(
        slug=row["slug"],
        title=row["title"],
        title_en=row.get("title_en"),
        description=row.get("description_vi"),
        description_en=row.get("description"),  # the seed describes in English
        craft_id=craft.pk,
        village_id=village.id if village else None,
        center_id=center.id if center else None,
        district_id=district_id,
        duration_minutes=row["duration_minutes"],
        duration_confidence=row.get("duration_confidence", "estimated"),
        languages=",".join(row.get("languages", ["vi"])),
        default_capacity=row["capacity"],
        max_per_booking=row["max_per_booking"],
        booking_cutoff_minutes=int(row.get("booking_cutoff_hours", 2) * 60),
        cancellation_cutoff_minutes=int(row.get("cancellation_cutoff_hours", 24) * 60),
        sample=row.get("sample", True),
        search_text=fold(" ".join(searchable)),
    )
    db.add(tour)
    db.flush()
    db.add_all(
        TicketPrice(
            tour_id=tour.pk,
            category=p["category"],
            label=p["label"],
            price_vnd=p["price_vnd"],
            confidence=p.get("confidence", "estimated"),
            position=i,
        )
        for i, p in enumerate(row["prices"])
    )
    db.add_all(TourStop(tour_id=tour.pk, village_id=v.pk, position=i) for i, v in enumerate(stops))
    db.add_all(sample_sessions(tour, row["schedule"], now))


def sample_sessions(tour: Tour, schedule: dict[str, Any], now: datetime) -> list[TourSession]:
    """Sessions from tomorrow (local) for SESSION_DAYS days on the schedule's weekdays and times."""
    first_day = now.astimezone(LOCAL_TZ).date() + timedelta(days=1)
    days = {WEEKDAYS.index(code) for code in schedule["weekdays"]}
    times = [time.fromisoformat(t) for t in schedule["times"]]
    sessions = []
    for offset in range(SESSION_DAYS):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in days:
            continue
        for start_time in times:
            starts = datetime.combine(day, start_time, tzinfo=LOCAL_TZ)
            sessions.append(
                TourSession(
                    tour_id=tour.pk,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=tour.duration_minutes),
                    booking_closes_at=starts - timedelta(minutes=tour.booking_cutoff_minutes),
                    capacity=tour.default_capacity,
                    created_at=now,
                    updated_at=now,
                )
            )
    return sessions


def _goal(row: dict[str, Any]) -> CoverageGoal:
    return CoverageGoal(
        year=row["year"],
        metric=row["metric"],
        scope=row["scope"],
        unit_kinds=",".join(row.get("unit_kinds") or []),
        unit_codes=",".join(row.get("unit_codes") or []),
        min_count=row.get("min"),
        max_count=row.get("max"),
        source=row.get("source"),
    )
