"""Server settings from the environment (documented in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from schema.limits.settings import Limits


@dataclass(frozen=True, slots=True)
class Settings:
    production: bool = False  # CRAFTWAY_ENV=production: no introspection, no GraphiQL
    mutations_per_minute: int = 60  # per token and per client address
    redis_url: str | None = None
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            production=os.environ.get("CRAFTWAY_ENV", "").lower() == "production",
            mutations_per_minute=int(os.environ.get("CRAFTWAY_MUTATIONS_PER_MINUTE") or 60),
            redis_url=os.environ.get("REDIS_URL") or None,
            limits=Limits.from_env(),
        )
