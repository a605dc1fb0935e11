"""The Core `Table` behind a table model, typed.

SQLModel sets `__table__` on every `table=True` class but does not declare it for type checkers.
Code that builds Core statements on a table (guarded UPDATEs, arithmetic on its columns) takes the
table from here: the very object SQLAlchemy mapped the class to.
"""

from __future__ import annotations

from sqlalchemy import Table, inspect
from sqlmodel import SQLModel


def core_table(model: type[SQLModel]) -> Table:
    table = inspect(model).local_table
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a single table")
    return table
