"""Is this link already in the archive? Same thing under another address, or the same title.

An item is a duplicate of an archived one when they share an identifier (arXiv id, DOI,
OpenReview forum, GitHub repository, Hugging Face repo), the same identity URL
(`ids.identity_url`), or a near-identical title. Identifiers are exact; a title match is a
suspicion (two different tweets can both be titled `Robotaxi`), reported with its score so
the caller can decide how much to trust it.

Title threshold, tuned on the real archive (`bench/guess_eval.py`; the table is in
docs/benchmarks.md, `<!-- bench:identity -->`). Titles are normalised (NFKC, case-folded,
punctuation and emoji to spaces) and compared with rapidfuzz `fuzz.ratio`; two titles whose
numbers differ (`MM1`/`MM1.5`, `PaliGemma`/`PaliGemma 2`) never match, because in this
digest a new number is a new release.

Figures, `items-2024.json` (850 items, 360,825 pairs):
- pairs of items with different identities scoring ≥ 90: 6. One is `MM1.5`/`MM1` (91.2), which
  the number rule drops. The 5 others score 100: two are the same work under another URL (the
  Gemini 1.5 report as a PDF and on arXiv; WildBench on arXiv and as a Hugging Face space) and
  three are different posts with one generic title (`Robotaxi`, `Claude can now use tools`,
  `Sharing new research, models, and datasets from Meta FAIR`), which only the reader can tell.
- nothing with equal numbers scores between 83.3 (`KAN`/`Wav-KAN`, different papers) and 100,
  so any threshold from 84 to 100 flags the same pairs of this archive.
- pairs with the same identity: 4. Three were posted twice with the same title (caught); the
  fourth is a repository and a discussion page inside it (`llm.c`), found by its GitHub id.
- the seed against items-2024.json (615 items written down by both tools): 610 found by title
  at every threshold from 80 to 100; the other 5 are mis-parsed or retitled lines, found by URL.

The archive cannot choose inside 84-100, so the threshold is 90: it tolerates case, spacing,
punctuation and a one-character slip in a title of ten characters or more, and stays above
the 83.3 of the closest pair of different papers. A title match is a suspicion all the same
(the three generic titles above): callers show its score and let the curator decide.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz, process

from papernews.errors import InputError
from papernews.identity.ids import identity_of, ids_of_canonical
from papernews.identity.urls import canonical_url
from papernews.model import Item

TITLE_THRESHOLD = 90.0

Reason = Literal["url", "arxiv", "doi", "github", "hf", "openreview", "title"]
# strongest evidence first: an id says more than an address, an address more than a title
REASONS: tuple[Reason, ...] = ("arxiv", "doi", "openreview", "github", "hf", "url", "title")
_SCHEME_REASON: dict[str, Reason] = {
    "arxiv": "arxiv",
    "doi": "doi",
    "openreview": "openreview",
    "github": "github",
    "hf_model": "hf",
    "hf_dataset": "hf",
    "hf_space": "hf",
}
_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class Match:
    """An archived item the candidate duplicates, why, and how sure (100 for ids and URLs)."""

    item_id: str
    reason: Reason
    score: float


_NOT_ALNUM_RE = re.compile(r"[\W_]+")


def normalise_title(title: str) -> str:
    """Case, width, punctuation and emoji set aside: what is left is what a reader sees as the title."""
    return _NOT_ALNUM_RE.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()


def _keys(url: str) -> list[tuple[str, str]]:
    """(reason, value) keys under which an item with this URL is indexed; none for a URL we cannot read."""
    try:
        canonical = canonical_url(url)
    except InputError:
        return []
    ids = ids_of_canonical(canonical)
    keys: list[tuple[str, str]] = [(_SCHEME_REASON[s], f"{s}:{v}") for s, v in ids.items()]
    keys.append(("url", identity_of(canonical, ids)))
    return keys


class DuplicateIndex:
    """The archive's identifiers, identity URLs and titles, for checking many candidates quickly.

    Ids and URLs are dict lookups. Titles are kept sorted by length: `fuzz.ratio` ≥ t needs the
    shorter title to be at least t/(200-t) of the longer one, so only that window of lengths
    (±20 % at 90) goes through rapidfuzz's `process.extract`.
    """

    def __init__(self, items: Iterable[Item] = (), *, title_threshold: float = TITLE_THRESHOLD) -> None:
        self.title_threshold = title_threshold
        self._by_key: dict[tuple[str, str], list[str]] = {}
        self._titles: list[str] = []
        self._title_ids: list[str] = []
        self._digits: list[tuple[str, ...]] = []
        self._by_length: list[int] | None = None  # indexes of titles by length, rebuilt after `add`
        self._sorted_titles: list[str] = []
        self._lengths: list[int] = []
        for item in items:
            self.add(item)
        self._window(0)  # sort once now rather than on the first check

    def __len__(self) -> int:
        return len(self._title_ids)

    def add(self, item: Item) -> None:
        if item.url:
            for key in _keys(item.url):
                ids = self._by_key.setdefault(key, [])
                if item.id not in ids:
                    ids.append(item.id)
        title = normalise_title(item.title)
        self._titles.append(title)
        self._title_ids.append(item.id)
        self._digits.append(tuple(_DIGITS_RE.findall(title)))
        self._by_length = None

    def _window(self, length: int) -> tuple[list[int], list[str]]:
        """Indexes and titles long enough and short enough to reach the threshold against one of `length`."""
        if self._by_length is None:
            self._by_length = sorted(range(len(self._titles)), key=lambda i: len(self._titles[i]))
            self._sorted_titles = [self._titles[i] for i in self._by_length]
            self._lengths = [len(t) for t in self._sorted_titles]
        t = min(max(self.title_threshold, 1.0), 100.0)
        lo = bisect.bisect_left(self._lengths, math.ceil(length * t / (200 - t) - 1e-9))
        hi = bisect.bisect_right(self._lengths, math.floor(length * (200 - t) / t + 1e-9))
        return self._by_length[lo:hi], self._sorted_titles[lo:hi]

    def find(self, url: str | None = None, title: str | None = None, *, exclude: str | None = None) -> list[Match]:
        """Archived items that `url` or `title` duplicates, strongest evidence first, one match per item."""
        best: dict[str, Match] = {}

        def offer(item_id: str, reason: Reason, score: float) -> None:
            if item_id == exclude:
                return
            old = best.get(item_id)
            if old is None or REASONS.index(reason) < REASONS.index(old.reason):
                best[item_id] = Match(item_id, reason, score)

        for key in _keys(url) if url else []:
            for item_id in self._by_key.get(key, ()):
                offer(item_id, key[0], 100.0)  # type: ignore[arg-type]  # key[0] is a Reason by construction
        query = normalise_title(title) if title else ""
        if query:
            digits = tuple(_DIGITS_RE.findall(query))
            window, choices = self._window(len(query))
            hits = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=self.title_threshold, limit=None)
            for _, score, k in hits:
                i = window[k]
                if self._digits[i] == digits:
                    offer(self._title_ids[i], "title", round(float(score), 1))
        return sorted(best.values(), key=lambda m: (REASONS.index(m.reason), -m.score, m.item_id))


def find_duplicates(
    candidate: Item | tuple[str | None, str | None],
    archive_items: Iterable[Item] | DuplicateIndex,
    *,
    title_threshold: float = TITLE_THRESHOLD,
) -> list[Match]:
    """Archived items that `candidate` (an item, or a `(url, title)` pair) duplicates; an item never matches itself.

    Pass a `DuplicateIndex` instead of the items when checking many candidates.
    """
    url: str | None
    title: str | None
    exclude: str | None = None
    if isinstance(candidate, Item):
        url, title, exclude = candidate.url, candidate.title, candidate.id
    else:
        url, title = candidate
    index = (
        archive_items
        if isinstance(archive_items, DuplicateIndex)
        else DuplicateIndex(archive_items, title_threshold=title_threshold)
    )
    return index.find(url, title, exclude=exclude)
