"""The same item twice: `add`'s identity rules (`identity.DuplicateIndex`), read for a curator.

`add` refuses a link when anything says it may be there already; lint reports what a curator
would call the same item posted twice, and says how sure it is:

- the same arXiv id, DOI, OpenReview forum or address: an error;
- the same address under two titles that differ in a number (`Dream Machine` and `Dream
  Machine 1.5` both linking the product page): a warning, the second release deserves its own link;
- a GitHub or Hugging Face repository found inside two links counts only when both links are
  the same page or both the repository itself: a discussion in `llm.c` is not `llm.c`;
- a near-identical title: a warning, and not at all for items of different kinds (a launch
  and its paper, `WildBench` as a Hugging Face space and on arXiv) or for two pages of one
  site (the beta and the GA post of `Claude can now use tools`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from papernews.errors import InputError
from papernews.identity.duplicates import DuplicateIndex, Match, normalise_title
from papernews.identity.ids import identity_url
from papernews.identity.urls import canonical_url, host_of
from papernews.lint.rules import Hit
from papernews.model import Item

_SAME = {
    "arxiv": "same arXiv paper",
    "doi": "same DOI",
    "openreview": "same OpenReview paper",
    "github": "same GitHub page",
    "hf": "same Hugging Face page",
    "url": "same link",
}
_DIGITS_RE = re.compile(r"\d+")


def duplicate_hits(items: Sequence[Item], where: Callable[[Item], str]) -> list[tuple[Item, Hit]]:
    """(item, hit) for each item that repeats an earlier one; `where(other)` names the earlier one."""
    index = DuplicateIndex()
    seen: dict[str, Item] = {}
    out: list[tuple[Item, Hit]] = []
    for item in items:
        if not item.is_group:
            for match in index.find(item.url, item.title or None, exclude=item.id):
                hit = judge(item, seen[match.item_id], match, where)
                if hit is not None:
                    out.append((item, hit))
                    break
        index.add(item)
        seen[item.id] = item
    return out


def judge(item: Item, other: Item, match: Match, where: Callable[[Item], str]) -> Hit | None:
    """What a curator should hear about `item` matching the earlier `other`, or None when they are two things."""
    said = f"{where(other)} ('{other.title or other.url}')"
    if match.reason == "title":
        if item.kind and other.kind and item.kind != other.kind:
            return None
        if item.url and other.url and _two_pages_of_one_site(item.url, other.url):
            return None
        return Hit("warning", "duplicate", f"same title as {said}: the same item twice?")
    if match.reason in ("github", "hf") and not _same_page(item.url, other.url):
        return None
    if _numbers(item.title) != _numbers(other.title):
        return Hit(
            "warning", "duplicate", f"same link as {said}, another release by its title: link this release's own page"
        )
    return Hit("error", "duplicate", f"{_SAME[match.reason]} as {said}: the item is there already")


def _numbers(title: str) -> tuple[str, ...]:
    return tuple(_DIGITS_RE.findall(normalise_title(title)))


def _canonical(url: str | None) -> str | None:
    try:
        return canonical_url(url) if url else None
    except InputError:
        return None


def _same_page(a: str | None, b: str | None) -> bool:
    """The same page, or both the repository itself (not an issue, a discussion or a file in it)."""
    ca, cb = _canonical(a), _canonical(b)
    if ca is None or cb is None:
        return False
    return ca == cb or (ca == identity_url(ca) and cb == identity_url(cb))


def _site(url: str) -> str | None:
    """The site a URL belongs to: its host's last two labels (three under `co.uk`-like suffixes)."""
    try:
        labels = host_of(url).split(".")
    except InputError:
        return None
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in ("co", "ac", "or", "go", "com") else 2
    return ".".join(labels[-keep:])


def _two_pages_of_one_site(a: str, b: str) -> bool:
    site = _site(a)
    return site is not None and site == _site(b) and _canonical(a) != _canonical(b)
