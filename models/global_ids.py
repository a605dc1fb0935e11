"""Opaque Relay global ids: base64 of "<TypeName>:<primary key>", in the API and in webhook payloads."""

from __future__ import annotations

import base64
import binascii

from models.errors import InvalidInput


def encode_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def decode_id(global_id: str) -> tuple[str, int] | None:
    """(type name, pk), or None when `global_id` is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        number = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not type_name.isalpha() or number <= 0 or number >= 2**63:
        return None
    return type_name, number


def decode_id_of(global_id: str, type_name: str, field: str) -> int:
    """The primary key of a `type_name` id given in input `field`; InvalidInput naming that field
    otherwise. Every mutation input decodes its ids with this."""
    decoded = decode_id(global_id)
    if decoded is None or decoded[0] != type_name:
        raise InvalidInput(f"{field} is not a {type_name} id", field)
    return decoded[1]
