"""The SQLite archive: one file, WAL, foreign keys, numbered migrations, FTS5 search.

All storage goes through `Store`; nothing else in papernews imports `sqlite3`.
Every write is one transaction, so an import either lands whole or not at all.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from papernews.errors import NotFoundError, PapernewsError, StoreError
from papernews.formats.assemble import LayoutRow, assemble
from papernews.formats.markdown.document import Document, Raw
from papernews.model import Item, Week, walk_bullets, week_order, with_summary_edits
from papernews.store.migrations import LATEST, MIGRATIONS
from papernews.store.search import RANK_WINDOW, SearchResults, filter_sql, run_search
from papernews.store.tokens import index_text

Progress = Callable[[int, int], None]


def default_db_path() -> Path:
    return Path(os.environ.get("PAPERNEWS_DB", "papernews.db"))


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class ImportReport:
    """What an import did; `changed` is False when the archive is exactly as before."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_input: int = 0
    removed: int = 0
    layout_changed: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.layout_changed)


class VersionConflict(PapernewsError):
    """A write based on a version of an item that is no longer the stored one: someone else
    saved it in between. Carries what is stored now, so the writer can show it and re-apply."""

    def __init__(self, item_id: str, current: Item | None, version: int, expected: int) -> None:
        self.item_id, self.current, self.version, self.expected = item_id, current, version, expected
        what = "was deleted" if current is None else f"is at version {version}"
        super().__init__(f"item {item_id} {what}; the write was based on version {expected}")


class WeekChanged(PapernewsError):
    """A new order for a week that does not name exactly the week's items: the week changed
    since it was read. Carries the week's ids as stored now."""

    def __init__(self, week_key: str, current: list[str]) -> None:
        self.week_key, self.current = week_key, current
        super().__init__(f"the items of week {week_key} changed since they were read; reload and reorder again")


@dataclass
class Stats:
    total: int
    by_kind: dict[str, int]
    by_month: dict[str, int]
    top_orgs: list[tuple[str, int]]
    weeks: int
    bullets: int


_BUMP_REVISION_SQL = (
    "INSERT INTO meta (key, value) VALUES ('revision', '1')"
    " ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)


def _item_json(item: Item) -> str:
    # every write goes through here: a drafted summary whose bullets a person changed is marked edited
    return with_summary_edits(item).model_dump_json(exclude_computed_fields=True)


def _search_columns(item: Item) -> tuple[str, str, str]:
    body = [b.text for _, b in walk_bullets(item.bullets)]
    body.extend(x for x in (item.note, item.marker) if x)
    body.extend(item.tags)
    orgs = " ".join(item.orgs)
    return index_text(item.title), index_text(orgs), index_text("\n".join(body))


def _row_values(item: Item, position: int) -> dict[str, object]:
    w = item.week
    t, o, b = _search_columns(item)
    return {
        "id": item.id,
        "position": position,
        "kind": item.kind.value if item.kind else None,
        "title": item.title,
        "url": item.url,
        "year": w.year if w else None,
        "month": w.month if w else None,
        "week_first": w.weeks[0] if w else None,
        "week_last": w.weeks[-1] if w else None,
        "week_key": w.key if w else "",
        "n_bullets": len(walk_bullets(item.bullets)),
        "data": _item_json(item),
        "fts_title": t,
        "fts_orgs": o,
        "fts_body": b,
    }


_ROW_COLUMNS = (
    "id", "position", "kind", "title", "url", "year", "month", "week_first", "week_last", "week_key",
    "n_bullets", "data", "fts_title", "fts_orgs", "fts_body",
)  # fmt: skip
_INSERT_SQL = (
    f"INSERT INTO items ({', '.join(_ROW_COLUMNS)}, created_at, updated_at)"
    f" VALUES ({', '.join(':' + c for c in _ROW_COLUMNS)}, :now, :now)"
)
# every change of an item's content bumps its version (an edit, an import, a summary draft):
# the web app's optimistic locking compares it (`save_item(expected_version=...)`)
_UPDATE_SQL = (
    f"UPDATE items SET {', '.join(f'{c} = :{c}' for c in _ROW_COLUMNS)}, updated_at = :now, version = version + 1"
    " WHERE rowid = :rowid"
)


def _chrono(item: Item) -> tuple[int, int, int]:
    return week_order(item.week)


def _week_key(item: Item) -> str:
    return item.week.key if item.week else ""


class Store:
    """An archive in one SQLite file. Use as a context manager, or call `close()`."""

    CHECKPOINT_AFTER = 1000  # rows written by one import before the WAL is folded back

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"folder of the database does not exist: {self.path.parent}")
        try:
            # check_same_thread=False: the web app opens a Store per request in one worker thread
            # and may use it from another (FastAPI runs dependencies and endpoints in a pool); a
            # Store is still used by one request at a time, never concurrently.
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0, check_same_thread=False)
        except sqlite3.Error as e:
            raise StoreError(f"cannot open {self.path}: {e}") from e
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute("PRAGMA busy_timeout = 10000")
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise StoreError(f"{self.path}: cannot switch to WAL journal mode (got {mode})")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    # --- lifecycle -------------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > LATEST:
            raise StoreError(
                f"{self.path} has schema version {current}, newer than this papernews knows ({LATEST});"
                " upgrade papernews"
            )
        if current == LATEST:
            return
        if current > 0:
            self.backup(self.path.with_name(f"{self.path.name}.bak-v{current}"))
        for m in MIGRATIONS:
            if m.number <= current:
                continue
            with self.transaction():
                for statement in _split_sql(m.sql):
                    self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {m.number}")

    def backup(self, dest: Path) -> Path:
        """A consistent copy of the database (SQLite online backup), taken before a migration."""
        if dest.exists():
            shutil.copy2(dest, dest.with_name(dest.name + ".old"))
        target = sqlite3.connect(dest)
        try:
            self.conn.backup(target)
        finally:
            target.close()
        return dest

    @contextmanager
    def transaction(self, *, revision: bool = True) -> Iterator[sqlite3.Connection]:
        """Every write of the archive runs in one of these; one that changed any row also bumps
        the archive's revision (`revision()`), so readers can tell that something changed even
        within the same second (`updated_at` has one-second resolution).

        Inside another transaction of this Store, it joins that one (no nested BEGIN): the web
        app writes an item and its audit entry as one transaction from two functions. An error
        still rolls back the whole outer transaction, as it propagates through it.

        `revision=False`: a write that is not about the digest (a login session, a token's last
        use, an audit entry of a publish) leaves the revision alone, so caches of pages and the
        build's exports stay valid."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        before = self.conn.total_changes
        try:
            yield self.conn
            if revision and self.conn.total_changes != before:
                self.conn.execute(_BUMP_REVISION_SQL)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def revision(self) -> int:
        """A number that grows with every write transaction that changed the archive (0 before the first)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()
        return int(row[0]) if row else 0

    # --- writes ----------------------------------------------------------------------

    def import_document(self, doc: Document, *, prune: bool = False, progress: Progress | None = None) -> ImportReport:
        """Bring a parsed README into the archive: its items, and its layout for a lossless export."""
        layout: list[LayoutRow] = []
        items = doc.items
        report = ImportReport(warnings=[str(w) for w in doc.warnings])
        with self.transaction():
            ids = self._merge(items, report, carries_tags=False, prune=prune, progress=progress)
            pos = iter(ids)
            for node in doc.nodes:
                layout.append((node.text, None) if isinstance(node, Raw) else (None, next(pos)))
            report.layout_changed = self._replace_layout(layout)
        self._checkpoint_after(report)
        return report

    def import_items(self, items: list[Item], *, prune: bool = False, progress: Progress | None = None) -> ImportReport:
        """Bring items (from items.json or JSONL) into the archive; the README layout stays as it is."""
        report = ImportReport()
        with self.transaction():
            self._merge(items, report, carries_tags=True, prune=prune, progress=progress)
        self._checkpoint_after(report)
        return report

    def _checkpoint_after(self, report: ImportReport) -> None:
        """After a large import, fold the write-ahead log into the database and truncate it,
        rather than leave a WAL file as large as the archive until the next automatic checkpoint."""
        if report.added + report.updated + report.removed >= self.CHECKPOINT_AFTER:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def save_item(self, item: Item, *, expected_version: int | None = None) -> int:
        """Write one item (new or edited); its place in the order is kept. Returns its version.

        With `expected_version`, the write happens only if the stored item is still at that
        version (optimistic locking: the version read under `BEGIN IMMEDIATE` cannot change
        before the update); else `VersionConflict` with the stored item. `0` means "new": the
        id must not exist yet. An unchanged item keeps its version.
        """
        with self.transaction():
            row = self.conn.execute(
                "SELECT rowid, position, data, version FROM items WHERE id = ?", (item.id,)
            ).fetchone()
            stored = 0 if row is None else int(row["version"])
            if expected_version is not None and expected_version != stored:
                current = None if row is None else Item.model_validate_json(row["data"])
                raise VersionConflict(item.id, current, stored, expected_version)
            if row is None:
                top = self.conn.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM items").fetchone()[0]
                first_new_rowid = self._next_rowid()
                self._insert(item, int(top))
                self._index_new_rows(first_new_rowid)
                return 1
            if row["data"] != _item_json(item):
                self._update(int(row["rowid"]), item, int(row["position"]))
                return stored + 1
            return stored

    def delete_item(self, item_id: str, *, expected_version: int | None = None) -> None:
        """Remove an item; with `expected_version`, only if it is still at that version (else `VersionConflict`)."""
        with self.transaction():
            if expected_version is not None:
                row = self.conn.execute("SELECT data, version FROM items WHERE id = ?", (item_id,)).fetchone()
                if row is not None and int(row["version"]) != expected_version:
                    current = Item.model_validate_json(row["data"])
                    raise VersionConflict(item_id, current, int(row["version"]), expected_version)
            cur = self.conn.execute("DELETE FROM items WHERE id = ?", (item_id,))
            if cur.rowcount == 0:
                raise NotFoundError(f"no item with id {item_id!r}")

    def reorder_week(self, week_key: str, ids: list[str]) -> None:
        """Put the items of the block `week_key` in the order of `ids`, which must name each of
        them once (else `WeekChanged`: an item was added or moved since the list was read).

        The week's items trade places among the positions they already hold, and in the README
        layout among the slots they already fill, so nothing outside the week moves. Versions
        stay: the items' content did not change.
        """
        with self.transaction():
            rows = self.conn.execute(
                "SELECT id, position FROM items WHERE week_key = ? ORDER BY position, rowid", (week_key,)
            ).fetchall()
            current = [r["id"] for r in rows]
            if sorted(current) != sorted(ids) or len(set(ids)) != len(ids):
                raise WeekChanged(week_key, current)
            positions = sorted(int(r["position"]) for r in rows)
            self.conn.executemany(
                "UPDATE items SET position = ? WHERE id = ?", [(pos, i) for pos, i in zip(positions, ids, strict=True)]
            )
            wanted = set(ids)
            slots = [int(r[0]) for r in self.conn.execute("SELECT position, item_id FROM layout") if r[1] in wanted]
            # the first len(slots) items take the slots in order; the rest are placed after them by
            # `assemble` (items the layout does not hold go after their week's last item, by position)
            moves = [(i, s) for s, i in zip(sorted(slots), ids, strict=False)]
            self.conn.executemany("UPDATE layout SET item_id = ? WHERE position = ?", moves)

    def _merge(
        self, items: list[Item], report: ImportReport, *, carries_tags: bool, prune: bool, progress: Progress | None
    ) -> list[str]:
        """Match incoming items to stored ones, insert or update; returns the final id of each."""
        first_new_rowid = self._next_rowid()
        existing = {
            r["id"]: r for r in self.conn.execute("SELECT rowid, id, position, url, title, week_key, data FROM items")
        }
        by_url: dict[tuple[str, str], list[str]] = {}
        by_title: dict[tuple[str, str], list[str]] = {}
        for r in existing.values():
            wk = r["week_key"]
            if r["url"]:
                by_url.setdefault((r["url"], wk), []).append(r["id"])
            by_title.setdefault((r["title"], wk), []).append(r["id"])
        taken: set[str] = set()
        incoming_ids = {it.id for it in items}
        final_ids: dict[int, str] = {}
        total = len(items)
        # Visit (and so insert) oldest first whatever the document's order, so rowids grow
        # with time: search ranks a very common word among its newest matches by rowid.
        for done, n in enumerate(sorted(range(total), key=lambda k: (_chrono(items[k]), k))):
            item = items[n]
            match = item.id if item.id in existing and item.id not in taken else None
            if match is None:
                wk = _week_key(item)
                for candidates in (by_url.get((item.url or "", wk), []), by_title.get((item.title, wk), [])):
                    free = [c for c in candidates if c not in taken and c not in incoming_ids]
                    if free:
                        match = free[0]
                        break
            if match is None:
                if item.id in taken or item.id in existing:
                    raise StoreError(f"item id {item.id!r} appears twice in the input")
                self._insert(item, n)
                report.added += 1
                final_ids[n] = item.id
                taken.add(item.id)
            else:
                row = existing[match]
                old = Item.model_validate_json(row["data"])
                merged = item.model_copy(update={"id": match})
                if not carries_tags:
                    # Markdown says nothing of these: keep what the archive knows
                    merged.tags = old.tags
                    merged.extra = old.extra
                    merged.meta = old.meta
                elif merged.meta.is_empty():
                    # items.json: the file's meta replaces the stored one as a whole, but a file
                    # without meta for an item (an older export, another tool's file) does not
                    # erase metadata fetched since; to clear it, edit the item (`save_item`)
                    merged.meta = old.meta
                if merged.source is None and old.source is not None:
                    merged.source = old.source
                new_json = _item_json(merged)
                if new_json != row["data"]:
                    self._update(int(row["rowid"]), merged, n)
                    report.updated += 1
                else:
                    report.unchanged += 1
                    if int(row["position"]) != n:
                        self.conn.execute("UPDATE items SET position = ? WHERE rowid = ?", (n, row["rowid"]))
                final_ids[n] = match
                taken.add(match)
            if progress and (done % 500 == 0 or done + 1 == total):
                progress(done + 1, total)
        absent = [i for i in existing if i not in taken]
        if prune and absent:
            self.conn.executemany("DELETE FROM items WHERE id = ?", [(i,) for i in absent])
            report.removed = len(absent)
        else:
            report.not_in_input = len(absent)
        self._index_new_rows(first_new_rowid)
        return [final_ids[n] for n in range(total)]

    def _next_rowid(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM items").fetchone()[0])

    def _index_new_rows(self, first_rowid: int) -> None:
        """Add rows inserted since `first_rowid` to the full-text index, in one statement.

        Updates and deletes are kept in sync by triggers; inserts are indexed here because
        one INSERT ... SELECT over a whole import is six times faster than a per-row trigger.
        """
        self.conn.execute(
            "INSERT INTO items_fts(rowid, fts_title, fts_orgs, fts_body)"
            " SELECT rowid, fts_title, fts_orgs, fts_body FROM items WHERE rowid >= ?",
            (first_rowid,),
        )

    def _insert(self, item: Item, position: int) -> None:
        cur = self.conn.execute(_INSERT_SQL, {**_row_values(item, position), "now": _now()})
        self.conn.executemany(
            "INSERT INTO item_orgs (item_rowid, org) VALUES (?, ?)", [(cur.lastrowid, o) for o in item.orgs]
        )

    def _update(self, rowid: int, item: Item, position: int) -> None:
        self.conn.execute(_UPDATE_SQL, {**_row_values(item, position), "now": _now(), "rowid": rowid})
        self.conn.execute("DELETE FROM item_orgs WHERE item_rowid = ?", (rowid,))
        self.conn.executemany("INSERT INTO item_orgs (item_rowid, org) VALUES (?, ?)", [(rowid, o) for o in item.orgs])

    def _replace_layout(self, layout: list[LayoutRow]) -> bool:
        if self.layout() == layout:
            return False
        self.conn.execute("DELETE FROM layout")
        self.conn.executemany(
            "INSERT INTO layout (position, raw, item_id) VALUES (?, ?, ?)",
            [(i, raw, item_id) for i, (raw, item_id) in enumerate(layout)],
        )
        return True

    # --- reads -----------------------------------------------------------------------

    def last_modified(self) -> str | None:
        """When an item was last written (`…Z`), or None for an empty archive: a timestamp that
        changes with the archive and not with the clock, for reproducible exports."""
        row = self.conn.execute("SELECT MAX(updated_at) FROM items").fetchone()
        return str(row[0]) if row and row[0] else None

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM items").fetchone()[0])

    def layout(self) -> list[LayoutRow]:
        return [
            (r["raw"], r["item_id"]) for r in self.conn.execute("SELECT raw, item_id FROM layout ORDER BY position")
        ]

    def get(self, item_id: str) -> Item:
        """An item by id, or by a unique prefix of at least 4 characters."""
        row = self.conn.execute("SELECT data FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None and len(item_id) >= 4:
            rows = self.conn.execute(
                "SELECT data FROM items WHERE id >= ? AND id < ? LIMIT 2", (item_id, item_id + "\U0010ffff")
            ).fetchall()
            if len(rows) > 1:
                raise NotFoundError(f"id prefix {item_id!r} is ambiguous")
            row = rows[0] if rows else None
        if row is None:
            raise NotFoundError(f"no item with id {item_id!r}")
        return Item.model_validate_json(row["data"])

    def get_versioned(self, item_id: str) -> tuple[Item, int]:
        """An item by its exact id with its version (what an editor sends back to save it)."""
        row = self.conn.execute("SELECT data, version FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no item with id {item_id!r}")
        return Item.model_validate_json(row["data"]), int(row["version"])

    def week_items(self, week_key: str) -> list[tuple[Item, int]]:
        """The items filed under exactly the block `week_key`, in archive order, with their versions."""
        sql = "SELECT CAST(data AS BLOB), version FROM items WHERE week_key = ? ORDER BY position, rowid"
        return [(Item.model_validate_json(r[0]), int(r[1])) for r in self.conn.execute(sql, (week_key,))]

    def week_counts(self) -> list[tuple[str, int]]:
        """(week key, number of items) of every block, newest first (items without a week: key "")."""
        sql = (
            "SELECT week_key, COUNT(*) FROM items GROUP BY week_key"
            " ORDER BY MAX(year) DESC, MAX(month) DESC, MAX(week_first) DESC, week_key DESC"
        )
        return [(str(r[0]), int(r[1])) for r in self.conn.execute(sql)]

    def items(
        self,
        *,
        kind: str | None = None,
        org: str | None = None,
        week: Week | None = None,
        since: tuple[int, int] | None = None,
        until: tuple[int, int] | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Item]:
        """Items in archive order, filtered; `week` matches every block that covers one of its weeks.
        `offset` skips that many in SQL (a page far into a big archive reads only its own rows)."""
        where, params = filter_sql(kind=kind, org=org, week=week, since=since, until=until)
        sql = f"SELECT CAST(i.data AS BLOB) FROM items i {where} ORDER BY i.position, i.rowid"  # see iter_items
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else limit, offset])
        return [Item.model_validate_json(r[0]) for r in self.conn.execute(sql, params)]

    def search(
        self,
        query: str,
        *,
        kind: str | None = None,
        org: str | None = None,
        since: tuple[int, int] | None = None,
        until: tuple[int, int] | None = None,
        limit: int = 20,
        window: int | None = RANK_WINDOW,
    ) -> SearchResults:
        """Items matching every word of `query`, best first (BM25; title weighs most, then orgs).

        A query matching more than `window` items is ranked among its `window` newest
        matches (see `store/search.py`); `window=None` ranks every match.
        """
        where, params = filter_sql(kind=kind, org=org, since=since, until=until)
        return run_search(self.conn, query, where, params, limit=limit, window=window)

    def stats(self, *, top: int = 10) -> Stats:
        q = self.conn.execute
        by_kind = {
            (r[0] or "none"): r[1] for r in q("SELECT kind, COUNT(*) FROM items GROUP BY kind ORDER BY 2 DESC, 1")
        }
        by_month = {
            f"{r[0]:04d}-{r[1]:02d}": r[2]
            for r in q(
                "SELECT year, month, COUNT(*) FROM items WHERE year IS NOT NULL GROUP BY year, month ORDER BY 1, 2"
            )
        }
        top_orgs = [
            (r[0], r[1])
            for r in q("SELECT org, COUNT(*) FROM item_orgs GROUP BY org ORDER BY 2 DESC, 1 LIMIT ?", (top,))
        ]
        weeks = q("SELECT COUNT(*) FROM (SELECT DISTINCT year, month, week_first FROM items WHERE year IS NOT NULL)")
        bullets = int(q("SELECT COALESCE(SUM(n_bullets), 0) FROM items").fetchone()[0])
        return Stats(
            total=self.count(),
            by_kind=by_kind,
            by_month=by_month,
            top_orgs=top_orgs,
            weeks=int(weeks.fetchone()[0]),
            bullets=bullets,
        )

    def all_items(self) -> list[Item]:
        return self.items()

    def iter_items(self) -> Iterator[Item]:
        """Every item in archive order, one at a time: for exports of archives too big to hold.

        The JSON is read as UTF-8 bytes, which pydantic parses as they are: read as text,
        sqlite3 would decode it into a str that pydantic encodes back to UTF-8 (a fifth of
        the time of reading a row).
        """
        cur = self.conn.execute("SELECT CAST(data AS BLOB) FROM items ORDER BY position, rowid")
        while rows := cur.fetchmany(500):
            for r in rows:
                yield Item.model_validate_json(r[0])

    def document(self) -> Document:
        """The archive as a README document: the imported layout with every item in place."""
        return assemble(self.layout(), self.all_items())


def _split_sql(script: str) -> list[str]:
    """Statements of a migration, keeping trigger bodies (which contain `;`) whole."""
    statements: list[str] = []
    buf: list[str] = []
    for line in script.splitlines():
        buf.append(line)
        text = "\n".join(buf).strip()
        if text and sqlite3.complete_statement(text):
            statements.append(text)
            buf = []
    rest = "\n".join(buf).strip()
    if rest:
        statements.append(rest)
    return statements
