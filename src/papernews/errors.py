"""The one error tree of papernews.

    PapernewsError            the root: the CLI prints it once and exits 2
    ├── InputError            a file the user gave us is malformed (carries file:line)
    ├── NotFoundError         an id, week or file that does not exist
    └── StoreError            the archive database cannot be used as asked

Library code raises these instead of printing, so the CLI, the web app and tests
can decide how to present a failure.
"""

from __future__ import annotations


class PapernewsError(Exception):
    """Root of every error papernews raises on purpose."""


class InputError(PapernewsError):
    """Malformed input; ``location`` is ``file:line`` (or ``file:line:col``) when known."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    @property
    def location(self) -> str:
        where = self.path or "<input>"
        return f"{where}:{self.line}" if self.line is not None else where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class NotFoundError(PapernewsError):
    """Something asked for by id, key or path is not there."""


class StoreError(PapernewsError):
    """The SQLite archive is unusable (newer schema, locked, corrupt)."""
