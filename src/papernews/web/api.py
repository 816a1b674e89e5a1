"""The JSON API under `/api/v1`: items, search, weeks, the inbox, adding links, publishing.

Reads of the archive are public; everything else needs a user: an API token
(`Authorization: Bearer pn_…`, from `papernews token create`) or a logged-in browser session
with its CSRF token in `X-CSRF-Token`. Item reads send `ETag: "<version>"`; PUT, PATCH and
DELETE need it back in `If-Match` (428 without it, 409 with the current item when it is stale).
Every route declares its responses, so the OpenAPI document says what really comes back.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from papernews.errors import NotFoundError, PapernewsError
from papernews.lint.findings import Finding
from papernews.model import Bullet, Item, Kind, SummaryProvenance, Week
from papernews.store import Store, VersionConflict
from papernews.web import service
from papernews.web.deps import User, api_user, get_store, require_writer, settings_of

if TYPE_CHECKING:
    from papernews.inbox.model import InboxCandidate

router = APIRouter(tags=["api"])

StoreDep = Annotated[Store, Depends(get_store)]
Writer = Annotated[User, Depends(require_writer)]
Reader = Annotated[User, Depends(api_user)]
ItemId = Annotated[str, Path(min_length=1, max_length=200, description="an item's id")]
WeekKey = Annotated[str, Path(min_length=1, max_length=40, description="a week key: YYYY-MM-Wnn")]


# --- bodies ---------------------------------------------------------------------------


class Problem(BaseModel):
    detail: str


class Conflict(BaseModel):
    """A write based on a stale version: the item as stored now (None: it was deleted)."""

    detail: str
    version: int
    item: Item | None


class WeekConflict(BaseModel):
    detail: str
    ids: list[str]


def _strip_bullet(value: Any) -> Any:
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "links"}
        if isinstance(value.get("children"), list):
            value["children"] = [_strip_bullet(c) for c in value["children"]]
    return value


def _strip_computed(data: Any) -> Any:
    """What a GET returns can be sent back as it is: the computed fields it carries (a bullet's
    `links`, a week's `key`) are dropped before validation instead of refused as extra fields."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    if isinstance(data.get("bullets"), list):
        data["bullets"] = [_strip_bullet(b) for b in data["bullets"]]
    if isinstance(data.get("week"), dict):
        data["week"] = {k: v for k, v in data["week"].items() if k != "key"}
    data.pop("source", None)  # the verbatim README text is the archive's business
    return data


class ItemBody(Item):
    """An item as a client sends it (PUT): the id in the path wins; `source` is ignored."""

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        return _strip_computed(data)


class NewItem(ItemBody):
    """An item to create; without an id, one is made from its week, URL and title."""

    id: str = Field(default="", max_length=200, description="leave empty to have one made")


class ItemPatch(BaseModel):
    """Only the fields given change; `markdown` (the item's digest line and bullets) is applied first."""

    model_config = ConfigDict(extra="forbid")

    markdown: str | None = Field(default=None, description="the item in the digest format, as the edit page shows it")
    kind: Kind | None = None
    extra_kinds: list[Kind] | None = None
    orgs: list[str] | None = None
    org_label: str | None = None
    title: str | None = None
    url: str | None = None
    bullets: list[Bullet] | None = None
    week: Week | None = None
    tags: list[str] | None = None
    marker: str | None = None
    bold: bool | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_computed(cls, data: Any) -> Any:
        return _strip_computed(data)


class VersionedItem(BaseModel):
    version: int
    item: Item


class ItemPage(BaseModel):
    items: list[Item]
    offset: int
    limit: int
    next_offset: int | None = Field(description="where the next page starts, None after the last")


class SearchHitOut(BaseModel):
    score: float
    item: Item


class SearchOut(BaseModel):
    query: str
    total: int = Field(description="how many items match in all")
    windowed: bool = Field(description="ranked among the newest matches only (a very common word)")
    hits: list[SearchHitOut]


class WeekOut(BaseModel):
    key: str
    label: str
    count: int


class WeekItems(BaseModel):
    key: str
    items: list[VersionedItem]


class Order(BaseModel):
    ids: list[str] = Field(description="every item of the week once, in the new order")


class Markdown(BaseModel):
    markdown: str = Field(max_length=100_000)


class FindingOut(BaseModel):
    line: int | None
    severity: Literal["error", "warning"]
    rule: str
    message: str


class LintOut(BaseModel):
    findings: list[FindingOut]


class DraftOut(BaseModel):
    """A drafted summary, not stored. To keep its provenance, PUT the item with these bullets and
    `meta.summary_provenance` set to `provenance`: the store then marks it `edited` when the
    bullets saved are not the draft's."""

    bullets: list[Bullet]
    provenance: SummaryProvenance = Field(
        description="how the draft was made (method, model, endpoint, prompt version, source hash, bullets hash)"
    )


class CandidateOut(BaseModel):
    id: str
    url: str
    source: str
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    published: str | None
    week: str
    upvotes: int | None
    org: str | None
    sources: list[str]
    first_seen: str
    status: Literal["new", "accepted", "rejected", "snoozed"]
    decided_at: str | None
    snoozed_until: str | None
    item_id: str | None
    score: float | None = None
    reasons: list[str] = Field(default_factory=list)


class DecideIn(BaseModel):
    ids: list[str] = Field(min_length=1, max_length=200)
    action: Literal["accept", "reject", "snooze"]


class DecisionOut(BaseModel):
    id: str
    outcome: Literal["accepted", "duplicate", "error", "rejected", "snoozed"]
    candidate: CandidateOut | None
    item: Item | None
    error: str | None


class UrlsIn(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=50)


class AddIn(UrlsIn):
    week: str | None = Field(default=None, description="file every item under this week (YYYY-MM-Wnn)")
    kind: Kind | None = None
    org: str | None = None


class PreviewOut(BaseModel):
    url: str
    item: Item | None
    duplicate_of: str | None
    warnings: list[str]
    error: str | None


class AddOut(BaseModel):
    url: str
    status: Literal["added", "duplicate", "error"]
    item: Item | None
    duplicate_of: str | None
    error: str | None


class AuditOut(BaseModel):
    at: str
    user: str
    action: str
    item_id: str | None
    detail: str


class Me(BaseModel):
    id: int
    name: str


# --- helpers --------------------------------------------------------------------------


def _r(*codes: int) -> dict[int | str, dict[str, Any]]:
    models: dict[int, type[BaseModel]] = {409: Conflict}
    words = {
        400: "bad input",
        401: "not logged in and no valid API token",
        403: "missing or wrong CSRF token",
        404: "no such item or week",
        409: "the item changed since it was read (its current state in the body)",
        428: "If-Match is required: the ETag of the item as read",
        503: "the archive could not do it",
    }
    return {c: {"model": models.get(c, Problem), "description": words[c]} for c in codes}


WRITE = (401, 403)


def conflict_body(exc: VersionConflict) -> Conflict:
    current = exc.current.model_copy(update={"source": None}) if exc.current is not None else None
    return Conflict(detail=str(exc), version=exc.version, item=current)


def _public(item: Item) -> Item:
    return item.model_copy(update={"source": None}) if item.source is not None else item


def _etag(version: int) -> str:
    return f'"{version}"'


def _expected(if_match: Annotated[str | None, Header(max_length=40)] = None) -> int:
    """The version a write is based on, from `If-Match` (428 without it): a dependency, so PUT,
    PATCH and DELETE of an item declare and check the header in one place."""
    if if_match is None:
        raise HTTPException(428, 'send If-Match with the ETag of the item as read (e.g. If-Match: "3")')
    value = if_match.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise HTTPException(400, 'If-Match must be one ETag of the item, e.g. "3"')
    return int(value)


Expected = Annotated[int, Depends(_expected)]


def _versioned(item: Item, version: int, response: Response) -> VersionedItem:
    response.headers["ETag"] = _etag(version)
    return VersionedItem(version=version, item=_public(item))


def _saved(store: Store, item: Item, expected: int, user: User, response: Response) -> VersionedItem:
    """`item` written over the version the client read (409 when it is stale) and sent back with
    its new version and ETag: how PUT and PATCH of an item both end."""
    version = service.save_item(store, item, expected_version=expected, user=user.name)
    return _versioned(item, version, response)


def _as_item(body: Item, **update: Any) -> Item:
    """A plain `Item` from a body model (a subclass), with `update` applied; validated."""
    data = body.model_dump(exclude_computed_fields=True, exclude={"source"})
    data.update(update)
    return Item.model_validate(data)


def _candidate(c: InboxCandidate, **extra: Any) -> CandidateOut:
    data = asdict(c)
    data.pop("identity", None)
    return CandidateOut(**data, **extra)


def _finding(f: Finding) -> FindingOut:
    return FindingOut(line=f.line, severity=f.severity, rule=f.rule, message=f.message)


# --- items ----------------------------------------------------------------------------


@router.get("/items", response_model=ItemPage, responses=_r(400))
def list_items(
    store: StoreDep,
    kind: Kind | None = None,
    org: Annotated[str | None, Query(max_length=200)] = None,
    week: Annotated[str | None, Query(max_length=40, description="YYYY-MM-Wnn")] = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ItemPage:
    """Items in archive order, filtered by kind, org or week."""
    week_value = Week.parse_key(service.normalize_week(week)) if week else None
    found = store.items(kind=kind.value if kind else None, org=org, week=week_value, limit=limit + 1, offset=offset)
    page = found[:limit]
    more = len(found) > limit
    next_offset = offset + limit if more else None
    return ItemPage(items=[_public(i) for i in page], offset=offset, limit=limit, next_offset=next_offset)


@router.get("/items/{item_id}", response_model=VersionedItem, responses=_r(404))
def read_item(item_id: ItemId, store: StoreDep, response: Response) -> VersionedItem:
    """One item with its version (also sent as the ETag)."""
    item, version = service.get_item(store, item_id)
    return _versioned(item, version, response)


@router.post("/items", status_code=201, response_model=VersionedItem, responses=_r(400, *WRITE, 409))
def create_item(body: NewItem, store: StoreDep, user: Writer, response: Response) -> VersionedItem:
    """A new item (409 when its id is taken)."""
    item = _as_item(body)
    if not item.id:
        item = item.model_copy(update={"id": service.new_item_id(store, item)})
    version = service.create_item(store, item, user=user.name)
    return _versioned(item, version, response)


@router.put("/items/{item_id}", response_model=VersionedItem, responses=_r(400, *WRITE, 404, 409, 428))
def replace_item(
    item_id: ItemId, body: ItemBody, store: StoreDep, user: Writer, expected: Expected, response: Response
) -> VersionedItem:
    """Replace an item's fields (its id is the path's); needs If-Match."""
    current, _ = service.get_item(store, item_id)
    item = _as_item(body, id=item_id)
    item = item.model_copy(update={"source": current.source})  # unchanged fields keep the README's bytes
    return _saved(store, item, expected, user, response)


@router.patch("/items/{item_id}", response_model=VersionedItem, responses=_r(400, *WRITE, 404, 409, 428))
def patch_item(
    item_id: ItemId, body: ItemPatch, store: StoreDep, user: Writer, expected: Expected, response: Response
) -> VersionedItem:
    """Change some fields of an item (or its Markdown); needs If-Match."""
    current, _ = service.get_item(store, item_id)
    item = current
    if body.markdown is not None:
        item = service.item_from_markdown(body.markdown, item)
    changes = {k: getattr(body, k) for k in body.model_fields_set if k != "markdown"}
    if changes:
        item = _as_item(item, **changes, source=None).model_copy(update={"source": current.source})
    return _saved(store, item, expected, user, response)


@router.delete("/items/{item_id}", status_code=204, response_class=Response, responses=_r(400, *WRITE, 404, 409, 428))
def delete_item(item_id: ItemId, store: StoreDep, user: Writer, expected: Expected) -> Response:
    """Remove an item; needs If-Match."""
    service.delete_item(store, item_id, expected_version=expected, user=user.name)
    return Response(status_code=204)


@router.post("/items/{item_id}/draft", response_model=DraftOut, responses=_r(400, *WRITE, 404))
def draft_item(item_id: ItemId, request: Request, store: StoreDep, user: Writer) -> DraftOut:
    """Summary bullets drafted for the item (configured LLM, else the offline draft) with their
    provenance; not stored."""
    try:
        drafted = service.draft_summary(store, item_id, settings_of(request))
    except NotFoundError:
        raise
    except PapernewsError as e:
        raise HTTPException(400, str(e)) from None
    return DraftOut(bullets=drafted.bullets, provenance=drafted.provenance)


@router.post("/lint", response_model=LintOut, responses=_r(400, *WRITE))
def lint(body: Markdown, user: Writer) -> LintOut:
    """House-style findings of one item's Markdown (lines count from the item's line)."""
    return LintOut(findings=[_finding(f) for f in service.lint_markdown(body.markdown)])


# --- search and weeks -----------------------------------------------------------------


@router.get("/search", response_model=SearchOut)
def search(
    store: StoreDep,
    q: Annotated[str, Query(max_length=500, description="words to find (Korean inside words too)")],
    kind: Kind | None = None,
    org: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchOut:
    """Items matching every word, best first (BM25: title, then orgs, then bullets)."""
    found = store.search(q, kind=kind.value if kind else None, org=org, limit=limit)
    hits = [SearchHitOut(score=h.score, item=_public(h.item)) for h in found.hits]
    return SearchOut(query=q, total=found.total, windowed=found.windowed, hits=hits)


@router.get("/weeks", response_model=list[WeekOut])
def weeks(store: StoreDep) -> list[WeekOut]:
    """Every week block with its number of items, newest first."""
    return [WeekOut(key=w.key, label=w.label, count=w.count) for w in service.list_weeks(store)]


@router.get("/weeks/{week_key}", response_model=WeekItems, responses=_r(400))
def week(week_key: WeekKey, store: StoreDep) -> WeekItems:
    """The items of a week block in order, with versions."""
    key = service.normalize_week(week_key)
    items = [VersionedItem(version=v, item=_public(i)) for i, v in service.week_items(store, key)]
    return WeekItems(key=key, items=items)


@router.put(
    "/weeks/{week_key}/order",
    response_model=WeekItems,
    responses={**_r(400, *WRITE), 409: {"model": WeekConflict, "description": "the week's items changed"}},
)
def reorder(week_key: WeekKey, body: Order, store: StoreDep, user: Writer) -> WeekItems:
    """Put the week's items in the order of `ids` (each of its items once)."""
    service.reorder_week(store, week_key, body.ids, user=user.name)
    return week(week_key, store)


# --- the inbox, adding, publishing, history -------------------------------------------------


@router.get("/candidates", response_model=list[CandidateOut], responses=_r(400, 401))
def candidates(
    store: StoreDep,
    user: Reader,
    week: Annotated[str | None, Query(max_length=40, description="YYYY-MM-Wnn")] = None,
    top: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[CandidateOut]:
    """Waiting candidates ranked by taste. A user's view (the curator's inbox; ranking costs a model fit)."""
    ranked = service.list_candidates(store, week, top)
    return [_candidate(r.candidate, score=r.score, reasons=r.reasons) for r in ranked]


@router.post("/candidates/decide", response_model=list[DecisionOut], responses=_r(400, *WRITE))
def decide(body: DecideIn, request: Request, store: StoreDep, user: Writer) -> list[DecisionOut]:
    """Accept (the candidate becomes an item), reject or snooze candidates."""
    done = service.decide(store, body.ids, body.action, user=user.name, settings=settings_of(request))
    return [
        DecisionOut(
            id=d.ref,
            outcome=d.outcome,
            candidate=_candidate(d.candidate) if d.candidate else None,
            item=_public(d.item) if d.item else None,
            error=d.error,
        )
        for d in done
    ]


@router.post("/add/preview", response_model=list[PreviewOut], responses=_r(400, *WRITE))
def preview(body: UrlsIn, request: Request, store: StoreDep, user: Writer) -> list[PreviewOut]:
    """What adding the URLs would give (fetched and guessed); nothing is saved."""
    found = service.preview_urls(body.urls, settings_of(request), store)
    return [
        PreviewOut(
            url=p.url,
            item=_public(p.item) if p.item else None,
            duplicate_of=p.duplicate_of,
            warnings=p.warnings,
            error=p.error,
        )
        for p in found
    ]


@router.post("/add", response_model=list[AddOut], responses=_r(400, *WRITE))
def add(body: AddIn, request: Request, store: StoreDep, user: Writer) -> list[AddOut]:
    """Add an item per URL, as `papernews add` does (duplicates refused, with the item they are)."""
    week_value = Week.parse_key(service.normalize_week(body.week)) if body.week else None
    results = service.add_urls(
        body.urls, settings_of(request), store, user=user.name, week=week_value, kind=body.kind, org=body.org
    )
    return [
        AddOut(
            url=r.url,
            status=r.status,
            item=_public(r.item) if r.item else None,
            duplicate_of=r.duplicate_of,
            error=r.error,
        )
        for r in results
    ]


@router.post("/publish", response_model=service.PublishReport, responses=_r(400, *WRITE, 503))
def publish(request: Request, store: StoreDep, user: Writer) -> service.PublishReport:
    """Rebuild README.md, items.json and the site; commit them when a git repository is configured.

    The service's report is the response model itself (FastAPI reads the dataclass's fields), so
    a field added to it is documented and sent without a second declaration to keep in step."""
    return service.publish(store, settings_of(request), user=user.name)


@router.get("/history", response_model=list[AuditOut], responses=_r(401))
def history(
    store: StoreDep,
    user: Reader,
    item_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    """Who changed what, when (newest first)."""
    return [AuditOut(**asdict(e)) for e in service.history(store, item_id=item_id, limit=limit)]


@router.get("/me", response_model=Me, responses=_r(401))
def me(user: Reader) -> Me:
    """Who the token or session is."""
    return Me(id=user.id, name=user.name)
