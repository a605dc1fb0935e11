"""What an operator asks for, checked before anything is touched."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass

from models.errors import InvalidInput
from models.tables.lengths import PHONE_LENGTH

DEFAULT_HOLD_MINUTES = 15
MAX_HOLD_MINUTES = 60
MAX_KEY_LENGTH = 200
MAX_TICKET_LINES = 20
MAX_REASON_LENGTH = 500
_PHONE = re.compile(rf"^\+?[0-9 ().-]{{6,{PHONE_LENGTH}}}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True, slots=True)
class TicketLine:
    category: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class SeatRequest:
    session_id: int
    tickets: tuple[TicketLine, ...]
    contact: Contact
    idempotency_key: str
    hold_minutes: int = DEFAULT_HOLD_MINUTES

    @property
    def seats(self) -> int:
        return sum(line.quantity for line in self.tickets)

    def fingerprint(self, operation: str) -> str:
        """Hash of everything that defines the request, to tell a replay from a conflict."""
        canonical = json.dumps({"operation": operation, **asdict(self)}, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def clean_text(value: str | None, field: str, max_length: int, *, required: bool = False) -> str | None:
    """Trimmed text without control characters, or a clear InvalidInput."""
    if value is None or not value.strip():
        if required:
            raise InvalidInput(f"{field} is required", field)
        return None
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters", field)
    if not value.isprintable():
        raise InvalidInput(f"{field} contains control characters", field)
    return value


def clean_contact(contact: Contact, *, name_required: bool = True) -> Contact:
    """The contact trimmed and checked: a name, and a phone and e-mail address that look like one."""
    name = clean_text(contact.name, "contact.name", 200, required=name_required)
    phone = clean_text(contact.phone, "contact.phone", PHONE_LENGTH)
    email = clean_text(contact.email, "contact.email", 254)
    if phone is not None and not _PHONE.match(phone):
        raise InvalidInput("contact.phone: digits, spaces and + ( ) - . only", "contact.phone")
    if email is not None and not _EMAIL.match(email):
        raise InvalidInput("contact.email is not an e-mail address", "contact.email")
    return Contact(name or "", phone, email)


def seat_request(
    session_id: int, tickets: list[TicketLine], contact: Contact, idempotency_key: str, hold_minutes: int | None
) -> SeatRequest:
    key = clean_text(idempotency_key, "idempotencyKey", MAX_KEY_LENGTH, required=True)
    if not tickets:
        raise InvalidInput("tickets: give at least one ticket category", "tickets")
    if len(tickets) > MAX_TICKET_LINES:
        raise InvalidInput(f"tickets: at most {MAX_TICKET_LINES} lines", "tickets")
    merged: dict[str, int] = {}
    for line in tickets:
        category = (clean_text(line.category, "tickets.category", 20, required=True) or "").upper()
        if line.quantity <= 0:
            raise InvalidInput(f"tickets: quantity of {category} must be at least 1", "tickets")
        merged[category] = merged.get(category, 0) + line.quantity
    checked = clean_contact(contact)
    minutes = DEFAULT_HOLD_MINUTES if hold_minutes is None else hold_minutes
    if not 1 <= minutes <= MAX_HOLD_MINUTES:
        raise InvalidInput(f"holdMinutes must be between 1 and {MAX_HOLD_MINUTES}", "holdMinutes")
    lines = tuple(TicketLine(c, q) for c, q in sorted(merged.items()))
    return SeatRequest(session_id, lines, checked, key or "", minutes)
