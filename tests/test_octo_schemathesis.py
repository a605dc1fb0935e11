"""The OCTO facade against the OCTO specification itself: schemathesis reads the OpenAPI document
that ships in the npm package @octocloud/types (installed by `make test`, as ical.js is) and
sends generated requests for every operation to a running server, checking that none is a
server error and that every answer (status, headers, body) conforms to the document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.support import JS_DIR, ServerProcess, make_token, new_database, require_node_package

SPEC = JS_DIR / "node_modules" / "@octocloud" / "types" / "src" / "openapi.yaml"
EXAMPLES = 40
# Schemathesis' checks, less those that ask for what the OCTO document itself rules out:
# - ignored_auth and missing_required_header want 401 or 403 without a token, but the document
#   declares 400 for every error, UNAUTHORIZED and FORBIDDEN included, and Craftway answers as
#   it declares (tests/test_octo.py checks the missing Octo-Capabilities header itself);
# - positive_data_acceptance wants any schema-valid request accepted, but a schema cannot say
#   that productId must name an existing product: a made-up id is INVALID_PRODUCT_ID.
# - GET /capabilities declares only 200, so it answers without a token, and the check that a
#   request without one is rejected (negative_data_rejection) cannot hold there.
EXCLUDED = [checks.ignored_auth, checks.missing_required_header, checks.positive_data_acceptance]
PUBLIC = {"/capabilities/": [checks.negative_data_rejection]}


SENT: Counter[str] = Counter()  # examples sent, per operation


@pytest.fixture(scope="module")
def octo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, str]]:
    db = new_database("sqlite", tmp_path_factory.mktemp("octo"))
    try:
        server = ServerProcess(db.url, {"CRAFTWAY_MUTATIONS_PER_MINUTE": "100000"}).wait_healthy()
        try:
            yield server, make_token(db.url, "OPERATOR", "Schemathesis Reseller")
        finally:
            server.stop()
            print(f"\nschemathesis: {len(SENT)} operations, {sum(SENT.values())} examples, {dict(SENT)}")
    finally:
        db.drop()


if SPEC.exists():
    schema = schemathesis.openapi.from_path(SPEC)

    @schema.parametrize()
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def test_every_octo_operation_conforms_to_the_specification(case: Any, octo_server: tuple[ServerProcess, str]) -> None:
        server, token = octo_server
        SENT[f"{case.operation.method.upper()} {case.operation.path}"] += 1
        case.call_and_validate(
            base_url=f"{server.url}/octo", headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED + PUBLIC.get(case.operation.path, []),
        )

else:

    def test_every_octo_operation_conforms_to_the_specification() -> None:
        require_node_package("@octocloud/types")  # skips loudly, or fails where CI requires npm
