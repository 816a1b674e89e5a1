"""The whole draft → lint → retry loop against a local OpenAI-compatible server (real HTTP through
the `openai` SDK, recorded completions), with arXiv served from recorded fixtures."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from http_support import local_client
from papernews.archive import export_text
from papernews.cli import app
from papernews.formats.markdown import parse
from papernews.model import Bullet, bullets_digest
from papernews.sources import HttpClient, HttpSettings
from papernews.store import Store
from papernews.summarize import PROMPT_VERSION, LlmSettings, summarize_inputs
from papernews.summarize.answer import parse_answer
from summarize_support import ATTENTION, LORA, Endpoint, serve_arxiv

GOOD_FIRST = "full fine-tuning은 모델이 커질수록"


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[HttpClient]:
    serve_arxiv(httpserver)
    with local_client(httpserver) as c:
        yield c


def llm(endpoint: Endpoint) -> LlmSettings:
    return LlmSettings(base_url=endpoint.base_url, model="gpt-4o-mini", api_key="sk-test", max_retries=0, timeout=10)


def test_good_draft(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    endpoint = Endpoint(httpserver, ["good"])
    (result,) = summarize_inputs(archive, [LORA], llm=llm(endpoint), client=client)

    assert result.status == "drafted", result.error
    assert result.item is not None and result.draft is not None
    assert result.item.bullets[0].text.startswith(GOOD_FIRST)
    assert result.item.bullets[2].children[0].text.startswith("RoBERTa")
    assert result.item.bullets[-1].text == "[깃허브 링크](https://github.com/microsoft/LoRA) 🔗"
    assert result.draft.findings == [] and len(result.draft.attempts) == 1

    provenance = result.item.meta.summary_provenance
    assert provenance is not None
    assert (provenance.method, provenance.model, provenance.prompt_version) == (
        "llm",
        "gpt-4o-mini-2024-07-18",  # as the server named it
        PROMPT_VERSION,
    )
    assert provenance.endpoint_host == endpoint.base_url.split("//")[1].split("/")[0]
    assert provenance.source_kind == "arxiv-html"
    assert provenance.source_url == httpserver.url_for("/html/2106.09685")
    assert result.source is not None and provenance.source_sha256 == result.source.sha256
    assert provenance.bullets_sha256 == bullets_digest(result.item.bullets)
    assert provenance.edited is False
    assert archive.count() == 619  # not written without --write

    (request,) = endpoint.requests
    assert request["model"] == "gpt-4o-mini"
    assert request["response_format"]["type"] == "json_schema"
    assert endpoint.headers[0]["Authorization"] == "Bearer sk-test"
    messages = request["messages"]
    assert messages[0]["role"] == "system" and "존댓말" in messages[0]["content"]
    # three seed papers as examples: their own bullets as the assistant's answers, in JSON
    roles = [m["role"] for m in messages]
    assert roles == ["system", "user", "assistant", "user", "assistant", "user", "assistant", "user"]
    example_titles = [m["content"].splitlines()[1] for m in messages[1:7:2]]
    assert example_titles[0] == "제목: DoRA: Weight-Decomposed Low-Rank Adaptation"
    assert all(json.loads(m["content"])["bullets"] for m in messages[2:7:2])
    # the source: the full text by sections, references and appendix left out, the code link given
    source = messages[-1]["content"]
    assert "## 1 Introduction" in source and "### 4.1 Low-Rank-Parametrized Update Matrices" in source
    assert "References" not in source and "appendix paragraph" not in source and "footnote" not in source
    assert "코드·모델·데이터 링크: https://github.com/microsoft/LoRA" in source


def test_polite_draft_is_sent_back_and_corrected(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    endpoint = Endpoint(httpserver, ["polite", "corrected"])
    (result,) = summarize_inputs(archive, [LORA], llm=llm(endpoint), client=client, write=True)

    assert result.status == "written", result.error
    assert result.draft is not None
    first, second = result.draft.attempts
    assert {f.rule for f in first.findings} == {"polite-ending"}
    assert all(f.severity == "error" for f in first.findings) and len(first.findings) == 3
    assert second.findings == []

    assert len(endpoint.requests) == 2
    retry = endpoint.requests[1]["messages"]
    assert retry[:-2] == endpoint.requests[0]["messages"]  # the same conversation, continued
    assert retry[-2]["role"] == "assistant" and "제안합니다" in retry[-2]["content"]
    assert retry[-1]["role"] == "user"
    assert "polite-ending" in retry[-1]["content"] and "'제안합니다'" in retry[-1]["content"]

    stored = archive.get(result.item.id if result.item else "")
    assert stored.bullets[0].text.startswith(GOOD_FIRST)
    assert stored.meta.summary_provenance is not None and stored.meta.summary_provenance.edited is False
    assert stored.meta.ids["arxiv"] == "2106.09685"  # added as `add` would: metadata kept
    assert archive.count() == 620


def test_server_without_structured_output(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    endpoint = Endpoint(httpserver, ["plain"], refuse_schema=True)
    (result,) = summarize_inputs(archive, [LORA], llm=llm(endpoint), client=client)

    assert result.status == "drafted", result.error
    assert result.item is not None and result.item.bullets[0].text.startswith(GOOD_FIRST)
    assert [b.text for b in result.item.bullets[2].children] == [
        "RoBERTa, DeBERTa, GPT-2, GPT-3에서 full fine-tuning과 비슷하거나 더 나은 성능"
    ]
    provenance = result.item.meta.summary_provenance
    assert provenance is not None and provenance.model == "qwen2.5-7b-instruct-q4_k_m.gguf"

    schema_ask, plain_ask = endpoint.requests
    assert "response_format" in schema_ask and "response_format" not in plain_ask
    assert "Markdown 목록" in plain_ask["messages"][0]["content"]
    # the examples are shown as Markdown lists too, not as JSON
    assert plain_ask["messages"][2]["content"].startswith("- ")


def test_three_failing_answers_write_nothing(
    archive: Store, client: HttpClient, httpserver: HTTPServer, tmp_path: Path
) -> None:
    endpoint = Endpoint(httpserver, ["polite", "polite", "polite", "good"])
    (result,) = summarize_inputs(archive, [LORA], llm=llm(endpoint), client=client, write=True)

    assert result.status == "lint-errors"
    assert result.draft is not None and len(result.draft.attempts) == 3
    assert len(endpoint.requests) == 3  # never a fourth
    assert {f.rule for f in result.draft.errors} == {"polite-ending"}
    assert archive.count() == 619  # nothing written, not even the new item


def test_abstract_when_arxiv_has_no_html(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    endpoint = Endpoint(httpserver, ["good"])
    (result,) = summarize_inputs(archive, [ATTENTION], llm=llm(endpoint), client=client)
    assert result.status == "drafted", result.error
    assert result.source is not None and result.source.kind == "stored-abstract"  # fetched by `add` just before
    source = endpoint.requests[0]["messages"][-1]["content"]
    assert "## Abstract" in source and "The dominant sequence transduction models" in source


def test_endpoint_down_is_an_error_for_that_input(archive: Store, client: HttpClient) -> None:
    settings = LlmSettings(base_url="http://127.0.0.1:9/v1", model="m", max_retries=0, timeout=2)
    (result,) = summarize_inputs(archive, [LORA], llm=settings, client=client)
    assert result.status == "error"
    assert result.error is not None and "cannot reach http://127.0.0.1:9/v1" in result.error


# --- edits after the draft ------------------------------------------------------------------------


def test_edited_flag_flips_on_save_and_on_readme_import(
    archive: Store, client: HttpClient, httpserver: HTTPServer
) -> None:
    Endpoint(httpserver, ["good"])
    settings = LlmSettings(base_url=httpserver.url_for("/v1"), model="m", max_retries=0)
    (result,) = summarize_inputs(archive, [LORA], llm=settings, client=client, write=True)
    assert result.status == "written" and result.item is not None
    item_id = result.item.id

    # a README round trip that changes nothing keeps the draft as drafted
    readme = export_text(archive, "markdown")
    archive.import_document(parse(readme))
    provenance = archive.get(item_id).meta.summary_provenance
    assert provenance is not None and provenance.edited is False

    # the curator rewrites a bullet in the README: the summary is now edited by a person
    edited = readme.replace("GPU 메모리 3배 절감", "GPU 메모리 1/3로 절감")
    assert edited != readme
    archive.import_document(parse(edited))
    provenance = archive.get(item_id).meta.summary_provenance
    assert provenance is not None and provenance.edited is True
    assert provenance.model == "gpt-4o-mini-2024-07-18"  # the rest of the provenance is kept

    # and it stays so, even when the bullets go back to the draft
    archive.import_document(parse(readme))
    provenance = archive.get(item_id).meta.summary_provenance
    assert provenance is not None and provenance.edited is True


def test_edited_flag_flips_on_save_item(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    Endpoint(httpserver, ["good"])
    settings = LlmSettings(base_url=httpserver.url_for("/v1"), model="m", max_retries=0)
    (result,) = summarize_inputs(archive, [LORA], llm=settings, client=client, write=True)
    assert result.item is not None
    stored = archive.get(result.item.id)
    archive.save_item(stored.model_copy(update={"tags": ["AI/ML"]}))  # not the bullets
    provenance = archive.get(result.item.id).meta.summary_provenance
    assert provenance is not None and provenance.edited is False

    archive.save_item(stored.model_copy(update={"bullets": [*stored.bullets, Bullet(text="추가한 bullet")]}))
    provenance = archive.get(result.item.id).meta.summary_provenance
    assert provenance is not None and provenance.edited is True


def test_bullets_of_a_person_are_kept_without_force(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    endpoint = Endpoint(httpserver, ["good", "good"])
    aya = archive.search("Aya Model").hits[0].item
    assert aya.bullets and aya.meta.summary_provenance is None
    abstract = "We introduce Aya, a massively multilingual generative language model that follows instructions."
    archive.save_item(aya.model_copy(update={"meta": aya.meta.model_copy(update={"abstract": abstract})}))

    (result,) = summarize_inputs(archive, [aya.id], llm=llm(endpoint), client=client, write=True)
    assert result.status == "refused" and result.error is not None and "--force" in result.error
    assert result.source is not None and result.source.kind == "stored-abstract"  # no HTML for it here
    assert archive.get(aya.id).bullets == aya.bullets

    (result,) = summarize_inputs(archive, [aya.id], llm=llm(endpoint), client=client, write=True, force=True)
    assert result.status == "written"
    assert archive.get(aya.id).bullets[0].text.startswith(GOOD_FIRST)


# --- the CLI --------------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def db(seed_db: Path) -> Path:
    return seed_db


@pytest.fixture
def env(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    serve_arxiv(httpserver)
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PAPERNEWS_LLM_API_KEY", "PAPERNEWS_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PAPERNEWS_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("PAPERNEWS_ARXIV_HTML", httpserver.url_for("/html"))
    monkeypatch.setenv("PAPERNEWS_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("PAPERNEWS_HTTP_CACHE", "off")
    monkeypatch.setenv("PAPERNEWS_LLM_BASE_URL", httpserver.url_for("/v1"))
    monkeypatch.setenv("PAPERNEWS_LLM_MAX_RETRIES", "0")
    # every arXiv address is this one server: arXiv's 3 s between requests would only slow the tests
    monkeypatch.setattr(HttpSettings, "min_interval", lambda self, host: 0.0)
    return httpserver


def test_cli_prints_a_lint_clean_draft_with_provenance(db: Path, env: HTTPServer) -> None:
    Endpoint(env, ["good"])
    result = runner.invoke(app, ["--db", str(db), "summarize", LORA, "--model", "gpt-4o-mini"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("- 📜 ") and lines[0].endswith(
        f"[LoRA: Low-Rank Adaptation of Large Language Models]({LORA})"
    )
    assert lines[1].startswith(f"    - {GOOD_FIRST}")
    assert lines[4].startswith("        - RoBERTa")
    assert lines[5] == "    - [깃허브 링크](https://github.com/microsoft/LoRA) 🔗"
    assert lines[6].startswith("<!-- papernews: drafted by gpt-4o-mini-2024-07-18 at ")
    assert f"prompt {PROMPT_VERSION}, source arxiv-html" in lines[6]
    assert "--write stores it" in result.stderr


def test_cli_json_write_and_failing_drafts(db: Path, env: HTTPServer) -> None:
    Endpoint(env, ["polite", "polite", "polite", "good"])
    args = ["--db", str(db), "summarize", LORA, "--model", "m", "--write", "--json"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 1
    (row,) = json.loads(result.stdout)
    assert list(row) == [
        "input", "item_id", "status", "bullets", "markdown", "provenance", "findings", "attempts", "error",
    ]  # fmt: skip
    assert (row["status"], row["attempts"]) == ("lint-errors", 3)
    assert {f["rule"] for f in row["findings"]} == {"polite-ending"}
    assert row["bullets"][0]["level"] == 1 and row["bullets"][0]["text"].endswith("제안합니다")
    with Store(db) as store:
        assert store.count() == 619

    result = runner.invoke(app, ["--db", str(db), "summarize", LORA, "--model", "m", "--write"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr  # the fourth answer is the good one
    assert "written " in result.stderr
    with Store(db) as store:
        assert store.count() == 620


def test_cli_shows_what_still_fails(db: Path, env: HTTPServer) -> None:
    Endpoint(env, ["polite", "polite", "polite"])
    result = runner.invoke(app, ["--db", str(db), "summarize", LORA, "--model", "m"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "still failing after 3 tries; not written" in result.stderr
    assert "3 lint errors in the draft: sent back (2/3)" in result.stderr
    assert "error polite-ending: polite sentence ending '제안합니다'" in result.stderr
    assert "LoRA를 제안합니다" in result.stderr


def test_parse_answer_of_the_recorded_completions() -> None:
    from summarize_support import completion

    good = parse_answer(completion("good")[1]["choices"][0]["message"]["content"])
    plain = parse_answer(completion("plain")[1]["choices"][0]["message"]["content"])
    assert good == plain and len(good) == 4
