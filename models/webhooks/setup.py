"""What the webhook operations and the sender need from the server's configuration."""

from __future__ import annotations

from dataclasses import dataclass

from models.webhooks.secrets import ServerKey
from models.webhooks.worker import SenderSettings


@dataclass(frozen=True)
class WebhookSetup:
    key: ServerKey  # seals and opens signing secrets
    sender: SenderSettings
