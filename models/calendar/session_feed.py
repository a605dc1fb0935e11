"""Public feeds of sessions: all of a tour's, or all of the tours a center hosts.

The window is 30 days back and 365 ahead; a cancelled session stays 30 days after its
cancellation with STATUS:CANCELLED, so subscribed calendars remove it instead of keeping it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from models.calendar.feed import FeedEvent
from models.language import in_language
from models.queries.availability import seats_available
from models.tables import Center, District, Tour, TourSession, Village
from models.tables.core import core_table

DAYS_BACK, DAYS_AHEAD, CANCELLED_KEPT_DAYS = 30, 365, 30
S = core_table(TourSession).c


def tour_link(base_url: str, slug: str) -> str:
    """A short public link to the tour (GET /tours/{slug} redirects to its GraphQL read)."""
    return f"{base_url.rstrip('/')}/tours/{slug}"


async def session_events(
    db: AsyncSession, tour_condition: ColumnElement[bool], now: datetime, base_url: str, language: str = "vi"
) -> list[FeedEvent]:
    """Events titled in `language` (vi or en; the other language's title goes in the description)."""
    query = (
        select(
            S.uid,
            S.sequence,
            S.starts_at,
            S.ends_at,
            S.capacity,
            S.status,
            S.updated_at,
            S.cancel_reason,
            seats_available(now).label("left"),
            Tour,
            Center,
            Village,
            District,
        )
        .join(Tour, col(Tour.id) == S.tour_id)
        .outerjoin(Center, col(Center.id) == col(Tour.center_id))
        .outerjoin(Village, col(Village.id) == col(Tour.village_id))
        .join(District, col(District.id) == col(Tour.district_id))
        .where(
            tour_condition,
            S.starts_at >= now - timedelta(days=DAYS_BACK),
            S.starts_at <= now + timedelta(days=DAYS_AHEAD),
            or_(S.status == "SCHEDULED", S.updated_at >= now - timedelta(days=CANCELLED_KEPT_DAYS)),
        )
        .order_by(S.starts_at, S.id)
    )
    events = []
    for row in await db.execute(query):
        tour, center, village, district = row.Tour, row.Center, row.Village, row.District
        located = [p for p in (center, village) if p is not None and p.lat is not None and p.lon is not None]
        geo = (located[0].lat, located[0].lon) if located else None
        location = ", ".join(
            p
            for p in (
                center.name if center else None,
                center.address if center else None,
                village.name if village else None,
                district.name,
            )
            if p
        )
        left = max(0, row.left)
        cancelled = row.status == "CANCELLED"
        status_line = (
            f"ĐÃ HỦY / CANCELLED: {row.cancel_reason}"
            if cancelled
            else f"Còn {left}/{row.capacity} chỗ · {left} of {row.capacity} seats left"
        )
        link = tour_link(base_url, tour.slug)
        events.append(
            FeedEvent(
                uid=row.uid,
                sequence=row.sequence,
                starts_at=row.starts_at,
                ends_at=row.ends_at,
                summary=in_language(language, tour.title, tour.title_en) or tour.title,
                location=location,
                geo=geo,
                url=link,
                cancelled=cancelled,
                description=f"{status_line}\n{other_title(language, tour) or ''}\n{link}".replace("\n\n", "\n"),
                last_modified=row.updated_at,
            )
        )
    return events


def other_title(language: str, tour: Tour) -> str | None:
    """The title in the language the summary is not in, when the tour has both."""
    if not tour.title_en:
        return None
    return tour.title if language == "en" else tour.title_en


async def tour_feed(
    db: AsyncSession, slug: str, now: datetime, base_url: str, language: str = "vi"
) -> tuple[str, list[FeedEvent]] | None:
    tour = (await db.execute(select(Tour).where(col(Tour.slug) == slug))).scalar_one_or_none()
    if tour is None:
        return None
    name = in_language(language, tour.title, tour.title_en) or tour.title
    return name, await session_events(db, col(Tour.id) == tour.id, now, base_url, language)


async def center_feed(
    db: AsyncSession, slug: str, now: datetime, base_url: str, language: str = "vi"
) -> tuple[str, list[FeedEvent]] | None:
    center = (await db.execute(select(Center).where(col(Center.slug) == slug))).scalar_one_or_none()
    if center is None:
        return None
    return center.name, await session_events(db, col(Tour.center_id) == center.id, now, base_url, language)
