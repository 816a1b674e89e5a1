"""The public site's URLs on the app: the paths the static build writes, served from the archive.

Handlers are `async`: a page of the current revision is a dictionary lookup, which a hop to a
worker thread and an opened archive would cost many times over (`PublicSiteCache.fresh`); the
archive is opened, in a worker thread, only when it changed or a search is not cached yet.

Routes are declared per kind of page (not one catch-all) so they can never shadow `/admin`,
`/login`, `/static` or the API, whatever order the app includes its routers in; the page itself
is looked up by its path in the current `PublicSite` (`pages_site.py`), which knows exactly the
pages the build would write. A path without its final `/` is redirected by the router, as a
static host does: the pages' links are relative and need it.
"""

from __future__ import annotations

import time
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from papernews.errors import PapernewsError
from papernews.model import Kind
from papernews.store import Store
from papernews.web.deps import settings_of
from papernews.web.pages_site import (
    ASSET_TYPES,
    FEED_TYPES,
    SEARCH_LIMIT,
    PublicSite,
    PublicSiteCache,
    asset,
)

router = APIRouter(include_in_schema=False)

HTML = "text/html; charset=utf-8"
MAX_QUERY = 200
# ETags name the revision and this process: a new version of the code may render other bytes
_BOOT = format(int(time.time()), "x")

PAGE_ROUTES = (  # the most asked first: a request is matched against the routes in order
    "/items/{slug}/",
    "/",
    "/page/{n}/",
    "/{year:int}/{month:int}/",
    "/{year:int}/{month:int}/{week}/",
    "/orgs/{slug}/",
    "/orgs/{slug}/page/{n}/",
    "/kinds/{kind}/",
    "/kinds/{kind}/page/{n}/",
    "/bookmarks/",
)
FILE_ROUTES = ("/items.json", *(f"/{n}" for n in FEED_TYPES), *(f"/kinds/{{kind}}/{n}" for n in FEED_TYPES))


def _cache(request: Request) -> PublicSiteCache:
    """The app's one cache of the public site (made on first use)."""
    state = request.app.state
    cache = getattr(state, "public_site", None)
    if not isinstance(cache, PublicSiteCache):
        settings = settings_of(request)
        cache = state.public_site = PublicSiteCache(settings.db, settings.base_url)
    return cache


def public_site(request: Request, store: Store) -> PublicSite:
    """The current `PublicSite`, from a handler that has the request's store (the workbench)."""
    return _cache(request).fresh() or _cache(request).load(store)


async def current_site(request: Request) -> PublicSite:
    cache = _cache(request)
    site = cache.fresh()
    return site if site is not None else await run_in_threadpool(cache.load)


def _path(request: Request) -> str:
    return str(request.scope["path"]).lstrip("/")


def _send(request: Request, body: bytes, site: PublicSite, media_type: str = HTML) -> Response:
    etag = f'W/"{_BOOT}-{site.revision}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def not_found(request: Request, site: PublicSite) -> Response:
    return Response(site.not_found(str(request.base_url)), status_code=404, media_type=HTML)


async def public_page(request: Request) -> Response:
    """A page of the site (home, item, week, month, org, kind, bookmarks)."""
    site = await current_site(request)
    body = site.page(_path(request))
    return not_found(request, site) if body is None else _send(request, body, site)


def _made_file(site: PublicSite, name: str, db: Path) -> bytes | None:
    with Store(db) as store:
        return site.file(name, store)


async def public_file(request: Request) -> Response:
    """Feeds and items.json, as the build writes them beside the pages (made once per revision)."""
    site = await current_site(request)
    name = _path(request)
    body = site.made(name)
    if body is None:
        body = await run_in_threadpool(_made_file, site, name, settings_of(request).db)
    if body is None:
        return not_found(request, site)
    media = FEED_TYPES.get(name.rsplit("/", 1)[-1], "application/json; charset=utf-8")
    return _send(request, body, site, media)


router.add_api_route(PAGE_ROUTES[0], public_page, methods=["GET"])


def _search(site: PublicSite, db: Path, query: str, kind: str | None) -> bytes:
    if not query:
        return site.search_page("", kind, None, 0)
    with Store(db) as store:
        try:
            results = store.search(query, kind=kind, limit=SEARCH_LIMIT)
        except PapernewsError:
            return site.search_page(query, kind, [], 0)
    return site.search_page(query, kind, [hit.item.id for hit in results], results.total)


@router.get("/search/")
async def search_page(request: Request, q: str = "", kind: str = "") -> Response:
    """Search from the archive's full-text index, rendered on the server (no Pagefind needed);
    a query's page is kept with the revision's other pages."""
    site = await current_site(request)
    query = q.strip()[:MAX_QUERY]
    chosen = kind if kind in {k.value for k in Kind} else None
    key = f"search/?{chosen or ''}&{query}"
    body = site.cached(key)
    if body is None:
        body = await run_in_threadpool(_search, site, settings_of(request).db, query, chosen)
        site.keep(key, body)
    return _send(request, body, site)


@router.get("/assets/{name}")
async def site_asset(name: str) -> Response:
    """The site's CSS, JS and icon (the build copies them to `assets/`)."""
    body = asset(name)
    if body is None:
        return Response("not found", status_code=404, media_type="text/plain; charset=utf-8")
    media = ASSET_TYPES.get(name[name.rfind(".") :], "application/octet-stream")
    return Response(body, media_type=media, headers={"Cache-Control": "public, max-age=3600"})


for _route in PAGE_ROUTES[1:]:
    router.add_api_route(_route, public_page, methods=["GET"])
for _route in FILE_ROUTES:
    router.add_api_route(_route, public_file, methods=["GET"])
