"""Training data from the archive: its items are the curator's picks; the inbox says what was passed over.

The inbox tables are another part's (a store migration adds them): they are read only when present,
by column name, so a schema that differs a little still works and an archive without them still
trains (on picks alone, by similarity and priors).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from papernews.rank.taste import Candidate

if TYPE_CHECKING:
    from papernews.model import Item
    from papernews.store import Store

REJECTED = {"rejected", "dismissed", "skipped", "declined"}
ACCEPTED = {"accepted", "picked", "added", "archived"}


def item_candidate(item: Item) -> Candidate:
    """An archive item as a candidate: its abstract when known, else its summary bullets."""
    meta = item.meta
    text = meta.abstract or meta.description or " ".join(t for _, t in item.flat_bullets())
    return Candidate(
        id=item.id,
        title=item.title,
        abstract=text,
        authors=list(meta.authors),
        categories=list(meta.categories),
        published=meta.published,
        source=item.kind.value if item.kind else "item",
        upvotes=meta.stars if "huggingface" in (item.url or "") else None,
        org=", ".join(item.orgs) or None,
    )


def archive_training(store: Store) -> tuple[list[Candidate], list[Candidate], dict[str, str]]:
    """(picks, passed-over candidates, week of each pick) from the archive and its inbox."""
    positives: list[Candidate] = []
    labels: dict[str, str] = {}
    latest = ""
    for item in store.iter_items():
        positives.append(item_candidate(item))
        if item.week is not None:
            labels[item.id] = item.week.key
            latest = max(latest, item.week.key)
    negatives = inbox_negatives(store.conn, latest)
    picked = {p.id for p in positives}
    return positives, [n for n in negatives if n.id not in picked], labels


def inbox_negatives(conn: sqlite3.Connection, latest_week: str) -> list[Candidate]:
    """Rejected inbox candidates, and those of weeks before `latest_week` that were never accepted."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'inbox%'")]
    out: list[Candidate] = []
    for table in tables:
        cols = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
        if not {"status", "title"} <= cols:
            continue
        cur = conn.execute(f'SELECT * FROM "{table}"')
        names = [c[0] for c in cur.description]
        for row in cur:
            d = dict(zip(names, row, strict=True))
            status = str(d.get("status") or "").lower()
            week = str(d.get("week") or "")
            if status in REJECTED or (status not in ACCEPTED and week and latest_week and week < latest_week):
                out.append(_row_candidate(d))
    return out


def _row_candidate(d: dict[str, Any]) -> Candidate:
    def listed(v: Any) -> list[str]:
        if isinstance(v, str):
            try:
                v = json.loads(v)
            except ValueError:
                return [s.strip() for s in v.split(",") if s.strip()]
        return [str(x) for x in v] if isinstance(v, list) else []

    upvotes = d.get("upvotes")
    return Candidate(
        id=str(d.get("id") or d.get("candidate_id") or d.get("arxiv_id") or d.get("url") or d.get("title")),
        title=str(d.get("title") or ""),
        abstract=str(d.get("abstract") or d.get("summary") or ""),
        authors=listed(d.get("authors")),
        categories=listed(d.get("categories")),
        published=d.get("published"),
        source=str(d.get("source") or "inbox"),
        upvotes=int(upvotes) if isinstance(upvotes, int | float) else None,
        org=d.get("org"),
    )
