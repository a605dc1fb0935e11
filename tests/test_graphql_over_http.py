"""The GraphQL-over-HTTP specification's public audit (npm graphql-http's auditServer) against a
real server process: every MUST and every SHOULD passes, none warns."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support import JS_DIR, ServerProcess, new_database, require_node_package

AUDIT = JS_DIR / "audit_graphql_http.mjs"


def test_the_graphql_over_http_audit_passes_without_warnings(tmp_path: Path) -> None:
    require_node_package("graphql-http")
    db = new_database("sqlite", tmp_path)
    server = ServerProcess(db.url).wait_healthy()
    try:
        run = subprocess.run(
            ["node", str(AUDIT), f"{server.url}/graphql"], capture_output=True, text=True, timeout=120, check=True
        )
    finally:
        server.stop()
    results = [json.loads(line) for line in run.stdout.splitlines()]
    not_ok = [f"{r['status']} {r['id']} {r['name']}: {r.get('reason')}" for r in results if r["status"] != "ok"]
    assert len(results) >= 60, run.stdout  # the audit ran its whole list
    assert not_ok == []
