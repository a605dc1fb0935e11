"""Relay connections with offset cursors, `first` at most 100, and lazily counted totals."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from schema.errors import bad_input

DEFAULT_FIRST = 20
MAX_FIRST = 100
_CURSOR_PREFIX = "cw1:"

NodeT = TypeVar("NodeT")


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item of the page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item; pass it as `after`.")


@strawberry.type(description="An item of a connection with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this item; pass it as `after`.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list, Relay style.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page sits.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Number of items in the whole list, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


@dataclass(frozen=True, slots=True)
class Page:
    """The slice a client asked for: items [offset, offset + limit)."""

    offset: int
    limit: int

    @property
    def probe(self) -> int:
        """Fetch one more than the page to learn whether another page follows."""
        return self.limit + 1


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
        if not raw.startswith(_CURSOR_PREFIX):
            raise ValueError
        position = int(raw.removeprefix(_CURSOR_PREFIX))
    except (binascii.Error, UnicodeError, ValueError):
        raise bad_input("after: malformed cursor; use an endCursor or cursor from a previous page") from None
    if not 0 <= position < 10**9:
        raise bad_input("after: malformed cursor; use an endCursor or cursor from a previous page")
    return position


def page_args(first: int | None, after: str | None) -> Page:
    limit = DEFAULT_FIRST if first is None else first
    if not 0 <= limit <= MAX_FIRST:
        raise bad_input(f"first must be between 0 and {MAX_FIRST}, got {limit}")
    offset = decode_cursor(after) + 1 if after is not None else 0
    return Page(offset=offset, limit=limit)


def connection(items: Sequence[NodeT], page: Page, count: Callable[[], Awaitable[int]]) -> Connection[NodeT]:
    """Build a connection from up to `page.probe` fetched items."""
    shown = list(items[: page.limit])
    edges = [Edge(cursor=encode_cursor(page.offset + i), node=item) for i, item in enumerate(shown)]
    info = PageInfo(
        has_next_page=len(items) > page.limit,
        has_previous_page=page.offset > 0,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return Connection(edges=edges, page_info=info, count=count)
