"""The tables of migration 4: posts of social threads and newsletter sends.

Functions over a `Store` like `store/inbox.py`; every write is its own `Store.transaction()`,
so a post's remote id is on disk before the next post is sent (a crash loses at most the
one post in flight, which stays `sending` and is reported on the next run).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from papernews.store.db import Store, _now

POST_STATUSES = ("sending", "posted", "failed", "deleted")


@dataclass(frozen=True)
class PostRecord:
    thread_key: str
    target: str
    position: int
    item_id: str | None
    status: str
    remote_id: str | None
    remote_cid: str | None
    text_sha256: str
    posted_at: str | None
    updated_at: str
    error: str | None


def _record(row: sqlite3.Row) -> PostRecord:
    return PostRecord(**{k: row[k] for k in row.keys()})  # noqa: SIM118 (sqlite3.Row has no iteration of names)


def thread_posts(store: Store, thread_key: str, target: str) -> list[PostRecord]:
    rows = store.conn.execute(
        "SELECT * FROM social_posts WHERE thread_key = ? AND target = ? ORDER BY position", (thread_key, target)
    )
    return [_record(r) for r in rows]


def mark_sending(store: Store, thread_key: str, target: str, position: int, *, item_id: str | None,
                 text_sha256: str) -> None:  # fmt: skip
    """Before a post is sent: a row that says it may exist from now on."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO social_posts (thread_key, target, position, item_id, status, text_sha256, updated_at)"
            " VALUES (?, ?, ?, ?, 'sending', ?, ?)"
            " ON CONFLICT (thread_key, target, position) DO UPDATE SET item_id = excluded.item_id,"
            " status = 'sending', remote_id = NULL, remote_cid = NULL, text_sha256 = excluded.text_sha256,"
            " posted_at = NULL, updated_at = excluded.updated_at, error = NULL",
            (thread_key, target, position, item_id, text_sha256, _now()),
        )


def mark_posted(store: Store, thread_key: str, target: str, position: int, remote_id: str,
                remote_cid: str | None) -> None:  # fmt: skip
    now = _now()
    with store.transaction() as conn:
        conn.execute(
            "UPDATE social_posts SET status = 'posted', remote_id = ?, remote_cid = ?, posted_at = ?, updated_at = ?,"
            " error = NULL WHERE thread_key = ? AND target = ? AND position = ?",
            (remote_id, remote_cid, now, now, thread_key, target, position),
        )


def mark_failed(store: Store, thread_key: str, target: str, position: int, error: str) -> None:
    """The platform refused the post: it does not exist."""
    _set(store, thread_key, target, position, "failed", error)


def note_unknown(store: Store, thread_key: str, target: str, position: int, error: str) -> None:
    """The platform did not answer: the row stays `sending`, with why."""
    _set(store, thread_key, target, position, "sending", error)


def mark_deleted(store: Store, thread_key: str, target: str, position: int) -> None:
    _set(store, thread_key, target, position, "deleted", None)


def forget_unknown(store: Store, thread_key: str, target: str) -> list[int]:
    """The curator has checked: posts left `sending` do not exist. Their positions."""
    with store.transaction() as conn:
        rows = conn.execute(
            "SELECT position FROM social_posts WHERE thread_key = ? AND target = ? AND status = 'sending'",
            (thread_key, target),
        ).fetchall()
        conn.execute(
            "UPDATE social_posts SET status = 'failed', error = 'marked not posted by the curator', updated_at = ?"
            " WHERE thread_key = ? AND target = ? AND status = 'sending'",
            (_now(), thread_key, target),
        )
    return [int(r[0]) for r in rows]


def _set(store: Store, thread_key: str, target: str, position: int, status: str, error: str | None) -> None:
    with store.transaction() as conn:
        conn.execute(
            "UPDATE social_posts SET status = ?, error = ?, updated_at = ?"
            " WHERE thread_key = ? AND target = ? AND position = ?",
            (status, error, _now(), thread_key, target, position),
        )


# --- newsletter ------------------------------------------------------------------------------


def sent_recipients(store: Store, edition: str) -> set[str]:
    rows = store.conn.execute("SELECT recipient FROM newsletter_sends WHERE edition = ?", (edition,))
    return {str(r[0]) for r in rows}


def record_send(store: Store, edition: str, recipient: str, message_id: str) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO newsletter_sends (edition, recipient, message_id, sent_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (edition, recipient) DO UPDATE SET message_id = excluded.message_id,"
            " sent_at = excluded.sent_at",
            (edition, recipient.lower(), message_id, _now()),
        )
