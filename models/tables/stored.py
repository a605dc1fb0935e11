"""`row.pk`: the id of a stored row as a plain int.

SQLModel types `id` as `int | None` because a row has none until it is inserted; code that
works with stored rows reads `pk` instead, which says so once and fails loudly if it is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING


class Stored:
    if TYPE_CHECKING:
        id: int | None

    @property
    def pk(self) -> int:
        if self.id is None:
            raise RuntimeError(f"{type(self).__name__} has no id yet: it was never flushed")
        return self.id
