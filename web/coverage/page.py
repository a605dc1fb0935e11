"""GET /coverage: the map, totals and table of one year's coverage, as one self-contained page.

Everything is served inline (styles, the SVG map; no script, font, tile or CDN), and the page's
Content-Security-Policy forbids loading anything else, so it works offline on a planner's laptop.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response

from models.coverage import LEVELS, CoverageReport, Level, as_of
from models.timeutil import to_local
from web.coverage.columns import COLUMNS, STATUS_LABELS, cell_text
from web.coverage.query import BadQuery, requested_report
from web.coverage.svg_map import STATUS_CLASSES, coverage_map

FIRST_OFFERED_YEAR = 2020  # the plan starts in 2023; a few years before show where it started from
LEVEL_NAMES: dict[Level, str] = {"DISTRICT": "districts (2023 units)", "COMMUNE": "communes and wards (2025 units)"}
MONTHS = "January February March April May June July August September October November December".split()
SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'"
STYLE = """
body{font:16px/1.45 system-ui,sans-serif;margin:0 auto;padding:1rem;max-width:80rem;color:#1a1a1a;background:#fff}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.2rem;margin:1.2rem 0 .5rem}
form{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:1rem}
label{display:flex;flex-direction:column;font-weight:600}
select,button{font:inherit;padding:.3rem .5rem;min-height:2.2rem}
button{background:#0b62a4;color:#fff;border:2px solid #0b62a4;border-radius:4px}
:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
a{color:#0b4f85}
.layout{display:grid;gap:1rem 2rem}
@media(min-width:60rem){.layout{grid-template-columns:minmax(0,3fr) minmax(16rem,2fr)}}
.map{width:100%;height:auto;max-height:80vh}
.map path{stroke:#1a1a1a;stroke-width:.6;stroke-linejoin:round;fill-rule:evenodd}
.map path:hover{stroke-width:2.5}
.met{fill:#0b62a4}.not-met{fill:#f2a33a}.not-required{fill:url(#hatch)}
.legend{list-style:none;padding:0;margin:.5rem 0}
.legend li{display:flex;align-items:center;gap:.5rem;margin:.25rem 0}
.legend svg{width:1.6rem;height:1.1rem;flex:none}
.legend rect{stroke:#1a1a1a;stroke-width:1}
dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}
.note{background:#fff4e0;border-left:4px solid #b35c00;padding:.4rem .7rem}
.table{overflow-x:auto}
table{border-collapse:collapse;font-size:.92rem;min-width:100%}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #b8b8b8;padding:.25rem .45rem;text-align:left;vertical-align:top}
thead th{background:#eef2f6}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#f7f7f7}
"""


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _options(name: str, label: str, choices: list[tuple[str, str]], chosen: str) -> str:
    options = "".join(
        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(text)}</option>'
        for value, text in choices
    )
    return f'<label for="{name}">{label}<select id="{name}" name="{name}">{options}</select></label>'


def _form(report: CoverageReport, this_year: int) -> str:
    years = sorted(set(range(FIRST_OFFERED_YEAR, this_year + 2)) | {report.year})
    csv_link = f"/coverage.csv?year={report.year}&amp;level={report.level}"
    return (
        '<form method="get" action="/coverage">'
        + _options("year", "Year", [(str(y), str(y)) for y in years], str(report.year))
        + _options("level", "Level", [(level, LEVEL_NAMES[level].capitalize()) for level in LEVELS], report.level)
        + '<button type="submit">Show coverage</button>'
        + f'<a href="{csv_link}" download>Download this table as CSV</a></form>'
    )


def _day(report: CoverageReport, now: datetime) -> str:
    """The day the report counts by, as "on 31 December 2023" or "today, 1 December 2026"."""
    day = as_of(report.year, now)
    return ("today, " if day == to_local(now).date() else "on ") + long_date(day)


def _level_note(report: CoverageReport, now: datetime) -> str:
    day = _day(report, now)
    text = f"<p>Level in force {day}: {LEVEL_NAMES[report.level_in_force]}.</p>"
    if report.level != report.level_in_force:
        text += (
            f'<p class="note">This view counts by {LEVEL_NAMES[report.level]}, not the level in force on that day; '
            "centers, villages and tours are counted where they lie.</p>"
        )
    return text


def _of(met: int, applying: int, what: str) -> str:
    return f"{met} of {applying}" if applying else f"no unit has a {what} goal this year"


def _totals(report: CoverageReport, now: datetime) -> str:
    low, high = report.new_showroom_goal_min, report.new_showroom_goal_max
    if low is None and high is None:
        goal = "no city goal for this year"
    else:
        wanted = f"{low or 0}–{high}" if high is not None else f"at least {low}"
        short, over = low is not None and report.new_showrooms < low, high is not None and report.new_showrooms > high
        verdict = "below the goal" if short else "above the goal" if over else "goal met"
        goal = f"city goal {wanted} new showrooms: {verdict}"
    with_showroom_goal = sum(1 for r in report.rows if r.new_showrooms_required is not None)
    day = _day(report, now)
    items: list[tuple[str, str]] = [
        (f"New showrooms opened in {report.year}", f"{report.new_showrooms} ({goal})"),
        (f"Design centers open {day}", str(report.design_centers)),
        (
            "Units meeting their new-showroom goal",
            _of(report.units_meeting_showroom_goal, with_showroom_goal, "new-showroom"),
        ),
        (
            "Units meeting their design center goal",
            _of(report.units_meeting_design_center_goal, report.units_requiring_design_center, "design center"),
        ),
    ]
    if report.unplaced_centers:
        items.append(
            ("Open centers in no unit of this level", f"{report.unplaced_centers} (they have no location yet)")
        )
    rows = "".join(f"<dt>{escape(term)}</dt><dd>{escape(value)}</dd>" for term, value in items)
    return (
        f'<section aria-labelledby="totals"><h2 id="totals">City totals</h2><dl>{rows}</dl>'
        "<p>Centers whose opening day is unknown are not counted.</p></section>"
    )


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _legend(report: CoverageReport) -> str:
    counts = Counter(r.goal_status for r in report.rows)
    items = "".join(
        f'<li><svg aria-hidden="true" viewBox="0 0 24 16"><rect class="{STATUS_CLASSES[status]}" x="1" y="1" '
        f'width="22" height="14"/></svg>Goal {label}: {_units(counts[status])}</li>'
        for status, label in STATUS_LABELS.items()
    )
    return f'<h2 id="legend">Legend</h2><ul class="legend" aria-labelledby="legend">{items}</ul>'


def _table(report: CoverageReport, now: datetime) -> str:
    day = _day(report, now)
    head = "".join(f'<th scope="col">{escape(c.header)}</th>' for c in COLUMNS)
    body = []
    for row in report.rows:
        cells = []
        for column in COLUMNS:
            text = escape(cell_text(column.value(row), "–"))
            if column.names_row:
                cells.append(f'<th scope="row" lang="vi">{text}</th>')
            else:
                cells.append(f'<td class="n">{text}</td>' if column.numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f"Coverage of {len(report.rows)} {LEVEL_NAMES[report.level]} in {report.year}, counted {day}"
    return (
        f'<section aria-labelledby="units"><h2 id="units">Units</h2><div class="table"><table>'
        f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div></section>"
    )


def render_page(report: CoverageReport, now: datetime) -> str:
    title = f"Coverage {report.year}, {LEVEL_NAMES[report.level]}"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)} · Craftway</title><style>{STYLE}</style></head><body>"
        f"<header><h1>OCOP showroom and design center coverage</h1></header><main>"
        f"{_form(report, to_local(now).year)}{_level_note(report, now)}"
        '<div class="layout"><section aria-labelledby="map"><h2 id="map">Map</h2>'
        f"{coverage_map(report)}</section><div>{_totals(report, now)}{_legend(report)}</div></div>"
        f"{_table(report, now)}</main></body></html>"
    )


async def coverage_page(request: Request) -> Response:
    try:
        report, now = await requested_report(request)
    except BadQuery as bad:
        return PlainTextResponse(str(bad), status_code=400)
    headers = {"Content-Security-Policy": SECURITY_POLICY, "Cache-Control": "no-cache"}
    return HTMLResponse(render_page(report, now), headers=headers)
