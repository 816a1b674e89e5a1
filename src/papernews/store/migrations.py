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
    Migration(
        3,
        "web app: users, sessions, API tokens, the audit log, item versions",
        """
        -- Bumped by every write of an item's content: the web app's editors send back the
        -- version they read, and a stale one is refused (no lost update).
        ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

        CREATE TABLE users (
            id              INTEGER PRIMARY KEY,
            name            TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash   TEXT NOT NULL,          -- argon2id, PHC string
            created_at      TEXT NOT NULL
        );

        -- Only a hash of a session id or a token is stored: a copy of the archive logs no one in.
        CREATE TABLE sessions (
            id_hash     TEXT PRIMARY KEY,
            user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            csrf_token  TEXT NOT NULL,
            created_at  TEXT NOT NULL,
            expires_at  TEXT NOT NULL
        );
        CREATE INDEX sessions_user ON sessions(user_id);
        CREATE INDEX sessions_expiry ON sessions(expires_at);

        CREATE TABLE api_tokens (
            id            INTEGER PRIMARY KEY,
            user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            name          TEXT NOT NULL,
            token_hash    TEXT NOT NULL UNIQUE,
            prefix        TEXT NOT NULL,          -- the first characters, to tell tokens apart in a list
            created_at    TEXT NOT NULL,
            last_used_at  TEXT,
            revoked_at    TEXT
        );
        CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;

        -- Who changed what, when. `user` is a name, not a reference: the log outlives the account.
        CREATE TABLE audit_log (
            id        INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            user      TEXT NOT NULL,
            action    TEXT NOT NULL,
            item_id   TEXT,
            detail    TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX audit_log_item ON audit_log(item_id, id);

        -- The key that signs the login form's CSRF cookie; made here, never leaves the server.
        INSERT INTO meta (key, value) VALUES ('web_secret', lower(hex(randomblob(32))))
            ON CONFLICT(key) DO NOTHING;
        """,
    ),
    Migration(
        4,
        "social posts and newsletter sends: what went out, so a rerun never sends it twice",
        """
        -- One row per post of a thread on a target. A row is written `sending` before the
        -- platform is asked and becomes `posted` (with its remote id) before the next post is
        -- sent; a `sending` row left behind means the platform may hold the post (a timeout),
        -- and `papernews thread --post` refuses to go on until the curator has looked.
        CREATE TABLE social_posts (
            thread_key   TEXT NOT NULL,            -- `week:2024-09-W03`, `items:<hash of the ids>`
            target       TEXT NOT NULL,            -- `x`, `bluesky`
            position     INTEGER NOT NULL,         -- 0: the main post; n: the reply about item n
            item_id      TEXT,
            status       TEXT NOT NULL CHECK (status IN ('sending', 'posted', 'failed', 'deleted')),
            remote_id    TEXT,                     -- the tweet id; the Bluesky record's at:// URI
            remote_cid   TEXT,                     -- the Bluesky record's CID (reply refs need it)
            text_sha256  TEXT NOT NULL,
            posted_at    TEXT,
            updated_at   TEXT NOT NULL,
            error        TEXT,
            PRIMARY KEY (thread_key, target, position)
        );

        -- One row per recipient an edition was sent to.
        CREATE TABLE newsletter_sends (
            edition      TEXT NOT NULL,            -- the week key
            recipient    TEXT NOT NULL,            -- the address, lower-cased
            message_id   TEXT NOT NULL,
            sent_at      TEXT NOT NULL,
            PRIMARY KEY (edition, recipient)
        );
        """,
    ),
)

LATEST = MIGRATIONS[-1].number
