"""The `papernews` command: thin wrappers over the library (see each command's --help)."""

from papernews.cli import add_cmds, archive_cmds, identity_cmds, lint_cmds, publish_cmds, query_cmds, summarize_cmds  # noqa: F401  (registers the commands)
from papernews.cli.app import app, main

__all__ = ["app", "main"]
