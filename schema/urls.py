"""Absolute links the API hands out (feeds), on the host the client called."""

from __future__ import annotations


def absolute_url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path
