"""The inbox end to end: sources → dedupe against the archive (the real seed) and the inbox → ranked
list → decisions, on the fixture answers of tests/fixtures/http served locally, and the ranker on
a slice of the real arXiv pools."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner
from werkzeug import Request, Response

from http_support import ATOM, fixture, local_client
from papernews.cli import app
from papernews.inbox import decide
from papernews.inbox.fetch import fetch_sources, to_candidate
from papernews.inbox.listing import list_candidates
from papernews.sources import HttpClient, HttpSettings
from papernews.sources.arxiv_listing import ArxivListingSource
from papernews.sources.feeds import FeedSpec, FeedsSource
from papernews.sources.gh_releases import GithubReleasesSource
from papernews.sources.hf_daily import HfDailySource
from papernews.sources.registry import Found, Source
from papernews.store import Store
from papernews.store import inbox as table

POOLS = Path(__file__).resolve().parents[2] / "shared" / "data" / "arxiv-pools"
TODAY = date(2024, 9, 20)
SINCE = date(2024, 9, 13)


def serve(httpserver: HTTPServer) -> None:
    def arxiv(request: Request) -> Response:
        page = "arxiv-list-page2.xml" if request.args["start"] == "3" else "arxiv-list-page1.xml"
        return Response(fixture(page), content_type=ATOM)

    httpserver.expect_request("/api/query").respond_with_handler(arxiv)
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        fixture("hf-daily-papers.json"), content_type="application/json"
    )
    httpserver.expect_request("/feeds/rss").respond_with_data(fixture("feed-rss.xml"), content_type="application/xml")
    httpserver.expect_request("/feeds/atom").respond_with_data(fixture("feed-atom.xml"), content_type=ATOM)
    httpserver.expect_request("/feeds/moved").respond_with_data(fixture("feed-broken.xml"), content_type="text/html")
    httpserver.expect_request("/repos/vllm-project/vllm/releases").respond_with_data(
        fixture("github-releases.json"), content_type="application/json"
    )


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[HttpClient]:
    serve(httpserver)
    with local_client(httpserver) as c:
        yield c


def all_sources(httpserver: HTTPServer) -> list[Source]:
    feeds = [FeedSpec(n, httpserver.url_for(f"/feeds/{n}"), "Example") for n in ("rss", "atom", "moved")]
    return [
        ArxivListingSource(name="arxiv", categories=["cs.CL", "cs.AI", "cs.LG", "cs.CV"], page_size=3),
        HfDailySource(name="hf-daily"),
        FeedsSource(name="labs", feeds=feeds),
        GithubReleasesSource(name="releases", repos=["vllm-project/vllm"]),
    ]


def test_fetch_dedupes_against_archive_and_inbox(archive: Store, client: HttpClient, httpserver: HTTPServer) -> None:
    reports = {r.name: r for r in fetch_sources(archive, all_sources(httpserver), client, since=SINCE, today=TODAY)}

    arxiv = reports["arxiv"]
    # 2409.12183 is in the seed by its arXiv link, Qwen2.5-Coder by its title (a line without a link)
    assert (arxiv.found, arxiv.in_archive, arxiv.added, arxiv.requests) == (5, 2, 3, 2)
    hf = reports["hf-daily"]
    assert hf.requests == 8  # one a day, 09-13 … 09-20
    assert hf.added == 1  # Qwen2-VL's paper; the archive has its blog post, under another title
    labs = reports["labs"]
    assert (labs.found, labs.added, labs.in_archive) == (4, 3, 1)  # the Atom feed's arXiv link is archived
    assert len(labs.problems) == 1 and labs.problems[0].startswith("moved: ")
    assert reports["releases"].added == 2  # the repository may be archived; a release is news
    assert all(r.ok for r in reports.values())

    waiting = table.waiting(archive, today=TODAY.isoformat())
    assert len(waiting) == 3 + 1 + 3 + 2
    by_url = {c.url: c for c in waiting}
    post = by_url["https://lab.example.org/blog/example-lm-2"]  # canonical: utm_* and the slash gone
    assert post.week == "2024-09-W03" and post.org == "Example"
    qwen_vl = by_url["https://arxiv.org/abs/2409.12191"]
    assert qwen_vl.upvotes == 74 and qwen_vl.sources == ["hf-daily"]

    # a second fetch finds nothing new; each source starts where it stopped
    again = fetch_sources(archive, all_sources(httpserver), client, today=TODAY)
    assert sum(r.added for r in again) == 0
    cursor = table.get_cursor(archive, "arxiv")
    assert cursor is not None and cursor.cursor == "2024-09-18" and cursor.error is None


def test_a_failing_source_does_not_stop_the_others(archive: Store, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/query").respond_with_data("down", status=500)
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        fixture("hf-daily-papers.json"), content_type="application/json"
    )
    with local_client(httpserver, retries=1) as client:
        sources: list[Source] = [ArxivListingSource(name="arxiv", categories=["cs.CL"]), HfDailySource(name="hf")]
        reports = fetch_sources(archive, sources, client, since=TODAY, today=TODAY)
    assert reports[0].error is not None and "500" in reports[0].error
    assert reports[1].ok and reports[1].added == 1
    failed = table.get_cursor(archive, "arxiv")
    assert failed is not None and failed.cursor is None and failed.error == reports[0].error


def found(n: int, **kw: object) -> Found:
    values: dict[str, object] = {"url": f"https://lab.example.org/post-{n}", "title": f"Post number {n}", "source": "t"}
    values.update(kw)
    return Found(**values)  # type: ignore[arg-type]


def put(store: Store, *finds: Found) -> list[str]:
    cands = [to_candidate(f, f.url, f.url, "2024-09-20T00:00:00Z", TODAY) for f in finds]
    table.insert_candidates(store, cands)
    return [c.id for c in cands]


def test_decisions(archive: Store) -> None:
    a, b, c = put(
        archive,
        found(1, published="2024-09-19"),
        found(2, published="2024-09-18", title="A second post"),
        found(3, title="Third one"),
    )
    assert [d.outcome for d in decide.reject(archive, [a, "nope"])] == ["rejected", "error"]
    [snoozed] = decide.snooze(archive, [b[:6]], until=date(2024, 9, 27))  # a unique prefix is enough
    assert snoozed.outcome == "snoozed"
    assert [x.id for x in table.waiting(archive, today="2024-09-20")] == [c]
    assert {x.id for x in table.waiting(archive, today="2024-09-27")} == {b, c}  # awake again

    before = archive.count()
    [accepted] = decide.accept(archive, [b], offline=True)
    assert accepted.outcome == "accepted" and accepted.item is not None
    item = archive.get(accepted.item.id)
    assert item.title == "A second post"  # from the source, which offline `add` cannot know
    assert item.week is not None and item.week.key == "2024-09-W03"  # its published date's week
    assert archive.count() == before + 1
    assert table.resolve(archive, b).status == "accepted" and table.resolve(archive, b).item_id == item.id
    # a candidate the archive already has (same link): accepted as that item, nothing added
    [dup] = put(archive, found(2, url="https://lab.example.org/post-2?utm_source=x", title="Other words"))
    [again] = decide.accept(archive, [dup], offline=True)
    assert again.outcome == "duplicate" and again.item is not None and again.item.id == item.id
    assert archive.count() == before + 1


def test_decisions_feed_the_ranker(archive: Store) -> None:
    from papernews.rank.archive import archive_training

    [rejected, kept] = put(
        archive, found(7, title="A post the curator passes over"), found(8, title="Undecided", published="2031-01-05")
    )
    decide.reject(archive, [rejected])
    _, negatives, _ = archive_training(archive)
    assert rejected in {n.id for n in negatives}
    assert kept not in {n.id for n in negatives}  # not of a past week, not decided yet


def test_the_model_is_fitted_once_per_archive_revision(archive: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing the inbox again (every workbench page view) reuses the fit; a decision refits."""
    from papernews.rank.taste import TasteModel

    fits: list[int] = []
    fit = TasteModel.from_store.__func__  # type: ignore[attr-defined]

    def counted(cls: type[TasteModel], store: Store) -> TasteModel:
        fits.append(store.revision())
        return fit(cls, store)  # type: ignore[no-any-return]

    monkeypatch.setattr(TasteModel, "from_store", classmethod(counted))
    first, second = put(archive, found(20, title="Reasoning with verifiers"), found(21, title="Protein folding"))
    today = date(2031, 1, 9)
    ranked = list_candidates(archive, today=today).ranked
    assert list_candidates(archive, today=today).ranked == ranked and len(fits) == 1
    decide.reject(archive, [second])
    assert [r.candidate.id for r in list_candidates(archive, today=today).ranked] == [first]
    assert len(fits) == 2 and fits[1] > fits[0]


@pytest.mark.slow
def test_ranker_on_a_slice_of_the_pools(archive: Store) -> None:
    day = POOLS / "pools" / "2025-03-12.jsonl.gz"
    if not day.exists():
        pytest.skip(f"the arXiv pools are not at {POOLS}")
    with gzip.open(day, "rt", encoding="utf-8") as f:
        papers = [json.loads(line) for line in f][:300]
    finds = [
        Found(
            url=f"https://arxiv.org/abs/{p['arxiv_id']}",
            title=p["title"],
            source="arxiv",
            abstract=p["abstract"],
            authors=p["authors"],
            categories=p["categories"],
            published=p["date"],
        )
        for p in papers
    ]
    put(archive, *finds)
    listing = list_candidates(archive, top=30, today=date(2025, 3, 14))
    assert listing.method == "taste" and listing.waiting == len(finds)
    assert len(listing.ranked) == 30
    scores = [r.score for r in listing.ranked]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert any(r.reasons for r in listing.ranked)


# --- the command ---------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_fetch_list_accept(tmp_path: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    serve(httpserver)
    config = tmp_path / "papernews.toml"
    config.write_text(
        "[sources.arxiv]\npage_size = 3\n"
        '[sources.labs]\nkind = "feeds"\nfeeds = [\n'
        f'  {{ name = "rss", url = "{httpserver.url_for("/feeds/rss")}", org = "Example" }},\n'
        f'  {{ name = "moved", url = "{httpserver.url_for("/feeds/moved")}" }},\n]\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PAPERNEWS_CONFIG", str(config))
    monkeypatch.setenv("PAPERNEWS_ARXIV_API", httpserver.url_for("/api/query"))
    monkeypatch.setenv("PAPERNEWS_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("PAPERNEWS_HTTP_CACHE", "off")
    original = HttpSettings.from_env.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(  # no real 3 s waits between the local server's answers
        HttpSettings,
        "from_env",
        classmethod(lambda cls, environ=None, **kw: original(cls, environ, arxiv_interval=0.0, default_interval=0.0)),
    )
    db = ["--db", str(tmp_path / "a.db")]

    result = runner.invoke(app, [*db, "inbox", "fetch", "--since", "2024-09-13", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stdout
    reports = json.loads(result.stdout)
    assert [(r["name"], r["added"]) for r in reports] == [("arxiv", 5), ("labs", 2)]
    assert "moved" in reports[1]["problems"][0]

    result = runner.invoke(app, [*db, "inbox", "--top", "3", "--json"], catch_exceptions=False)
    listed = json.loads(result.stdout)
    assert len(listed) == 3 and all({"score", "reasons", "id", "url", "title"} <= set(c) for c in listed)

    result = runner.invoke(app, [*db, "inbox", "--source", "labs"], catch_exceptions=False)
    assert result.exit_code == 0 and "Introducing Example-LM 2" in result.stdout

    first = listed[0]["id"]
    result = runner.invoke(app, [*db, "inbox", "reject", first, "--json"], catch_exceptions=False)
    assert json.loads(result.stdout)[0]["outcome"] == "rejected"
    result = runner.invoke(app, [*db, "inbox", "accept", "zzzz"], catch_exceptions=False)
    assert result.exit_code == 1 and "no inbox candidate" in result.stdout

    result = runner.invoke(app, [*db, "inbox", "fetch", "--source", "nope"], catch_exceptions=False)
    assert result.exit_code == 2
