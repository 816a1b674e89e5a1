"""Few-shot examples from the curator's own archive: the items most like the one being summarised.

The style is learned from what the curator wrote, not described: the prompt shows the model a
few archived items of the same kind that have bullets, chosen by BM25 over their title (counted
twice) and bullets, against the new item's title (twice) and the start of its source text.
English words are matched lower-cased, Korean by character bigrams (as the archive's search
index does), so `reasoning` in an abstract finds `reasoning` in a bullet and `추론` finds
`추론하는`. Pure and deterministic: ties go to the item earlier in the archive; an item is never
its own example; `accept` lets the caller skip examples it does not want to teach (those whose
bullets fail lint). When fewer than `k` items share a word with the new one, the newest items
of the kind fill the gap, so the model always sees the style.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from papernews.model import Item, Kind, walk_bullets, week_order

K1, B = 1.2, 0.75
QUERY_CHARS = 3000  # of the source text: its abstract and introduction say what it is about
MAX_CHECKED = 40  # candidates offered to `accept` before giving up on the similar ones

_LATIN_RE = re.compile(r"[a-z][a-z0-9+#.-]*[a-z0-9+#]|[a-z]")
_CJK_RUN_RE = re.compile(r"[\uac00-\ud7a3\u3040-\u30ff\u4e00-\u9fff]+")
_STOPWORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in", "into", "is", "it",
    "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "we", "with", "via", "using", "use", "used",
    "towards", "toward", "based", "new", "large", "language", "model", "models", "llm", "llms", "paper", "propose",
    "proposes", "proposed", "show", "shows", "study", "approach", "method", "methods", "results",
})  # fmt: skip


def tokens(text: str) -> list[str]:
    """Words of `text` as the similarity sees them: English words lower-cased, Korean bigrams."""
    lowered = text.lower()
    out = [w for w in _LATIN_RE.findall(lowered) if w not in _STOPWORDS and len(w) > 1]
    for run in _CJK_RUN_RE.findall(lowered):
        out.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return out


def item_tokens(item: Item) -> list[str]:
    title = tokens(item.title)
    return title + title + tokens(" ".join(b.text for _, b in walk_bullets(item.bullets)))


@dataclass(frozen=True)
class Example:
    item: Item
    score: float


def candidates(items: Sequence[Item], kind: Kind | None) -> list[Item]:
    """Archived items that can teach the style: of `kind`, with bullets, not a group of other items."""
    return [it for it in items if it.kind == kind and it.bullets and not it.is_group]


def choose_examples(
    items: Sequence[Item],
    *,
    kind: Kind | None,
    title: str,
    text: str = "",
    k: int = 3,
    exclude: Sequence[str] = (),
    accept: Callable[[Item], bool] | None = None,
) -> list[Example]:
    """The `k` archived items most like (`title`, `text`), best first (see the module)."""
    excluded = set(exclude)
    pool = [it for it in candidates(items, kind) if it.id not in excluded and (not it.url or it.url not in excluded)]
    if not pool or k <= 0:
        return []
    docs = [Counter(item_tokens(it)) for it in pool]
    lengths = [sum(d.values()) for d in docs]
    avg = sum(lengths) / len(lengths) or 1.0
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    query = Counter(tokens(title) * 2 + tokens(text[:QUERY_CHARS]))
    n = len(docs)

    def score(i: int) -> float:
        d, total = docs[i], 0.0
        norm = K1 * (1 - B + B * lengths[i] / avg)
        for term, qf in query.items():
            tf = d.get(term)
            if tf:
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                total += idf * tf * (K1 + 1) / (tf + norm) * (1 + math.log(qf))
        return total

    scored = sorted(((score(i), i) for i in range(n)), key=lambda si: (-si[0], si[1]))
    chosen: list[Example] = []
    for s, i in scored[:MAX_CHECKED]:
        if s <= 0 or len(chosen) == k:
            break
        if accept is None or accept(pool[i]):
            chosen.append(Example(pool[i], round(s, 4)))
    taken = {ex.item.id for ex in chosen}
    # the newest of the kind (latest week first, then later in the archive), when too few are alike
    newest = sorted(range(n), key=lambda i: (week_order(pool[i].week), i), reverse=True)
    fresh = [pool[i] for i in newest if pool[i].id not in taken]
    for it in fresh[:MAX_CHECKED]:
        if len(chosen) == k:
            break
        if accept is None or accept(it):
            chosen.append(Example(it, 0.0))
    return chosen
