"""Hugging Face models, datasets and Spaces through the Hub API (`GET /api/models/{id}` …).

Docs: https://huggingface.co/docs/hub/api. The API needs no token for public repositories.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from papernews.model import ItemMeta
from papernews.sources.dates import iso_date, utc_now
from papernews.sources.errors import FetchError
from papernews.sources.http import HttpClient

HfKind = Literal["model", "dataset", "space"]
_PATHS: dict[str, str] = {"model": "models", "dataset": "datasets", "space": "spaces"}
_ID_RE = re.compile(r"^(?:[A-Za-z0-9][\w.-]*/)?[A-Za-z0-9][\w.-]*$")
# Tags the Hub adds to every repository: they say nothing about this one.
_NOISE_PREFIXES = ("region:", "endpoints_compatible", "autotrain_compatible", "deploy:", "format:")


@dataclass(frozen=True)
class HfMeta:
    kind: HfKind
    id: str
    author: str | None
    downloads: int | None
    likes: int | None
    tags: list[str] = field(default_factory=list)
    pipeline_tag: str | None = None
    license: str | None = None
    library_name: str | None = None
    sdk: str | None = None  # Spaces: gradio, streamlit, docker, static
    description: str | None = None  # datasets have one; models keep theirs in the card
    created_at: str | None = None
    last_modified: str | None = None
    arxiv_ids: list[str] = field(default_factory=list)  # from the Hub's "arxiv:…" tags


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _license(card: dict[str, Any], tags: list[str]) -> str | None:
    value = card.get("license")
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return next((t.removeprefix("license:") for t in tags if t.startswith("license:")), None)


def parse_hf(kind: HfKind, data: Any) -> HfMeta:
    """Pure: the Hub API's JSON for a model, dataset or Space → `HfMeta`; ValueError if not one."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise ValueError(f"not a Hugging Face {kind} object")
    card = _dict(data.get("cardData"))
    tags = [t for t in data.get("tags") or [] if isinstance(t, str)]
    repo_id: str = data["id"]
    return HfMeta(
        kind=kind,
        id=repo_id,
        author=_str(data.get("author")) or (repo_id.split("/")[0] if "/" in repo_id else None),
        downloads=_count(data.get("downloads")),
        likes=_count(data.get("likes")),
        tags=tags,
        pipeline_tag=_str(data.get("pipeline_tag")),
        license=_license(card, tags),
        library_name=_str(data.get("library_name")),
        sdk=_str(data.get("sdk")) or _str(card.get("sdk")),
        description=_str(data.get("description")),
        created_at=iso_date(data.get("createdAt")),
        last_modified=iso_date(data.get("lastModified")),
        arxiv_ids=[t.removeprefix("arxiv:") for t in tags if t.startswith("arxiv:")],
    )


def fetch_hf(client: HttpClient, kind: HfKind, repo_id: str) -> HfMeta:
    """`repo_id` as on the Hub: ``org/name`` (or a bare legacy name such as ``gpt2``)."""
    repo_id = repo_id.strip().strip("/")
    if kind not in _PATHS:
        raise FetchError(repo_id, None, f"unknown Hugging Face kind {kind!r}")
    if not _ID_RE.match(repo_id) or ".." in repo_id:
        raise FetchError(repo_id, None, f"not a Hugging Face {kind} id")
    url = f"{client.settings.hf_api.rstrip('/')}/{_PATHS[kind]}/{repo_id}"
    answer = client.fetch(url)
    if answer.status in (401, 404):  # the Hub answers 401 for repositories that do not exist
        raise FetchError(url, answer.status, f"no such {kind} (or it is private or gated)")
    if answer.status >= 400:
        raise FetchError(url, answer.status, "Hugging Face API error")
    try:
        return parse_hf(kind, answer.json())
    except ValueError as exc:
        raise FetchError(url, answer.status, str(exc)) from exc


def to_item_meta(meta: HfMeta, *, fetched_at: str | None = None) -> ItemMeta:
    topics = [t for t in meta.tags if not t.startswith(_NOISE_PREFIXES) and not t.startswith("license:")]
    ids = {f"hf_{meta.kind}": meta.id.lower()}  # as papernews.identity writes them
    if len(meta.arxiv_ids) == 1:
        ids["arxiv"] = meta.arxiv_ids[0]
    return ItemMeta(
        authors=[meta.author] if meta.author else [],
        description=meta.description,
        published=meta.created_at,
        updated=meta.last_modified,
        site_name="Hugging Face",
        stars=meta.likes,
        topics=topics,
        ids=ids,
        fetched_at=fetched_at or utc_now(),
    )
