"""The real digest (../shared/seed, read at run time): lossless round trip and the fields of chosen items.

Items are found by the line they start on, so a failure names a line of the seed to look at.
"""

from __future__ import annotations

import pytest

from papernews.formats.markdown import Document, Raw, parse, render
from papernews.model import Item, Kind, walk_bullets


@pytest.fixture(scope="module")
def doc(seed_text: str) -> Document:
    return parse(seed_text, path="NLP-Paper-News-2024.md")


@pytest.fixture(scope="module")
def by_line(doc: Document) -> dict[int, Item]:
    out: dict[int, Item] = {}
    for item in doc.items:
        assert item.source is not None
        out[item.source.line] = item
    return out


def test_round_trip_is_byte_identical(seed_text: str, doc: Document) -> None:
    assert render(doc) == seed_text
    assert render(doc).encode("utf-8") == seed_text.encode("utf-8")


def test_nothing_is_dropped_and_nothing_is_reported(seed_text: str, doc: Document) -> None:
    assert doc.warnings == []
    # the nodes tile the text: each starts on the line after the previous one ends
    line = 1
    for node in doc.nodes:
        start = node.line if isinstance(node, Raw) else node.source.line  # type: ignore[union-attr]
        assert start == line
        text = node.text if isinstance(node, Raw) else node.source.text  # type: ignore[union-attr]
        line += len(text.splitlines())
    assert line == len(seed_text.splitlines()) + 1


def test_counts(doc: Document) -> None:
    assert len(doc.items) == 619
    assert sum(len(walk_bullets(it.bullets)) for it in doc.items) == 1196


def test_every_item_has_a_2024_week_and_is_unchanged(doc: Document) -> None:
    for item in doc.items:
        assert item.week is not None and item.week.year == 2024, item.source
        assert item.unchanged()


def test_ids_are_unique_and_stable(seed_text: str, doc: Document) -> None:
    ids = [it.id for it in doc.items]
    assert len(set(ids)) == len(ids)
    assert [it.id for it in parse(seed_text).items] == ids


def test_items_are_valid_models(doc: Document) -> None:
    """Items are built without validation; validating their dump must give them back unchanged."""
    for item in doc.items:
        again = Item.model_validate(item.model_dump(exclude_computed_fields=True))
        assert again == item
        assert again.model_dump() == item.model_dump()
        assert again.model_fields_set == item.model_fields_set


def test_the_same_url_twice_gives_two_items(doc: Document) -> None:
    dream = [it for it in doc.items if it.url == "https://lumalabs.ai/dream-machine"]
    assert [it.title for it in dream] == ["Dream Machine", "Dream Machine 1.5"]
    assert dream[0].id != dream[1].id


def test_line_9_block_covers_three_weeks(by_line: dict[int, Item]) -> None:
    week = by_line[11].week
    assert week is not None
    assert (week.year, week.month, week.weeks, week.label) == (2024, 2, [1, 2, 3], "1st ~ 3rd week")
    assert week.key == "2024-02-W01~W03"


def test_line_11_org_and_arxiv_link(by_line: dict[int, Item]) -> None:
    it = by_line[11]
    assert it.kind is Kind.PAPER and it.extra_kinds == []
    assert it.orgs == ["Cohere"] and it.org_label == "Cohere"
    assert it.title == "Aya Model: An Instruction Finetuned Open-Access Multilingual Language Model"
    assert it.url == "https://arxiv.org/abs/2402.07827"
    assert it.marker is None and it.note is None and not it.bold and not it.is_group
    assert len(it.bullets) == 1 and it.bullets[0].text.startswith("119개국, 3,000여 명의 연구자가")
    assert it.source is not None and it.source.text.count("\n") == 2


def test_line_33_two_orgs_joined_with_ampersand(by_line: dict[int, Item]) -> None:
    it = by_line[33]
    assert it.orgs == ["Google DeepMind", "Research"]
    assert it.org_label == "Google DeepMind & Research"
    assert it.org_text == "Google DeepMind & Research"
    assert it.title == "A Human-Inspired Reading Agent with Gist Memory of Very Long Contexts"
    # a bracket inside a bullet is text, not an org
    assert it.bullets[0].text.startswith("[gist memories]에 에피소드를")


def test_line_158_four_orgs(by_line: dict[int, Item]) -> None:
    it = by_line[158]
    assert it.orgs == ["Stanford", "Georgia Tech", "Microsoft", "Google DeepMind"]
    assert it.org_text == "Stanford, Georgia Tech, Microsoft, Google DeepMind"
    assert it.title == "Design2Code: How Far Are We From Automating Front-End Engineering?"


def test_line_110_marker_inside_the_line(by_line: dict[int, Item]) -> None:
    it = by_line[110]
    assert it.kind is Kind.DEV
    assert it.orgs == ["Google DeepMind"]
    assert it.marker == "🧞"
    assert it.title == "Genie: Generative Interactive Environments"
    assert it.url == "https://sites.google.com/view/genie-2024"


def test_line_493_tag_marker(by_line: dict[int, Item]) -> None:
    it = by_line[493]
    assert it.marker == "<Cookbook>"
    assert it.orgs == [] and it.org_label is None
    assert it.title == "Efficiently fine-tune Llama 3 with PyTorch FSDP and Q-Lora"
    assert it.url == "https://www.philschmid.de/fsdp-qlora-llama3"


def test_line_137_no_link_no_org(by_line: dict[int, Item]) -> None:
    it = by_line[137]
    assert it.kind is Kind.DEV
    assert it.title == "OpenAI API’s change on log probabilities from 5 to 20 return"
    assert it.url is None and it.orgs == [] and it.org_label is None and it.bullets == []


def test_line_1021_bare_url_without_title(by_line: dict[int, Item]) -> None:
    it = by_line[1021]
    assert it.orgs == ["Andrej Karpathy"]
    assert it.title == ""
    assert it.url == "https://github.com/karpathy/LLM101n"
    assert len(it.bullets) == 2


def test_line_1504_group_item(by_line: dict[int, Item]) -> None:
    it = by_line[1504]
    assert it.kind is Kind.PAPER
    assert it.title == "ACL 2024 Best Paper Award"
    assert it.url is None and it.orgs == []
    assert it.is_group
    assert [len(b.children) for b in it.bullets] == [2, 3]
    assert [ln.url for b in it.bullets for ln in b.links[:1]] == [
        "https://arxiv.org/abs/2402.07827",
        "https://arxiv.org/abs/2406.04327",
    ]
    assert it.bullets[0].children[1].links[0].url == "https://hf.co/CohereForAI/aya-101"


def test_line_847_two_emojis(by_line: dict[int, Item]) -> None:
    it = by_line[847]
    assert it.kind is Kind.DEV
    assert it.extra_kinds == [Kind.PAPER]
    assert it.title == "Extracting Concepts from GPT-4"
    assert it.bullets[0].links[0].url == "https://arxiv.org/abs/2406.04093v1"


def test_line_810_no_emoji(by_line: dict[int, Item]) -> None:
    it = by_line[810]
    assert it.kind is None and it.extra_kinds == []
    assert it.orgs == ["Meta"]
    assert it.title == "Contextual Position Encoding: Learning to Count What’s Important"


def test_line_1581_no_space_after_emoji(by_line: dict[int, Item]) -> None:
    it = by_line[1581]
    assert it.source is not None and it.source.text.startswith("- 🧑🏻💻[OpenAI]")
    assert it.kind is Kind.DEV and it.orgs == ["OpenAI"]
    assert it.title == "Fine-tuning now available for GPT-4o"


def test_line_1627_wrapped_title(by_line: dict[int, Item]) -> None:
    it = by_line[1627]
    assert it.title == "Open-FinLLMs: Open Multimodal Large Language Models for Financial Applications"
    assert it.url == "https://arxiv.org/abs/2408.11878"
    assert it.orgs == ["The Fin AI"]
    # the loose list: a blank line between bullets does not end the item
    assert len(it.bullets) == 3


def test_line_48_two_space_indent_is_level_1(by_line: dict[int, Item]) -> None:
    it = by_line[48]
    assert it.source is not None and it.source.text.splitlines()[1].startswith("  - ")
    assert len(it.bullets) == 1 and it.bullets[0].children == []
    assert it.bullets[0].text.startswith("Transformer 기반의 모델들의 성능을")


def test_lines_1359_to_1364_continuation_lines_join_the_bullet(by_line: dict[int, Item]) -> None:
    it = by_line[1359]
    assert it.title == "SaulLM-54B & SaulLM-141B: Scaling Up Domain Adaptation for the Legal Domain"
    assert it.source is not None and len(it.source.text.splitlines()) == 6
    assert [b.text for b in it.bullets] == [
        "법률 특화 LLM SaulLM-54B & 141B 를 공개",
        "domain adaptation 과정은 세 단계로 구성됨. 1) 540B 토큰 이상의 corpus로 continued pretraining"
        " 2) 법률 특화 instruction-following protocol 3) human preference와의 alignment",
    ]


def test_line_166_note_after_the_link(by_line: dict[int, Item]) -> None:
    it = by_line[166]
    assert it.title == "Claude 3’s system prompt"
    assert it.url == "https://twitter.com/AmandaAskell/status/1765207842993434880?"
    assert it.note == "(X link)"
