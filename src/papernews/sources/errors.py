"""The one error the network edge raises, so `add` can report a URL's failure and go on with the rest."""

from __future__ import annotations

from papernews.errors import PapernewsError


class FetchError(PapernewsError):
    """A URL could not be fetched or understood.

    ``status`` is the HTTP status when the server answered (None when it never did: refused by
    the SSRF guard or robots.txt, a timeout, a body over the size cap); ``reason`` says why in
    words a curator can act on.
    """

    def __init__(self, url: str, status: int | None, reason: str) -> None:
        self.url = url
        self.status = status
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        status = f" (HTTP {self.status})" if self.status is not None else ""
        return f"{self.url}: {self.reason}{status}"
