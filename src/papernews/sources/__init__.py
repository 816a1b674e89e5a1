"""Fetching what is known about a URL: one polite HTTP client and a fetcher per kind of source.

Fetch at the edge, parse in pure functions: each fetcher module has a ``parse_*`` function that
tests feed with fixture files, and a ``fetch_*`` function that only adds the request.
"""

from papernews.sources.arxiv import ArxivMeta, fetch_arxiv, parse_arxiv_feed
from papernews.sources.errors import FetchError
from papernews.sources.github import RepoMeta, fetch_github, parse_github_repo
from papernews.sources.hf import HfKind, HfMeta, fetch_hf, parse_hf
from papernews.sources.http import Fetched, HttpClient
from papernews.sources.meta import SourceMeta, to_item_meta
from papernews.sources.pages import PageMeta, fetch_page, parse_page
from papernews.sources.settings import HttpSettings

__all__ = [
    "ArxivMeta",
    "FetchError",
    "Fetched",
    "HfKind",
    "HfMeta",
    "HttpClient",
    "HttpSettings",
    "PageMeta",
    "RepoMeta",
    "SourceMeta",
    "fetch_arxiv",
    "fetch_github",
    "fetch_hf",
    "fetch_page",
    "parse_arxiv_feed",
    "parse_github_repo",
    "parse_hf",
    "parse_page",
    "to_item_meta",
]
