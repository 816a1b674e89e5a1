"""`papernews lint`: the house style checked on a digest document, one item, a draft's bullets or the archive.

Pure functions that return `Finding`s (`file:line: severity rule: message`); the rules are
listed in `RULES`. Korean sentence endings are judged on morphemes (kiwipiepy, loaded on first
use). This module loads only `findings` eagerly; the rest (Kiwi, the identity tables) is
imported on first use of a lint function, so the CLI starts as fast without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from papernews.lint.findings import RULES, Finding, Severity

if TYPE_CHECKING:
    from papernews.lint.archive import lint_bullets, lint_item, lint_store
    from papernews.lint.document import lint_text

__all__ = ["RULES", "Finding", "Severity", "lint_bullets", "lint_item", "lint_store", "lint_text"]

_LAZY = {
    "lint_bullets": "papernews.lint.archive",
    "lint_item": "papernews.lint.archive",
    "lint_store": "papernews.lint.archive",
    "lint_text": "papernews.lint.document",
}


def __getattr__(name: str) -> Any:
    """The lint functions, imported when first asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
