"""What the web app's tests share: settings for a test archive, users and tokens, logging in
through the real login form, and a real uvicorn server on a free port of 127.0.0.1."""

from __future__ import annotations

import dataclasses
import re
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from pytest_httpserver import HTTPServer

from papernews.formats.markdown import Document, parse
from papernews.inbox.model import InboxCandidate, candidate_id
from papernews.samples import SAMPLE_DIGEST
from papernews.sources import HttpSettings
from papernews.store import Store
from papernews.store import inbox as inbox_table
from papernews.web import security
from papernews.web.settings import WebSettings

PASSWORD = "correct horse battery staple"
# fetches in tests: no cache, no retries, short timeouts (only local servers answer)
TEST_HTTP = HttpSettings(
    retries=0, connect_timeout=2.0, read_timeout=5.0, default_interval=0.0, arxiv_interval=0.0, respect_robots=False
)


def arxiv_http(server: HTTPServer) -> HttpSettings:
    """TEST_HTTP with arXiv's API and HTML full texts on the local server (summarize_support.serve_arxiv)."""
    return dataclasses.replace(TEST_HTTP, arxiv_api=server.url_for("/api/query"), arxiv_html=server.url_for("/html"))


def web_settings(tmp_path: Path, db: Path, **overrides: Any) -> WebSettings:
    """Settings for a test: publish into tmp_path without the slow search index and charts."""
    values: dict[str, Any] = {
        "site_dir": tmp_path / "site",
        "export_dir": tmp_path / "out",
        "build_search": False,
        "build_charts": False,
        "http": TEST_HTTP,
    }
    values.update(overrides)
    return WebSettings(db=db, **values)


def add_user(db: Path, name: str = "ann", password: str = PASSWORD) -> None:
    with Store(db) as store:
        security.create_user(store, name, password)


def archive_with_user(path: Path, doc: Document | None = None) -> Path:
    """An archive file at `path` holding `doc` (the shipped sample digest when None) and the
    user `ann`: where the web tests start, whether from the seed or the small sample."""
    if doc is None:
        doc = parse(SAMPLE_DIGEST.read_text(encoding="utf-8"))
    with Store(path) as store:
        store.import_document(doc)
    add_user(path)
    return path


def insert_candidates(db: Path, rows: Iterable[tuple[str, str, str]], **fields: Any) -> list[InboxCandidate]:
    """Waiting inbox candidates, one per (identity, url, title), the other fields (`source`,
    `week`…) shared; inserted as a fetch would, returned in order. The inbox tests' queue."""
    found = [
        InboxCandidate(id=candidate_id(identity), identity=identity, url=url, title=title, **fields)
        for identity, url, title in rows
    ]
    with Store(db) as store:
        inbox_table.insert_candidates(store, found)
    return found


def api_token(db: Path, user: str = "ann", name: str = "test") -> str:
    with Store(db) as store:
        secret, _ = security.issue_token(store, user, name)
    return secret


def login(client: httpx.Client, name: str = "ann", password: str = PASSWORD, next_path: str = "") -> httpx.Response:
    """Through the login page, as a browser: GET the form (its CSRF cookie), POST it back."""
    page = client.get("/login")
    token = login_form_token(page.text)
    data = {"name": name, "password": password, "csrf_token": token, "next": next_path}
    return client.post("/login", data=data, follow_redirects=False)


def login_form_token(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*\bvalue="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert m, "the login page has no csrf_token field"
    return m.group(1)


def session_csrf(client: httpx.Client, db: Path) -> str:
    """The CSRF token of the client's session, as its pages carry it."""
    sid = client.cookies.get(security.SESSION_COOKIE)
    assert sid, "not logged in"
    with Store(db) as store:
        found = security.session_of(store, sid)
    assert found is not None
    return found[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """The app on a real uvicorn server on 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
