"""How the HTTP client behaves, as data: one place for defaults, env overrides and test settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_URL = "https://github.com/papernews/papernews"


def _version() -> str:
    try:
        return version("papernews")
    except PackageNotFoundError:  # running from a source tree that was never installed
        from papernews import __version__

        return __version__


def default_user_agent() -> str:
    """Names us and where to complain, as polite crawlers do (and as arXiv asks of API users)."""
    return f"papernews/{_version()} (+{PROJECT_URL})"


def default_cache_dir(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "papernews" / "http"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class HttpSettings:
    """Everything the client needs to know; every wait is capped by ``max_wait``.

    ``HttpSettings()`` is pure defaults (no cache, no token, private addresses refused);
    ``HttpSettings.from_env()`` is what the CLI uses.
    """

    user_agent: str = field(default_factory=default_user_agent)
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    backoff_base: float = 1.0
    max_wait: float = 60.0
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    # Endpoints: tests point them at a local server.
    arxiv_api: str = "https://export.arxiv.org/api/query"
    # arXiv's HTML full texts (`<arxiv_html>/<id>`), which `summarize` reads when a paper has one
    arxiv_html: str = "https://arxiv.org/html"
    github_api: str = "https://api.github.com"
    hf_api: str = "https://huggingface.co/api"
    # Minimum seconds between two requests to one host. arXiv's API terms ask for one every 3 s;
    # the rule follows whatever hosts `arxiv_api` and `arxiv_html` name.
    arxiv_interval: float = 3.0
    default_interval: float = 1.0
    host_intervals: Mapping[str, float] = field(default_factory=dict)
    respect_robots: bool = True
    allow_private: bool = False
    cache_dir: Path | None = None
    cache_ttl: float = 24 * 3600.0
    github_token: str | None = field(default=None, repr=False)

    def min_interval(self, host: str) -> float:
        host = host.lower()
        if host in self.host_intervals:
            return self.host_intervals[host]
        if host in {urlsplit(self.arxiv_api).hostname or "", urlsplit(self.arxiv_html).hostname or ""}:
            return self.arxiv_interval
        return self.default_interval

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> HttpSettings:
        """Defaults, then ``PAPERNEWS_*`` variables, then the keyword arguments given."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for name, var in (
            ("arxiv_api", "ARXIV_API"),
            ("arxiv_html", "ARXIV_HTML"),
            ("github_api", "GITHUB_API"),
            ("hf_api", "HF_API"),
        ):
            if env.get(f"PAPERNEWS_{var}"):
                values[name] = env[f"PAPERNEWS_{var}"]
        values["allow_private"] = _flag(env.get("PAPERNEWS_ALLOW_PRIVATE_URLS"))
        cache = env.get("PAPERNEWS_HTTP_CACHE")
        if cache is None:
            values["cache_dir"] = default_cache_dir(env)
        elif cache.strip().lower() not in {"", "0", "off", "none"}:
            values["cache_dir"] = Path(cache)
        if env.get("GITHUB_TOKEN"):
            values["github_token"] = env["GITHUB_TOKEN"]
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]
