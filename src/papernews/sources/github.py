"""GitHub repositories through the REST API (`GET /repos/{owner}/{repo}`).

Docs: https://docs.github.com/en/rest/repos/repos#get-a-repository. Without a token the API
allows 60 requests an hour per address; `GITHUB_TOKEN` raises that to 5,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from papernews.model import ItemMeta
from papernews.sources.dates import iso_date, utc_now
from papernews.sources.errors import FetchError
from papernews.sources.http import HttpClient

_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+$")
API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class RepoMeta:
    full_name: str
    description: str | None
    stars: int
    language: str | None
    topics: list[str] = field(default_factory=list)
    html_url: str | None = None
    owner_login: str | None = None
    owner_type: str | None = None  # "Organization" or "User"
    created_at: str | None = None
    pushed_at: str | None = None
    homepage: str | None = None
    license: str | None = None  # SPDX id
    archived: bool = False
    fork: bool = False


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_github_repo(data: Any) -> RepoMeta:
    """Pure: the API's repository JSON → `RepoMeta`; ValueError if it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("full_name"), str):
        raise ValueError("not a GitHub repository object")
    owner = _dict(data.get("owner"))
    license_ = _dict(data.get("license"))
    stars = data.get("stargazers_count")
    spdx = _str(license_.get("spdx_id"))
    return RepoMeta(
        full_name=data["full_name"],
        description=_str(data.get("description")),
        stars=stars if isinstance(stars, int) and stars >= 0 else 0,
        language=_str(data.get("language")),
        topics=[t for t in data.get("topics") or [] if isinstance(t, str)],
        html_url=_str(data.get("html_url")),
        owner_login=_str(owner.get("login")),
        owner_type=_str(owner.get("type")),
        created_at=iso_date(data.get("created_at")),
        pushed_at=iso_date(data.get("pushed_at")),
        homepage=_str(data.get("homepage")),
        license=spdx if spdx != "NOASSERTION" else None,
        archived=data.get("archived") is True,
        fork=data.get("fork") is True,
    )


def fetch_github(client: HttpClient, repo: str) -> RepoMeta:
    """`repo` is ``owner/name``; renamed repositories are followed (the API answers 301)."""
    repo = repo.strip().strip("/")
    if not _REPO_RE.match(repo) or repo.endswith((".", "/..")):
        raise FetchError(repo, None, "not a GitHub owner/repo")
    url = f"{client.settings.github_api.rstrip('/')}/repos/{repo}"
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
    if client.settings.github_token:
        headers["Authorization"] = f"Bearer {client.settings.github_token}"
    answer = client.fetch(url, headers=headers)
    if answer.status in (403, 429) and answer.headers.get("x-ratelimit-remaining") == "0":
        raise FetchError(url, answer.status, "GitHub API rate limit reached; set GITHUB_TOKEN for more")
    if answer.status == 404:
        raise FetchError(url, 404, "no such repository (or it is private)")
    if answer.status >= 400:
        raise FetchError(url, answer.status, "GitHub API error")
    try:
        return parse_github_repo(answer.json())
    except ValueError as exc:
        raise FetchError(url, answer.status, str(exc)) from exc


def to_item_meta(meta: RepoMeta, *, fetched_at: str | None = None) -> ItemMeta:
    return ItemMeta(
        description=meta.description,
        published=meta.created_at,
        updated=meta.pushed_at,
        site_name="GitHub",
        stars=meta.stars,
        language=meta.language,
        topics=list(meta.topics),
        # lower-cased as papernews.identity writes GitHub ids (GitHub ignores case)
        ids={"github": meta.full_name.lower()},
        fetched_at=fetched_at or utc_now(),
    )
