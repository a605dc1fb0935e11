"""HTTP endpoints of the .ics feeds, with ETag and Last-Modified for conditional GETs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from models.auth import principal_for_feed
from models.calendar.feed import FeedEvent, render
from models.calendar.operator_feed import operator_events
from models.calendar.session_feed import center_feed, tour_feed
from models.language import DEFAULT_LANGUAGE, LANGUAGES
from models.tables.lengths import FEED_TOKEN_LENGTH, SLUG_LENGTH

CONTENT_TYPE = "text/calendar; charset=utf-8"


def feed_response(request: Request, name: str, events: Sequence[FeedEvent], *, public: bool = False) -> Response:
    body = render(name, events)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    cache = "public, max-age=300" if public else "private, max-age=0, must-revalidate"
    headers = {"ETag": etag, "Cache-Control": cache}
    if events:
        headers["Last-Modified"] = format_datetime(max(e.last_modified for e in events), usegmt=True)
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=CONTENT_TYPE, headers=headers)


async def operator_feed(request: Request) -> Response:
    token = request.path_params["token"]
    if len(token) > FEED_TOKEN_LENGTH:
        return PlainTextResponse("no such feed", status_code=404)
    state = request.app.state
    now = state.clock()
    async with state.sessions() as db:
        operator = await principal_for_feed(db, token)
        if operator is None:
            return PlainTextResponse("no such feed", status_code=404)
        events = await operator_events(db, operator, now)
    return feed_response(request, f"Craftway · {operator.name}", events)


PublicFeed = Callable[[AsyncSession, str, datetime, str, str], Awaitable[tuple[str, list[FeedEvent]] | None]]


async def _public_feed(request: Request, build: PublicFeed) -> Response:
    slug = request.path_params["slug"]
    if len(slug) > SLUG_LENGTH:
        return PlainTextResponse("no such calendar", status_code=404)
    language = request.query_params.get("lang", DEFAULT_LANGUAGE)
    if language not in LANGUAGES:
        return PlainTextResponse(f"lang must be one of {', '.join(LANGUAGES)}", status_code=400)
    state = request.app.state
    async with state.sessions() as db:
        found = await build(db, slug, state.clock(), str(request.base_url), language)
    if found is None:
        return PlainTextResponse("no such calendar", status_code=404)
    name, events = found
    return feed_response(request, name, events, public=True)


async def tour_calendar(request: Request) -> Response:
    return await _public_feed(request, tour_feed)


async def center_calendar(request: Request) -> Response:
    return await _public_feed(request, center_feed)


TOUR_LINK_QUERY = (
    "query Tour($slug: String!) { tour(slug: $slug) { title titleEn description durationMinutes priceVnd "
    "village { name } center { name } district { name } "
    "sessions(first: 20) { edges { node { startsAt seatsAvailable availability } } } } }"
)


async def tour_link(request: Request) -> Response:
    """The link in feed events: a redirect to the tour's public data over GraphQL GET."""
    slug = request.path_params["slug"]
    query = urlencode({"query": TOUR_LINK_QUERY, "variables": json.dumps({"slug": slug})})
    return RedirectResponse(f"/graphql?{query}", status_code=307)
