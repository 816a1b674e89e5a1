"""The workbench in a real browser: Debian's Chromium driven by Playwright, against the app on a
real uvicorn server on 127.0.0.1, with the pasted link served by a local pytest-httpserver.

The walk of issue 7: log in → add a URL → edit a bullet → the lint finding shows → publish →
the item is on the public page; and the inbox's keyboard shortcuts. Screenshots of the editor
and the inbox go to `test-artifacts/`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytest_httpserver import HTTPServer

from browser_support import require_chromium, shot, watched_page
from papernews.formats.markdown import Document
from papernews.store import Store
from papernews.store import inbox as inbox_table
from papernews.web.app import create_app
from papernews.web.settings import WebSettings
from web_support import PASSWORD, archive_with_user, insert_candidates, serve, web_settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

FIXTURES = Path(__file__).parent / "fixtures" / "http"
BLOG = "/blog/scaling-test-time-compute"
BLOG_TITLE = "Scaling test-time compute for small models"

require_chromium()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seed_doc: Document) -> Path:
    return archive_with_user(tmp_path_factory.mktemp("seeded") / "archive.db", seed_doc)


@pytest.fixture
def settings(tmp_path: Path, seeded: Path, httpserver: HTTPServer) -> WebSettings:
    """A copy of the seeded archive; the lab blog post served locally (fetched through the SSRF
    guard, which lets 127.0.0.1 through only because of `allow_private_urls`)."""
    db = tmp_path / "archive.db"
    shutil.copyfile(seeded, db)
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request(BLOG).respond_with_data(
        (FIXTURES / "lab-blog-post.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    return web_settings(tmp_path, db, allow_private_urls=True)


@pytest.fixture
def base(settings: WebSettings) -> Iterator[str]:
    with serve(create_app(settings)) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with watched_page(browser, viewport={"width": 1280, "height": 900}, locale="ko-KR") as pg:
        pg.context.set_default_timeout(20_000)
        yield pg


def log_in(pg: Page, base: str, target: str) -> None:
    pg.goto(base + target)
    assert "/login?next=" in pg.url
    pg.fill("#name", "ann")
    pg.fill("#password", PASSWORD)
    pg.click("button[type=submit]")
    pg.wait_for_url(base + target)


def test_login_add_edit_lint_publish_public(
    page: Page, base: str, settings: WebSettings, httpserver: HTTPServer
) -> None:
    log_in(page, base, "/admin")

    page.click("nav >> text=추가")
    page.fill("#urls", httpserver.url_for(BLOG))
    page.click("#add-form button[type=submit]")
    preview = page.locator("#add-preview")
    preview.get_by_text(BLOG_TITLE).wait_for()
    assert "2024년 9월 2nd week" in preview.inner_text()
    preview.get_by_role("button", name="1건 저장").click()
    page.get_by_text("추가함").wait_for()
    page.get_by_role("link", name=BLOG_TITLE).click()

    page.wait_for_url("**/admin/items/*")
    item_id = page.url.rsplit("/", 1)[-1]
    editor = page.locator("#markdown")
    head = editor.input_value().rstrip("\n")
    editor.fill(head + "\n    - 작은 모델에 추론 시간을 더 쓰는 방법을 제안합니다.\n")
    finding = page.locator("#findings li.error", has_text="polite-ending")
    finding.wait_for()  # the live preview (htmx, debounced) shows the house-style finding
    assert page.locator("#preview .card li", has_text="제안합니다").count() == 1
    finding.locator("button.goto").click()
    assert page.evaluate("document.activeElement.id") == "markdown"
    shot(page, "workbench-edit")

    editor.fill(head + "\n    - 작은 모델에 추론 시간을 더 쓰는 방법 제안\n")
    page.locator("#findings li.error").wait_for(state="detached")
    page.click("button[data-save]")
    page.get_by_text("저장했습니다").wait_for()

    page.click("main >> text=2024년 9월 2nd week")
    page.wait_for_url("**/admin/weeks/2024-09-W02")
    assert page.locator("ol.order li", has_text=BLOG_TITLE).count() == 1
    page.get_by_role("button", name="발행").click()
    page.locator("#publish-report").get_by_text("발행했습니다").wait_for()

    built = (settings.site_dir / "items" / item_id / "index.html").read_text(encoding="utf-8")
    assert "작은 모델에 추론 시간을 더 쓰는 방법 제안" in built
    assert BLOG_TITLE in (settings.export_dir / "README.md").read_text(encoding="utf-8")
    page.goto(f"{base}/items/{item_id}/")
    assert BLOG_TITLE in page.locator("main h3").inner_text()
    assert "작은 모델에 추론 시간을 더 쓰는 방법 제안" in page.locator("main .bullets").inner_text()


def _candidates(settings: WebSettings, blog_url: str) -> dict[str, str]:
    """Three waiting candidates; the last one links the local blog post, so accepting it fetches."""
    rows = [
        ("test:agents", "https://example.org/agents", "A survey of agents"),
        ("test:tokens", "https://example.org/tokens", "Tokenizers revisited"),
        (blog_url, blog_url, BLOG_TITLE),
    ]
    found = insert_candidates(
        settings.db,
        rows,
        source="feeds",
        abstract="Small models, test-time compute and reasoning.",
        published="2024-09-12",
        week="2024-09-W02",
    )
    return {c.title: c.id for c in found}


def _status(settings: WebSettings) -> dict[str, str]:
    with Store(settings.db) as store:
        return {c.id: c.status for c in inbox_table.all_candidates(store)}


def _selected(pg: Page) -> str:
    return str(pg.evaluate("document.querySelector('#queue > li.is-selected').id")).removeprefix("row-")


def test_inbox_keyboard_shortcuts(page: Page, base: str, settings: WebSettings, httpserver: HTTPServer) -> None:
    ids = _candidates(settings, httpserver.url_for(BLOG))
    log_in(page, base, "/admin/inbox")
    rows = page.locator("#queue > li[data-row]")
    assert rows.count() == 3
    order = [str(rows.nth(i).get_attribute("id")).removeprefix("row-") for i in range(3)]
    assert _selected(page) == order[0]

    page.keyboard.press("j")
    assert _selected(page) == order[1]
    assert page.evaluate("document.activeElement.id") == f"row-{order[1]}"  # focus follows the selection
    page.keyboard.press("k")
    page.keyboard.press("k")  # stays on the first row
    assert _selected(page) == order[0]

    page.keyboard.press("?")
    assert page.locator("#keys-help").is_visible()
    shot(page, "workbench-inbox-help")
    page.keyboard.press("Escape")
    assert not page.locator("#keys-help").is_visible()

    while _selected(page) != ids[BLOG_TITLE]:
        page.keyboard.press("j")
    page.keyboard.press("a")  # accept: the candidate becomes an item (fetched from the local server)
    page.locator(f"#row-{ids[BLOG_TITLE]}.done", has_text="수락함").wait_for()

    others = [cid for cid in order if cid != ids[BLOG_TITLE]]
    page.wait_for_function(
        "id => document.querySelector('#queue > li.is-selected').id !== id", arg=f"row-{ids[BLOG_TITLE]}"
    )
    first = _selected(page)  # the selection moved on to an undecided row
    assert first in others
    page.keyboard.press("r")
    page.locator(f"#row-{first}.done", has_text="거절함").wait_for()
    page.wait_for_function("id => document.querySelector('#queue > li.is-selected').id !== id", arg=f"row-{first}")
    second = _selected(page)
    assert second in others and second != first
    page.keyboard.press("s")
    page.locator(f"#row-{second}.done", has_text="미룸").wait_for()
    shot(page, "workbench-inbox")

    assert _status(settings) == {ids[BLOG_TITLE]: "accepted", first: "rejected", second: "snoozed"}
    with Store(settings.db) as store:
        assert any(it.title == BLOG_TITLE for it in store.all_items())
    page.reload()  # nothing waits now: the inbox lists the items still without bullets, the new one among them
    assert "기다리는 후보가 없습니다" in page.locator("main").inner_text()
    assert page.locator("#queue > li", has_text=BLOG_TITLE).count() == 1


def test_week_rows_reorder_by_drag(page: Page, base: str, settings: WebSettings) -> None:
    log_in(page, base, "/admin/weeks/2024-09-W04")
    rows = page.locator("ol.order > li")
    before = [str(rows.nth(i).get_attribute("data-id")) for i in range(rows.count())]
    with page.expect_response("**/admin/weeks/2024-09-W04/order") as sent:  # htmx sends the new order
        rows.last.locator(".grip").drag_to(rows.first, target_position={"x": 40, "y": 4})
    assert sent.value.status == 200
    expected = [before[-1], *before[:-1]]
    with Store(settings.db) as store:
        assert [item.id for item, _ in store.week_items("2024-09-W04")] == expected
    page.reload()
    assert [str(rows.nth(i).get_attribute("data-id")) for i in range(rows.count())] == expected


def test_pages_work_without_javascript(browser: Browser, base: str, settings: WebSettings) -> None:
    """Plain forms: the week's ↑ button reorders with JavaScript off."""
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    try:
        log_in(pg, base, "/admin/weeks/2024-09-W04")
        rows = pg.locator("ol.order > li")
        second = str(rows.nth(1).get_attribute("data-id"))
        rows.nth(1).get_by_role("button", name="위로", exact=False).click()
        pg.wait_for_load_state()
        assert pg.locator("ol.order > li").first.get_attribute("data-id") == second
    finally:
        context.close()
