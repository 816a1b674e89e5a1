"""Any fetcher's result → the `ItemMeta` an item stores, so `add` need not know which fetcher ran."""

from __future__ import annotations

from papernews.model import ItemMeta
from papernews.sources import arxiv, github, hf, pages

SourceMeta = arxiv.ArxivMeta | pages.PageMeta | github.RepoMeta | hf.HfMeta


def to_item_meta(meta: SourceMeta, *, fetched_at: str | None = None) -> ItemMeta:
    if isinstance(meta, arxiv.ArxivMeta):
        return arxiv.to_item_meta(meta, fetched_at=fetched_at)
    if isinstance(meta, pages.PageMeta):
        return pages.to_item_meta(meta, fetched_at=fetched_at)
    if isinstance(meta, github.RepoMeta):
        return github.to_item_meta(meta, fetched_at=fetched_at)
    return hf.to_item_meta(meta, fetched_at=fetched_at)
