"""How long to wait: between two requests to one host, and before a retry.

Both take the clock and the sleep as arguments so tests run them on a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable
from email.utils import parsedate_to_datetime

Clock = Callable[[], float]
Sleep = Callable[[float], None]

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delta-seconds or an HTTP date), None if unreadable.

    `now` is wall-clock time (an HTTP date is absolute); a date in the past means "now".
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # RFC 9110 dates are GMT; an obsolete form may lose the zone
        return None
    return max(0.0, when.timestamp() - now)


def backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential: base, 2·base, 4·base … (attempt counts from 0), never above `cap`."""
    return float(min(cap, base * (2**attempt)))


class HostRateLimiter:
    """Spaces requests to one host by at least its minimum interval.

    Not thread-safe: the client is used from one thread, and a lock held while sleeping would
    make every host wait for the slowest.
    """

    def __init__(self, interval: Callable[[str], float], clock: Clock, sleep: Sleep) -> None:
        self._interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._floor: dict[str, float] = {}

    def slow_down(self, host: str, seconds: float) -> None:
        """Raise a host's interval (robots.txt ``Crawl-delay``); never lowers the configured one."""
        host = host.lower()
        self._floor[host] = max(self._floor.get(host, 0.0), seconds)

    def wait(self, host: str) -> None:
        host = host.lower()
        interval = max(self._interval(host), self._floor.get(host, 0.0))
        now = self._clock()
        last = self._last.get(host)
        if last is not None and now < last + interval:
            self._sleep(last + interval - now)
            now = max(self._clock(), last + interval)
        self._last[host] = now
