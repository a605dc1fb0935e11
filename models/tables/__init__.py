"""All tables; importing this package registers them on `SQLModel.metadata`."""

from models.tables.audit import AuditEntry
from models.tables.booking import Booking, BookingEvent
from models.tables.cache_state import CatalogVersion
from models.tables.catalog import Craft, District, Village
from models.tables.center import Center
from models.tables.commune import CenterPlacement, Commune, CommuneOrigin, VillagePlacement
from models.tables.goal import CoverageGoal
from models.tables.idempotency import IdempotencyKey
from models.tables.octo import OctoBooking
from models.tables.product import Product, ProductOutlet
from models.tables.rate_limit import RateLimitWindow
from models.tables.session import TourSession
from models.tables.token import ApiToken, Principal
from models.tables.tour import TicketPrice, Tour, TourStop
from models.tables.waitlist import WaitlistEntry, WaitlistEvent
from models.tables.webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Booking",
    "BookingEvent",
    "CatalogVersion",
    "Center",
    "CenterPlacement",
    "Commune",
    "CommuneOrigin",
    "CoverageGoal",
    "Craft",
    "District",
    "IdempotencyKey",
    "OctoBooking",
    "Principal",
    "Product",
    "ProductOutlet",
    "RateLimitWindow",
    "TicketPrice",
    "Tour",
    "TourSession",
    "TourStop",
    "Village",
    "VillagePlacement",
    "WaitlistEntry",
    "WaitlistEvent",
    "WebhookDelivery",
    "WebhookEndpoint",
]
