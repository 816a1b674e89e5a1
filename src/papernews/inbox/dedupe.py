"""Is a find new? The identity rules of `add` (papernews.identity), against the archive and the inbox.

A find is already known when the archive has it (same arXiv id, DOI, repository, identity URL,
or a near-identical title: `DuplicateIndex`), or when the inbox has it (same identity, or a
near-identical title of a candidate found earlier). A GitHub release is compared by its own URL
only: identity rules fold a release into its repository, and a new release is news.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from papernews.errors import InputError
from papernews.identity import DuplicateIndex, canonical_url, identity_url
from papernews.inbox.model import InboxCandidate
from papernews.model import Item
from papernews.sources.registry import Found
from papernews.store import Store

Verdict = Literal["new", "archive", "inbox"]


@dataclass(frozen=True)
class Known:
    verdict: Verdict
    canonical: str
    identity: str
    match: str | None = None  # the archive item's or inbox candidate's id


class Deduper:
    """Built once per fetch from the archive and the inbox; `remember` adds what the fetch inserts."""

    def __init__(self, store: Store, inbox: list[InboxCandidate]) -> None:
        items = store.all_items()
        self.archive = DuplicateIndex(items)
        self.archive_urls = {_canonical(it.url) for it in items if it.url}
        self.by_identity = {c.identity: c.id for c in inbox}
        # candidates as minimal items, for their titles (ids and URLs are looked up by identity)
        self.titles = DuplicateIndex(Item(id=c.id, title=c.title) for c in inbox)

    def check(self, found: Found) -> Known:
        """InputError when the find's URL is not one papernews can read."""
        canonical = canonical_url(found.url)
        if found.exact_url_identity:
            identity = canonical
            if canonical in self.archive_urls:
                return Known("archive", canonical, identity)
        else:
            identity = identity_url(canonical)
            hits = self.archive.find(canonical, found.title)
            if hits:
                return Known("archive", canonical, identity, hits[0].item_id)
        if identity in self.by_identity:
            return Known("inbox", canonical, identity, self.by_identity[identity])
        if not found.exact_url_identity:
            hits = self.titles.find(None, found.title)
            if hits:
                return Known("inbox", canonical, identity, hits[0].item_id)
        return Known("new", canonical, identity)

    def remember(self, candidate: InboxCandidate) -> None:
        # by identity only: re-sorting the title index after every insert would cost a sort per find
        self.by_identity[candidate.identity] = candidate.id


def _canonical(url: str) -> str | None:
    try:
        return canonical_url(url)
    except InputError:
        return None
