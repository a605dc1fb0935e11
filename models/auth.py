"""Bearer tokens: 256 random bits shown once, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.tables import ApiToken, Center, Principal

ROLES = ("OPERATOR", "CENTER_STAFF", "ADMIN")
TOKEN_PREFIX = "cw_"
FEED_TOKEN_PREFIX = "cwf_"
MAX_NAME_LENGTH = 120


class AuthSetupError(ValueError):
    """A token cannot be made as asked (unknown center, bad name...)."""


def bearer_token(header: object) -> str | None:
    """The token of an `Authorization: Bearer <token>` value (HTTP header or connection_init)."""
    scheme, _, token = (header if isinstance(header, str) else "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def connection_token(params: dict[str, object] | None) -> str | None:
    """The bearer token of a WebSocket connection_init payload {"Authorization": "Bearer ..."}."""
    found = params or {}
    return bearer_token(found.get("Authorization", found.get("authorization")))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_feed_token() -> str:
    return FEED_TOKEN_PREFIX + secrets.token_urlsafe(24)


async def _principal(db: AsyncSession, role: str, name: str, center_id: int | None, now: datetime) -> Principal:
    """The principal with this identity, created on first use (a new token for the same operator
    keeps its bookings)."""
    center = col(Principal.center_id)
    same_center = center.is_(None) if center_id is None else center == center_id
    query = select(Principal).where(col(Principal.role) == role, col(Principal.name) == name, same_center)
    principal = (await db.execute(query)).scalars().first()
    if principal is None:
        principal = Principal(
            role=role,
            name=name,
            center_id=center_id,
            created_at=now,
            feed_token=new_feed_token() if role == "OPERATOR" else None,
        )
        db.add(principal)
        await db.flush()
    return principal


async def create_token(db: AsyncSession, role: str, name: str, now: datetime, center_slug: str | None = None) -> str:
    """Make a token for `role` (OPERATOR, CENTER_STAFF with `center_slug`, ADMIN); returns it in clear."""
    name = name.strip()
    if role not in ROLES:
        raise AuthSetupError(f"role must be one of {', '.join(ROLES)}")
    if not name or len(name) > MAX_NAME_LENGTH or not name.isprintable():
        raise AuthSetupError(f"name must be 1-{MAX_NAME_LENGTH} printable characters")
    center_id = None
    if role == "CENTER_STAFF":
        if not center_slug:
            raise AuthSetupError("a center token needs --center SLUG")
        center_id = (
            await db.execute(select(col(Center.id)).where(col(Center.slug) == center_slug))
        ).scalar_one_or_none()
        if center_id is None:
            raise AuthSetupError(f"no center with slug {center_slug!r}")
    elif center_slug:
        raise AuthSetupError("--center goes only with --role center")
    principal = await _principal(db, role, name, center_id, now)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(ApiToken(principal_id=principal.pk, token_hash=hash_token(token), created_at=now))
    return token


async def revoke_token(db: AsyncSession, token: str, now: datetime) -> bool:
    row = (await db.execute(select(ApiToken).where(col(ApiToken.token_hash) == hash_token(token)))).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = now
    return True


async def principal_for_token(db: AsyncSession, token: str) -> Principal | None:
    """The principal of a live token, or None for an unknown or revoked one."""
    query = (
        select(Principal)
        .join(ApiToken, col(ApiToken.principal_id) == col(Principal.id))
        .where(col(ApiToken.token_hash) == hash_token(token), col(ApiToken.revoked_at).is_(None))
    )
    return (await db.execute(query)).scalar_one_or_none()


async def reset_feed_token(db: AsyncSession, principal_id: int) -> str:
    """Replace an operator's private feed token; the old feed URL stops working."""
    principal = await db.get(Principal, principal_id)
    if principal is None or principal.role != "OPERATOR":
        raise AuthSetupError("only operators have a private feed")
    principal.feed_token = new_feed_token()
    return principal.feed_token


async def principal_for_feed(db: AsyncSession, feed_token: str) -> Principal | None:
    return (await db.execute(select(Principal).where(col(Principal.feed_token) == feed_token))).scalar_one_or_none()
