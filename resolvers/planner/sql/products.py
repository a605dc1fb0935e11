"""SQL for OCOP products and where they are sold (schema/types/product.py,
models/queries/products.py)."""

from __future__ import annotations

from collections.abc import Callable

from models.queries.products import ProductSearch
from models.text import slugify
from resolvers.planner.plan import FieldPlan
from resolvers.planner.sql.catalogue import column, confidence, date_of, one, pk_id
from resolvers.planner.sql.compiler import FIELD_SQL, Compiler
from resolvers.planner.sql.conditions import id_by_slug, matching_words, named_by_slug
from resolvers.planner.sql.connections import Rows, connection_sql
from schema.pagination import page_args
from schema.types.center import Center
from schema.types.product import OcopProduct

PRODUCT_ORDER = ("{r}.stars DESC", "{r}.id")


def product_conditions(c: Compiler, search: ProductSearch, p: str) -> list[str]:
    """models/queries/products._conditions over the product alias `p` (not `near`)."""
    add = c.params.add
    conditions = ["true", *matching_words(c, search.search, f"{p}.search_text")]
    if search.min_stars is not None:
        conditions.append(f"{p}.stars >= {add(search.min_stars, 'int')}")
    conditions += named_by_slug(c, "district", search.district_slug, f"{p}.district_id")
    conditions += named_by_slug(c, "village", search.village_slug, f"{p}.village_id")
    if search.craft is not None:
        craft = id_by_slug(c, "craft", slugify(search.craft))
        conditions.append(f"{p}.village_id IN (SELECT id FROM village WHERE craft_id = {craft})")
    if search.product_group is not None:
        conditions.append(f"lower({p}.product_group) = {add(search.product_group.strip().lower(), 'text')}")
    if search.sold_at_center_slug is not None:
        center = id_by_slug(c, "center", search.sold_at_center_slug)
        conditions.append(
            f"EXISTS (SELECT 1 FROM product_outlet po WHERE po.product_id = {p}.id AND po.center_id = {center})"
        )
    return conditions


def product_rows(c: Compiler, where: Callable[[str], list[str]]) -> Rows:
    """Products matching `where(alias)`, most stars first, then in catalogue order."""
    p = c.alias("pr")

    def count() -> str:
        counted = c.alias("pr")
        return f"SELECT count(*) FROM product {counted} WHERE {' AND '.join(where(counted))}"

    return Rows(table="product", row=p, where=" AND ".join(where(p)), order=PRODUCT_ORDER, count=count)


def _sold_at(c: Compiler, plan: FieldPlan, row: str) -> str:
    """OcopProduct.soldAt: the centers with an outlet of the product, in catalogue order."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    x = c.alias("ce")
    outlet = f"EXISTS (SELECT 1 FROM product_outlet po WHERE po.center_id = {x}.id AND po.product_id = {row}.id)"
    rows = Rows(
        table="center",
        row=x,
        where=outlet,
        order=("{r}.id",),
        count=lambda: f"SELECT count(*) FROM product_outlet WHERE product_id = {row}.id",
    )
    return connection_sql(c, plan, page, rows, Center)


def _products_of_center(c: Compiler, plan: FieldPlan, row: str) -> str:
    """Center.products: what the center sells, most stars first."""
    args = c.arguments(plan)
    page = page_args(args.get("first"), args.get("after"))
    min_stars = args.get("min_stars")

    def where(p: str) -> list[str]:
        conditions = [
            f"EXISTS (SELECT 1 FROM product_outlet po WHERE po.product_id = {p}.id AND po.center_id = {row}.id)"
        ]
        if min_stars is not None:
            conditions.append(f"{p}.stars >= {c.params.add(min_stars, 'int')}")
        return conditions

    return connection_sql(c, plan, page, product_rows(c, where), OcopProduct)


FIELD_SQL.update(
    {
        (OcopProduct, "id"): pk_id("OcopProduct"),
        (OcopProduct, "slug"): column("slug"),
        (OcopProduct, "name"): column("name"),
        (OcopProduct, "producer"): column("producer"),
        (OcopProduct, "stars"): column("stars"),
        (OcopProduct, "product_group"): column("product_group"),
        (OcopProduct, "certified_on"): date_of("certified_on"),
        (OcopProduct, "confidence"): confidence("confidence"),
        (OcopProduct, "village"): one("village", "village_id"),
        (OcopProduct, "district"): one("district", "district_id"),
        (OcopProduct, "sold_at"): _sold_at,
        (Center, "products"): _products_of_center,
    }
)
