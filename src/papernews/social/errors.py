"""Why a thread could not be drafted or posted.

PapernewsError
└── SocialError              a thread or a newsletter cannot be made or delivered
    ├── CredentialsError     posting or sending asked for without the secrets it needs
    ├── DraftError           a post cannot be brought within its target's limit
    ├── PostingError         the platform refused or did not answer (`unknown`: it may have posted)
    └── SendError            the SMTP server could not be reached or refused the edition
"""

from __future__ import annotations

from papernews.errors import PapernewsError


class SocialError(PapernewsError):
    """A thread or a newsletter cannot be made or delivered as asked."""


class CredentialsError(SocialError):
    """The environment lacks the secrets named in the message; nothing was sent."""


class DraftError(SocialError):
    """A post cannot be brought within its target's length limit by the shortening rules."""


class PostingError(SocialError):
    """A platform call failed. `unknown` is True when the request may have reached the platform
    (a read timeout, a dropped connection): the post may exist, so it is never silently retried."""

    def __init__(self, message: str, *, unknown: bool = False, status: int | None = None) -> None:
        super().__init__(message)
        self.unknown = unknown
        self.status = status


class SendError(SocialError):
    """The newsletter could not be sent: no connection, TLS or login refused, the server hung up."""
