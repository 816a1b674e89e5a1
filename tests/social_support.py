"""What the social and newsletter tests share: the CLI runner, an archive file of the seed, a
config file, and local stand-ins for the X API and a Bluesky PDS that check what they are sent
(OAuth 1.0a signatures, reply refs, facets) and keep every request."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import pytest
import regex
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from papernews.cli import app
from papernews.formats.markdown import Document
from papernews.store import Store

runner = CliRunner()

X_ENV = {
    "PAPERNEWS_X_API_KEY": "consumer-key",
    "PAPERNEWS_X_API_SECRET": "consumer-secret-s3cr3t",
    "PAPERNEWS_X_ACCESS_TOKEN": "1-access-token",
    "PAPERNEWS_X_ACCESS_TOKEN_SECRET": "token-secret-s3cr3t",
}
BSKY_HANDLE = "papernews.test"
BSKY_PASSWORD = "abcd-efgh-ijkl-mnop"
SECRET_ENV = (*X_ENV, "PAPERNEWS_BLUESKY_APP_PASSWORD", "PAPERNEWS_BLUESKY_HANDLE", "PAPERNEWS_SMTP_PASSWORD")


def run(*args: str, db: Path | None = None) -> tuple[int, str, str]:
    argv = (["--db", str(db)] if db else []) + list(args)
    result = runner.invoke(app, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


RATE_LIMIT_RESET = "1726822800"  # 2024-09-20 09:00 UTC


def _json(body: dict[str, Any], status: int = 200) -> Response:
    headers = {"x-rate-limit-reset": RATE_LIMIT_RESET} if status == 429 else {}
    return Response(json.dumps(body), status=status, content_type="application/json", headers=headers)


def _q(value: str) -> str:
    return quote(value, safe="~")


def oauth1_valid(request: Request, consumer_secret: str, token_secret: str) -> dict[str, str] | None:
    """The OAuth parameters when the HMAC-SHA1 signature is right (RFC 5849 §3.4, written out
    here rather than taken from oauthlib, so the client's signing is checked independently)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("OAuth "):
        return None
    params = {k: unquote(v) for k, v in re.findall(r'(\w+)="([^"]*)"', header)}
    signature = params.pop("oauth_signature", "")
    params.pop("realm", None)
    pairs = sorted([(_q(k), _q(v)) for k, v in [*params.items(), *parse_qsl(request.query_string.decode())]])
    normalized = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join([request.method.upper(), _q(request.base_url), _q(normalized)])
    key = f"{_q(consumer_secret)}&{_q(token_secret)}"
    expected = base64.b64encode(hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()).decode()
    return params if hmac.compare_digest(signature, expected) else None


@dataclass
class Tweet:
    id: str
    text: str
    reply_to: str | None


@dataclass
class FakeX:
    """`POST /2/tweets` and `DELETE /2/tweets/:id`. `fail_creates` maps the n-th create (1-based,
    over the server's life) to an HTTP status to answer instead; `hang_creates` lists creates that
    are carried out but answered only after `hang` seconds (the client has given up by then)."""

    server: HTTPServer
    fail_creates: dict[int, int] = field(default_factory=dict)
    hang_creates: set[int] = field(default_factory=set)
    fail_deletes: dict[int, int] = field(default_factory=dict)
    hang: float = 1.5
    live: dict[str, Tweet] = field(default_factory=dict)
    created: list[Tweet] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    requests: list[tuple[str, str, str]] = field(default_factory=list)  # method, path, body
    creates: int = 0
    deletes: int = 0

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(r"^/2/tweets(/\d+)?$")).respond_with_handler(self)

    @property
    def base_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def __call__(self, request: Request) -> Response:
        body = request.get_data(as_text=True)
        self.requests.append((request.method, request.path, body))
        oauth = oauth1_valid(request, X_ENV["PAPERNEWS_X_API_SECRET"], X_ENV["PAPERNEWS_X_ACCESS_TOKEN_SECRET"])
        if oauth is None or oauth.get("oauth_consumer_key") != X_ENV["PAPERNEWS_X_API_KEY"]:
            return _json({"title": "Unauthorized", "detail": "Unauthorized", "status": 401}, 401)
        if oauth.get("oauth_token") != X_ENV["PAPERNEWS_X_ACCESS_TOKEN"]:
            return _json({"title": "Unauthorized", "detail": "Unauthorized", "status": 401}, 401)
        if request.method == "POST" and request.path == "/2/tweets":
            return self._create(json.loads(body))
        if request.method == "DELETE":
            return self._delete(request.path.rsplit("/", 1)[1])
        return _json({"title": "Not Found"}, 404)

    def _create(self, data: dict[str, Any]) -> Response:
        self.creates += 1
        if self.creates in self.fail_creates:
            status = self.fail_creates[self.creates]
            return _json({"title": "Service Unavailable", "detail": "Service Unavailable", "status": status}, status)
        reply_to = (data.get("reply") or {}).get("in_reply_to_tweet_id")
        if reply_to is not None and reply_to not in self.live:
            return _json({"detail": "You attempted to reply to a Tweet that is deleted or not visible to you."}, 403)
        tweet = Tweet(str(1800000000000000000 + self.creates), data["text"], reply_to)
        self.live[tweet.id] = tweet
        self.created.append(tweet)
        if self.creates in self.hang_creates:
            time.sleep(self.hang)
        return _json({"data": {"id": tweet.id, "text": tweet.text, "edit_history_tweet_ids": [tweet.id]}}, 201)

    def _delete(self, tweet_id: str) -> Response:
        self.deletes += 1
        if self.deletes in self.fail_deletes:
            status = self.fail_deletes[self.deletes]
            return _json({"title": "Too Many Requests", "detail": "Too Many Requests", "status": status}, status)
        if self.live.pop(tweet_id, None) is None:
            return _json({"title": "Not Found Error", "detail": f"Could not find tweet with id: [{tweet_id}]."}, 404)
        self.deleted.append(tweet_id)
        return _json({"data": {"deleted": True}})

    def thread(self) -> list[Tweet]:
        """The live tweets as a chain from the root: each must reply to the one before."""
        roots = [t for t in self.live.values() if t.reply_to is None]
        assert len(roots) <= 1, roots
        chain = roots[:]
        while chain:
            nxt = [t for t in self.live.values() if t.reply_to == chain[-1].id]
            if not nxt:
                break
            assert len(nxt) == 1, nxt
            chain.append(nxt[0])
        assert len(chain) == len(self.live), "a live tweet is not in the chain"
        return chain


@dataclass
class Record:
    uri: str
    cid: str
    record: dict[str, Any]


@dataclass
class FakeBluesky:
    """A PDS's `createSession`, `createRecord` and `deleteRecord`, checking the session token, the
    record's length (300 graphemes), its facets (UTF-8 byte offsets) and its reply refs."""

    server: HTTPServer
    fail_creates: dict[int, int] = field(default_factory=dict)
    did: str = "did:plc:papernewstest"
    live: dict[str, Record] = field(default_factory=dict)
    created: list[Record] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    sessions: int = 0
    creates: int = 0

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(r"^/xrpc/com\.atproto\.")).respond_with_handler(self)

    @property
    def base_url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def __call__(self, request: Request) -> Response:
        method = request.path.removeprefix("/xrpc/")
        data = json.loads(request.get_data(as_text=True) or "{}")
        if method == "com.atproto.server.createSession":
            if (data.get("identifier"), data.get("password")) != (BSKY_HANDLE, BSKY_PASSWORD):
                return _json({"error": "AuthenticationRequired", "message": "Invalid identifier or password"}, 401)
            self.sessions += 1
            return _json({"did": self.did, "handle": BSKY_HANDLE, "accessJwt": "access-jwt", "refreshJwt": "r"})
        if request.headers.get("Authorization") != "Bearer access-jwt":
            return _json({"error": "AuthenticationRequired", "message": "Authentication Required"}, 401)
        if method == "com.atproto.repo.createRecord":
            return self._create(data)
        if method == "com.atproto.repo.deleteRecord":
            uri = f"at://{data['repo']}/{data['collection']}/{data['rkey']}"
            if self.live.pop(uri, None) is not None:
                self.deleted.append(uri)
            return _json({})
        return _json({"error": "MethodNotImplemented", "message": method}, 501)

    def _create(self, data: dict[str, Any]) -> Response:
        self.creates += 1
        if self.creates in self.fail_creates:
            status = self.fail_creates[self.creates]
            return _json({"error": "InternalServerError", "message": "Internal Server Error"}, status)
        record = data["record"]
        assert data["repo"] == self.did and data["collection"] == "app.bsky.feed.post"
        assert record["$type"] == "app.bsky.feed.post" and record["createdAt"].endswith("Z")
        text: str = record["text"]
        if len(regex.findall(r"\X", text)) > 300:
            return _json(
                {"error": "InvalidRequest", "message": "Record/text must not be longer than 300 graphemes"}, 400
            )
        size = len(text.encode("utf-8"))
        for facet in record.get("facets", []):
            index = facet["index"]
            assert 0 <= index["byteStart"] < index["byteEnd"] <= size, facet
        reply = record.get("reply")
        if reply is not None:
            for ref in (reply["root"], reply["parent"]):
                if ref["uri"] not in self.live or self.live[ref["uri"]].cid != ref["cid"]:
                    return _json({"error": "InvalidRequest", "message": f"reply to a missing post {ref}"}, 400)
        rkey = f"3lbp{self.creates:09d}"
        made = Record(f"at://{self.did}/app.bsky.feed.post/{rkey}", f"bafyreicid{self.creates}", record)
        self.live[made.uri] = made
        self.created.append(made)
        return _json({"uri": made.uri, "cid": made.cid, "validationStatus": "valid"})


def write_config(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def use_config(monkeypatch: pytest.MonkeyPatch, path: Path, text: str, *, also_unset: Iterable[str] = ()) -> Path:
    """`text` as the papernews.toml the CLI reads (`PAPERNEWS_CONFIG`), with none of the
    developer's own secrets (`SECRET_ENV`, and `also_unset`) leaking into the test."""
    for name in (*SECRET_ENV, *also_unset):
        monkeypatch.delenv(name, raising=False)
    config = write_config(path, text)
    monkeypatch.setenv("PAPERNEWS_CONFIG", str(config))
    return config


def seed_archive(path: Path, doc: Document) -> Path:
    """`doc` imported into a new archive file at `path`, closed again: what `run(..., db=path)` opens."""
    with Store(path) as store:
        store.import_document(doc)
    return path
