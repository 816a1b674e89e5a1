"""The polite HTTP client against a real local server: retries, waits, redirects, caps, robots, cache, SSRF.

Waits run on a fake clock: the injected sleep records what it was asked and moves the clock.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from papernews.errors import PapernewsError
from papernews.sources import FetchError, HttpClient, HttpSettings, fetch_arxiv
from papernews.sources.guard import check_url, is_public
from papernews.sources.robots import RobotsAnswer, RobotsRules
from papernews.sources.waits import backoff, retry_after

FIXTURES = Path(__file__).parent / "fixtures" / "http"


class FakeClock:
    """Monotonic and wall clock in one; `sleep` records each wait and lets the time pass."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def settings(server: HTTPServer, **overrides: Any) -> HttpSettings:
    values: dict[str, Any] = {
        "allow_private": True,  # pytest-httpserver listens on localhost
        "default_interval": 0.0,
        "arxiv_interval": 0.0,  # all endpoints share one local host; the arXiv test sets its own
        "arxiv_api": server.url_for("/api/query"),
        "github_api": server.url_for("/"),
        "hf_api": server.url_for("/api"),
    }
    values.update(overrides)
    return HttpSettings(**values)


@pytest.fixture
def client(httpserver: HTTPServer, clock: FakeClock) -> Iterator[HttpClient]:
    with HttpClient(settings(httpserver), sleep=clock.sleep, clock=clock, wall_clock=clock) as c:
        yield c


def requests_to(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


# --- the basics ---------------------------------------------------------------------------------


def test_get_names_papernews_in_the_user_agent(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/hello").respond_with_data("hi", content_type="text/plain")
    answer = client.get(httpserver.url_for("/hello"))
    assert answer.status == 200
    assert answer.text == "hi"
    assert answer.from_cache is False
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith("papernews/")
    assert "(+https://github.com/papernews/papernews)" in agent


def test_fetch_error_is_a_papernews_error_with_url_status_and_reason(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(FetchError) as info:
        client.get(httpserver.url_for("/gone"))
    assert isinstance(info.value, PapernewsError)
    assert info.value.status == 404
    assert info.value.reason == "Not Found"
    assert info.value.url.endswith("/gone")
    assert "HTTP 404" in str(info.value)


def test_settings_from_env() -> None:
    env = {
        "PAPERNEWS_ARXIV_API": "http://127.0.0.1:9/api/query",
        "PAPERNEWS_GITHUB_API": "http://127.0.0.1:9/gh",
        "PAPERNEWS_HF_API": "http://127.0.0.1:9/hf",
        "PAPERNEWS_ALLOW_PRIVATE_URLS": "1",
        "PAPERNEWS_HTTP_CACHE": "off",
        "GITHUB_TOKEN": "ghp_secret",
    }
    s = HttpSettings.from_env(env, retries=1)
    assert (s.arxiv_api, s.github_api, s.hf_api) == (
        "http://127.0.0.1:9/api/query",
        env["PAPERNEWS_GITHUB_API"],
        env["PAPERNEWS_HF_API"],
    )
    assert s.allow_private is True
    assert s.cache_dir is None
    assert s.github_token == "ghp_secret"
    assert "ghp_secret" not in repr(s)
    assert s.retries == 1
    assert s.min_interval("127.0.0.1") == 3.0  # arXiv's rule follows the configured API host


def test_settings_defaults_are_safe() -> None:
    s = HttpSettings.from_env({"XDG_CACHE_HOME": "/tmp/xdg"})
    assert s.allow_private is False
    assert s.cache_dir == Path("/tmp/xdg/papernews/http")
    assert s.arxiv_api == "https://export.arxiv.org/api/query"
    assert s.min_interval("export.arxiv.org") == 3.0


# --- retries --------------------------------------------------------------------------------------


def test_429_with_retry_after_seconds_then_success(
    httpserver: HTTPServer, client: HttpClient, clock: FakeClock
) -> None:
    httpserver.expect_ordered_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_ordered_request("/busy").respond_with_data("done")
    assert client.get(httpserver.url_for("/busy")).text == "done"
    assert clock.sleeps == [7.0]
    assert requests_to(httpserver, "/busy") == 2


def test_retry_after_as_an_http_date(httpserver: HTTPServer, client: HttpClient, clock: FakeClock) -> None:
    when = formatdate(clock.now + 12, usegmt=True)
    httpserver.expect_ordered_request("/busy").respond_with_data("", status=503, headers={"Retry-After": when})
    httpserver.expect_ordered_request("/busy").respond_with_data("done")
    assert client.get(httpserver.url_for("/busy")).text == "done"
    assert clock.sleeps == [12.0]


def test_retry_after_is_capped(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_ordered_request("/busy").respond_with_data("", status=429, headers={"Retry-After": "86400"})
    httpserver.expect_ordered_request("/busy").respond_with_data("done")
    with HttpClient(settings(httpserver, max_wait=30.0), sleep=clock.sleep, clock=clock, wall_clock=clock) as c:
        assert c.get(httpserver.url_for("/busy")).text == "done"
    assert clock.sleeps == [30.0]


def test_503_twice_then_success_backs_off_exponentially(
    httpserver: HTTPServer, client: HttpClient, clock: FakeClock
) -> None:
    for _ in range(2):
        httpserver.expect_ordered_request("/flaky").respond_with_data("down", status=503)
    httpserver.expect_ordered_request("/flaky").respond_with_data("up")
    assert client.get(httpserver.url_for("/flaky")).text == "up"
    assert clock.sleeps == [1.0, 2.0]


def test_retries_run_out(httpserver: HTTPServer, client: HttpClient, clock: FakeClock) -> None:
    httpserver.expect_request("/down").respond_with_data("down", status=502)
    with pytest.raises(FetchError) as info:
        client.get(httpserver.url_for("/down"))
    assert info.value.status == 502
    assert requests_to(httpserver, "/down") == 4  # one try and three retries
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_404_is_not_retried(httpserver: HTTPServer, client: HttpClient, clock: FakeClock) -> None:
    httpserver.expect_request("/missing").respond_with_data("", status=404)
    assert client.fetch(httpserver.url_for("/missing")).status == 404
    assert clock.sleeps == []


def test_connection_refused_is_retried_then_reported(clock: FakeClock) -> None:
    with socket.socket() as s:  # a loopback port that nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with (
        HttpClient(HttpSettings(allow_private=True, retries=2), sleep=clock.sleep, clock=clock) as c,
        pytest.raises(FetchError) as info,
    ):
        c.get(f"http://127.0.0.1:{port}/")
    assert info.value.status is None
    assert "ConnectError" in info.value.reason
    assert clock.sleeps == [1.0, 2.0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [("120", 120.0), (" 5 ", 5.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 30.0), ("soon", None), (None, None)],
)
def test_retry_after_parsing(header: str | None, expected: float | None) -> None:
    now = 1445412450.0  # 2015-10-21 07:27:30 GMT
    assert retry_after(header, now) == expected


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff(n, 1.5, 10.0) for n in range(5)] == [1.5, 3.0, 6.0, 10.0, 10.0]


# --- rate limits ----------------------------------------------------------------------------------


def test_arxiv_batches_are_spaced_three_seconds_apart(httpserver: HTTPServer, clock: FakeClock) -> None:
    listing = (FIXTURES / "arxiv-listing.xml").read_bytes()
    httpserver.expect_request("/api/query").respond_with_data(listing, content_type="application/atom+xml")
    ids = [f"2409.{n:05d}" for n in range(250)]
    with HttpClient(settings(httpserver, arxiv_interval=3.0), sleep=clock.sleep, clock=clock) as c:
        results = fetch_arxiv(c, ids)
    asked = [request.args["id_list"].split(",") for request, _ in httpserver.log]
    assert [len(batch) for batch in asked] == [100, 100, 50]
    assert [request.args["max_results"] for request, _ in httpserver.log] == ["100", "100", "50"]
    assert [i for batch in asked for i in batch] == ids
    assert clock.sleeps == [3.0, 3.0]
    assert all(isinstance(r, FetchError) for r in results.values())  # none of them is in that listing


def test_rate_limit_does_not_wait_when_time_has_passed(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_request("/a").respond_with_data("a")
    with HttpClient(settings(httpserver, host_intervals={"localhost": 2.0}), sleep=clock.sleep, clock=clock) as c:
        c.get(httpserver.url_for("/a"))
        clock.now += 0.5
        c.get(httpserver.url_for("/a"))  # 0.5 s later: waits the other 1.5 s
        clock.now += 5
        c.get(httpserver.url_for("/a"))  # long after: no wait
    assert clock.sleeps == [1.5]


# --- redirects ------------------------------------------------------------------------------------


def test_redirect_is_followed(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("moved here")
    answer = client.get(httpserver.url_for("/old"))
    assert answer.text == "moved here"
    assert answer.url == httpserver.url_for("/new")


def test_redirect_loop_is_cut(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="redirects"):
        client.get(httpserver.url_for("/loop"))
    assert requests_to(httpserver, "/loop") == 6  # the first request and five redirects


def public_resolver(host: str) -> list[str]:
    """Every name looks public (TEST-NET addresses are not: 93.184.215.14 is example.com's)."""
    return ["93.184.215.14"]


def test_redirect_to_a_private_address_is_refused(clock: FakeClock) -> None:
    seen: list[str] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8080/admin"})

    with (
        HttpClient(
            HttpSettings(),
            sleep=clock.sleep,
            clock=clock,
            resolver=public_resolver,
            transport=httpx.MockTransport(site),
        ) as c,
        pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to a non-public address"),
    ):
        c.get("https://blog.example.org/post")
    assert seen == ["https://blog.example.org/post"]  # the second hop was never sent


def test_authorization_is_not_carried_to_another_host(clock: FakeClock) -> None:
    seen: list[tuple[str, str | None]] = []

    def site(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.host, request.headers.get("authorization")))
        if request.url.host == "api.example.org":
            return httpx.Response(301, headers={"Location": "https://cdn.example.net/x"})
        return httpx.Response(200, text="ok")

    with HttpClient(
        HttpSettings(), sleep=clock.sleep, clock=clock, resolver=public_resolver, transport=httpx.MockTransport(site)
    ) as c:
        c.get("https://api.example.org/x", headers={"Authorization": "Bearer t"})
    assert seen == [("api.example.org", "Bearer t"), ("cdn.example.net", None)]


# --- the SSRF guard -------------------------------------------------------------------------------


def test_private_addresses_are_refused_before_any_request(httpserver: HTTPServer, clock: FakeClock) -> None:
    urls = [
        httpserver.url_for("/"),
        f"http://127.0.0.1:{httpserver.port}/",
        "http://localhost/",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",  # 127.0.0.1 as one number
    ]
    with HttpClient(HttpSettings(allow_private=False), sleep=clock.sleep, clock=clock) as c:
        for url in urls:
            with pytest.raises(FetchError, match="refused"):
                c.get(url)
    assert httpserver.log == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/"])
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        check_url(url, allow_private=True)


def test_a_host_resolving_to_a_private_address_is_refused() -> None:
    with pytest.raises(FetchError, match=r"intranet\.example\.org resolves to a non-public address \(10\.1\.2\.3\)"):
        check_url("https://intranet.example.org/", allow_private=False, resolver=lambda host: ["10.1.2.3"])
    with pytest.raises(FetchError, match="non-public"):  # one private address among public ones is enough
        check_url("https://mixed.example.org/", allow_private=False, resolver=lambda host: ["93.184.215.14", "::1"])
    check_url("https://example.org/", allow_private=False, resolver=public_resolver)
    check_url("http://10.0.0.1/", allow_private=True)


def test_dns_rebinding_is_caught_at_connect_time(httpserver: HTTPServer, clock: FakeClock) -> None:
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])  # public when checked, loopback when dialled

    def rebinding(host: str) -> list[str]:
        return next(answers)

    with (
        HttpClient(HttpSettings(allow_private=False, retries=0), sleep=clock.sleep, resolver=rebinding) as c,
        pytest.raises(FetchError, match=r"127\.0\.0\.1"),
    ):
        c.get(f"http://rebind.example:{httpserver.port}/")
    assert httpserver.log == []


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("169.254.169.254", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("2002:7f00:1::", False),  # 6to4 around 127.0.0.1
    ],
)
def test_is_public(address: str, public: bool) -> None:
    import ipaddress

    assert is_public(ipaddress.ip_address(address)) is public


# --- size cap -------------------------------------------------------------------------------------


def test_a_page_over_the_size_cap_is_refused(httpserver: HTTPServer, clock: FakeClock) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000, content_type="text/html")
    with (
        HttpClient(settings(httpserver, max_bytes=4096), sleep=clock.sleep, clock=clock) as c,
        pytest.raises(FetchError, match="too large"),
    ):
        c.get(httpserver.url_for("/big"))
        assert c.get(httpserver.url_for("/big"), max_bytes=5000).content == b"x" * 5000


def test_a_streamed_body_without_length_is_cut_at_the_cap(httpserver: HTTPServer, clock: FakeClock) -> None:
    def endless(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(64):
                yield b"y" * 1024

        return Response(chunks(), content_type="text/html")  # no Content-Length: chunked

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with (
        HttpClient(settings(httpserver, max_bytes=8 * 1024), sleep=clock.sleep, clock=clock) as c,
        pytest.raises(FetchError, match="too large"),
    ):
        c.get(httpserver.url_for("/stream"))


# --- robots.txt -----------------------------------------------------------------------------------


def test_robots_txt_disallows_a_path_for_pages_only(
    httpserver: HTTPServer, client: HttpClient, clock: FakeClock
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        (FIXTURES / "robots.txt").read_text(), content_type="text/plain"
    )
    httpserver.expect_request("/private/notes").respond_with_data("secret", content_type="text/html")
    httpserver.expect_request("/blog/post").respond_with_data("<p>hi</p>", content_type="text/html")
    with pytest.raises(FetchError, match=r"robots\.txt"):
        client.get(httpserver.url_for("/private/notes"), robots=True)
    assert client.get(httpserver.url_for("/blog/post"), robots=True).status == 200
    assert client.get(httpserver.url_for("/private/notes")).text == "secret"  # an API call is not a crawl
    assert requests_to(httpserver, "/robots.txt") == 1  # read once per origin
    assert 2.0 in clock.sleeps  # its Crawl-delay: 2 spaces our requests


@pytest.mark.parametrize(
    ("answer", "allowed"),
    [
        (RobotsAnswer(200, "User-agent: *\nDisallow: /x/\n"), False),
        (RobotsAnswer(200, "User-agent: papernews\nDisallow: /\n"), False),
        (RobotsAnswer(200, "User-agent: OtherBot\nDisallow: /\n"), True),
        (RobotsAnswer(404, ""), True),  # RFC 9309: 4xx means no rules
        (RobotsAnswer(403, ""), True),
        (RobotsAnswer(429, ""), False),  # asked to slow down: not an invitation
        (RobotsAnswer(500, ""), False),  # RFC 9309: 5xx means complete disallow
        (RobotsAnswer(503, ""), False),
        (FetchError("https://example.org/robots.txt", None, "timeout"), True),  # unreachable: no rules
    ],
)
def test_robots_answers(answer: RobotsAnswer | FetchError, allowed: bool) -> None:
    def fetch(url: str) -> RobotsAnswer:
        assert url == "https://example.org/robots.txt"
        if isinstance(answer, FetchError):
            raise answer
        return answer

    rules = RobotsRules(fetch, "papernews/0.1.0 (+https://github.com/papernews/papernews)", lambda host, s: None)
    assert rules.allowed("https://example.org/x/page?q=1") is allowed


# --- the on-disk cache ----------------------------------------------------------------------------


def test_second_fetch_comes_from_the_disk_cache(httpserver: HTTPServer, tmp_path: Path, clock: FakeClock) -> None:
    httpserver.expect_request("/api/models/x").respond_with_json({"id": "x"})
    cache = tmp_path / "cache"
    with HttpClient(settings(httpserver, cache_dir=cache), sleep=clock.sleep, clock=clock) as c:
        first = c.get(httpserver.url_for("/api/models/x"))
        second = c.get(httpserver.url_for("/api/models/x"))
    with HttpClient(settings(httpserver, cache_dir=cache), sleep=clock.sleep, clock=clock) as c:
        third = c.get(httpserver.url_for("/api/models/x"))  # a new process would see the same
    assert (first.from_cache, second.from_cache, third.from_cache) == (False, True, True)
    assert first.json() == second.json() == third.json() == {"id": "x"}
    assert len(httpserver.log) == 1
    assert any(cache.iterdir())


def test_errors_are_not_cached(httpserver: HTTPServer, tmp_path: Path, clock: FakeClock) -> None:
    httpserver.expect_ordered_request("/x").respond_with_data("", status=404)
    httpserver.expect_ordered_request("/x").respond_with_data("now here")
    with HttpClient(settings(httpserver, cache_dir=tmp_path), sleep=clock.sleep, clock=clock) as c:
        assert c.fetch(httpserver.url_for("/x")).status == 404
        assert c.get(httpserver.url_for("/x")).text == "now here"
