"""Posting threads to local stand-ins of the X API and a Bluesky PDS over real HTTP: order and
reply chains, OAuth 1.0a signatures, rerun idempotency, rollback, keep-partial, posts left in
an unknown state, and the `thread --post` command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from papernews.formats.markdown import Document
from papernews.model import Item, Week
from papernews.social.bluesky import BlueskyClient
from papernews.social.draft import DraftOptions, Thread, draft_thread
from papernews.social.errors import PostingError
from papernews.social.length import BLUESKY_RULES, X_RULES
from papernews.social.post import post_thread
from papernews.social.settings import BlueskyCredentials, XCredentials
from papernews.social.x_api import XClient
from papernews.store import Store
from papernews.store.social import thread_posts
from social_support import BSKY_HANDLE, BSKY_PASSWORD, X_ENV, FakeBluesky, FakeX, run, seed_archive, use_config

WEEK = Week.parse_key("2024-09-W03")


@pytest.fixture(scope="module")
def _running() -> Iterator[HTTPServer]:
    """Threaded, so a request left hanging does not hold up the rollback's deletes; one per module
    (stopping a threaded server waits for its poll interval)."""
    s = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    s.start()
    yield s
    s.stop()


@pytest.fixture
def server(_running: HTTPServer) -> Iterator[HTTPServer]:
    _running.clear()
    yield _running
    _running.clear()


@pytest.fixture
def items(seed_doc: Document) -> list[Item]:
    return [it for it in seed_doc.items if it.week is not None and it.week.covers(WEEK)][:4]


@pytest.fixture
def x_thread(items: list[Item]) -> Thread:
    return draft_thread(items, X_RULES, DraftOptions(), week=WEEK)


def _x(fake: FakeX, timeout: float = 5.0) -> XClient:
    return XClient(XCredentials.from_env(X_ENV), api_base=fake.base_url, timeout=timeout)


def _statuses(store: Store, thread: Thread, target: str = "x") -> list[str]:
    return [r.status for r in thread_posts(store, thread.key, target)]


def test_a_thread_is_posted_in_order_as_a_reply_chain(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server)
    report = post_thread(store, x_thread, _x(fake))
    assert report.outcome == "posted" and report.ok
    chain = fake.thread()
    assert [t.text for t in chain] == [p.text for p in x_thread.posts]
    assert chain[0].reply_to is None
    assert all(t.reply_to == chain[n].id for n, t in enumerate(chain[1:]))
    records = thread_posts(store, x_thread.key, "x")
    assert [(r.position, r.status, r.remote_id) for r in records] == [(n, "posted", t.id) for n, t in enumerate(chain)]
    assert all(r.posted_at and r.text_sha256 for r in records)
    assert [r.item_id for r in records] == [p.item_id for p in x_thread.posts]


def test_requests_are_signed_and_carry_no_secret_in_the_body(
    server: HTTPServer, store: Store, x_thread: Thread
) -> None:
    fake = FakeX(server)
    post_thread(store, x_thread, _x(fake))
    assert len(fake.requests) == len(x_thread.posts)  # every one passed the signature check
    for _method, _path, body in fake.requests:
        assert "s3cr3t" not in body


def test_a_wrong_secret_is_refused_by_the_signature_check(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server)
    wrong = XCredentials.from_env({**X_ENV, "PAPERNEWS_X_API_SECRET": "not-the-secret"})
    report = post_thread(store, x_thread, XClient(wrong, api_base=fake.base_url, timeout=5))
    assert report.outcome == "failed" and "HTTP 401" in (report.error or "")
    assert fake.live == {} and _statuses(store, x_thread) == ["failed"]


def test_a_rerun_after_success_posts_nothing(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server)
    post_thread(store, x_thread, _x(fake))
    again = post_thread(store, x_thread, _x(fake))
    assert again.outcome == "already-posted" and again.ok
    assert fake.creates == len(x_thread.posts)
    assert {r.status for r in again.results} == {"already-posted"}


def test_a_failed_reply_deletes_what_was_posted(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server, fail_creates={3: 503})
    report = post_thread(store, x_thread, _x(fake))
    assert report.outcome == "rolled-back" and not report.ok
    assert "HTTP 503" in (report.error or "")
    first, second = fake.created
    assert fake.deleted == [second.id, first.id]  # newest first
    assert fake.live == {}
    assert _statuses(store, x_thread) == ["deleted", "deleted", "failed"]
    assert [r.status for r in report.results] == ["deleted", "deleted", "failed", "not-sent", "not-sent"]
    # a rerun posts the whole thread anew
    again = post_thread(store, x_thread, _x(fake))
    assert again.outcome == "posted"
    assert [t.text for t in fake.thread()] == [p.text for p in x_thread.posts]
    assert _statuses(store, x_thread) == ["posted"] * 5


def test_keep_partial_keeps_the_posts_and_a_rerun_resumes(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server, fail_creates={3: 503})
    report = post_thread(store, x_thread, _x(fake), keep_partial=True)
    assert report.outcome == "partial"
    assert fake.deleted == [] and len(fake.live) == 2
    assert _statuses(store, x_thread) == ["posted", "posted", "failed"]
    again = post_thread(store, x_thread, _x(fake))
    assert again.outcome == "posted"
    assert [r.status for r in again.results] == ["already-posted", "already-posted", "posted", "posted", "posted"]
    chain = fake.thread()  # one chain: the resumed reply answers the last kept post
    assert [t.text for t in chain] == [p.text for p in x_thread.posts]
    assert fake.creates == 6  # five posts and the one refused, nothing twice


def test_a_post_without_answer_is_unknown_and_blocks_reruns(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server, hang_creates={2}, hang=1.5)
    report = post_thread(store, x_thread, _x(fake, timeout=0.5))
    assert report.outcome == "rolled-back"
    assert [r.status for r in report.results][:2] == ["deleted", "unknown"]
    assert "may have been carried out" in (report.error or "")
    assert _statuses(store, x_thread) == ["deleted", "sending"]
    with pytest.raises(PostingError, match=r"may have been posted.*--forget-unknown"):
        post_thread(store, x_thread, _x(fake))
    assert fake.creates == 2  # the refusal sent nothing
    # the curator deletes the stray reply by hand, then says so
    fake.live.clear()
    again = post_thread(store, x_thread, _x(fake), forget_unknown=True)
    assert again.outcome == "posted" and len(fake.thread()) == 5


def test_a_rollback_that_fails_stops_and_a_rerun_resumes(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server, fail_creates={4: 503}, fail_deletes={2: 429})
    report = post_thread(store, x_thread, _x(fake))
    assert report.outcome == "rollback-incomplete"
    assert "rollback stopped" in (report.error or "") and "HTTP 429" in (report.error or "")
    assert "the limit lifts at 2024-09-20 09:00 UTC" in (report.error or "")
    assert _statuses(store, x_thread) == ["posted", "posted", "deleted", "failed"]
    again = post_thread(store, x_thread, _x(fake))
    assert again.outcome == "posted"
    assert [t.text for t in fake.thread()] == [p.text for p in x_thread.posts]


def test_a_failed_main_post_leaves_nothing(server: HTTPServer, store: Store, x_thread: Thread) -> None:
    fake = FakeX(server, fail_creates={1: 403})
    report = post_thread(store, x_thread, _x(fake))
    assert report.outcome == "failed" and fake.live == {} and fake.deletes == 0


# --- Bluesky -------------------------------------------------------------------------------------


def _bsky(fake: FakeBluesky, password: str = BSKY_PASSWORD) -> BlueskyClient:
    return BlueskyClient(
        BlueskyCredentials(BSKY_HANDLE, password),
        service=fake.base_url,
        timeout=5,
        langs=("ko",),
        clock=lambda: "2024-09-20T09:00:00.000Z",
    )


def test_a_bluesky_thread_has_reply_refs_and_link_facets(server: HTTPServer, store: Store, items: list[Item]) -> None:
    fake = FakeBluesky(server)
    thread = draft_thread(items, BLUESKY_RULES, DraftOptions(), week=WEEK)
    report = post_thread(store, thread, _bsky(fake))
    assert report.outcome == "posted"
    assert fake.sessions == 1
    root, *replies = fake.created
    assert "reply" not in root.record and root.record["langs"] == ["ko"]
    parent = root
    for made, post in zip(replies, thread.posts[1:], strict=True):
        reply = made.record["reply"]
        assert reply["root"] == {"uri": root.uri, "cid": root.cid}
        assert reply["parent"] == {"uri": parent.uri, "cid": parent.cid}
        assert made.record["text"] == post.text
        (facet,) = made.record["facets"]
        data = post.text.encode("utf-8")
        label = data[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode("utf-8")
        assert label == post.pieces[-1].text and facet["features"][0]["uri"] == post.pieces[-1].url
        parent = made
    records = thread_posts(store, thread.key, "bluesky")
    assert [(r.remote_id, r.remote_cid) for r in records] == [(m.uri, m.cid) for m in fake.created]


def test_a_bluesky_failure_rolls_back_with_delete_record(server: HTTPServer, store: Store, items: list[Item]) -> None:
    fake = FakeBluesky(server, fail_creates={3: 500})
    thread = draft_thread(items, BLUESKY_RULES, DraftOptions(), week=WEEK)
    report = post_thread(store, thread, _bsky(fake))
    assert report.outcome == "rolled-back"
    assert fake.deleted == [fake.created[1].uri, fake.created[0].uri] and fake.live == {}
    assert _statuses(store, thread, "bluesky") == ["deleted", "deleted", "failed"]


def test_a_wrong_app_password_posts_nothing(server: HTTPServer, store: Store, items: list[Item]) -> None:
    fake = FakeBluesky(server)
    thread = draft_thread(items, BLUESKY_RULES, DraftOptions(), week=WEEK)
    report = post_thread(store, thread, _bsky(fake, password="wrong"))
    assert report.outcome == "failed"
    assert "HTTP 401: AuthenticationRequired: Invalid identifier or password" in (report.error or "")
    assert fake.created == []


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, seed_doc: Document) -> Path:
    return seed_archive(tmp_path / "archive.db", seed_doc)


@pytest.fixture
def configured(server: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[FakeX, FakeBluesky]:
    fake_x, fake_bsky = FakeX(server), FakeBluesky(server)
    use_config(
        monkeypatch,
        tmp_path / "papernews.toml",
        f'[site]\nbase_url = "https://news.example.org/"\n'
        f'[social]\ntargets = ["x", "bluesky"]\ntimeout = 5\n'
        f'[social.x]\napi_base = "{fake_x.base_url}"\n'
        f'[social.bluesky]\nservice = "{fake_bsky.base_url}"\nhandle = "{BSKY_HANDLE}"\n',
    )
    return fake_x, fake_bsky


def test_post_without_credentials_names_the_variables(db: Path, configured: tuple[FakeX, FakeBluesky]) -> None:
    fake_x, fake_bsky = configured
    code, _, err = run("thread", "--week", "2024-09-W03", "--post", db=db)
    assert code == 2
    flat = " ".join(err.split())
    for name in (*X_ENV, "PAPERNEWS_BLUESKY_APP_PASSWORD"):
        assert name in flat
    assert "nothing was posted" in flat
    assert fake_x.requests == [] and fake_bsky.created == []


def test_post_the_seed_week_to_both_targets(
    db: Path, configured: tuple[FakeX, FakeBluesky], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_x, fake_bsky = configured
    for name, value in X_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("PAPERNEWS_BLUESKY_APP_PASSWORD", BSKY_PASSWORD)
    code, out, err = run("thread", "--week", "2024-09-W03", "--post", "--json", db=db)
    assert code == 0, err
    threads = json.loads(out)
    assert [(t["target"], t["posting"]["outcome"]) for t in threads] == [("x", "posted"), ("bluesky", "posted")]
    assert len(fake_x.thread()) == 25 and len(fake_bsky.live) == 25
    for secret in (*X_ENV.values(), BSKY_PASSWORD):
        if "s3cr3t" in secret or secret == BSKY_PASSWORD:
            assert secret not in out + err
    code, out, err = run("thread", "--week", "2024-09-W03", "--post", db=db)
    assert code == 0
    assert "already posted (25 posts); nothing sent" in err
    assert fake_x.creates == 25 and fake_bsky.creates == 25


def test_post_failure_exits_1_and_keep_partial_keeps(
    db: Path, configured: tuple[FakeX, FakeBluesky], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_x, _ = configured
    fake_x.fail_creates = {5: 503}
    for name, value in X_ENV.items():
        monkeypatch.setenv(name, value)
    code, _, err = run("thread", "--week", "2024-09-W03", "--post", "-t", "x", "--keep-partial", db=db)
    assert code == 1
    assert "the posts so far are kept (--keep-partial)" in " ".join(err.split())
    assert len(fake_x.live) == 4
    code, _, err = run("thread", "--week", "2024-09-W03", "--post", "-t", "x", db=db)
    assert code == 0, err
    assert len(fake_x.thread()) == 25 and fake_x.creates == 26


def test_an_archive_of_schema_3_gains_the_social_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with Store(path) as s:
        s.conn.execute("DROP TABLE social_posts")
        s.conn.execute("DROP TABLE newsletter_sends")
        s.conn.execute("PRAGMA user_version = 3")
    with Store(path) as s:
        names = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"social_posts", "newsletter_sends"} <= names
        assert s.schema_version >= 4
    assert (tmp_path / "old.db.bak-v3").exists()


def test_a_thread_whose_items_moved_is_refused(server: HTTPServer, store: Store, items: list[Item]) -> None:
    fake = FakeX(server, fail_creates={3: 503})
    first = draft_thread(items[:3], X_RULES, DraftOptions(), week=WEEK)
    assert post_thread(store, first, _x(fake), keep_partial=True).outcome == "partial"
    changed = draft_thread([items[3], *items[:3]], X_RULES, DraftOptions(), week=WEEK)  # an item put first
    with pytest.raises(PostingError, match=r"has changed since it was posted \(post 2 was about another item\)"):
        post_thread(store, changed, _x(fake))
    assert fake.creates == 3
