"""Lint without a file: a draft's bullets, one item, or every item of the archive.

No line numbers here: a draft has none yet, and an archived item is named by its id.
"""

from __future__ import annotations

from collections.abc import Iterable

from papernews.lint.duplicates import duplicate_hits
from papernews.lint.findings import BULLET_RULES, RULES, Finding, select
from papernews.lint.rules import bullet_hits, item_hits
from papernews.model import Bullet, Item, Kind
from papernews.store import Store

# Rules that need the document's text or other items: `lint_item` alone cannot run them.
DOCUMENT_RULES = frozenset({"indent", "structure", "duplicate"})
ITEM_RULES = frozenset(RULES) - DOCUMENT_RULES


def lint_bullets(bullets: list[Bullet], *, kind: Kind | None = None) -> list[Finding]:
    """The writing rules on summary bullets (endings, count, depth, links in them): for a draft before it is saved."""
    hits = bullet_hits(bullets, kind=kind, rules=BULLET_RULES)
    return [Finding(None, None, h.severity, h.rule, h.message) for h in hits]


def lint_item(item: Item) -> list[Finding]:
    """Every rule that one item can be judged on alone: its bullets, title, link, kind emoji and orgs."""
    return _item_findings(item, ITEM_RULES, None)


def lint_store(store: Store, *, rules: Iterable[str] | None = None) -> list[Finding]:
    """The findings of every archived item (by id, in archive order), and items archived twice."""
    chosen = select(rules) - {"indent", "structure"}  # the archive keeps no document to read them from
    path = str(store.path)
    items = list(store.iter_items())
    by_item: dict[str, list[Finding]] = {}
    for item in items:
        by_item[item.id] = _item_findings(item, chosen, path)
    if "duplicate" in chosen:
        for item, hit in duplicate_hits(items, lambda other: f"item {other.id}"):
            by_item[item.id].append(Finding(path, None, hit.severity, hit.rule, hit.message, item.id))
    return [f for item in items for f in by_item[item.id]]


def _item_findings(item: Item, rules: frozenset[str], path: str | None) -> list[Finding]:
    return [Finding(path, None, h.severity, h.rule, h.message, item.id) for h in item_hits(item, rules)]
