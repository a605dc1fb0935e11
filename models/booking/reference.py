"""Booking references people can read out on the phone: 8 characters, no 0/O or 1/I/L."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Input that is still longer once spaces and dashes are gone is no reference (it is not looked up).
MAX_REFERENCE_INPUT_LENGTH = 40


def new_reference() -> str:
    """E.g. "K7QM-4XRA"; 31^8 (about 8.5e11) possibilities, uniqueness enforced by the table."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """Accept "k7qm4xra", "K7QM-4XRA" or "k7qm 4xra" alike."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{compact[:4]}-{compact[4:]}" if len(compact) == 8 else text.strip().upper()
