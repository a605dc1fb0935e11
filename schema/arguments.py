"""Argument annotations shared by several fields."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.pagination import DEFAULT_FIRST, MAX_FIRST

First = Annotated[int | None, strawberry.argument(description=f"Page size, 0-{MAX_FIRST} (default {DEFAULT_FIRST}).")]
After = Annotated[str | None, strawberry.argument(description="Cursor of the item to continue after.")]
Slug = Annotated[str, strawberry.argument(description="The slug, e.g. ba-dinh.")]
