"""Craftway's HTTP server and command line.

    python server.py [serve]                       serve the API (HOST, PORT, DATABASE_URL)
    python server.py create-token --role ROLE ...  print a new bearer token
    python server.py revoke-token TOKEN            revoke a token
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from models.db import DEFAULT_DATABASE_URL, create_engine, session_factory
from models.migrate import prepare_database
from models.timeutil import Clock, system_clock
from resolvers.context import Context
from schema.build import schema


class CraftwayGraphQL(GraphQL):
    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        state = request.app.state
        return Context(
            sessions=state.sessions, now=state.clock(), base_url=str(request.base_url), request=request,
        )


async def healthz(_request: Request) -> Response:
    return PlainTextResponse("ok")


def create_app(database_url: str | None = None, *, clock: Clock = system_clock, seed: bool = True) -> Starlette:
    url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = create_engine(url)
        await prepare_database(engine, seed=seed, now=clock)
        app.state.engine = engine
        app.state.sessions = session_factory(engine)
        app.state.clock = clock
        try:
            yield
        finally:
            await engine.dispose()

    graphql = CraftwayGraphQL(schema, graphql_ide="graphiql")
    routes = [
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def _serve() -> None:
    import uvicorn

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    print(f"Craftway: GraphQL and GraphiQL at http://{host}:{port}/graphql", file=sys.stderr)
    uvicorn.run(create_app(), host=host, port=port, access_log=False, log_level="info")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="server.py", description="Craftway API server")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("serve", help="serve the API (default)")
    args = parser.parse_args(argv)
    if args.command in (None, "serve"):
        _serve()
        return 0
    return asyncio.run(_run_command(args))


async def _run_command(args: argparse.Namespace) -> int:
    raise SystemExit(f"unknown command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
