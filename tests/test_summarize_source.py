"""Source texts (arXiv HTML, the abstract, a page, what is stored) and the offline extractive draft,
on recorded answers and on the real seed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from http_support import local_client
from papernews.cli import app
from papernews.formats.markdown import parse
from papernews.identity import ids_of
from papernews.lint import lint_bullets
from papernews.model import Item, ItemMeta, Kind
from papernews.rank.pools import read_abstracts
from papernews.sources import HttpClient, HttpSettings
from papernews.store import Store
from papernews.summarize import EXTRACTIVE_VERSION, NoSourceError, draft_extractive, fetch_source, stored_source
from papernews.summarize.sentences import split_sentences
from summarize_support import HTTP_FIXTURES, LORA, no_chat_endpoint, serve_arxiv

POOLS = Path(__file__).resolve().parents[2] / "shared" / "data" / "arxiv-pools" / "pools"


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[HttpClient]:
    serve_arxiv(httpserver)
    httpserver.expect_request("/blog/scaling-test-time-compute").respond_with_data(
        (HTTP_FIXTURES / "lab-blog-post.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    with local_client(httpserver) as c:
        yield c


def paper(url: str, **meta: object) -> Item:
    return Item(id="x", kind=Kind.PAPER, title="T", url=url, meta=ItemMeta.model_validate(meta))


def test_arxiv_html_full_text(client: HttpClient, httpserver: HTTPServer) -> None:
    source = fetch_source(client, paper(LORA))
    assert source.kind == "arxiv-html"
    assert source.url == httpserver.url_for("/html/2106.09685")
    assert source.title == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert source.links == ("https://github.com/microsoft/LoRA",)
    assert source.abstract is not None and source.abstract.startswith("An important paradigm")
    assert source.language == "en" and len(source.sha256) == 64


def test_abstract_from_the_api_when_arxiv_has_no_html(client: HttpClient, httpserver: HTTPServer) -> None:
    source = fetch_source(client, paper("https://arxiv.org/pdf/1706.03762v5"))
    assert source.kind == "arxiv-abstract" and source.url == "https://arxiv.org/abs/1706.03762"
    assert source.title == "Attention Is All You Need"
    assert [s.kind for s in source.sections] == ["abstract"]
    assert [r.path for r, _ in httpserver.log][-2:] == ["/html/1706.03762", "/api/query"]


def test_stored_abstract_spares_the_api(client: HttpClient, httpserver: HTTPServer) -> None:
    source = fetch_source(client, paper("https://arxiv.org/abs/1706.03762", abstract="Stored words. Kept."))
    assert (source.kind, source.text) == ("stored-abstract", "Abstract\n\nStored words. Kept.")
    assert "/api/query" not in [r.path for r, _ in httpserver.log]


def test_page_main_text(client: HttpClient, httpserver: HTTPServer) -> None:
    url = httpserver.url_for("/blog/scaling-test-time-compute")
    item = Item(id="b", kind=Kind.DEV, title="post", url=url)
    source = fetch_source(client, item)
    assert source.kind == "page" and source.url == url
    assert [s.kind for s in source.sections] in (["abstract", "main"], ["main"])
    main = source.sections[-1]
    assert len(main.paragraphs) >= 2
    assert "Careers" not in main.text and "All rights reserved" not in main.text  # navigation, footer
    draft = draft_extractive(item, source, lint=lint_bullets)
    assert 1 <= len(draft.bullets) <= 3
    assert draft.provenance.method == "extractive" and draft.provenance.prompt_version == EXTRACTIVE_VERSION


def test_stored_source_offline() -> None:
    assert stored_source(paper(LORA)) is None
    described = Item(id="d", kind=Kind.DEV, title="t", url="https://x.org", meta=ItemMeta(description="A tool."))
    found = stored_source(described)
    assert found is not None and (found.kind, found.abstract) == ("stored-description", "A tool.")
    found = stored_source(paper(LORA, abstract="We propose X. See https://github.com/o/r."))
    assert found is not None and found.url == LORA and found.links == ("https://github.com/o/r",)


def test_no_text_at_all(client: HttpClient) -> None:
    with pytest.raises(NoSourceError):
        fetch_source(client, Item(id="n", kind=Kind.DEV, title="no link"))


# --- the extractive draft on the real seed -------------------------------------------------------


@pytest.fixture(scope="module")
def seed_papers_with_abstracts(seed_text: str) -> list[tuple[Item, str]]:
    if not POOLS.is_dir():
        pytest.skip(f"the recorded arXiv pools are not at {POOLS}")
    items = [it for it in parse(seed_text).items if it.kind == Kind.PAPER and it.url]
    ids = {it.id: ids_of(it.url).get("arxiv") for it in items if it.url}
    abstracts = read_abstracts(POOLS, {a for a in ids.values() if a})
    return [(it, abstracts[ids[it.id] or ""]) for it in items if ids[it.id] in abstracts]


@pytest.mark.slow
def test_extractive_draft_of_seed_papers(seed_papers_with_abstracts: list[tuple[Item, str]]) -> None:
    pairs = seed_papers_with_abstracts
    assert len(pairs) >= 300
    clean = 0
    for item, abstract in pairs:
        with_abstract = item.model_copy(update={"meta": ItemMeta(abstract=abstract)})
        source = stored_source(with_abstract)
        assert source is not None and source.language == "en"
        draft = draft_extractive(with_abstract, source, lint=lint_bullets)
        assert 1 <= len(draft.bullets) <= 3
        sentences = split_sentences(abstract)
        assert all(b.text in sentences for b in draft.bullets)  # whole sentences of the abstract, as written
        assert [sentences.index(b.text) for b in draft.bullets] == sorted(
            sentences.index(b.text) for b in draft.bullets
        )
        clean += draft.clean
    assert clean == len(pairs)  # English sentences carry no Korean ending: lint finds no error


# --- the CLI without an endpoint -------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def db(seed_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    no_chat_endpoint(monkeypatch)
    return seed_db


def test_cli_offline_needs_a_stored_abstract(db: Path) -> None:
    with Store(db) as store:
        dora = store.search("DoRA Weight-Decomposed").hits[0].item
    result = runner.invoke(app, ["--db", str(db), "summarize", dora.id, "--offline"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "no stored abstract or description to draft from offline" in result.stderr

    abstract = (
        "Among the widely used parameter-efficient fine-tuning methods, LoRA and its variants have gained "
        "considerable popularity. However, there still often exists an accuracy gap between these methods and "
        "full fine-tuning. We propose Weight-Decomposed Low-Rank Adaptation (DoRA), which decomposes the "
        "pre-trained weight into magnitude and direction. DoRA consistently outperforms LoRA on fine-tuning "
        "LLaMA, LLaVA and VL-BART on various downstream tasks."
    )
    with Store(db) as store:
        store.save_item(dora.model_copy(update={"meta": ItemMeta(abstract=abstract)}))
    args = ["--db", str(db), "summarize", dora.id[:6], "--offline", "--json"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert (row["status"], row["item_id"]) == ("drafted", dora.id)
    assert [b["text"][:30] for b in row["bullets"]] == [
        "However, there still often exi",
        "We propose Weight-Decomposed L",
        "DoRA consistently outperforms ",
    ]
    assert row["provenance"]["method"] == "extractive" and row["provenance"]["model"] is None
    assert row["provenance"]["source_kind"] == "stored-abstract"
    assert "offline extractive draft" in row["markdown"]

    # a person's bullets stay unless --force
    result = runner.invoke(app, [*args[:-1], "--write"], catch_exceptions=False)
    assert result.exit_code == 1 and "--force replaces them" in result.stderr
    result = runner.invoke(app, [*args[:-1], "--write", "--force"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    with Store(db) as store:
        stored = store.get(dora.id)
    assert stored.bullets[1].text.startswith("We propose Weight-Decomposed")
    assert stored.meta.summary_provenance is not None and stored.meta.summary_provenance.method == "extractive"


def test_cli_without_endpoint_drafts_from_the_fetched_source(
    db: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_arxiv(httpserver)
    monkeypatch.setenv("PAPERNEWS_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("PAPERNEWS_ARXIV_HTML", httpserver.url_for("/html"))
    monkeypatch.setenv("PAPERNEWS_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("PAPERNEWS_HTTP_CACHE", "off")
    monkeypatch.setattr(HttpSettings, "min_interval", lambda self, host: 0.0)
    bare = LORA.removeprefix("https://")  # pasted without its scheme
    result = runner.invoke(app, ["--db", str(db), "summarize", bare], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "no chat endpoint configured (--base-url, PAPERNEWS_LLM_BASE_URL or a key): offline extractive" in (
        result.stderr
    )
    lines = result.stdout.splitlines()
    assert lines[2] == (
        "    - We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights and injects "
        "trainable rank decomposition matrices into each layer of the Transformer architecture."
    )
    assert lines[-1].startswith(
        "<!-- papernews: offline extractive draft (extractive-1), sentences picked from the arxiv-html"
    )
