"""Tours and their ticket prices."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tables
from schema.ids import encode_id
from schema.pagination import Connection
from schema.types.center import Center
from schema.types.enums import Confidence
from schema.types.node import Node
from schema.types.place import Craft, District
from schema.types.village import CraftVillage

if TYPE_CHECKING:
    from schema.types.session import Session


@strawberry.type(description="Price of one ticket category of a tour, in VND.")
class TicketPrice:
    category: str = strawberry.field(description="Category code used in bookings: ADULT, CHILD, ...")
    label: str = strawberry.field(description="Label to show, Vietnamese / English.")
    price_vnd: int = strawberry.field(description="Price per ticket in whole VND.")
    confidence: Confidence = strawberry.field(description="How sure the price is (estimated = placeholder).")

    @classmethod
    def from_row(cls, row: tables.TicketPrice) -> TicketPrice:
        return cls(
            category=row.category, label=row.label, price_vnd=row.price_vnd, confidence=Confidence(row.confidence)
        )


@strawberry.type(description="A bookable hands-on craft experience.")
class Tour(Node):
    row: strawberry.Private[tables.Tour]
    slug: str = strawberry.field(description="Lower-case ASCII id for URLs.")
    title: str = strawberry.field(description="Title in Vietnamese.")
    title_en: str | None = strawberry.field(description="Title in English.")
    description: str | None = strawberry.field(description="What happens on the tour.")
    duration_minutes: int = strawberry.field(description="Length of one session in minutes.")
    duration_confidence: Confidence = strawberry.field(description="How sure durationMinutes is.")
    languages: list[str] = strawberry.field(description="Languages the tour is given in (BCP 47 tags, e.g. vi, en).")
    max_seats_per_booking: int = strawberry.field(description="Most seats one booking may take.")
    booking_cutoff_minutes: int = strawberry.field(description="Booking closes this many minutes before a session.")
    cancellation_cutoff_minutes: int = strawberry.field(
        description="Bookings can be cancelled until this many minutes before the session."
    )
    sample: bool = strawberry.field(
        description="True for sample listings built from research notes, not a real operator's offer."
    )

    @classmethod
    def from_row(cls, row: tables.Tour) -> Tour:
        assert row.id is not None
        return cls(
            row=row,
            id=strawberry.ID(encode_id("Tour", row.id)),
            slug=row.slug,
            title=row.title,
            title_en=row.title_en,
            description=row.description,
            duration_minutes=row.duration_minutes,
            duration_confidence=Confidence(row.duration_confidence),
            languages=row.language_list,
            max_seats_per_booking=row.max_per_booking,
            booking_cutoff_minutes=row.booking_cutoff_minutes,
            cancellation_cutoff_minutes=row.cancellation_cutoff_minutes,
            sample=row.sample,
        )

    @strawberry.field(description="The craft practised.")
    async def craft(self, info: strawberry.Info) -> Craft:
        return Craft.from_row(await info.context.loaders.craft.load(self.row.craft_id))

    @strawberry.field(description="Price of an ADULT ticket in VND (the headline price).")
    async def price_vnd(self, info: strawberry.Info) -> int:
        prices = await info.context.loaders.prices_by_tour.load(self.row.id)
        return next(p.price_vnd for p in prices if p.category == "ADULT")

    @strawberry.field(description="Prices of every ticket category; ADULT comes first.")
    async def prices(self, info: strawberry.Info) -> list[TicketPrice]:
        return [TicketPrice.from_row(p) for p in await info.context.loaders.prices_by_tour.load(self.row.id)]

    @strawberry.field(description="The host village, if the tour has one.")
    async def village(self, info: strawberry.Info) -> CraftVillage | None:
        if self.row.village_id is None:
            return None
        return CraftVillage.from_row(await info.context.loaders.village.load(self.row.village_id))

    @strawberry.field(description="Further villages a multi-village tour visits, in order.")
    async def also_villages(self, info: strawberry.Info) -> list[CraftVillage]:
        return [CraftVillage.from_row(v) for v in await info.context.loaders.stops_by_tour.load(self.row.id)]

    @strawberry.field(description="The hosting center, if the tour is held at one.")
    async def center(self, info: strawberry.Info) -> Center | None:
        if self.row.center_id is None:
            return None
        return Center.from_row(await info.context.loaders.center.load(self.row.center_id))

    @strawberry.field(description="The district-level unit where the tour takes place.")
    async def district(self, info: strawberry.Info) -> District:
        return District.from_row(await info.context.loaders.district.load(self.row.district_id))

    @strawberry.field(description="Sessions of the tour, soonest first.")
    async def sessions(
        self,
        info: strawberry.Info,
        starts_after: Annotated[
            datetime | None, strawberry.argument(description="Only sessions starting after this; default now.")
        ] = None,
        starts_before: Annotated[
            datetime | None, strawberry.argument(description="Only sessions starting before this.")
        ] = None,
        only_available: Annotated[
            bool | None, strawberry.argument(description="Only sessions that can still be booked.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description="Page size, 0-100 (default 20).")] = None,
        after: Annotated[str | None, strawberry.argument(description="Cursor to continue after.")] = None,
    ) -> Connection[Annotated[Session, strawberry.lazy("schema.types.session")]]:
        return await info.context.sessions_of(self.row.id, starts_after, starts_before, only_available, first, after)

    @strawberry.field(description="Public iCalendar (.ics) feed of this tour's sessions.")
    def calendar_url(self, info: strawberry.Info) -> str:
        return info.context.absolute_url(f"/calendar/tours/{self.slug}.ics")
