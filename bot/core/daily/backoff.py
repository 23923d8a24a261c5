"""When to try a failed daily post again."""

from __future__ import annotations

import datetime as dt

from bot.core.daily.localtime import require_aware

# Backoff between attempts: transient errors (rate limit, outage) are retried
# soon; permanent ones (channel gone or forbidden) need a human, so less often.
RETRY_FIRST = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(hours=1)
PERMANENT_FIRST = dt.timedelta(minutes=30)
PERMANENT_CAP = dt.timedelta(hours=6)


def retry_at(
    now: dt.datetime, attempts: int, permanent: bool, at_least: dt.timedelta | None = None
) -> dt.datetime:
    """When to try again after *attempts* failed attempts (1, 2, 4 ... minutes, capped).

    *at_least* is a server-given wait (a rate limit's retry-after), never undercut.
    """
    first, cap = (PERMANENT_FIRST, PERMANENT_CAP) if permanent else (RETRY_FIRST, RETRY_CAP)
    delay = min(cap, first * (1 << min(max(attempts - 1, 0), 20)))
    if at_least is not None:
        delay = max(delay, at_least)
    return require_aware(now) + delay
