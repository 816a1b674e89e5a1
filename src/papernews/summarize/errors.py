"""Why a summary could not be drafted, so `summarize` can report one input and go on with the rest.

PapernewsError
└── SummarizeError        no draft for this input
    ├── NoSourceError     nothing to summarise from (no abstract stored, a page without text)
    └── LlmError          the chat endpoint failed, refused, or answered nothing usable
"""

from __future__ import annotations

from papernews.errors import PapernewsError


class SummarizeError(PapernewsError):
    """No draft could be made for one input."""


class NoSourceError(SummarizeError):
    """There is no source text: offline without a stored abstract, or a page with no text."""


class LlmError(SummarizeError):
    """The chat endpoint could not be reached, refused the request, or gave no usable answer."""
