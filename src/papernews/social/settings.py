"""Settings of the social targets and of the site they link to: `papernews.toml` for what may be
written down, the environment for secrets (never the file, never printed).

```toml
[site]
base_url = "https://nlp-paper-news.example.org/"   # item permalinks and week pages
title = "NLP Paper News"

[social]
targets = ["x", "bluesky"]    # what `papernews thread` drafts (and posts) by default; default ["x"]
hashtags = ["NLP", "LLM"]     # under the main post
link = "source"               # a reply links the item's own URL ("source") or its page ("permalink")
points = 2                    # key points per reply (1 or 2)
timeout = 20                  # seconds per API call

[social.x]
api_base = "https://api.x.com"

[social.bluesky]
service = "https://bsky.social"   # the account's PDS
handle = "nlp-paper-news.bsky.social"
langs = ["ko"]
```

Secrets: `PAPERNEWS_X_API_KEY`, `PAPERNEWS_X_API_SECRET` (the app's consumer key and secret),
`PAPERNEWS_X_ACCESS_TOKEN`, `PAPERNEWS_X_ACCESS_TOKEN_SECRET` (the posting account's OAuth 1.0a
user token); `PAPERNEWS_BLUESKY_APP_PASSWORD` (an app password, not the account's password) and
optionally `PAPERNEWS_BLUESKY_HANDLE` instead of `handle`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from papernews.config import Config
from papernews.errors import InputError
from papernews.publish.feeds import SiteInfo
from papernews.publish.inline import safe_url
from papernews.social.draft import DraftOptions
from papernews.social.errors import CredentialsError
from papernews.social.length import RULES

X_ENV = ("PAPERNEWS_X_API_KEY", "PAPERNEWS_X_API_SECRET", "PAPERNEWS_X_ACCESS_TOKEN", "PAPERNEWS_X_ACCESS_TOKEN_SECRET")
BLUESKY_PASSWORD_ENV = "PAPERNEWS_BLUESKY_APP_PASSWORD"
BLUESKY_HANDLE_ENV = "PAPERNEWS_BLUESKY_HANDLE"


def _bad(config: Config, message: str) -> InputError:
    return InputError(message, path=str(config.path) if config.path else None)


def _str(config: Config, table: Mapping[str, Any], name: str, key: str, default: str | None) -> str | None:
    value = table.get(key, default)
    if value is not None and not isinstance(value, str):
        raise _bad(config, f"{name}.{key} must be a string")
    return value


def _str_list(config: Config, table: Mapping[str, Any], name: str, key: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _bad(config, f"{name}.{key} must be a list of strings")
    return tuple(v.strip() for v in value)


def _http_base(config: Config, name: str, key: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not safe_url(value):
        raise _bad(config, f"{name}.{key} must be an absolute http(s) URL, got {value!r}")
    return value.rstrip("/")


def site_info(config: Config, base_url: str | None = None) -> SiteInfo | None:
    """The site the posts and the newsletter link to: `--base-url`, else `site.base_url`;
    None when neither is set (posts then link only the items' own URLs)."""
    table = config.section("site")
    url = base_url or _str(config, table, "site", "base_url", None)
    if not url:
        return None
    if not safe_url(url):
        raise _bad(config, f"site base_url must be an absolute http(s) URL, got {url!r}")
    title = _str(config, table, "site", "title", None) or SiteInfo.title
    return SiteInfo(base_url=url if url.endswith("/") else url + "/", title=title)


@dataclass(frozen=True)
class SocialSettings:
    targets: tuple[str, ...] = ("x",)
    options: DraftOptions = field(default_factory=DraftOptions)
    timeout: float = 20.0
    x_api_base: str = "https://api.x.com"
    bluesky_service: str = "https://bsky.social"
    bluesky_handle: str | None = None
    bluesky_langs: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: Config, *, site: SiteInfo | None = None) -> SocialSettings:
        social = config.section("social")
        x = social.get("x", {})
        bsky = social.get("bluesky", {})
        if not isinstance(x, dict) or not isinstance(bsky, dict):
            raise _bad(config, "social.x and social.bluesky must be tables in papernews.toml")
        targets = _str_list(config, social, "social", "targets") or ("x",)
        unknown = [t for t in targets if t not in RULES]
        if unknown:
            raise _bad(config, f"social.targets: unknown {', '.join(unknown)}; choose from {', '.join(RULES)}")
        link = _str(config, social, "social", "link", "source")
        if link not in ("source", "permalink"):
            raise _bad(config, 'social.link must be "source" or "permalink"')
        points = social.get("points", 2)
        if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= 2:
            raise _bad(config, "social.points must be 1 or 2")
        timeout = social.get("timeout", 20)
        if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
            raise _bad(config, "social.timeout must be a positive number of seconds")
        title = site.title if site is not None else SiteInfo.title
        options = DraftOptions(
            title=_str(config, social, "social", "title", title) or title,
            hashtags=_str_list(config, social, "social", "hashtags"),
            link="permalink" if link == "permalink" else "source",
            points=points,
            site=site,
        )
        return cls(
            targets=targets,
            options=options,
            timeout=float(timeout),
            x_api_base=_http_base(config, "social.x", "api_base", _str(config, x, "social.x", "api_base", None))
            or cls.x_api_base,
            bluesky_service=_http_base(
                config, "social.bluesky", "service", _str(config, bsky, "social.bluesky", "service", None)
            )
            or cls.bluesky_service,
            bluesky_handle=_str(config, bsky, "social.bluesky", "handle", None),
            bluesky_langs=_str_list(config, bsky, "social.bluesky", "langs"),
        )


@dataclass(frozen=True)
class XCredentials:
    """OAuth 1.0a user context: the app's consumer key and secret, the account's access token and secret."""

    api_key: str = field(repr=False)
    api_secret: str = field(repr=False)
    access_token: str = field(repr=False)
    access_token_secret: str = field(repr=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> XCredentials:
        env = os.environ if environ is None else environ
        values = [env.get(name, "").strip() for name in X_ENV]
        missing = [name for name, v in zip(X_ENV, values, strict=True) if not v]
        if missing:
            raise CredentialsError(f"posting to X needs {', '.join(missing)} in the environment; nothing was posted")
        return cls(*values)


@dataclass(frozen=True)
class BlueskyCredentials:
    handle: str
    app_password: str = field(repr=False)

    @classmethod
    def from_env(cls, settings: SocialSettings, environ: Mapping[str, str] | None = None) -> BlueskyCredentials:
        env = os.environ if environ is None else environ
        handle = env.get(BLUESKY_HANDLE_ENV, "").strip() or (settings.bluesky_handle or "").strip()
        password = env.get(BLUESKY_PASSWORD_ENV, "").strip()
        missing = [BLUESKY_PASSWORD_ENV] if not password else []
        if not handle:
            missing.append(f"{BLUESKY_HANDLE_ENV} (or social.bluesky.handle)")
        if missing:
            raise CredentialsError(f"posting to Bluesky needs {' and '.join(missing)}; nothing was posted")
        return cls(handle, password)
