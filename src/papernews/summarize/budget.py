"""Cut a source text to what a model can read, by sections and never in the middle of a sentence.

A whole paper does not fit a small model's context, and the end of a paper (references,
appendix) is worth least. So sections are ranked by what a summary needs: abstract, then
introduction (the problem), method, results, conclusion; the rest after; references, appendix,
acknowledgements and statements never. Every kept section first gets its opening paragraph (a
section's point is usually made there), then the sections are filled up in rank order. A
paragraph that does not fit whole is cut at a sentence end, and the text says `[…]` where
something was left out. What is kept is printed in reading order, under its headings.

Tokens are estimated, not counted (no tokenizer for every model): a Latin-script character is a
quarter of a token, any other (Hangul, CJK, symbols) a whole one, which errs on the safe side
for the tokenizers of OpenAI, Llama and Qwen models.
"""

from __future__ import annotations

from dataclasses import dataclass

from papernews.summarize.sections import DROPPED, Section, SectionKind
from papernews.summarize.sentences import split_sentences

RANK: dict[SectionKind, int] = {
    "abstract": 0,
    "main": 0,
    "introduction": 1,
    "method": 2,
    "results": 3,
    "conclusion": 4,
    "other": 5,
    "related": 6,
}
GAP = "[…]"


def estimate_tokens(text: str) -> int:
    """A generous estimate of the tokens of `text`: ASCII at 4 characters a token, the rest at 1."""
    ascii_chars = sum(1 for ch in text if ch < "\x80")
    return (ascii_chars + 3) // 4 + (len(text) - ascii_chars)


@dataclass(frozen=True)
class Budgeted:
    """The text to send, which sections it keeps (whole or in part) and whether anything was cut."""

    text: str
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    cut: bool
    tokens: int


def _fit_sentences(paragraph: str, budget: int) -> str:
    """The longest run of leading sentences of `paragraph` within `budget` tokens ("" if none fits)."""
    taken: list[str] = []
    used = 0
    for sentence in split_sentences(paragraph):
        cost = estimate_tokens(sentence) + 1
        if used + cost > budget:
            break
        taken.append(sentence)
        used += cost
    return " ".join(taken)


def fit_to_budget(
    sections: tuple[Section, ...] | list[Section], max_tokens: int, *, title: str | None = None
) -> Budgeted:
    """The sections as one text of at most `max_tokens` (estimated), cut by sections (see the module)."""
    usable = [(n, s) for n, s in enumerate(sections) if s.kind not in DROPPED and s.paragraphs]
    dropped = tuple(s.title for s in sections if s.kind in DROPPED and s.paragraphs)
    order = sorted(usable, key=lambda ns: (RANK.get(ns[1].kind, 5), ns[0]))
    head = f"# {title}\n\n" if title else ""
    remaining = max_tokens - estimate_tokens(head)
    chosen: dict[int, list[str | None]] = {n: [None] * len(s.paragraphs) for n, s in usable}
    cut = False

    def take(n: int, k: int, heading_cost: int) -> bool:
        """Put paragraph k of section n in, whole or cut at a sentence; False when nothing fits."""
        nonlocal remaining, cut
        paragraph = sections[n].paragraphs[k]
        cost = estimate_tokens(paragraph) + 2 + heading_cost
        if cost <= remaining:
            chosen[n][k] = paragraph
            remaining -= cost
            return True
        part = _fit_sentences(paragraph, remaining - heading_cost - 2 - estimate_tokens(GAP))
        cut = True
        if not part:
            return False
        chosen[n][k] = part + " " + GAP
        remaining -= estimate_tokens(chosen[n][k] or "") + 2 + heading_cost
        return True

    def heading_cost(n: int) -> int:
        started = any(p is not None for p in chosen[n])
        return 0 if started else estimate_tokens(_heading(sections[n])) + 2

    # 1. the opening paragraph of every section, best ranked first
    for n, _ in order:
        if remaining <= 0:
            break
        take(n, 0, heading_cost(n))
    # 2. the rest, section by section in rank order
    for n, section in order:
        for k in range(1, len(section.paragraphs)):
            if remaining <= 0 or not take(n, k, heading_cost(n)):
                cut = True
                break
    # 3. reading order, with a gap mark where paragraphs were left out
    blocks: list[str] = []
    kept: list[str] = []
    for n, section in usable:
        parts = chosen[n]
        if all(p is None for p in parts):
            cut = True
            continue
        kept.append(section.title)
        body: list[str] = []
        for p in parts:
            if p is not None:
                body.append(p)
            elif not body or body[-1] != GAP:
                body.append(GAP)
        blocks.append(_heading(section) + "\n\n" + "\n\n".join(body))
    text = head + "\n\n".join(blocks)
    return Budgeted(text=text, kept=tuple(kept), dropped=dropped, cut=cut, tokens=estimate_tokens(text))


def _heading(section: Section) -> str:
    return "#" * min(section.level + 1, 4) + " " + section.title
