"""ASGI middleware in front of every route: a request id on each request and response, a 400 for
a path with control characters, and a cap on request bodies (413, as a GraphQL error) before
anything reads them. Requests that carry a bearer token get a larger cap, for calendar imports;
the token is checked later as usual.

Starlette's route patterns end in `$`, which also matches before a final newline, so without
the path check "/octo/products/%0A" would be routed as "/octo/products/"."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
_SAFE_ID = re.compile(rb"^[A-Za-z0-9._-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BAD_PATH = {"error": "BAD_REQUEST", "errorMessage": "the request path must not hold control characters"}


class RequestGuards:
    def __init__(self, app: ASGIApp, max_body_bytes: int, max_authenticated_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_authenticated_body_bytes = max_authenticated_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(REQUEST_ID_HEADER, b"")
        request_id = given.decode() if _SAFE_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (REQUEST_ID_HEADER, request_id.encode())]
            await send(message)

        if _CONTROL.search(scope["path"]):
            await _send_json(send_with_id, 400, BAD_PATH)
            return
        limit = self.max_authenticated_body_bytes if b"authorization" in headers else self.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(send_with_id, limit)
            return
        received = 0
        too_large = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        started = False

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large and not started:
                started = True
                await self._too_large(send_with_id, limit)
                return
            if too_large:
                return
            started = started or message["type"] == "http.response.start"
            await send_with_id(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except ClientDisconnect:
            if not too_large:  # a real disconnect: nobody to answer
                raise
        if too_large and not started:
            await self._too_large(send_with_id, limit)

    async def _too_large(self, send: Any, limit: int) -> None:
        message = f"Request body is larger than {limit} bytes."
        await _send_json(send, 413, {"errors": [{"message": message, "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]})


async def _send_json(send: Any, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
