"""Items → a thread: a main post listing the items, then one reply per item. Pure: no network,
no store, no clock; the same items and options give the same posts.

Every post is measured by its platform's rules (`length.Rules`) before it is returned. A reply
that is too long is shortened by rule, in this order, stopping at the first text that fits:
drop the level-2 details; trim the last key point at a word boundary with `…` (keeping at
least `MIN_WORDS` words), else drop it and trim the one before; with no key point left, trim
the title. Links are never cut: a link piece is kept whole or dropped with its words.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import quote

from papernews.model import Item, Kind, Week
from papernews.publish.feeds import SiteInfo, item_permalink
from papernews.publish.inline import safe_url
from papernews.publish.paths import week_path
from papernews.social.errors import DraftError
from papernews.social.length import Rules, nfc
from papernews.social.text import (
    ELLIPSIS,
    LinkLabel,
    Piece,
    Token,
    cut,
    is_link_only,
    join_tokens,
    markdown_pieces,
    merge,
    pieces_text,
    tokenize,
)

# Posts show the technologist emoji as one glyph (with ZWJ); the digest's 🧑🏻💻 renders as two.
KIND_MARK: dict[Kind, str] = {Kind.PAPER: "📜", Kind.DEV: "🧑🏻\u200d💻", Kind.NEWS: "🗞️"}
MIN_WORDS = 3  # a key point trimmed to fewer words says nothing: it is dropped instead
MAIN_TITLE_SHARE = 0.16  # of the limit: how long one title may be in the main post's list
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip

LinkChoice = Literal["source", "permalink"]


@dataclass(frozen=True)
class DraftOptions:
    """What a thread says besides the items: the digest's name, hashtags for the main post, which
    link a reply carries (the item's own URL, else its page on the site), how many key points."""

    title: str = "NLP Paper News"
    hashtags: tuple[str, ...] = ()
    link: LinkChoice = "source"
    points: int = 2
    site: SiteInfo | None = None


@dataclass(frozen=True)
class Facet:
    """A link inside a post's text, by UTF-8 byte offsets (what Bluesky's rich-text facets use)."""

    byte_start: int
    byte_end: int
    uri: str


@dataclass(frozen=True)
class Post:
    position: int  # 0: the main post; n: the reply about the n-th item
    role: Literal["main", "item"]
    item_id: str | None
    pieces: tuple[Piece, ...]
    length: int
    limit: int
    unit: str
    notes: tuple[str, ...] = ()  # how it was shortened or rewritten, for the dry run

    @property
    def text(self) -> str:
        return pieces_text(self.pieces)

    def facets(self) -> list[Facet]:
        out: list[Facet] = []
        offset = 0
        for p in self.pieces:
            size = len(p.text.encode("utf-8"))
            if p.url is not None:
                out.append(Facet(offset, offset + size, p.url))
            offset += size
        return out


@dataclass(frozen=True)
class Thread:
    key: str  # what the store records posts under: `week:2024-09-W03`, `items:<hash of the ids>`
    target: str
    heading: str
    week: str | None
    posts: tuple[Post, ...] = field(default_factory=tuple)


def thread_key(week: Week | None, item_ids: Sequence[str]) -> str:
    if week is not None:
        return f"week:{week.key}"
    return "items:" + hashlib.sha1("\x1f".join(item_ids).encode("utf-8")).hexdigest()[:12]


def week_heading(week: Week) -> str:
    """`September 2024, 3rd week` (a block of weeks: `February 2024, 1st ~ 3rd week`)."""
    return f"{_MONTHS[week.month - 1]} {week.year}, {week.display_label}"


def draft_thread(
    items: Sequence[Item], rules: Rules, options: DraftOptions | None = None, *, week: Week | None = None
) -> Thread:
    """The thread for `items` (in the order given) on the platform of `rules`; DraftError when a
    post cannot be made to fit (only an absurdly long configured title can cause it)."""
    options = options or DraftOptions()
    if not items:
        raise DraftError("no items to post")
    shared = {it.week.key for it in items if it.week is not None}
    if week is None and len(shared) == 1 and all(it.week is not None for it in items):
        shown_week: Week | None = items[0].week
    else:
        shown_week = week
    heading = f"{options.title} · {week_heading(shown_week)}" if shown_week else options.title
    main = main_post(items, rules, options, heading=heading, week=shown_week)
    replies = [item_post(it, rules, options, position=n) for n, it in enumerate(items, start=1)]
    return Thread(
        key=thread_key(week, [it.id for it in items]),
        target=rules.target,
        heading=heading,
        week=week.key if week else None,
        posts=(main, *replies),
    )


def _post(rules: Rules, pieces: list[Piece], *, position: int, role: Literal["main", "item"], item_id: str | None,
          notes: list[str]) -> Post:  # fmt: skip
    text = pieces_text(pieces)
    return Post(position, role, item_id, tuple(pieces), rules.measure(text), rules.limit, rules.unit, tuple(notes))


# --- the reply about one item ------------------------------------------------------------------


def item_head(item: Item) -> str:
    """`📜 [CMU, MIT] Agent Workflow Memory`: the kind's emoji, the orgs, the title."""
    mark = KIND_MARK.get(item.kind, "") if item.kind else ""
    org = item.org_text
    parts = [p for p in (mark, f"[{org}]" if org else "", item.title.strip()) if p]
    return nfc(" ".join(parts))


def item_link(item: Item, options: DraftOptions) -> str | None:
    """The link a reply carries: the item's own URL, or its page on the site (`link = "permalink"`,
    or an item without a URL). None when there is neither."""
    permalink = item_permalink(options.site, item) if options.site is not None else None
    source = safe_url(item.url)
    if options.link == "permalink":
        return permalink or source
    return source or permalink


@dataclass
class _Point:
    tokens: list[Token]
    details: list[list[Token]]


def key_points(item: Item, label: LinkLabel, count: int) -> list[_Point]:
    """The first `count` level-1 bullets that say something (not just a link), each with its
    level-2 details; deeper levels are left out (a post has no room for them)."""
    points: list[_Point] = []
    for bullet in item.bullets:
        if len(points) >= count:
            break
        if is_link_only(bullet.text) or not bullet.text.strip():
            continue
        details = [
            tokenize(markdown_pieces(c.text, link_label=label))
            for c in bullet.children
            if c.text.strip() and not is_link_only(c.text)
        ]
        points.append(_Point(tokenize(markdown_pieces(bullet.text, link_label=label)), [d for d in details if d]))
    return [p for p in points if p.tokens]


def _compose(head: list[Piece], points: list[list[Piece]], details: list[list[list[Piece]]],
             link: Piece | None) -> list[Piece]:  # fmt: skip
    out: list[Piece] = [*head]
    for n, point in enumerate(points):
        out.append(Piece("\n• "))
        out.extend(point)
        for d in details[n] if n < len(details) else []:
            out.append(Piece("\n  ◦ "))
            out.extend(d)
    if link is not None:
        out.append(Piece("\n\n"))
        out.append(link)
    return merge(out)


def item_post(item: Item, rules: Rules, options: DraftOptions, *, position: int) -> Post:
    """The reply about one item, shortened by rule until it fits (see the module's docstring)."""
    label = LinkLabel(full=rules.full_urls_in_text)
    head_tokens = tokenize([Piece(item_head(item))])
    points = key_points(item, label, options.points)
    url = item_link(item, options)
    link = Piece(label(url), url) if url else None

    def fits(pieces: list[Piece]) -> bool:
        return rules.fits(pieces_text(pieces))

    def done(pieces: list[Piece], notes: list[str]) -> Post:
        return _post(rules, pieces, position=position, role="item", item_id=item.id, notes=notes)

    head = join_tokens(head_tokens)
    whole = [join_tokens(p.tokens) for p in points]
    notes: list[str] = []
    if any(p.details for p in points):
        full = _compose(head, whole, [[join_tokens(d) for d in p.details] for p in points], link)
        if fits(full):
            return done(full, notes)
        notes.append("details dropped")
    candidate = _compose(head, whole, [], link)
    if fits(candidate):
        return done(candidate, notes)
    kept = list(whole)
    for j in range(len(points) - 1, -1, -1):
        tokens = points[j].tokens

        def trimmed(
            keep: int, j: int = j, tokens: list[Token] = tokens, before: list[list[Piece]] = kept
        ) -> list[Piece] | None:
            part = cut(tokens, keep)
            return None if part is None else _compose(head, [*before[:j], part], [], link)

        best = _largest_fitting(trimmed, MIN_WORDS, len(tokens) - 1, rules)
        if best is not None:
            return done(best, [*notes, f"point {j + 1} trimmed"])
        kept = kept[:j]
        notes.append(f"point {j + 1} dropped")
        candidate = _compose(head, kept, [], link)
        if fits(candidate):
            return done(candidate, notes)

    def title_only(keep: int) -> list[Piece] | None:
        part = cut(head_tokens, keep)
        return None if part is None else _compose(part, [], [], link)

    best = _largest_fitting(title_only, 1, len(head_tokens) - 1, rules)
    if best is None:
        raise DraftError(f"item {item.id}: even the link alone does not fit in {rules.limit} {rules.unit}")
    return done(best, [*notes, "title trimmed"])


def _largest_fitting(make: Callable[[int], list[Piece] | None], lo: int, hi: int, rules: Rules) -> list[Piece] | None:
    """The longest `make(k)` (lo ≤ k ≤ hi words kept) that fits. The length grows with k: a binary
    search on the cheap estimate finds the likely k, then the platform's own measure decides,
    stepping up while the next still fits and down until one does."""
    if hi < lo:
        return None

    def estimate(k: int) -> int | None:
        pieces = make(k)
        return None if pieces is None else _estimate(pieces, rules)

    a, b, guess = lo, hi, lo
    while a <= b:
        mid = (a + b) // 2
        size = estimate(mid)
        if size is not None and size <= rules.limit:
            guess, a = mid, mid + 1
        else:
            b = mid - 1
    best: list[Piece] | None = None
    k = guess
    while k <= hi:
        pieces = make(k)
        if pieces is None or not rules.fits(pieces_text(pieces)):
            break
        best, k = pieces, k + 1
    if best is not None:
        return best
    for k in range(guess - 1, lo - 1, -1):
        pieces = make(k)
        if pieces is not None and rules.fits(pieces_text(pieces)):
            return pieces
    return None


def _estimate(pieces: list[Piece], rules: Rules) -> int:
    return sum(
        rules.link_weight if p.url is not None and rules.link_weight is not None else rules.estimate(p.text)
        for p in pieces
    )


# --- the main post ------------------------------------------------------------------------------


def _counts(items: Sequence[Item]) -> str:
    by_kind = {k: sum(1 for it in items if it.kind == k) for k in Kind}
    return " · ".join(f"{KIND_MARK[k]} {n}" for k, n in by_kind.items() if n)


def _short_title(item: Item, rules: Rules) -> list[Piece]:
    tokens = tokenize([Piece(nfc(item.title.strip()))])
    budget = int(rules.limit * MAIN_TITLE_SHARE)
    for keep in range(len(tokens), 0, -1):
        part = cut(tokens, keep)
        if part is not None and rules.measure(pieces_text(part)) <= budget:
            return part
    first = cut(tokens, 1)
    return first if first is not None else [Piece(ELLIPSIS)]


def main_post(items: Sequence[Item], rules: Rules, options: DraftOptions, *, heading: str, week: Week | None) -> Post:
    """The thread's first post: the heading, how many items of each kind, as many short titles as
    fit, `+N more below ↓`, the week's page on the site and the hashtags."""
    label = LinkLabel(full=rules.full_urls_in_text)
    n = len(items)
    head = [Piece(nfc(f"{heading}\n{n} {'pick' if n == 1 else 'picks'}: {_counts(items)} 🧵\n"))]
    tail: list[Piece] = []
    if week is not None and options.site is not None:
        url = options.site.base_url + quote(week_path(week))
        tail += [Piece("\n"), Piece(label(url), url)]
    if options.hashtags:
        tail.append(Piece("\n" + " ".join("#" + h.lstrip("#") for h in options.hashtags)))

    def compose(lines: list[list[Piece]], rest: int) -> list[Piece]:
        out = [*head]
        for line in lines:
            out += [Piece("\n• "), *line]
        if rest:
            out.append(Piece(f"\n+{rest} more below ↓"))
        if tail:
            out.append(Piece("\n"))
        return merge([*out, *tail])

    lines: list[list[Piece]] = []
    for it in items:
        trial = [*lines, _short_title(it, rules)]
        if not rules.fits(pieces_text(compose(trial, n - len(trial)))):
            break
        lines = trial
    pieces = compose(lines, n - len(lines))
    if not rules.fits(pieces_text(pieces)):
        raise DraftError(f"the main post does not fit in {rules.limit} {rules.unit}: shorten social.title or hashtags")
    notes = [] if len(lines) == n else [f"{len(lines)} of {n} titles listed"]
    return _post(rules, pieces, position=0, role="main", item_id=None, notes=notes)
