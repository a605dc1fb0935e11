"""Mutations by which a center authors its tours (center staff, or ADMIN)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from models.network import tours
from resolvers.context import Info
from resolvers.mutation import mutation
from schema.ids import decode_id_of
from schema.network_inputs import (
    ArchiveTourInput,
    CreateTourInput,
    TicketPriceInput,
    TourTextInput,
    UpdateTourInput,
)
from schema.permissions import require_center_staff
from schema.types.network_results import ArchiveTourSuccess, CreateTourSuccess, UpdateTourSuccess
from schema.types.tour import Tour


def _texts(texts: list[TourTextInput] | None) -> list[tours.TourText] | None:
    return None if texts is None else [tours.TourText(t.language, t.title, t.description) for t in texts]


def _prices(prices: list[TicketPriceInput] | None) -> list[tours.Price] | None:
    return None if prices is None else [tours.Price(p.category, p.label, p.price_vnd) for p in prices]


def _terms(data: CreateTourInput | UpdateTourInput) -> tours.TourTerms:
    return tours.TourTerms(
        texts=_texts(data.texts),
        duration_minutes=data.duration_minutes,
        prices=_prices(data.prices),
        languages=data.languages,
        max_per_booking=data.max_per_booking,
        booking_cutoff_minutes=data.booking_cutoff_minutes,
        cancellation_cutoff_minutes=data.cancellation_cutoff_minutes,
    )


@mutation
async def create_tour(
    info: Info, input: Annotated[CreateTourInput, strawberry.argument(description="The new tour.")]
) -> CreateTourSuccess:
    context = info.context
    principal = require_center_staff(context)
    center_id = decode_id_of(input.center_id, "Center", "centerId")
    row = await tours.create_tour(
        context.sessions, principal, center_id, input.craft_slug, input.village_slug, _terms(input), context.now
    )
    return CreateTourSuccess(tour=Tour.from_row(row))


@mutation
async def update_tour(
    info: Info, input: Annotated[UpdateTourInput, strawberry.argument(description="What to change.")]
) -> UpdateTourSuccess:
    context = info.context
    principal = require_center_staff(context)
    tour_id = decode_id_of(input.tour_id, "Tour", "tourId")
    row = await tours.update_tour(context.sessions, principal, tour_id, _terms(input), context.now)
    return UpdateTourSuccess(tour=Tour.from_row(row))


@mutation
async def archive_tour(
    info: Info, input: Annotated[ArchiveTourInput, strawberry.argument(description="Which tour.")]
) -> ArchiveTourSuccess:
    context = info.context
    principal = require_center_staff(context)
    tour_id = decode_id_of(input.tour_id, "Tour", "tourId")
    return ArchiveTourSuccess(
        tour=Tour.from_row(await tours.archive_tour(context.sessions, principal, tour_id, context.now))
    )
