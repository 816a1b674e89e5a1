"""A draft as the digest shows it: the item's Markdown line and bullets, and its provenance as an
HTML comment under them (invisible when the README is rendered, kept verbatim if pasted in)."""

from __future__ import annotations

from typing import Any

from papernews.formats.markdown import render_item
from papernews.model import Item, SummaryProvenance, walk_bullets


def provenance_note(p: SummaryProvenance) -> str:
    """One line saying where the bullets came from; an extractive draft says it is one."""
    source = f"{p.source_kind} {p.source_url or ''}".strip()
    if p.method == "extractive":
        text = (
            f"papernews: offline extractive draft ({p.prompt_version}), sentences picked from the {source},"
            f" not yet in house style; {p.drafted_at}"
        )
    else:
        text = (
            f"papernews: drafted by {p.model} at {p.endpoint_host}, prompt {p.prompt_version},"
            f" source {source} (sha256 {p.source_sha256[:12]}); {p.drafted_at}"
        )
    return "<!-- " + text.replace("--", "- -") + " -->"


def draft_markdown(item: Item) -> str:
    """The item in the digest format, bullets included, with its provenance note when it has one."""
    text = render_item(item)
    provenance = item.meta.summary_provenance
    return text + (provenance_note(provenance) + "\n" if provenance is not None else "")


def flat_bullets(item: Item) -> list[dict[str, Any]]:
    """`{"text", "level"}` per bullet, level 1 a summary bullet: the shape a model is asked for."""
    return [{"text": b.text, "level": level} for level, b in walk_bullets(item.bullets)]
