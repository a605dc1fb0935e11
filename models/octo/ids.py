"""How Craftway's objects are named in OCTO: a tour is a product (its slug), with one option
`DEFAULT`; its ticket categories are units (the category); a session is an availability, named
by its start in Hanoi time (unique per tour: one scheduled session per start)."""

from __future__ import annotations

from datetime import UTC, datetime

from models.timeutil import to_local

OPTION_ID = "DEFAULT"
UNIT_TYPES = {"ADULT", "YOUTH", "CHILD", "INFANT", "FAMILY", "SENIOR", "STUDENT", "MILITARY"}
MAX_ID_LENGTH = 100


def availability_id(starts_at: datetime) -> str:
    return to_local(starts_at).isoformat()


def parse_availability_id(value: str) -> datetime | None:
    """The UTC start an availability id names; None when it names none."""
    if len(value) > MAX_ID_LENGTH:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None


def unit_type(category: str) -> str:
    return category if category in UNIT_TYPES else "OTHER"


def utc(moment: datetime | None) -> str | None:
    """OCTO's UTC date-times: 2026-12-02T02:00:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
