"""`/login` and `/logout`.

The login form carries a signed double-submit CSRF token (there is no session yet to bind one
to), failures are rate-limited per client address and per user name (429 with Retry-After),
a successful login starts a fresh session (any session id the browser had is ended: no
fixation) and redirects only to a path on this site.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from papernews.store import Store
from papernews.web import security
from papernews.web.deps import csrf_token, current_user, get_store, require_csrf, settings_of

router = APIRouter(include_in_schema=False)

LOGIN_CSRF_MAX_AGE = 2 * 3600  # seconds a login form stays usable


def client_address(request: Request) -> str:
    """The client's address; behind a trusted proxy, the one the proxy saw (the last hop it
    appended to X-Forwarded-For: earlier entries are whatever the client wrote)."""
    if settings_of(request).trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    """Cookies get `Secure` when the browser talks https to us (or to our trusted proxy)."""
    settings = settings_of(request)
    if settings.secure_cookies or request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return settings.trust_proxy and proto == "https"


def _login_page(request: Request, *, error: str | None, next_path: str, status: int = 200) -> Response:
    token = csrf_token(request)  # the signed login token: in the form, and in the cookie set here
    templates = cast(Jinja2Templates, request.app.state.templates)
    response = templates.TemplateResponse(
        request, "login.html", {"request": request, "error": error, "next": next_path}, status_code=status
    )
    response.headers["Cache-Control"] = "no-store"
    if current_user(request) is None:
        response.set_cookie(
            security.LOGIN_CSRF_COOKIE,
            token,
            max_age=LOGIN_CSRF_MAX_AGE,
            path="/login",
            httponly=True,
            samesite="strict",
            secure=is_https(request),
        )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "") -> Response:
    if current_user(request) is not None:
        return RedirectResponse(security.safe_next(next), status_code=303)
    return _login_page(request, error=None, next_path=security.safe_next(next))


@router.post("/login")
def login(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    target = security.safe_next(next)
    secret = cast(str, request.app.state.web_secret)
    if not security.login_csrf_valid(secret, request.cookies.get(security.LOGIN_CSRF_COOKIE), csrf_token):
        request.state.login_csrf = None  # a fresh token for the form shown again
        return _login_page(request, error="The form expired; log in again.", next_path=target, status=403)
    limiter = cast(security.RateLimiter, request.app.state.login_limiter)
    keys = (f"addr:{client_address(request)}", f"user:{name.strip().casefold()}")
    wait = limiter.blocked(*keys)
    if wait is not None:
        minutes = (wait + 59) // 60
        response = _login_page(
            request, error=f"Too many failed logins; try again in {minutes} min.", next_path=target, status=429
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = security.authenticate(store, name, password)
    if user is None:
        limiter.fail(*keys)
        return _login_page(request, error="Wrong name or password.", next_path=target, status=401)
    limiter.clear(keys[1])
    session = security.start_session(store, user, previous=request.cookies.get(security.SESSION_COOKIE))
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        security.SESSION_COOKIE,
        session.session_id,
        max_age=int(security.SESSION_LIFETIME.total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    response.delete_cookie(security.LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout", dependencies=[Depends(require_csrf)])
def logout(request: Request, store: Annotated[Store, Depends(get_store)]) -> Response:
    sid = request.cookies.get(security.SESSION_COOKIE)
    if sid:
        security.end_session(store, sid)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response
