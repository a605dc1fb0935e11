"""Results of the mutations that run the network."""

from __future__ import annotations

import strawberry

from models.errors import Forbidden, InvalidInput, NotFound
from schema.types.center import Center
from schema.types.product import OcopProduct
from schema.types.tour import Tour
from schema.types.user_errors import result_union


@strawberry.type(description="The center is registered.")
class RegisterCenterSuccess:
    center: Center = strawberry.field(description="The new center, with its slug.")


@strawberry.type(description="The center after the change.")
class UpdateCenterSuccess:
    center: Center = strawberry.field(description="The updated center.")


RegisterCenterResult = result_union(
    "RegisterCenterResult",
    "The new center, or why it was not registered.",
    RegisterCenterSuccess,
    [InvalidInput, NotFound],
)
UpdateCenterResult = result_union(
    "UpdateCenterResult",
    "The updated center, or why it was not changed.",
    UpdateCenterSuccess,
    [InvalidInput, NotFound, Forbidden],
)


@strawberry.type(description="The tour is created.")
class CreateTourSuccess:
    tour: Tour = strawberry.field(description="The new tour, with its slug.")


@strawberry.type(description="The tour after the change.")
class UpdateTourSuccess:
    tour: Tour = strawberry.field(description="The updated tour.")


@strawberry.type(description="The tour is archived.")
class ArchiveTourSuccess:
    tour: Tour = strawberry.field(description="The tour, archived: true.")


CreateTourResult = result_union(
    "CreateTourResult",
    "The new tour, or why it was not created.",
    CreateTourSuccess,
    [InvalidInput, NotFound, Forbidden],
)
UpdateTourResult = result_union(
    "UpdateTourResult",
    "The updated tour, or why it was not changed.",
    UpdateTourSuccess,
    [InvalidInput, NotFound, Forbidden],
)
ArchiveTourResult = result_union(
    "ArchiveTourResult",
    "The archived tour, or why it was not archived.",
    ArchiveTourSuccess,
    [InvalidInput, NotFound, Forbidden],
)


@strawberry.type(description="The product is registered.")
class RegisterOcopProductSuccess:
    product: OcopProduct = strawberry.field(description="The new product, with its slug.")


@strawberry.type(description="The product after the change.")
class UpdateOcopProductSuccess:
    product: OcopProduct = strawberry.field(description="The updated product.")


@strawberry.type(description="Where the product is sold now.")
class SetProductSoldAtSuccess:
    product: OcopProduct = strawberry.field(description="The product; soldAt lists its centers.")


RegisterOcopProductResult = result_union(
    "RegisterOcopProductResult",
    "The new product, or why it was not registered.",
    RegisterOcopProductSuccess,
    [InvalidInput, NotFound],
)
UpdateOcopProductResult = result_union(
    "UpdateOcopProductResult",
    "The updated product, or why it was not changed.",
    UpdateOcopProductSuccess,
    [InvalidInput, NotFound],
)
SetProductSoldAtResult = result_union(
    "SetProductSoldAtResult",
    "The product, or why its centers were not changed.",
    SetProductSoldAtSuccess,
    [InvalidInput, NotFound, Forbidden],
)
