"""What `papernews thread` does, as library calls: the items, a thread per target (optionally
rewritten by a chat model), and the client that posts to each target."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from papernews.model import Item, Week
from papernews.social.draft import Thread, draft_thread
from papernews.social.errors import CredentialsError
from papernews.social.length import RULES
from papernews.social.remote import Poster
from papernews.social.select import named_items, week_items
from papernews.social.settings import BlueskyCredentials, SocialSettings, XCredentials
from papernews.store import Store
from papernews.summarize.llm import LlmSettings


def thread_items(store: Store, refs: Sequence[str], week: Week | None) -> list[Item]:
    return week_items(store, week) if week is not None else named_items(store, refs)


def draft_threads(
    items: Sequence[Item],
    targets: Sequence[str],
    settings: SocialSettings,
    *,
    week: Week | None,
    llm: LlmSettings | None = None,
) -> list[Thread]:
    """One thread per target; with `llm`, each reply offered to the model for a rewrite (kept only
    when it passes the same checks)."""
    threads = [draft_thread(items, RULES[t], settings.options, week=week) for t in targets]
    if llm is None:
        return threads
    from papernews.social.rewrite import Rewriter, rewrite_thread

    by_id = {it.id: it for it in items}
    rewriter = Rewriter(llm)
    try:
        return [rewrite_thread(t, by_id, RULES[t.target], rewriter) for t in threads]
    finally:
        rewriter.close()


def check_credentials(
    targets: Sequence[str], settings: SocialSettings, environ: Mapping[str, str] | None = None
) -> None:
    """CredentialsError naming every missing variable of every target, before anything is sent."""
    problems: list[str] = []
    for target in targets:
        try:
            if target == "x":
                XCredentials.from_env(environ)
            else:
                BlueskyCredentials.from_env(settings, environ)
        except CredentialsError as exc:
            problems.append(str(exc))
    if problems:
        raise CredentialsError("; ".join(problems))


def make_poster(target: str, settings: SocialSettings, environ: Mapping[str, str] | None = None) -> Poster:
    if target == "x":
        from papernews.social.x_api import XClient

        return XClient(XCredentials.from_env(environ), api_base=settings.x_api_base, timeout=settings.timeout)
    from papernews.social.bluesky import BlueskyClient

    return BlueskyClient(
        BlueskyCredentials.from_env(settings, environ),
        service=settings.bluesky_service,
        timeout=settings.timeout,
        langs=settings.bluesky_langs,
    )
