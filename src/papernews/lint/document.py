"""Lint a digest document: every item's rules at their lines, plus what only the file shows.

The parser gives each item its first line and its exact text; a bullet's line is found by
reading that text again (`bullet_lines`), which also gives the indentation the rules need and
the parsed item no longer has. The parser's own warnings (lines it keeps verbatim without
understanding them) become `structure` findings; repeated items are found across the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from papernews.formats.markdown import parse
from papernews.formats.markdown.itemline import LIST_GAP
from papernews.lint.duplicates import duplicate_hits
from papernews.lint.findings import Finding, select
from papernews.lint.rules import Hit, item_hits
from papernews.model import Item, walk_bullets

INDENT = "    "  # one level of bullets, as the house style and `render_item` write it
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def lint_text(text: str, path: str | None = None, *, rules: Iterable[str] | None = None) -> list[Finding]:
    """The findings of a digest document, by line. Raises InputError when the structure is malformed."""
    chosen = select(rules)
    doc = parse(text, path=path)
    found: list[Finding] = []
    if "structure" in chosen:
        found.extend(Finding(path, w.line, "warning", "structure", w.message) for w in doc.warnings)
    items = doc.items
    for item in items:
        lines = bullet_lines(item)
        if len(lines) != len(walk_bullets(item.bullets)):  # pragma: no cover - the parser and this disagree
            lines = []
        found.extend(_at(hit, item, lines, path) for hit in item_hits(item, chosen))
        if "indent" in chosen:
            found.extend(_at(hit, item, lines, path) for hit in indent_hits(item, lines))
    if "duplicate" in chosen:
        found.extend(_at(hit, item, [], path) for item, hit in duplicate_hits(items, _line_of))
    found.sort(key=lambda f: f.line or 0)
    return found


def bullet_lines(item: Item) -> list[tuple[int, str]]:
    """(line, indentation) of each of an item's bullets, in `walk_bullets` order.

    A bullet is an indented list line with text, as `itemline.scan_item` reads it; other
    indented lines continue the bullet above them.
    """
    if item.source is None:
        return []
    out: list[tuple[int, str]] = []
    for offset, line in enumerate(_LINE_BREAK_RE.split(item.source.text)):
        body = line.lstrip(" \t")
        if offset == 0 or len(body) == len(line) or body[:1] not in ("-", "*", "+"):
            continue
        if (len(body) == 1 or body[1] in LIST_GAP) and body[1:].strip():
            out.append((item.source.line + offset, line[: len(line) - len(body)]))
    return out


def indent_hits(item: Item, lines: list[tuple[int, str]]) -> list[Hit]:
    """Bullets not indented with 4 spaces a level (a stray 2-space indent, a tab)."""
    hits: list[Hit] = []
    for index, ((level, _), (_, indent)) in enumerate(zip(walk_bullets(item.bullets), lines, strict=False)):
        want = INDENT * level
        if indent != want:
            message = f"level-{level} bullet indented {_describe(indent)}: write {len(want)} spaces"
            hits.append(Hit("warning", "indent", message, index))
    return hits


def _describe(indent: str) -> str:
    spaces, tabs = indent.count(" "), indent.count("\t")
    parts = [f"{n} {word}{'s' if n > 1 else ''}" for n, word in ((spaces, "space"), (tabs, "tab")) if n]
    return "with " + " and ".join(parts)


def _line_of(item: Item) -> str:
    return f"line {item.source.line}" if item.source else f"item {item.id}"


def _at(hit: Hit, item: Item, lines: list[tuple[int, str]], path: str | None) -> Finding:
    if hit.bullet is not None and hit.bullet < len(lines):
        line: int | None = lines[hit.bullet][0]
    else:
        line = item.source.line if item.source else None
    return Finding(path, line, hit.severity, hit.rule, hit.message, item.id)
