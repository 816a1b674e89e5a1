"""The inbox's sources on the fixture answers of tests/fixtures/http (see its README), served locally."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from http_support import ATOM, fixture, local_client
from papernews.config import DEFAULT_SOURCES, Config, load_config
from papernews.errors import InputError
from papernews.sources import FetchError, HttpClient, parse_arxiv_feed
from papernews.sources.arxiv_listing import ArxivListingSource, listing_query, next_start
from papernews.sources.feeds import FeedSpec, FeedsSource, default_feeds, parse_feed
from papernews.sources.gh_releases import GithubReleasesSource, parse_releases
from papernews.sources.hf_daily import HfDailySource, parse_daily_papers
from papernews.sources.registry import build_source, register_source_kind, source_kinds

TODAY = date(2024, 9, 20)


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[HttpClient]:
    with local_client(httpserver) as c:
        yield c


# --- pure parsers --------------------------------------------------------------------------------


def test_arxiv_listing_query_and_paging() -> None:
    query = listing_query(["cs.CL", "cs.AI"], date(2024, 9, 13), TODAY)
    assert query == "(cat:cs.CL OR cat:cs.AI) AND submittedDate:[202409130000 TO 202409202359]"
    first = parse_arxiv_feed(fixture("arxiv-list-page1.xml"))
    assert (first.total_results, first.start_index, first.items_per_page) == (5, 0, 3)
    assert next_start(first, 0, 10_000) == 3
    assert next_start(first, 0, 3) is None  # the limit is reached
    last = parse_arxiv_feed(fixture("arxiv-list-page2.xml"))
    assert next_start(last, 3, 10_000) is None


def test_hf_daily_papers_parse() -> None:
    found = parse_daily_papers(json.loads(fixture("hf-daily-papers.json")), "hf")
    assert [f.url for f in found] == ["https://arxiv.org/abs/2409.12186", "https://arxiv.org/abs/2409.12191"]
    qwen = found[0]
    assert qwen.upvotes == 125
    assert qwen.authors == ["Binyuan Hui", "Jian Yang", "Zeyu Cui"]
    assert qwen.abstract.startswith("In this report, we introduce") and "\n" not in qwen.abstract
    assert qwen.published == "2024-09-18T17:57:50.000Z"
    with pytest.raises(ValueError):
        parse_daily_papers({"error": "x"}, "hf")


def test_rss_and_atom_parse() -> None:
    rss = parse_feed(fixture("feed-rss.xml"), FeedSpec("Lab", "https://lab.example.org/blog/feed/", "Example"), "labs")
    assert [f.title for f in rss][:2] == [
        "Introducing Example-LM 2: faster, smaller, open",
        "How we evaluate long-context retrieval",
    ]
    post = rss[0]
    assert post.org == "Example" and post.authors == ["Ada Example"]
    assert post.categories == ["Models", "Open source"]
    assert post.published == "2024-09-19T15:30:00Z"
    assert post.abstract == "Today we release Example-LM 2, a 7B model that matches last year’s 70B."

    atom = parse_feed(fixture("feed-atom.xml"), FeedSpec("Other", "https://research.example.com/feed.xml"), "labs")
    assert atom[0].title == "Scaling test-time compute & what it buys"
    assert atom[0].published == "2024-09-18T09:00:00Z"  # +09:00 → UTC
    assert atom[0].authors == ["Chris Example", "Dana Example"]
    assert atom[1].url == "https://arxiv.org/abs/2409.12186v1"


def test_broken_feed_is_refused() -> None:
    with pytest.raises(ValueError, match="not an RSS or Atom feed"):
        parse_feed(fixture("feed-broken.xml"), FeedSpec("x", "https://x.example/feed"), "labs")


def test_github_releases_parse() -> None:
    found = parse_releases(json.loads(fixture("github-releases.json")), "vllm-project/vllm", "releases")
    assert [f.title for f in found] == ["vllm v0.6.2", "vllm v0.6.2rc0"]  # the draft is skipped
    assert found[0].url == "https://github.com/vllm-project/vllm/releases/tag/v0.6.2"
    assert found[0].exact_url_identity
    assert found[1].categories == ["prerelease"]
    assert found[0].abstract.startswith("## Highlights ### Model Support")


def test_default_feeds_are_dated_and_https() -> None:
    feeds = default_feeds()
    assert len(feeds) >= 12
    assert all(f.url.startswith("https://") for f in feeds)
    text = (Path(__file__).parents[1] / "src/papernews/sources/default_feeds.toml").read_text(encoding="utf-8")
    assert text.count("[[feeds]]") == text.count("checked = ") == len(feeds)
    orgs = {f.org for f in feeds}
    assert {"OpenAI", "Google DeepMind", "HuggingFace", "NVIDIA", "Microsoft", "Qwen", "Apple"} <= orgs


# --- registry and configuration ------------------------------------------------------------------


def test_registry_builds_builtins_and_plugins() -> None:
    assert {"arxiv", "hf-daily", "feeds", "github-releases"} <= set(source_kinds())
    src = build_source("papers", {"kind": "arxiv", "categories": "cs.CL, cs.AI"})
    assert isinstance(src, ArxivListingSource) and src.categories == ["cs.CL", "cs.AI"]
    with pytest.raises(InputError, match="unknown kind 'nope'"):
        build_source("x", {"kind": "nope"})
    with pytest.raises(InputError, match="repos is empty"):
        build_source("rel", {"kind": "github-releases"})

    register_source_kind("test-kind", lambda name, options: HfDailySource(name=name))
    assert isinstance(build_source("mine", {"kind": "test-kind"}), HfDailySource)


def test_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config(environ={}) == Config(path=None, sources=DEFAULT_SOURCES)  # no file: the defaults
    path = tmp_path / "papernews.toml"
    path.write_text(
        '[sources.arxiv]\ncategories = ["cs.CL"]\n[sources.old]\nkind = "feeds"\nenabled = false\n', encoding="utf-8"
    )
    config = load_config(path)
    assert config.sources == {"arxiv": {"categories": ["cs.CL"]}}
    path.write_text("[sources\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML"):
        load_config(path)


# --- fetching --------------------------------------------------------------------------------


def test_arxiv_listing_pages_through_the_api(httpserver: HTTPServer, client: HttpClient) -> None:
    def api(request: Request) -> Response:
        page = "arxiv-list-page2.xml" if request.args["start"] == "3" else "arxiv-list-page1.xml"
        return Response(fixture(page), content_type=ATOM)

    httpserver.expect_request("/api/query").respond_with_handler(api)
    steps: list[tuple[int, int | None]] = []
    source = ArxivListingSource(name="arxiv", categories=["cs.CL", "cs.AI", "cs.LG", "cs.CV"], page_size=3)
    batch = source.fetch(client, since=None, cursor=None, today=TODAY, progress=lambda d, t: steps.append((d, t)))

    assert [f.url.rsplit("/", 1)[1] for f in batch.found] == [
        "2409.12186", "2409.12183", "2409.11402", "2409.10516", "2409.10173",
    ]  # fmt: skip
    assert batch.requests == 2 and steps == [(3, 5), (5, 5)]
    assert batch.cursor == "2024-09-18"  # the newest day seen: the next fetch starts there
    args = [request.args for request, _ in httpserver.log]
    assert [a["start"] for a in args] == ["0", "3"]
    assert args[0]["search_query"] == (
        "(cat:cs.CL OR cat:cs.AI OR cat:cs.LG OR cat:cs.CV) AND submittedDate:[202409130000 TO 202409202359]"
    )
    assert args[0]["sortBy"] == "submittedDate" and args[0]["sortOrder"] == "descending"


def test_arxiv_listing_starts_at_cursor(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/query").respond_with_data(fixture("arxiv-list-page2.xml"), content_type=ATOM)
    source = ArxivListingSource(name="arxiv", categories=["cs.CL"], page_size=3)
    source.fetch(client, since=None, cursor="2024-09-18", today=TODAY)
    assert "submittedDate:[202409180000 TO 202409202359]" in httpserver.log[0][0].args["search_query"]


def test_a_503_then_success_is_retried(httpserver: HTTPServer, client: HttpClient) -> None:
    answers = iter(
        [Response("busy", status=503, headers={"Retry-After": "1"}), Response(fixture("hf-daily-papers.json"))]
    )
    httpserver.expect_request("/api/daily_papers").respond_with_handler(lambda request: next(answers))
    batch = HfDailySource(name="hf").fetch(client, since=TODAY, cursor=None, today=TODAY)
    assert len(batch.found) == 2
    assert [request.args["date"] for request, _ in httpserver.log] == ["2024-09-20", "2024-09-20"]


def test_hf_daily_one_request_per_day(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/daily_papers").respond_with_data(
        fixture("hf-daily-papers.json"), content_type="application/json"
    )
    batch = HfDailySource(name="hf").fetch(client, since=date(2024, 9, 18), cursor=None, today=TODAY)
    assert [r.args["date"] for r, _ in httpserver.log] == ["2024-09-18", "2024-09-19", "2024-09-20"]
    assert batch.cursor == "2024-09-20" and len(batch.found) == 6  # the same two papers each day


def test_feeds_a_broken_feed_is_reported_not_fatal(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/rss").respond_with_data(fixture("feed-rss.xml"), content_type="application/rss+xml")
    httpserver.expect_request("/atom").respond_with_data(fixture("feed-atom.xml"), content_type=ATOM)
    httpserver.expect_request("/moved").respond_with_data(fixture("feed-broken.xml"), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    feeds = [FeedSpec(n, httpserver.url_for(f"/{n}"), "Example") for n in ("rss", "moved", "atom", "gone")]
    batch = FeedsSource(name="labs", feeds=feeds).fetch(client, since=None, cursor=None, today=TODAY)

    titles = [f.title for f in batch.found]
    assert "An older post, before the window" not in titles  # older than a week before today
    assert len(titles) == 4
    assert len(batch.problems) == 2
    assert batch.problems[0].startswith("moved: ") and "not an RSS or Atom feed" in batch.problems[0]
    assert batch.problems[1].startswith("gone: ") and "404" in batch.problems[1]


def test_feeds_all_broken_fails_the_source(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/moved").respond_with_data(fixture("feed-broken.xml"), content_type="text/html")
    source = FeedsSource(name="labs", feeds=[FeedSpec("moved", httpserver.url_for("/moved"))])
    with pytest.raises(FetchError, match="every feed failed"):
        source.fetch(client, since=None, cursor=None, today=TODAY)


def test_github_releases_fetch(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/repos/vllm-project/vllm/releases").respond_with_data(
        fixture("github-releases.json"), content_type="application/json"
    )
    source = GithubReleasesSource(name="releases", repos=["vllm-project/vllm"], orgs={"vllm-project/vllm": "vLLM"})
    batch = source.fetch(client, since=date(2024, 9, 1), cursor=None, today=date(2024, 9, 30))
    assert [f.title for f in batch.found] == ["vllm v0.6.2", "vllm v0.6.2rc0"]
    assert batch.found[0].org == "vLLM"
    assert httpserver.log[0][0].args["per_page"] == "10"


def test_config_sections_are_kept_for_the_stages_that_own_them(tmp_path: Path) -> None:
    path = tmp_path / "papernews.toml"
    path.write_text('[site]\nbase_url = "https://digest.example"\n\n[smtp]\nhost = "mail.example"\n', encoding="utf-8")
    config = load_config(path)
    assert config.section("site") == {"base_url": "https://digest.example"}
    assert config.section("smtp")["host"] == "mail.example"
    assert config.section("absent") == {}
    path.write_text('site = "not a table"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"\[site\] must be a table"):
        load_config(path).section("site")
