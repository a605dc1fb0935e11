"""Server settings from the environment (documented in README.md)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from models.db import REPO_ROOT
from models.webhooks.secrets import load_server_key
from models.webhooks.setup import WebhookSetup
from models.webhooks.worker import SenderSettings
from schema.limits.settings import Limits


@dataclass(frozen=True, slots=True)
class Settings:
    production: bool = False  # CRAFTWAY_ENV=production: no introspection, no GraphiQL
    mutations_per_minute: int = 60  # per token and per client address
    redis_url: str | None = None
    connection_init_seconds: float = 10.0  # a WebSocket must send connection_init within this, or is closed (4408)
    limits: Limits = field(default_factory=Limits)
    # Webhooks: the server key that seals signing secrets (the same on every process of one
    # database), and how the sender behaves.
    secret_key: str | None = None  # CRAFTWAY_SECRET_KEY; without it, a key file
    secret_key_file: Path = REPO_ROOT / "craftway.key"
    webhook_sender: SenderSettings = field(default_factory=SenderSettings)

    def webhooks(self) -> WebhookSetup:
        return WebhookSetup(load_server_key(self.secret_key, self.secret_key_file), self.webhook_sender)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            production=os.environ.get("CRAFTWAY_ENV", "").lower() == "production",
            mutations_per_minute=int(os.environ.get("CRAFTWAY_MUTATIONS_PER_MINUTE") or 60),
            redis_url=os.environ.get("REDIS_URL") or None,
            connection_init_seconds=float(os.environ.get("CRAFTWAY_WS_INIT_TIMEOUT") or 10),
            limits=Limits.from_env(),
            secret_key=os.environ.get("CRAFTWAY_SECRET_KEY") or None,
            secret_key_file=Path(os.environ.get("CRAFTWAY_SECRET_KEY_FILE") or REPO_ROOT / "craftway.key"),
            webhook_sender=SenderSettings(
                timeout_seconds=float(os.environ.get("CRAFTWAY_WEBHOOK_TIMEOUT") or 15),
                retry_scale=float(os.environ.get("CRAFTWAY_WEBHOOK_RETRY_SCALE") or 1),
                allow_private=os.environ.get("CRAFTWAY_WEBHOOKS_ALLOW_PRIVATE") == "1",
            ),
        )
