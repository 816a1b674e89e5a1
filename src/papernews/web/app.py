"""`create_app(settings)`: the web app, built by a factory so tests and `papernews serve` each get
their own (no work at import time, no global state).

What it wires: the JSON API under `/api/v1` (`api.py`), `/login` and `/logout`
(`auth_routes.py`), the pages (`pages.py`), `/static`; the templates with autoescape and the
globals every page needs (`csrf_token`, `static_url`); the mapping of papernews errors to HTTP
statuses; and a few response headers that cost nothing (no framing, no sniffing).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from urllib.parse import quote

import jinja2
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from papernews import __version__
from papernews.errors import InputError, NotFoundError, PapernewsError
from papernews.store import Store, VersionConflict, WeekChanged
from papernews.web import api, auth_routes, pages
from papernews.web.deps import LoginRequired, csrf_token
from papernews.web.security import RateLimiter, web_secret
from papernews.web.settings import WebSettings

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    # nothing here restricts scripts or styles (the pages are the other helper's); it forbids
    # framing, plugins, a changed <base> and forms posting elsewhere
    (b"content-security-policy", b"frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"),
]


class SecurityHeaders:
    """Adds `_SECURITY_HEADERS` to every response, and `Cache-Control: no-store` to responses to
    a logged-in browser (a shared cache must not keep a curator's page). Plain ASGI, not
    `BaseHTTPMiddleware`, which costs a task and a queue per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = any(k == b"cookie" and b"pn_session=" in v for k, v in scope.get("headers", [])) and not str(
            scope.get("path", "")
        ).startswith("/static/")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend(h for h in _SECURITY_HEADERS if h[0] not in present)
                if private and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


MAX_BODY = 2 * 1024 * 1024  # bytes: the largest form (an item's editor) is under 100 kB


class BodyLimit:
    """Refuses a request body over `MAX_BODY` with 413, from its Content-Length before a byte is
    read, else as the bytes arrive. FastAPI reads a JSON body whole, and a form up to 1000
    fields of 1 MB each, before any dependency asks who is calling: without this, anyone could
    make the server hold an unbounded body in memory."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for key, value in scope.get("headers", []):
            if key == b"content-length" and (not value.strip().isdigit() or int(value) > self.limit):
                await PlainTextResponse("request body too large", status_code=413)(scope, receive, send)
                return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, counted, send)


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name: user text is escaped unless marked safe
        trim_blocks=True,
        lstrip_blocks=True,
    )
    templates = Jinja2Templates(env=env)
    env.globals["csrf_token"] = csrf_token
    env.globals["static_url"] = static_url
    return templates


def static_url(name: str) -> str:
    """`/static/<name>?v=<hash of its bytes>`: browsers may cache a static file for good, and
    still get a changed one at once."""
    return f"/static/{quote(name)}?v={_static_hash(name)}"


@functools.lru_cache(maxsize=64)
def _static_hash(name: str) -> str:
    try:
        return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
    except OSError:
        return "0"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _: Exception) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"/login?next={quote(target, safe='')}"
        if request.headers.get("hx-request") == "true":
            # htmx would swap the login page into a fragment; this makes it load the page instead
            return Response(status_code=204, headers={"HX-Redirect": login})
        return RedirectResponse(login, status_code=303)

    @app.exception_handler(VersionConflict)
    async def _conflict(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, VersionConflict)
        body = api.conflict_body(exc)
        return (
            JSONResponse(body.model_dump(mode="json"), status_code=409)
            if _is_api(request)
            else _error(request, 409, str(exc))
        )

    @app.exception_handler(WeekChanged)
    async def _week_changed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WeekChanged)
        if _is_api(request):
            return JSONResponse({"detail": str(exc), "ids": exc.current}, status_code=409)
        return _error(request, 409, str(exc))

    @app.exception_handler(NotFoundError)
    async def _not_found(request: Request, exc: Exception) -> Response:
        return _error(request, 404, str(exc))

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, InputError)
        return _error(request, 400, exc.message if exc.path is None else str(exc))

    @app.exception_handler(PapernewsError)
    async def _other(request: Request, exc: Exception) -> Response:
        return _error(request, 503, str(exc))


def create_app(settings: WebSettings) -> FastAPI:
    """The app over `settings.db` (migrated on the way, as every command does)."""
    with Store(settings.db) as store:
        secret = web_secret(store)
    app = FastAPI(
        title="papernews",
        version=__version__,
        summary="The curator's workbench of a weekly digest: items, weeks, the inbox, publishing.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from a CDN; the document is what clients need
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.web_secret = secret
    app.state.login_limiter = RateLimiter()
    app.state.templates = _templates()
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static")
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(auth_routes.router)
    app.include_router(pages.router)
    _install_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SecurityHeaders)
    return app
