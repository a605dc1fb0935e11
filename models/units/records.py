"""The 126 units of 2025 and what they were formed from, as the shipped CSV files give them."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache

from models.units.boundaries import UNITS_DIR

UNITS_FILE = UNITS_DIR / "hanoi_2025_units.csv"
MAPPING_FILE = UNITS_DIR / "hanoi_2025_mapping_long.csv"
# Nghị quyết 1656/NQ-UBTVQH15: the new units took office on this day, the districts ended the day before.
REFORM_DAY = date(2025, 7, 1)
KINDS = {"phường": "WARD", "xã": "COMMUNE"}


@dataclass(frozen=True, slots=True)
class UnitRecord:
    code: str
    name: str
    full_name: str
    kind: str  # WARD or COMMUNE
    district_codes: tuple[str, ...]  # the 2023 districts its territory came from


@cache
def unit_records() -> tuple[UnitRecord, ...]:
    with UNITS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            UnitRecord(
                code=row["code"],
                name=row["name"],
                full_name=row["full_name"],
                kind=KINDS[row["kind"]],
                district_codes=tuple(row["old_district_codes"].split(";")),
            )
            for row in csv.DictReader(handle)
        )


@cache
def _successors() -> dict[tuple[str, str], frozenset[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    with MAPPING_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found[(row["old_district_code"], row["old_name"])].add(row["new_code"])
    return {key: frozenset(codes) for key, codes in found.items()}


def successor_of(district_code: str, old_commune: str) -> str | None:
    """The one 2025 unit an old commune (by its full name, e.g. "Xã Bát Tràng") went into whole;
    None when it was split between several units, or is not in the mapping."""
    codes = _successors().get((district_code, old_commune), frozenset())
    return next(iter(codes)) if len(codes) == 1 else None
