"""The coverage page in a real browser (headless Chromium through Selenium) against server.py run
as its own process: the form switches levels, and a showroom registered over GraphQL recolours
its district."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from tests.live_support import post
from tests.support import ROOT, ScratchDatabase, ServerProcess, make_token, seeded_database

CHROMIUM = Path(os.environ.get("CRAFTWAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium")
CHROMEDRIVER = Path(os.environ.get("CRAFTWAY_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver")
REQUIRE_CHROMIUM = os.environ.get("CRAFTWAY_REQUIRE_CHROMIUM") == "1"
DEFAULT_OUTPUT = ROOT / "tests" / "output"
OUTPUT = Path(os.environ.get("CRAFTWAY_TEST_OUTPUT") or DEFAULT_OUTPUT)
SHAPES = "svg.map path[data-code]"
REGISTER = """mutation($i: RegisterCenterInput!) { registerCenter(input: $i) { __typename
  ... on RegisterCenterSuccess { center { slug district { slug } } } ... on UserError { code field message } } }"""


def require_chromium() -> None:
    """Skip loudly without Chromium and its driver, or fail when CI demands them
    (CRAFTWAY_REQUIRE_CHROMIUM=1)."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if not missing:
        return
    message = f"Chromium not found: {', '.join(missing)} missing; install Debian's chromium and chromium-driver"
    if REQUIRE_CHROMIUM:
        pytest.fail(message + " (CRAFTWAY_REQUIRE_CHROMIUM=1)", pytrace=False)
    pytest.skip(message + " to run the browser test")


@pytest.fixture
def browser() -> Iterator[WebDriver]:
    require_chromium()
    profile = tempfile.mkdtemp(prefix="craftway-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1500",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ScratchDatabase, ServerProcess]]:
    """server.py on a seeded SQLite file, as its own process."""
    db = seeded_database("sqlite", tmp_path)
    server = ServerProcess(db.url).wait_healthy()
    try:
        yield db, server
    finally:
        server.stop()
        db.drop()


def output_dir() -> Path:
    """Where screenshots go; the default folder inside the repository ignores itself for git."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    if OUTPUT == DEFAULT_OUTPUT:
        (OUTPUT / ".gitignore").write_text("*\n")
    return OUTPUT


def screenshot(driver: WebDriver, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = output_dir() / name
    assert driver.save_screenshot(str(path)), path
    with capsys.disabled():
        print(f"\nscreenshot: {path}")


def shapes(driver: WebDriver) -> dict[str, str]:
    return {
        str(s.get_attribute("data-code")): str(s.get_attribute("class"))
        for s in driver.find_elements(By.CSS_SELECTOR, SHAPES)
    }


def table_codes(driver: WebDriver) -> list[str]:
    return [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "table tbody tr > td:first-child")]


def test_planner_switches_level_and_sees_a_new_showroom(
    browser: WebDriver, served: tuple[ScratchDatabase, ServerProcess], capsys: pytest.CaptureFixture[str]
) -> None:
    db, server = served
    browser.get(f"{server.url}/coverage?year=2023")
    districts = shapes(browser)
    assert len(districts) == 30 and table_codes(browser) == list(districts)
    assert districts["001"] == "not-met"
    not_met_fill = browser.find_element(By.CSS_SELECTOR, 'path[data-code="001"]').value_of_css_property("fill")

    loaded = browser.execute_script(
        "const [page] = performance.getEntriesByType('navigation');"
        "return {size: page.transferSize, others: performance.getEntriesByType('resource').map(r => r.name)};"
    )
    assert 0 < loaded["size"] < 1_000_000 and loaded["others"] == []  # nothing but the page itself

    level = browser.find_element(By.ID, "level")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=level]").text.startswith("Level")
    Select(level).select_by_value("COMMUNE")
    assert browser.current_url.endswith("/coverage?year=2023")  # choosing alone does not submit
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda d: "level=COMMUNE" in d.current_url)
    assert "year=2023" in browser.current_url
    communes = shapes(browser)
    assert len(communes) == 126 and table_codes(browser) == list(communes)
    assert Select(browser.find_element(By.ID, "level")).first_selected_option.get_attribute("value") == "COMMUNE"
    screenshot(browser, "coverage-2023-commune.png", capsys)

    admin = make_token(db.url, "ADMIN", "Programme office")
    center = {
        "kind": "OCOP_SHOWROOM",
        "name": "Điểm OCOP Ngũ Xã",
        "districtSlug": "ba-dinh",
        "villageSlug": "ngu-xa",
        "openedOn": "2023-05-01",
    }
    registered = post(server, REGISTER, {"i": center}, admin)
    assert registered.get("errors") is None, registered
    assert registered["data"]["registerCenter"]["__typename"] == "RegisterCenterSuccess", registered

    browser.get(f"{server.url}/coverage?year=2023&level=DISTRICT")
    after = shapes(browser)
    assert after["001"] == "met"
    assert {code: status for code, status in after.items() if code != "001"} == {
        code: status for code, status in districts.items() if code != "001"
    }
    met_fill = browser.find_element(By.CSS_SELECTOR, 'path[data-code="001"]').value_of_css_property("fill")
    assert met_fill != not_met_fill
    row = browser.find_element(By.XPATH, "//table/tbody/tr[td[1]='001']")
    assert row.find_element(By.XPATH, "td[last()]").text == "met"
    screenshot(browser, "coverage-2023-district.png", capsys)
