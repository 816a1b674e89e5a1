"""A model's answer ↔ bullets: the JSON schema it is asked to fill, and a reader for what it wrote.

Structured output gives `{"bullets": [{"text": …, "level": 1|2}, …]}`: a flat list with levels,
as `items.json` keeps bullets (level 1 is a summary bullet, 2 a detail under the one before).
A server without structured output answers in text; the reader then takes Markdown list lines
(`- `, `* `, `• `, `1. `), their indentation giving the level whatever its width (2, 4 spaces
or a tab), and ignores chatter around them. Both are accepted from any server: some accept the
schema and still answer in text, some wrap JSON in a code fence.
"""

from __future__ import annotations

import json
import re
from typing import Any

from papernews.model import Bullet, build_bullet_tree, walk_bullets

MAX_LEVEL = 2

BULLETS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "bullets": {
            "type": "array",
            "description": "summary bullets in order; level 1 is a summary bullet, level 2 a detail of the one before",
            "items": {
                "type": "object",
                "properties": {
                    "text": {"type": "string"},
                    "level": {"type": "integer", "enum": [1, 2]},
                },
                "required": ["text", "level"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["bullets"],
    "additionalProperties": False,
}

_FENCE_RE = re.compile(r"^\s*```[\w-]*[ \t]*\n?(.*?)\n?\s*```\s*$", re.S)
_LIST_RE = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+•]|\d{1,2}[.)])[ \t]+(?P<text>\S.*)$")


def bullets_to_json(bullets: list[Bullet]) -> str:
    """Bullets as the structured answer the schema describes (what a few-shot example answers)."""
    flat = [{"text": b.text, "level": level} for level, b in walk_bullets(bullets)]
    return json.dumps({"bullets": flat}, ensure_ascii=False)


def bullets_to_text(bullets: list[Bullet]) -> str:
    """Bullets as a plain-text answer: `- ` for a summary bullet, four more spaces per level."""
    return "\n".join("    " * (level - 1) + "- " + b.text for level, b in walk_bullets(bullets))


def _clean(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"^(?:[-*+•]\s+)+", "", text)


def _from_json(value: Any) -> list[tuple[int, str]] | None:
    items = value.get("bullets") if isinstance(value, dict) else value
    if not isinstance(items, list):
        return None
    pairs: list[tuple[int, str]] = []
    for entry in items:
        if isinstance(entry, str):
            pairs.append((1, entry))
        elif isinstance(entry, dict) and isinstance(entry.get("text"), str):
            level = entry.get("level", 1)
            pairs.append((level if isinstance(level, int) and not isinstance(level, bool) else 1, entry["text"]))
        else:
            return None
    if pairs and min(level for level, _ in pairs) == 0:  # a zero-based answer (as items.json counts)
        pairs = [(level + 1, text) for level, text in pairs]
    return pairs


def _from_text(text: str) -> list[tuple[int, str]]:
    lines = [line.expandtabs(4) for line in text.splitlines() if not line.lstrip().startswith("```")]
    found = [(len(m.group("indent")), m.group("text")) for m in map(_LIST_RE.match, lines) if m]
    if not found:
        return [(1, line) for line in lines if line.strip()]
    widths = sorted({indent for indent, _ in found})
    return [(widths.index(indent) + 1, item) for indent, item in found]


def parse_answer(text: str) -> list[Bullet]:
    """The bullets of an answer, JSON or Markdown list (see the module); [] when there are none."""
    body = text.strip("\n")  # the first line's indentation may be its level
    fenced = _FENCE_RE.match(body)
    if fenced:
        body = fenced.group(1).strip("\n")
    pairs: list[tuple[int, str]] | None = None
    if body.strip().startswith(("{", "[")):
        try:
            pairs = _from_json(json.loads(body))
        except ValueError:
            pairs = None
    if pairs is None:
        pairs = _from_text(body)
    cleaned = [(max(1, min(level, MAX_LEVEL)), _clean(t)) for level, t in pairs]
    return build_bullet_tree([(level, t) for level, t in cleaned if t])
