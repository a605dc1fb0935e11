"""Opaque Relay global ids: base64 of "<TypeName>:<primary key>"."""

from __future__ import annotations

import base64
import binascii


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
