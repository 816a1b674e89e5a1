"""One item's draft: the model's answer checked by lint, and sent back with the findings until it
passes (at most `MAX_ATTEMPTS` answers); or, without a model, the extractive draft, checked alike.

Pure of I/O but for the two seams it is handed: a `ChatModel` (the network) and the lint function
(`papernews.lint.lint_bullets`). A draft that still has lint errors after the last answer comes
back with them (`Draft.clean` is False): the caller shows it and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from papernews.model import Bullet, Item, Kind, SummaryProvenance
from papernews.summarize.answer import parse_answer
from papernews.summarize.budget import Budgeted, fit_to_budget
from papernews.summarize.errors import LlmError, NoSourceError
from papernews.summarize.extractive import EXTRACTIVE_VERSION, extractive_draft
from papernews.summarize.prompt import PROMPT_VERSION, build_conversation, feedback_text
from papernews.summarize.provenance import make_provenance
from papernews.summarize.source import SourceText

if TYPE_CHECKING:
    from papernews.lint import Finding
    from papernews.summarize.llm import ChatModel

MAX_ATTEMPTS = 3  # the first answer and at most two corrections
NO_BULLETS = "답에서 bullet을 찾지 못함. 형식에 맞춰 bullet 목록만 다시 써라."


class Linter(Protocol):
    """`papernews.lint.lint_bullets`'s signature."""

    def __call__(self, bullets: list[Bullet], *, kind: Kind | None = None) -> list[Finding]: ...


@dataclass
class Attempt:
    """One answer: as written, its bullets, and what lint found in them."""

    answer: str
    bullets: list[Bullet]
    findings: list[Finding]


@dataclass
class Draft:
    bullets: list[Bullet]
    provenance: SummaryProvenance
    findings: list[Finding]  # of `bullets`, the last attempt
    attempts: list[Attempt] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # ids of the few-shot items
    budget: Budgeted | None = None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def clean(self) -> bool:
        return bool(self.bullets) and not self.errors


def _feedback(findings: Sequence[Finding]) -> str:
    return feedback_text([(f.severity, f.rule, f.message, f.line) for f in findings])


def draft_with_model(
    item: Item,
    source: SourceText,
    *,
    chat: ChatModel,
    lint: Linter,
    examples: Sequence[Item] = (),
    max_tokens: int = 6000,
    max_attempts: int = MAX_ATTEMPTS,
    notify: Callable[[str], None] | None = None,
) -> Draft:
    """Ask, lint, and ask again with the findings while lint finds errors (see the module);
    `notify` hears of each retry."""
    budgeted = fit_to_budget(source.sections, max_tokens, title=source.title or item.title)
    conversation = build_conversation(item, budgeted.text, examples=examples, links=source.links)
    attempts: list[Attempt] = []
    model = chat.model
    for attempt in range(1, max_attempts + 1):
        if attempt > 1 and notify is not None:
            errors = sum(f.severity == "error" for f in attempts[-1].findings)
            why = f"{errors} lint error{'s' if errors != 1 else ''}" if attempts[-1].bullets else "no bullets"
            notify(f"{why} in the draft: sent back ({attempt}/{max_attempts})")
        completion = chat.complete(conversation)
        model = completion.model
        bullets = parse_answer(completion.text)
        findings = lint(bullets, kind=item.kind) if bullets else []
        attempts.append(Attempt(completion.text, bullets, findings))
        if bullets and not any(f.severity == "error" for f in findings):
            break
        conversation.add_draft(completion.text, bullets, _feedback(findings) if bullets else NO_BULLETS)
    last = attempts[-1]
    if not last.bullets:
        raise LlmError(f"no bullets in the model's answer after {len(attempts)} tries: {last.answer[:200]!r}")
    provenance = make_provenance(
        last.bullets,
        source,
        method="llm",
        prompt_version=PROMPT_VERSION,
        model=model,
        endpoint_host=chat.settings.endpoint_host,
    )
    return Draft(
        bullets=last.bullets,
        provenance=provenance,
        findings=last.findings,
        attempts=attempts,
        examples=[ex.id for ex in examples],
        budget=budgeted,
    )


def draft_extractive(item: Item, source: SourceText, *, lint: Linter) -> Draft:
    """The offline draft (sentences of the source, see `extractive`), linted like a model's."""
    bullets = extractive_draft(source, item.kind)
    if not bullets:
        raise NoSourceError(f"no sentences to pick from the {source.kind} of {source.url or item.id}")
    findings = lint(bullets, kind=item.kind)
    provenance = make_provenance(bullets, source, method="extractive", prompt_version=EXTRACTIVE_VERSION)
    return Draft(bullets=bullets, provenance=provenance, findings=findings, attempts=[Attempt("", bullets, findings)])
