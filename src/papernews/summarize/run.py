"""`summarize_inputs`, the library behind `papernews summarize`: ids and links in, drafts out.

Per input, in order (one failure never stops the others):

1. find the item: an id (or unique prefix) in the archive; a link through `add`'s own path
   (`add_urls(dry_run=True)`), which finds it in the archive under any of its addresses, or
   else builds it from the link's fetched metadata without storing it;
2. read its source (`source.fetch_source`; offline, only what the archive holds);
3. draft: with a chat endpoint configured (and not offline), the model with the archive's most
   similar items as examples, corrected against lint; else the extractive draft;
4. with `write`, store a lint-clean draft and its provenance (`Store.save_item`; a link not yet in
   the archive is added as `add` would). Bullets a person wrote are never replaced without
   `force`; a draft that still has lint errors is never written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from papernews.errors import NotFoundError, PapernewsError
from papernews.model import Item, Kind, with_summary_edits
from papernews.summarize.draft import Draft, Linter, draft_extractive, draft_with_model
from papernews.summarize.errors import NoSourceError
from papernews.summarize.fewshot import choose_examples
from papernews.summarize.llm import ChatModel, LlmSettings
from papernews.summarize.provenance import with_summary
from papernews.summarize.source import SourceText, fetch_source, stored_source

if TYPE_CHECKING:
    from papernews.sources import HttpClient, HttpSettings
    from papernews.store import Store

Status = Literal["drafted", "written", "lint-errors", "refused", "error"]
Notify = Callable[[str], None]


@dataclass
class SummarizeResult:
    """What became of one input. `item` is the item with the draft's bullets when there is a draft
    (stored only when `status` is `written`), else the item as found (or None)."""

    input: str
    status: Status
    item: Item | None = None
    draft: Draft | None = None
    error: str | None = None
    source: SourceText | None = field(default=None, repr=False)


_BARE_LINK_RE = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+/\S*$")


def as_link(text: str) -> str | None:
    """The input as a URL when it is one (`arxiv.org/abs/…` pasted without a scheme included), else None."""
    text = text.strip()
    if "://" in text:
        return text
    return "https://" + text if _BARE_LINK_RE.match(text) else None


def _has_own_bullets(item: Item) -> bool:
    """Bullets a person wrote (or edited): not those of an untouched earlier draft."""
    provenance = with_summary_edits(item).meta.summary_provenance
    return bool(item.bullets) and (provenance is None or provenance.edited)


class _Summarizer:
    def __init__(
        self,
        store: Store,
        *,
        llm: LlmSettings,
        client: HttpClient | None,
        lint: Linter,
        offline: bool,
        notify: Notify,
    ) -> None:
        self.store, self.llm, self.client, self.lint = store, llm, client, lint
        self.offline, self.notify = offline, notify
        self.chat: ChatModel | None = None
        self._archive: dict[Kind | None, list[Item]] = {}

    @property
    def uses_model(self) -> bool:
        return self.llm.configured and not self.offline

    def source(self, item: Item) -> SourceText:
        if self.offline or self.client is None:
            found = stored_source(item)
            if found is None:
                raise NoSourceError(
                    f"item {item.id} has no stored abstract or description to draft from offline (drop --offline)"
                )
            return found
        self.notify(f"reading the source of {item.url or item.id}")
        return fetch_source(self.client, item)

    def archive(self, kind: Kind | None) -> list[Item]:
        if kind not in self._archive:
            self._archive[kind] = self.store.items(kind=kind.value) if kind is not None else []
        return self._archive[kind]

    def teaches(self, example: Item) -> bool:
        """An archived item is shown as an example only if its own bullets pass lint."""
        return not any(f.severity == "error" for f in self.lint(example.bullets, kind=example.kind))

    def draft(self, item: Item, source: SourceText) -> Draft:
        if not self.uses_model:
            why = (
                "--offline"
                if self.offline
                else "no chat endpoint configured (--base-url, PAPERNEWS_LLM_BASE_URL or a key)"
            )
            self.notify(f"{why}: offline extractive draft (sentences of the source)")
            return draft_extractive(item, source, lint=self.lint)
        if self.chat is None:
            self.chat = ChatModel(self.llm)
        examples = choose_examples(
            self.archive(item.kind),
            kind=item.kind,
            title=item.title,
            text=source.abstract or source.text,
            k=self.llm.examples,
            exclude=[x for x in (item.id, item.url) if x],
            accept=self.teaches,
        )
        self.notify(f"asking {self.chat.model} at {self.llm.endpoint_host} ({len(examples)} examples)")
        return draft_with_model(
            item,
            source,
            chat=self.chat,
            lint=self.lint,
            examples=[ex.item for ex in examples],
            max_tokens=self.llm.max_source_tokens,
            notify=self.notify,
        )

    def close(self) -> None:
        if self.chat is not None:
            self.chat.close()


def summarize_inputs(
    store: Store,
    inputs: Sequence[str],
    *,
    llm: LlmSettings | None = None,
    http: HttpSettings | None = None,
    client: HttpClient | None = None,
    lint: Linter | None = None,
    write: bool = False,
    force: bool = False,
    offline: bool = False,
    notify: Notify | None = None,
) -> list[SummarizeResult]:
    """A result per input, in input order (see the module docstring).

    `llm` defaults to `LlmSettings.from_env()`; `client` (or one opened from `http`, else from the
    environment) fetches sources unless `offline`; `lint` defaults to `papernews.lint.lint_bullets`.
    """
    if lint is None:
        from papernews.lint import lint_bullets

        lint = lint_bullets
    own_client = None
    if not offline and client is None:
        from papernews.sources import HttpClient, HttpSettings

        client = own_client = HttpClient(http if http is not None else HttpSettings.from_env())
    worker = _Summarizer(
        store,
        llm=llm if llm is not None else LlmSettings.from_env(),
        client=client,
        lint=lint,
        offline=offline,
        notify=notify or (lambda _message: None),
    )
    try:
        found = _find_items(store, inputs, client=client, offline=offline)
        return [_one(worker, text, item_or_error, write=write, force=force) for text, item_or_error in found]
    finally:
        worker.close()
        if own_client is not None:
            own_client.close()


def _find_items(
    store: Store, inputs: Sequence[str], *, client: HttpClient | None, offline: bool
) -> list[tuple[str, Item | str]]:
    """Each input with its item, or with why there is none."""
    found: dict[int, Item | str] = {}
    links = {n: link for n, text in enumerate(inputs) if (link := as_link(text)) is not None}
    for n, text in enumerate(inputs):
        if n not in links:
            try:
                found[n] = store.get(text.strip())
            except NotFoundError as exc:
                found[n] = str(exc)
    if links:
        from papernews.add import add_urls

        results = add_urls(store, list(links.values()), dry_run=True, offline=offline, client=client)
        for n, result in zip(links, results, strict=True):
            found[n] = result.item if result.item is not None else (result.error or "could not read the link")
    return [(text, found[n]) for n, text in enumerate(inputs)]


def _one(worker: _Summarizer, text: str, item_or_error: Item | str, *, write: bool, force: bool) -> SummarizeResult:
    if isinstance(item_or_error, str):
        return SummarizeResult(text, "error", error=item_or_error)
    item = item_or_error
    try:
        source = worker.source(item)
        draft = worker.draft(item, source)
    except PapernewsError as exc:  # FetchError, NoSourceError, LlmError
        return SummarizeResult(text, "error", item=item, error=str(exc))
    drafted = with_summary(item, draft.bullets, draft.provenance)
    if not draft.clean:
        return SummarizeResult(text, "lint-errors", item=drafted, draft=draft, source=source)
    if not write:
        return SummarizeResult(text, "drafted", item=drafted, draft=draft, source=source)
    if _has_own_bullets(item) and not force:
        reason = "the item has bullets a person wrote; --force replaces them"
        return SummarizeResult(text, "refused", item=drafted, draft=draft, error=reason, source=source)
    try:
        worker.store.save_item(drafted)
    except PapernewsError as exc:
        return SummarizeResult(text, "error", item=drafted, draft=draft, error=f"could not store: {exc}")
    return SummarizeResult(text, "written", item=drafted, draft=draft, source=source)
