"""The limits, configurable through the environment (values in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2_000
    max_cost: int = 10_000
    max_body_bytes: int = 100 * 1024
    # Requests with a bearer token may be larger: importCalendar takes .ics files up to 1 MB.
    max_authenticated_body_bytes: int = 2 * 1024 * 1024

    @classmethod
    def from_env(cls) -> Limits:
        default = cls()
        return cls(
            max_depth=_int("CRAFTWAY_MAX_DEPTH", default.max_depth),
            max_aliases=_int("CRAFTWAY_MAX_ALIASES", default.max_aliases),
            max_tokens=_int("CRAFTWAY_MAX_TOKENS", default.max_tokens),
            max_cost=_int("CRAFTWAY_MAX_COST", default.max_cost),
            max_body_bytes=_int("CRAFTWAY_MAX_BODY_BYTES", default.max_body_bytes),
            max_authenticated_body_bytes=_int(
                "CRAFTWAY_MAX_AUTHENTICATED_BODY_BYTES", default.max_authenticated_body_bytes
            ),
        )
