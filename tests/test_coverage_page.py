"""The planners' coverage page and its CSV over real HTTP through the app, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from tests.support import Clock

UNITS = {"DISTRICT": 30, "COMMUNE": 126}
MAX_PAGE_BYTES = 1_000_000
STATUS_CLASSES = {"met": "met", "not met": "not-met", "not required": "not-required"}


class Page(HTMLParser):
    """What the tests look at in the page: shapes, table rows, form controls and their labels."""

    def __init__(self) -> None:
        super().__init__()
        self.shapes: dict[str, str] = {}  # data-code -> class
        self.rows: list[list[str]] = []
        self.row_headers: list[dict[str, str | None]] = []
        self.column_headers: list[str | None] = []
        self.captions = 0
        self.forms: list[dict[str, str | None]] = []
        self.selects: dict[str, list[tuple[str, bool]]] = {}  # id -> (value, selected)
        self.labels_for: set[str] = set()
        self.submit_buttons = 0
        self.handlers: list[str] = []
        self.tags: set[str] = set()
        self._in_body = False
        self._cell: list[str] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.add(tag)
        self.handlers += [name for name in found if name.startswith("on")]
        if tag == "path":
            self.shapes[str(found["data-code"])] = str(found["class"])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self._in_body:
            self._cell = []
            if tag == "th":
                self.row_headers.append(found)
        elif tag == "th":
            self.column_headers.append(found.get("scope"))
        elif tag == "caption":
            self.captions += 1
        elif tag == "form":
            self.forms.append(found)
        elif tag == "select":
            self._select = str(found["id"])
            self.selects[self._select] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append((str(found["value"]), "selected" in found))
        elif tag == "label" and found.get("for"):
            self.labels_for.add(str(found["for"]))
        elif tag == "button" and found.get("type") == "submit":
            self.submit_buttons += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def chosen(self, select: str) -> str:
        return next(value for value, selected in self.selects[select] if selected)


def read_page(client: TestClient, query: str) -> tuple[Page, bytes]:
    response = client.get(f"/coverage?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Page()
    page.feed(response.text)
    page.close()
    return page, response.content


@pytest.mark.parametrize("level", UNITS)
def test_the_page_draws_and_lists_every_unit(client: TestClient, level: str) -> None:
    page, body = read_page(client, f"year=2023&level={level}")
    assert len(body) < MAX_PAGE_BYTES
    print(f"/coverage?year=2023&level={level}: {len(body)} bytes")
    assert body.count(b"<path") == UNITS[level] == len(page.shapes)
    assert len(page.rows) == UNITS[level]
    assert [row[0] for row in page.rows] == list(page.shapes)  # one shape per row, in the table's order
    for row in page.rows:
        assert page.shapes[row[0]] == STATUS_CLASSES[row[-1]]
    assert all(header.get("scope") == "row" and header.get("lang") == "vi" for header in page.row_headers)
    assert page.captions == 1 and page.column_headers == ["col"] * 11


def test_every_district_of_2023_misses_its_showroom_goal_in_the_seed(client: TestClient) -> None:
    page, body = read_page(client, "year=2023&level=DISTRICT")
    assert set(page.shapes.values()) == {"not-met"}
    ba_dinh = next(row for row in page.rows if row[0] == "001")
    assert ba_dinh[1:6] == ["Ba Đình", "Urban district", "1", "0", "1"]
    text = body.decode()
    assert "0 (city goal 20–30 new showrooms: below the goal)" in text
    assert "Level in force on 31 December 2023: districts (2023 units)." in text
    assert 'class="note"' not in text


def test_communes_in_2023_say_they_were_not_yet_in_force(client: TestClient) -> None:
    page, body = read_page(client, "year=2023&level=COMMUNE")
    assert page.rows[0][:3] == ["00004", "Phường Ba Đình", "Ward"]
    assert "This view counts by communes and wards (2025 units), not the level in force" in body.decode()


def test_a_year_without_a_city_goal_says_so(client: TestClient) -> None:
    _, body = read_page(client, "year=2024")
    assert "no city goal for this year" in body.decode()


def test_the_controls_are_a_labelled_get_form_that_waits_for_submit(client: TestClient) -> None:
    page, _ = read_page(client, "year=2023&level=COMMUNE")
    assert page.forms == [{"method": "get", "action": "/coverage"}]
    assert set(page.selects) == {"year", "level"} <= page.labels_for
    assert page.chosen("year") == "2023" and page.chosen("level") == "COMMUNE"
    assert [value for value, _ in page.selects["level"]] == ["DISTRICT", "COMMUNE"]
    assert page.submit_buttons == 1 and page.handlers == []  # no auto-submit on change, no script at all


def test_the_page_loads_nothing_from_elsewhere(client: TestClient) -> None:
    response = client.get("/coverage?year=2023&level=COMMUNE")
    page = Page()
    page.feed(response.text)
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}", response.text, re.IGNORECASE)
    assert not page.tags & {"script", "link", "img", "iframe", "object", "embed"}
    assert re.findall(r"url\(([^)]*)\)", response.text) == ["#hatch"]
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_the_default_year_is_this_year_in_hanoi(client: TestClient, clock: Clock) -> None:
    clock.now = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)  # 00:30 on 1 January 2027 in Hanoi
    page, body = read_page(client, "")
    assert page.chosen("year") == "2027" and page.chosen("level") == "DISTRICT"
    assert "Level in force today, 1 January 2027: communes and wards (2025 units)." in body.decode()


@pytest.mark.parametrize("level", UNITS)
def test_the_csv_is_the_table_for_excel(client: TestClient, level: str) -> None:
    response = client.get("/coverage.csv", params={"year": "2023", "level": level})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f"attachment; filename=coverage-2023-{level}.csv"
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    assert header[:3] == ["Code", "Name", "Kind"] and header[-1] == "Status" and len(header) == 11
    assert len(rows) == UNITS[level]
    page, _ = read_page(client, f"year=2023&level={level}")
    assert [row[:2] for row in rows] == [row[:2] for row in page.rows]
    assert ("Ba Đình" if level == "DISTRICT" else "Phường Ba Đình") == rows[0][1]
    if level == "DISTRICT":
        assert rows[0][3:] == ["1", "0", "1", "0", "no", "1", "1", "not met"]
    else:
        assert rows[0][5] == ""  # no requirement: an empty cell, not a dash


@pytest.mark.parametrize("path", ["/coverage", "/coverage.csv"])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=abc", "year must be a whole number such as 2023"),
        ("year=99999", "year must be between 1900 and 2200"),
        ("year=1899", "year must be between 1900 and 2200"),
        ("year=2201", "year must be between 1900 and 2200"),
        ("year=-5", "year must be a whole number such as 2023"),
        ("year=" + "9" * 5000, "year must be between 1900 and 2200"),
        ("level=STATE", "level must be DISTRICT or COMMUNE"),
        ("year=2023&level=district", "level must be DISTRICT or COMMUNE"),
    ],
)
def test_bad_parameters_are_a_plain_400(client: TestClient, path: str, query: str, message: str) -> None:
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == message


@pytest.mark.parametrize("level", UNITS)
def test_the_map_is_projected_into_a_1000_wide_view_with_a_text_legend(client: TestClient, level: str) -> None:
    _, body = read_page(client, f"year=2023&level={level}")
    text = body.decode()
    svg = re.search(r'<svg class="map" viewBox="0 0 (\d+) (\d+)" role="img" aria-label="([^"]+)"', text)
    assert svg is not None and svg[1] == "1000" and 1100 < int(svg[2]) < 1300  # Hanoi is taller than wide
    assert svg[3].startswith(f"Map of Hanoi&#x27;s {UNITS[level]} ")
    numbers = [n for d in re.findall(r' d="([^"]+)"', text) for n in re.findall(r"-?[\d.]+", d)]
    assert numbers and all(re.fullmatch(r"\d+(\.\d)?", n) for n in numbers)  # rounded to 0.1, none negative
    assert max(float(n) for n in numbers) <= int(svg[2])
    assert text.count("<title>") == UNITS[level] + 1  # one per shape, and the page's
    for label in ("Goal met: ", "Goal not met: ", "Goal not required: "):
        assert label in text
