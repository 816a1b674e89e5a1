"""Full-text search over the archive (FTS5, BM25) and the SQL of the list filters.

Ranking cost grows with the number of matches: FTS5 computes BM25 for every matching row
before it can sort (about 2.5 µs a row here), so a word found in 12,000 of 100,000 items
takes 30 ms to rank. A query matching more than `RANK_WINDOW` items is therefore ranked
among its newest `RANK_WINDOW` matches (rows are inserted oldest first, so the highest
rowids are the newest items), which keeps every search within a few milliseconds; the
results say so (`SearchResults.windowed`) and `window=None` (`search --all`) ranks all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

from papernews.errors import StoreError
from papernews.model import Item, Week
from papernews.store.tokens import match_expression

RANK_WINDOW = 1000  # a real digest (~850 items a year) reaches it only after years of one word
# Column weights: a match in the title counts five times one in a bullet, an org three times.
BM25 = "bm25(items_fts, 5.0, 3.0, 1.0)"


@dataclass
class SearchHit:
    item: Item
    score: float


@dataclass
class SearchResults:
    """The best hits, how many items match in all, and whether ranking was windowed."""

    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0
    windowed: bool = False

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, i: int) -> SearchHit:
        return self.hits[i]


def filter_sql(
    *,
    kind: str | None = None,
    org: str | None = None,
    week: Week | None = None,
    since: tuple[int, int] | None = None,
    until: tuple[int, int] | None = None,
) -> tuple[str, list[object]]:
    """A `WHERE` clause over `items i` (empty when no filter) and its parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if kind:
        clauses.append("i.kind = ?")
        params.append(kind)
    if org:
        clauses.append("EXISTS (SELECT 1 FROM item_orgs o WHERE o.item_rowid = i.rowid AND o.org = ?)")
        params.append(org)
    if week:
        clauses.append("i.year = ? AND i.month = ? AND i.week_first <= ? AND i.week_last >= ?")
        params.extend([week.year, week.month, week.weeks[-1], week.weeks[0]])
    if since:
        clauses.append("i.year * 100 + i.month >= ?")
        params.append(since[0] * 100 + since[1])
    if until:
        clauses.append("i.year * 100 + i.month <= ?")
        params.append(until[0] * 100 + until[1])
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def run_search(
    conn: sqlite3.Connection, query: str, where: str, params: list[object], *, limit: int, window: int | None
) -> SearchResults:
    expr = match_expression(query)
    if expr is None:
        return SearchResults()
    cond = ("AND " + where[len("WHERE ") :]) if where else ""
    base = f"FROM items_fts JOIN items i ON i.rowid = items_fts.rowid WHERE items_fts MATCH ? {cond}"
    if not where:
        base = "FROM items_fts WHERE items_fts MATCH ?"
    try:
        total = int(conn.execute(f"SELECT COUNT(*) {base}", [expr, *params]).fetchone()[0])
        lower: int | None = None
        if window is not None and total > window:
            lower = int(
                conn.execute(
                    f"SELECT items_fts.rowid {base} ORDER BY items_fts.rowid DESC LIMIT 1 OFFSET ?",
                    [expr, *params, window - 1],
                ).fetchone()[0]
            )
        rowid_cond = " AND items_fts.rowid >= ?" if lower is not None else ""
        inner = f"SELECT items_fts.rowid AS rid, {BM25} AS score {base}{rowid_cond} ORDER BY score LIMIT ?"
        args = [expr, *params, *([lower] if lower is not None else []), limit]
        rows = conn.execute(
            f"SELECT it.data, top.score FROM ({inner}) AS top JOIN items it ON it.rowid = top.rid ORDER BY top.score",
            args,
        ).fetchall()
    except sqlite3.OperationalError as e:  # should not happen: every term is quoted
        raise StoreError(f"search failed for {query!r}: {e}") from e
    hits = [SearchHit(Item.model_validate_json(r[0]), round(-float(r[1]), 4)) for r in rows]
    return SearchResults(hits=hits, total=total, windowed=lower is not None)
