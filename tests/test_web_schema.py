"""schemathesis against the generated OpenAPI document, in process (ASGI): every API operation,
called with generated data (writes with an API token), never answers 5xx and always answers
as the document says (status code, content type, headers, body schema)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from papernews.formats.markdown import parse
from papernews.samples import SAMPLE_DIGEST
from papernews.store import Store
from papernews.web.app import create_app
from papernews.web.settings import WebSettings
from web_support import add_user, api_token, web_settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, str]:
    """The app over a seeded archive, and an API token for the writes."""
    tmp = tmp_path_factory.mktemp("schema")
    db = tmp / "schema.db"
    with Store(db) as store:
        store.import_document(parse(SAMPLE_DIGEST.read_text(encoding="utf-8")))
    add_user(db)
    return create_app(web_settings(tmp, db)), api_token(db)


def _document() -> dict[str, Any]:
    """The OpenAPI document, read once at collection (pytest parametrizes over its operations);
    it depends on the code only, not on the archive."""
    with tempfile.TemporaryDirectory() as tmp:
        return create_app(WebSettings(db=Path(tmp) / "doc.db")).openapi()


schema = schemathesis.openapi.from_dict(_document()).include(path_regex="^/api/v1/")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_promises(case: schemathesis.Case, served: tuple[FastAPI, str]) -> None:
    app, secret = served
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {secret}"}, checks=CHECKS)
