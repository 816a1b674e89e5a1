"""Few-shot examples chosen from the curator's own archive, on the real seed."""

from __future__ import annotations

import pytest

from papernews.formats.markdown import parse
from papernews.lint import lint_bullets
from papernews.model import Item, Kind
from papernews.summarize.fewshot import candidates, choose_examples, tokens


@pytest.fixture(scope="module")
def seed_items(seed_text: str) -> list[Item]:
    return parse(seed_text).items


def by_title(items: list[Item], title: str) -> Item:
    (item,) = [it for it in items if it.title == title]
    return item


def test_tokens() -> None:
    assert tokens("LoRA: Low-Rank Adaptation of Large Language Models") == ["lora", "low-rank", "adaptation"]
    assert tokens("추론 능력") == ["추론", "능력"]
    assert tokens("긴 문맥에서의 추론") == ["긴", "문맥", "맥에", "에서", "서의", "추론"]


def test_pool_is_the_kind_with_bullets(seed_items: list[Item]) -> None:
    papers = candidates(seed_items, Kind.PAPER)
    assert len(papers) == 374 and all(it.kind == Kind.PAPER and it.bullets and not it.is_group for it in papers)
    assert len(candidates(seed_items, Kind.DEV)) == 205
    assert len(candidates(seed_items, Kind.NEWS)) == 28


@pytest.mark.parametrize(
    ("kind", "title", "first"),
    [
        (
            Kind.PAPER,
            "LoRA: Low-Rank Adaptation of Large Language Models",
            "DoRA: Weight-Decomposed Low-Rank Adaptation",
        ),
        (Kind.DEV, "Introducing Gemini 2.0", "Google just released three new experimental Gemini 1.5 models"),
        (Kind.DEV, "Sora: Creating video from text", "Open-Sora"),
    ],
)
def test_most_similar_first(seed_items: list[Item], kind: Kind, title: str, first: str) -> None:
    own = [it.id for it in seed_items if it.title == title]
    examples = choose_examples(seed_items, kind=kind, title=title, exclude=own)
    assert len(examples) == 3
    assert examples[0].item.title == first
    assert [e.score for e in examples] == sorted((e.score for e in examples), reverse=True)
    assert all(e.item.kind == kind and e.item.bullets for e in examples)


def test_the_source_text_counts(seed_items: list[Item]) -> None:
    abstract = "We study chain-of-thought reasoning and how decoding alone can elicit it without prompting."
    examples = choose_examples(seed_items, kind=Kind.PAPER, title="A new paper", text=abstract)
    assert any("Chain-of-Thought" in e.item.title for e in examples)


def test_never_its_own_example_and_deterministic(seed_items: list[Item]) -> None:
    item = by_title(seed_items, "Chain-of-Thought Reasoning Without Prompting")
    examples = choose_examples(seed_items, kind=Kind.PAPER, title=item.title, exclude=[item.id])
    assert item.id not in [e.item.id for e in examples]
    again = choose_examples(seed_items, kind=Kind.PAPER, title=item.title, exclude=[item.id])
    assert [e.item.id for e in again] == [e.item.id for e in examples]
    assert choose_examples(seed_items, kind=Kind.PAPER, title=item.title)[0].item.id == item.id


def test_leave_one_out_on_the_seed(seed_items: list[Item]) -> None:
    """For a sample of seed papers, the best example shares a word of the title: it is about the same thing."""
    papers = candidates(seed_items, Kind.PAPER)[::9]
    shared = 0
    for item in papers:
        (best,) = choose_examples(seed_items, kind=Kind.PAPER, title=item.title, exclude=[item.id], k=1)
        shared += best.score > 0 and bool(set(tokens(item.title)) & set(tokens(best.item.title)))
    assert shared / len(papers) >= 0.85, (shared, len(papers))


def test_newest_of_the_kind_when_nothing_is_alike(seed_items: list[Item]) -> None:
    examples = choose_examples(seed_items, kind=Kind.NEWS, title="zzzz qqqq")
    assert [e.score for e in examples] == [0.0, 0.0, 0.0]
    # the seed's three latest news items that have bullets, latest first
    assert [e.item.week.key for e in examples if e.item.week] == ["2024-09-W03", "2024-08-W01", "2024-07-W01"]


def test_accept_skips_examples_that_fail_lint(seed_items: list[Item]) -> None:
    """The runner only shows examples whose bullets pass lint; here: those without a plain `…다.` either."""

    def clean(item: Item) -> bool:
        return not lint_bullets(item.bullets, kind=item.kind)

    title = "Transformers Can Achieve Length Generalization But Not Robustly"
    own = [by_title(seed_items, title).id]
    everything = choose_examples(seed_items, kind=Kind.PAPER, title=title, exclude=own, k=10)
    chosen = choose_examples(seed_items, kind=Kind.PAPER, title=title, exclude=own, accept=clean)
    assert len(chosen) == 3 and all(clean(e.item) for e in chosen)
    assert [e.item.id for e in chosen] == [e.item.id for e in everything if clean(e.item)][:3]
    assert choose_examples(seed_items, kind=Kind.PAPER, title=title, accept=lambda _: False) == []
