"""Shared rate-limit counters for server processes on one PostgreSQL database."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class RateLimitWindow(SQLModel, table=True):
    __tablename__ = "rate_limit_window"

    key: str = Field(max_length=200, primary_key=True)
    window_start: int = Field(primary_key=True)
    hits: int = 0
