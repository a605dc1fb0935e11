"""Enumerations of the contract."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="Kind of district-level unit.")
class DistrictKind(Enum):
    URBAN_DISTRICT = strawberry.enum_value("URBAN_DISTRICT", description="Quận (urban district).")
    RURAL_DISTRICT = strawberry.enum_value("RURAL_DISTRICT", description="Huyện (rural district).")
    TOWN = strawberry.enum_value("TOWN", description="Thị xã (district-level town).")


@strawberry.enum(description="Kind of center.")
class CenterKind(Enum):
    OCOP_SHOWROOM = strawberry.enum_value(
        "OCOP_SHOWROOM", description="A point that introduces and sells OCOP products."
    )
    DESIGN_CENTER = strawberry.enum_value("DESIGN_CENTER", description="A design-creative center of a craft village.")


@strawberry.enum(description="Whether a session still runs.")
class SessionStatus(Enum):
    SCHEDULED = strawberry.enum_value("SCHEDULED", description="The session takes place.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="The center cancelled the session.")


@strawberry.enum(description="What a traveller can still book in a session.")
class Availability(Enum):
    AVAILABLE = strawberry.enum_value("AVAILABLE", description="Half the seats or more are left.")
    LIMITED = strawberry.enum_value("LIMITED", description="Under half the seats are left.")
    SOLD_OUT = strawberry.enum_value("SOLD_OUT", description="No seat is left.")
    CLOSED = strawberry.enum_value("CLOSED", description="Booking has closed or the session is cancelled.")


@strawberry.enum(description="State of a booking.")
class BookingStatus(Enum):
    HELD = strawberry.enum_value("HELD", description="Seats are held until holdExpiresAt.")
    CONFIRMED = strawberry.enum_value("CONFIRMED", description="Seats are booked.")
    CANCELLED = strawberry.enum_value("CANCELLED", description="Cancelled; the seats are free again.")
    EXPIRED = strawberry.enum_value("EXPIRED", description="The hold ran out before confirmation.")


@strawberry.enum(description="Who is calling the API.")
class Role(Enum):
    ANONYMOUS = strawberry.enum_value("ANONYMOUS", description="No token: public data only.")
    OPERATOR = strawberry.enum_value("OPERATOR", description="A tour operator booking seats.")
    CENTER_STAFF = strawberry.enum_value("CENTER_STAFF", description="Staff of one center, managing its sessions.")
    ADMIN = strawberry.enum_value("ADMIN", description="Craftway administrators.")


@strawberry.enum(description="How sure the data is; estimated and sample values are placeholders.")
class Confidence(Enum):
    VERIFIED = strawberry.enum_value("verified", description="Read from a data file or an official text.")
    REPORTED = strawberry.enum_value("reported", description="Stated by a news or government page.")
    INFERRED = strawberry.enum_value("inferred", description="Worked out from other data.")
    ESTIMATED = strawberry.enum_value("estimated", description="A placeholder; replace before relying on it.")


@strawberry.enum(description="State of a waiting-list entry.")
class WaitlistStatus(Enum):
    WAITING = strawberry.enum_value("WAITING", description="Waiting for seats; `position` says where.")
    OFFERED = strawberry.enum_value("OFFERED", description="Seats came free and are held for it: confirm `offer`.")
    BOOKED = strawberry.enum_value("BOOKED", description="Its offer was confirmed.")
    EXPIRED = strawberry.enum_value("EXPIRED", description="Its offer lapsed unconfirmed; the seats went onward.")
    LEFT = strawberry.enum_value("LEFT", description="The operator took it out (or declined its offer).")
    CLOSED = strawberry.enum_value("CLOSED", description="The session was cancelled or its booking closed.")


@strawberry.enum(description="A generation of Hanoi's units that coverage can be counted by.")
class UnitLevel(Enum):
    DISTRICT = strawberry.enum_value(
        "DISTRICT", description="The 30 district-level units of 2023 (quận, huyện, thị xã), in force until 2025-06-30."
    )
    COMMUNE = strawberry.enum_value(
        "COMMUNE", description="The 126 communes and wards of the 2025 reform, in force from 2025-07-01."
    )


@strawberry.enum(description="Kind of commune-level unit.")
class CommuneKind(Enum):
    WARD = strawberry.enum_value("WARD", description="Phường (urban ward).")
    COMMUNE = strawberry.enum_value("COMMUNE", description="Xã (rural commune).")
