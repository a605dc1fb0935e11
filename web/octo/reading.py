"""Reading an OCTO request: the reseller behind its bearer token, the capabilities and language
it asks for, and its JSON body, each with OCTO's error when it will not do."""

from __future__ import annotations

import json
import re
import uuid as uuids
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request

from models.auth import bearer_token, principal_for_token
from models.booking.requests import Contact, clean_contact, clean_text
from models.errors import InvalidInput
from models.octo.capabilities import Asked, read_capabilities
from models.octo.errors import OctoError, bad_request
from models.tables import Principal
from web.language import negotiate_language

MAX_UNIT_ITEMS = 100
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def asked(request: Request) -> Asked:
    return Asked(
        read_capabilities(request.headers.get("octo-capabilities")),
        negotiate_language(request.headers.get("accept-language")),
    )


async def reseller(request: Request, db: AsyncSession) -> Principal:
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        raise OctoError("UNAUTHORIZED", "send your API token as Authorization: Bearer <token>")
    principal = await principal_for_token(db, token[:200])
    if principal is None:
        raise OctoError("UNAUTHORIZED", "the bearer token is unknown or revoked")
    if principal.role != "OPERATOR":
        raise OctoError("FORBIDDEN", "only an operator (reseller) token may use OCTO")
    return principal


async def json_body(request: Request, *, required: bool = True) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        if required:
            raise bad_request("send a JSON object as the body")
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise bad_request("the body is not JSON") from None
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    return body


def text(body: dict[str, Any], name: str, *, required: bool = False, max_length: int = 200) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise bad_request(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a string")
    try:
        return clean_text(value, name, max_length, required=required)
    except InvalidInput as refused:
        raise bad_request(refused.message) from None


def integer(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise bad_request(f"{name} must be an integer")
    return value


def local_date(value: object, name: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise bad_request(f"{name} must be a date, YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{name} is not a calendar date") from None


def uuid(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise bad_request(f"{name} must be a UUID")
    try:
        return str(uuids.UUID(value))
    except ValueError:
        raise bad_request(f"{name} is not a UUID") from None


def contact(value: object, *, required: bool) -> Contact | None:
    """OCTO's contact as Craftway keeps it: one name (fullName, or first and last), phone, email."""
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise bad_request("contact must be an object with fullName (or firstName and lastName)")
    full = text(value, "fullName")
    name = full or " ".join(p for p in (text(value, "firstName"), text(value, "lastName")) if p)
    if not name and required:
        raise bad_request("contact needs fullName, or firstName and lastName")
    try:  # the rules of GraphQL's ContactInput
        return clean_contact(
            Contact(name, text(value, "phoneNumber"), text(value, "emailAddress", max_length=254)), name_required=False
        )
    except InvalidInput as refused:
        raise bad_request(refused.message) from None
