"""GET /coverage.csv: the page's table as a download, in UTF-8 with a BOM so Excel keeps the
Vietnamese names' diacritics."""

from __future__ import annotations

import csv
import io

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from models.coverage import CoverageReport
from web.coverage.columns import COLUMNS, cell_text
from web.coverage.query import BadQuery, requested_report

BOM = "\ufeff"


def render_csv(report: CoverageReport) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(c.header for c in COLUMNS)
    writer.writerows([cell_text(c.value(row), "") for c in COLUMNS] for row in report.rows)
    return (BOM + out.getvalue()).encode("utf-8")


async def coverage_csv(request: Request) -> Response:
    try:
        report, _ = await requested_report(request)
    except BadQuery as bad:
        return PlainTextResponse(str(bad), status_code=400)
    filename = f"coverage-{report.year}-{report.level}.csv"
    headers = {"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-cache"}
    return Response(render_csv(report), media_type="text/csv; charset=utf-8", headers=headers)
