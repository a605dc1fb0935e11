"""Plumbing shared by the benchmark scripts: child processes, readiness, load runs, memory.

Every child (servers, the ceiling, load generators) runs in its own session, so that Ctrl-C
reaches only the benchmark, which then stops them all; its output goes to a log in a work
directory that the benchmark removes afterwards. Load comes from `bench/loadgen.py`, each run
in its own OS process, so the generator's CPU never mixes with the server's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def operator_token(database_url: str, name: str) -> str:
    """A new operator bearer token, made by the server's own command line against the database."""
    argv = [sys.executable, "server.py", "create-token", "--role", "operator", "--name", name]
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(argv, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip()


def print_run_header() -> None:
    """The command and the machine, first in every benchmark's output, so figures carry their source."""
    print("command:", shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv])))
    print("cpus:   ", os.cpu_count(), "| date:", dt.datetime.now().astimezone().isoformat(timespec="seconds"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, body: bytes | None = None, headers: dict | None = None, timeout: float = 30) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers={**(JSON_HEADERS if body else {}), **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def memory(pid: int) -> dict[str, int]:
    """VmHWM (peak resident set) and VmRSS of a live process, in kB, from /proc/<pid>/status."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0])
    return fields


class Processes:
    """Child processes, each in its own session (so Ctrl-C reaches only us), cleaned up on exit."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.children: list[subprocess.Popen[bytes]] = []
        self.files = 0

    def body_file(self, data: bytes) -> Path:
        """A new file in the work directory holding `data` (a request body for the load generator)."""
        self.files += 1
        path = self.workdir / f"body-{self.files}.json"
        path.write_bytes(data)
        return path

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with open(self.workdir / f"{name}.log", "ab") as log:
            child = subprocess.Popen(
                argv,
                cwd=ROOT,
                env={**os.environ, **(env or {})},
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.children.append(child)
        return child

    def log(self, name: str) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def log_tail(self, name: str, lines: int = 30) -> str:
        return "\n".join(self.log(name).splitlines()[-lines:])

    def wait_ready(self, name: str, child: subprocess.Popen[bytes], url: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.poll() is not None:
                raise SystemExit(f"{name} exited with {child.returncode}:\n{self.log_tail(name)}")
            try:
                if http(url, timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{name} not ready at {url} after {timeout:.0f} s:\n{self.log_tail(name)}")

    def stop(self, child: subprocess.Popen[bytes]) -> None:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=40)  # the server drains in-flight requests for up to 30 s
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    def stop_all(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.terminate()
        for child in self.children:
            self.stop(child)


def start_load(
    procs: Processes, name: str, url: str, body_file: Path, headers: dict | None = None, **options: object
) -> subprocess.Popen[bytes]:
    """POST `body_file` to `url` with bench/loadgen.py; `options` are its flags (connections=32: --connections 32)."""
    argv = [sys.executable, str(BENCH / "loadgen.py"), "--url", url, "--method", "POST", "--body-file", str(body_file)]
    for key, value in options.items():
        if value is not None:
            argv += [f"--{key.replace('_', '-')}", str(value)]
    for header in {**JSON_HEADERS, **(headers or {})}.items():
        argv += ["--header", ": ".join(header)]
    return procs.start(name, argv)


def load_result(procs: Processes, name: str, child: subprocess.Popen[bytes], timeout: float) -> dict:
    """Wait for a load run started by `start_load` and return its JSON result."""
    child.wait(timeout=timeout)
    lines = procs.log(name).strip().splitlines()
    if child.returncode != 0 or not lines:
        raise SystemExit(f"load generator {name} failed ({child.returncode}):\n{procs.log_tail(name)}")
    return json.loads(lines[-1])
