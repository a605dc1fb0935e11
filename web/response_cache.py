"""Response cache for anonymous GraphQL reads, fresh across server processes.

Only requests without an Authorization header are considered (they can see no private data).
An entry is served only while (1) the catalogue version in the database is still the one read
*before* the response was computed, and (2) no moment has passed at which time alone changes a
read (a booking cut-off, a hold lapsing). Checking (1) needs a version read that started after
the request arrived, which is what makes a read after a write in another process always see the
write; concurrent requests share such reads (web/version_reads.py).

Anonymous GET answers carry an ETag and `Cache-Control: public, max-age=0, must-revalidate`, so
mobile clients and CDNs can revalidate and get 304.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models.catalog_version import next_time_change
from web.language import negotiate_language
from web.version_reads import without_transaction

Captured = tuple[int, list[tuple[bytes, bytes]], bytes]  # status, headers, body
CACHE_CONTROL = b"public, max-age=0, must-revalidate"
# The request headers an anonymous answer depends on, for caches between Craftway and clients.
VARY = (b"vary", b"Accept, Accept-Language, Authorization")
MAX_ENTRY_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Entry:
    version: int
    fresh_until: datetime | None
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    def __init__(self, app: ASGIApp, max_entries: int = 2_000) -> None:
        self.app = app
        self.max_entries = max_entries
        self.entries: OrderedDict[bytes, Entry] = OrderedDict()
        # Requests waiting for the same (key, version) share one computation: after a write,
        # 32 readers of the same query cost one execution, not 32.
        self.inflight: dict[tuple[bytes, int], asyncio.Future[Captured]] = {}
        self._time_memo: tuple[int, datetime, datetime | None] | None = None  # version, computed at, next change
        self._time_pending: tuple[int, datetime, asyncio.Future[datetime | None]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", ())) if scope["type"] == "http" else {}
        if scope["type"] != "http" or scope["path"] != "/graphql" or scope["method"] not in ("GET", "POST"):
            await self.app(scope, receive, send)
            return
        if b"authorization" in headers:
            await self.app(scope, receive, _with_vary(send))
            return
        body = await _read_body(receive)
        # Everything the answer depends on: what was asked and how it was sent (a body that is not
        # JSON is refused), where (links carry the host), and in which form (GraphiQL's HTML or
        # JSON, and which JSON media type, follow Accept; texts follow Accept-Language).
        key = hashlib.sha256(
            b"\0".join(
                (
                    scope["method"].encode(),
                    scope.get("scheme", "http").encode(),
                    scope.get("query_string", b""),
                    headers.get(b"host", b""),
                    headers.get(b"accept", b""),
                    headers.get(b"content-type", b""),
                    negotiate_language(headers.get(b"accept-language", b"").decode("latin-1")).encode(),
                    body,
                )
            )
        ).digest()
        state = scope["app"].state
        now = state.clock()
        version = await state.version_reads.current()
        fresh_until = await self._fresh_until(state.engine, version, now)
        entry = self.entries.get(key)
        if entry is not None and entry.version == version and (entry.fresh_until is None or now < entry.fresh_until):
            self.entries.move_to_end(key)
            await self._answer(scope, headers, entry.status, entry.headers, entry.body, entry.etag, send)
            return
        status, response_headers, response_body = await self._compute_once(key, version, scope, body)
        etag = _etag(response_headers, response_body)
        if (
            status == 200
            and _is_json(response_headers)
            and b'"errors"' not in response_body
            and len(response_body) <= MAX_ENTRY_BYTES
        ):
            self.entries[key] = Entry(version, fresh_until, status, response_headers, response_body, etag)
            self.entries.move_to_end(key)
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)
        await self._answer(scope, headers, status, response_headers, response_body, etag, send)

    async def _compute_once(self, key: bytes, version: int, scope: Scope, body: bytes) -> Captured:
        pending = self.inflight.get((key, version))
        if pending is not None:
            try:
                return await asyncio.shield(pending)
            except Exception:  # the first computation failed: compute our own answer
                return await _capture(self.app, scope, body)
        future: asyncio.Future[Captured] = asyncio.get_running_loop().create_future()
        self.inflight[(key, version)] = future
        try:
            result = await _capture(self.app, scope, body)
        except BaseException as error:
            future.set_exception(error if isinstance(error, Exception) else RuntimeError("cancelled"))
            future.exception()  # marked retrieved: waiters, if any, compute their own
            raise
        finally:
            self.inflight.pop((key, version), None)
        future.set_result(result)
        return result

    async def _fresh_until(self, engine: AsyncEngine, version: int, now: datetime) -> datetime | None:
        """Next time-driven change, computed once per version (and again once it has passed).
        Requests that find it being computed for their version, from a moment no later than
        theirs, wait for that answer instead of each asking the database again."""
        memo = self._time_memo
        if memo is not None and memo[0] == version and memo[1] <= now and (memo[2] is None or now < memo[2]):
            return memo[2]
        pending = self._time_pending
        if pending is not None and pending[0] == version and pending[1] <= now:
            try:
                return await asyncio.shield(pending[2])
            except Exception:  # that computation failed: ask the database ourselves
                pass
        future: asyncio.Future[datetime | None] = asyncio.get_running_loop().create_future()
        self._time_pending = (version, now, future)
        try:
            async with without_transaction(engine).connect() as conn:
                change = await next_time_change(conn, now)
        except BaseException as error:
            future.set_exception(error if isinstance(error, Exception) else RuntimeError("cancelled"))
            future.exception()  # marked retrieved: waiters, if any, compute their own
            raise
        finally:
            if self._time_pending is not None and self._time_pending[2] is future:
                self._time_pending = None
        future.set_result(change)
        self._time_memo = (version, now, change)
        return change

    @staticmethod
    async def _answer(
        scope: Scope,
        request_headers: dict[bytes, bytes],
        status: int,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        etag: bytes,
        send: Send,
    ) -> None:
        headers = [*headers, VARY]
        if scope["method"] == "GET" and status == 200:
            headers = [h for h in headers if h[0].lower() not in (b"etag", b"cache-control")]
            headers += [(b"etag", etag), (b"cache-control", CACHE_CONTROL)]
            if etag in [t.strip() for t in request_headers.get(b"if-none-match", b"").split(b",")]:
                kept = [h for h in headers if h[0].lower() != b"content-length"]
                await send({"type": "http.response.start", "status": 304, "headers": kept})
                await send({"type": "http.response.body", "body": b""})
                return
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _content_type(headers: list[tuple[bytes, bytes]]) -> bytes:
    return next((value for name, value in headers if name.lower() == b"content-type"), b"")


def _is_json(headers: list[tuple[bytes, bytes]]) -> bool:
    return _content_type(headers).split(b";")[0].strip().endswith(b"json")


def _etag(headers: list[tuple[bytes, bytes]], body: bytes) -> bytes:
    """Strong validator of the representation: the same body in another media type differs."""
    digest = hashlib.sha256(_content_type(headers) + b"\0" + body).hexdigest()[:32]
    return b'"' + digest.encode() + b'"'


def _with_vary(send: Send) -> Send:
    async def send_with_vary(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), VARY]
        await send(message)

    return send_with_vary


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _capture(app: ASGIApp, scope: Scope, body: bytes) -> Captured:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    status, headers, parts = 500, [], []

    async def collect(message: Message) -> None:
        nonlocal status, headers
        if message["type"] == "http.response.start":
            status, headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, replay, collect)
    return status, headers, b"".join(parts)
