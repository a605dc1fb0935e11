"""Assemble the schema from the resolvers. `schema/schema.graphql` is this schema printed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from resolvers import bookings as booking_resolvers
from resolvers import catalog as catalog_resolvers
from resolvers import centers as center_resolvers
from resolvers import coverage as coverage_resolvers
from resolvers import node as node_resolvers
from resolvers import products as product_resolvers
from resolvers import schedule as schedule_resolvers
from resolvers import subscriptions as subscription_resolvers
from resolvers import tour_authoring
from resolvers import tours as tour_resolvers
from resolvers import viewer as viewer_resolvers
from resolvers import waitlist as waitlist_resolvers
from resolvers import webhooks as webhook_resolvers
from resolvers.planner.extension import PlannedReads
from schema.error_codes import add_codes
from schema.limits.cost import cost_limiter
from schema.limits.rate import MutationRateLimit
from schema.limits.settings import Limits
from schema.limits.strings import RejectNulCharacters
from schema.limits.websocket import SubscriptionsOnlyOverWebSocket
from schema.masking import MaskUnexpectedErrors
from schema.pagination import Connection
from schema.scalars import DateTimeScalar
from schema.types.audit import AuditEntry
from schema.types.booking import Booking
from schema.types.booking_results import (
    BookSeatsResult,
    CancelBookingResult,
    ConfirmBookingResult,
    HoldSeatsResult,
)
from schema.types.center import Center
from schema.types.commune import Commune
from schema.types.coverage import CoverageReport
from schema.types.network_results import (
    ArchiveTourResult,
    CreateTourResult,
    RegisterCenterResult,
    RegisterOcopProductResult,
    SetProductSoldAtResult,
    UpdateCenterResult,
    UpdateOcopProductResult,
    UpdateTourResult,
)
from schema.types.node import Node
from schema.types.place import District
from schema.types.product import OcopProduct
from schema.types.schedule_results import (
    CancelSessionResult,
    ImportCalendarResult,
    ScheduleSessionsResult,
    UpdateSessionResult,
)
from schema.types.session import Session
from schema.types.tour import Tour
from schema.types.viewer import Viewer
from schema.types.village import CraftVillage
from schema.types.waitlist import WaitlistEntry
from schema.types.waitlist_results import JoinWaitlistResult, LeaveWaitlistResult
from schema.types.webhook import WebhookDelivery, WebhookEndpoint
from schema.types.webhook_results import (
    CreateWebhookEndpointResult,
    DeleteWebhookEndpointResult,
    RedeliverWebhookResult,
    RotateWebhookSecretResult,
)


@strawberry.type(description="Read the Hanoi craft-village catalogue, live seat availability and plan coverage.")
class Query:
    node: Node | None = strawberry.field(
        resolver=node_resolvers.node, description="Any object by its global id; null if none."
    )
    districts: list[District] = strawberry.field(
        resolver=catalog_resolvers.districts, description="District-level units of Hanoi (30 as of 2023), by code."
    )
    district: District | None = strawberry.field(
        resolver=catalog_resolvers.district, description="A unit by slug; null if none."
    )
    communes: Connection[Commune] = strawberry.field(
        resolver=catalog_resolvers.communes,
        description="The 126 communes and wards of Hanoi since the 2025 reform, by code.",
    )
    commune: Commune | None = strawberry.field(
        resolver=catalog_resolvers.commune, description="A commune or ward by slug, e.g. bat-trang; null if none."
    )
    villages: Connection[CraftVillage] = strawberry.field(
        resolver=catalog_resolvers.villages, description="Craft villages."
    )
    centers: Connection[Center] = strawberry.field(
        resolver=catalog_resolvers.centers, description="OCOP showrooms and design centers."
    )
    tours: Connection[Tour] = strawberry.field(
        resolver=tour_resolvers.tours,
        description="Tours matching a filter; nearest first with `near`, else catalogue order.",
    )
    tour: Tour | None = strawberry.field(resolver=tour_resolvers.tour, description="A tour by slug; null if none.")
    booking: Booking | None = strawberry.field(
        resolver=booking_resolvers.booking,
        description="One of the calling operator's bookings by reference; null if none or not theirs.",
    )
    coverage: CoverageReport = strawberry.field(
        resolver=coverage_resolvers.coverage,
        description="Plan coverage per district (2023) or per commune (2025) in a year, against that year's goals.",
    )
    viewer: Viewer = strawberry.field(resolver=viewer_resolvers.viewer, description="The caller and what is theirs.")
    ocop_products: Connection[OcopProduct] = strawberry.field(
        resolver=product_resolvers.ocop_products,
        description="OCOP products matching a filter; nearest selling center first with `near`, else most stars first.",
    )
    ocop_product: OcopProduct | None = strawberry.field(
        resolver=product_resolvers.ocop_product, description="An OCOP product by slug; null if none."
    )
    audit_log: Connection[AuditEntry] = strawberry.field(
        resolver=center_resolvers.audit_log,
        description="ADMIN: every management change, newest first; optionally of one object.",
    )


@strawberry.type(description="Book seats (operators), manage sessions (centers) and run the network (admins).")
class Mutation:
    hold_seats = strawberry.field(
        graphql_type=HoldSeatsResult,
        resolver=booking_resolvers.hold_seats,
        description="OPERATOR: hold seats in a session for holdMinutes; confirm them with confirmBooking.",
    )
    book_seats = strawberry.field(
        graphql_type=BookSeatsResult,
        resolver=booking_resolvers.book_seats,
        description="OPERATOR: hold and confirm seats in one step.",
    )
    confirm_booking = strawberry.field(
        graphql_type=ConfirmBookingResult,
        resolver=booking_resolvers.confirm_booking,
        description="OPERATOR: confirm one of your live holds.",
    )
    cancel_booking = strawberry.field(
        graphql_type=CancelBookingResult,
        resolver=booking_resolvers.cancel_booking,
        description="OPERATOR: cancel one of your bookings before the tour's cancellation cut-off; frees its seats.",
    )

    join_waitlist = strawberry.field(
        graphql_type=JoinWaitlistResult,
        resolver=waitlist_resolvers.join_waitlist,
        description="OPERATOR: put a group on a session's waiting list when it has fewer seats free than the group "
        "needs; freed seats are offered to the oldest entry that fits, as a hold for offerMinutes.",
    )
    leave_waitlist = strawberry.field(
        graphql_type=LeaveWaitlistResult,
        resolver=waitlist_resolvers.leave_waitlist,
        description="OPERATOR: take your entry out of its waiting list; an offer it holds goes to the next in line.",
    )
    schedule_sessions = strawberry.field(
        graphql_type=ScheduleSessionsResult,
        resolver=schedule_resolvers.schedule_sessions,
        description="CENTER_STAFF of the tour's center: create one session or a recurring series, all or nothing.",
    )
    update_session = strawberry.field(
        graphql_type=UpdateSessionResult,
        resolver=schedule_resolvers.update_session,
        description="CENTER_STAFF: change a session's capacity or start time; its bookings follow.",
    )
    cancel_session = strawberry.field(
        graphql_type=CancelSessionResult,
        resolver=schedule_resolvers.cancel_session,
        description="CENTER_STAFF: cancel a session and, in the same step, its held and confirmed bookings.",
    )
    import_calendar = strawberry.field(
        graphql_type=ImportCalendarResult,
        resolver=schedule_resolvers.import_calendar,
        description="CENTER_STAFF: apply an .ics export to a tour's sessions; idempotent by UID and RECURRENCE-ID.",
    )

    register_center = strawberry.field(
        graphql_type=RegisterCenterResult,
        resolver=center_resolvers.register_center,
        description="ADMIN: register a new OCOP showroom or design center; its slug is made from the name.",
    )
    update_center = strawberry.field(
        graphql_type=UpdateCenterResult,
        resolver=center_resolvers.update_center,
        description="ADMIN, or CENTER_STAFF of the center for name, address and location: change a center.",
    )
    create_tour = strawberry.field(
        graphql_type=CreateTourResult,
        resolver=tour_authoring.create_tour,
        description="CENTER_STAFF of the center, or ADMIN: publish a new tour hosted at the center.",
    )
    update_tour = strawberry.field(
        graphql_type=UpdateTourResult,
        resolver=tour_authoring.update_tour,
        description="CENTER_STAFF of the tour's center, or ADMIN: change a tour; existing bookings keep their totals.",
    )
    archive_tour = strawberry.field(
        graphql_type=ArchiveTourResult,
        resolver=tour_authoring.archive_tour,
        description="CENTER_STAFF of the tour's center, or ADMIN: hide a tour from lists and stop new sessions "
        "and bookings.",
    )
    register_ocop_product = strawberry.field(
        graphql_type=RegisterOcopProductResult,
        resolver=product_resolvers.register_ocop_product,
        description="ADMIN: register a newly rated OCOP product, optionally with the centers that sell it.",
    )
    update_ocop_product = strawberry.field(
        graphql_type=UpdateOcopProductResult,
        resolver=product_resolvers.update_ocop_product,
        description="ADMIN: change an OCOP product's name, producer, stars, group or rating day.",
    )
    set_product_sold_at = strawberry.field(
        graphql_type=SetProductSoldAtResult,
        resolver=product_resolvers.set_product_sold_at,
        description="ADMIN, or CENTER_STAFF of that center: say whether a center sells a product.",
    )
    create_webhook_endpoint = strawberry.field(
        graphql_type=CreateWebhookEndpointResult,
        resolver=webhook_resolvers.create_webhook_endpoint,
        description="OPERATOR or CENTER_STAFF: send your events to an https URL, signed with the secret returned "
        "(shown once).",
    )
    rotate_webhook_secret = strawberry.field(
        graphql_type=RotateWebhookSecretResult,
        resolver=webhook_resolvers.rotate_webhook_secret,
        description="OPERATOR or CENTER_STAFF: a new signing secret for your endpoint; the old one also signs "
        "for 24 hours.",
    )
    delete_webhook_endpoint = strawberry.field(
        graphql_type=DeleteWebhookEndpointResult,
        resolver=webhook_resolvers.delete_webhook_endpoint,
        description="OPERATOR or CENTER_STAFF: stop and remove your endpoint and its deliveries.",
    )
    redeliver_webhook = strawberry.field(
        graphql_type=RedeliverWebhookResult,
        resolver=webhook_resolvers.redeliver_webhook,
        description="OPERATOR or CENTER_STAFF: send a delivered or failed message of yours again, same webhook-id.",
    )


@strawberry.type(
    description="Changes pushed over WebSocket at /graphql (graphql-transport-ws), within a second of their commit."
)
class Subscription:
    session_changed = strawberry.subscription(
        graphql_type=Session,
        resolver=subscription_resolvers.session_changed,
        description="Anyone: the session again after each change of its seats, status, capacity or times.",
    )
    tour_sessions_changed = strawberry.subscription(
        graphql_type=Session,
        resolver=subscription_resolvers.tour_sessions_changed,
        description="Anyone: any session of the tour after each change (new sessions included).",
    )
    booking_changed = strawberry.subscription(
        graphql_type=Booking,
        resolver=subscription_resolvers.booking_changed,
        description='OPERATOR (token in the connection_init payload: {"Authorization": "Bearer ..."}): '
        "your bookings after each change, a hold that lapses included.",
    )


class CraftwaySchema(strawberry.Schema):
    """Gives every error a code; logs nothing itself (unexpected errors are logged, with their
    request id, where they are masked)."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        add_codes(errors)


def build_schema(
    limits: Limits | None = None, *, production: bool = False, planned_reads: bool = True
) -> CraftwaySchema:
    """The schema with its resource limits; production also turns introspection off. Without
    `planned_reads` every document takes the generic executor (the planner's reference)."""
    limits = limits or Limits.from_env()
    # The depth and alias rules are made once: each limiter makes new rule classes when it is
    # constructed, which per request cost more than the rest of a cached document's checks.
    document_rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    extensions: list[Callable[[], SchemaExtension]] = [
        lambda: ParserCache(maxsize=512),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: AddValidationRules(document_rules),
        cost_limiter(limits.max_cost),
        RejectNulCharacters,
        SubscriptionsOnlyOverWebSocket,
        MutationRateLimit,
        PlannedReads,
        MaskUnexpectedErrors,
    ]
    if not planned_reads:
        extensions.remove(PlannedReads)
    if production:
        extensions.insert(0, DisableIntrospection)
    return CraftwaySchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[
            Booking,
            Center,
            Commune,
            CraftVillage,
            District,
            OcopProduct,
            Tour,
            WaitlistEntry,
            WebhookDelivery,
            WebhookEndpoint,
        ],
        config=StrawberryConfig(auto_camel_case=True),
        scalar_overrides={datetime: DateTimeScalar},
        extensions=extensions,
    )
