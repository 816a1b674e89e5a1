"""The JSON API over a seeded archive (httpx through FastAPI's TestClient), the library under it
(`papernews.web.service`), and the store's part: item versions, migration 3, week order."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer

from papernews.archive import export_text
from papernews.errors import InputError
from papernews.formats.markdown import Document, parse
from papernews.model import Bullet, Item, Kind, SummaryProvenance, Week, bullets_digest
from papernews.samples import SAMPLE_DIGEST
from papernews.store import Store
from papernews.store import migrations as migrations_module
from papernews.summarize import PROMPT_VERSION
from papernews.web import service
from papernews.web.app import create_app
from papernews.web.settings import WebSettings
from summarize_support import LORA, Endpoint, no_chat_endpoint, serve_arxiv, use_endpoint
from web_support import api_token, archive_with_user, arxiv_http, free_port, insert_candidates, web_settings

FIXTURES = Path(__file__).parent / "fixtures" / "http"


@pytest.fixture
def db(tmp_path: Path, seed_doc: Document) -> Path:
    return archive_with_user(tmp_path / "api.db", seed_doc)


@pytest.fixture
def auth(db: Path) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db)}"}


@pytest.fixture
def client(tmp_path: Path, db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_settings(tmp_path, db))) as c:
        yield c


def _some_item(db: Path, n: int = 0) -> Item:
    with Store(db) as store:
        return store.items(limit=n + 1)[n]


def _readme(db: Path) -> str:
    with Store(db) as store:
        return export_text(store, "markdown")


# --- items ----------------------------------------------------------------------------------


def test_list_items_is_public_filtered_and_paged(client: TestClient) -> None:
    first = client.get("/api/v1/items", params={"limit": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    second = client.get("/api/v1/items", params={"limit": 5, "offset": 5}).json()
    assert {i["id"] for i in first["items"]}.isdisjoint(i["id"] for i in second["items"])
    papers = client.get("/api/v1/items", params={"kind": "paper", "week": "2024-09-W03", "limit": 1000}).json()
    assert papers["items"] and all(i["kind"] == "paper" and i["week"]["key"] == "2024-09-W03" for i in papers["items"])
    assert papers["next_offset"] is None
    assert all(i["source"] is None for i in first["items"])  # the README's verbatim text stays inside
    assert client.get("/api/v1/items", params={"week": "September"}).status_code == 400


def test_read_an_item_with_its_version(client: TestClient, db: Path) -> None:
    item = _some_item(db)
    r = client.get(f"/api/v1/items/{item.id}")
    assert r.status_code == 200 and r.headers["etag"] == '"1"'
    assert r.json()["version"] == 1 and r.json()["item"]["title"] == item.title
    assert client.get("/api/v1/items/nope").status_code == 404


def test_put_needs_if_match_and_refuses_a_stale_version(client: TestClient, db: Path, auth: dict[str, str]) -> None:
    item = _some_item(db)
    url = f"/api/v1/items/{item.id}"
    body = client.get(url).json()["item"]
    edited = {**body, "title": "A new title"}
    assert client.put(url, json=edited, headers=auth).status_code == 428
    assert client.put(url, json=edited, headers={**auth, "If-Match": "soon"}).status_code == 400
    r = client.put(url, json=edited, headers={**auth, "If-Match": '"1"'})
    assert r.status_code == 200 and r.headers["etag"] == '"2"' and r.json()["item"]["title"] == "A new title"
    stale = client.put(url, json={**body, "note": "(late)"}, headers={**auth, "If-Match": 'W/"1"'})
    assert stale.status_code == 409
    assert stale.json()["version"] == 2 and stale.json()["item"]["title"] == "A new title"
    assert client.put("/api/v1/items/nope", json=edited, headers={**auth, "If-Match": '"1"'}).status_code == 404


def test_what_a_get_returns_can_be_put_back_unchanged(client: TestClient, db: Path, auth: dict[str, str]) -> None:
    before = _readme(db)
    item = _some_item(db, 3)
    read = client.get(f"/api/v1/items/{item.id}")
    r = client.put(
        f"/api/v1/items/{item.id}", json=read.json()["item"], headers={**auth, "If-Match": read.headers["etag"]}
    )
    assert r.status_code == 200 and r.json()["version"] == 1  # nothing changed: same version
    assert _readme(db) == before  # and the README keeps its bytes


def test_patch_fields_or_the_items_markdown(client: TestClient, db: Path, auth: dict[str, str]) -> None:
    item = next(i for i in (_some_item(db, n) for n in range(40)) if i.bullets and i.url)
    url = f"/api/v1/items/{item.id}"
    r = client.patch(url, json={"tags": ["agents"]}, headers={**auth, "If-Match": '"1"'})
    assert r.status_code == 200 and r.json()["item"]["tags"] == ["agents"] and r.json()["version"] == 2
    markdown = service.item_markdown(item).rstrip("\n") + "\n    - 웹에서 더한 요약\n"
    r = client.patch(url, json={"markdown": markdown}, headers={**auth, "If-Match": '"2"'})
    assert r.status_code == 200, r.text
    assert r.json()["item"]["bullets"][-1]["text"] == "웹에서 더한 요약"
    assert r.json()["item"]["tags"] == ["agents"]
    assert "    - 웹에서 더한 요약\n" in _readme(db)
    bad = client.patch(url, json={"markdown": "not an item"}, headers={**auth, "If-Match": '"3"'})
    assert bad.status_code == 400 and "starts with `- `" in bad.json()["detail"]
    assert client.patch(url, json={"bogus": 1}, headers={**auth, "If-Match": '"3"'}).status_code == 422


def test_create_and_delete(client: TestClient, db: Path, auth: dict[str, str]) -> None:
    body = {
        "kind": "news",
        "title": "새 소식",
        "url": "https://example.org/news/1",
        "week": {"year": 2024, "month": 9, "weeks": [4]},
    }
    r = client.post("/api/v1/items", json=body, headers=auth)
    assert r.status_code == 201 and r.json()["version"] == 1
    created = r.json()["item"]
    assert created["id"] and created["week"]["key"] == "2024-09-W04"
    again = client.post("/api/v1/items", json={**body, "id": created["id"]}, headers=auth)
    assert again.status_code == 409 and again.json()["item"]["title"] == "새 소식"
    assert "[새 소식](https://example.org/news/1)" in _readme(db)
    url = f"/api/v1/items/{created['id']}"
    assert client.delete(url, headers=auth).status_code == 428
    assert client.delete(url, headers={**auth, "If-Match": '"7"'}).status_code == 409
    assert client.delete(url, headers={**auth, "If-Match": '"1"'}).status_code == 204
    assert client.get(url).status_code == 404
    assert client.delete(url, headers={**auth, "If-Match": '"1"'}).status_code == 404


def test_search(client: TestClient) -> None:
    r = client.get("/api/v1/search", params={"q": "추론", "limit": 3})
    body = r.json()
    assert r.status_code == 200 and body["total"] > 3 and len(body["hits"]) == 3
    assert all("추론" in json.dumps(h["item"], ensure_ascii=False) for h in body["hits"])
    assert client.get("/api/v1/search", params={"q": "LoRA", "kind": "paper"}).json()["hits"]
    assert client.get("/api/v1/search").status_code == 422


# --- weeks ----------------------------------------------------------------------------------


def test_weeks_and_their_order(client: TestClient, db: Path, auth: dict[str, str]) -> None:
    weeks = client.get("/api/v1/weeks").json()
    assert weeks[0]["key"] == "2024-09-W04" and sum(w["count"] for w in weeks) == 619
    week = client.get("/api/v1/weeks/2024-09-W03").json()
    ids = [x["item"]["id"] for x in week["items"]]
    assert len(ids) == 24
    before = _readme(db)
    titles = [x["item"]["title"] for x in week["items"]]
    new = [ids[-1], *ids[:-1]]
    r = client.put("/api/v1/weeks/2024-09-W03/order", json={"ids": new}, headers=auth)
    assert r.status_code == 200 and [x["item"]["id"] for x in r.json()["items"]] == new
    after = _readme(db)
    assert after != before and len(after) == len(before)
    assert after.index(titles[-1]) < after.index(titles[0])  # the last item now leads its week
    wrong = client.put("/api/v1/weeks/2024-09-W03/order", json={"ids": new[1:]}, headers=auth)
    assert wrong.status_code == 409 and sorted(wrong.json()["ids"]) == sorted(ids)
    assert client.get("/api/v1/weeks/not-a-week").status_code == 400
    assert client.get("/api/v1/weeks/2030-01-W01").json()["items"] == []


# --- the inbox ------------------------------------------------------------------------------


def _candidates(db: Path) -> list[str]:
    titles = ["Reasoning agents with tools", "A survey of KV cache compression"]
    rows = [(f"https://example.org/paper/{n}",) * 2 + (title,) for n, title in enumerate(titles)]
    found = insert_candidates(db, rows, source="test", week="2024-09-W04", first_seen="2024-09-25T00:00:00Z")
    return [c.id for c in found]


def test_candidates_need_a_user_and_decisions_are_logged(client: TestClient, db: Path, auth: dict[str, str]) -> None:
    ids = _candidates(db)
    assert client.get("/api/v1/candidates").status_code == 401
    listed = client.get("/api/v1/candidates", headers=auth).json()
    assert {c["id"] for c in listed} == set(ids) and all(c["score"] is not None for c in listed)
    r = client.post("/api/v1/candidates/decide", json={"ids": [ids[0]], "action": "reject"}, headers=auth)
    assert r.status_code == 200 and r.json()[0]["outcome"] == "rejected"
    r = client.post("/api/v1/candidates/decide", json={"ids": [ids[1], "zzzz"], "action": "snooze"}, headers=auth)
    assert [d["outcome"] for d in r.json()] == ["snoozed", "error"]
    assert client.get("/api/v1/candidates", headers=auth).json() == []
    history = client.get("/api/v1/history", headers=auth).json()
    assert [h["action"] for h in history[:2]] == ["snooze", "reject"] and history[0]["user"] == "ann"


# --- adding links ---------------------------------------------------------------------------


def test_add_a_link_through_the_guard_and_refuse_it_twice(
    tmp_path: Path, db: Path, auth: dict[str, str], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/blog/scaling").respond_with_data(
        (FIXTURES / "lab-blog-post.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    url = httpserver.url_for("/blog/scaling")
    with TestClient(create_app(web_settings(tmp_path, db, allow_private_urls=True))) as c:
        [preview] = c.post("/api/v1/add/preview", json={"urls": [url]}, headers=auth).json()
        assert preview["item"]["title"] == "Scaling test-time compute for small models"
        assert preview["item"]["week"]["key"] == "2024-09-W02"  # the page's published date
        with Store(db) as store:
            assert store.count() == 619  # a preview saves nothing
        [added] = c.post("/api/v1/add", json={"urls": [url], "kind": "dev"}, headers=auth).json()
        assert added["status"] == "added" and added["item"]["kind"] == "dev"
        [again] = c.post("/api/v1/add", json={"urls": [url]}, headers=auth).json()
        assert again["status"] == "duplicate" and again["duplicate_of"] == added["item"]["id"]
        [dup] = c.post("/api/v1/add/preview", json={"urls": [url]}, headers=auth).json()
        assert dup["duplicate_of"] == added["item"]["id"] and "already in the archive" in dup["warnings"][0]
        history = c.get("/api/v1/history", params={"item_id": added["item"]["id"]}, headers=auth).json()
        assert [h["action"] for h in history] == ["create"]
    with Store(db) as store:
        assert store.count() == 620


# --- drafting, linting ----------------------------------------------------------------------


def _lora_item(db: Path) -> Item:
    item = Item(
        id="lora00000001",
        kind=Kind.PAPER,
        orgs=["Microsoft"],
        title="LoRA",
        url=LORA,
        week=Week(year=2024, month=9, weeks=[4]),
    )
    with Store(db) as store:
        store.save_item(item)
    return item


def _bullets(sent: list[dict[str, Any]]) -> list[Bullet]:
    """Bullets as the API sends them, without the `links` it computes."""
    return [Bullet(text=b["text"], children=_bullets(b.get("children", []))) for b in sent]


def test_draft_with_the_configured_llm(
    tmp_path: Path, db: Path, auth: dict[str, str], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_arxiv(httpserver)
    endpoint = Endpoint(httpserver, ["good"])
    use_endpoint(monkeypatch, endpoint)
    http = arxiv_http(httpserver)
    item = _lora_item(db)
    with TestClient(create_app(web_settings(tmp_path, db, allow_private_urls=True, http=http))) as c:
        r = c.post(f"/api/v1/items/{item.id}/draft", headers=auth)
    assert r.status_code == 200, r.text
    bullets = r.json()["bullets"]
    assert bullets[0]["text"].startswith("full fine-tuning은 모델이 커질수록") and len(endpoint.requests) == 1
    with Store(db) as store:
        assert store.get(item.id).bullets == []  # a draft is not saved: the curator edits it first
    provenance = SummaryProvenance.model_validate(r.json()["provenance"])
    assert (provenance.method, provenance.model, provenance.prompt_version) == (
        "llm",
        "gpt-4o-mini-2024-07-18",
        PROMPT_VERSION,
    )
    assert provenance.endpoint_host == endpoint.base_url.split("//")[1].split("/")[0]
    assert provenance.source_kind == "arxiv-html" and len(provenance.source_sha256) == 64
    assert provenance.bullets_sha256 == bullets_digest(_bullets(r.json()["bullets"]))
    assert provenance.edited is False


def test_a_put_item_keeps_the_drafts_provenance_and_its_edited_flag(
    client: TestClient, db: Path, auth: dict[str, str]
) -> None:
    item = _lora_item(db)
    bullets = [
        {"text": "저차원 행렬 두 개만 학습해 미세조정 비용을 줄임"},
        {"text": "추론 지연 없이 원래 가중치에 합침"},
    ]
    drafted = {
        "method": "llm",
        "model": "gpt-4o-mini-2024-07-18",
        "endpoint_host": "127.0.0.1:8080",
        "prompt_version": PROMPT_VERSION,
        "source_url": "https://arxiv.org/html/2106.09685",
        "source_kind": "arxiv-html",
        "source_sha256": "0" * 64,
        "drafted_at": "2024-09-27T10:00:00Z",
        "bullets_sha256": bullets_digest(_bullets(bullets)),
        "edited": False,
    }
    url = f"/api/v1/items/{item.id}"
    read = client.get(url)
    body = read.json()["item"]
    body = {**body, "bullets": bullets, "meta": {**body.get("meta", {}), "summary_provenance": drafted}}
    r = client.put(url, json=body, headers={**auth, "If-Match": read.headers["etag"]})
    assert r.status_code == 200, r.text
    assert r.json()["item"]["meta"]["summary_provenance"] == drafted
    with Store(db) as store:
        assert store.get(item.id).meta.summary_provenance == SummaryProvenance.model_validate(drafted)

    changed = {**r.json()["item"], "bullets": [bullets[0], {"text": "추론 지연 없이 합침"}]}
    r = client.put(url, json=changed, headers={**auth, "If-Match": r.headers["etag"]})
    assert r.status_code == 200, r.text
    with Store(db) as store:
        assert store.get(item.id).meta.summary_provenance == SummaryProvenance.model_validate(
            {**drafted, "edited": True}
        )


def test_draft_offline_without_an_llm(
    tmp_path: Path, db: Path, auth: dict[str, str], httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_chat_endpoint(monkeypatch)
    item = Item(
        id="offline00001",
        kind=Kind.DEV,
        title="Scaling test-time compute",
        url="https://unreachable.invalid/post",
        week=Week(year=2024, month=9, weeks=[4]),
    )
    item.meta.abstract = (
        "We show that a 1B model matches a 7B model on math benchmarks. "
        "The model searches over its own reasoning steps with a verifier. "
        "Compute spent at test time is traded for parameters."
    )
    with Store(db) as store:
        store.save_item(item)
    with TestClient(create_app(web_settings(tmp_path, db))) as c:
        r = c.post(f"/api/v1/items/{item.id}/draft", headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["bullets"]  # from the stored abstract: the page could not be fetched
        provenance = r.json()["provenance"]
        assert (provenance["method"], provenance["source_kind"], provenance["model"]) == (
            "extractive",
            "stored-abstract",
            None,
        )
        assert c.post("/api/v1/items/nope/draft", headers=auth).status_code == 404


def test_lint_an_items_markdown(client: TestClient, auth: dict[str, str]) -> None:
    text = "- 📜 [Google] [A paper](https://arxiv.org/pdf/2401.00001v2)\n    - 좋은 결과를 보였습니다.\n"
    findings = client.post("/api/v1/lint", json={"markdown": text}, headers=auth).json()["findings"]
    assert {(f["rule"], f["line"]) for f in findings} == {("arxiv-link", 1), ("polite-ending", 2)}


def test_lint_lines_count_from_the_items_line() -> None:
    text = "\n\n- 📜 [Org] [T](https://example.org/x)\n  - 두 칸 들여쓴 요약 제안\n"
    findings = service.lint_markdown(text)
    assert [(f.rule, f.line) for f in findings] == [("indent", 4)]


# --- the item's Markdown, both ways ----------------------------------------------------------


def test_item_markdown_round_trip_keeps_an_untouched_item(seed_doc: Document) -> None:
    for item in seed_doc.items[:80]:
        assert service.item_from_markdown(service.item_markdown(item), item) is item


def test_item_from_markdown_reads_an_edit_and_keeps_the_rest(seed_doc: Document) -> None:
    item = next(i for i in seed_doc.items if i.bullets)
    item = item.model_copy(update={"tags": ["kept"]})
    text = service.item_markdown(item).replace(item.bullets[0].text, "고친 요약")
    edited = service.item_from_markdown(text, item)
    assert edited.bullets[0].text == "고친 요약" and edited.tags == ["kept"] and edited.week == item.week
    assert edited.id == item.id and not edited.unchanged()


@pytest.mark.parametrize(
    ("text", "line"),
    [("", 1), ("plain words", 1), ("- 📜 [A](https://a.example)\n- 📜 [B](https://b.example)\n", 2)],
)
def test_item_from_markdown_refuses_what_is_not_one_item(seed_doc: Document, text: str, line: int) -> None:
    with pytest.raises(InputError) as caught:
        service.item_from_markdown(text, seed_doc.items[0])
    assert caught.value.line == line


# --- publishing -----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def test_publish_writes_the_exports_and_commits_them(tmp_path: Path, db: Path, auth: dict[str, str]) -> None:
    repo = tmp_path / "digest"
    repo.mkdir()
    _git(repo, "init", "-q")
    settings = web_settings(tmp_path, db, site_dir=repo / "site", export_dir=repo, git_repo=repo)
    with TestClient(create_app(settings)) as c:
        r = c.post("/api/v1/publish", headers=auth)
        assert r.status_code == 200, r.text
        report = r.json()
        assert report["items"] == 619 and report["git"] == "committed" and report["commit"]
        assert (repo / "README.md").read_text(encoding="utf-8") == _readme(db)
        assert json.loads((repo / "items.json").read_text(encoding="utf-8"))["items"]
        assert (repo / "site" / "index.html").is_file()
        log = _git(repo, "log", "--format=%an|%s")
        assert log.startswith("ann|publish: 619 items")
        assert "site/index.html" in _git(repo, "show", "--name-only", "--format=", "HEAD")
        again = c.post("/api/v1/publish", headers=auth).json()
        assert again["git"] == "nothing to commit" and again["commit"] is None
        history = c.get("/api/v1/history", headers=auth).json()
    assert [h["action"] for h in history[:2]] == ["publish", "publish"]


def test_publish_refuses_to_write_outside_its_repository(tmp_path: Path, db: Path, auth: dict[str, str]) -> None:
    repo = tmp_path / "digest"
    repo.mkdir()
    _git(repo, "init", "-q")
    with TestClient(create_app(web_settings(tmp_path, db, git_repo=repo))) as c:
        r = c.post("/api/v1/publish", headers=auth)
    assert r.status_code == 400 and "not inside the git repository" in r.json()["detail"]


# --- the store's part -----------------------------------------------------------------------


def test_versions_count_every_change_of_content(tmp_path: Path) -> None:
    with Store(tmp_path / "v.db") as store:
        doc = parse(SAMPLE_DIGEST.read_text(encoding="utf-8"))
        store.import_document(doc)
        item = doc.items[0]
        assert store.get_versioned(item.id)[1] == 1
        store.import_document(doc)  # the same again: nothing changed
        assert store.get_versioned(item.id)[1] == 1
        edited = item.model_copy(update={"bullets": [Bullet(text="바뀐 요약")]})
        assert store.save_item(edited) == 2
        store.import_document(doc)  # the file says otherwise: an import is a change too
        assert store.get_versioned(item.id)[1] == 3


def test_migration_3_upgrades_an_inbox_era_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    two = tuple(m for m in migrations_module.MIGRATIONS if m.number <= 2)
    monkeypatch.setattr("papernews.store.db.MIGRATIONS", two)
    monkeypatch.setattr("papernews.store.db.LATEST", 2)
    with Store(path) as store:
        store.import_document(parse(SAMPLE_DIGEST.read_text(encoding="utf-8")))
        assert store.schema_version == 2
    monkeypatch.undo()
    with Store(path) as store:
        assert store.schema_version >= 3
        versions = {v for _, v in store.week_items("2024-09-W03")} | {
            int(r[0]) for r in store.conn.execute("SELECT DISTINCT version FROM items")
        }
        assert versions == {1}
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"users", "sessions", "api_tokens", "audit_log"} <= tables
        secret = store.conn.execute("SELECT value FROM meta WHERE key = 'web_secret'").fetchone()[0]
        assert len(secret) == 64
    assert (tmp_path / "old.db.bak-v2").exists()


# --- the OpenAPI document --------------------------------------------------------------------


def test_every_api_operation_says_what_it_returns(client: TestClient) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    operations: list[tuple[str, str, dict[str, Any]]] = [
        (method, path, op) for path, ops in doc["paths"].items() for method, op in ops.items()
    ]
    assert len(operations) >= 18 and all(path.startswith("/api/v1/") for _, path, _ in operations)
    for method, path, op in operations:
        codes = set(op["responses"])
        assert any(c.startswith("2") for c in codes), (method, path)
        if method in {"post", "put", "patch", "delete"}:
            assert {"401", "403"} <= codes, (method, path)
        if method in {"put", "patch", "delete"} and "{item_id}" in path:
            assert {"409", "428"} <= codes, (method, path)


# --- settings and the serve command --------------------------------------------------------


def test_web_settings_from_the_config_table(tmp_path: Path) -> None:
    section = {"site_dir": "public", "git_repo": ".", "secure_cookies": True, "base_url": "https://example.org/news"}
    settings = WebSettings.from_config(tmp_path / "a.db", section, trust_proxy=True, site_dir=None)
    assert settings.site_dir == Path("public") and settings.git_repo == Path(".")
    assert settings.secure_cookies and settings.trust_proxy and settings.base_url == "https://example.org/news/"
    assert not settings.http_settings().allow_private or settings.allow_private_urls
    with pytest.raises(InputError, match="unknown keys: colour"):
        WebSettings.from_config(tmp_path / "a.db", {"colour": "blue"})
    with pytest.raises(InputError, match="secure_cookies must be a boolean"):
        WebSettings.from_config(tmp_path / "a.db", {"secure_cookies": "yes"})
    with pytest.raises(InputError, match="base_url must be an http"):
        WebSettings.from_config(tmp_path / "a.db", {}, base_url="ftp://example.org/")


def test_papernews_serve_answers(tmp_path: Path, db: Path) -> None:
    port = free_port()
    exe = Path(sys.executable).with_name("papernews")
    proc = subprocess.Popen(
        [str(exe), "--db", str(db), "serve", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/v1/weeks", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()[0]["key"] == "2024-09-W04"
        assert "server" not in r.headers  # uvicorn's banner is off
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0].decode()
    assert f"on http://127.0.0.1:{port}/" in output
