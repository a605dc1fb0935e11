"""Liveness (/healthz: the process answers) and readiness (/readyz: the database answers and its
schema is at the migrations' head)."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from models.migrate import current_revision, head_revision


async def healthz(_request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    try:
        async with request.app.state.engine.connect() as conn:
            revision = await conn.run_sync(current_revision)
    except (SQLAlchemyError, OSError) as error:
        return JSONResponse({"ready": False, "database": f"unreachable: {type(error).__name__}"}, status_code=503)
    head = head_revision()
    if revision != head:
        return JSONResponse({"ready": False, "migration": revision, "head": head}, status_code=503)
    return JSONResponse({"ready": True, "migration": revision})
