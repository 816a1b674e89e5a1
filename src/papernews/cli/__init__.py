"""The `papernews` command: thin wrappers over the library (see each command's --help)."""

from papernews.cli import (  # noqa: F401  (registers the commands)
    add_cmds,
    archive_cmds,
    bench_cmds,
    identity_cmds,
    inbox_cmds,
    lint_cmds,
    publish_cmds,
    query_cmds,
    social_cmds,
    summarize_cmds,
    web_cmds,
)
from papernews.cli.app import app, main

__all__ = ["app", "main"]
