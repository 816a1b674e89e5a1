"""What every workbench page handler needs: render a template, tell htmx from a plain form,
and show an item the way the site will.

An htmx request (`HX-Request: true`) gets the fragment it swaps in; the same URL without it
gets the whole page, so every action works from a plain form with JavaScript off.
"""

from __future__ import annotations

from typing import Annotated, Any, cast
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from papernews.errors import InputError
from papernews.model import Item, Kind, Week
from papernews.publish import paths
from papernews.publish.cards import KIND_LABEL, ROOT, card_html
from papernews.publish.inline import safe_url
from papernews.publish.view import from_item
from papernews.store import Store
from papernews.web.deps import User, get_store, require_csrf, require_user

StoreDep = Annotated[Store, Depends(get_store)]
UserDep = Annotated[User, Depends(require_user)]
CSRF = [Depends(require_csrf)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """`name` with `context` and the helpers every workbench template uses (`item_url`, …)."""
    templates = cast(Jinja2Templates, request.app.state.templates)
    full = {"request": request, **HELPERS, **context}
    return cast(HTMLResponse, templates.TemplateResponse(request, name, full, status_code=status_code))


def see_other(url: str) -> RedirectResponse:
    """After a form's POST: the browser loads the result with GET (reloading it posts nothing)."""
    return RedirectResponse(url, status_code=303)


def item_url(item_id: str, tail: str = "") -> str:
    return f"/admin/items/{quote(item_id, safe='')}{tail}"


def week_url(key: str) -> str:
    return f"/admin/weeks/{quote(key, safe='')}"


def public_week_url(key: str) -> str:
    """The week's page on the public site (`/2024/09/w3/`)."""
    try:
        return "/" + paths.week_path(Week.parse_key(key))
    except ValueError:
        return "/"


def card(item: Item) -> Markup:
    """The item's card as the public site renders it (`publish.cards`, which escapes every
    string of the item), with the site's links pointing at this server's root."""
    return Markup(card_html(from_item(item)).replace(ROOT, "/"))


def input_message(e: InputError) -> str:
    """An InputError as the curator reads it: the line in their text, not `<input>:3`."""
    return f"{e.line}번째 줄: {e.message}" if e.line is not None else e.message


def kind_label(kind: Kind | str | None) -> str:
    value = kind.value if isinstance(kind, Kind) else kind
    return KIND_LABEL.get(value or "", "종류 없음")


def week_text(week: Week | None) -> str:
    return f"{week.year}년 {week.month}월 {week.display_label}" if week else "주 없음"


HELPERS: dict[str, Any] = {
    "item_url": item_url,
    "week_url": week_url,
    "kind_label": kind_label,
    "week_text": week_text,
    "public_week_url": public_week_url,
    "safe_href": safe_url,  # an href only for http(s) URLs: a `javascript:` link stays text
}
