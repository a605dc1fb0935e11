"""Write the SDL of the built schema to schema/schema.graphql: `python -m schema.export`."""

from __future__ import annotations

from pathlib import Path

SDL_FILE = Path(__file__).resolve().parent / "schema.graphql"


def current_sdl() -> str:
    from schema.build import build_schema

    return str(build_schema()) + "\n"


if __name__ == "__main__":
    SDL_FILE.write_text(current_sdl(), encoding="utf-8")
    print(f"wrote {SDL_FILE}")
