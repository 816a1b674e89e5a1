"""What lint reports: a `Finding` per problem, and the rules it can come from.

Kept free of heavy imports (no Kiwi, no identity tables): the CLI reads `RULES` to build its
`--help` and check `--rule` without paying for the analysis it may not run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

# rule id → what it checks, one line each (shown by `papernews lint --help`, used to check `--rule`).
# The severity each rule gives is part of its description so that the help says it once.
RULES: dict[str, str] = {
    "polite-ending": "error: a polite sentence ending (…합니다, …습니다, …됩니다, …입니다, …요) in a summary bullet.",
    "plain-ending": "warning: a plain sentence ending (…다.) where the house style writes notes (… 제안, … 있음).",
    "bullet-count": "warning: an item with no summary bullet, or more than 5 at level 1.",
    "bullet-depth": "warning: a bullet deeper than level 2 (a summary bullet and its detail bullets).",
    "indent": "warning: a bullet not indented 4 spaces a level (4 for a summary bullet, 8 for a detail).",
    "kind-emoji": "warning: no kind emoji (📜 🧑🏻💻 🗞️), two of them, or another emoji before the title.",
    "no-link": "error: an item whose title links nowhere.",
    "empty-title": "error: an item without a title (a bare URL).",
    "arxiv-link": "warning: an arXiv link not written https://arxiv.org/abs/<id> (a PDF, a version, www.).",
    "tracking-param": "warning: a URL carrying tracking or UI-state parameters (utm_*, ref_src, ?tab=readme-ov-file).",
    "duplicate": "error: the same item twice (same arXiv id, DOI, repository, link); "
    "warning: a near-identical title, one link for two releases.",
    "org-spelling": "warning: an org name the alias table knows as a misspelling (Stnaford → Stanford).",
    "structure": "warning: a line of the document the parser does not understand (kept verbatim).",
}

# The rules that look at summary bullets only: what `lint_bullets` runs on an LLM draft.
BULLET_RULES: frozenset[str] = frozenset(
    {"polite-ending", "plain-ending", "bullet-count", "bullet-depth", "arxiv-link", "tracking-param"}
)


@dataclass(frozen=True)
class Finding:
    """One problem: where (file and line, or the archive item), how bad, which rule, and what to do."""

    path: str | None
    line: int | None
    severity: Severity
    rule: str
    message: str
    item_id: str | None = None

    def location(self) -> str:
        """`file:line`, or `file#item` for an archive item (no line there), `-` when nothing is known."""
        where = self.path or "-"
        if self.line is not None:
            return f"{where}:{self.line}"
        if self.item_id is not None:
            return f"{where}#{self.item_id}"
        return where

    def format(self) -> str:
        """`file:line: severity rule: message`, the shape compilers and editors jump to."""
        return f"{self.location()}: {self.severity} {self.rule}: {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "item_id": self.item_id,
        }


def select(rules: Iterable[str] | None) -> frozenset[str]:
    """The rules to run: all when None, else the named ones; ValueError names any unknown rule."""
    if rules is None:
        return frozenset(RULES)
    chosen = frozenset(rules)
    unknown = sorted(chosen - RULES.keys())
    if unknown:
        raise ValueError(f"unknown lint rule(s): {', '.join(unknown)}; known rules: {', '.join(RULES)}")
    return chosen
