"""What the summarize tests share: a local OpenAI-compatible endpoint answering with the recorded
completions of tests/fixtures/llm, and arXiv (API and HTML) served from tests/fixtures/http."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from http_support import ATOM
from http_support import FIXTURES as HTTP_FIXTURES

HERE = Path(__file__).parent
LLM_FIXTURES = HERE / "fixtures" / "llm"
LORA = "https://arxiv.org/abs/2106.09685"  # not in the seed; arXiv HTML recorded
ATTENTION = "https://arxiv.org/abs/1706.03762"  # not in the seed; no HTML (404), abstract from the API


def completion(name: str) -> tuple[int, dict[str, Any]]:
    """A recorded answer: (HTTP status, JSON body)."""
    body = json.loads((LLM_FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return (400 if "error" in body else 200), body


class Endpoint:
    """`POST /v1/chat/completions` on the local server: answers in order, every request kept.

    `refuse_schema` makes it a server without structured output: any request carrying
    `response_format` gets the recorded 400 answer of such a server.
    """

    def __init__(self, server: HTTPServer, answers: list[str], *, refuse_schema: bool = False) -> None:
        self.answers = list(answers)
        self.refuse_schema = refuse_schema
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.base_url = server.url_for("/v1")
        server.expect_request("/v1/chat/completions", method="POST").respond_with_handler(self)

    def __call__(self, request: Request) -> Response:
        body = json.loads(request.get_data(as_text=True))
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if self.refuse_schema and "response_format" in body:
            status, payload = completion("error-no-json-schema")
        elif not self.answers:
            status, payload = 500, {"error": {"message": "no more recorded answers"}}
        else:
            status, payload = completion(self.answers.pop(0))
        return Response(json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json")


def serve_arxiv(server: HTTPServer) -> None:
    """arXiv as the tests know it: robots.txt absent, LoRA's HTML full text, no HTML for the rest."""
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    server.expect_request("/html/2106.09685").respond_with_data(
        (HTTP_FIXTURES / "arxiv-html-2106.09685.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    server.expect_request("/html/1706.03762").respond_with_data(
        "<html><body>No HTML for '1706.03762'</body></html>", status=404, content_type="text/html"
    )
    server.expect_request(re.compile(r"^/html/")).respond_with_data("<html><body>No HTML</body></html>", status=404)
    server.expect_request("/api/query").respond_with_data(
        (HTTP_FIXTURES / "arxiv-3ids.xml").read_bytes(), content_type=ATOM
    )


LLM_ENV = (
    "PAPERNEWS_LLM_BASE_URL", "PAPERNEWS_LLM_MODEL", "PAPERNEWS_LLM_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_KEY",
)  # fmt: skip


def no_chat_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """No chat endpoint configured: summaries are the offline extractive draft."""
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)


def use_endpoint(monkeypatch: pytest.MonkeyPatch, endpoint: Endpoint, model: str = "gpt-4o-mini") -> None:
    """Point `papernews.summarize` at the local endpoint, as a curator's environment would."""
    for name, value in {
        "PAPERNEWS_LLM_BASE_URL": endpoint.base_url,
        "PAPERNEWS_LLM_MODEL": model,
        "PAPERNEWS_LLM_API_KEY": "sk-test",
        "PAPERNEWS_LLM_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
