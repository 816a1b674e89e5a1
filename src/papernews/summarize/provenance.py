"""The provenance stored with a summary (`SummaryProvenance` in the model), made in one place.

The store keeps it inside the item's metadata and flips `edited` when the bullets stop being
the draft (`model.with_summary_edits`); here it is only made, and applied to an item.
"""

from __future__ import annotations

from datetime import UTC, datetime

from papernews.model import Bullet, Item, SummaryProvenance, bullets_digest
from papernews.summarize.source import SourceText


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_provenance(
    bullets: list[Bullet],
    source: SourceText,
    *,
    method: str,
    prompt_version: str,
    model: str | None = None,
    endpoint_host: str | None = None,
    now: str | None = None,
) -> SummaryProvenance:
    return SummaryProvenance.model_validate(
        {
            "method": method,
            "model": model,
            "endpoint_host": endpoint_host,
            "prompt_version": prompt_version,
            "source_url": source.url,
            "source_kind": source.kind,
            "source_sha256": source.sha256,
            "drafted_at": now or utc_now(),
            "bullets_sha256": bullets_digest(bullets),
        }
    )


def with_summary(item: Item, bullets: list[Bullet], provenance: SummaryProvenance) -> Item:
    """The item with the drafted bullets and their provenance (a copy; `item` is left as it is)."""
    meta = item.meta.model_copy(update={"summary_provenance": provenance})
    return item.model_copy(update={"bullets": bullets, "meta": meta})
