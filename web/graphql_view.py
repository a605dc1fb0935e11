"""The GraphQL HTTP endpoint: strawberry's ASGI view with Craftway's request handling —
bearer tokens into the context, coded errors for HTTP-level refusals, strict JSON, persisted
queries, and GraphQL-over-HTTP status codes. Planned reads (resolvers/planner) are answered
inside schema execution, behind the same limits as every other document."""

from __future__ import annotations

import json
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types.execution import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from models.auth import bearer_token, connection_token, principal_for_token
from resolvers.context import Context
from web.language import negotiate_language
from web.persisted_queries import PersistedQueries

MAX_TOKEN_LENGTH = 200
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _no_constant(name: str) -> object:
    raise json.JSONDecodeError(f"{name} is not a JSON number", name, 0)


class CraftwayGraphQL(GraphQL[Context, None]):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Like strawberry's, but HTTP-level refusals (bad JSON, batching, mutations over GET)
        are GraphQL errors with a code too, not plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            code = getattr(error, "code", "BAD_REQUEST")
            body = {"errors": [{"message": error.reason, "extensions": {"code": code}}]}
            response = JSONResponse(body, status_code=error.status_code)
        await response(scope, receive, send)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.persisted = PersistedQueries()

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET carrying a persisted-query hash is an API call, not a browser asking for GraphiQL."""
        return "extensions" not in request.query_params and super().should_render_graphql_ide(request)

    async def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        data = await super().parse_http_body(request)
        if isinstance(data, GraphQLRequestData):
            data.query = self.persisted.resolve(data.query, data.extensions)
        return data

    def decode_json(self, data: str | bytes) -> object:
        """Strict JSON: invalid UTF-8 and NaN/Infinity are a 400, like any other bad JSON."""
        try:
            return json.loads(data, parse_constant=_no_constant)
        except UnicodeDecodeError:
            raise json.JSONDecodeError("the request body is not valid UTF-8", "", 0) from None

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        if isinstance(request, WebSocket):
            return self._websocket_context(request)
        request.state.sub_response = response
        language = negotiate_language(request.headers.get("accept-language"))
        if isinstance(response, Response):
            response.headers["Content-Language"] = language
        state = request.app.state
        token = bearer_token(request.headers.get("authorization"))
        principal = None
        if token is not None and len(token) <= MAX_TOKEN_LENGTH:
            async with state.sessions() as db:
                principal = await principal_for_token(db, token)
        return Context(
            sessions=state.sessions,
            now=state.clock(),
            base_url=str(request.base_url),
            client_address=request.client.host if request.client else "unknown",
            language=language,
            principal=principal,
            bad_token=token is not None and principal is None,
            response=response if isinstance(response, Response) else None,
            request_id=request.scope.get("state", {}).get("request_id"),
            rate_limiter=state.rate_limiter,
            webhooks=state.webhooks,
        )

    def _websocket_context(self, websocket: WebSocket) -> Context:
        """One context for the connection; the caller is known once connection_init arrives."""
        state = websocket.app.state
        return Context(
            sessions=state.sessions,
            now=state.clock(),
            clock=state.clock,
            changes=state.changes,
            base_url=str(websocket.base_url).replace("ws", "http", 1),
            client_address=websocket.client.host if websocket.client else "unknown",
            language=negotiate_language(websocket.headers.get("accept-language")),
            rate_limiter=state.rate_limiter,
            webhooks=state.webhooks,
        )

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        """connection_init may carry {"Authorization": "Bearer <token>"}; an unknown token closes
        the connection (4403), no token leaves it anonymous."""
        params = context.connection_params or {}
        if params.get("Authorization", params.get("authorization")) is None:
            return UNSET
        token = connection_token(params)
        if token is None or len(token) > MAX_TOKEN_LENGTH:
            raise ConnectionRejectionError({"message": "connection_init Authorization must be 'Bearer <token>'"})
        async with context.sessions() as db:
            context.principal = await principal_for_token(db, token)
        if context.principal is None:
            raise ConnectionRejectionError({"message": "the bearer token is unknown or revoked"})
        return UNSET

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        """GraphQL over HTTP: a client accepting application/graphql-response+json gets that media
        type, and for a request that could not run at all (parse, validation or limit errors, which
        carry no path) a 400 with no `data` entry. Plain JSON clients get 200 as before."""
        response_data = await super().process_result(request, result)
        sub_response = getattr(request.state, "sub_response", None)
        if sub_response is None or not accepts_graphql_response_json(request):
            return response_data
        sub_response.media_type = GRAPHQL_RESPONSE_JSON
        if result.data is None and result.errors and all(error.path is None for error in result.errors):
            response_data.pop("data", None)
            sub_response.status_code = sub_response.status_code or 400
        return response_data

    def encode_json(self, data: object) -> str:
        """orjson: several times faster than the json module on an answer of many objects, and
        UTF-8 throughout (Vietnamese texts are not escaped to \\uXXXX). Text, not bytes: the
        WebSocket protocols send what this returns, and must send text frames."""
        return orjson.dumps(data).decode()

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if sub_response.media_type == GRAPHQL_RESPONSE_JSON:
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
        return response


def accepts_graphql_response_json(request: Request) -> bool:
    return GRAPHQL_RESPONSE_JSON in request.headers.get("accept", "")
