"""Public read documents generated from the schema (hypothesis-graphql), then dressed as apps
write them: named operations, aliases, named and inline fragments, variables (some with
defaults), @include/@skip, __typename, and argument values taken from the real catalogue, so
that most documents find data rather than nothing."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    NamedTypeNode,
    NameNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
    parse_type,
    print_ast,
    value_from_ast_untyped,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes, queries

from schema.build import build_schema
from schema.export import current_sdl
from schema.ids import encode_id
from schema.pagination import encode_cursor
from tests.support import ScratchDatabase, run_sql

PUBLIC_ROOT_FIELDS = (
    "node",
    "districts",
    "district",
    "villages",
    "centers",
    "tours",
    "tour",
    "ocopProducts",
    "ocopProduct",
    "coverage",
    "communes",
    "commune",
)
DATETIMES = ["2026-12-01T09:00:00+07:00", "2026-12-20T00:00:00+07:00", "2027-01-10T02:00:00Z", "2026-11-30T00:00:00Z"]
SCALARS = {
    "DateTime": st.sampled_from(DATETIMES).map(nodes.String),
    "Date": st.sampled_from(["2026-12-06"]).map(nodes.String),
}
SEARCH_WORDS = ["gốm", "gom", "bát tràng", "dong", "Đúc đồng", "lụa", "mây tre", "sơn mài", "xyz"]
MAX_ADDED_ALIASES = 6  # the generator adds its own; the alias limit (30) refuses documents over it
OPERATION_NAMES = ["Mobile", "TourList", "TourPage", "VillagePage", "NearMe", "Q"]


@dataclass
class Catalogue:
    """Real values for arguments: slugs by kind and global ids of every public type (and one
    private one, a booking)."""

    slugs: dict[str, list[str]]
    ids: list[str]


@dataclass
class _Dresser:
    schema: GraphQLSchema
    catalogue: Catalogue
    rng: random.Random
    variables: dict[str, Any] = field(default_factory=dict)
    definitions: list[VariableDefinitionNode] = field(default_factory=list)
    fragments: list[FragmentDefinitionNode] = field(default_factory=list)
    aliases: int = 0

    def dress(self, document: DocumentNode) -> tuple[str, dict[str, Any]]:
        operation = document.definitions[0]
        assert isinstance(operation, OperationDefinitionNode)
        query = self.schema.query_type
        assert query is not None
        selection = self.selection_set(operation.selection_set, query)
        name = NameNode(value=self.rng.choice(OPERATION_NAMES)) if self.rng.random() < 0.7 else None
        dressed = OperationDefinitionNode(
            operation=OperationType.QUERY,
            name=name,
            variable_definitions=tuple(self.definitions),
            directives=(),
            selection_set=selection,
        )
        return print_ast(DocumentNode(definitions=(dressed, *self.fragments))), self.variables

    def selection_set(self, node: SelectionSetNode, parent: Any) -> SelectionSetNode:
        selections: list[Any] = []
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                selections.append(self.field(selection, parent))
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.schema.get_type(condition.name.value) if condition else parent
                inner = self.selection_set(selection.selection_set, target)
                selections.append(
                    InlineFragmentNode(type_condition=condition, directives=selection.directives, selection_set=inner)
                )
        if self.rng.random() < 0.15:
            selections.insert(self.rng.randrange(len(selections) + 1), FieldNode(name=NameNode(value="__typename")))
        dressed = SelectionSetNode(selections=tuple(selections))
        roll = self.rng.random()
        if (
            roll < 0.15
            and isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
            and parent is not self.schema.query_type
        ):
            name = f"F{len(self.fragments)}"
            self.fragments.append(
                FragmentDefinitionNode(
                    name=NameNode(value=name),
                    type_condition=NamedTypeNode(name=NameNode(value=parent.name)),
                    directives=(),
                    selection_set=dressed,
                )
            )
            return SelectionSetNode(selections=(FragmentSpreadNode(name=NameNode(value=name), directives=()),))
        if roll < 0.25:
            condition = NamedTypeNode(name=NameNode(value=parent.name)) if self.rng.random() < 0.5 else None
            return SelectionSetNode(
                selections=(InlineFragmentNode(type_condition=condition, directives=(), selection_set=dressed),)
            )
        return dressed

    def field(self, node: FieldNode, parent: Any) -> FieldNode:
        definition = parent.fields[node.name.value]
        arguments: list[ArgumentNode] = []
        for argument in node.arguments or ():
            value = self.value(argument.name.value, argument.value, node.name.value)
            if value is not None:
                arguments.append(ArgumentNode(name=argument.name, value=value))
        given = {a.name.value for a in arguments}
        if get_named_type(definition.type).name.endswith("Connection") and "first" not in given:
            arguments.append(
                ArgumentNode(name=NameNode(value="first"), value=IntValueNode(value=str(self.rng.randint(0, 4))))
            )
        arguments = [self.maybe_variable(a, definition.args[a.name.value].type) for a in arguments]
        child = None
        if node.selection_set is not None:
            child = self.selection_set(node.selection_set, get_named_type(definition.type))
        alias = node.alias
        if alias is None and self.aliases < MAX_ADDED_ALIASES and self.rng.random() < 0.15:
            self.aliases += 1
            alias = NameNode(value=f"{node.name.value}{self.rng.randint(1, 9)}x")
        return FieldNode(
            alias=alias,
            name=node.name,
            arguments=tuple(arguments),
            directives=self.conditions(),
            selection_set=child,
        )

    def conditions(self) -> tuple[DirectiveNode, ...]:
        roll = self.rng.random()
        if roll >= 0.1:
            return ()
        directive = "include" if roll < 0.05 else "skip"
        flag = self.rng.random() < 0.5
        if self.rng.random() < 0.5:
            value: ValueNode = BooleanValueNode(value=flag)
        else:
            name = f"c{len(self.definitions)}"
            self.definitions.append(
                VariableDefinitionNode(variable=VariableNode(name=NameNode(value=name)), type=parse_type("Boolean!"))
            )
            self.variables[name] = flag
            value = VariableNode(name=NameNode(value=name))
        return (
            DirectiveNode(
                name=NameNode(value=directive), arguments=(ArgumentNode(name=NameNode(value="if"), value=value),)
            ),
        )

    def maybe_variable(self, argument: ArgumentNode, type_: Any) -> ArgumentNode:
        if self.rng.random() >= 0.3:
            return argument
        name = f"v{len(self.definitions)}"
        default = None
        if self.rng.random() < 0.3:
            default = argument.value
        else:
            self.variables[name] = value_from_ast_untyped(argument.value)
        self.definitions.append(
            VariableDefinitionNode(
                variable=VariableNode(name=NameNode(value=name)), type=parse_type(str(type_)), default_value=default
            )
        )
        return ArgumentNode(name=argument.name, value=VariableNode(name=NameNode(value=name)))

    def value(self, name: str, original: ValueNode, field_name: str) -> ValueNode | None:
        """A real value for an argument the generator filled at random; None drops it."""
        rng, slugs = self.rng, self.catalogue.slugs
        choose = {
            "districtSlug": "districts",
            "villageSlug": "villages",
            "centerSlug": "centers",
            "soldAtCenterSlug": "centers",
            "craft": "crafts",
        }
        if name == "slug":
            kind = {"district": "districts", "commune": "communes", "tour": "tours", "ocopProduct": "products"}[
                field_name
            ]
            return StringValueNode(value=rng.choice([*slugs[kind], "no-such-slug"]))
        if name in choose:
            return StringValueNode(value=rng.choice(slugs[choose[name]]))
        if name == "id":
            return StringValueNode(value=rng.choice(self.catalogue.ids))
        if name == "search":
            return StringValueNode(value=rng.choice(SEARCH_WORDS))
        if name == "language":
            return StringValueNode(value=rng.choice(["vi", "en", "fr"]))
        if name == "first":
            return IntValueNode(value=str(rng.randint(0, 4)))
        if name == "after":
            return StringValueNode(value=encode_cursor(rng.randint(0, 3))) if rng.random() < 0.5 else None
        if name == "year":
            return IntValueNode(value=str(rng.randint(2022, 2026)))
        if name in ("minStars", "minSeats"):
            return IntValueNode(value=str(rng.randint(1, 5)))
        if name == "maxPriceVnd":
            return IntValueNode(value=str(rng.choice([0, 300_000, 2_000_000])))
        if name == "near":
            return ObjectValueNode(
                fields=(
                    ObjectFieldNode(
                        name=NameNode(value="lat"), value=FloatValueNode(value=f"{rng.uniform(20.8, 21.2):.4f}")
                    ),
                    ObjectFieldNode(
                        name=NameNode(value="lon"), value=FloatValueNode(value=f"{rng.uniform(105.6, 106.0):.4f}")
                    ),
                    ObjectFieldNode(
                        name=NameNode(value="radiusKm"), value=FloatValueNode(value=str(rng.choice([1, 5, 30])))
                    ),
                )
            )
        if isinstance(original, ObjectValueNode):  # a filter: real values for its fields too
            inner = [(f.name, self.value(f.name.value, f.value, field_name)) for f in original.fields]
            return ObjectValueNode(fields=tuple(ObjectFieldNode(name=n, value=v) for n, v in inner if v is not None))
        return original


def public_reads(
    schema: GraphQLSchema, sdl: str, catalogue: Catalogue, fields: tuple[str, ...] = PUBLIC_ROOT_FIELDS
) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """(document, variables) pairs of generated public reads of the given Query fields."""
    documents = queries(sdl, fields=fields, custom_scalars=SCALARS, print_ast=lambda d: d, allow_x00=False)
    return st.tuples(documents, st.randoms(use_true_random=False)).map(
        lambda pair: _Dresser(schema, catalogue, pair[1]).dress(pair[0])  # type: ignore[arg-type]
    )


def catalogue_of(db: ScratchDatabase) -> Catalogue:
    slugs = {
        kind: [str(r[0]) for r in run_sql(db.url, f"SELECT slug FROM {table} ORDER BY id")]
        for kind, table in (
            ("districts", "district"),
            ("communes", "commune"),
            ("villages", "village"),
            ("centers", "center"),
            ("tours", "tour"),
            ("products", "product"),
            ("crafts", "craft"),
        )
    }
    ids = [
        encode_id(type_name, int(r[0]))
        for type_name, table in (
            ("District", "district"),
            ("Commune", "commune"),
            ("CraftVillage", "village"),
            ("Center", "center"),
            ("Tour", "tour"),
            ("Session", "tour_session"),
            ("OcopProduct", "product"),
            ("Booking", "booking"),
        )
        for r in run_sql(db.url, f"SELECT id FROM {table} ORDER BY id LIMIT 4")
    ]
    return Catalogue(slugs=slugs, ids=[*ids, encode_id("Tour", 10**6), "not-an-id"])


def generate(
    catalogue: Catalogue, count: int, fields: tuple[str, ...] = PUBLIC_ROOT_FIELDS
) -> list[tuple[str, dict[str, Any]]]:
    """`count` distinct generated public reads (document, variables)."""
    schema = build_schema()._schema
    found: dict[str, tuple[str, dict[str, Any]]] = {}

    @settings(
        max_examples=count * 2, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(read=public_reads(schema, current_sdl(), catalogue, fields))
    def collect(read: tuple[str, dict[str, Any]]) -> None:
        if len(found) < count:
            found.setdefault(read[0] + json.dumps(read[1], sort_keys=True), read)

    collect()
    return list(found.values())
