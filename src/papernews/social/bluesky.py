"""Bluesky through the AT Protocol's XRPC over HTTP: `com.atproto.server.createSession` with an
app password, `com.atproto.repo.createRecord` of `app.bsky.feed.post` records (text, link facets
by UTF-8 byte offsets, reply refs to the thread's root and parent), `com.atproto.repo.deleteRecord`.

Plain httpx rather than the `atproto` SDK: four calls with JSON bodies do not need a generated
client of the whole lexicon, and `service` (the account's PDS) is a setting so tests post to a
local server. One session per run: a thread takes seconds, far less than an access token lives.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from papernews.social.draft import Post
from papernews.social.errors import PostingError
from papernews.social.remote import Remote, send
from papernews.social.settings import BlueskyCredentials

POST_COLLECTION = "app.bsky.feed.post"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def post_record(
    post: Post, *, parent: Remote | None, root: Remote | None, created_at: str, langs: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The `app.bsky.feed.post` record for a post (pure)."""
    record: dict[str, Any] = {"$type": POST_COLLECTION, "text": post.text, "createdAt": created_at}
    facets = [
        {
            "index": {"byteStart": f.byte_start, "byteEnd": f.byte_end},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": f.uri}],
        }
        for f in post.facets()
    ]
    if facets:
        record["facets"] = facets
    if langs:
        record["langs"] = list(langs)
    if parent is not None:
        top = root or parent
        record["reply"] = {
            "root": {"uri": top.id, "cid": top.cid},
            "parent": {"uri": parent.id, "cid": parent.cid},
        }
    return record


class BlueskyClient:
    target = "bluesky"

    def __init__(
        self,
        credentials: BlueskyCredentials,
        *,
        service: str,
        timeout: float,
        langs: tuple[str, ...] = (),
        clock: Callable[[], str] = _now,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._credentials = credentials
        self._base = service.rstrip("/") + "/xrpc/"
        self._langs = langs
        self._clock = clock
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout), transport=transport, headers={"User-Agent": "papernews"}
        )
        self._did: str | None = None
        self._token: str | None = None

    def close(self) -> None:
        self._http.close()

    def _session(self) -> tuple[str, dict[str, str]]:
        if self._did is None or self._token is None:
            response = send(
                self._http,
                "Bluesky",
                "POST",
                self._base + "com.atproto.server.createSession",
                json={"identifier": self._credentials.handle, "password": self._credentials.app_password},
            )
            try:
                data = response.json()
                self._did, self._token = str(data["did"]), str(data["accessJwt"])
            except (ValueError, KeyError, TypeError) as exc:
                raise PostingError("Bluesky: the session answer carries no did/accessJwt") from exc
        return self._did, {"Authorization": f"Bearer {self._token}"}

    def _repo_call(self, procedure: str, body: dict[str, Any]) -> httpx.Response:
        """POST an XRPC `com.atproto.repo.*` procedure on the account's own repository (`repo` set
        to the session's did, its bearer token sent): what creating and deleting a post share."""
        did, auth = self._session()
        return send(
            self._http,
            "Bluesky",
            "POST",
            self._base + "com.atproto.repo." + procedure,
            json={"repo": did, "collection": POST_COLLECTION, **body},
            headers=auth,
        )

    def create(self, post: Post, *, parent: Remote | None, root: Remote | None) -> Remote:
        record = post_record(post, parent=parent, root=root, created_at=self._clock(), langs=self._langs)
        response = self._repo_call("createRecord", {"record": record})
        try:
            data = response.json()
            return Remote(str(data["uri"]), str(data["cid"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise PostingError("Bluesky: the answer to a post carries no uri/cid", unknown=True) from exc

    def delete(self, remote: Remote) -> None:
        self._repo_call("deleteRecord", {"rkey": remote.id.rsplit("/", 1)[-1]})
