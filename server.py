"""Craftway's HTTP server and command line.

python server.py [serve]                       serve the API (HOST, PORT, DATABASE_URL)
python server.py create-token --role ROLE ...  print a new bearer token
python server.py revoke-token TOKEN            revoke a token
python server.py reset-feed TOKEN              replace an operator's private feed URL
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import AsyncIterator
from datetime import timedelta

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from models.auth import (
    AuthSetupError,
    create_token,
    principal_for_token,
    reset_feed_token,
    revoke_token,
)
from models.booking.locking import begin_write
from models.db import DEFAULT_DATABASE_URL, create_engine, session_factory
from models.engine_shutdown import close_engine
from models.live.hub import hub_of
from models.migrate import prepare_database
from models.timeutil import Clock, system_clock
from schema.build import build_schema
from schema.limits.settings import Limits
from web.background import background_work
from web.calendar_feeds import center_calendar, operator_feed, tour_calendar, tour_link
from web.coverage.csv_export import coverage_csv
from web.coverage.page import coverage_page
from web.graphql_view import CraftwayGraphQL
from web.health import healthz, readyz
from web.http_guards import RequestGuards
from web.json_logs import configure_json_logging
from web.octo.routes import octo_routes
from web.rate_limit import make_rate_limiter
from web.response_cache import ResponseCache
from web.settings import Settings
from web.version_reads import shared_version_reads

ROLE_NAMES = {"operator": "OPERATOR", "center": "CENTER_STAFF", "admin": "ADMIN"}


def create_app(
    database_url: str | None = None,
    *,
    clock: Clock = system_clock,
    seed: bool = True,
    settings: Settings | None = None,
) -> Starlette:
    url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(url)
        await prepare_database(engine, seed=seed, now=clock)
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.version_reads = shared_version_reads(engine)
        app.state.clock = clock
        app.state.rate_limiter = make_rate_limiter(engine, settings.redis_url, settings.mutations_per_minute)
        app.state.changes = hub_of(engine.sync_engine)
        app.state.webhooks = settings.webhooks()
        try:
            async with background_work(engine, app.state.sessions, clock, app.state.changes, app.state.webhooks):
                yield
        finally:
            await close_engine(engine)

    graphql = CraftwayGraphQL(
        build_schema(settings.limits, production=settings.production),
        graphql_ide=None if settings.production else "graphiql",
        allow_queries_via_get=True,
        subscription_protocols=[GRAPHQL_TRANSPORT_WS_PROTOCOL],
        connection_init_wait_timeout=timedelta(seconds=settings.connection_init_seconds),
    )
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/calendar/operators/{token}.ics", operator_feed, methods=["GET"]),
        Route("/calendar/centers/{slug}.ics", center_calendar, methods=["GET"]),
        Route("/calendar/tours/{slug}.ics", tour_calendar, methods=["GET"]),
        Route("/tours/{slug}", tour_link, methods=["GET"]),
        Route("/coverage", coverage_page, methods=["GET"]),
        Route("/coverage.csv", coverage_csv, methods=["GET"]),
        *octo_routes(),
    ]
    middleware = [
        Middleware(
            RequestGuards,
            max_body_bytes=settings.limits.max_body_bytes,
            max_authenticated_body_bytes=settings.limits.max_authenticated_body_bytes,
        ),
        Middleware(ResponseCache),
    ]
    return Starlette(routes=routes, lifespan=lifespan, middleware=middleware)


def _serve() -> None:
    import uvicorn

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    configure_json_logging()
    logging.getLogger("craftway").info("serving GraphQL at http://%s:%s/graphql", host, port)
    # On SIGTERM uvicorn stops accepting, lets in-flight requests finish (up to the timeout), then exits.
    uvicorn.run(
        create_app(),
        host=host,
        port=port,
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=30,
        ws_max_size=Limits.from_env().max_body_bytes,  # a WebSocket message is held to the body limit
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="server.py", description="Craftway API server")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the API (default)")
    create = commands.add_parser("create-token", help="print a new bearer token, alone on stdout")
    create.add_argument("--role", required=True, choices=sorted(ROLE_NAMES))
    create.add_argument("--name", required=True, help="operator, staff member or admin name")
    create.add_argument("--center", help="center slug (with --role center)")
    revoke = commands.add_parser("revoke-token", help="revoke a bearer token")
    revoke.add_argument("token")
    feed = commands.add_parser("reset-feed", help="replace an operator's private calendar feed URL")
    feed.add_argument("token", help="one of the operator's bearer tokens")
    args = parser.parse_args(argv)
    if args.command in (None, "serve"):
        _serve()
        return 0
    return asyncio.run(_run_command(args))


async def _run_command(args: argparse.Namespace) -> int:
    """Token commands run against DATABASE_URL, migrating and seeding it first like `serve`."""
    engine = create_engine(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    try:
        await prepare_database(engine)
        async with session_factory(engine)() as db:
            await begin_write(db)  # on SQLite, wait for the running server's writers instead of failing
            now = system_clock()
            if args.command == "create-token":
                token = await create_token(db, ROLE_NAMES[args.role], args.name, now, args.center)
                await db.commit()
                print(token)
            elif args.command == "revoke-token":
                if not await revoke_token(db, args.token, now):
                    print("no live token like that", file=sys.stderr)
                    return 1
                await db.commit()
                print("revoked", file=sys.stderr)
            elif args.command == "reset-feed":
                principal = await principal_for_token(db, args.token)
                if principal is None:
                    print("no live token like that", file=sys.stderr)
                    return 1
                await reset_feed_token(db, principal.pk)
                await db.commit()
                print("feed URL replaced; read the new one from viewer.calendarUrl", file=sys.stderr)
    except AuthSetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    finally:
        await close_engine(engine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
