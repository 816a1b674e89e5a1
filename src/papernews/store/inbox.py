"""The inbox's tables (migration 2): candidates, decisions and where each source stopped.

Kept beside `Store` rather than inside it, as functions over a `Store`, so the archive's class
stays about items; every write is inside `Store.transaction()` like the rest of the archive.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papernews.errors import InputError, NotFoundError
from papernews.inbox.model import STATUSES, InboxCandidate, Status
from papernews.store.db import Store, _now

_COLUMNS = (
    "id", "identity", "url", "source", "sources", "title", "abstract", "authors", "categories", "published",
    "week", "upvotes", "org", "first_seen", "status", "decided_at", "snoozed_until", "item_id",
)  # fmt: skip
_JSON = frozenset({"sources", "authors", "categories"})


@dataclass(frozen=True)
class Cursor:
    source: str
    cursor: str | None
    fetched_at: str
    found: int
    added: int
    error: str | None


def _values(c: InboxCandidate) -> dict[str, object]:
    row = {name: getattr(c, name) for name in _COLUMNS}
    for name in _JSON:
        row[name] = json.dumps(row[name], ensure_ascii=False)
    return row


def _candidate(row: sqlite3.Row) -> InboxCandidate:
    data = {name: row[name] for name in _COLUMNS}
    for name in _JSON:
        data[name] = json.loads(data[name] or "[]")
    return InboxCandidate(**data)


def insert_candidates(store: Store, candidates: Iterable[InboxCandidate]) -> int:
    """New candidates (their identity must not be in the inbox yet); how many were written."""
    rows = [_values(c) for c in candidates]
    if not rows:
        return 0
    sql = f"INSERT INTO inbox_candidates ({', '.join(_COLUMNS)}) VALUES ({', '.join(':' + c for c in _COLUMNS)})"
    with store.transaction() as conn:
        conn.executemany(sql, rows)
    return len(rows)


def merge_found(store: Store, updates: Sequence[tuple[str, str, int | None]]) -> None:
    """(candidate id, source, upvotes) of things found again: the source is noted, upvotes kept at their highest."""
    if not updates:
        return
    with store.transaction() as conn:
        for cid, source, upvotes in updates:
            row = conn.execute("SELECT sources, upvotes FROM inbox_candidates WHERE id = ?", (cid,)).fetchone()
            if row is None:
                continue
            sources = json.loads(row["sources"] or "[]")
            if source not in sources:
                sources.append(source)
            best = max((v for v in (row["upvotes"], upvotes) if v is not None), default=None)
            conn.execute(
                "UPDATE inbox_candidates SET sources = ?, upvotes = ? WHERE id = ?",
                (json.dumps(sources, ensure_ascii=False), best, cid),
            )


def all_candidates(store: Store) -> list[InboxCandidate]:
    return [_candidate(r) for r in store.conn.execute("SELECT * FROM inbox_candidates ORDER BY rowid")]


def waiting(
    store: Store,
    *,
    today: str,
    week: str | None = None,
    source: str | None = None,
    statuses: Sequence[Status] = ("new",),
) -> list[InboxCandidate]:
    """Candidates with one of `statuses`; snoozed ones come back as waiting once their day has come."""
    wanted = set(statuses)
    sql = "SELECT * FROM inbox_candidates WHERE 1 = 1"
    args: list[object] = []
    if week:
        sql += " AND week = ?"
        args.append(week)
    if source:
        sql += " AND (source = ? OR sources LIKE ?)"
        args.extend([source, f'%"{source}"%'])
    out: list[InboxCandidate] = []
    for row in store.conn.execute(sql + " ORDER BY rowid", args):
        c = _candidate(row)
        awake = c.status == "snoozed" and (c.snoozed_until or "") <= today
        if c.status in wanted or ("new" in wanted and awake):
            out.append(c)
    return out


def resolve(store: Store, ref: str) -> InboxCandidate:
    """A candidate by id or a unique id prefix (as `show` takes item ids)."""
    ref = ref.strip().lower()
    if not ref:
        raise InputError("an empty candidate id")
    rows = store.conn.execute(
        "SELECT * FROM inbox_candidates WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
        (ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
    ).fetchall()
    if not rows:
        raise NotFoundError(f"no inbox candidate with id {ref!r}")
    if len(rows) > 1:
        raise InputError(f"{ref!r} is the start of several candidate ids; give more of it")
    return _candidate(rows[0])


def decide(
    store: Store, cid: str, status: Status, *, snoozed_until: str | None = None, item_id: str | None = None
) -> None:
    if status not in STATUSES:
        raise InputError(f"unknown status {status!r}")
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE inbox_candidates SET status = ?, decided_at = ?, snoozed_until = ?, item_id = ? WHERE id = ?",
            (status, None if status == "new" else _now(), snoozed_until, item_id, cid),
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"no inbox candidate with id {cid!r}")


def get_cursor(store: Store, source: str) -> Cursor | None:
    row = store.conn.execute("SELECT * FROM source_cursors WHERE source = ?", (source,)).fetchone()
    if row is None:
        return None
    return Cursor(row["source"], row["cursor"], row["fetched_at"], row["found"], row["added"], row["error"])


def save_cursor(store: Store, source: str, cursor: str | None, *, found: int, added: int, error: str | None) -> None:
    """Where `source` stopped; a failed fetch keeps the cursor it had, so the next one starts there again."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO source_cursors (source, cursor, fetched_at, found, added, error) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(source) DO UPDATE SET cursor = COALESCE(excluded.cursor, cursor),"
            " fetched_at = excluded.fetched_at, found = excluded.found, added = excluded.added, error = excluded.error",
            (source, cursor, _now(), found, added, error),
        )
