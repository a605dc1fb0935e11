"""Writing an RFC 5545 calendar: VTIMEZONE for Asia/Ho_Chi_Minh, one VEVENT per item.

DTSTAMP is the item's last change, not the time of the request, so an unchanged feed is
byte-identical and its ETag stays valid for conditional GETs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event, Timezone, vGeo

from models.timeutil import LOCAL_TZ

PRODID = "-//Craftway//Hanoi craft-village experiences//VI"


@dataclass(frozen=True, slots=True)
class FeedEvent:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    last_modified: datetime
    location: str | None = None
    geo: tuple[float, float] | None = None
    url: str | None = None
    cancelled: bool = False


def render(name: str, events: Sequence[FeedEvent]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(LOCAL_TZ))
    calendar.add_component(Timezone.from_tzid(str(LOCAL_TZ)))
    for item in events:
        calendar.add_component(_vevent(item))
    return bytes(calendar.to_ical())


def _vevent(item: FeedEvent) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", item.last_modified)
    event.add("last-modified", item.last_modified)
    event.add("dtstart", item.starts_at.astimezone(LOCAL_TZ))
    event.add("dtend", item.ends_at.astimezone(LOCAL_TZ))
    event.add("summary", item.summary)
    event.add("description", item.description)
    event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
    if item.location:
        event.add("location", item.location)
    if item.geo:
        event.add("geo", vGeo(item.geo))
    if item.url:
        event.add("url", item.url)
    return event
