"""Webhook signing secrets: made here, shown to their owner once, stored encrypted.

A secret is "whsec_" and base64 of 32 random bytes, as Standard Webhooks lays out. The database
keeps it sealed with AES-GCM under the server's key, which lives outside the database (the
CRAFTWAY_SECRET_KEY variable, or a key file made on first start): someone who can read the
database, or a backup of it, cannot sign a webhook.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "whsec_"
NONCE_BYTES = 12
SEALED_PREFIX = "v1:"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def secret_bytes(secret: str) -> bytes:
    """The HMAC key a secret stands for (the base64 after "whsec_")."""
    return base64.b64decode(secret.removeprefix(PREFIX))


@dataclass(frozen=True)
class ServerKey:
    key: bytes  # 32 bytes

    @classmethod
    def from_text(cls, text: str) -> ServerKey:
        return cls(hashlib.sha256(text.encode()).digest())

    def seal(self, secret: str) -> str:
        nonce = secrets.token_bytes(NONCE_BYTES)
        sealed = AESGCM(self.key).encrypt(nonce, secret.encode(), b"craftway-webhook-secret")
        return SEALED_PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, sealed: str) -> str:
        raw = base64.b64decode(sealed.removeprefix(SEALED_PREFIX))
        try:
            return AESGCM(self.key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], b"craftway-webhook-secret").decode()
        except InvalidTag:
            raise ValueError("this webhook secret was sealed with another server key") from None


def load_server_key(env_value: str | None, key_file: Path) -> ServerKey:
    """CRAFTWAY_SECRET_KEY when set (every server process on one database needs the same one);
    otherwise the key file, made with 32 random bytes (mode 0600) on first use. The file is
    written aside and linked into place, so a process starting alongside never reads it half made."""
    if env_value:
        return ServerKey.from_text(env_value)
    if not key_file.exists():
        draft = key_file.with_name(f".{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(base64.b64encode(secrets.token_bytes(32)).decode() + "\n")
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return ServerKey.from_text(key_file.read_text().strip())
