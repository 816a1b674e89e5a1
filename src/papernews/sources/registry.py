"""The source registry: what kinds of candidate sources exist, and how a configured one is built.

Built-in kinds (`arxiv`, `hf-daily`, `feeds`, `github-releases`) register through the same
`register_source_kind` call a plugin uses, so a new kind needs no change here. A plugin is a
package with an entry point in the ``papernews.sources`` group pointing at a function that
takes the `register_source_kind` callable (the contract of simonw/llm's ``register_*`` hooks,
without pluggy). Entry points are read once, on the first lookup, never at import time.

A source fetches with the project's one `HttpClient` and returns `Found` records; parsing is
done by pure functions in each kind's module, so tests feed them fixture files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar

from papernews.errors import InputError
from papernews.sources.errors import FetchError
from papernews.sources.http import Fetched, HttpClient

# progress(done, total): total None while a source does not yet know how much there is
SourceProgress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Found:
    """One thing a source found: the raw material of an inbox candidate."""

    url: str
    title: str
    source: str  # the configured source's name (`arxiv`, `labs`, …)
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    published: str | None = None  # ISO date or datetime
    upvotes: int | None = None
    org: str | None = None  # when the source says who published it (a lab's feed)
    # releases share their repository's identity; only their own URL tells two releases apart
    exact_url_identity: bool = False


@dataclass
class Batch:
    """What one fetch of one source brought: records, where it stopped, and what went wrong on the way.

    `problems` are failures that did not stop the source (one broken feed among thirty);
    `cursor` is opaque text the source reads back next time (a date, or JSON for several feeds).
    """

    found: list[Found] = field(default_factory=list)
    cursor: str | None = None
    problems: list[str] = field(default_factory=list)
    requests: int = 0


class Source(Protocol):
    """A configured source. `since` (from `--since`) wins over `cursor` (where it stopped last)."""

    name: str
    kind: str

    def fetch(
        self,
        client: HttpClient,
        *,
        since: date | None,
        cursor: str | None,
        today: date,
        progress: SourceProgress | None = None,
    ) -> Batch: ...


T = TypeVar("T")


def fetch_each(
    targets: Sequence[T],
    *,
    get: Callable[[T], Fetched],
    parse: Callable[[T, Fetched], Iterable[Found]],
    today: date,
    progress: SourceProgress | None = None,
    since: str | None = None,
    label: Callable[[T], str] | None = None,
    source: str = "",
    noun: str = "target",
) -> Batch:
    """One request per target (a feed, a repository, a day), parsed, counted and reported as it goes.

    The kinds that read a list of endpoints wrote this loop each; here it is once, so they count
    requests, report progress, drop finds published before `since` (ISO date; undated ones are
    kept) and set the cursor (today) the same way. A request counts once it was answered.

    With `label`, a target that fails (a FetchError, or a ValueError from `parse`, named with the
    URL that answered) becomes a problem of the batch under its label and the others are still
    read; when every target failed, the source (`source`, its name) fails with "every `noun`
    failed" and the problems. Without `label` the first failure fails the source, a ValueError as the
    FetchError of the answer it came from.
    """
    batch = Batch(cursor=today.isoformat())
    for n, target in enumerate(targets):
        answer: Fetched | None = None
        try:
            answer = get(target)
            batch.requests += 1
            found = list(parse(target, answer))
        except FetchError as e:
            if label is None:
                raise
            batch.problems.append(f"{label(target)}: {e}")
        except ValueError as e:
            if answer is None:
                raise
            if label is None:
                raise FetchError(answer.url, answer.status, str(e)) from e
            batch.problems.append(f"{label(target)}: {answer.url}: {e}")
        else:
            batch.found.extend(f for f in found if since is None or f.published is None or f.published[:10] >= since)
        if progress is not None:
            progress(n + 1, len(targets))
    if targets and len(batch.problems) == len(targets):
        raise FetchError(source, None, f"every {noun} failed: " + "; ".join(batch.problems))
    return batch


SourceFactory = Callable[[str, Mapping[str, Any]], Source]
ENTRY_POINT_GROUP = "papernews.sources"

_KINDS: dict[str, SourceFactory] = {}
_loaded = False


def register_source_kind(kind: str, factory: SourceFactory) -> None:
    """Make ``kind = "<kind>"`` usable in `papernews.toml`; `factory(name, options)` builds a source."""
    _KINDS[kind] = factory


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    from papernews.sources import builtin

    builtin.register(register_source_kind)
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()(register_source_kind)


def source_kinds() -> dict[str, SourceFactory]:
    _load()
    return dict(_KINDS)


def build_source(name: str, options: Mapping[str, Any]) -> Source:
    """A source from its `[sources.<name>]` table; InputError for an unknown kind or a bad option."""
    kinds = source_kinds()
    kind = str(options.get("kind", name))
    if kind not in kinds:
        raise InputError(f"source {name!r}: unknown kind {kind!r}; known: {', '.join(sorted(kinds))}")
    try:
        return kinds[kind](name, options)
    except (TypeError, ValueError) as e:
        raise InputError(f"source {name!r}: {e}") from e
