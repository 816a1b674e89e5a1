"""The web app's security primitives: passwords, sessions, API tokens, CSRF, login rate limits.

- Passwords: argon2id (`argon2-cffi`'s `PasswordHasher` defaults, RFC 9106's second
  recommendation), rehashed on login when the parameters have moved on.
- Session ids and API tokens: 256 random bits; the archive stores only their SHA-256, which is
  enough for secrets that long (no dictionary to try), so a copy of the archive logs no one in.
- CSRF: a logged-in session has its own random token (form field `csrf_token` or header
  `X-CSRF-Token`); the login form, before any session exists, uses a signed double-submit
  cookie (`login_csrf_*`), signed with the archive's `web_secret`.
- A drafted summary's provenance rides in the edit form between the draft and the save
  (`sign_provenance`, `signed_provenance`): HMAC-SHA256 under a key derived from `web_secret`
  for that purpose alone, bound to the item's id, so the archive records as a draft only what
  this server drafted, for that item.
- Login rate limit: failures counted per client address and per user name in a sliding
  window (`RateLimiter`), in memory: a restart forgets them, which costs an attacker a restart
  of someone else's server.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import ValidationError

from papernews.errors import InputError
from papernews.model import SummaryProvenance
from papernews.store import Store
from papernews.store import users as accounts
from papernews.store.users import Token, User

SESSION_COOKIE = "pn_session"
LOGIN_CSRF_COOKIE = "pn_login_csrf"
SESSION_LIFETIME = timedelta(days=7)
TOKEN_PREFIX = "pn_"
MIN_PASSWORD = 8
LOGIN_FAILURES = 5  # allowed per window, per client address and per user name
LOGIN_WINDOW = 15 * 60.0  # seconds

_hasher = PasswordHasher()
# verified when the user does not exist, so an unknown name takes as long as a wrong password
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


# --- passwords -------------------------------------------------------------------------


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def create_user(store: Store, name: str, password: str) -> User:
    return accounts.add_user(store, name, hash_password(password))


def authenticate(store: Store, name: str, password: str) -> User | None:
    """The user when the password is theirs, else None; rehashes an outdated hash on success."""
    found = accounts.find_user(store, name)
    stored = found[1] if found else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None:  # pragma: no cover - the dummy's password is random and never typed
        return None
    user, _ = found
    if _hasher.check_needs_rehash(stored):
        accounts.set_password_hash(store, user.id, _hasher.hash(password))
    return user


# --- secrets -------------------------------------------------------------------------


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two strings (an attacker learns nothing from the timing)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


# --- sessions ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    session_id: str  # goes into the cookie, never stored
    csrf_token: str
    expires_at: datetime


def start_session(store: Store, user: User, *, previous: str | None = None) -> NewSession:
    """A fresh session for `user`; the session the browser had before (if any) is ended, so a
    session id planted before login (session fixation) is worthless after it."""
    if previous:
        accounts.delete_session(store, secret_hash(previous))
    sid, csrf = new_secret(), new_secret()
    expires = datetime.now(UTC) + SESSION_LIFETIME
    accounts.create_session(store, user.id, secret_hash(sid), csrf, expires.strftime("%Y-%m-%dT%H:%M:%SZ"))
    return NewSession(sid, csrf, expires)


def session_of(store: Store, session_id: str) -> tuple[User, str] | None:
    """(user, CSRF token) of a live session id from a cookie, or None."""
    return accounts.session_user(store, secret_hash(session_id)) if session_id else None


def end_session(store: Store, session_id: str) -> None:
    accounts.delete_session(store, secret_hash(session_id))


# --- API tokens ------------------------------------------------------------------------


def issue_token(store: Store, user_name: str, name: str) -> tuple[str, Token]:
    """A new API token: the secret (shown once, never stored) and its record."""
    secret = TOKEN_PREFIX + new_secret()
    return secret, accounts.create_token(store, user_name, name, secret_hash(secret), secret[: len(TOKEN_PREFIX) + 6])


def token_owner(store: Store, secret: str) -> User | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    return accounts.token_user(store, secret_hash(secret))


# --- the login form's CSRF token (no session yet) ----------------------------------------


def login_csrf_token(key: str) -> str:
    """`nonce.signature`: set as a cookie and put in the form; both must come back equal."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(key, nonce)}"


def login_csrf_valid(key: str, cookie: str | None, field: str | None) -> bool:
    if not cookie or not field or not same(cookie, field):
        return False
    nonce, _, signature = cookie.partition(".")
    return bool(nonce) and same(signature, _sign(key, nonce))


def _sign(key: str, nonce: str) -> str:
    return hmac.new(key.encode("utf-8"), b"login-csrf\x00" + nonce.encode("utf-8"), hashlib.sha256).hexdigest()


def web_secret(store: Store) -> str:
    """The archive's signing key (made by migration 3)."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = 'web_secret'").fetchone()
    if row is None:  # pragma: no cover - the migration inserts it
        raise InputError("the archive has no web_secret; run a papernews command to migrate it")
    return str(row[0])


# --- a drafted summary's provenance, carried by the edit form --------------------------------

_PROVENANCE_PURPOSE = b"papernews/summary-provenance/v1"


def _purpose_key(key: str, purpose: bytes) -> bytes:
    """A key for one purpose only, derived from `web_secret` (HMAC as the KDF): nothing signed
    for another use (the login form's token) can ever pass as a signed provenance, or back."""
    return hmac.new(key.encode("utf-8"), purpose, hashlib.sha256).digest()


def _provenance_mac(key: str, body: str) -> str:
    return hmac.new(_purpose_key(key, _PROVENANCE_PURPOSE), body.encode("ascii"), hashlib.sha256).hexdigest()


def sign_provenance(key: str, item_id: str, provenance: SummaryProvenance) -> str:
    """`payload.signature` for the edit form's hidden field: the provenance of a draft made for
    `item_id`, as base64url JSON, and its HMAC-SHA256. The id is inside what is signed, so a
    draft's provenance cannot be carried over to another item's save."""
    data = {"item": item_id, "provenance": provenance.model_dump(mode="json")}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    body = base64.urlsafe_b64encode(payload).rstrip(b"=").decode("ascii")
    return f"{body}.{_provenance_mac(key, body)}"


def signed_provenance(key: str, item_id: str, token: str) -> SummaryProvenance | None:
    """The provenance in `token` when this server signed it for `item_id`; None for anything else
    (a bad or missing signature, another item's draft, a payload that does not parse). The
    signature is checked, in constant time, before the payload is decoded at all."""
    body, dot, mac = token.partition(".")
    if not dot or not body or not body.isascii() or not same(mac, _provenance_mac(key, body)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, binascii.Error):  # pragma: no cover - only a payload we signed gets here
        return None
    if not isinstance(data, dict) or data.get("item") != item_id:
        return None
    try:
        return SummaryProvenance.model_validate(data.get("provenance"))
    except ValidationError:  # pragma: no cover - signed by an older version with other fields
        return None


# --- redirects -------------------------------------------------------------------------


def safe_next(target: str | None, default: str = "/admin") -> str:
    """`target` when it is a path on this site, else `default`: a login link cannot send the
    curator to another site (open redirect), however the address is dressed up."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ord(c) < 0x20 or c in "\\\x7f" for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


# --- login rate limit ------------------------------------------------------------------


class RateLimiter:
    """Failures per key in a sliding window: `blocked(key)` says how many seconds are left
    when a key has used up its `limit`. Thread-safe (the app's endpoints run in a pool)."""

    def __init__(
        self, limit: int = LOGIN_FAILURES, window: float = LOGIN_WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        q = self._failures.setdefault(key, deque())
        while q and q[0] <= now - self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> int | None:
        """Seconds until every key may try again, or None when none is blocked."""
        now = self.clock()
        waits: list[float] = []
        with self._lock:
            for key in keys:
                q = self._recent(key, now)
                if len(q) >= self.limit:
                    waits.append(q[len(q) - self.limit] + self.window - now)
                if not q:
                    self._failures.pop(key, None)
        return max(1, int(max(waits)) + 1) if waits else None

    SWEEP_AT = 10_000  # keys held before the ones whose failures all left the window are dropped

    def fail(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            if len(self._failures) >= self.SWEEP_AT:  # every new name or address adds a key
                for stale in [k for k, q in self._failures.items() if not q or q[-1] <= now - self.window]:
                    del self._failures[stale]
            for key in keys:
                self._recent(key, now).append(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
