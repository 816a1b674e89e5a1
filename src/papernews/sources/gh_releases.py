"""GitHub releases of chosen repositories (``GET /repos/{owner}/{repo}/releases``).

A release is news for the digest (a new vLLM, a new transformers) even though the repository
is already in the archive, so its candidate keeps the release's own URL as identity
(`Found.exact_url_identity`): identity rules would otherwise fold every release into its
repository. Drafts are skipped; pre-releases are kept (labs ship models as ``-rc``).

Docs: https://docs.github.com/en/rest/releases/releases#list-releases (newest first;
``published_at`` in ISO 8601 ``Z``). `GITHUB_TOKEN` raises the API's limit from 60 requests
an hour to 5,000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from papernews.sources.dates import iso_date
from papernews.sources.github import API_VERSION
from papernews.sources.http import HttpClient
from papernews.sources.options import positive_int, start_day, str_list
from papernews.sources.registry import Batch, Found, SourceProgress, fetch_each

PER_PAGE = 10
ABSTRACT_CHARS = 2000  # release notes can run to pages; the start says what changed


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_releases(data: Any, repo: str, source: str, *, org: str | None = None) -> list[Found]:
    """Pure: the API's release list → `Found` per published release; ValueError if it is not a list."""
    if not isinstance(data, list):
        raise ValueError("not a GitHub release list")
    name = repo.split("/")[-1]
    found: list[Found] = []
    for release in data:
        if not isinstance(release, dict) or release.get("draft") is True:
            continue
        url = _str(release.get("html_url"))
        tag = _str(release.get("tag_name"))
        if not url.startswith("https://") or not tag:
            continue
        title = _str(release.get("name")) or tag
        if name.lower() not in title.lower():
            title = f"{name} {title}"
        author = release.get("author")
        login = _str(author.get("login")) if isinstance(author, dict) else ""
        found.append(
            Found(
                url=url,
                title=title,
                source=source,
                abstract=" ".join(_str(release.get("body")).split())[:ABSTRACT_CHARS],
                authors=[login] if login else [],
                categories=["prerelease"] if release.get("prerelease") is True else [],
                published=iso_date(release.get("published_at")) or iso_date(release.get("created_at")),
                org=org,
                exact_url_identity=True,
            )
        )
    return found


@dataclass
class GithubReleasesSource:
    """``kind = "github-releases"``: options `repos` (``owner/name`` list), `per_repo` (10), `orgs` (repo → org)."""

    name: str
    repos: list[str]
    per_repo: int = PER_PAGE
    orgs: dict[str, str] = field(default_factory=dict)
    kind: str = "github-releases"

    @classmethod
    def from_options(cls, name: str, options: Mapping[str, Any]) -> GithubReleasesSource:
        repos = str_list(options, "repos", [])
        if not repos:
            raise ValueError("repos is empty: list the `owner/name` repositories to follow")
        orgs = options.get("orgs", {})
        if not isinstance(orgs, Mapping) or not all(isinstance(v, str) for v in orgs.values()):
            raise ValueError("orgs must be a table of repository = org")
        return cls(name=name, repos=repos, per_repo=positive_int(options, "per_repo", PER_PAGE), orgs=dict(orgs))

    def fetch(
        self,
        client: HttpClient,
        *,
        since: date | None,
        cursor: str | None,
        today: date,
        progress: SourceProgress | None = None,
    ) -> Batch:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": API_VERSION}
        if client.settings.github_token:
            headers["Authorization"] = f"Bearer {client.settings.github_token}"
        api = client.settings.github_api.rstrip("/")
        return fetch_each(
            self.repos,
            get=lambda repo: client.get(
                f"{api}/repos/{repo.strip('/')}/releases", params={"per_page": str(self.per_repo)}, headers=headers
            ),
            parse=lambda repo, answer: parse_releases(answer.json(), repo, self.name, org=self.orgs.get(repo)),
            today=today,
            progress=progress,
            since=start_day(since, cursor, today).isoformat(),
            label=lambda repo: repo,
            source=self.name,
            noun="repository",
        )
