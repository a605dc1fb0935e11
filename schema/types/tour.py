"""Tours and their ticket prices."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from models import tables
from models.language import in_language
from models.queries.sessions import SessionWindow
from schema.arguments import After, First
from schema.ids import encode_id
from schema.pagination import Connection, connection, page_args
from schema.types.center import Center
from schema.types.enums import Confidence
from schema.types.node import Node
from schema.types.place import Craft, District
from schema.types.village import CraftVillage
from schema.urls import absolute_url

if TYPE_CHECKING:
    from resolvers.context import Context
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


@strawberry.type(description="A tour's title and description in one language.")
class TourText:
    language: str = strawberry.field(description="vi or en.")
    title: str = strawberry.field(description="Title in that language.")
    description: str | None = strawberry.field(description="Description in that language.")


@strawberry.type(description="A bookable hands-on craft experience.")
class Tour(Node):
    row: strawberry.Private[tables.Tour]
    slug: str = strawberry.field(description="Lower-case ASCII id for URLs.")
    title_en: str | None = strawberry.field(description="Title in English.")
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
    archived: bool = strawberry.field(
        description="Archived by its center: out of lists and search, no new sessions or bookings; "
        "its sessions, bookings and feeds still work."
    )

    @classmethod
    def from_row(cls, row: tables.Tour) -> Tour:
        assert row.id is not None
        return cls(
            row=row,
            id=strawberry.ID(encode_id("Tour", row.id)),
            slug=row.slug,
            title_en=row.title_en,
            duration_minutes=row.duration_minutes,
            duration_confidence=Confidence(row.duration_confidence),
            languages=row.language_list,
            max_seats_per_booking=row.max_per_booking,
            booking_cutoff_minutes=row.booking_cutoff_minutes,
            cancellation_cutoff_minutes=row.cancellation_cutoff_minutes,
            sample=row.sample,
            archived=row.archived,
        )

    @strawberry.field(
        description="Title in the request's language (Accept-Language: vi or en), Vietnamese when there is no "
        "English title."
    )
    def title(self, info: strawberry.Info[Context, None]) -> str:
        return tour_title(self.row, info.context.language)

    @strawberry.field(
        description="What happens on the tour, in the request's language, else in the other one "
        "(sample tours are described in English)."
    )
    def description(self, info: strawberry.Info[Context, None]) -> str | None:
        return tour_description(self.row, info.context.language)

    @strawberry.field(description="The tour's texts in every language it has, Vietnamese first.")
    def translations(self) -> list[TourText]:
        return tour_texts(self.row)

    @strawberry.field(description="The craft practised.")
    async def craft(self, info: strawberry.Info[Context, None]) -> Craft:
        return Craft.from_row(await info.context.loaders.craft.load(self.row.craft_id), info.context.language)

    @strawberry.field(description="Price of an ADULT ticket in VND (the headline price).")
    async def price_vnd(self, info: strawberry.Info[Context, None]) -> int:
        prices = await info.context.loaders.prices_by_tour.load(self.row.pk)
        return next(p.price_vnd for p in prices if p.category == "ADULT")

    @strawberry.field(description="Prices of every ticket category; ADULT comes first.")
    async def prices(self, info: strawberry.Info[Context, None]) -> list[TicketPrice]:
        return [TicketPrice.from_row(p) for p in await info.context.loaders.prices_by_tour.load(self.row.pk)]

    @strawberry.field(description="The host village, if the tour has one.")
    async def village(self, info: strawberry.Info[Context, None]) -> CraftVillage | None:
        if self.row.village_id is None:
            return None
        return CraftVillage.from_row(await info.context.loaders.village.load(self.row.village_id))

    @strawberry.field(description="Further villages a multi-village tour visits, in order.")
    async def also_villages(self, info: strawberry.Info[Context, None]) -> list[CraftVillage]:
        return [CraftVillage.from_row(v) for v in await info.context.loaders.stops_by_tour.load(self.row.pk)]

    @strawberry.field(description="The hosting center, if the tour is held at one.")
    async def center(self, info: strawberry.Info[Context, None]) -> Center | None:
        if self.row.center_id is None:
            return None
        return Center.from_row(await info.context.loaders.center.load(self.row.center_id))

    @strawberry.field(description="The district-level unit where the tour takes place.")
    async def district(self, info: strawberry.Info[Context, None]) -> District:
        return District.from_row(await info.context.loaders.district.load(self.row.district_id))

    @strawberry.field(description="Sessions of the tour, soonest first.")
    async def sessions(
        self,
        info: strawberry.Info[Context, None],
        starts_after: Annotated[
            datetime | None, strawberry.argument(description="Only sessions starting after this; default now.")
        ] = None,
        starts_before: Annotated[
            datetime | None, strawberry.argument(description="Only sessions starting before this.")
        ] = None,
        only_available: Annotated[
            bool | None, strawberry.argument(description="Only sessions that can still be booked.")
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Annotated[Session, strawberry.lazy("schema.types.session")]]:
        return await sessions_of_tour(
            info.context, self.row.pk, starts_after, starts_before, only_available, first, after
        )

    @strawberry.field(description="Public iCalendar (.ics) feed of this tour's sessions.")
    def calendar_url(self, info: strawberry.Info[Context, None]) -> str:
        return tour_calendar_url(self.row, info.context.base_url)


def tour_title(row: tables.Tour, language: str) -> str:
    return in_language(language, row.title, row.title_en) or row.title


def tour_description(row: tables.Tour, language: str) -> str | None:
    return in_language(language, row.description, row.description_en)


def tour_texts(row: tables.Tour) -> list[TourText]:
    texts = [TourText(language="vi", title=row.title, description=row.description)]
    if row.title_en or row.description_en:
        texts.append(TourText(language="en", title=row.title_en or row.title, description=row.description_en))
    return texts


def tour_calendar_url(row: tables.Tour, base_url: str) -> str:
    return absolute_url(base_url, f"/calendar/tours/{row.slug}.ics")


async def sessions_of_tour(
    context: Context,
    tour_id: int,
    starts_after: datetime | None,
    starts_before: datetime | None,
    only_available: bool | None,
    first: int | None,
    after: str | None,
) -> Connection[Session]:
    """A page of a tour's sessions in a window (from now, unless `starts_after` says otherwise)."""
    from schema.types.session import Session

    page = page_args(first, after)
    window = SessionWindow(
        starts_after=starts_after if starts_after is not None else context.now,
        starts_before=starts_before,
        only_available=bool(only_available),
    )
    views = await context.loaders.session_pages.load(((window, page.offset, page.probe), tour_id))
    return connection(
        [Session.from_view(v, context.now) for v in views],
        page,
        lambda: context.loaders.session_counts.load((window, tour_id)),
    )


async def tours_of(
    context: Context, column: str, owner_id: int, first: int | None, after: str | None
) -> Connection[Tour]:
    """A page of the tours of a village or center (`column` names the owning column)."""
    loaders = context.loaders
    page = page_args(first, after)
    rows = await loaders.tour_pages.load(((column, page.offset, page.probe), owner_id))
    return connection([Tour.from_row(r) for r in rows], page, lambda: loaders.tour_counts.load((column, owner_id)))
