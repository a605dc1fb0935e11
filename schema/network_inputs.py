"""Inputs of the mutations that run the network: centers (and later tours and products)."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.types.enums import CenterKind


@strawberry.input(description="A point on the map in WGS 84 degrees.")
class GeoPointInput:
    lat: float = strawberry.field(description="Latitude, -90 to 90.")
    lon: float = strawberry.field(description="Longitude, -180 to 180.")


@strawberry.input(description="A new OCOP showroom or design center.")
class RegisterCenterInput:
    kind: CenterKind = strawberry.field(description="Showroom or design center.")
    name: str = strawberry.field(description="Official name in Vietnamese, 1-300 characters; the slug is made from it.")
    district_slug: str = strawberry.field(description="The district-level unit it lies in, e.g. gia-lam.")
    village_slug: str | None = strawberry.field(default=None, description="The craft village it belongs to, if any.")
    commune_slug: str | None = strawberry.field(
        default=None,
        description="The 2025 commune or ward it lies in, formed from the district given, e.g. bat-trang. "
        "Without it the center is placed by its location, else by its village; one of the three is needed.",
    )
    address: str | None = strawberry.field(default=None, description="Street address, up to 300 characters.")
    location: GeoPointInput | None = strawberry.field(
        default=None, description="Where it is; it must lie in the district given."
    )
    opened_on: date | None = strawberry.field(
        default=None, description="Opening day; coverage counts the center from that day (a future day included)."
    )


@strawberry.input(description="Changes to a center; omitted fields stay as they are.")
class UpdateCenterInput:
    center_id: strawberry.ID = strawberry.field(description="Global id of the center.")
    name: str | None = strawberry.field(default=None, description="New name (staff of the center may change it).")
    address: str | None = strawberry.field(default=None, description="New address (staff may change it).")
    location: GeoPointInput | None = strawberry.field(
        default=None,
        description="New location (staff may change it), inside the center's district; a center placed by its "
        "location or village moves to the commune it now lies in.",
    )
    opened_on: date | None = strawberry.field(default=None, description="Opening day; ADMIN only.")
    closed_on: date | None = strawberry.field(
        default=None, description="Closing day, not before openedOn; ADMIN only. It stops counting from that day."
    )


@strawberry.input(description="A tour's title and description in one language.")
class TourTextInput:
    language: str = strawberry.field(description="vi or en; vi is required among a tour's texts.")
    title: str = strawberry.field(description="Title, 1-300 characters.")
    description: str | None = strawberry.field(default=None, description="Description, up to 5,000 characters.")


@strawberry.input(description="The price of one ticket category.")
class TicketPriceInput:
    category: str = strawberry.field(description="Category code, e.g. ADULT (required among a tour's prices) or CHILD.")
    label: str = strawberry.field(description="Label to show, e.g. Người lớn / Adult.")
    price_vnd: int = strawberry.field(description="Whole VND, 1 to 100,000,000.")


@strawberry.input(description="A new tour hosted at a center.")
class CreateTourInput:
    center_id: strawberry.ID = strawberry.field(description="Global id of the hosting center.")
    craft_slug: str = strawberry.field(description="The craft practised, e.g. gom-su.")
    village_slug: str | None = strawberry.field(
        default=None, description="The host village; the center's village when omitted."
    )
    texts: list[TourTextInput] = strawberry.field(description="Title and description per language; must include vi.")
    duration_minutes: int = strawberry.field(description="Length of a session, 15-1440 minutes.")
    prices: list[TicketPriceInput] = strawberry.field(description="One price per ticket category, ADULT required.")
    languages: list[str] = strawberry.field(description="Languages the tour is given in, e.g. [vi, en].")
    max_per_booking: int | None = strawberry.field(default=None, description="Most seats per booking, 1-100 (10).")
    booking_cutoff_minutes: int | None = strawberry.field(
        default=None, description="Booking closes this long before a session, 0-10080 minutes (120)."
    )
    cancellation_cutoff_minutes: int | None = strawberry.field(
        default=None, description="Cancelling closes this long before a session, 0-43200 minutes (1440)."
    )


@strawberry.input(description="Changes to a tour; omitted fields stay as they are.")
class UpdateTourInput:
    tour_id: strawberry.ID = strawberry.field(description="Global id of the tour.")
    texts: list[TourTextInput] | None = strawberry.field(
        default=None, description="All texts anew (must include vi); replaces the tour's texts."
    )
    duration_minutes: int | None = strawberry.field(
        default=None, description="New length; applies to sessions scheduled afterwards."
    )
    prices: list[TicketPriceInput] | None = strawberry.field(
        default=None, description="All prices anew; existing bookings keep their totals."
    )
    languages: list[str] | None = strawberry.field(default=None, description="Languages the tour is given in.")
    max_per_booking: int | None = strawberry.field(default=None, description="Most seats per booking, 1-100.")
    booking_cutoff_minutes: int | None = strawberry.field(
        default=None, description="New booking cut-off; applies to sessions scheduled afterwards."
    )
    cancellation_cutoff_minutes: int | None = strawberry.field(
        default=None, description="New cancellation cut-off, 0-43200 minutes."
    )


@strawberry.input(description="Which tour to archive.")
class ArchiveTourInput:
    tour_id: strawberry.ID = strawberry.field(description="Global id of the tour.")


@strawberry.input(description="A newly rated OCOP product.")
class RegisterOcopProductInput:
    name: str = strawberry.field(description="Name as rated, 1-300 characters; the slug is made from it.")
    producer: str = strawberry.field(description="The business or cooperative, 1-300 characters.")
    stars: int = strawberry.field(description="OCOP rating, 3 to 5.")
    product_group: str | None = strawberry.field(
        default=None, description="Group, e.g. handicraft, up to 80 characters."
    )
    village_slug: str | None = strawberry.field(default=None, description="The craft village it comes from.")
    district_slug: str | None = strawberry.field(
        default=None, description="The district it comes from; the village's when omitted."
    )
    certified_on: date | None = strawberry.field(default=None, description="Day of the rating.")
    sold_at_center_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Global ids of the centers that sell it."
    )


@strawberry.input(description="Changes to an OCOP product; omitted fields stay as they are.")
class UpdateOcopProductInput:
    product_id: strawberry.ID = strawberry.field(description="Global id of the product.")
    name: str | None = strawberry.field(default=None, description="New name.")
    producer: str | None = strawberry.field(default=None, description="New producer.")
    stars: int | None = strawberry.field(default=None, description="New rating, 3 to 5.")
    product_group: str | None = strawberry.field(default=None, description="New group.")
    certified_on: date | None = strawberry.field(default=None, description="Day of the rating.")


@strawberry.input(description="Whether a center sells a product.")
class SetProductSoldAtInput:
    product_id: strawberry.ID = strawberry.field(description="Global id of the product.")
    center_id: strawberry.ID = strawberry.field(description="Global id of the center.")
    sold: bool = strawberry.field(description="True: the center sells it; false: it no longer does.")
