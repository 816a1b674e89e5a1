"""A source text as sections (abstract, introduction, method, …), so it can be cut by meaning.

A paper's headings say what each part is for; `classify_heading` reads that from the words of a
heading (`3.2 Experimental Setup` → results), and a subsection takes its top section's kind. Page
text, which has no headings that we can trust, is one section of paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SectionKind = Literal[
    "abstract",
    "introduction",
    "related",
    "method",
    "results",
    "conclusion",
    "other",
    "references",
    "appendix",
    "acknowledgments",
    "statement",
    "main",
]

# kinds no summary needs: never sent to a model, never picked from
DROPPED: frozenset[SectionKind] = frozenset({"references", "appendix", "acknowledgments", "statement"})


@dataclass(frozen=True)
class Section:
    """One heading and the paragraphs under it (not those of its subsections, which follow it)."""

    title: str
    kind: SectionKind
    paragraphs: tuple[str, ...]
    level: int = 1  # 1: abstract or a section; 2 and deeper: subsections

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# first match wins: the specific kinds before the broad ones (`Related Work on Evaluation` is related)
_PATTERNS: tuple[tuple[SectionKind, str], ...] = (
    ("references", r"\b(references|bibliography|works cited)\b"),
    ("appendix", r"\b(appendix|appendices|supplementary)\b"),
    ("acknowledgments", r"\backnowledg"),
    (
        "statement",
        r"\b(ethic|broader impact|impact statement|reproducibility|author contributions?|"
        r"contributions? statement|checklist|disclosure)",
    ),
    ("abstract", r"^abstract$"),
    ("introduction", r"\b(introduction|motivation|problem)\b"),
    ("conclusion", r"\b(conclusions?|concluding|discussion|limitations?|future work|summary)\b"),
    ("related", r"\b(related work|background|preliminar|prior work|literature)"),
    (
        "results",
        r"\b(experiment|results?|evaluation|evaluating|analys[ie]s|ablation|performance|findings|empirical"
        r"|benchmarking)",
    ),
    (
        "method",
        r"\b(method|approach|model|architecture|framework|proposed|design|algorithm|training|"
        r"pre-?training|fine-?tuning|dataset|data|system|pipeline|formulation|objective|our)",
    ),
)
_RULES: tuple[tuple[SectionKind, re.Pattern[str]], ...] = tuple((kind, re.compile(p, re.I)) for kind, p in _PATTERNS)
# `1`, `3.2`, `A`, `A.1`, `IV`, `Appendix B` before the words of a heading
_NUMBER_RE = re.compile(r"^\s*(?:appendix\s+)?(?:[A-Z]|[IVX]+|\d+)(?:\.\d+)*\.?\s+", re.I)


def heading_words(title: str) -> str:
    """The heading without its number: `3.2 Experimental Setup` → `Experimental Setup`."""
    stripped = _NUMBER_RE.sub("", " ".join(title.split()), count=1)
    return stripped or title.strip()


def classify_heading(title: str) -> SectionKind:
    """What a section is for, from the words of its heading (`other` when they say nothing)."""
    if re.match(r"^\s*appendix\b", title, re.I):
        return "appendix"
    words = heading_words(title)
    for kind, pattern in _RULES:
        if pattern.search(words):
            return kind
    return "other"


def paragraphs_of(text: str) -> tuple[str, ...]:
    """Paragraphs of plain text (trafilatura puts one per line), whitespace collapsed, empty ones gone."""
    out = (" ".join(line.split()) for line in text.splitlines())
    return tuple(p for p in out if p)
