"""Tours authored by their center: create, update and archive.

Staff of the hosting center, or ADMIN, manage a tour. Texts come per language (Vietnamese is
required; English is the other language the API serves); prices are whole VND per ticket
category, ADULT required. A price change never touches a booking's stored total, and a
duration or cut-off change applies to sessions scheduled afterwards (each session keeps the
times it was scheduled with). Archiving hides a tour from lists and search and stops new
sessions and bookings; its sessions, bookings and feeds keep working.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models import audit
from models.booking.locking import begin_write
from models.booking.requests import clean_text
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.errors import InvalidInput, NotFound
from models.network.slugs import id_by_slug, unique_slug
from models.schedule.operations import lock_tour
from models.schedule.permissions import check_manages
from models.tables import Center, Craft, District, Principal, TicketPrice, Tour, TourStop, Village
from models.text import fold

TEXT_LANGUAGES = ("vi", "en")
MAX_TITLE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 5_000
MAX_PRICE_VND = 100_000_000
MAX_PRICES = 10
MAX_LABEL_LENGTH = 80
DURATION_MINUTES = (15, 24 * 60)
MAX_PER_BOOKING = 100
MAX_BOOKING_CUTOFF_MINUTES = 7 * 24 * 60
MAX_CANCELLATION_CUTOFF_MINUTES = 30 * 24 * 60
_CATEGORY = re.compile(r"^[A-Z][A-Z0-9_]{0,19}$")
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")

Sessions = SessionFactory


@dataclass(frozen=True, slots=True)
class TourText:
    language: str
    title: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Price:
    category: str
    label: str
    price_vnd: int


@dataclass(frozen=True, slots=True)
class TourTerms:
    """What createTour sets and updateTour may change; None leaves a field as it is."""

    texts: Sequence[TourText] | None = None
    duration_minutes: int | None = None
    prices: Sequence[Price] | None = None
    languages: Sequence[str] | None = None
    max_per_booking: int | None = None
    booking_cutoff_minutes: int | None = None
    cancellation_cutoff_minutes: int | None = None

    def given(self) -> list[str]:
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


def _texts(texts: Sequence[TourText]) -> dict[str, TourText]:
    by_language: dict[str, TourText] = {}
    for text in texts:
        if text.language not in TEXT_LANGUAGES:
            raise InvalidInput(f"texts: language must be one of {', '.join(TEXT_LANGUAGES)}", "texts")
        if text.language in by_language:
            raise InvalidInput(f"texts: {text.language} is given twice", "texts")
        title = clean_text(text.title, "texts.title", MAX_TITLE_LENGTH, required=True)
        description = clean_text(text.description, "texts.description", MAX_DESCRIPTION_LENGTH)
        assert title is not None
        by_language[text.language] = TourText(text.language, title, description)
    if "vi" not in by_language:
        raise InvalidInput("texts must include Vietnamese (vi)", "texts")
    return by_language


def _prices(prices: Sequence[Price]) -> list[Price]:
    if not 1 <= len(prices) <= MAX_PRICES:
        raise InvalidInput(f"prices: give 1 to {MAX_PRICES} ticket categories", "prices")
    seen: set[str] = set()
    checked = []
    for price in prices:
        if not _CATEGORY.match(price.category):
            raise InvalidInput("prices.category must look like ADULT or CHILD (A-Z, 0-9, _)", "prices")
        if price.category in seen:
            raise InvalidInput(f"prices: {price.category} is given twice", "prices")
        if not 1 <= price.price_vnd <= MAX_PRICE_VND:
            raise InvalidInput(f"prices.priceVnd must be a whole VND amount from 1 to {MAX_PRICE_VND:,}", "prices")
        label = clean_text(price.label, "prices.label", MAX_LABEL_LENGTH, required=True)
        assert label is not None
        seen.add(price.category)
        checked.append(Price(price.category, label, price.price_vnd))
    if "ADULT" not in seen:
        raise InvalidInput("prices must include ADULT", "prices")
    return sorted(checked, key=lambda p: p.category != "ADULT")  # ADULT first, the rest as given


def _languages(languages: Sequence[str]) -> str:
    tags = [tag.strip().lower() for tag in languages]
    if not tags or len(tags) > 10 or not all(_LANGUAGE_TAG.match(tag) for tag in tags):
        raise InvalidInput("languages: 1 to 10 language tags such as vi or en", "languages")
    return ",".join(dict.fromkeys(tags))


def _in_range(value: int | None, low: int, high: int, field: str) -> None:
    if value is not None and not low <= value <= high:
        raise InvalidInput(f"{field} must be between {low} and {high}", field)


def _check_terms(terms: TourTerms) -> None:
    _in_range(terms.duration_minutes, *DURATION_MINUTES, "durationMinutes")
    _in_range(terms.max_per_booking, 1, MAX_PER_BOOKING, "maxPerBooking")
    _in_range(terms.booking_cutoff_minutes, 0, MAX_BOOKING_CUTOFF_MINUTES, "bookingCutoffMinutes")
    _in_range(terms.cancellation_cutoff_minutes, 0, MAX_CANCELLATION_CUTOFF_MINUTES, "cancellationCutoffMinutes")


async def search_text(db: AsyncSession, tour: Tour) -> str:
    """What `search` matches, as for seeded tours: titles in both languages, craft, villages, district."""
    craft = await db.get(Craft, tour.craft_id)
    district = await db.get(District, tour.district_id)
    stops = select(col(Village.name)).join(TourStop, col(TourStop.village_id) == col(Village.id))
    villages = list((await db.execute(stops.where(col(TourStop.tour_id) == tour.id))).scalars())
    if tour.village_id is not None:
        village = await db.get(Village, tour.village_id)
        villages.append(village.name if village else "")
    words = [tour.title, tour.title_en, *villages]
    words += [craft.name, craft.name_en] if craft else []
    words += [district.name] if district else []
    return fold(" ".join(w for w in words if w))[:2000]


def _apply_texts(tour: Tour, texts: dict[str, TourText]) -> None:
    tour.title, tour.description = texts["vi"].title, texts["vi"].description
    english = texts.get("en")
    tour.title_en = english.title if english else None
    tour.description_en = english.description if english else None


def _set_prices(db: AsyncSession, tour: Tour, prices: list[Price]) -> None:
    db.add_all(
        TicketPrice(
            tour_id=tour.pk,
            category=p.category,
            label=p.label,
            price_vnd=p.price_vnd,
            confidence="verified",
            position=i,
        )
        for i, p in enumerate(prices)
    )


async def create_tour(
    sessions: Sessions,
    principal: Principal,
    center_id: int,
    craft_slug: str,
    village_slug: str | None,
    terms: TourTerms,
    now: datetime,
) -> Tour:
    if terms.texts is None or terms.duration_minutes is None or terms.prices is None or terms.languages is None:
        raise InvalidInput("texts, durationMinutes, prices and languages are required", "texts")
    texts, prices, languages = _texts(terms.texts), _prices(terms.prices), _languages(terms.languages)
    _check_terms(terms)
    async with sessions() as db:
        await begin_write(db)
        center = await db.get(Center, center_id)
        if center is None:
            raise NotFound("no center with this id", "centerId")
        craft_id = await id_by_slug(db, Craft, craft_slug, "craftSlug")
        village_id = center.village_id
        if village_slug is not None:
            village_id = await id_by_slug(db, Village, village_slug, "villageSlug")
        tour = Tour(
            slug=await unique_slug(db, Tour, texts["vi"].title, "tour"),
            title=texts["vi"].title,
            craft_id=craft_id,
            village_id=village_id,
            center_id=center.pk,
            district_id=center.district_id,
            duration_minutes=terms.duration_minutes,
            duration_confidence="verified",
            languages=languages,
            default_capacity=terms.max_per_booking or 10,
            max_per_booking=terms.max_per_booking or 10,
            booking_cutoff_minutes=terms.booking_cutoff_minutes if terms.booking_cutoff_minutes is not None else 120,
            cancellation_cutoff_minutes=(
                terms.cancellation_cutoff_minutes if terms.cancellation_cutoff_minutes is not None else 1440
            ),
            sample=False,
        )
        check_manages(principal, tour, "centerId")  # staff of this center, or ADMIN
        _apply_texts(tour, texts)
        db.add(tour)
        await db.flush()
        _set_prices(db, tour, prices)
        tour.search_text = await search_text(db, tour)
        summary = audit.describe({"title": tour.title, "center": center.slug, "prices": _price_list(prices)})
        audit.record(db, principal, "createTour", "Tour", tour.pk, summary, now)
        await commit_write(db)
        return tour


def _price_list(prices: Sequence[Price | TicketPrice]) -> str:
    return ", ".join(f"{p.category} {p.price_vnd:,} VND" for p in prices)


async def update_tour(sessions: Sessions, principal: Principal, tour_id: int, terms: TourTerms, now: datetime) -> Tour:
    texts = _texts(terms.texts) if terms.texts is not None else None
    prices = _prices(terms.prices) if terms.prices is not None else None
    languages = _languages(terms.languages) if terms.languages is not None else None
    _check_terms(terms)
    async with sessions() as db:
        await begin_write(db)
        tour = await lock_tour(db, tour_id)
        check_manages(principal, tour)
        changed: dict[str, object] = {}
        if texts is not None:
            changed["title"] = (tour.title, texts["vi"].title)
            _apply_texts(tour, texts)
        if prices is not None:
            old = list((await db.execute(select(TicketPrice).where(col(TicketPrice.tour_id) == tour.id))).scalars())
            old.sort(key=lambda p: p.position)
            changed["prices"] = (_price_list(old), _price_list(prices))
            await db.execute(delete(TicketPrice).where(col(TicketPrice.tour_id) == tour.id))
            _set_prices(db, tour, prices)
        if languages is not None:
            changed["languages"] = (tour.languages, languages)
            tour.languages = languages
        for field, attribute in (
            ("durationMinutes", "duration_minutes"),
            ("maxPerBooking", "max_per_booking"),
            ("bookingCutoffMinutes", "booking_cutoff_minutes"),
            ("cancellationCutoffMinutes", "cancellation_cutoff_minutes"),
        ):
            value = getattr(terms, attribute)
            if value is not None and value != getattr(tour, attribute):
                changed[field] = (getattr(tour, attribute), value)
                setattr(tour, attribute, value)
        tour.search_text = await search_text(db, tour)
        audit.record(db, principal, "updateTour", "Tour", tour.pk, audit.describe(changed), now)
        await commit_write(db)
        return tour


async def archive_tour(sessions: Sessions, principal: Principal, tour_id: int, now: datetime) -> Tour:
    async with sessions() as db:
        await begin_write(db)
        tour = await lock_tour(db, tour_id)
        check_manages(principal, tour)
        if not tour.archived:
            tour.archived = True
            audit.record(db, principal, "archiveTour", "Tour", tour.pk, audit.describe({"archived": True}), now)
            await commit_write(db)
        return tour
