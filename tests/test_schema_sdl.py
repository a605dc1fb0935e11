"""The committed SDL is what the code builds, and it keeps the contract's names and shapes."""

from __future__ import annotations

from graphql import build_schema

from schema.export import SDL_FILE, current_sdl


def test_committed_sdl_matches_the_code() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == current_sdl(), (
        "schema/schema.graphql is stale: run `make schema` and review the diff"
    )


def test_every_type_and_field_has_a_description() -> None:
    built = build_schema(current_sdl())
    missing = []
    for name, graphql_type in built.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        for field_name, field in getattr(graphql_type, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
            for arg_name, arg in getattr(field, "args", {}).items():
                if not arg.description:
                    missing.append(f"{name}.{field_name}({arg_name})")
    assert missing == []


def test_contract_query_fields_exist() -> None:
    query = build_schema(current_sdl()).query_type
    assert query is not None
    assert {"node", "districts", "district", "villages", "centers", "tours", "tour", "coverage", "viewer"} <= set(
        query.fields
    )
    tours = query.fields["tours"]
    assert set(tours.args) == {"filter", "first", "after"}
    assert str(tours.type) == "TourConnection!"
