"""The built site in a real browser: Debian's Chromium driven by Playwright, never a downloaded browser.

`make test` installs /usr/bin/chromium (and the Korean fonts) when missing. Screenshots of
home, search and an item page go to `test-artifacts/`.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest

from browser_support import require_chromium, watched_page
from browser_support import shot as _shot
from papernews.formats.markdown import parse
from papernews.publish.build import build
from papernews.publish.site import Site
from papernews.store import Store

require_chromium()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("browser")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp / "site")))
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with Store(tmp / "a.db") as store:
        store.import_document(parse(seed_text))
        build(store, tmp / "site", Site(base_url=base))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    with watched_page(browser, viewport={"width": 1200, "height": 900}) as pg:  # type: ignore[arg-type]
        yield pg


def _result_count(page: object, other_than: int = -1) -> int:
    """The number in Pagefind's result message, once it shows one.

    While it searches or filters, Pagefind shows a transient message with no count; reading it
    then made the filter test flaky, so this waits for a count (different from `other_than`).
    """
    page.wait_for_function(  # type: ignore[attr-defined]
        "n => { const m = document.querySelector('.pagefind-ui__message');"
        " const d = m ? m.innerText.replace(/[^0-9]/g, '') : '';"
        " return d !== '' && Number(d) !== n; }",
        arg=other_than,
        timeout=15000,
    )
    text = page.locator(".pagefind-ui__message").inner_text()  # type: ignore[attr-defined]
    return int("".join(c for c in text if c.isdigit()))


def test_home_renders(page: object, site_url: str) -> None:
    page.goto(site_url)  # type: ignore[attr-defined]
    assert page.locator("article.card").count() > 10  # type: ignore[attr-defined]
    assert "2024년 9월" in page.locator("main h2").first.inner_text()  # type: ignore[attr-defined]
    _shot(page, "home")


@pytest.mark.parametrize("query", ["LoRA", "추론"])
def test_search_finds_items(page: object, site_url: str, query: str) -> None:
    page.goto(f"{site_url}search/?q={query}")  # type: ignore[attr-defined]
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)  # type: ignore[attr-defined]
    results = page.locator(".pagefind-ui__result")  # type: ignore[attr-defined]
    assert results.count() >= 3
    assert query.lower() in results.first.inner_text().lower()
    if query == "추론":
        _shot(page, "search")


def test_kind_filter_narrows_results(page: object, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=LLM")  # type: ignore[attr-defined]
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)  # type: ignore[attr-defined]
    before = _result_count(page)
    page.locator(".pagefind-ui__filter-name", has_text="종류").click()  # type: ignore[attr-defined]
    page.locator("label", has_text="news").first.click()  # type: ignore[attr-defined]
    assert 0 < _result_count(page, other_than=before) < before


def test_dark_mode_toggle_persists(page: object, site_url: str) -> None:
    page.emulate_media(color_scheme="light")  # type: ignore[attr-defined]
    page.goto(site_url)  # type: ignore[attr-defined]
    page.click("#theme-toggle")  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"  # type: ignore[attr-defined]
    page.reload()  # type: ignore[attr-defined]
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"  # type: ignore[attr-defined]
    assert page.get_attribute("#theme-toggle", "aria-pressed") == "true"  # type: ignore[attr-defined]


def test_bookmark_survives_a_reload_and_is_listed(page: object, site_url: str) -> None:
    page.goto(site_url)  # type: ignore[attr-defined]
    first = page.locator("button.bookmark").first  # type: ignore[attr-defined]
    item_id = first.get_attribute("data-id")
    first.click()
    page.reload()  # type: ignore[attr-defined]
    button = page.locator(f'button.bookmark[data-id="{item_id}"]').first  # type: ignore[attr-defined]
    assert button.get_attribute("aria-pressed") == "true"
    page.goto(f"{site_url}bookmarks/")  # type: ignore[attr-defined]
    assert page.locator(f'#bookmark-list a[href$="items/{item_id}/"]').count() == 1  # type: ignore[attr-defined]


def test_item_permalink_opens_from_search(page: object, site_url: str) -> None:
    page.goto(f"{site_url}search/?q=DoRA")  # type: ignore[attr-defined]
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)  # type: ignore[attr-defined]
    page.locator(".pagefind-ui__result-link").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/items/*/")  # type: ignore[attr-defined]
    assert "DoRA" in page.locator("article.card h3").inner_text()  # type: ignore[attr-defined]
    _shot(page, "item")


@pytest.fixture(scope="module")
def sharded_url(tmp_path_factory: pytest.TempPathFactory, seed_text: str) -> Iterator[str]:
    """The seed's site under a sub-path (as on GitHub Pages project sites), its search index
    split into four shards that the search page merges."""
    from papernews.publish import search_index

    tmp = tmp_path_factory.mktemp("sharded")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp)))
    base = f"http://127.0.0.1:{server.server_address[1]}/digest/"
    size = search_index.SHARD_SIZE
    search_index.SHARD_SIZE = 160
    try:
        with Store(tmp / "a.db") as store:
            store.import_document(parse(seed_text))
            report = build(store, tmp / "digest", Site(base_url=base), charts=False)
        assert report.search is not None and report.search.shards == 4
    finally:
        search_index.SHARD_SIZE = size
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_search_merges_every_shard_under_a_sub_path(page: object, sharded_url: str) -> None:
    # `추론` is in items of every period of the seed, so in every shard (oldest first)
    page.goto(f"{sharded_url}search/?q=추론")  # type: ignore[attr-defined]
    page.wait_for_selector(".pagefind-ui__result", timeout=15000)  # type: ignore[attr-defined]
    assert _result_count(page) >= 30
    link = page.locator(".pagefind-ui__result-link").first  # type: ignore[attr-defined]
    assert link.get_attribute("href").startswith("/digest/items/")
    link.click()
    page.wait_for_url("**/digest/items/*/")  # type: ignore[attr-defined]
    assert page.locator("article.card h3").count() == 1  # type: ignore[attr-defined]
