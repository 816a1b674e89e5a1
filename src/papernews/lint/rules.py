"""The rules on one item and on a list of summary bullets, as pure functions.

A rule reports a `Hit`: a finding that does not know yet where it is. Its `bullet` is the
bullet's index in `walk_bullets` order (None for the item's head line), from which
`document.py` finds the line in a file and `lint_item` leaves the line out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from papernews.lint.endings import Ending, sentence_endings
from papernews.lint.findings import Severity
from papernews.lint.links import arxiv_problem, tracking_problem
from papernews.lint.spelling import misspelled
from papernews.model import KIND_EMOJI, Bullet, Item, Kind, walk_bullets

MAX_SUMMARY_BULLETS = 5
MAX_DEPTH = 2


@dataclass(frozen=True)
class Hit:
    """A finding before it knows its file and line: the rule, how bad, what to do, which bullet."""

    severity: Severity
    rule: str
    message: str
    bullet: int | None = None  # index in walk_bullets order; None: the item's head line


def bullet_hits(
    bullets: list[Bullet], *, kind: Kind | None = None, rules: Collection[str], group: bool = False
) -> list[Hit]:
    """The writing rules on summary bullets: endings, how many, how deep, links inside them.

    `kind` is not used by any rule yet (the house style asks the same of every kind's
    bullets); it is taken so that a kind-specific rule can come without changing callers.
    A group item's level-1 bullets are entries (`[Org] [Title](url)`), not a summary: they
    are not counted, and their own bullets may go one level deeper.
    """
    del kind
    hits: list[Hit] = []
    walked = walk_bullets(bullets)
    if "bullet-count" in rules and not group:
        if not bullets:
            hits.append(Hit("warning", "bullet-count", "no summary bullet (house style: 1-5)"))
        elif len(bullets) > MAX_SUMMARY_BULLETS:
            hits.append(
                Hit(
                    "warning",
                    "bullet-count",
                    f"{len(bullets)} summary bullets (house style: at most {MAX_SUMMARY_BULLETS}; "
                    "details go one level down)",
                    [i for i, (level, _) in enumerate(walked) if level == 1][MAX_SUMMARY_BULLETS],
                )
            )
    deepest = MAX_DEPTH + 1 if group else MAX_DEPTH
    judge_endings = "polite-ending" in rules or "plain-ending" in rules
    for index, (level, bullet) in enumerate(walked):
        if "bullet-depth" in rules and level > deepest:
            hits.append(
                Hit("warning", "bullet-depth", f"bullet at level {level} (house style: at most {deepest})", index)
            )
        if judge_endings:
            hits.extend(_ending_hits(sentence_endings(bullet.text), index, rules))
        for link in bullet.links:
            hits.extend(url_hits(link.url, index, rules))
    return hits


def _ending_hits(endings: list[Ending], index: int, rules: Collection[str]) -> list[Hit]:
    hits: list[Hit] = []
    for register, rule, severity in _ENDING_RULES:
        found = [e for e in endings if e.register == register]
        if not found or rule not in rules:
            continue
        words = ", ".join(f"'{e.word}' ({e.morphemes})" for e in found)
        fixes = [f"'{e.suggestion}'" for e in found if e.suggestion]
        advice = f"write notes, e.g. {', '.join(fixes)}" if fixes else "write notes (… 제안, … 공개, … 있음)"
        hits.append(Hit(severity, rule, f"{register} sentence ending {words}: {advice}", index))
    return hits


_ENDING_RULES: tuple[tuple[str, str, Severity], ...] = (
    ("polite", "polite-ending", "error"),
    ("plain", "plain-ending", "warning"),
)


def url_hits(url: str, bullet: int | None, rules: Collection[str]) -> list[Hit]:
    """An arXiv link in another form than `abs/<id>`, tracking parameters."""
    hits: list[Hit] = []
    if "arxiv-link" in rules and (problem := arxiv_problem(url)):
        hits.append(Hit("warning", "arxiv-link", problem, bullet))
    if "tracking-param" in rules and (problem := tracking_problem(url)):
        hits.append(Hit("warning", "tracking-param", problem, bullet))
    return hits


def item_hits(item: Item, rules: Collection[str]) -> list[Hit]:
    """Every rule on one item: its head line (title, link, kind emoji, orgs) and its bullets."""
    hits: list[Hit] = []
    group = item.is_group
    if "empty-title" in rules and not item.title.strip():
        bare = f" (a bare URL: write [Title]({item.url}))" if item.url else ""
        hits.append(Hit("error", "empty-title", f"item has no title{bare}"))
    if "no-link" in rules and not item.url and not group:
        hits.append(Hit("error", "no-link", "the title links nowhere: write [Title](url)"))
    if "kind-emoji" in rules:
        hits.extend(_kind_hits(item))
    if item.url:
        hits.extend(url_hits(item.url, None, rules))
    if "org-spelling" in rules:
        for org in item.orgs:
            if (canonical := misspelled(org)) is not None:
                message = f"org '{org}' looks misspelled: the alias table has '{canonical}'"
                hits.append(Hit("warning", "org-spelling", message))
    hits.extend(bullet_hits(item.bullets, kind=item.kind, rules=rules, group=group))
    return hits


_KINDS_HELP = ", ".join(f"{emoji} {kind.value}" for kind, emoji in KIND_EMOJI.items())


def _kind_hits(item: Item) -> list[Hit]:
    emojis = [w for w in (item.marker or "").split() if _is_emoji(w)]
    hits: list[Hit] = []
    if item.kind is None:
        other = f" ({' '.join(emojis)} is none of them)" if emojis else ""
        hits.append(Hit("warning", "kind-emoji", f"no kind emoji{other}: start the line with one of {_KINDS_HELP}"))
    elif emojis:
        hits.append(
            Hit("warning", "kind-emoji", f"emoji {' '.join(emojis)} before the title is none of the three kinds")
        )
    if item.extra_kinds:
        written = "".join(KIND_EMOJI[k] for k in [*([item.kind] if item.kind else []), *item.extra_kinds])
        count = len(item.extra_kinds) + 1
        hits.append(Hit("warning", "kind-emoji", f"{count} kind emojis ({written}): one kind per item"))
    return hits


def _is_emoji(word: str) -> bool:
    """A pictograph (`🧞`, `🦁`), not a tag like `<Cookbook>`."""
    return any(unicodedata.category(c) == "So" or 0x1F000 <= ord(c) <= 0x1FAFF for c in word)
