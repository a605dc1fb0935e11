"""Where webhooks may go: https URLs whose host resolves to public addresses only, so an
endpoint cannot point Craftway at its own network (SSRF). Local development and tests turn
this off with CRAFTWAY_WEBHOOKS_ALLOW_PRIVATE=1, which also allows http://."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from models.errors import InvalidInput
from models.tables.webhook import MAX_URL_LENGTH

RESOLVE_SECONDS = 5.0


def check_url_form(url: str, allow_private: bool) -> str:
    """The URL, if its form is acceptable; InvalidInput (field "url") otherwise."""
    url = url.strip()
    if len(url) > MAX_URL_LENGTH:
        raise InvalidInput(f"url: at most {MAX_URL_LENGTH} characters", "url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        raise InvalidInput("url is not a valid URL", "url") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise InvalidInput("url must be an https:// URL with a host", "url")
    if parts.username or parts.password:
        raise InvalidInput("url must not carry a user name or password", "url")
    return url


async def check_public(url: str, allow_private: bool) -> None:
    """InvalidInput unless every address the URL's host resolves to is public."""
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        lookup = asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
        infos = await asyncio.wait_for(lookup, RESOLVE_SECONDS)
    except (OSError, TimeoutError):
        raise InvalidInput(f"url: the host {host!r} does not resolve", "url") from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise InvalidInput(f"url: {host!r} resolves to {address}, which is not a public address", "url")
