"""The ceiling: the fastest this HTTP stack can answer, with no GraphQL and no database.

A plain Starlette app on uvicorn (one worker, uvloop + httptools, no access log) — the same
server stack Craftway runs on — that answers GET and POST /ceiling with a precomputed JSON body
read once from a file. Given the exact bytes of a Craftway response, it shows how many requests/s
the stack itself can serve for a response of that size; Craftway's requests/s divided by this is
the share of the machine its own work leaves for serving.

    python bench/ceiling.py --body-file response.json --port 8124
    (or CEILING_BODY_FILE=response.json python bench/ceiling.py)
"""

from __future__ import annotations

import argparse
import os

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def create_app(body: bytes) -> Starlette:
    async def ceiling(request: Request) -> Response:
        if request.method == "POST":
            await request.body()  # read the request as Craftway must, to be fair
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/ceiling", ceiling, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(description="serve a fixed JSON body at /ceiling")
    parser.add_argument("--body-file", default=os.environ.get("CEILING_BODY_FILE"))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8124")))
    args = parser.parse_args()
    if not args.body_file:
        parser.error("give --body-file or set CEILING_BODY_FILE")
    with open(args.body_file, "rb") as f:
        body = f.read()
    uvicorn.run(
        create_app(body),
        host=args.host,
        port=args.port,
        workers=1,
        access_log=False,
        loop="uvloop",
        http="httptools",
        log_level="warning",
    )


if __name__ == "__main__":
    main()
