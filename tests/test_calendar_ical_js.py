"""The feeds read by ical.js, the parser Thunderbird uses (installed by `make test` from npm)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from starlette.testclient import TestClient

from tests.support import JS_DIR, World, require_node_package

READER = JS_DIR / "read_ics.mjs"
UPDATE = """mutation($i: UpdateSessionInput!) { updateSession(input: $i) { __typename } }"""
CANCEL = """mutation($i: CancelSessionInput!) { cancelSession(input: $i) { __typename } }"""


def read_with_ical_js(body: bytes) -> dict[str, Any]:
    require_node_package("ical.js")
    result = subprocess.run(["node", str(READER)], input=body, capture_output=True, timeout=60, check=True)
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_tour_feed_reads_the_same_in_ical_js(client: TestClient) -> None:
    parsed = read_with_ical_js(client.get("/calendar/tours/ngu-xa-bronze-heritage.ics").content)
    assert parsed["timezones"] == 1
    first = parsed["events"][0]
    assert first["tzid"] == "Asia/Ho_Chi_Minh"
    assert first["localStart"] == "2026-12-02T09:00:00" and first["utcStart"] == "2026-12-02T02:00:00.000Z"
    assert first["summary"] == "Di sản đúc đồng Ngũ Xã" and first["status"] == "CONFIRMED"
    assert len({e["uid"] for e in parsed["events"]}) == len(parsed["events"]) == 120


def test_changes_and_cancellations_reach_ical_js(world: World) -> None:
    url = "/calendar/centers/dc-phu-nghia.ics"
    before = {e["uid"]: e for e in read_with_ical_js(world.client.get(url).content)["events"]}
    moved, cancelled = world.session_id("phu-vinh-weaving", 0), world.session_id("phu-vinh-weaving", 1)
    world.call(UPDATE, {"i": {"sessionId": moved, "startsAt": "2026-12-02T11:30:00+07:00"}}, token=world.center_staff)
    world.call(CANCEL, {"i": {"sessionId": cancelled}}, token=world.center_staff)
    after = {e["uid"]: e for e in read_with_ical_js(world.client.get(url).content)["events"]}
    changed = {uid: e for uid, e in after.items() if e["sequence"] > before[uid]["sequence"]}
    assert sorted(e["status"] for e in changed.values()) == ["CANCELLED", "CONFIRMED"]
    moved_event = next(e for e in changed.values() if e["status"] == "CONFIRMED")
    assert moved_event["localStart"] == "2026-12-02T11:30:00" and moved_event["utcStart"] == "2026-12-02T04:30:00.000Z"
