"""Every variant of docs/house-style.md, in small documents: read into the right fields, written back byte for byte."""

from __future__ import annotations

from typing import Any

import pytest

from papernews.formats.markdown import Document, parse, render
from papernews.formats.markdown.itemline import item_from_lines, parse_item_lines
from papernews.model import Item, Kind

LEGEND = "📜: Paper link\n🧑🏻💻: Developer blog & Github link\n🗞️: News\n\n---\n"


def digest(body: str, *, month: str = "## ☃ February", label: str = "1st week", year: int = 2025) -> str:
    """A one-block digest around `body` (item lines, each ending in a newline)."""
    return f"{LEGEND}# {year}\n{month}\n<details>\n  <summary>{label}</summary>\n\n{body}</details>\n"


def parse_clean(text: str) -> Document:
    """Parse, and check what every variant must give: the same bytes back and no warning."""
    doc = parse(text)
    assert render(doc) == text
    assert render(doc).encode("utf-8") == text.encode("utf-8")
    assert doc.warnings == []
    return doc


def only_item(text: str) -> Item:
    items = parse_clean(text).items
    assert len(items) == 1
    return items[0]


LINK = "https://arxiv.org/abs/2501.12948"

# (variant, item lines, expected fields)
ITEM_VARIANTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "the usual item",
        f"- 📜 [DeepSeek] [DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via RL]({LINK})\n"
        "    - RL만으로 reasoning 능력을 끌어올린 모델 공개\n",
        {
            "kind": Kind.PAPER,
            "orgs": ["DeepSeek"],
            "title": "DeepSeek-R1: Incentivizing Reasoning Capability in LLMs via RL",
            "url": LINK,
            "n_bullets": 1,
        },
    ),
    (
        "dev emoji without zero-width joiner",
        "- 🧑🏻💻 [OpenAI] [Introducing Operator](https://openai.com/index/introducing-operator/)\n",
        {"kind": Kind.DEV, "extra_kinds": [], "title": "Introducing Operator"},
    ),
    (
        "dev emoji with zero-width joiner",
        "- 🧑🏻\u200d💻 [OpenAI] [Introducing Operator](https://openai.com/index/introducing-operator/)\n",
        {"kind": Kind.DEV, "extra_kinds": [], "title": "Introducing Operator"},
    ),
    (
        "news emoji with variation selector",
        "- 🗞️ [Nvidia shares fall after DeepSeek launch](https://example.com/news/1)\n",
        {"kind": Kind.NEWS, "orgs": [], "title": "Nvidia shares fall after DeepSeek launch"},
    ),
    (
        "news emoji without variation selector",
        "- 🗞 [Nvidia shares fall after DeepSeek launch](https://example.com/news/1)\n",
        {"kind": Kind.NEWS, "title": "Nvidia shares fall after DeepSeek launch"},
    ),
    (
        "bold title",
        "- 🧑🏻💻 [Google] [**Gemini 2.0 Flash Thinking**](https://deepmind.google/technologies/gemini/flash-thinking/)\n",
        {"title": "Gemini 2.0 Flash Thinking", "bold": True, "orgs": ["Google"]},
    ),
    (
        "bracketed title",
        "- 🧑🏻💻 [Anthropic] [[Product launch] Claude 3.7 Sonnet](https://www.anthropic.com/news/claude-3-7-sonnet)\n",
        {"title": "[Product launch] Claude 3.7 Sonnet", "url": "https://www.anthropic.com/news/claude-3-7-sonnet"},
    ),
    (
        "title wrapped over two lines",
        "- 📜 [Meta] [Byte Latent Transformer: Patches Scale Better\nThan Tokens](https://arxiv.org/abs/2412.09871)\n"
        "    - tokenizer 없이 byte를 patch 단위로 묶어 학습\n",
        {"title": "Byte Latent Transformer: Patches Scale Better Than Tokens", "url": "https://arxiv.org/abs/2412.09871",
         "n_bullets": 1},
    ),
    (
        "no org",
        f"- 📜 [s1: Simple test-time scaling]({LINK})\n",
        {"orgs": [], "org_label": None, "title": "s1: Simple test-time scaling"},
    ),
    (
        "orgs with a comma",
        f"- 📜 [HKUST, Amazon] [Some Paper]({LINK})\n",
        {"orgs": ["HKUST", "Amazon"], "org_label": "HKUST, Amazon", "org_text": "HKUST, Amazon"},
    ),
    (
        "orgs with an ampersand",
        f"- 📜 [Google DeepMind & Research] [Some Paper]({LINK})\n",
        {"orgs": ["Google DeepMind", "Research"], "org_text": "Google DeepMind & Research"},
    ),
    (
        "orgs with a middle dot",
        f"- 📜 [PKU · Microsoft] [Some Paper]({LINK})\n",
        {"orgs": ["PKU", "Microsoft"], "org_text": "PKU · Microsoft"},
    ),
    (
        "no emoji",
        f"- [Meta] [Contextual Position Encoding]({LINK})\n",
        {"kind": None, "extra_kinds": [], "orgs": ["Meta"], "title": "Contextual Position Encoding"},
    ),
    (
        "two emojis",
        "- 🧑🏻💻📜 [OpenAI] [Extracting Concepts from GPT-4](https://openai.com/index/extracting-concepts-from-gpt-4/)\n",
        {"kind": Kind.DEV, "extra_kinds": [Kind.PAPER], "orgs": ["OpenAI"]},
    ),
    (
        "no space after the emoji",
        "- 🧑🏻💻[OpenAI] [Fine-tuning now available for GPT-4o](https://openai.com/index/gpt-4o-fine-tuning/)\n",
        {"kind": Kind.DEV, "orgs": ["OpenAI"], "title": "Fine-tuning now available for GPT-4o"},
    ),
    (
        "an emoji inside the line",
        "- 🧑🏻💻 [Google DeepMind] 🧞 [Genie 2: A large-scale foundation world model](https://deepmind.google/genie-2/)\n",
        {
            "kind": Kind.DEV,
            "orgs": ["Google DeepMind"],
            "marker": "🧞",
            "title": "Genie 2: A large-scale foundation world model",
        },
    ),
    (
        "a tag before the title",
        "- 🧑🏻💻 <Cookbook> [Fine-tune Llama with QLoRA](https://example.com/qlora)\n",
        {"marker": "<Cookbook>", "orgs": [], "title": "Fine-tune Llama with QLoRA"},
    ),
    (
        "a tag before a title with no link",
        "- 🧑🏻💻 [Hugging Face] <Course> [AI Agents Course, Unit 1]\n",
        {"marker": "<Course>", "orgs": ["Hugging Face"], "title": "AI Agents Course, Unit 1", "url": None},
    ),
    (
        "no link at all",
        "- 🧑🏻💻 OpenAI API’s change on log probabilities from 5 to 20 return\n",
        {"title": "OpenAI API’s change on log probabilities from 5 to 20 return", "url": None, "orgs": []},
    ),
    (
        "a bare URL instead of a link",
        "- 🧑🏻💻 [Andrej Karpathy] https://github.com/karpathy/LLM101n\n    - from scratch in Python, C and CUDA\n",
        {"title": "", "url": "https://github.com/karpathy/LLM101n", "orgs": ["Andrej Karpathy"], "n_bullets": 1},
    ),
    (
        "a note after the link",
        "- 🧑🏻💻 [Claude 3’s system prompt](https://twitter.com/AmandaAskell/status/1765207842993434880?) (X link)\n",
        {"note": "(X link)", "url": "https://twitter.com/AmandaAskell/status/1765207842993434880?"},
    ),
    (
        "a group item",
        "- 📜 [ICLR 2025 Outstanding Paper Awards]\n"
        "    - [MIT] [Safety Alignment Should Be Made More Than Just a Few Tokens Deep](https://arxiv.org/abs/2406.05946)\n"
        "        - alignment가 첫 몇 token에만 머무는 문제를 분석\n"
        "    - [Princeton] [Learning Dynamics of LLM Finetuning](https://arxiv.org/abs/2407.10490)\n",
        {"title": "ICLR 2025 Outstanding Paper Awards", "url": None, "is_group": True, "n_bullets": 3},
    ),
    (
        "bullets carrying links",
        f"- 📜 [Qwen] [Qwen2.5 Technical Report]({LINK})\n"
        "    - 0.5B부터 72B까지 다양한 크기의 모델 공개\n"
        "    - [깃허브 링크](https://github.com/QwenLM/Qwen2.5) 🔗\n",
        {"n_bullets": 2, "bullet_links": [[], ["https://github.com/QwenLM/Qwen2.5"]], "is_group": False},
    ),
    (
        "a stray 2-space indent",
        f"- 📜 [Linear Transformers with Learnable Kernel Functions]({LINK})\n  - Taylor Expansion을 활용\n",
        {"n_bullets": 1, "levels": [1]},
    ),
    (
        "2-space indent with a deeper bullet",
        f"- 📜 [Some Paper]({LINK})\n  - 요약\n    - 세부 수치\n  - 두 번째 요약\n",
        {"levels": [1, 2, 1]},
    ),
    (
        "4- and 8-space indents",
        f"- 📜 [Some Paper]({LINK})\n    - 요약\n        - 세부 수치\n            - 더 깊은 내용\n",
        {"levels": [1, 2, 3]},
    ),
    (
        "continuation lines join their bullet",
        f"- 📜 [Some Paper]({LINK})\n    - 세 단계로 구성됨.\n    1) continued pretraining\n    2) alignment\n",
        {"bullet_texts": ["세 단계로 구성됨. 1) continued pretraining 2) alignment"]},
    ),
    (
        "a blank line between bullets (loose list)",
        f"- 📜 [Some Paper]({LINK})\n    - 첫 번째\n\n    - 두 번째\n",
        {"bullet_texts": ["첫 번째", "두 번째"]},
    ),
    (
        "trailing spaces",
        f"- 📜 [Org] [Some Paper]({LINK})  \n    - 요약 \t\n",
        {"orgs": ["Org"], "title": "Some Paper", "note": None, "bullet_texts": ["요약"]},
    ),
]


@pytest.mark.parametrize(("body", "expected"), [v[1:] for v in ITEM_VARIANTS], ids=[v[0] for v in ITEM_VARIANTS])
def test_item_variant(body: str, expected: dict[str, Any]) -> None:
    item = only_item(digest(body))
    assert item.source is not None and item.source.text == body and item.source.line == 11
    for name, want in expected.items():
        if name == "n_bullets":
            assert len(item.flat_bullets()) == want
        elif name == "levels":
            assert [lvl for lvl, _ in item.flat_bullets()] == want
        elif name == "bullet_texts":
            assert [text for _, text in item.flat_bullets()] == want
        elif name == "bullet_links":
            assert [[ln.url for ln in b.links] for b in item.bullets] == want
        else:
            assert getattr(item, name) == want, name


def test_korean_month_header() -> None:
    item = only_item(digest(f"- 📜 [Some Paper]({LINK})\n", month="## 🎄 12월"))
    assert item.week is not None and (item.week.year, item.week.month) == (2025, 12)


@pytest.mark.parametrize(
    ("label", "weeks", "key"),
    [
        ("1st week", [1], "2025-02-W01"),
        ("4th week", [4], "2025-02-W04"),
        ("1st ~ 3rd week", [1, 2, 3], "2025-02-W01~W03"),
        ("4th ~ 5th week", [4, 5], "2025-02-W04~W05"),
        ("1~2주차", [1, 2], "2025-02-W01~W02"),
    ],
)
def test_week_labels(label: str, weeks: list[int], key: str) -> None:
    item = only_item(digest(f"- 📜 [Some Paper]({LINK})\n", label=label))
    assert item.week is not None
    assert (item.week.weeks, item.week.label, item.week.key) == (weeks, label, key)


def test_months_and_weeks_newest_first() -> None:
    text = (
        f"{LEGEND}# 2025\n"
        "## 🌸 April\n<details>\n  <summary>2nd week</summary>\n\n- 📜 [April W2](https://x.example/1)\n</details>\n\n"
        "<details>\n  <summary>1st week</summary>\n\n- 📜 [April W1](https://x.example/2)\n</details>\n\n"
        "## 🌱 3월\n<details>\n  <summary>4th week</summary>\n\n- 📜 [March W4](https://x.example/3)\n</details>\n"
        "# 2024\n## 🎄 December\n<details>\n  <summary>5th week</summary>\n\n- 📜 [Dec W5](https://x.example/4)\n</details>\n"
    )
    doc = parse_clean(text)
    got = [(it.title, it.week.year, it.week.month, it.week.weeks) for it in doc.items]  # type: ignore[union-attr]
    assert got == [
        ("April W2", 2025, 4, [2]),
        ("April W1", 2025, 4, [1]),
        ("March W4", 2025, 3, [4]),
        ("Dec W5", 2024, 12, [5]),
    ]


def test_crlf_line_endings() -> None:
    text = digest(f"- 📜 [Org] [Some Paper]({LINK})\n    - 요약\n        - 세부\n").replace("\n", "\r\n")
    item = only_item(text)
    assert item.source is not None and item.source.text.endswith("\r\n") and item.source.line == 11
    assert (item.orgs, item.title, item.url) == (["Org"], "Some Paper", LINK)
    assert item.flat_bullets() == [(1, "요약"), (2, "세부")]


def test_file_without_final_newline() -> None:
    text = digest(f"- 📜 [Some Paper]({LINK})\n").rstrip("\n")
    assert not text.endswith("\n")
    item = only_item(text)
    assert item.title == "Some Paper"


def test_mixed_line_endings_and_lone_cr() -> None:
    text = digest(f"- 📜 [Some Paper]({LINK})\r\n    - 요약\r    - 두 번째\n")
    item = only_item(text)
    assert item.flat_bullets() == [(1, "요약"), (1, "두 번째")]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x0c", "\x1c", "\x85"])
def test_unicode_line_separators_are_not_line_endings(separator: str) -> None:
    """`str.splitlines` would cut the title in two; Markdown ends lines at \\n, \\r\\n and \\r only."""
    item = only_item(digest(f"- 📜 [Some{separator}Paper]({LINK})\n    - 요약\n"))
    assert item.title == f"Some{separator}Paper"
    assert item.flat_bullets() == [(1, "요약")]


def test_the_legend_rule_and_comments_need_no_warning() -> None:
    text = "<!-- generated -->\n" + digest(f"- 📜 [Some Paper]({LINK})\n") + "\n***\n"
    assert len(parse_clean(text).items) == 1


def test_two_blocks_with_the_same_item_give_distinct_ids() -> None:
    body = "- 🧑🏻💻 [Luma AI] [Dream Machine](https://lumalabs.ai/dream-machine)\n"
    doc = parse_clean(digest(body + body))
    a, b = doc.items
    assert (a.title, a.url) == (b.title, b.url)
    assert a.id != b.id
    assert [it.id for it in parse(digest(body + body)).items] == [a.id, b.id]


def test_byte_order_mark() -> None:
    text = "\ufeff" + digest(f"- 📜 [Some Paper]({LINK})\n")
    item = only_item(text)
    assert item.title == "Some Paper"


def test_one_item_on_its_own() -> None:
    lines = [f"- 📜 [Org] [Some Paper]({LINK})\n", "    - 요약\n", "        - 세부\n", "\n", "- next\n"]
    parsed = parse_item_lines(lines)
    assert (parsed.head.title, parsed.head.url, parsed.problems) == ("Some Paper", LINK, [])
    assert [(b.text, [c.text for c in b.children]) for b in parsed.bullets] == [("요약", ["세부"])]
    item, problems = item_from_lines(lines, item_id="x")
    assert (item.id, item.title, item.orgs, problems) == ("x", "Some Paper", ["Org"], [])
    assert item.week is None and item.source is None
    assert item.flat_bullets() == [(1, "요약"), (2, "세부")]
