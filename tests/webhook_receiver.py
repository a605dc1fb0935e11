"""A webhook receiver for tests: a real HTTP server on a local port that records every request
and answers with what the test scripts (a status per attempt, a Retry-After, a delay)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support import free_port


@dataclass
class Received:
    at: float  # time.monotonic() on arrival
    headers: dict[str, str]
    body: str
    wall: float = field(default_factory=time.time)  # time.time() on arrival
    status: int | None = None  # what the receiver answered

    @property
    def message_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Answer:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Receiver:
    def __init__(self, answer: Callable[[Received], Answer] | None = None, port: int | None = None) -> None:
        self.answer = answer or (lambda _request: Answer())
        self.received: list[Received] = []
        self.in_flight: dict[str, int] = {}
        self.most_in_flight_per_message = 0
        self.lock = threading.Lock()
        self.port = port or free_port()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real receivers do

            def do_POST(self) -> None:  # noqa: N802  (the name http.server calls)
                length = int(self.headers.get("content-length") or 0)
                request = Received(time.monotonic(), {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length).decode())
                with receiver.lock:
                    receiver.received.append(request)
                    count = receiver.in_flight.get(request.message_id, 0) + 1
                    receiver.in_flight[request.message_id] = count
                    receiver.most_in_flight_per_message = max(receiver.most_in_flight_per_message, count)
                answer = receiver.answer(request)
                request.status = answer.status
                time.sleep(answer.delay)
                with receiver.lock:
                    receiver.in_flight[request.message_id] -= 1
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def wait_for(self, condition: Callable[[list[Received]], bool], timeout: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                seen = list(self.received)
            if condition(seen):
                return seen
            time.sleep(0.05)
        raise AssertionError(f"the receiver did not see what was awaited; it got {len(seen)} requests")


@contextmanager
def receiving(answer: Callable[[Received], Answer] | None = None) -> Iterator[Receiver]:
    receiver = Receiver(answer).start()
    try:
        yield receiver
    finally:
        receiver.stop()
