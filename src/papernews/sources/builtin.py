"""The built-in source kinds, registered through the same call a plugin makes (see `registry`)."""

from __future__ import annotations

from collections.abc import Callable

from papernews.sources.registry import SourceFactory


def register(register_source_kind: Callable[[str, SourceFactory], None]) -> None:
    from papernews.sources.arxiv_listing import ArxivListingSource
    from papernews.sources.feeds import FeedsSource
    from papernews.sources.gh_releases import GithubReleasesSource
    from papernews.sources.hf_daily import HfDailySource

    register_source_kind("arxiv", ArxivListingSource.from_options)
    register_source_kind("hf-daily", HfDailySource.from_options)
    register_source_kind("feeds", FeedsSource.from_options)
    register_source_kind("github-releases", GithubReleasesSource.from_options)
