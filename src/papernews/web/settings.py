"""How the web app is set up: where the archive and the published files are, how cookies behave.

Read from the `[web]` table of papernews.toml (validated here, as each stage validates its own
section), then command-line flags. No secret lives here: passwords are argon2 hashes in the
archive, session ids and API tokens are stored hashed, and the key that signs the login form's
CSRF cookie is made by the archive's migration and never leaves the server.

```toml
[web]
site_dir = "site"              # where publish writes the static site
export_dir = "."               # where publish writes README.md and items.json
git_repo = "."                 # commit what publish wrote here (omit: no commit)
base_url = "https://example.org/news/"   # the published site's address (canonical links, feeds)
secure_cookies = true          # served behind https
trust_proxy = true             # a reverse proxy sets X-Forwarded-For / X-Forwarded-Proto
```
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from papernews.errors import InputError
from papernews.sources.settings import HttpSettings

DEFAULT_BASE_URL = "http://localhost:8000/"


@dataclass(frozen=True)
class WebSettings:
    db: Path  # the SQLite archive
    site_dir: Path = Path("site")  # where publish writes the static site
    export_dir: Path = Path(".")  # where README.md and items.json are written on publish
    secure_cookies: bool = False  # True behind https (also set per request from X-Forwarded-Proto when trust_proxy)
    trust_proxy: bool = False
    allow_private_urls: bool = False  # tests: fetch fixture servers on 127.0.0.1 through the SSRF guard
    git_repo: Path | None = None  # publish commits README.md/items.json/site here when set
    http: HttpSettings | None = None  # for add/summarize fetches; None = HttpSettings.from_env()
    # beyond the contract, with defaults: what publish builds
    base_url: str = DEFAULT_BASE_URL  # the published site's address, for canonical links and feeds
    build_search: bool = True  # publish builds the Pagefind index (tests turn it off: it takes seconds)
    build_charts: bool = True

    def http_settings(self) -> HttpSettings:
        """The client settings for fetching user-given URLs: the SSRF guard refuses private
        addresses unless `allow_private_urls` (or PAPERNEWS_ALLOW_PRIVATE_URLS) says otherwise."""
        base = self.http if self.http is not None else HttpSettings.from_env()
        return replace(base, allow_private=True) if self.allow_private_urls else base

    @classmethod
    def from_config(cls, db: Path, section: Mapping[str, Any], **overrides: Any) -> WebSettings:
        """Settings from the `[web]` table (`Config.section("web")`), then `overrides` that are not None."""
        known = {f.name for f in fields(cls)} - {"db", "http"}
        unknown = sorted(set(section) - known)
        if unknown:
            raise InputError(f"[web] has unknown keys: {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values: dict[str, Any] = {}
        for key in ("site_dir", "export_dir", "git_repo"):
            if key in section:
                values[key] = Path(_typed(section, key, str))
        for key in ("secure_cookies", "trust_proxy", "allow_private_urls", "build_search", "build_charts"):
            if key in section:
                values[key] = _typed(section, key, bool)
        if "base_url" in section:
            values["base_url"] = _typed(section, "base_url", str)
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "base_url" in values:
            values["base_url"] = _base_url(values["base_url"])
        return cls(db=db, **values)


def _typed(section: Mapping[str, Any], key: str, kind: type) -> Any:
    value = section[key]
    if not isinstance(value, kind):
        raise InputError(f"[web] {key} must be a {'boolean' if kind is bool else 'string'}, got {value!r}")
    return value


def _base_url(value: str) -> str:
    value = value.strip()
    if not value.startswith(("http://", "https://")):
        raise InputError(f"[web] base_url must be an http(s) URL, got {value!r}")
    return value if value.endswith("/") else value + "/"
