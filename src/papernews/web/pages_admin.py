"""The workbench pages behind login: home, inbox, add, weeks (order, publish) and history.

Each handler is a few lines over `papernews.web.service`, the library the JSON API calls too.
Handlers that read the archive or the network are plain `def`s (FastAPI runs them in its
thread pool); writes come from forms carrying the CSRF token (htmx sends it as a header).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from papernews.errors import InputError, PapernewsError
from papernews.model import Kind, Week
from papernews.store import Store, WeekChanged
from papernews.store import inbox as inbox_table
from papernews.web import service
from papernews.web.deps import settings_of
from papernews.web.pages_public import public_site
from papernews.web.pages_render import (
    CSRF,
    StoreDep,
    UserDep,
    is_htmx,
    kind_label,
    render,
    see_other,
    week_text,
    week_url,
)

router = APIRouter(prefix="/admin", include_in_schema=False)

MAX_URLS = 50
INBOX_TOP = 100
_URL_RE = re.compile(r"\S+")


@router.get("")
def home(request: Request, store: StoreDep, user: UserDep) -> Response:
    """Where a session starts: what waits, the latest weeks, the latest changes."""
    stats = store.stats(top=8)
    waiting = len(inbox_table.waiting(store, today=date.today().isoformat()))
    drafts = sum(1 for it in public_site(request, store).items if not it.bullets)
    return render(
        request,
        "admin_home.html",
        {
            "section": "home",
            "user": user,
            "stats": stats,
            "waiting": waiting,
            "drafts": drafts,
            "weeks": service.list_weeks(store)[:8],
            "recent": service.history(store, limit=8),
            "kinds": [(k.value, kind_label(k), stats.by_kind.get(k.value, 0)) for k in Kind],
        },
    )


# --- inbox ------------------------------------------------------------------------------------


@router.get("/inbox")
def inbox(request: Request, store: StoreDep, user: UserDep, week: str = "") -> Response:
    """Ranked candidates; when none wait, the archive's items that still lack bullets (drafts)."""
    error = None
    try:
        ranked = service.list_candidates(store, week.strip() or None, INBOX_TOP)
    except InputError as e:
        ranked, error = [], e.message
    drafts = []
    if not ranked:
        site = public_site(request, store)
        drafts = sorted((it for it in site.items if not it.bullets), key=_newest_first)[:INBOX_TOP]
    return render(
        request,
        "admin_inbox.html",
        {"section": "inbox", "user": user, "ranked": ranked, "drafts": drafts, "week": week, "error": error},
    )


def _newest_first(it: object) -> tuple[int, int, int]:
    w = getattr(it, "week", None)
    return (-w.year, -w.month, -w.weeks[0]) if isinstance(w, Week) else (0, 0, 0)


@router.post("/inbox/decide", dependencies=CSRF)
def decide(
    request: Request,
    store: StoreDep,
    user: UserDep,
    candidate: Annotated[str, Form(max_length=100)],
    action: Annotated[Literal["accept", "reject", "snooze"], Form()],
) -> Response:
    """One candidate accepted (it becomes an item), rejected or snoozed; htmx gets its row back."""
    try:
        decisions = service.decide(store, [candidate], action, user=user.name, settings=settings_of(request))
        decision, error = (decisions[0] if decisions else None), None
    except PapernewsError as e:
        decision, error = None, str(e)
    if is_htmx(request):
        return render(request, "_inbox_done.html", {"ref": candidate, "decision": decision, "error": error})
    if error is not None or decision is None or decision.outcome == "error":
        message = error or (decision.error if decision else None) or "결정을 저장하지 못했습니다."
        return render(request, "admin_message.html", {"user": user, "title": "인박스", "message": message}, 400)
    return see_other("/admin/inbox")


# --- add ----------------------------------------------------------------------------------


def _urls(text: str) -> list[str]:
    found = list(dict.fromkeys(_URL_RE.findall(text)))
    if not found:
        raise InputError("붙여 넣은 URL이 없습니다: 한 줄에 하나씩 적어 주세요.")
    if len(found) > MAX_URLS:
        raise InputError(f"한 번에 {MAX_URLS}개까지 추가할 수 있습니다 ({len(found)}개).")
    return found


def _add_options(week: str, kind: str) -> tuple[Week | None, Kind | None]:
    try:
        chosen_week = Week.parse_key(week) if week.strip() else None
    except ValueError:
        raise InputError(f"주는 2024-09-W03 꼴로 적습니다: {week!r}") from None
    chosen_kind = Kind(kind) if kind in {k.value for k in Kind} else None
    return chosen_week, chosen_kind


def _add_error(e: PapernewsError) -> str:
    """What the add page says when previewing or adding fails: the curator's own mistake in its
    words (no `<input>:` location, the URLs are one box), anything else (the network) in full."""
    return e.message if isinstance(e, InputError) else str(e)


@router.get("/add")
def add_form(request: Request, user: UserDep) -> Response:
    return render(request, "admin_add.html", {"section": "add", "user": user, "urls": ""})


@router.post("/add/preview", dependencies=CSRF)
def add_preview(
    request: Request,
    store: StoreDep,
    user: UserDep,
    urls: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    """What saving would add, fetched and guessed, with duplicates named; nothing is stored."""
    context: dict[str, object] = {"section": "add", "user": user, "urls": urls}
    try:
        context["previews"] = service.preview_urls(_urls(urls), settings_of(request), store)
    except PapernewsError as e:
        context["error"] = _add_error(e)
    return render(request, "_add_preview.html" if is_htmx(request) else "admin_add.html", context)


@router.post("/add", dependencies=CSRF)
def add(
    request: Request,
    store: StoreDep,
    user: UserDep,
    urls: Annotated[str, Form(max_length=20_000)] = "",
    week: Annotated[str, Form(max_length=40)] = "",
    kind: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Add an item per URL, as `papernews add` does; the result links each new item's editor."""
    context: dict[str, object] = {"section": "add", "user": user, "urls": urls, "week": week, "kind": kind}
    try:
        chosen_week, chosen_kind = _add_options(week, kind)
        results = service.add_urls(
            _urls(urls), settings_of(request), store, user=user.name, week=chosen_week, kind=chosen_kind
        )
    except PapernewsError as e:
        context["error"] = _add_error(e)
        return render(request, "admin_add.html", context, 400)
    context["results"] = results
    context["urls"] = ""
    return render(request, "admin_add.html", context)


# --- weeks and publishing ---------------------------------------------------------------------


@router.get("/weeks")
def weeks(request: Request, store: StoreDep, user: UserDep) -> Response:
    return render(request, "admin_weeks.html", {"section": "weeks", "user": user, "weeks": service.list_weeks(store)})


def _week_context(store: Store, key: str) -> dict[str, object]:
    rows = service.week_items(store, key)
    week = Week.parse_key(key)
    return {"key": week.key, "week_title": week_text(rows[0][0].week if rows else week), "rows": rows}


@router.get("/weeks/{key}")
def week_page(request: Request, key: str, store: StoreDep, user: UserDep) -> Response:
    try:
        context = _week_context(store, key)
    except (InputError, ValueError) as e:
        return render(request, "admin_message.html", {"user": user, "title": "주", "message": str(e)}, 404)
    return render(request, "admin_week.html", {"section": "weeks", "user": user, **context})


def _moved(ids: list[str], move: str) -> tuple[list[str], str | None]:
    """The order after `up:ID` or `down:ID` (the buttons beside each row); unchanged otherwise."""
    direction, _, item_id = move.partition(":")
    if item_id not in ids or direction not in ("up", "down"):
        return ids, None
    i = ids.index(item_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids = list(ids)
        ids[i], ids[j] = ids[j], ids[i]
    return ids, item_id


@router.post("/weeks/{key}/order", dependencies=CSRF)
def reorder(
    request: Request,
    key: str,
    store: StoreDep,
    user: UserDep,
    ids: Annotated[list[str], Form()],
    move: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Save a week's order: the rows as dragged, or one row moved up or down."""
    order, moved = _moved(ids, move)
    status, notice = 200, None
    try:
        service.reorder_week(store, key, order, user=user.name)
    except WeekChanged:
        status, notice = 409, "그사이 이 주의 항목이 바뀌었습니다. 지금 저장된 순서를 보여 드립니다. 다시 옮겨 주세요."
    except InputError as e:
        return render(request, "admin_message.html", {"user": user, "title": "주", "message": e.message}, 400)
    if not is_htmx(request) and status == 200:
        return see_other(week_url(key) + (f"#row-{moved}" if moved else ""))
    context = {**_week_context(store, key), "user": user, "section": "weeks", "notice": notice, "moved": moved}
    return render(request, "_week_order.html" if is_htmx(request) else "admin_week.html", context, status)


@router.post("/publish", dependencies=CSRF)
def publish(
    request: Request,
    store: StoreDep,
    user: UserDep,
    back: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Rebuild README.md, items.json and the site (and commit them when a repository is set)."""
    context: dict[str, object] = {"section": "weeks", "user": user, "back": back}
    status = 200
    try:
        context["report"] = service.publish(store, settings_of(request), user=user.name)
    except PapernewsError as e:
        context["error"], status = str(e), 500
    template = "_publish_report.html" if is_htmx(request) else "admin_publish.html"
    return render(request, template, context, status)


# --- history ------------------------------------------------------------------------------


@router.get("/history")
def history(request: Request, store: StoreDep, user: UserDep, item: str = "") -> Response:
    entries = service.history(store, item_id=item.strip() or None, limit=200)
    return render(
        request, "admin_history.html", {"section": "history", "user": user, "entries": entries, "item": item.strip()}
    )
