"""The audit log (migration 3): who changed what, when, as the web app's history page shows it.

A writer calls `record` inside the transaction of the change it describes, so a change and its
entry land together or not at all (`Store.transaction` joins an open transaction).
"""

from __future__ import annotations

from dataclasses import dataclass

from papernews.store.db import Store, _now


@dataclass(frozen=True)
class AuditEntry:
    at: str  # ISO datetime, UTC (`2024-11-29T18:59:59Z`)
    user: str
    action: str  # create, edit, delete, add, accept, reject, snooze, reorder, publish
    item_id: str | None
    detail: str


def record(store: Store, *, user: str, action: str, item_id: str | None = None, detail: str = "") -> None:
    with store.transaction(revision=False) as conn:
        conn.execute(
            "INSERT INTO audit_log (at, user, action, item_id, detail) VALUES (?, ?, ?, ?, ?)",
            (_now(), user, action, item_id, detail),
        )


def entries(store: Store, *, item_id: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """The newest entries first; only those of one item when `item_id` is given."""
    sql = "SELECT at, user, action, item_id, detail FROM audit_log"
    args: list[object] = []
    if item_id is not None:
        sql += " WHERE item_id = ?"
        args.append(item_id)
    sql += " ORDER BY id DESC LIMIT ?"
    args.append(max(0, limit))
    rows = store.conn.execute(sql, args)
    return [AuditEntry(r["at"], r["user"], r["action"], r["item_id"], r["detail"]) for r in rows]
