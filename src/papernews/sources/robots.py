"""robots.txt for page fetches, read once per origin and kept for the client's life.

What an answer means follows RFC 9309 §2.3.1: a 4xx means no rules (allowed), a 5xx means
"assume complete disallow". We also read 429 as disallow (Google does the same): a server that
asks us to slow down is not inviting a crawl. A robots.txt that cannot be fetched at all (DNS,
timeout, refused) counts as no rules: a page on a dead host will fail on its own. APIs are
never checked: they are meant for programs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

from papernews.sources.errors import FetchError

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 §2.5: parse at least 500 KiB
MAX_CRAWL_DELAY = 30.0  # a Crawl-delay of an hour would stall `add`; beyond this we just go slowly


@dataclass(frozen=True)
class RobotsAnswer:
    status: int
    text: str


RobotsFetch = Callable[[str], RobotsAnswer]
"""robots.txt URL → its answer (FetchError when there was none)."""


class RobotsRules:
    """Which URLs the robots.txt of their origin lets our user agent fetch."""

    def __init__(self, fetch: RobotsFetch, user_agent: str, on_crawl_delay: Callable[[str, float], None]) -> None:
        self._fetch = fetch
        self._agent = user_agent
        self._on_crawl_delay = on_crawl_delay
        self._parsers: dict[str, RobotFileParser] = {}

    def allowed(self, url: str) -> bool:
        parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        parser = self._parsers.get(origin)
        if parser is None:
            parser = self._parsers[origin] = self._load(origin, parsed.host)
        # RobotFileParser matches paths on the raw path and query, as robots.txt rules are written.
        target = parsed.raw_path.decode("ascii")
        return parser.can_fetch(self._agent, target)

    def _load(self, origin: str, host: str) -> RobotFileParser:
        parser = RobotFileParser(f"{origin}/robots.txt")
        try:
            answer = self._fetch(f"{origin}/robots.txt")
        except FetchError:
            parser.parse([])
            return parser
        if answer.status == 429 or answer.status >= 500:
            parser.parse(["User-agent: *", "Disallow: /"])
        elif 200 <= answer.status < 300:
            parser.parse(answer.text.splitlines())
            delay = parser.crawl_delay(self._agent)
            if delay:
                self._on_crawl_delay(host, min(float(delay), MAX_CRAWL_DELAY))
        else:
            parser.parse([])  # no rules: everything allowed
        return parser
