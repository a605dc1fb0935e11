"""When a failed delivery is tried again: the schedule after each failed attempt, with jitter,
and a receiver's Retry-After (on 429 and 503) in its place."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

# Seconds to wait after failed attempt 1, 2, ...: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
# 14 h, 20 h and 24 h; a delivery whose last attempt fails after these is FAILED.
SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
JITTER = 0.2  # each wait is stretched or shrunk by up to a fifth, so retries do not move in herds
MAX_RETRY_AFTER = 24 * 3600


def next_wait(failed_attempts: int, scale: float = 1.0) -> timedelta | None:
    """How long after the `failed_attempts`-th failure to try again; None when it was the last."""
    if failed_attempts > len(SCHEDULE):
        return None
    seconds = SCHEDULE[failed_attempts - 1] * random.uniform(1 - JITTER, 1 + JITTER)
    return timedelta(seconds=seconds * scale)


def retry_after(header: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (seconds, or an HTTP date) as a wait; None when absent or unreadable."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return timedelta(seconds=min(int(header), MAX_RETRY_AFTER))
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return min(max(moment - now, timedelta(0)), timedelta(seconds=MAX_RETRY_AFTER))
