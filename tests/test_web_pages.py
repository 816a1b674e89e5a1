"""The workbench pages and the served public site, through the app (TestClient), on the real seed.

Fetches go to a local pytest-httpserver (the lab blog fixture); users are made through
`papernews.web.security` as `papernews user add` makes them, and log in through the login form.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from http_support import local_client
from papernews.formats.markdown import Document
from papernews.inbox.model import InboxCandidate
from papernews.model import Bullet, Item, Kind, SummaryProvenance, Week, bullets_digest
from papernews.publish.site import Site, render_site
from papernews.store import Store
from papernews.store import inbox as inbox_table
from papernews.summarize import LlmSettings, summarize_inputs
from papernews.web import security, service
from papernews.web.app import create_app
from papernews.web.pages_site import PublicSiteCache
from papernews.web.settings import WebSettings
from summarize_support import LORA, Endpoint, no_chat_endpoint, serve_arxiv, use_endpoint
from web_support import archive_with_user, arxiv_http, insert_candidates, login, session_csrf, web_settings

FIXTURES = Path(__file__).parent / "fixtures" / "http"
BLOG = "/blog/scaling-test-time-compute"
WEEK = "2024-09-W04"  # the seed's last week (7 items)
HOSTILE_TITLE = '<script>alert("title")</script>'
HOSTILE_ORG = '"><img src=x onerror=alert(1)>'
HOSTILE_BULLET = "<b onmouseover=alert(2)>굵게</b> [링크](javascript:alert(3))"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, seed_doc: Document) -> Path:
    """The seed and a user, made once: each test gets a copy (`db`)."""
    return archive_with_user(tmp_path_factory.mktemp("seeded") / "archive.db", seed_doc)


@pytest.fixture
def db(tmp_path: Path, seeded: Path) -> Path:
    path = tmp_path / "archive.db"
    shutil.copyfile(seeded, path)
    return path


@pytest.fixture
def settings(tmp_path: Path, db: Path) -> WebSettings:
    return web_settings(tmp_path, db, allow_private_urls=True)


@pytest.fixture
def anon(settings: WebSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def client(anon: TestClient) -> TestClient:
    assert login(anon).status_code == 303
    return anon


@pytest.fixture
def csrf(client: TestClient, db: Path) -> str:
    return session_csrf(client, db)


def week_ids(db: Path, key: str = WEEK) -> list[str]:
    with Store(db) as store:
        return [item.id for item, _ in service.week_items(store, key)]


def first_item(db: Path) -> tuple[Item, int]:
    with Store(db) as store:
        item, _ = store.week_items(WEEK)[0]
        return service.get_item(store, item.id)


def textarea(page: str, name: str = "markdown") -> str:
    m = re.search(rf'<textarea id="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert m, f"no textarea #{name}"
    return html.unescape(m.group(1))


def hidden(page: str, name: str) -> str:
    m = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert m, f"no field {name}"
    return html.unescape(m.group(1))


# --- every page, logged in and not -------------------------------------------------------


ADMIN_PAGES = [
    ("/admin", "이번 주 작업"),
    ("/admin/inbox", "인박스"),
    ("/admin/add", "링크 추가"),
    ("/admin/weeks", "2024-09 4th week"),
    (f"/admin/weeks/{WEEK}", "2024년 9월 4th week"),
    ("/admin/history", "기록"),
]


@pytest.mark.parametrize(("url", "text"), ADMIN_PAGES)
def test_each_page_renders_for_a_logged_in_user(client: TestClient, url: str, text: str) -> None:
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert text in page.text
    assert 'name="csrf_token"' in page.text  # the logout form at least
    assert "X-CSRF-Token" in page.text  # htmx sends the token as a header


def test_the_editor_renders_the_item_as_digest_markdown(client: TestClient, db: Path) -> None:
    item, version = first_item(db)
    page = client.get(f"/admin/items/{item.id}")
    assert page.status_code == 200
    assert textarea(page.text) == service.item_markdown(item)
    assert hidden(page.text, "version") == str(version)
    assert 'class="card kind-paper"' in page.text  # the site's own card as the preview
    assert "문제가 없습니다" in page.text or 'class="findings"' in page.text


@pytest.mark.parametrize("url", [u for u, _ in ADMIN_PAGES] + ["/admin/items/anything"])
def test_pages_send_a_stranger_to_the_login(anon: TestClient, url: str) -> None:
    response = anon.get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_the_login_page_is_ours(anon: TestClient) -> None:
    page = anon.get("/login?next=/admin/inbox")
    assert page.status_code == 200
    assert "로그인" in page.text and 'name="password"' in page.text
    assert hidden(page.text, "next") == "/admin/inbox"


def test_a_form_post_without_the_csrf_token_is_refused(client: TestClient, db: Path) -> None:
    item, version = first_item(db)
    data = {"markdown": service.item_markdown(item), "version": str(version), "week": WEEK, "tags": ""}
    assert client.post(f"/admin/items/{item.id}", data=data, follow_redirects=False).status_code == 403
    assert client.post(f"/admin/weeks/{WEEK}/order", data={"ids": week_ids(db)}).status_code == 403
    assert first_item(db)[1] == version


def test_missing_item_and_bad_week_are_pages_not_errors(client: TestClient) -> None:
    assert client.get("/admin/items/no-such-item").status_code == 404
    assert client.get("/admin/weeks/not-a-week").status_code == 404


# --- the editor: save, 409, preview, lint, draft -------------------------------------------


def test_saving_an_edit_bumps_the_version_and_shows_it(client: TestClient, db: Path, csrf: str) -> None:
    item, version = first_item(db)
    text = service.item_markdown(item).rstrip("\n") + "\n    - 새 요약 한 줄 추가\n"
    data = {"csrf_token": csrf, "version": str(version), "markdown": text, "week": WEEK, "tags": "reasoning, eval"}
    saved = client.post(f"/admin/items/{item.id}", data=data, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    assert f"저장했습니다 (버전 {version + 1})" in page.text
    stored, new_version = first_item(db)
    assert new_version == version + 1
    assert stored.bullets[-1].text == "새 요약 한 줄 추가"
    assert stored.tags == ["reasoning", "eval"]
    assert "edit" in client.get(f"/admin/history?item={item.id}").text


def test_a_stale_save_gets_409_with_both_texts_and_loses_nothing(client: TestClient, db: Path, csrf: str) -> None:
    item, version = first_item(db)
    base = service.item_markdown(item).rstrip("\n")
    theirs = base + "\n    - 다른 편집자가 넣은 줄\n"
    mine = base + "\n    - 내가 넣은 줄\n"
    form = {"csrf_token": csrf, "week": WEEK, "tags": ""}
    first = client.post(
        f"/admin/items/{item.id}", data={**form, "version": str(version), "markdown": theirs}, follow_redirects=False
    )
    assert first.status_code == 303

    stale = client.post(f"/admin/items/{item.id}", data={**form, "version": str(version), "markdown": mine})
    assert stale.status_code == 409
    assert textarea(stale.text) == mine  # what I typed stays in the editor
    stored = textarea(stale.text, "current-markdown")  # what is stored now, beside it
    assert stored == service.item_markdown(first_item(db)[0]) and "다른 편집자가 넣은 줄" in stored
    assert hidden(stale.text, "version") == str(version + 1)  # saving again is a decision taken with both in view
    assert first_item(db)[0].bullets[-1].text == "다른 편집자가 넣은 줄"

    merged = base + "\n    - 다른 편집자가 넣은 줄\n    - 내가 넣은 줄\n"
    again = client.post(
        f"/admin/items/{item.id}",
        data={**form, "version": hidden(stale.text, "version"), "markdown": merged},
        follow_redirects=False,
    )
    assert again.status_code == 303
    texts = [b.text for b in first_item(db)[0].bullets]
    assert texts[-2:] == ["다른 편집자가 넣은 줄", "내가 넣은 줄"]


def test_text_that_is_not_an_item_is_refused_and_kept(client: TestClient, db: Path, csrf: str) -> None:
    item, version = first_item(db)
    broken = "이건 항목이 아님\n"
    data = {"csrf_token": csrf, "version": str(version), "markdown": broken, "week": WEEK, "tags": ""}
    response = client.post(f"/admin/items/{item.id}", data=data)
    assert response.status_code == 422
    assert "1번째 줄" in response.text
    assert textarea(response.text) == broken
    assert first_item(db) == (item, version)


def test_a_bad_week_key_is_refused(client: TestClient, db: Path, csrf: str) -> None:
    item, version = first_item(db)
    data = {"csrf_token": csrf, "version": str(version), "markdown": service.item_markdown(item), "week": "9월"}
    response = client.post(f"/admin/items/{item.id}", data={**data, "tags": ""})
    assert response.status_code == 422
    assert "2024-09-W03" in response.text


def test_the_live_preview_shows_the_card_and_lint_findings(client: TestClient, db: Path, csrf: str) -> None:
    item, version = first_item(db)
    text = service.item_markdown(item).rstrip("\n") + "\n    - 새로운 방법을 제안합니다.\n"
    data = {"csrf_token": csrf, "version": str(version), "markdown": text, "week": WEEK, "tags": ""}
    fragment = client.post(f"/admin/items/{item.id}/preview", data=data, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text  # what htmx swaps in, not a page
    assert "polite-ending" in fragment.text
    line = text.rstrip("\n").count("\n") + 1
    assert f'data-line="{line}"' in fragment.text
    assert "새로운 방법을 제안합니다." in fragment.text  # in the card
    assert first_item(db) == (item, version)  # a preview stores nothing

    page = client.post(f"/admin/items/{item.id}/preview", data=data)  # the same without JS: the whole page
    assert "<html" in page.text and "polite-ending" in page.text
    assert textarea(page.text) == text


def test_draft_summary_fills_the_editor_without_saving(
    client: TestClient, db: Path, csrf: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    item, version = blog_item(db, httpserver, monkeypatch)
    data = {"csrf_token": csrf, "version": str(version), "markdown": service.item_markdown(item), "week": WEEK}
    fragment = client.post(f"/admin/items/{item.id}/draft", data={**data, "tags": ""}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    drafted = textarea(fragment.text)
    assert drafted.startswith(service.item_markdown(item).rstrip("\n"))
    assert "\n    - " in drafted  # bullets under the item's line
    assert 'hx-swap-oob="innerHTML"' in fragment.text  # the preview follows
    with Store(db) as store:
        assert service.get_item(store, item.id) == (item, version)


# --- a drafted summary keeps its provenance ------------------------------------------------

GOOD_FIRST = "full fine-tuning은 모델이 커질수록"  # the recorded answer `good` (tests/fixtures/llm)


@dataclasses.dataclass
class LlmWorkbench:
    """A logged-in workbench whose drafts come from the local OpenAI-compatible endpoint, with
    arXiv (API and HTML) served from the recorded fixtures."""

    client: TestClient
    csrf: str
    endpoint: Endpoint
    httpserver: HTTPServer


@pytest.fixture
def llm_workbench(
    tmp_path: Path, db: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[LlmWorkbench]:
    serve_arxiv(httpserver)
    endpoint = Endpoint(httpserver, ["good"])
    use_endpoint(monkeypatch, endpoint)
    http = arxiv_http(httpserver)
    with TestClient(create_app(web_settings(tmp_path, db, allow_private_urls=True, http=http))) as client:
        assert login(client).status_code == 303
        yield LlmWorkbench(client, session_csrf(client, db), endpoint, httpserver)


def lora_item(db: Path) -> tuple[Item, int]:
    """LoRA (not in the seed), without bullets: the item the recorded answer summarizes."""
    item = Item(
        id="lora00000001", kind=Kind.PAPER, orgs=["Microsoft"], title="LoRA", url=LORA, week=Week.parse_key(WEEK)
    )
    with Store(db) as store:
        return item, service.create_item(store, item, user="test")


def blog_item(db: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> tuple[Item, int]:
    """The lab blog post, drafted offline (no chat endpoint): the extractive draft."""
    no_chat_endpoint(monkeypatch)
    serve_blog(httpserver)
    item = Item(
        id="blogpost0001",
        kind=Kind.DEV,
        orgs=["Example AI Lab"],
        title="Scaling test-time compute",
        url=httpserver.url_for(BLOG),
        week=Week.parse_key(WEEK),
    )
    with Store(db) as store:
        return item, service.create_item(store, item, user="test")


def draft_in_editor(client: TestClient, csrf: str, item: Item, version: int) -> tuple[str, str]:
    """Press 요약 초안 (htmx): the editor's Markdown and the signed provenance field it carries."""
    data = {"csrf_token": csrf, "version": str(version), "markdown": service.item_markdown(item), "week": WEEK}
    fragment = client.post(f"/admin/items/{item.id}/draft", data={**data, "tags": ""}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200, fragment.text
    return textarea(fragment.text), hidden(fragment.text, "summary_provenance")


def save_form(client: TestClient, csrf: str, item_id: str, version: int, markdown: str, signed: str) -> httpx.Response:
    data = {
        "csrf_token": csrf,
        "version": str(version),
        "markdown": markdown,
        "week": WEEK,
        "tags": "",
        "summary_provenance": signed,
    }
    return client.post(f"/admin/items/{item_id}", data=data, follow_redirects=False)


def signed_by_server(db: Path, item_id: str, signed: str) -> SummaryProvenance:
    with Store(db) as store:
        provenance = security.signed_provenance(security.web_secret(store), item_id, signed)
    assert provenance is not None, "the draft's field does not verify"
    return provenance


def stored(db: Path, item_id: str) -> tuple[Item, int]:
    with Store(db) as store:
        return service.get_item(store, item_id)


def test_a_draft_saved_unchanged_stores_the_drafts_provenance(llm_workbench: LlmWorkbench, db: Path) -> None:
    w = llm_workbench
    item, version = lora_item(db)
    markdown, signed = draft_in_editor(w.client, w.csrf, item, version)
    assert f"\n    - {GOOD_FIRST}" in markdown and len(w.endpoint.requests) == 1
    drafted = signed_by_server(db, item.id, signed)
    assert (drafted.method, drafted.model, drafted.edited) == ("llm", "gpt-4o-mini-2024-07-18", False)
    assert drafted.endpoint_host == w.endpoint.base_url.split("//")[1].split("/")[0]
    assert drafted.source_kind == "arxiv-html" and drafted.source_url == w.httpserver.url_for("/html/2106.09685")
    assert stored(db, item.id) == (item, version)  # a draft stores nothing

    r = save_form(w.client, w.csrf, item.id, version, markdown, signed)
    assert r.status_code == 303, r.text
    saved, new_version = stored(db, item.id)
    assert new_version == version + 1
    assert saved.meta.summary_provenance == drafted  # edited False: the bullets are the draft's
    assert bullets_digest(saved.bullets) == drafted.bullets_sha256
    assert saved.bullets[0].text.startswith(GOOD_FIRST)
    page = w.client.get(f"/admin/items/{item.id}")
    assert "요약 출처" in page.text and "gpt-4o-mini-2024-07-18" in page.text and "사람이 고침" not in page.text
    assert hidden(page.text, "summary_provenance") == ""  # stored now: nothing to carry


def test_a_draft_changed_before_saving_is_marked_edited(
    client: TestClient, db: Path, csrf: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    item, version = blog_item(db, httpserver, monkeypatch)
    markdown, signed = draft_in_editor(client, csrf, item, version)
    drafted = signed_by_server(db, item.id, signed)
    assert drafted.method == "extractive" and drafted.source_kind == "page"
    lines = markdown.rstrip("\n").split("\n")
    bullet = next(n for n, line in enumerate(lines) if line.startswith("    - "))
    lines[bullet] = "    - 사람이 다시 쓴 첫 요약입니다."
    r = save_form(client, csrf, item.id, version, "\n".join(lines) + "\n", signed)
    assert r.status_code == 303, r.text
    saved, _ = stored(db, item.id)
    assert saved.bullets[0].text == "사람이 다시 쓴 첫 요약입니다."
    assert saved.meta.summary_provenance == drafted.model_copy(update={"edited": True})
    assert "사람이 고침" in client.get(f"/admin/items/{item.id}").text


def _tampered_payload(signed: str) -> str:
    """The same signature over a payload that now says a person never touched a model."""
    body, _, mac = signed.partition(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["provenance"]["model"] = "hand-written"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{forged}.{mac}"


@pytest.mark.parametrize("how", ["signature", "payload", "other item", "login token", "garbage"])
def test_a_bad_provenance_field_is_refused_and_the_text_kept(
    client: TestClient, db: Path, csrf: str, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    item, version = blog_item(db, httpserver, monkeypatch)
    markdown, signed = draft_in_editor(client, csrf, item, version)
    target, target_version = item, version
    typed = markdown.rstrip("\n") + "\n    - 직접 덧붙인 요약입니다.\n"
    if how == "signature":
        signed = signed[:-1] + ("0" if signed[-1] != "0" else "1")
    elif how == "payload":
        signed = _tampered_payload(signed)
    elif how == "other item":  # a genuine draft of the blog post, sent with another item's save
        target, target_version = first_item(db)
        typed = service.item_markdown(target).rstrip("\n") + "\n    - 직접 덧붙인 요약입니다.\n"
    elif how == "login token":  # signed with the same secret, for another purpose
        with Store(db) as store:
            signed = security.login_csrf_token(security.web_secret(store))
    else:
        signed = "not-a-signed-value"
    before = stored(db, target.id)

    r = save_form(client, csrf, target.id, target_version, typed, signed)
    assert r.status_code == 400
    assert "출처 정보를 확인하지 못해" in r.text
    assert textarea(r.text) == typed  # nothing typed is lost
    assert hidden(r.text, "summary_provenance") == ""  # saving again saves the text without it
    assert stored(db, target.id) == before  # nothing saved
    with Store(db) as store:
        assert not any(e.action == "edit" for e in service.history(store, item_id=target.id))


def test_editing_a_cli_drafted_item_keeps_its_provenance_and_marks_it_edited(
    llm_workbench: LlmWorkbench, db: Path
) -> None:
    w = llm_workbench
    item, _ = lora_item(db)
    settings = LlmSettings(base_url=w.endpoint.base_url, model="m", max_retries=0)
    with Store(db) as store, local_client(w.httpserver) as http:  # `papernews summarize --write`
        (result,) = summarize_inputs(store, [item.id], llm=settings, client=http, write=True)
        assert result.status == "written", result.error
    drafted, version = stored(db, item.id)
    by_cli = drafted.meta.summary_provenance
    assert by_cli is not None and by_cli.edited is False

    markdown = service.item_markdown(drafted).replace("GPU 메모리 3배 절감", "GPU 메모리 1/3로 절감")
    assert markdown != service.item_markdown(drafted)
    r = save_form(w.client, w.csrf, item.id, version, markdown, "")  # an ordinary edit: no draft in the form
    assert r.status_code == 303, r.text
    saved, _ = stored(db, item.id)
    assert saved.meta.summary_provenance == by_cli.model_copy(update={"edited": True})

    data = {"csrf_token": w.csrf, "version": str(version + 1), "week": WEEK, "tags": "a tag"}
    r = w.client.post(f"/admin/items/{item.id}", data={**data, "markdown": markdown}, follow_redirects=False)
    assert r.status_code == 303  # the old form, without the field at all: still kept
    assert stored(db, item.id)[0].meta.summary_provenance == by_cli.model_copy(update={"edited": True})


# --- inbox ---------------------------------------------------------------------------------


def candidates(db: Path, base_url: str) -> list[InboxCandidate]:
    titles = ["Reasoning with small models", "A survey of agents", HOSTILE_TITLE]
    return insert_candidates(
        db,
        [(f"test:{n}", f"{base_url}/papers/{n}", title) for n, title in enumerate(titles)],
        source="arxiv",
        abstract="We study reasoning in large language models.",
        authors=["A. Author"],
        published="2024-09-25",
        week="2024-09-W04",
    )


def test_the_inbox_without_candidates_lists_the_items_without_bullets(client: TestClient, db: Path) -> None:
    with Store(db) as store:
        drafts = [it for it in store.all_items() if not it.bullets]
    page = client.get("/admin/inbox")
    assert drafts, "the seed has items without bullets"
    assert "요약이 없는 항목" in page.text
    for it in drafts[:3]:
        assert html.escape(it.title, quote=False) in page.text


def test_the_inbox_ranks_candidates_and_decides_with_htmx(client: TestClient, db: Path, csrf: str) -> None:
    found = candidates(db, "https://example.org")
    page = client.get("/admin/inbox")
    assert page.status_code == 200
    assert page.text.count("data-row") == 3
    assert 'data-key="a"' in page.text and 'data-key="r"' in page.text and 'data-key="s"' in page.text
    assert "score" in page.text and 'class="reasons"' in page.text

    row = client.post(
        "/admin/inbox/decide",
        data={"csrf_token": csrf, "candidate": found[1].id, "action": "reject"},
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200 and "거절함" in row.text and "<html" not in row.text
    plain = client.post(
        "/admin/inbox/decide",
        data={"csrf_token": csrf, "candidate": found[0].id, "action": "snooze"},
        follow_redirects=False,
    )
    assert plain.status_code == 303 and plain.headers["location"] == "/admin/inbox"
    with Store(db) as store:
        status = {c.id: c.status for c in inbox_table.all_candidates(store)}
    assert status[found[1].id] == "rejected" and status[found[0].id] == "snoozed"
    assert client.get("/admin/inbox").text.count("data-row") == 1
    history = client.get("/admin/history").text
    assert "reject" in history and "snooze" in history


# --- add -----------------------------------------------------------------------------------


def serve_blog(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request(BLOG).respond_with_data(
        (FIXTURES / "lab-blog-post.html").read_bytes(), content_type="text/html; charset=utf-8"
    )


def test_add_previews_then_saves_then_warns_of_the_duplicate(
    client: TestClient, db: Path, csrf: str, httpserver: HTTPServer
) -> None:
    serve_blog(httpserver)
    url = httpserver.url_for(BLOG)
    with Store(db) as store:
        before = store.count()
    preview = client.post(
        "/admin/add/preview", data={"csrf_token": csrf, "urls": f"  {url}\n\n"}, headers={"HX-Request": "true"}
    )
    assert preview.status_code == 200
    assert "Scaling test-time compute for small models" in preview.text
    assert "2024년 9월 2nd week" in preview.text  # guessed from the post's date
    assert "1건 저장" in preview.text
    with Store(db) as store:
        assert store.count() == before  # a preview saves nothing

    saved = client.post("/admin/add", data={"csrf_token": csrf, "urls": url, "week": ""})
    assert saved.status_code == 200 and "추가함" in saved.text
    new_id = re.search(r'href="/admin/items/([^"]+)"', saved.text.split("결과", 1)[1])
    assert new_id
    with Store(db) as store:
        assert store.count() == before + 1
        assert store.get(new_id.group(1)).title == "Scaling test-time compute for small models"

    again = client.post("/admin/add/preview", data={"csrf_token": csrf, "urls": url})
    assert "중복" in again.text and "0건 저장" in again.text


def test_add_without_urls_says_so(client: TestClient, csrf: str) -> None:
    response = client.post("/admin/add", data={"csrf_token": csrf, "urls": "  "})
    assert response.status_code == 400 and "URL이 없습니다" in response.text


# --- week: order and publish -------------------------------------------------------------


def test_a_week_is_reordered_by_buttons_and_by_drag(client: TestClient, db: Path, csrf: str) -> None:
    ids = week_ids(db)
    moved = client.post(
        f"/admin/weeks/{WEEK}/order",
        data={"csrf_token": csrf, "ids": ids, "move": f"down:{ids[0]}"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    assert week_ids(db) == [ids[1], ids[0], *ids[2:]]

    dragged = list(reversed(ids))
    fragment = client.post(
        f"/admin/weeks/{WEEK}/order", data={"csrf_token": csrf, "ids": dragged}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and fragment.text.lstrip().startswith('<form id="week-order"')
    assert week_ids(db) == dragged
    assert [m for m in re.findall(r'name="ids" value="([^"]+)"', fragment.text)] == dragged


def test_a_week_changed_meanwhile_gets_409_and_the_current_order(client: TestClient, db: Path, csrf: str) -> None:
    ids = week_ids(db)
    response = client.post(f"/admin/weeks/{WEEK}/order", data={"csrf_token": csrf, "ids": ids[1:]})
    assert response.status_code == 409
    assert re.findall(r'name="ids" value="([^"]+)"', response.text) == ids
    assert week_ids(db) == ids


def test_publish_builds_the_site_and_the_exports(client: TestClient, settings: WebSettings, csrf: str) -> None:
    report = client.post("/admin/publish", data={"csrf_token": csrf, "back": WEEK}, headers={"HX-Request": "true"})
    assert report.status_code == 200 and "발행했습니다" in report.text
    assert (settings.site_dir / "index.html").is_file()
    assert (settings.export_dir / "README.md").is_file() and (settings.export_dir / "items.json").is_file()
    assert "publish" in client.get("/admin/history").text


# --- the public site ---------------------------------------------------------------------


def test_the_served_site_is_the_built_site(anon: TestClient, db: Path, settings: WebSettings) -> None:
    """Every page the build writes is served at its path with the same bytes (home without the
    charts, which the build draws in another process; search is served from the archive)."""
    with Store(db) as store:
        built = render_site(store.all_items(), Site(base_url=settings.base_url))
    pages = [p for p in built if p.endswith("index.html") and p != "search/index.html"]
    assert len(pages) > 900
    for path in pages:
        served = anon.get("/" + path.removesuffix("index.html"))
        assert served.status_code == 200, path
        assert served.content == built[path], path


def test_public_paths_behave_like_a_static_host(anon: TestClient, db: Path) -> None:
    item, _ = first_item(db)
    redirect = anon.get(f"/items/{item.id}", follow_redirects=False)
    assert redirect.status_code in (307, 308) and redirect.headers["location"].endswith(f"/items/{item.id}/")
    missing = anon.get("/items/no-such-item/")
    assert missing.status_code == 404 and "페이지를 찾을 수 없습니다" in missing.text
    page = anon.get(f"/items/{item.id}/")
    assert anon.get(f"/items/{item.id}/", headers={"If-None-Match": page.headers["etag"]}).status_code == 304
    assert anon.get("/assets/site.css").headers["content-type"].startswith("text/css")
    assert anon.get("/feed.xml").headers["content-type"].startswith("application/atom+xml")
    assert anon.get("/kinds/paper/rss.xml").status_code == 200
    assert anon.get("/items.json").json()["items"]


def test_the_public_site_follows_edits(client: TestClient, db: Path) -> None:
    item, version = first_item(db)
    before = client.get(f"/items/{item.id}/")
    with Store(db) as store:
        edited = item.model_copy(update={"bullets": [Bullet(text="방금 고친 요약")]})
        service.save_item(store, edited, expected_version=version, user="ann")
    after = client.get(f"/items/{item.id}/")
    assert "방금 고친 요약" in after.text and "방금 고친 요약" not in before.text
    assert after.headers["etag"] != before.headers["etag"]


def test_the_site_cache_trusts_the_files_only_when_they_are_quiet(db: Path) -> None:
    """`fresh` answers from the archive's file stamps; any write (another process's too) shows."""
    cache = PublicSiteCache(db, "http://localhost:8000/")
    with Store(db) as held:  # a connection kept open, as a server's are: the WAL file stays
        site = cache.load(held)
        assert cache.fresh() is None  # the archive was written a moment ago: ask the store
        cache.SETTLE = 0.0  # as if the files had been quiet for long
        site = cache.load(held)
        assert cache.fresh() is site
        item, version = first_item(db)
        with Store(db) as writer:
            service.save_item(
                writer, item.model_copy(update={"title": "고친 제목"}), expected_version=version, user="ann"
            )
        assert cache.fresh() is None
        newer = cache.load()
        assert newer.revision > site.revision
        assert "고친 제목".encode() in (newer.page(f"items/{item.id}/") or b"")
        assert cache.fresh() is newer


def test_search_is_served_from_the_archive_index(anon: TestClient) -> None:
    page = anon.get("/search/", params={"q": "추론"})
    assert page.status_code == 200
    count = re.search(r"검색 결과 (\d+)건", page.text)
    assert count and int(count.group(1)) > 5
    assert page.text.count('<article class="card') == min(int(count.group(1)), 50)
    papers = anon.get("/search/", params={"q": "추론", "kind": "paper"}).text
    assert 'class="card kind-dev"' not in papers and 'class="card kind-paper"' in papers
    assert "제목, 기관, 요약에서 찾습니다" in anon.get("/search/").text


# --- escaping --------------------------------------------------------------------------------


def _assert_inert(text: str) -> None:
    lowered = text.lower()
    assert "<script>alert" not in lowered
    assert "<img src=x" not in lowered
    assert "<b onmouseover" not in lowered
    assert 'href="javascript:' not in lowered


def test_hostile_strings_are_escaped_everywhere(client: TestClient, db: Path, csrf: str) -> None:
    hostile = Item(
        id="hostile00001",
        kind=Kind.PAPER,
        orgs=[HOSTILE_ORG],
        title=HOSTILE_TITLE,
        url="javascript:alert(4)",
        week=Week.parse_key(WEEK),
        bullets=[Bullet(text=HOSTILE_BULLET)],
        tags=['"><svg onload=alert(5)>'],
    )
    with Store(db) as store:
        service.create_item(store, hostile, user='<script>alert("user")</script>')
    candidates(db, "javascript:alert(6)//")
    urls = [
        f"/admin/items/{hostile.id}",
        f"/admin/weeks/{WEEK}",
        "/admin/history",
        f"/admin/history?item={hostile.id}",
        "/admin/inbox",
        "/admin",
        f"/items/{hostile.id}/",
        f"/{WEEK[:4]}/{WEEK[5:7]}/w4/",
        "/search/?q=script+alert",
        "/search/?q=" + HOSTILE_TITLE,
    ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        _assert_inert(page.text)
        assert "&lt;script&gt;" in page.text or "&#34;" in page.text or "&lt;" in page.text, url
    item, version = first_item(db)
    data = {
        "csrf_token": csrf,
        "version": str(version),
        "markdown": f"- 📜 [{HOSTILE_ORG}] [{HOSTILE_TITLE}](javascript:x)",
    }
    preview = client.post(
        f"/admin/items/{item.id}/preview", data={**data, "week": WEEK, "tags": ""}, headers={"HX-Request": "true"}
    )
    _assert_inert(preview.text)
