"""What the tests of the network edge share: the recorded answers of tests/fixtures/http (see its
README) and an `HttpClient` whose every endpoint is the local pytest-httpserver.

The fetchers, the inbox's sources and summarize all talk to the same client; pointing all its
endpoints at the local server (and letting it reach 127.0.0.1) means no test can reach the real
network by a forgotten setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from papernews.sources import HttpClient, HttpSettings

FIXTURES = Path(__file__).parent / "fixtures" / "http"
ATOM = "application/atom+xml; charset=utf-8"


def fixture(name: str) -> bytes:
    """A recorded answer from tests/fixtures/http."""
    return (FIXTURES / name).read_bytes()


def no_sleep(seconds: float) -> None:
    """No real waits: rate limits and retries are tests/test_http.py's business."""


def local_settings(server: HTTPServer, **overrides: Any) -> HttpSettings:
    """Settings whose arXiv (API and HTML), GitHub and Hugging Face endpoints are `server`;
    private addresses allowed (it listens on 127.0.0.1). `overrides` win."""
    values: dict[str, Any] = {
        "allow_private": True,
        "arxiv_api": server.url_for("/api/query"),
        "arxiv_html": server.url_for("/html"),
        "github_api": server.url_for("/"),
        "hf_api": server.url_for("/api"),
    }
    values.update(overrides)
    return HttpSettings(**values)


@contextmanager
def local_client(server: HTTPServer, **overrides: Any) -> Iterator[HttpClient]:
    """An `HttpClient` on `local_settings(server, **overrides)` that never sleeps."""
    with HttpClient(local_settings(server, **overrides), sleep=no_sleep) as client:
        yield client
