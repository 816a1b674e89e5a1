"""The web app's accounts (migration 3): users, their login sessions and their API tokens.

Functions over a `Store`, like `store/inbox.py`. Only hashes of session ids and tokens are
stored, and only argon2 hashes of passwords; the hashing itself is `papernews.web.security`'s
job, so this module stays free of crypto and of the web stack.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from papernews.errors import InputError, NotFoundError
from papernews.store.db import Store, _now


@dataclass(frozen=True)
class User:
    """Who is acting: what a request's session or token resolves to."""

    id: int
    name: str


@dataclass(frozen=True)
class Account:
    """A user as `papernews user list` shows it."""

    id: int
    name: str
    created_at: str
    sessions: int
    tokens: int


@dataclass(frozen=True)
class Token:
    """An API token as listed: never its secret, which only its creator saw once."""

    id: int
    name: str
    user: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


# --- users ---------------------------------------------------------------------------


def add_user(store: Store, name: str, password_hash: str) -> User:
    """A new user; InputError when the name is taken (names compare case-insensitively)."""
    name = name.strip()
    if not name:
        raise InputError("a user needs a name")
    try:
        with store.transaction(revision=False) as conn:
            cur = conn.execute(
                "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)", (name, password_hash, _now())
            )
    except sqlite3.IntegrityError:
        raise InputError(f"there is already a user named {name!r}") from None
    assert cur.lastrowid is not None
    return User(cur.lastrowid, name)


def find_user(store: Store, name: str) -> tuple[User, str] | None:
    """The user of that name and their password hash, or None."""
    row = store.conn.execute("SELECT id, name, password_hash FROM users WHERE name = ?", (name.strip(),)).fetchone()
    return None if row is None else (User(int(row["id"]), row["name"]), row["password_hash"])


def set_password_hash(store: Store, user_id: int, password_hash: str) -> None:
    """Store a new hash: a changed password, or the same one rehashed with today's parameters."""
    with store.transaction(revision=False) as conn:
        conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (password_hash, user_id))


def list_users(store: Store) -> list[Account]:
    now = _now()
    rows = store.conn.execute(
        "SELECT u.id, u.name, u.created_at,"
        " (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?) AS sessions,"
        " (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL) AS tokens"
        " FROM users u ORDER BY u.name",
        (now,),
    )
    return [Account(int(r["id"]), r["name"], r["created_at"], int(r["sessions"]), int(r["tokens"])) for r in rows]


def remove_user(store: Store, name: str) -> None:
    """Delete a user with their sessions and tokens (the audit log keeps their name)."""
    with store.transaction(revision=False) as conn:
        cur = conn.execute("DELETE FROM users WHERE name = ?", (name.strip(),))
        if cur.rowcount == 0:
            raise NotFoundError(f"no user named {name!r}")


def count_users(store: Store) -> int:
    return int(store.conn.execute("SELECT COUNT(*) FROM users").fetchone()[0])


# --- sessions ------------------------------------------------------------------------


def create_session(store: Store, user_id: int, id_hash: str, csrf_token: str, expires_at: str) -> None:
    """A new login session; expired sessions of every user are swept out in the same transaction."""
    now = _now()
    with store.transaction(revision=False) as conn:
        conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))
        conn.execute(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
            (id_hash, user_id, csrf_token, now, expires_at),
        )


def session_user(store: Store, id_hash: str) -> tuple[User, str] | None:
    """The user of a live session and its CSRF token, or None (unknown or expired)."""
    row = store.conn.execute(
        "SELECT u.id, u.name, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.id_hash = ? AND s.expires_at > ?",
        (id_hash, _now()),
    ).fetchone()
    return None if row is None else (User(int(row["id"]), row["name"]), row["csrf_token"])


def delete_session(store: Store, id_hash: str) -> None:
    with store.transaction(revision=False) as conn:
        conn.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))


# --- API tokens ----------------------------------------------------------------------


def create_token(store: Store, user_name: str, name: str, token_hash: str, prefix: str) -> Token:
    """Record a token for `user_name`; InputError when an active token already has that name."""
    name = name.strip()
    if not name:
        raise InputError("a token needs a name")
    found = find_user(store, user_name)
    if found is None:
        raise NotFoundError(f"no user named {user_name!r}")
    user, _ = found
    now = _now()
    try:
        with store.transaction(revision=False) as conn:
            cur = conn.execute(
                "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
                (user.id, name, token_hash, prefix, now),
            )
    except sqlite3.IntegrityError:
        raise InputError(f"there is already an active token named {name!r}; revoke it first") from None
    assert cur.lastrowid is not None
    return Token(cur.lastrowid, name, user.name, prefix, now, None, None)


def token_user(store: Store, token_hash: str) -> User | None:
    """The user of an active token, or None; notes when the token was last used."""
    row = store.conn.execute(
        "SELECT t.id, u.id AS user_id, u.name, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id"
        " WHERE t.token_hash = ? AND t.revoked_at IS NULL",
        (token_hash,),
    ).fetchone()
    if row is None:
        return None
    now = _now()
    if row["last_used_at"] is None or row["last_used_at"][:16] != now[:16]:  # a write a minute at most
        with store.transaction(revision=False) as conn:
            conn.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (now, row["id"]))
    return User(int(row["user_id"]), row["name"])


def list_tokens(store: Store, *, include_revoked: bool = False) -> list[Token]:
    sql = (
        "SELECT t.id, t.name, u.name AS user, t.prefix, t.created_at, t.last_used_at, t.revoked_at"
        " FROM api_tokens t JOIN users u ON u.id = t.user_id"
    )
    if not include_revoked:
        sql += " WHERE t.revoked_at IS NULL"
    return [
        Token(int(r["id"]), r["name"], r["user"], r["prefix"], r["created_at"], r["last_used_at"], r["revoked_at"])
        for r in store.conn.execute(sql + " ORDER BY t.id")
    ]


def revoke_token(store: Store, name: str) -> None:
    """Revoke the active token of that name (it stops working at once)."""
    with store.transaction(revision=False) as conn:
        cur = conn.execute(
            "UPDATE api_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", (_now(), name.strip())
        )
        if cur.rowcount == 0:
            raise NotFoundError(f"no active token named {name!r}")
