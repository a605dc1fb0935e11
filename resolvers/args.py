"""Argument annotations shared by several query fields."""

from __future__ import annotations

from typing import Annotated

import strawberry

First = Annotated[int | None, strawberry.argument(description="Page size, 0-100 (default 20).")]
After = Annotated[str | None, strawberry.argument(description="Cursor of the item to continue after.")]
Slug = Annotated[str, strawberry.argument(description="The slug, e.g. ba-dinh.")]
