"""The item editor: the item's Markdown in the digest format, its week and tags, a live preview
with the house-style findings, a drafted summary on request, and no lost update.

The form carries the version the editor read (hidden field `version`). A save based on an
older version gets 409 and a page that shows what is stored now beside what the curator
typed, which stays in the form (with the new version, so saving again is a decision taken
with both in view): nothing typed is ever thrown away.

A drafted summary keeps its provenance: the draft puts it in the hidden field
`summary_provenance`, signed for this item (`security.sign_provenance`), and the save attaches
it to the item, so the store records the draft and marks it `edited` when the curator changed
the bullets, as it does for `papernews summarize --write`. A signature that does not verify
is refused with 400 (the text stays in the form); without the field, the item keeps the
provenance it already had.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from papernews.errors import InputError, NotFoundError, PapernewsError
from papernews.lint.findings import Finding
from papernews.model import Item, Week
from papernews.store import Store, VersionConflict
from papernews.web import security, service
from papernews.web.deps import User, settings_of
from papernews.web.pages_render import (
    CSRF,
    StoreDep,
    UserDep,
    card,
    input_message,
    is_htmx,
    item_url,
    render,
    see_other,
)

router = APIRouter(prefix="/admin/items", include_in_schema=False)

MAX_MARKDOWN = 50_000
MAX_PROVENANCE = 16_000  # a signed provenance is about 1 kB (more only with a very long source URL)


@dataclass
class EditForm:
    """What the editor sends: the item's Markdown, its week key, its tags, the version it read,
    and the signed provenance of a summary drafted into it since it was loaded ("" if none)."""

    markdown: str
    week: str
    tags: str
    version: int
    provenance: str = ""

    @classmethod
    def of(cls, item: Item, version: int) -> EditForm:
        return cls(service.item_markdown(item), item.week.key if item.week else "", ", ".join(item.tags), version)


MarkdownField = Annotated[str, Form(max_length=MAX_MARKDOWN)]
WeekField = Annotated[str, Form(max_length=40)]
TagsField = Annotated[str, Form(max_length=2000)]
VersionField = Annotated[int, Form(ge=0)]
ProvenanceField = Annotated[str, Form(max_length=MAX_PROVENANCE)]


def edit_form(
    version: VersionField,
    markdown: MarkdownField = "",
    week: WeekField = "",
    tags: TagsField = "",
    summary_provenance: ProvenanceField = "",
) -> EditForm:
    """The editor's fields as one `EditForm`: a dependency, so save, preview and draft (which all
    post the whole form) declare its fields and their limits once."""
    return EditForm(markdown, week, tags, version, summary_provenance)


FormDep = Annotated[EditForm, Depends(edit_form)]


def edited_item(base: Item, form: EditForm) -> Item:
    """`base` as the form says it; InputError (with the line) for text that is not one item."""
    item = service.item_from_markdown(form.markdown, base)
    update: dict[str, Any] = {}
    key = form.week.strip()
    if key != (base.week.key if base.week else ""):
        try:
            update["week"] = Week.parse_key(key) if key else None
        except ValueError:
            raise InputError(f"주는 2024-09-W03 꼴로 적습니다 (여러 주: 2024-02-W01~W03): {key!r}") from None
    tags = [t.strip() for t in form.tags.split(",") if t.strip()]
    if tags != base.tags:
        update["tags"] = tags
    return item.model_copy(update=update) if update else item


def preview_context(base: Item, form: EditForm) -> dict[str, Any]:
    """The preview pane: the card as the site will show it and the lint findings, or why the
    text cannot be read."""
    findings: list[Finding] = service.lint_markdown(form.markdown)
    try:
        preview = card(edited_item(base, form))
        problem = None
    except InputError as e:
        preview, problem = None, e
    return {"preview": preview, "findings": findings, "problem": problem}


def _page(
    request: Request,
    user: User,
    base: Item,
    form: EditForm,
    *,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
    conflict: dict[str, Any] | None = None,
    store: Store | None = None,
) -> Response:
    context = {
        "section": "",
        "user": user,
        "item": base,
        "form": form,
        "notice": notice,
        "error": error,
        "conflict": conflict,
        "entries": service.history(store, item_id=base.id, limit=6) if store is not None else [],
        **preview_context(base, form),
    }
    return render(request, "admin_item.html", context, status)


def _missing(request: Request, user: User, item_id: str) -> Response:
    message = f"항목 {item_id!r}이(가) 없습니다. 삭제되었거나 주소가 잘못되었습니다."
    return render(request, "admin_message.html", {"user": user, "title": "항목", "message": message}, 404)


@router.get("/{item_id}")
def edit(request: Request, item_id: str, store: StoreDep, user: UserDep, saved: int | None = None) -> Response:
    try:
        item, version = service.get_item(store, item_id)
    except NotFoundError:
        return _missing(request, user, item_id)
    notice = f"저장했습니다 (버전 {saved})." if saved is not None else None
    return _page(request, user, item, EditForm.of(item, version), notice=notice, store=store)


BAD_PROVENANCE = (
    "요약 초안의 출처 정보를 확인하지 못해 저장하지 않았습니다 (서명이 맞지 않거나 다른 항목의 초안입니다)."
    " 입력하신 내용은 그대로 두었습니다. 다시 저장하면 초안 출처 없이 저장됩니다."
)


@router.post("/{item_id}", dependencies=CSRF)
def save(request: Request, item_id: str, store: StoreDep, user: UserDep, form: FormDep) -> Response:
    """Save the form if the item is still at the version it was read at, else 409 with both texts;
    with the provenance of a summary drafted into it (400 when its signature is not this
    server's for this item: the form comes back without it, the text as typed)."""
    try:
        base, _ = service.get_item(store, item_id)
    except NotFoundError:
        return _missing(request, user, item_id)
    provenance = None
    if form.provenance:
        provenance = security.signed_provenance(security.web_secret(store), item_id, form.provenance)
        if provenance is None:
            kept = replace(form, provenance="")  # saving again saves the text without the draft's provenance
            return _page(request, user, base, kept, status=400, error=BAD_PROVENANCE, store=store)
    try:
        item = edited_item(base, form)
        if provenance is not None:
            item = service.with_draft_provenance(item, provenance)
        new_version = service.save_item(store, item, expected_version=form.version, user=user.name)
    except InputError as e:
        return _page(request, user, base, form, status=422, error=input_message(e), store=store)
    except VersionConflict as e:
        return conflict_page(request, user, base, form, e, store)
    return see_other(item_url(item_id, f"?saved={new_version}"))


def conflict_page(
    request: Request, user: User, base: Item, form: EditForm, e: VersionConflict, store: Store
) -> Response:
    """409: what is stored now (read-only) beside the curator's text (kept in the form)."""
    if e.current is None:
        message = "그사이 이 항목이 삭제되었습니다. 아래 내용은 입력하신 그대로입니다."
        return _page(request, user, base, form, status=409, error=message, store=store)
    current = EditForm.of(e.current, e.version)
    kept = replace(form, version=e.version)  # the drafted summary's provenance stays with the text
    conflict = {"current": current, "read": form.version}
    message = (
        f"그사이 다른 편집이 저장되었습니다 (버전 {form.version} → {e.version}). 입력하신 내용은 그대로 두었습니다."
        " 저장된 내용과 비교해 합친 뒤 다시 저장하세요."
    )
    return _page(request, user, e.current, kept, status=409, error=message, conflict=conflict, store=store)


@router.post("/{item_id}/preview", dependencies=CSRF)
def preview(request: Request, item_id: str, store: StoreDep, user: UserDep, form: FormDep) -> Response:
    """The live preview (htmx, debounced as the curator types); the whole page without JS."""
    try:
        base, _ = service.get_item(store, item_id)
    except NotFoundError:
        return _missing(request, user, item_id)
    if is_htmx(request):
        return render(request, "_item_preview.html", preview_context(base, form))
    return _page(request, user, base, form, store=store)


@router.post("/{item_id}/draft", dependencies=CSRF)
def draft(request: Request, item_id: str, store: StoreDep, user: UserDep, form: FormDep) -> Response:
    """Summary bullets drafted (the configured LLM, else the offline draft) into the form, unsaved,
    with their provenance signed into the hidden field for the save to store."""
    try:
        base, _ = service.get_item(store, item_id)
    except NotFoundError:
        return _missing(request, user, item_id)
    error = notice = None
    try:
        drafted = service.draft_summary(store, item_id, settings_of(request))
    except PapernewsError as e:
        error = f"초안을 만들지 못했습니다: {e}"
    else:
        try:
            current = edited_item(base, form)
        except InputError:
            current = base
        form.markdown = service.item_markdown(current.model_copy(update={"bullets": drafted.bullets}))
        form.provenance = security.sign_provenance(security.web_secret(store), item_id, drafted.provenance)
        notice = "요약 초안을 넣었습니다. 고친 뒤 저장하세요 (아직 저장되지 않았습니다)."
    if is_htmx(request):
        context = {"form": form, "notice": notice, "error": error, "oob": True, **preview_context(base, form)}
        return render(request, "_markdown_field.html", context)
    return _page(request, user, base, form, notice=notice, error=error, store=store)
