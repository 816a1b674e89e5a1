"""What the posting clients share: a post's address on its platform, the client protocol, and the
one translation of HTTP failures into `PostingError`.

Posting is not idempotent, so nothing here retries a request: a create that timed out after it
was sent may have been posted, and is reported as `unknown` rather than sent again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import httpx

from papernews.social.draft import Post
from papernews.social.errors import PostingError


@dataclass(frozen=True)
class Remote:
    """A post on its platform: the tweet id, or a Bluesky record's `at://` URI and CID."""

    id: str
    cid: str | None = None


class Poster(Protocol):
    """A platform that takes a thread one post at a time."""

    target: str

    def create(self, post: Post, *, parent: Remote | None, root: Remote | None) -> Remote: ...

    def delete(self, remote: Remote) -> None: ...

    def close(self) -> None: ...


def send(client: httpx.Client, platform: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One API call; PostingError for a transport failure or an error status.

    A connection that never opened cannot have posted anything; any later failure (a read
    timeout, a dropped connection) may have, and sets `unknown`. The request's headers (the
    credentials) never appear in a message.
    """
    try:
        response = client.request(method, url, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        raise PostingError(f"{platform}: cannot connect to {_host(url)}: {type(exc).__name__}") from exc
    except httpx.TransportError as exc:
        raise PostingError(
            f"{platform}: no answer from {_host(url)} ({type(exc).__name__}); the request may have been carried out",
            unknown=True,
        ) from exc
    if response.status_code >= 400:
        raise PostingError(
            f"{platform}: HTTP {response.status_code}: {error_text(response)}{_reset(response)}",
            status=response.status_code,
        )
    return response


def _reset(response: httpx.Response) -> str:
    """When a rate limit lifts (X: `x-rate-limit-reset`, Bluesky: `ratelimit-reset`, epoch seconds)."""
    value = response.headers.get("x-rate-limit-reset") or response.headers.get("ratelimit-reset")
    if response.status_code != 429 or not value or not value.isdigit():
        return ""
    return f" (the limit lifts at {datetime.fromtimestamp(int(value), UTC):%Y-%m-%d %H:%M} UTC)"


def error_text(response: httpx.Response) -> str:
    """The platform's own words for an error: X's `detail`/`title`/`errors[].message`, XRPC's `error: message`."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        if isinstance(body.get("error"), str):
            return f"{body['error']}: {body.get('message') or ''}".rstrip(": ")
        for key in ("detail", "title"):
            if isinstance(body.get(key), str):
                return str(body[key])
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("message") or errors[0].get("detail") or errors[0])
    return str(body)[:200]


def _host(url: str) -> str:
    return httpx.URL(url).host or url
