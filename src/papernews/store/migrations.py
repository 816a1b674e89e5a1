"""Numbered schema migrations: an ordered list of small named steps, each in its own transaction.

`PRAGMA user_version` records how many have run. Append new steps; never edit a released one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "items, layout and full-text search",
        """
        CREATE TABLE items (
            rowid       INTEGER PRIMARY KEY,
            id          TEXT NOT NULL UNIQUE,
            position    INTEGER NOT NULL,
            kind        TEXT,
            title       TEXT NOT NULL,
            url         TEXT,
            year        INTEGER,
            month       INTEGER,
            week_first  INTEGER,
            week_last   INTEGER,
            week_key    TEXT NOT NULL DEFAULT '',
            n_bullets   INTEGER NOT NULL DEFAULT 0,
            data        TEXT NOT NULL,           -- the whole Item as JSON (pydantic)
            fts_title   TEXT NOT NULL DEFAULT '',
            fts_orgs    TEXT NOT NULL DEFAULT '',
            fts_body    TEXT NOT NULL DEFAULT '',
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        CREATE INDEX items_month ON items(year, month, week_first);
        CREATE INDEX items_kind ON items(kind);
        CREATE INDEX items_position ON items(position);

        CREATE TABLE item_orgs (
            item_rowid  INTEGER NOT NULL REFERENCES items(rowid) ON DELETE CASCADE,
            org         TEXT NOT NULL COLLATE NOCASE
        );
        CREATE INDEX item_orgs_org ON item_orgs(org);
        CREATE INDEX item_orgs_item ON item_orgs(item_rowid);

        -- The document an archive was imported from: verbatim text between items, in order,
        -- so that export gives back the same bytes.
        CREATE TABLE layout (
            position    INTEGER PRIMARY KEY,
            raw         TEXT,
            item_id     TEXT REFERENCES items(id) ON DELETE CASCADE ON UPDATE CASCADE,
            CHECK ((raw IS NULL) != (item_id IS NULL))
        );
        CREATE INDEX layout_item ON layout(item_id);

        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE VIRTUAL TABLE items_fts USING fts5(
            fts_title, fts_orgs, fts_body,
            content='items', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        -- New rows are indexed by the store in one INSERT ... SELECT after each write
        -- (Store._index_new_rows): a per-row insert trigger makes a bulk import 6x slower.
        CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, fts_title, fts_orgs, fts_body)
            VALUES ('delete', old.rowid, old.fts_title, old.fts_orgs, old.fts_body);
        END;
        CREATE TRIGGER items_fts_update AFTER UPDATE OF fts_title, fts_orgs, fts_body ON items BEGIN
            INSERT INTO items_fts(items_fts, rowid, fts_title, fts_orgs, fts_body)
            VALUES ('delete', old.rowid, old.fts_title, old.fts_orgs, old.fts_body);
            INSERT INTO items_fts(rowid, fts_title, fts_orgs, fts_body)
            VALUES (new.rowid, new.fts_title, new.fts_orgs, new.fts_body);
        END;
        """,
    ),
    Migration(
        2,
        "inbox: candidates from the sources, the curator's decisions, where each source stopped",
        """
        -- One row per thing the sources found that is not (yet) an item. `identity` is what two
        -- finds of one thing share (papernews.identity), so a paper listed by arXiv and by
        -- Hugging Face is one candidate; `status` and `decided_at` are the curator's decision,
        -- which the ranker learns from (papernews.rank reads this table by column name).
        CREATE TABLE inbox_candidates (
            rowid           INTEGER PRIMARY KEY,
            id              TEXT NOT NULL UNIQUE,
            identity        TEXT NOT NULL UNIQUE,
            url             TEXT NOT NULL,            -- canonical
            source          TEXT NOT NULL,            -- the source that found it first
            sources         TEXT NOT NULL DEFAULT '[]',  -- JSON: every source that found it
            title           TEXT NOT NULL,
            abstract        TEXT NOT NULL DEFAULT '',
            authors         TEXT NOT NULL DEFAULT '[]',  -- JSON list
            categories      TEXT NOT NULL DEFAULT '[]',  -- JSON list, primary first
            published       TEXT,
            week            TEXT NOT NULL DEFAULT '',    -- YYYY-MM-Wnn of `published` (else first seen)
            upvotes         INTEGER,
            org             TEXT,
            first_seen      TEXT NOT NULL,
            status          TEXT NOT NULL DEFAULT 'new'
                            CHECK (status IN ('new', 'accepted', 'rejected', 'snoozed')),
            decided_at      TEXT,
            snoozed_until   TEXT,
            item_id         TEXT                      -- the archive item an accepted candidate became
        );
        CREATE INDEX inbox_candidates_status ON inbox_candidates(status, week);
        CREATE INDEX inbox_candidates_source ON inbox_candidates(source);

        CREATE TABLE source_cursors (
            source      TEXT PRIMARY KEY,
            cursor      TEXT,
            fetched_at  TEXT NOT NULL,
            found       INTEGER NOT NULL DEFAULT 0,
            added       INTEGER NOT NULL DEFAULT 0,
            error       TEXT
        );
        """,
    ),
)

LATEST = MIGRATIONS[-1].number
