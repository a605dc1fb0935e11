"""The programme office registers and changes OCOP products; a center's staff (or ADMIN) say
whether their center sells one. Each change is audited in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models import audit
from models.booking.locking import begin_write
from models.booking.requests import clean_text
from models.catalog_version import commit_write
from models.db import SessionFactory
from models.errors import Forbidden, InvalidInput, NotFound
from models.network.slugs import id_by_slug, product_search_text, unique_slug
from models.tables import Center, District, Principal, Product, ProductOutlet, Village

MAX_NAME_LENGTH = 300
MAX_GROUP_LENGTH = 80
STARS = (3, 5)

Sessions = SessionFactory


@dataclass(frozen=True, slots=True)
class ProductFacts:
    """What registerOcopProduct sets and updateOcopProduct may change (None: unchanged)."""

    name: str | None = None
    producer: str | None = None
    stars: int | None = None
    product_group: str | None = None
    certified_on: date | None = None


def _checked(facts: ProductFacts, *, required: bool) -> ProductFacts:
    name = clean_text(facts.name, "name", MAX_NAME_LENGTH, required=required)
    producer = clean_text(facts.producer, "producer", MAX_NAME_LENGTH, required=required)
    if not required and (facts.name is not None and name is None or facts.producer is not None and producer is None):
        raise InvalidInput("name and producer must not be empty", "name" if name is None else "producer")
    if facts.stars is not None and not STARS[0] <= facts.stars <= STARS[1]:
        raise InvalidInput(f"stars must be between {STARS[0]} and {STARS[1]}", "stars")
    if required and facts.stars is None:
        raise InvalidInput("stars is required", "stars")
    group = clean_text(facts.product_group, "productGroup", MAX_GROUP_LENGTH)
    return ProductFacts(name, producer, facts.stars, group, facts.certified_on)


async def _village_name(db: AsyncSession, village_id: int | None) -> str | None:
    village = await db.get(Village, village_id) if village_id is not None else None
    return village.name if village else None


async def register_product(
    sessions: Sessions,
    admin: Principal,
    facts: ProductFacts,
    village_slug: str | None,
    district_slug: str | None,
    sold_at: Sequence[int],
    now: datetime,
) -> Product:
    checked = _checked(facts, required=True)
    assert checked.name is not None and checked.producer is not None and checked.stars is not None
    async with sessions() as db:
        await begin_write(db)
        village_id = await id_by_slug(db, Village, village_slug, "villageSlug") if village_slug else None
        district_id = await id_by_slug(db, District, district_slug, "districtSlug") if district_slug else None
        if district_id is None and village_id is not None:
            village = await db.get(Village, village_id)
            district_id = village.district_id if village else None
        centers = set(sold_at)
        known = set((await db.execute(select(col(Center.id)).where(col(Center.id).in_(centers)))).scalars())
        if centers - known:
            raise NotFound("soldAtCenterIds: no center with one of these ids", "soldAtCenterIds")
        product = Product(
            slug=await unique_slug(db, Product, checked.name, "product"),
            name=checked.name,
            producer=checked.producer,
            stars=checked.stars,
            product_group=checked.product_group,
            village_id=village_id,
            district_id=district_id,
            certified_on=checked.certified_on,
            confidence="verified",
            search_text=product_search_text(checked.name, checked.producer, await _village_name(db, village_id)),
        )
        db.add(product)
        await db.flush()
        db.add_all(ProductOutlet(product_id=product.pk, center_id=center_id) for center_id in sorted(centers))
        summary = audit.describe({"name": checked.name, "stars": checked.stars, "soldAt": len(centers)})
        audit.record(db, admin, "registerOcopProduct", "OcopProduct", product.pk, summary, now)
        await commit_write(db)
        return product


async def _product(db: AsyncSession, product_id: int) -> Product:
    product = await db.get(Product, product_id, with_for_update=True)
    if product is None:
        raise NotFound("no OCOP product with this id", "productId")
    return product


async def update_product(
    sessions: Sessions, admin: Principal, product_id: int, facts: ProductFacts, now: datetime
) -> Product:
    checked = _checked(facts, required=False)
    async with sessions() as db:
        await begin_write(db)
        product = await _product(db, product_id)
        changed: dict[str, object] = {}
        for field, attribute in (
            ("name", "name"),
            ("producer", "producer"),
            ("stars", "stars"),
            ("productGroup", "product_group"),
            ("certifiedOn", "certified_on"),
        ):
            value = getattr(checked, attribute)
            if value is not None and value != getattr(product, attribute):
                changed[field] = (getattr(product, attribute), value)
                setattr(product, attribute, value)
        if "certifiedOn" in changed:
            product.confidence = "verified"
        product.search_text = product_search_text(
            product.name, product.producer, await _village_name(db, product.village_id)
        )
        audit.record(db, admin, "updateOcopProduct", "OcopProduct", product.pk, audit.describe(changed), now)
        await commit_write(db)
        return product


async def set_sold_at(
    sessions: Sessions, principal: Principal, product_id: int, center_id: int, sold: bool, now: datetime
) -> Product:
    if principal.role != "ADMIN" and principal.center_id != center_id:
        raise Forbidden("only the programme office or that center's staff may say what it sells", "centerId")
    async with sessions() as db:
        await begin_write(db)
        product = await _product(db, product_id)
        center = await db.get(Center, center_id)
        if center is None:
            raise NotFound("no center with this id", "centerId")
        outlet = await db.get(ProductOutlet, (product.pk, center.pk))
        if sold and outlet is None:
            db.add(ProductOutlet(product_id=product.pk, center_id=center.pk))
        elif not sold and outlet is not None:
            await db.execute(
                delete(ProductOutlet).where(
                    col(ProductOutlet.product_id) == product.pk, col(ProductOutlet.center_id) == center.pk
                )
            )
        if sold != (outlet is not None):
            summary = audit.describe({"soldAt": center.slug, "sold": sold})
            audit.record(db, principal, "setProductSoldAt", "OcopProduct", product.pk, summary, now)
        await commit_write(db)
        return product
