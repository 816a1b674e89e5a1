"""The vocabulary of papernews: Item, Week, Bullet, Kind.

One source of truth for validation and for the JSON Schema (`papernews schema`).
An item keeps, next to what it means, the exact text it was read from
(`source`), so an unchanged item can be written back byte for byte.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from papernews.links import Link, find_links


class Kind(StrEnum):
    """The three kinds of the digest, each with the emoji the README uses."""

    PAPER = "paper"
    DEV = "dev"
    NEWS = "news"

    @property
    def emoji(self) -> str:
        return KIND_EMOJI[self]


# The canonical emoji of each kind, as written in the seed's legend.
KIND_EMOJI: dict[Kind, str] = {
    Kind.PAPER: "📜",
    Kind.DEV: "🧑🏻💻",
    Kind.NEWS: "🗞️",
}

# Every spelling of a kind emoji seen in the wild, longest first so that a
# prefix match picks the whole sequence (with or without zero-width joiner).
EMOJI_KIND: dict[str, Kind] = dict(
    sorted(
        {
            "📜": Kind.PAPER,
            "🧑🏻\u200d💻": Kind.DEV,
            "🧑🏻💻": Kind.DEV,
            "🧑\u200d💻": Kind.DEV,
            "👩🏻\u200d💻": Kind.DEV,
            "🗞️": Kind.NEWS,
            "🗞": Kind.NEWS,
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)


class Bullet(BaseModel):
    """A summary bullet; its children are the deeper bullets under it."""

    model_config = ConfigDict(extra="forbid")

    text: str
    children: list[Bullet] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def links(self) -> list[Link]:
        """The links written inside the bullet (`[깃허브 링크](url)` or a bare URL)."""
        return find_links(self.text)


def walk_bullets(bullets: list[Bullet], level: int = 1) -> list[tuple[int, Bullet]]:
    """Depth-first list of (level, bullet); level 1 is a summary bullet."""
    out: list[tuple[int, Bullet]] = []
    for b in bullets:
        out.append((level, b))
        out.extend(walk_bullets(b.children, level + 1))
    return out


def build_bullet_tree(flat: list[tuple[int, str]]) -> list[Bullet]:
    """Rebuild the tree from (level, text) pairs; a jump of several levels nests under the last bullet.

    The bullets are built without validation: the parser calls this with plain strings,
    which are valid by construction. It does what `Bullet.model_construct(text=…, children=[])`
    does (a fresh `__dict__`, every field marked as set, no extra, no private) without its
    loop over the fields: `model_construct` is ~10 µs a bullet, a third of parsing the seed.
    `tests/test_markdown_speed.py` checks that both give the same model.
    """
    roots: list[Bullet] = []
    stack: list[tuple[int, Bullet]] = []
    new, set_ = _new_bullet, object.__setattr__
    for level, text in flat:
        if new is None:  # pragma: no cover - Bullet grew a post-init, aliases or extra="allow"
            bullet = Bullet.model_construct(text=text, children=[])
        else:
            bullet = new(Bullet)
            set_(bullet, "__dict__", {"text": text, "children": []})
            set_(bullet, "__pydantic_fields_set__", {"text", "children"})
            set_(bullet, "__pydantic_extra__", None)
            set_(bullet, "__pydantic_private__", None)
        # the levels on the stack rise from the bottom: when the lowest is not below this
        # bullet's, every level would be popped and the bullet is a root (the usual case)
        if not stack or stack[0][0] >= level:
            roots.append(bullet)
            stack = [(level, bullet)]
            continue
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].children.append(bullet)
        stack.append((level, bullet))
    return roots


# How build_bullet_tree makes a Bullet: `Bullet.__new__`, unless the shortcut would differ
# from `model_construct` (decided once: pydantic class attributes are slow to read).
_new_bullet = (
    None
    if Bullet.__pydantic_post_init__
    or Bullet.model_config.get("extra") == "allow"
    or tuple(Bullet.model_fields) != ("text", "children")
    or any(f.alias or f.validation_alias for f in Bullet.model_fields.values())
    else Bullet.__new__
)


def plain_model(cls: type[BaseModel], fields: tuple[str, ...]) -> bool:
    """True when setting an instance's `__dict__` makes what `model_construct` makes: the model
    has exactly `fields` in this order, no alias, no post-init, is no root model and keeps no extra."""
    return (
        tuple(cls.model_fields) == fields
        and not cls.__pydantic_post_init__
        and not cls.__pydantic_root_model__
        and cls.model_config.get("extra") != "allow"
        and all(f.alias is None and f.validation_alias is None for f in cls.model_fields.values())
    )


_ORDINAL = {1: "1st", 2: "2nd", 3: "3rd"}
WEEK_KEY_RE = re.compile(r"^(\d{4})-(\d{1,2})-W(\d{1,2})(?:(?:~|-|\.\.)W?(\d{1,2}))?$")


def ordinal(n: int) -> str:
    return _ORDINAL.get(n, f"{n}th")


def canonical_week_label(weeks: list[int]) -> str:
    """`[4]` → `4th week`; `[1, 2, 3]` → `1st ~ 3rd week` (the seed's spelling)."""
    return _canonical_week_label(tuple(weeks))


@functools.lru_cache(maxsize=256)
def _canonical_week_label(weeks: tuple[int, ...]) -> str:
    # cached: asked for every item written to items.json, of a few dozen week sets
    if len(weeks) == 1:
        return f"{ordinal(weeks[0])} week"
    if weeks == tuple(range(weeks[0], weeks[-1] + 1)):
        return f"{ordinal(weeks[0])} ~ {ordinal(weeks[-1])} week"
    return ", ".join(ordinal(w) for w in weeks) + " week"


class Week(BaseModel):
    """A week of the month (`ceil(day / 7)`), or the range of weeks one block covers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=1900, le=2999)
    month: int = Field(ge=1, le=12)
    weeks: list[int] = Field(min_length=1, description="week numbers of the month covered, 1-5")
    label: str | None = Field(default=None, description="the block label as written, e.g. `1st ~ 3rd week`")

    @field_validator("weeks")
    @classmethod
    def _sorted_weeks(cls, v: list[int]) -> list[int]:
        weeks = sorted(set(v))
        if weeks and (weeks[0] < 1 or weeks[-1] > 6):  # one test of the ends: this runs for every item read
            raise ValueError("week numbers are 1-6")
        return weeks

    @property
    def first(self) -> int:
        return self.weeks[0]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def key(self) -> str:
        """`2024-09-W03`, or `2024-02-W01~W03` for a block covering several weeks."""
        base = f"{self.year:04d}-{self.month:02d}-W{self.weeks[0]:02d}"
        return base if len(self.weeks) == 1 else f"{base}~W{self.weeks[-1]:02d}"

    @property
    def display_label(self) -> str:
        return self.label or canonical_week_label(self.weeks)

    def covers(self, other: Week) -> bool:
        """True when this block and `other` share a month and at least one week."""
        return (self.year, self.month) == (other.year, other.month) and bool(set(self.weeks) & set(other.weeks))

    @classmethod
    def parse_key(cls, key: str) -> Week:
        """Read `YYYY-MM-Wnn` (or `YYYY-MM-Wnn~Wmm`); raises ValueError on anything else."""
        m = WEEK_KEY_RE.match(key.strip())
        if not m:
            raise ValueError(f"not a week key (expected YYYY-MM-Wnn, e.g. 2024-09-W03): {key!r}")
        year, month, first, last = m.groups()
        lo = int(first)
        hi = int(last) if last else lo
        return cls(year=int(year), month=int(month), weeks=list(range(lo, hi + 1)))


class SourceText(BaseModel):
    """Where an item was read from and the exact text, so an unchanged item keeps its bytes."""

    model_config = ConfigDict(extra="forbid")

    line: int = Field(description="1-based line of the item's first line in its document")
    text: str = Field(description="the item's lines exactly as written, line endings included")
    fingerprint: str = Field(description="content hash of the fields read from `text`")


# `YYYY-MM-DD` at the start of a date or datetime, not followed by a further digit
_ISO_DATE_START_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _has_value(value: object) -> bool:
    """False for what `ItemMeta` means by "not known": None, an empty list, an empty dict."""
    return value is not None and value != [] and value != {}


class SummaryProvenance(BaseModel):
    """Where an item's summary bullets came from, kept with them (`ItemMeta.summary_provenance`).

    Written by `papernews summarize` when it stores a draft. `bullets_sha256` is the hash of the
    bullets as drafted: when the stored bullets stop matching it, a person has edited them, and
    the store sets `edited` (and never clears it), on `save_item` and on every import alike.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    method: Literal["llm", "extractive"] = Field(
        description="`llm`: written by a chat model; `extractive`: sentences picked from the source, offline"
    )
    model: str | None = Field(default=None, description="the model that wrote it, as the endpoint named it")
    endpoint_host: str | None = Field(default=None, description="host (and port) of the chat endpoint")
    prompt_version: str = Field(description="version of the prompt (or of the extractive rules) used")
    source_url: str | None = Field(default=None, description="where the source text was read")
    source_kind: str = Field(description="`arxiv-html`, `arxiv-abstract`, `page`, `stored-abstract`, …")
    source_sha256: str = Field(description="SHA-256 of the whole source text (before it was cut to the budget)")
    drafted_at: str = Field(description="when the draft was made: an ISO datetime (`2024-11-29T18:59:59Z`)")
    bullets_sha256: str = Field(description="SHA-256 of the bullets as drafted (`bullets_digest`)")
    edited: bool = Field(default=False, description="a person changed the bullets after the draft was stored")


class ItemMeta(BaseModel):
    """What is known about the thing an item links to (a paper, a page, a repository, a model).

    Fetched from arXiv, the page's `og:`/`meta` tags, GitHub or Hugging Face; every field is
    optional and empty until known. The Markdown digest has no place for it: it lives in the
    archive and in items.json only, and is not part of the item's `fingerprint`.
    """

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    authors: list[str] = Field(default_factory=list, description="authors, in the order given")
    affiliations: list[str] = Field(default_factory=list, description="the authors' affiliations")
    abstract: str | None = Field(default=None, description="the paper's abstract")
    description: str | None = Field(default=None, description="the page's or repository's description")
    published: str | None = Field(
        default=None, description="first published: `YYYY-MM-DD` or a full ISO datetime, as given by the source"
    )
    updated: str | None = Field(
        default=None, description="last updated: `YYYY-MM-DD` or a full ISO datetime, as given by the source"
    )
    venue: str | None = Field(default=None, description="where it appeared: arXiv comment or journal reference")
    categories: list[str] = Field(default_factory=list, description="arXiv categories, e.g. `cs.CL`")
    site_name: str | None = Field(default=None, description="the site's name (`og:site_name`)")
    image: str | None = Field(default=None, description="URL of the page's preview image (`og:image`)")
    stars: int | None = Field(default=None, ge=0, description="GitHub stars (or Hugging Face likes)")
    language: str | None = Field(default=None, description="a repository's main programming language")
    topics: list[str] = Field(default_factory=list, description="GitHub or Hugging Face topics / tags")
    ids: dict[str, str] = Field(
        default_factory=dict,
        description='identifiers by scheme, e.g. `{"arxiv": "2411.19865", "doi": "…", "github": "owner/repo"}`',
    )
    fetched_at: str | None = Field(
        default=None, description="when the metadata was fetched: an ISO datetime (`2024-11-29T18:59:59Z`)"
    )
    summary_provenance: SummaryProvenance | None = Field(
        default=None, description="where the summary bullets came from, when papernews drafted them"
    )

    @field_validator("published", "updated", "fetched_at")
    @classmethod
    def _starts_with_a_date(cls, v: str | None) -> str | None:
        """Loose: a string that starts with a real `YYYY-MM-DD` date; what follows is kept as given."""
        if v is None:
            return v
        m = _ISO_DATE_START_RE.match(v)
        if m:
            try:
                date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                m = None
        if m is None:
            shown = v if len(v) <= 40 else v[:37] + "…"
            raise ValueError(f"expected an ISO date YYYY-MM-DD or datetime (2024-11-29T18:59:59Z), got {shown!r}")
        return v

    def is_empty(self) -> bool:
        """True when nothing is known: every field None, an empty list or an empty dict."""
        # Made for every item written (store and items.json), nearly all without metadata: first
        # the one comparison with the defaults (`ItemMeta()`), each an empty value; else field
        # by field, in `__dict__` (extra="forbid": the fields) rather than through `getattr`.
        values = self.__dict__
        return values == _EMPTY_META or not any(map(_has_value, values.values()))

    def known(self) -> dict[str, Any]:
        """The fields that are known (not None, not an empty list or dict), as JSON values, in field order."""
        return {k: v for k, v in self.model_dump(mode="json").items() if _has_value(v)}


_EMPTY_META = ItemMeta().__dict__
assert not any(map(_has_value, _EMPTY_META.values())), "ItemMeta's defaults must all be empty values"


class Item(BaseModel):
    """One entry of the digest."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="stable id; assigned once, survives edits of the title")
    kind: Kind | None = Field(default=None, description="from the first emoji; None when the line has none")
    extra_kinds: list[Kind] = Field(default_factory=list, description="further kind emojis on the line")
    orgs: list[str] = Field(default_factory=list)
    org_label: str | None = Field(
        default=None, description="orgs as written (`Google DeepMind & Research`), kept while it still means `orgs`"
    )
    title: str
    url: str | None = Field(default=None, description="the URL as written (link target or bare URL)")
    bullets: list[Bullet] = Field(default_factory=list)
    week: Week | None = None
    tags: list[str] = Field(default_factory=list)
    marker: str | None = Field(
        default=None, description="an emoji or tag written before the title (`🧞`, `<Cookbook>`)"
    )
    bold: bool = Field(default=False, description="title written in bold (`[**Title**](url)`)")
    note: str | None = Field(default=None, description="text after the link, e.g. `(X link)`")
    source: SourceText | None = None
    extra: dict[str, Any] = Field(
        default_factory=dict, description="fields of an imported items.json we do not model, kept verbatim"
    )
    meta: ItemMeta = Field(
        default_factory=ItemMeta,
        # an item without metadata serializes as before the field existed: archive rows stay the same
        exclude_if=ItemMeta.is_empty,
        description="metadata of the linked paper, page or repository (authors, abstract, …); not in Markdown",
    )

    @property
    def org_text(self) -> str:
        """Orgs as one string: as written when that still splits into `orgs`, else joined with `, `."""
        if self.org_label is not None and split_orgs(self.org_label) == self.orgs:
            return self.org_label
        return ", ".join(self.orgs)

    @property
    def is_group(self) -> bool:
        """A group item (`📜 [ACL 2024 Best Paper Award]`) whose bullets are themselves items."""
        return self.url is None and any(b.links and _looks_like_entry(b.text) for b in self.bullets)

    def flat_bullets(self) -> list[tuple[int, str]]:
        return [(lvl, b.text) for lvl, b in walk_bullets(self.bullets)]

    def unchanged(self) -> bool:
        """True when the fields still say what `source.text` says."""
        return self.source is not None and self.source.fingerprint == fingerprint(self)


def bullets_digest(bullets: list[Bullet]) -> str:
    """SHA-256 of a bullet tree (levels and texts): what `SummaryProvenance.bullets_sha256` holds."""
    text = "\n".join(f"{level}\t{b.text}" for level, b in walk_bullets(bullets))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def with_summary_edits(item: Item) -> Item:
    """The item, with its summary marked `edited` when its bullets are no longer the stored draft.

    The store passes every item it writes through here, so a person's edit is noticed however
    it arrives (`save_item`, a README or items.json import). Items without provenance, and
    drafts left as drafted, come back as they are (the same object): the check costs nothing.
    """
    provenance = item.meta.summary_provenance
    if provenance is None or provenance.edited or bullets_digest(item.bullets) == provenance.bullets_sha256:
        return item
    meta = item.meta.model_copy(update={"summary_provenance": provenance.model_copy(update={"edited": True})})
    return item.model_copy(update={"meta": meta})


def fingerprint(item: Item) -> str:
    """Hash of what the Markdown expresses, to tell an edited item from an untouched one.

    Built by hand rather than with `model_dump`: it runs twice per item on every parse
    and render, and a dump (with the computed links) is five times slower. The fields are
    read with one `attrgetter` call and level-1 bullets are written out inline (only deeper
    ones go through `walk_bullets`): SHA-1 and the UTF-8 encoding are then more than half
    of the cost. The bytes hashed must not change: stored fingerprints compare against them.
    `meta` (and `tags`, `extra`) are not in it: the Markdown does not say them, so setting
    them leaves the item unchanged and its source text is written as it was.
    """
    kind, extra_kinds, orgs, org_label, title, url, marker, bold, note, bullets = _fingerprint_fields(item)
    lines: list[str] = []
    for b in bullets:
        lines.append("1\x1d" + b.text)
        if b.children:
            lines.extend(f"{lvl}\x1d{c.text}" for lvl, c in walk_bullets(b.children, 2))
    text = "\x1f".join(
        (
            kind or "",
            ",".join(extra_kinds) if extra_kinds else "",
            "\x1e".join(orgs),
            "\x00" if org_label is None else org_label,
            title,
            "\x00" if url is None else url,
            "\x00" if marker is None else marker,
            "b" if bold else "",
            "\x00" if note is None else note,
            "\x1e".join(lines),
        )
    )
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


_fingerprint_fields = operator.attrgetter(
    "kind", "extra_kinds", "orgs", "org_label", "title", "url", "marker", "bold", "note", "bullets"
)


ORG_SPLIT_RE = re.compile(r", | & | · ")


def split_orgs(label: str) -> list[str]:
    """`HKUST, Amazon` / `Google DeepMind & Research` / `PKU · Microsoft` → a list of orgs."""
    return list(_split_orgs(label))


@functools.lru_cache(maxsize=4096)
def _split_orgs(label: str) -> tuple[str, ...]:
    # cached: items.json asks up to three times per item written, of a few thousand labels
    return tuple(p.strip() for p in ORG_SPLIT_RE.split(label) if p.strip())


_ENTRY_RE = re.compile(r"^(?:\[[^\]]+\]\s*)*\[.+\]\(\S+\)\s*$")


def _looks_like_entry(text: str) -> bool:
    return bool(_ENTRY_RE.match(text))


def make_item_id(week_key: str, url: str | None, title: str, occurrence: int = 0) -> str:
    """A short id derived once from what the item first was; stored, never recomputed."""
    seed = f"{week_key}\x1f{url or ''}\x1f{title}\x1f{occurrence}"
    return hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def item_json_schema() -> dict[str, Any]:
    return Item.model_json_schema(mode="serialization")


def week_of(day: date) -> Week:
    """The digest's week of a day: `ceil(day / 7)` of its month (`add`, the inbox, the ranker)."""
    return Week(year=day.year, month=day.month, weeks=[(day.day + 6) // 7])


def week_end(week: Week) -> date:
    """The last day of a week block: day 7·n of the month, or the month's last day (`2024-02-W05`
    ends on the 29th). The ranker measures how long before it a pick was listed."""
    import calendar

    last = calendar.monthrange(week.year, week.month)[1]
    return date(week.year, week.month, min(7 * week.weeks[-1], last))


def day_of(value: str | None) -> date | None:
    """The day an ISO date or datetime starts with (`2024-09-17T10:00Z` → 2024-09-17); None when it is not one.

    Sources give dates in many shapes (arXiv datetimes, feed dates, bare days): only the day counts here."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def week_order(week: Week | None) -> tuple[int, int, int]:
    """Sort key of a week block, oldest first; no week sorts before every week. The archive's
    rowids, the site's lists and the search shards all order items by it."""
    return (week.year, week.month, week.weeks[0]) if week else (0, 0, 0)
