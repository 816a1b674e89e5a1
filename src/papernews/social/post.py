"""Posting a drafted thread: resume what earlier runs posted, record every post before the next,
and undo a half-posted thread unless told to keep it.

A run walks the thread in order. A post the store already has as `posted` is not sent again:
its remote id becomes the parent of the next reply (a rerun after a failure resumes there). A
post is written `sending` before the platform is asked and `posted` with its id right after,
so a crash between two posts never loses an id. When a post fails, the thread is rolled back
(every post of it on that target deleted, newest first; a post already gone counts as
deleted) unless `keep_partial`: then the posts stay and a rerun goes on from the failed one.
A post whose request may have reached the platform (no answer) stays `sending`, and later runs
refuse to post that thread until the curator has checked the account (`forget_unknown`). A
thread whose items moved since it was posted (an item inserted in the week) is refused too:
resuming by position would post an item twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from papernews.social.draft import Thread
from papernews.social.errors import PostingError
from papernews.social.remote import Poster, Remote
from papernews.store import Store
from papernews.store import social as records

PostStatus = Literal["posted", "already-posted", "deleted", "failed", "unknown", "not-sent"]
Outcome = Literal["posted", "already-posted", "rolled-back", "rollback-incomplete", "partial", "failed"]


@dataclass
class PostResult:
    position: int
    status: PostStatus
    remote_id: str | None = None
    note: str | None = None


@dataclass
class ThreadReport:
    thread_key: str
    target: str
    outcome: Outcome = "posted"
    results: list[PostResult] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in ("posted", "already-posted")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def post_thread(
    store: Store,
    thread: Thread,
    poster: Poster,
    *,
    keep_partial: bool = False,
    forget_unknown: bool = False,
    notify: Callable[[str], None] | None = None,
) -> ThreadReport:
    """Post `thread` through `poster` (see the module's docstring); PostingError before anything is
    sent when an earlier run left a post in an unknown state."""
    say = notify or (lambda _message: None)
    key, target = thread.key, poster.target
    if forget_unknown:
        forgotten = records.forget_unknown(store, key, target)
        if forgotten:
            say(f"{target}: posts {', '.join(map(str, forgotten))} marked as not posted")
    known = {r.position: r for r in records.thread_posts(store, key, target)}
    unknown = sorted(p for p, r in known.items() if r.status == "sending")
    if unknown:
        raise PostingError(
            f"{target}: post {', '.join(map(str, unknown))} of {key} may have been posted (an earlier run got no"
            " answer). Check the account, delete it there if it exists, then rerun with --forget-unknown"
        )
    by_position = {p.position: p for p in thread.posts}
    moved = [
        r.position
        for r in known.values()
        if r.status == "posted" and r.position in by_position and r.item_id != by_position[r.position].item_id
    ]
    if moved:
        raise PostingError(
            f"{target}: {key} has changed since it was posted (post {', '.join(str(p + 1) for p in sorted(moved))}"
            " was about another item); nothing sent. Post the new items as their own thread: papernews thread ID..."
        )
    report = ThreadReport(key, target)
    root: Remote | None = None
    parent: Remote | None = None
    failed_at: int | None = None
    for post in thread.posts:
        earlier = known.get(post.position)
        sha = text_sha256(post.text)
        if earlier is not None and earlier.status == "posted" and earlier.remote_id:
            remote = Remote(earlier.remote_id, earlier.remote_cid)
            note = None if earlier.text_sha256 == sha else "posted earlier with other text; kept as it is"
            report.results.append(PostResult(post.position, "already-posted", remote.id, note))
        else:
            records.mark_sending(store, key, target, post.position, item_id=post.item_id, text_sha256=sha)
            try:
                remote = poster.create(post, parent=parent, root=root)
            except PostingError as exc:
                if exc.unknown:
                    records.note_unknown(store, key, target, post.position, str(exc))
                else:
                    records.mark_failed(store, key, target, post.position, str(exc))
                report.results.append(PostResult(post.position, "unknown" if exc.unknown else "failed", None, str(exc)))
                report.error = str(exc)
                failed_at = post.position
                break
            records.mark_posted(store, key, target, post.position, remote.id, remote.cid)
            report.results.append(PostResult(post.position, "posted", remote.id))
            say(f"{target}: posted {post.position + 1}/{len(thread.posts)} ({remote.id})")
        root = root or remote
        parent = remote
    if failed_at is None:
        posted_now = any(r.status == "posted" for r in report.results)
        report.outcome = "posted" if posted_now else "already-posted"
        return report
    report.results += [PostResult(p.position, "not-sent") for p in thread.posts if p.position > failed_at]
    live = [r for r in report.results if r.status in ("posted", "already-posted")]
    if not live:
        report.outcome = "failed"
    elif keep_partial:
        report.outcome = "partial"
    else:
        report.outcome = _roll_back(store, thread, poster, report, say)
    return report


def _roll_back(store: Store, thread: Thread, poster: Poster, report: ThreadReport,
               say: Callable[[str], None]) -> Outcome:  # fmt: skip
    """Delete the thread's live posts, newest first; stop at the first delete that fails (the
    posts before it stay recorded as posted, so a rerun resumes after them)."""
    by_position = {r.position: r for r in report.results}
    for record in sorted(records.thread_posts(store, thread.key, poster.target), key=lambda r: -r.position):
        if record.status != "posted" or not record.remote_id:
            continue
        try:
            poster.delete(Remote(record.remote_id, record.remote_cid))
        except PostingError as exc:
            if exc.status != 404:  # already gone counts as deleted
                report.error = f"{report.error}; rollback stopped: {exc}"
                return "rollback-incomplete"
        records.mark_deleted(store, thread.key, poster.target, record.position)
        result = by_position.get(record.position)
        if result is not None:
            result.status = "deleted"
        say(f"{poster.target}: deleted {record.position + 1}/{len(thread.posts)} ({record.remote_id})")
    return "rolled-back"
