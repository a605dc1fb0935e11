"""The per-request context: state only. A session factory (never a shared session), the clock
reading of this request, the caller, and the request's DataLoaders; what resolvers do with it
lives in the resolvers and the domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import strawberry

from models.db import SessionFactory
from models.language import DEFAULT_LANGUAGE
from models.live.hub import ChangeHub
from models.tables import Principal
from models.timeutil import Clock
from models.webhooks.setup import WebhookSetup
from resolvers.loaders import Loaders
from schema.limits.rate import MutationLimiter

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


class Headers(Protocol):
    def __setitem__(self, name: str, value: str) -> None: ...


class SubResponse(Protocol):
    """The HTTP response being prepared: extensions may set its status and headers."""

    status_code: int

    @property
    def headers(self) -> Headers: ...


@dataclass
class Context:
    sessions: SessionFactory
    now: datetime  # the clock, read once per request so every field sees the same moment
    principal: Principal | None = None  # the viewer; None when anonymous
    bad_token: bool = False  # a token was sent but is unknown or revoked
    base_url: str = DEFAULT_BASE_URL
    client_address: str = "unknown"
    language: str = DEFAULT_LANGUAGE  # vi or en, from Accept-Language
    response: SubResponse | None = None
    request_id: str | None = None
    rate_limiter: MutationLimiter | None = None
    webhooks: WebhookSetup | None = None  # the server key and sender settings (webhook mutations)
    planned: bool = False  # answered by the planner (resolvers/planner), not the generic executor
    planned_fields: int = 0  # root fields (not __typename) the planner answered
    compiled_fields: int = 0  # of those, the ones answered with one SQL statement each (resolvers/planner/sql)
    # Subscriptions (a WebSocket connection): the clock, read again for each event, the hub of
    # committed changes, and the connection_init payload (strawberry sets it).
    clock: Clock | None = None
    changes: ChangeHub | None = None
    connection_params: dict[str, object] | None = None
    _loaders: Loaders | None = field(default=None, init=False, repr=False)

    @property
    def loaders(self) -> Loaders:
        """The request's DataLoaders, made on first use: a read PostgreSQL answers in one
        statement needs none."""
        if self._loaders is None:
            self._loaders = Loaders(self.sessions, self.now)
        return self._loaders

    @loaders.setter
    def loaders(self, value: Loaders) -> None:
        self._loaders = value


# What every resolver in resolvers/ receives as `info`.
Info = strawberry.Info[Context, None]
