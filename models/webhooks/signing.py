"""Standard Webhooks signatures: "v1," and base64 of HMAC-SHA256 over "<id>.<timestamp>.<body>",
one per live secret, separated by spaces (two for a day after a rotation)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from models.webhooks.secrets import secret_bytes


def signature(secret: str, message_id: str, timestamp: int, body: str) -> str:
    signed = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(secret_bytes(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signature_header(secrets: list[str], message_id: str, timestamp: int, body: str) -> str:
    return " ".join(signature(secret, message_id, timestamp, body) for secret in secrets)
