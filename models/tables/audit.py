"""The audit log of management changes (centers, tours, products)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index
from sqlmodel import Field, SQLModel

from models.tables.stored import Stored
from models.timeutil import UTCDateTime


class AuditEntry(Stored, SQLModel, table=True):
    """Who changed what, when: written in the same transaction as the change it describes."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_subject", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    actor_id: int = Field(foreign_key="principal.id")
    actor_name: str = Field(max_length=120)
    actor_role: str = Field(max_length=20)
    action: str = Field(max_length=40)  # e.g. registerCenter
    subject_type: str = Field(max_length=40)  # a GraphQL type name: Center, Tour, OcopProduct
    subject_id: int
    summary: str = Field(max_length=2000)
