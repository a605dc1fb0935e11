"""The dependency direction `models <- schema <- resolvers <- schema.build <- web <- server`.

Every import that runs (at module level or inside a function) is checked against it; imports
under `if TYPE_CHECKING:` only name types for the checker and never run, so schema types may
name the resolvers' Context there. The domain is also checked by importing it for real.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("models", "schema", "resolvers", "web")
# Lower ranks may not import higher ones. schema.build assembles the resolvers into the schema.
RANKS = {"models": 0, "schema": 1, "resolvers": 2, "schema.build": 3, "schema.export": 3, "web": 4, "server": 5}
# Third-party packages a layer must not use: the domain knows no GraphQL or HTTP, and only the
# HTTP layer (and the server composing it) speaks HTTP.
FORBIDDEN_LIBRARIES = {
    "models": {"strawberry", "graphql", "starlette", "cross_web", "uvicorn"},
    "schema": {"starlette", "cross_web", "uvicorn"},
    "resolvers": {"starlette", "cross_web", "uvicorn"},
}


def rank_of(module: str) -> int | None:
    for prefix in sorted(RANKS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return RANKS[prefix]
    return None


def layer_of(module: str) -> str:
    return module.split(".")[0]


def module_name(path: Path) -> str:
    return path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")


def product_files() -> list[Path]:
    files = [ROOT / "server.py"]
    for package in PACKAGES:
        files += [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def _is_type_checking_block(node: ast.AST) -> bool:
    """`if TYPE_CHECKING:` or `if typing.TYPE_CHECKING:`, whose body never runs (its else does)."""
    return isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def runtime_imports(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """(line, module) of every import that can run, skipping `if TYPE_CHECKING:` blocks."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking_block(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found.extend((node.lineno, f"{target}.{alias.name}") for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def violations(source: str, importer: str, *, is_package: bool = False) -> list[str]:
    """What in `source`, the text of module `importer`, imports against the layers."""
    package = importer if is_package else importer.rpartition(".")[0]
    own_rank = rank_of(importer)
    assert own_rank is not None, importer
    problems = []
    for line, target in runtime_imports(ast.parse(source), package):
        target_rank = rank_of(target)
        if target_rank is not None and target_rank > own_rank:
            problems.append(f"{importer}:{line} imports {target}")
        if target.split(".")[0] in FORBIDDEN_LIBRARIES.get(layer_of(importer), set()):
            problems.append(f"{importer}:{line} imports {target}")
    return problems


def test_no_import_runs_against_the_layers() -> None:
    problems = [
        problem
        for path in product_files()
        for problem in violations(
            path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py"
        )
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from resolvers.context import Context\n", True),
        ("def f():\n    from web.settings import Settings\n", True),
        ("import starlette.requests\n", True),
        ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from resolvers.context import Context\n", False),
        ("from schema.ids import encode_id\n", False),
        ("from typing import TYPE_CHECKING\nif not TYPE_CHECKING:\n    from web.settings import Settings\n", True),
        ("if TYPE_CHECKING:\n    pass\nelse:\n    from web.settings import Settings\n", True),
    ],
)
def test_the_check_sees_imports_against_the_layers(source: str, expected: bool) -> None:
    """The check itself: a schema module importing upwards is caught, a type-only import is not."""
    assert bool(violations(source, "schema.types.probe")) is expected


def test_models_import_no_web_or_graphql_code() -> None:
    """The domain really imported: nothing above it ends up loaded, even indirectly."""
    modules = sorted(module_name(p) for p in (ROOT / "models").rglob("*.py") if "migrations" not in p.parts)
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'strawberry', 'starlette', 'schema', 'resolvers', 'web', 'graphql', 'server'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
