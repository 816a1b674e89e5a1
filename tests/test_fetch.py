"""The metadata fetchers on the fixture answers in tests/fixtures/http (see its README), served locally."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from http_support import ATOM, fixture, local_client
from papernews.model import ItemMeta
from papernews.sources import (
    ArxivMeta,
    FetchError,
    HfMeta,
    HttpClient,
    PageMeta,
    RepoMeta,
    fetch_arxiv,
    fetch_github,
    fetch_hf,
    fetch_page,
    parse_arxiv_feed,
    parse_github_repo,
    parse_hf,
    parse_page,
    to_item_meta,
)
from papernews.sources.charset import declared_encoding
from papernews.sources.dates import iso_date

STAMP = "2024-09-20T09:00:00Z"


@pytest.fixture
def client(httpserver: HTTPServer) -> Iterator[HttpClient]:
    with local_client(httpserver, github_token="ghp_test") as c:
        yield c


def no_robots(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("", status=404)


# --- arXiv ----------------------------------------------------------------------------------------


def test_arxiv_three_ids_one_request(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/query").respond_with_data(fixture("arxiv-3ids.xml"), content_type=ATOM)
    asked = ["1706.03762", "2106.09685v2", "hep-th/9711200"]
    results = fetch_arxiv(client, asked)

    assert list(results) == asked
    assert len(httpserver.log) == 1
    request = httpserver.log[0][0]
    assert request.args["id_list"] == "1706.03762,2106.09685v2,hep-th/9711200"
    assert request.args["max_results"] == "3"

    attention = results["1706.03762"]  # unversioned ask, answered as v7
    assert isinstance(attention, ArxivMeta)
    assert (attention.id, attention.version) == ("1706.03762", 7)
    assert attention.title == "Attention Is All You Need"
    assert attention.authors[0] == "Ashish Vaswani"
    assert len(attention.authors) == 8
    assert attention.abstract.startswith("The dominant sequence transduction models are based on complex recurrent or")
    assert "\n" not in attention.abstract
    assert (attention.published, attention.updated) == ("2017-06-12T17:57:34Z", "2023-08-02T00:41:18Z")
    assert attention.categories == ["cs.CL", "cs.LG"]
    assert attention.venue == "15 pages, 5 figures"
    assert attention.pdf_url == "http://arxiv.org/pdf/1706.03762v7"

    lora = results["2106.09685v2"]
    assert isinstance(lora, ArxivMeta)
    assert lora.affiliations == ["Microsoft Corporation", "Carnegie Mellon University"]
    assert lora.author_affiliations["Yuanzhi Li"] == ["Carnegie Mellon University"]
    assert lora.comment == ("Draft V2 includes better baselines, experiments on GLUE, and more on adapter latency")
    assert lora.primary_category == "cs.CL"
    assert lora.categories == ["cs.CL", "cs.AI", "cs.LG"]

    maldacena = results["hep-th/9711200"]
    assert isinstance(maldacena, ArxivMeta)
    assert maldacena.doi == "10.1023/A:1026654312961"
    assert maldacena.journal_ref == "Adv.Theor.Math.Phys.2:231-252,1998"
    assert maldacena.venue == maldacena.journal_ref  # a journal reference beats the comment
    assert maldacena.categories == ["hep-th"]


def test_arxiv_item_meta(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/query").respond_with_data(fixture("arxiv-3ids.xml"), content_type=ATOM)
    meta = fetch_arxiv(client, ["hep-th/9711200"])["hep-th/9711200"]
    assert isinstance(meta, ArxivMeta)
    item = to_item_meta(meta, fetched_at=STAMP)
    assert item == ItemMeta(
        authors=["Juan M. Maldacena"],
        affiliations=["Harvard University"],
        abstract=meta.abstract,
        published="1997-11-27T22:22:58Z",
        updated="1998-01-22T21:35:04Z",
        venue="Adv.Theor.Math.Phys.2:231-252,1998",
        categories=["hep-th"],
        site_name="arXiv",
        ids={"arxiv": "hep-th/9711200", "doi": "10.1023/a:1026654312961"},
        fetched_at=STAMP,
    )


def test_arxiv_listing_with_several_ids(httpserver: HTTPServer, client: HttpClient) -> None:
    feed = parse_arxiv_feed(fixture("arxiv-listing.xml"))
    assert feed.total_results == 98213
    assert feed.errors == []
    assert [e.id for e in feed.entries] == ["2201.11903", "1910.10683", "1907.11692", "1810.04805"]
    assert feed.entries[1].title == "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer"
    assert feed.entries[1].categories == ["cs.LG", "cs.CL", "stat.ML"]

    httpserver.expect_request("/api/query").respond_with_data(fixture("arxiv-listing.xml"), content_type=ATOM)
    results = fetch_arxiv(client, ["1810.04805", "2201.11903", "2409.00001"])
    assert isinstance(results["1810.04805"], ArxivMeta)
    assert isinstance(results["2201.11903"], ArxivMeta)
    missing = results["2409.00001"]
    assert isinstance(missing, FetchError)
    assert "not in arXiv's answer" in missing.reason


def test_arxiv_error_entry_fails_that_id_only(httpserver: HTTPServer, client: HttpClient) -> None:
    def api(request: Request) -> Response:
        if "1234.12345" in request.args["id_list"]:  # arXiv refuses the whole query for one bad id
            return Response(fixture("arxiv-error.xml"), status=400, content_type=ATOM)
        return Response(fixture("arxiv-3ids.xml"), content_type=ATOM)

    httpserver.expect_request("/api/query").respond_with_handler(api)
    results = fetch_arxiv(client, ["1234.12345", "1706.03762", "not an id"])

    bad = results["1234.12345"]
    assert isinstance(bad, FetchError)
    assert bad.reason == "incorrect id format for 1234.12345"
    assert isinstance(results["1706.03762"], ArxivMeta)
    garbage = results["not an id"]
    assert isinstance(garbage, FetchError)
    assert garbage.reason == "not an arXiv id"
    assert [request.args["id_list"] for request, _ in httpserver.log] == ["1234.12345,1706.03762", "1706.03762"]


def test_arxiv_outage_fails_the_batch_not_the_call(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/query").respond_with_data("<html>maintenance</html>", status=200)
    results = fetch_arxiv(client, ["1706.03762", "2106.09685"])
    assert all(isinstance(r, FetchError) and "unreadable arXiv answer" in r.reason for r in results.values())


# --- web pages ------------------------------------------------------------------------------------


def test_lab_blog_post(httpserver: HTTPServer, client: HttpClient) -> None:
    no_robots(httpserver)
    httpserver.expect_request("/blog/scaling-test-time-compute").respond_with_data(
        fixture("lab-blog-post.html"), content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/blog/scaling-test-time-compute")
    page = fetch_page(client, url)

    assert page.url == url
    assert page.canonical_url == url  # relative canonical, made absolute
    assert page.title == "Scaling test-time compute for small models"  # og:title beats twitter:title and <title>
    assert page.description == (
        "How a 1B model matches a 7B model on math benchmarks by searching over its own reasoning steps."
    )
    assert page.site_name == "Example AI Lab"
    assert page.published == "2024-09-12T08:00:00+00:00"  # from JSON-LD: no article:published_time here
    assert page.modified == "2024-09-14T10:30:00+00:00"
    assert page.authors == ["Ada Park", "Jun Seo"]
    assert page.image == httpserver.url_for("/static/og/scaling-test-time-compute.png")
    assert page.language == "en"
    assert page.text is not None
    assert "beam search over thoughts" in page.text
    assert "All rights reserved" not in page.text and "Careers" not in page.text

    item = to_item_meta(page, fetched_at=STAMP)
    assert item.known() == {
        "authors": ["Ada Park", "Jun Seo"],
        "description": page.description,
        "published": "2024-09-12T08:00:00+00:00",
        "updated": "2024-09-14T10:30:00+00:00",
        "site_name": "Example AI Lab",
        "image": page.image,
        "fetched_at": STAMP,
    }


def test_korean_news_article_in_euc_kr(httpserver: HTTPServer, client: HttpClient) -> None:
    no_robots(httpserver)
    # No charset in the header: only the page's own <meta> says EUC-KR.
    httpserver.expect_request("/news/articleView.html").respond_with_data(
        fixture("news-article-euckr.html"), content_type="text/html"
    )
    page = fetch_page(client, httpserver.url_for("/news/articleView.html") + "?idxno=20931")

    assert page.title == "국내 연구진, 한국어 추론 벤치마크 'KoReason' 공개"
    assert page.site_name == "테크데일리"
    assert page.description == "대형 언어 모델(LLM)의 한국어 추론 능력을 평가하는 벤치마크가 공개됐다."
    assert page.published == "2024-09-19T10:30:00+09:00"  # from <time datetime>
    assert page.authors == ["김민지 기자"]
    assert page.canonical_url == "https://www.techdaily.example.kr/news/articleView.html?idxno=20931"
    assert page.image == "https://cdn.techdaily.example.kr/news/photo/202409/20931_1.jpg"
    assert page.language == "ko"
    assert page.text is not None
    assert "똠방각하" in page.text  # a cp949 syllable: decoded as the web reads "euc-kr"
    assert "\ufffd" not in page.text
    assert "로그인" not in page.text and "무단전재" not in page.text


def test_page_text_is_capped() -> None:
    body = "".join(f"<p>Paragraph {n}: " + "words of the article body " * 20 + "</p>\n" for n in range(200))
    html = f"<html><head><title>Long</title></head><body><article><h1>Long</h1>{body}</article></body></html>"
    page = parse_page(html, "https://example.org/long")
    assert page.text is not None
    assert 15_000 < len(page.text) <= 20_000


def test_a_pdf_is_not_a_page(httpserver: HTTPServer, client: HttpClient) -> None:
    no_robots(httpserver)
    httpserver.expect_request("/paper.pdf").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(FetchError, match=r"not an HTML page \(application/pdf\)"):
        fetch_page(client, httpserver.url_for("/paper.pdf"))


def test_page_fetch_respects_robots(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(fixture("robots.txt"), content_type="text/plain")
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetch_page(client, httpserver.url_for("/private/draft"))
    assert [request.path for request, _ in httpserver.log] == ["/robots.txt"]


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b'<meta charset="utf-8"><p>x', "text/html", "utf-8"),
        (b'<meta charset="EUC-KR">', "text/html", "cp949"),
        (b'<meta http-equiv="content-type" content="text/html;charset=ks_c_5601-1987">', "text/html", "cp949"),
        (b'<meta charset="euc-kr">', "text/html; charset=utf-8", "utf-8"),  # the header wins over <meta>
        (b"\xef\xbb\xbf<meta charset=euc-kr>", "text/html; charset=euc-kr", "utf-8-sig"),  # the BOM wins over all
        (b"<p>no declaration", "text/html", "utf-8"),
        (b'<meta charset="no-such-codec">', "text/html", "utf-8"),
        (b"{}", "application/json", "utf-8"),
    ],
)
def test_declared_encoding(content: bytes, content_type: str, expected: str) -> None:
    assert declared_encoding(content, content_type, html="html" in content_type) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-09-19", "2024-09-19"),
        ("2024-09-19T10:30:00+09:00", "2024-09-19T10:30:00+09:00"),
        ("2024-09-19 10:30:00", "2024-09-19T10:30:00"),
        ("2024.09.19 10:30", "2024-09-19"),
        ("2024년 9월 19일", "2024-09-19"),
        ("Thu, 19 Sep 2024 10:30:00 +0900", "2024-09-19T10:30:00+09:00"),
        ("2024-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(given: str | None, expected: str | None) -> None:
    assert iso_date(given) == expected


# --- GitHub ---------------------------------------------------------------------------------------


def test_github_repo(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/repos/huggingface/trl").respond_with_data(
        fixture("github-repo.json"), content_type="application/json; charset=utf-8"
    )
    repo = fetch_github(client, "huggingface/trl")
    assert repo == RepoMeta(
        full_name="huggingface/trl",
        description="Train transformer language models with reinforcement learning.",
        stars=9871,
        language="Python",
        topics=["dpo", "rlhf", "transformers", "ppo", "fine-tuning", "peft"],
        html_url="https://github.com/huggingface/trl",
        owner_login="huggingface",
        owner_type="Organization",
        created_at="2020-03-26T09:48:08Z",
        pushed_at="2024-09-19T13:57:40Z",
        homepage="http://hf.co/docs/trl",
        license="Apache-2.0",
    )
    request = httpserver.log[0][0]
    assert request.headers["Authorization"] == "Bearer ghp_test"
    assert request.headers["Accept"] == "application/vnd.github+json"

    item = to_item_meta(repo, fetched_at=STAMP)
    assert (item.stars, item.language, item.topics[:2]) == (9871, "Python", ["dpo", "rlhf"])
    assert item.ids == {"github": "huggingface/trl"}
    assert (item.published, item.updated) == ("2020-03-26T09:48:08Z", "2024-09-19T13:57:40Z")


def test_github_errors(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/repos/nobody/nothing").respond_with_json({"message": "Not Found"}, status=404)
    httpserver.expect_request("/repos/busy/repo").respond_with_json(
        {"message": "API rate limit exceeded"}, status=403, headers={"x-ratelimit-remaining": "0"}
    )
    with pytest.raises(FetchError, match="no such repository"):
        fetch_github(client, "nobody/nothing")
    with pytest.raises(FetchError, match="GITHUB_TOKEN"):
        fetch_github(client, "busy/repo")
    for bad in ["../../etc/passwd", "owner", "owner/repo/issues", "-owner/repo"]:
        with pytest.raises(FetchError, match="not a GitHub owner/repo"):
            fetch_github(client, bad)
    assert len(httpserver.log) == 2


# --- Hugging Face ---------------------------------------------------------------------------------


def test_hf_model(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/models/Qwen/Qwen2.5-7B-Instruct").respond_with_data(
        fixture("hf-model.json"), content_type="application/json"
    )
    model = fetch_hf(client, "model", "Qwen/Qwen2.5-7B-Instruct")
    assert isinstance(model, HfMeta)
    assert (model.id, model.author, model.pipeline_tag) == ("Qwen/Qwen2.5-7B-Instruct", "Qwen", "text-generation")
    assert (model.downloads, model.likes) == (1214312, 412)
    assert model.license == "apache-2.0"
    assert model.library_name == "transformers"
    assert (model.created_at, model.last_modified) == ("2024-09-16T11:55:40.000Z", "2024-09-25T12:33:11.000Z")
    assert model.arxiv_ids == ["2309.00071", "2407.10671"]

    item = to_item_meta(model, fetched_at=STAMP)
    assert item.stars == 412
    assert item.ids == {"hf_model": "qwen/qwen2.5-7b-instruct"}
    assert "region:us" not in item.topics and "license:apache-2.0" not in item.topics
    assert "text-generation" in item.topics
    assert item.published == "2024-09-16T11:55:40.000Z"


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "dataset",
            {
                "id": "HuggingFaceFW/fineweb-edu",
                "author": "HuggingFaceFW",
                "downloads": 300,
                "likes": 50,
                "tags": ["license:odc-by", "size_categories:1B<n<10B"],
                "cardData": {"license": "odc-by"},
                "description": "1.3T tokens of educational web pages.",
                "createdAt": "2024-05-28T14:32:57.000Z",
                "lastModified": "2024-06-10T08:00:00.000Z",
            },
            {"license": "odc-by", "description": "1.3T tokens of educational web pages.", "sdk": None},
        ),
        (
            "space",
            {
                "id": "open-llm-leaderboard/open_llm_leaderboard",
                "author": "open-llm-leaderboard",
                "likes": 12000,
                "sdk": "docker",
                "tags": ["docker", "region:us"],
                "cardData": {"title": "Open LLM Leaderboard", "sdk": "docker", "license": ["apache-2.0"]},
                "createdAt": "2023-04-01T00:00:00.000Z",
            },
            {"license": "apache-2.0", "sdk": "docker", "downloads": None},
        ),
    ],
)
def test_hf_dataset_and_space_shapes(kind: Any, data: dict[str, Any], expected: dict[str, Any]) -> None:
    meta = parse_hf(kind, data)
    assert {k: getattr(meta, k) for k in expected} == expected
    assert to_item_meta(meta, fetched_at=STAMP).ids == {f"hf_{kind}": data["id"].lower()}


def test_hf_errors(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/api/models/nobody/nothing").respond_with_json(
        {"error": "Repository not found"}, status=401
    )
    with pytest.raises(FetchError, match="no such model"):
        fetch_hf(client, "model", "nobody/nothing")
    with pytest.raises(FetchError, match="not a Hugging Face dataset id"):
        fetch_hf(client, "dataset", "../../whoami")
    assert len(httpserver.log) == 1


# --- shapes ---------------------------------------------------------------------------------------


def test_parsers_refuse_what_is_not_theirs() -> None:
    with pytest.raises(ValueError):
        parse_arxiv_feed(b"<rss/>")
    with pytest.raises(ValueError):
        parse_arxiv_feed(b"not xml")
    with pytest.raises(ValueError):
        parse_github_repo({"message": "Not Found"})
    with pytest.raises(ValueError):
        parse_hf("model", ["not", "an", "object"])


def test_every_meta_becomes_valid_item_meta() -> None:
    metas: list[Any] = [
        parse_arxiv_feed(fixture("arxiv-listing.xml")).entries[0],
        parse_page(fixture("lab-blog-post.html").decode(), "https://lab.example.org/blog/x"),
        parse_github_repo(json.loads(fixture("github-repo.json"))),
        parse_hf("model", json.loads(fixture("hf-model.json"))),
    ]
    for meta in metas:
        item = to_item_meta(meta)
        assert isinstance(item, ItemMeta)
        assert item.fetched_at is not None and item.fetched_at.endswith("Z")
        assert not item.is_empty()
    assert isinstance(metas[1], PageMeta)
