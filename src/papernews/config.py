"""`papernews.toml`: the settings a curator writes down once (today: which sources feed the inbox).

Where it is read from: `PAPERNEWS_CONFIG` (a file path) when set, else ``papernews.toml`` in the
current folder (beside the default ``papernews.db``), else nothing: the defaults apply. Read with
the standard library's `tomllib`; the file is data, never code. Secrets do not belong here
(tokens come from the environment, e.g. `GITHUB_TOKEN`).

```toml
[sources.arxiv]            # the table's name is the source's name; `kind` defaults to it
categories = ["cs.CL", "cs.AI", "cs.LG"]

[sources.hf-daily]

[sources.labs]
kind = "feeds"             # no `feeds` list: the shipped default_feeds.toml

[sources.releases]
kind = "github-releases"
repos = ["huggingface/transformers", "vllm-project/vllm"]

[sources.old-blog]
kind = "feeds"
feeds = [{ name = "A blog", url = "https://example.org/feed.xml", org = "Example" }]
enabled = false            # kept, not fetched
```
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papernews.errors import InputError

CONFIG_FILE = "papernews.toml"
# Without a [sources] table: arXiv's four categories, Hugging Face daily papers, the shipped lab feeds.
DEFAULT_SOURCES: dict[str, dict[str, Any]] = {
    "arxiv": {"kind": "arxiv"},
    "hf-daily": {"kind": "hf-daily"},
    "labs": {"kind": "feeds"},
}


@dataclass(frozen=True)
class Config:
    path: Path | None  # None: no file, defaults only
    sources: dict[str, dict[str, Any]] = field(default_factory=lambda: dict(DEFAULT_SOURCES))
    tables: dict[str, Any] = field(default_factory=dict)  # the whole file, for the stages that own a section

    def section(self, name: str) -> dict[str, Any]:
        """The `[name]` table (empty when absent); each stage validates its own section, so this
        module does not grow a schema for every feature. InputError when `name` is not a table."""
        value = self.tables.get(name, {})
        if not isinstance(value, dict):
            raise InputError(f"[{name}] must be a table", path=str(self.path) if self.path else None)
        return dict(value)


def config_path(environ: Mapping[str, str] | None = None, cwd: Path | None = None) -> Path | None:
    env = os.environ if environ is None else environ
    if env.get("PAPERNEWS_CONFIG"):
        return Path(env["PAPERNEWS_CONFIG"])
    here = (cwd or Path.cwd()) / CONFIG_FILE
    return here if here.is_file() else None


def load_config(path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
    """The configuration from `path` (else `config_path()`); InputError for a missing or malformed file."""
    path = path if path is not None else config_path(environ)
    if path is None:
        return Config(path=None)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("configuration file not found", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read: {e}", path=str(path)) from e
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML: {e}", path=str(path)) from e
    raw = data.get("sources")
    if raw is None:
        return Config(path=path, tables=data)
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise InputError("[sources] must hold one table per source: [sources.<name>]", path=str(path))
    sources = {name: dict(table) for name, table in raw.items() if table.get("enabled", True) is not False}
    return Config(path=path, sources=sources, tables=data)
