"""FastAPI dependencies: the archive of a request, who is asking, and the CSRF check.

A request opens one `Store` (`get_store`), closed when the response is done; `current_user`
reuses it when the route asked for it, else opens its own for the lookup. Who is asking is
looked up once per request and kept on `request.state`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

from papernews.store import Store
from papernews.store.users import User
from papernews.web import security
from papernews.web.settings import WebSettings

__all__ = [
    "LoginRequired",
    "User",
    "api_user",
    "csrf_token",
    "current_user",
    "get_store",
    "require_csrf",
    "require_user",
    "require_writer",
]

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
_UNSET = object()


class LoginRequired(Exception):
    """A page needs a logged-in user; the app turns this into a redirect to /login."""


def settings_of(request: Request) -> WebSettings:
    return cast(WebSettings, request.app.state.settings)


def get_store(request: Request) -> Iterator[Store]:
    """One Store per request, closed after the response."""
    store = Store(settings_of(request).db)
    request.state.store = store
    try:
        yield store
    finally:
        request.state.store = None
        store.close()


@contextmanager
def _request_store(request: Request) -> Iterator[Store]:
    """The request's Store when the route opened one (`get_store`), else one opened for this
    lookup and closed after it: the session and the token lookups both need this, so it is here once."""
    store = getattr(request.state, "store", None)
    if isinstance(store, Store):
        yield store
        return
    own = Store(settings_of(request).db)
    try:
        yield own
    finally:
        own.close()


def _session(request: Request) -> tuple[User, str] | None:
    """(user, CSRF token) of the request's session cookie, looked up once per request."""
    cached = getattr(request.state, "session", _UNSET)
    if cached is not _UNSET:
        return cast("tuple[User, str] | None", cached)
    sid = request.cookies.get(security.SESSION_COOKIE, "")
    found = None
    if sid:
        with _request_store(request) as store:
            found = security.session_of(store, sid)
    request.state.session = found
    return found


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_user(request: Request) -> User | None:
    """The logged-in user of the session cookie, or None."""
    found = _session(request)
    return found[0] if found else None


def require_user(request: Request) -> User:
    """Pages: the logged-in user, else `LoginRequired` (a redirect to /login)."""
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


def _api_caller(request: Request) -> tuple[User, str | None]:
    """Who calls the API: a Bearer token's user (no CSRF token: a browser never sends that header
    by itself), else the session's user with its CSRF token; 401 for neither. API reads and
    writes authenticate alike and differ only in the CSRF check, so both start here."""
    secret = _bearer(request)
    if secret is not None:
        return _token_user(request, secret), None
    found = _session(request)
    if found is None:
        raise HTTPException(
            401, "log in, or send an API token (Authorization: Bearer …)", headers={"WWW-Authenticate": "Bearer"}
        )
    return found


def api_user(request: Request) -> User:
    """API reads that need a user (the inbox, the history): a Bearer token's user or the
    session's; 401 otherwise. No CSRF check: a read changes nothing."""
    return _api_caller(request)[0]


def _token_user(request: Request, secret: str) -> User:
    with _request_store(request) as store:
        user = security.token_owner(store, secret)
    if user is None:
        raise HTTPException(401, "invalid or revoked API token", headers={"WWW-Authenticate": "Bearer"})
    return user


def require_writer(request: Request) -> User:
    """API writes: a Bearer token's user, or the session's user with its CSRF header; else 401
    (403 for a session whose CSRF header is missing or wrong)."""
    user, token = _api_caller(request)
    if token is not None:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not security.same(sent, token):
            raise HTTPException(403, f"missing or wrong CSRF token (header {CSRF_HEADER})")
    return user


async def require_csrf(request: Request) -> None:
    """Forms and htmx: the `csrf_token` field or `X-CSRF-Token` header must be the session's; 403
    otherwise (also without a session: a write needs one). No exemption for a Bearer header:
    these routes act as the session's user (`require_user`), never as a token's, so a header
    (checked or not) cannot stand in for the session's token; the API's writes use `require_writer`."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form: FormData = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else ""
    found = _session(request)
    if found is None or not sent or not security.same(sent, found[1]):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


def csrf_token(request: Request) -> str:
    """The token forms carry (hidden field `csrf_token`; htmx sends it as `X-CSRF-Token`): the
    session's, or before login the signed login token (its cookie is set by the login page)."""
    found = _session(request)
    if found is not None:
        return found[1]
    token = getattr(request.state, "login_csrf", None)
    if not isinstance(token, str):
        key = request.app.state.web_secret
        cookie = request.cookies.get(security.LOGIN_CSRF_COOKIE)
        valid = cookie is not None and security.login_csrf_valid(key, cookie, cookie)
        token = cookie if valid and cookie else security.login_csrf_token(key)
        request.state.login_csrf = token
    return token
