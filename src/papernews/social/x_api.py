"""X API v2: `POST /2/tweets` (a reply names `reply.in_reply_to_tweet_id`) and
`DELETE /2/tweets/:id`, signed with OAuth 1.0a in user context.

The signature comes from `oauthlib` (the signing core of requests-oauthlib). The body is JSON,
so it is not part of the signature base string (RFC 5849 §3.4.1.3 signs form bodies only): the
request is signed with its method, URL and OAuth parameters, as X expects. `api_base` is a
setting so that tests post to a local server.
"""

from __future__ import annotations

from typing import Any

import httpx
from oauthlib.oauth1 import Client as OAuth1Client

from papernews.social.draft import Post
from papernews.social.errors import PostingError
from papernews.social.remote import Remote, send
from papernews.social.settings import XCredentials


class _OAuth1(httpx.Auth):
    """httpx auth that adds the OAuth 1.0a `Authorization` header to each request."""

    def __init__(self, credentials: XCredentials) -> None:
        self._client = OAuth1Client(
            credentials.api_key,
            client_secret=credentials.api_secret,
            resource_owner_key=credentials.access_token,
            resource_owner_secret=credentials.access_token_secret,
        )

    def auth_flow(self, request: httpx.Request) -> Any:
        method: Any = request.method  # oauthlib's stubs want a literal method name
        _, headers, _ = self._client.sign(str(request.url), method, None, {})
        request.headers["Authorization"] = headers["Authorization"]
        yield request


class XClient:
    target = "x"

    def __init__(
        self, credentials: XCredentials, *, api_base: str, timeout: float, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._base = api_base.rstrip("/")
        self._http = httpx.Client(
            auth=_OAuth1(credentials),
            timeout=httpx.Timeout(timeout),
            transport=transport,
            headers={"User-Agent": "papernews"},
            follow_redirects=False,
        )

    def close(self) -> None:
        self._http.close()

    def create(self, post: Post, *, parent: Remote | None, root: Remote | None) -> Remote:
        body: dict[str, Any] = {"text": post.text}
        if parent is not None:
            body["reply"] = {"in_reply_to_tweet_id": parent.id}
        response = send(self._http, "X", "POST", f"{self._base}/2/tweets", json=body)
        try:
            tweet_id = response.json()["data"]["id"]
        except (ValueError, KeyError, TypeError) as exc:
            raise PostingError(
                f"X: the answer to a post carries no tweet id ({response.text[:120]!r})", unknown=True
            ) from exc
        return Remote(str(tweet_id))

    def delete(self, remote: Remote) -> None:
        response = send(self._http, "X", "DELETE", f"{self._base}/2/tweets/{remote.id}")
        try:
            deleted = response.json()["data"]["deleted"]
        except (ValueError, KeyError, TypeError):
            deleted = True  # a 2xx without the usual body: X took the request
        if deleted is not True:
            raise PostingError(f"X: tweet {remote.id} was not deleted")
