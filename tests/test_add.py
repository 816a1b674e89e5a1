"""`add`: pasted links → items, on the real seed, with metadata served locally from tests/fixtures/http."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from papernews.add import AddResult, add_urls
from papernews.cli import app
from papernews.model import Item, Kind, Week, day_of, week_of
from papernews.sources import HttpClient, HttpSettings
from papernews.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "http"
ATOM = "application/atom+xml; charset=utf-8"
TODAY = date(2024, 11, 20)  # week 2024-11-W03
AYA = "https://arxiv.org/abs/2402.07827"  # a seed paper: `📜 [Cohere] [Aya Model: …]`
MINBPE = "https://github.com/karpathy/minbpe"  # a seed repository


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def no_sleep(seconds: float) -> None:
    """Rate limits and backoff are the HTTP tests' business."""


@pytest.fixture
def server(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """The fixtures served as arXiv API, GitHub API, Hugging Face API and a lab blog; env points at them."""
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/api/query").respond_with_data(fixture("arxiv-3ids.xml"), content_type=ATOM)
    httpserver.expect_request("/repos/huggingface/trl").respond_with_data(
        fixture("github-repo.json"), content_type="application/json; charset=utf-8"
    )
    httpserver.expect_request("/api/models/Qwen/Qwen2.5-7B-Instruct").respond_with_data(
        fixture("hf-model.json"), content_type="application/json"
    )
    httpserver.expect_request("/blog/scaling-test-time-compute").respond_with_data(
        fixture("lab-blog-post.html"), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/repos/no/such").respond_with_json({"message": "Not Found"}, status=404)
    httpserver.expect_request("/blog/gone").respond_with_data("not here", status=404, content_type="text/html")
    monkeypatch.setenv("PAPERNEWS_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("PAPERNEWS_GITHUB_API", httpserver.url_for("/"))
    monkeypatch.setenv("PAPERNEWS_HF_API", httpserver.url_for("/api"))
    monkeypatch.setenv("PAPERNEWS_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("PAPERNEWS_HTTP_CACHE", "off")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return httpserver


@pytest.fixture
def client(server: HTTPServer) -> Iterator[HttpClient]:
    with HttpClient(HttpSettings.from_env(), sleep=no_sleep) as c:
        yield c


def one(results: list[AddResult]) -> AddResult:
    assert len(results) == 1
    return results[0]


def added_item(result: AddResult) -> Item:
    assert result.status == "added", result.error
    assert result.item is not None
    return result.item


def seed_item(store: Store, url: str) -> Item:
    found = [it for it in store.all_items() if it.url == url]
    assert len(found) == 1
    return found[0]


# --- fetched -------------------------------------------------------------------------------------


def test_arxiv_abs_url_becomes_a_paper(archive: Store, client: HttpClient, server: HTTPServer) -> None:
    before = archive.count()
    result = one(add_urls(archive, ["https://arxiv.org/abs/2106.09685v2"], client=client, today=TODAY))
    item = added_item(result)
    assert item.kind == Kind.PAPER
    assert item.url == "https://arxiv.org/abs/2106.09685"  # as the curator writes arXiv links
    assert item.title.startswith("LoRA")
    assert item.meta.authors[0] == "Edward J. Hu"
    assert item.meta.abstract
    assert item.meta.ids["arxiv"] == "2106.09685"
    assert item.meta.fetched_at is not None
    assert item.meta.published is not None and item.meta.published.startswith("2021-06-17")
    assert item.week == Week.parse_key("2021-06-W03")  # ceil(17 / 7)
    assert item.orgs == ["Microsoft"]  # `Microsoft Corporation`, as the archive spells it
    assert item.bullets == []
    assert archive.count() == before + 1
    assert archive.get(item.id) == item
    assert [r[0].args["id_list"] for r in server.log if r[0].path == "/api/query"] == ["2106.09685"]


def test_all_arxiv_ids_of_a_call_in_one_request(archive: Store, client: HttpClient, server: HTTPServer) -> None:
    urls = ["https://arxiv.org/pdf/1706.03762", "https://huggingface.co/papers/2106.09685", "hep-th/9711200"]
    results = add_urls(archive, urls, client=client, today=TODAY)
    assert [r.status for r in results] == ["added", "added", "error"]  # the third is not a link
    asks = [r[0].args["id_list"] for r in server.log if r[0].path == "/api/query"]
    assert asks == ["1706.03762,2106.09685"]
    attention = added_item(results[0])
    assert attention.title == "Attention Is All You Need"
    assert attention.week == Week.parse_key("2017-06-W02")
    # a Hugging Face paper page stays the link the curator pasted
    assert added_item(results[1]).url == "https://huggingface.co/papers/2106.09685"


def test_github_repo_becomes_a_dev_item(archive: Store, client: HttpClient) -> None:
    url = "https://github.com/huggingface/trl/tree/main/examples?utm_source=twitter"
    item = added_item(one(add_urls(archive, [url], client=client, today=TODAY)))
    assert item.kind == Kind.DEV
    assert item.title == "trl"  # the repo name, as the curator titles repositories
    assert item.meta.stars == 9871
    assert item.meta.ids["github"] == "huggingface/trl"
    assert item.week == week_of(TODAY)  # a repository's creation date is not when it was news
    assert item.orgs  # guessed from the archive's `huggingface` repositories


def test_hf_model_and_lab_blog(archive: Store, client: HttpClient, server: HTTPServer) -> None:
    urls = ["https://huggingface.co/Qwen/Qwen2.5-7B-Instruct", server.url_for("/blog/scaling-test-time-compute")]
    model, post = (added_item(r) for r in add_urls(archive, urls, client=client, today=TODAY))
    assert model.title == "Qwen2.5-7B-Instruct"
    assert model.meta.ids["hf_model"] == "qwen/qwen2.5-7b-instruct"
    assert model.week == week_of(TODAY)
    assert post.title == "Scaling test-time compute for small models"
    assert post.meta.published is not None
    assert post.week == Week.parse_key("2024-09-W02")  # published 2024-09-12


# --- duplicates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "http://arxiv.org/abs/2402.07827",
        "https://www.arxiv.org/abs/2402.07827v3?utm_source=twitter&utm_medium=social",
        "https://arxiv.org/pdf/2402.07827v1",
        "https://arxiv.org/pdf/2402.07827.pdf",
    ],
)
def test_seed_paper_under_a_variant_is_a_duplicate(archive: Store, variant: str) -> None:
    aya = seed_item(archive, AYA)
    before = archive.count()
    result = one(add_urls(archive, [variant], offline=True, today=TODAY))
    assert (result.status, result.duplicate_of, result.duplicate_reason) == ("duplicate", aya.id, "arxiv")
    assert result.item == aya
    assert archive.count() == before


def test_seed_repo_sub_page_is_a_duplicate(archive: Store, client: HttpClient, server: HTTPServer) -> None:
    minbpe = seed_item(archive, MINBPE)
    result = one(add_urls(archive, [MINBPE + "/blob/master/README.md"], client=client, today=TODAY))
    assert (result.status, result.duplicate_of) == ("duplicate", minbpe.id)
    assert not any(r[0].path.startswith("/repos/") for r in server.log)  # refused before any fetch


def test_force_adds_a_duplicate(archive: Store) -> None:
    aya = seed_item(archive, AYA)
    before = archive.count()
    item = added_item(one(add_urls(archive, ["http://arxiv.org/pdf/2402.07827v2"], offline=True, force=True)))
    assert item.id != aya.id
    assert archive.count() == before + 1
    assert archive.get(aya.id) == aya  # the archived item is untouched


def test_duplicates_inside_one_batch(archive: Store) -> None:
    urls = ["https://example.org/posts/new-thing", "http://www.example.org/posts/new-thing/?utm_source=x"]
    first, second = add_urls(archive, urls, offline=True, today=TODAY)
    assert first.status == "added" and first.item is not None
    assert (second.status, second.duplicate_of) == ("duplicate", first.item.id)


def test_duplicate_by_title_after_fetching(archive: Store, client: HttpClient) -> None:
    # the same paper archived under another link, with its title: known only once arXiv answered
    copy = Item(id="copycopycopy", kind=Kind.PAPER, title="Attention is all you need!", url="https://example.org/x")
    archive.save_item(copy)
    result = one(add_urls(archive, ["https://arxiv.org/abs/1706.03762"], client=client, today=TODAY))
    assert (result.status, result.duplicate_of, result.duplicate_reason) == ("duplicate", copy.id, "title")
    assert result.item == copy
    forced = one(add_urls(archive, ["https://arxiv.org/abs/1706.03762"], client=client, today=TODAY, force=True))
    assert forced.status == "added"


# --- offline, dry run, errors ----------------------------------------------------------------------


def test_offline_guesses_kind_org_and_uses_today(archive: Store, server: HTTPServer) -> None:
    urls = ["https://github.com/openai/some-new-repo", "https://arxiv.org/abs/2411.00001"]
    repo, paper = (added_item(r) for r in add_urls(archive, urls, offline=True, today=TODAY))
    assert (repo.kind, repo.orgs, repo.title) == (Kind.DEV, ["OpenAI"], "some-new-repo")
    assert repo.week == Week.parse_key("2024-11-W03")
    assert repo.meta.ids == {"github": "openai/some-new-repo"}
    assert repo.meta.fetched_at is None
    assert (paper.kind, paper.title, paper.url) == (Kind.PAPER, "2411.00001", "https://arxiv.org/abs/2411.00001")
    assert len(server.log) == 0  # offline means offline


def test_flags_win(archive: Store) -> None:
    week = Week.parse_key("2024-09-W03")
    item = added_item(
        one(
            add_urls(
                archive,
                ["https://github.com/openai/another-repo"],
                offline=True,
                week=week,
                kind=Kind.NEWS,
                org="Google DeepMind & Research",
            )
        )
    )
    assert (item.week, item.kind, item.orgs) == (week, Kind.NEWS, ["Google DeepMind", "Research"])
    assert item.org_text == "Google DeepMind & Research"


def test_dry_run_stores_nothing(archive: Store, client: HttpClient) -> None:
    before = archive.count()
    urls = ["https://arxiv.org/abs/2106.09685", "https://github.com/huggingface/trl"]
    results = add_urls(archive, urls, client=client, dry_run=True, today=TODAY)
    assert [r.status for r in results] == ["added", "added"]
    assert archive.count() == before
    # nothing stored, so adding for real still works
    assert [r.status for r in add_urls(archive, urls, client=client, today=TODAY)] == ["added", "added"]
    assert archive.count() == before + 2


def test_bad_urls_do_not_stop_the_batch(archive: Store, client: HttpClient, server: HTTPServer) -> None:
    urls = ["ftp://x", server.url_for("/blog/gone"), "https://github.com/huggingface/trl", "https://github.com/no/such"]
    bad_scheme, gone, trl, missing = add_urls(archive, urls, client=client, today=TODAY)
    assert bad_scheme.status == "error" and bad_scheme.error and "ftp://x" in bad_scheme.error
    assert gone.status == "error" and gone.error and "404" in gone.error
    assert trl.status == "added"
    assert missing.status == "error" and missing.error and "no such repository" in missing.error
    assert [r.url for r in (bad_scheme, gone, trl, missing)] == urls


def test_week_of() -> None:
    assert week_of(date(2024, 9, 1)).key == "2024-09-W01"
    assert week_of(date(2024, 9, 7)).key == "2024-09-W01"
    assert week_of(date(2024, 9, 8)).key == "2024-09-W02"
    assert week_of(date(2024, 9, 30)).key == "2024-09-W05"


def test_day_of_reads_the_day_of_any_iso_date() -> None:
    assert day_of("2024-09-17") == date(2024, 9, 17)
    assert day_of("2024-09-17T23:59:59Z") == date(2024, 9, 17)
    assert day_of("2024-09") is None and day_of("not a date") is None and day_of(None) is None


# --- CLI -----------------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def db(seed_db: Path) -> Path:
    return seed_db


def test_cli_json_and_exit_codes(db: Path, server: HTTPServer) -> None:
    result = runner.invoke(
        app, ["--db", str(db), "add", "https://arxiv.org/abs/2106.09685", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert list(row) == ["url", "status", "item", "duplicate_of", "error"]
    assert row["status"] == "added"
    assert row["item"]["kind"] == "paper"
    assert row["item"]["meta"]["ids"]["arxiv"] == "2106.09685"

    result = runner.invoke(
        app, ["--db", str(db), "add", "https://arxiv.org/pdf/2106.09685v1", "ftp://x", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 1
    dup, bad = json.loads(result.stdout)
    assert (dup["status"], dup["duplicate_of"]) == ("duplicate", row["item"]["id"])
    assert (bad["status"], bad["item"]) == ("error", None)


def test_cli_human_output(db: Path) -> None:
    result = runner.invoke(
        app,
        ["--db", str(db), "add", "--offline", "--dry-run", "https://github.com/openai/brand-new", AYA],
        catch_exceptions=False,
    )
    assert result.exit_code == 1  # one duplicate
    lines = result.stdout.splitlines()
    assert lines[0].startswith("would add ") and "dev" in lines[0] and "brand-new" in lines[0]
    assert lines[1].startswith("duplicate ") and "same arXiv id" in lines[1] and "Aya Model" in lines[1]
    assert "1 duplicate" in result.stderr


def test_cli_bad_flags(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "add", "--week", "2024-9", "https://x.org/a"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["--db", str(db), "add", "--kind", "blog", "https://x.org/a"])
    assert result.exit_code == 2
