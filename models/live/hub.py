"""In-process fan-out of committed changes to the subscriptions and workers of this process.

Each listener has its own buffer, so a slow subscriber never holds up the others; a buffer that
overflows collapses into one RESYNC, and a RESYNC (also sent after the cross-process feed
reconnects, when changes may have been missed) tells listeners to re-read what they follow.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from sqlalchemy import Engine

MAX_BUFFERED = 1000


@dataclass(frozen=True, slots=True)
class Change:
    """A committed change of a session, and of one of its bookings when `booking_id` is set."""

    session_id: int
    tour_id: int
    booking_id: int | None = None
    principal_id: int | None = None  # the booking's operator
    outbox: bool = False  # the transaction wrote webhook deliveries (the sender wakes for these)


class Resync:
    """Changes may have been missed: re-read everything followed."""


RESYNC = Resync()
Batch = list[Change] | Resync


class Listener:
    def __init__(self) -> None:
        self._batches: list[Batch] = []
        self._ready = asyncio.Event()

    def deliver(self, batch: Batch) -> None:
        if len(self._batches) >= MAX_BUFFERED:
            self._batches = [RESYNC]
        else:
            self._batches.append(batch)
        self._ready.set()

    async def next_batch(self) -> Batch:
        while not self._batches:
            self._ready.clear()
            await self._ready.wait()
        return self._batches.pop(0)

    async def __aiter__(self) -> AsyncIterator[Batch]:
        while True:
            yield await self.next_batch()


class ChangeHub:
    def __init__(self) -> None:
        self._listeners: set[Listener] = set()

    def publish(self, changes: Iterable[Change]) -> None:
        batch = list(changes)
        if batch:
            for listener in list(self._listeners):
                listener.deliver(batch)

    def resync(self) -> None:
        for listener in list(self._listeners):
            listener.deliver(RESYNC)

    @contextmanager
    def listen(self) -> Iterator[Listener]:
        listener = Listener()
        self._listeners.add(listener)
        try:
            yield listener
        finally:
            self._listeners.discard(listener)


_HUBS: WeakKeyDictionary[Engine, ChangeHub] = WeakKeyDictionary()


def hub_of(engine: Engine) -> ChangeHub:
    """The hub of the changes committed through `engine` in this process (one per engine)."""
    hub = _HUBS.get(engine)
    if hub is None:
        hub = _HUBS[engine] = ChangeHub()
    return hub
