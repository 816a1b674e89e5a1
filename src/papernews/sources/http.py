"""The one polite HTTP client of papernews: every fetch of every stage goes through it.

Layers, outermost first: redirects followed by hand so each hop passes the SSRF guard (and
robots.txt for pages) → retries with backoff honouring ``Retry-After`` → the on-disk cache
(hishel; a hit costs no request, so no wait) → the per-host rate limit → the network, dialled
only at vetted addresses. A body is streamed and cut at the size cap.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import httpcore
import httpx
from hishel import SqliteStorage
from hishel.httpx import CacheTransport

from papernews.sources.charset import decode
from papernews.sources.errors import FetchError
from papernews.sources.guard import GuardedBackend, Resolver, check_url, system_resolver
from papernews.sources.robots import ROBOTS_MAX_BYTES, RobotsAnswer, RobotsRules
from papernews.sources.settings import HttpSettings
from papernews.sources.waits import RETRY_STATUSES, Clock, HostRateLimiter, Sleep, backoff, retry_after

__all__ = ["FetchError", "Fetched", "HttpClient", "HttpSettings"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CACHE_FILE = "http-cache.sqlite"


@dataclass(frozen=True)
class Fetched:
    """A complete answer: the final URL after redirects, and the whole (capped) body."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes
    from_cache: bool = False

    @property
    def content_type(self) -> str:
        return str(self.headers.get("content-type", ""))

    @property
    def text(self) -> str:
        return decode(self.content, self.headers.get("content-type"))

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError(self.url, self.status, "the answer is not JSON") from exc


class _RateLimitedTransport(httpx.BaseTransport):
    """Under the cache, so only requests that really leave the machine wait their turn."""

    def __init__(self, inner: httpx.BaseTransport, limiter: HostRateLimiter) -> None:
        self._inner = inner
        self._limiter = limiter

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._limiter.wait(request.url.host)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def _network_transport(settings: HttpSettings, resolver: Resolver) -> httpx.HTTPTransport:
    # retries=0: retrying is ours to do, with backoff and Retry-After.
    transport = httpx.HTTPTransport(retries=0, trust_env=False)
    if not settings.allow_private:
        pool = transport._pool
        if not isinstance(pool, httpcore.ConnectionPool):  # pragma: no cover - no proxies configured
            raise TypeError("unexpected httpx transport pool")
        pool._network_backend = GuardedBackend(pool._network_backend, resolver)
    return transport


class HttpClient:
    """Use as a context manager (it holds connections and the cache database).

    `sleep`, `clock` (monotonic, for rate limits), `wall_clock` (for ``Retry-After`` dates) and
    `resolver` are seams for tests; `transport` replaces the network (e.g. ``httpx.MockTransport``).
    """

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
        resolver: Resolver = system_resolver,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings if settings is not None else HttpSettings.from_env()
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._resolver = resolver
        self.limiter = HostRateLimiter(self.settings.min_interval, clock, sleep)
        inner: httpx.BaseTransport = _RateLimitedTransport(
            transport if transport is not None else _network_transport(self.settings, resolver), self.limiter
        )
        if self.settings.cache_dir is not None:
            self.settings.cache_dir.mkdir(parents=True, exist_ok=True)
            storage = SqliteStorage(
                database_path=self.settings.cache_dir / CACHE_FILE, default_ttl=self.settings.cache_ttl
            )
            inner = CacheTransport(next_transport=inner, storage=storage)
        self._client = httpx.Client(
            transport=inner,
            headers={"User-Agent": self.settings.user_agent},
            timeout=httpx.Timeout(self.settings.read_timeout, connect=self.settings.connect_timeout),
            follow_redirects=False,
        )
        self.robots = RobotsRules(self._fetch_robots, self.settings.user_agent, self.limiter.slow_down)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        robots: bool = False,
        max_bytes: int | None = None,
    ) -> Fetched:
        """The answer to a GET, FetchError for any status of 400 and above."""
        answer = self.fetch(url, params=params, headers=headers, robots=robots, max_bytes=max_bytes)
        if answer.status >= 400:
            phrase = httpx.codes.get_reason_phrase(answer.status) or "HTTP error"
            raise FetchError(answer.url, answer.status, phrase)
        return answer

    def get_json(self, url: str, *, params: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> Any:
        return self.get(url, params=params, headers=headers).json()

    def fetch(
        self,
        url: str,
        *,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        robots: bool = False,
        max_bytes: int | None = None,
    ) -> Fetched:
        """The answer to a GET whatever its status, after redirects; FetchError when there is none.

        `robots=True` (page fetches) checks robots.txt at every hop; APIs pass False.
        """
        limit = self.settings.max_bytes if max_bytes is None else max_bytes
        request_headers = dict(headers or {})
        current = self._parse(url)
        if params:
            current = current.copy_merge_params(params)
        for _hop in range(self.settings.max_redirects + 1):
            shown = str(current)
            check_url(shown, allow_private=self.settings.allow_private, resolver=self._resolver)
            if robots and self.settings.respect_robots and not self.robots.allowed(shown):
                raise FetchError(shown, None, "refused: robots.txt disallows this URL for papernews")
            answer = self._exchange(current, request_headers, limit)
            location = answer.headers.get("location")
            if answer.status not in REDIRECT_STATUSES or not location:
                return answer
            target = current.join(location)
            if target.host != current.host:
                # Credentials are for the host they were given for.
                request_headers = {k: v for k, v in request_headers.items() if k.lower() != "authorization"}
            current = target
        raise FetchError(url, None, f"more than {self.settings.max_redirects} redirects")

    def _parse(self, url: str) -> httpx.URL:
        try:
            return httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise FetchError(url, None, f"invalid URL: {exc}") from exc

    def _exchange(self, url: httpx.URL, headers: dict[str, str], limit: int) -> Fetched:
        """One hop, retried on 429, 5xx and connection failures."""
        shown = str(url)
        attempt = 0
        while True:
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.status_code in RETRY_STATUSES and attempt < self.settings.retries:
                        asked = retry_after(response.headers.get("retry-after"), self._wall_clock())
                        delay = asked if asked is not None else self._backoff(attempt)
                    else:
                        body = b"" if response.status_code in REDIRECT_STATUSES else _read(response, shown, limit)
                        caching = response.extensions.get("caching") or {}
                        return Fetched(
                            url=shown,
                            status=response.status_code,
                            headers=response.headers,
                            content=body,
                            from_cache=bool(caching.get("from_cache", False)),
                        )
            except httpx.TransportError as exc:
                if attempt >= self.settings.retries:
                    raise FetchError(shown, None, f"{type(exc).__name__}: {exc}".rstrip(": ")) from exc
                delay = self._backoff(attempt)
            self._sleep(min(delay, self.settings.max_wait))
            attempt += 1

    def _backoff(self, attempt: int) -> float:
        return backoff(attempt, self.settings.backoff_base, self.settings.max_wait)

    def _fetch_robots(self, url: str) -> RobotsAnswer:
        answer = self.fetch(url, max_bytes=ROBOTS_MAX_BYTES)
        return RobotsAnswer(answer.status, answer.content.decode("utf-8", errors="replace"))


def _read(response: httpx.Response, url: str, limit: int) -> bytes:
    """The decoded body, or FetchError as soon as it passes `limit` bytes (a lying or absent
    Content-Length, or a compression bomb, cannot make us hold more)."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(url, response.status_code, f"too large: {declared} bytes, over the cap of {limit}")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise FetchError(url, response.status_code, f"too large: over the cap of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
