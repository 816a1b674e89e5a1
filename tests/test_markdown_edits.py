"""Editing parsed items: only the edited item is written anew, and it reads back as edited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from md_strategies import ORGS, url, words
from papernews.formats.markdown import Document, Raw, parse, render, render_item
from papernews.model import Bullet, Item, Kind, build_bullet_tree

HEAD = "📜: Paper link\n🧑🏻💻: Developer blog & Github link\n🗞️: News\n\n---\n# 2025\n## 🌸 April\n"
# Three items in forms the canonical writer would not produce (2-space indent, no space after
# the emoji, ZWJ emoji, trailing spaces, wrapped title): they must keep their bytes when untouched.
FIRST = (
    "- 🧑🏻\u200d💻[OpenAI] [Introducing GPT-4.1 in the API](https://openai.com/index/gpt-4-1/)  \n"
    "  - coding과 instruction following 성능 향상  \n"
)
MIDDLE = (
    "- 📜 [Google DeepMind & Research] [Scaling LLM Test-Time Compute Optimally can be More\n"
    "Effective than Scaling Model Parameters](https://arxiv.org/abs/2408.03314)\n"
    "    - test-time compute를 적응적으로 배분하는 compute-optimal 전략 제안\n"
    "        - best-of-N 대비 4배 적은 연산으로 같은 성능 달성\n"
    "    - [깃허브 링크](https://github.com/example/ttc) 🔗\n"
)
LAST = "- 🗞 [Meta] [Llama 4 herd announced](https://ai.meta.com/blog/llama-4-multimodal-intelligence/) (blog)\n"
TEXT = HEAD + "<details>\n  <summary>2nd week</summary>\n\n" + FIRST + MIDDLE + LAST + "</details>\n"


def fields(item: Item) -> tuple[object, ...]:
    """What the Markdown says about an item (not its id, week or source)."""
    return (
        item.kind, item.extra_kinds, item.orgs, item.org_text, item.title, item.url, item.marker,
        item.bold, item.note, item.flat_bullets(),
    )


@pytest.fixture
def doc() -> Document:
    d = parse(TEXT)
    assert render(d) == TEXT and len(d.items) == 3
    return d


def _set_title(it: Item) -> None:
    it.title = "Scaling Test-Time Compute (revised)"


def _edit_bullet_in_place(it: Item) -> None:
    it.bullets[0].text = "compute-optimal 전략으로 test-time compute 배분"


def _edit_child_in_place(it: Item) -> None:
    it.bullets[0].children[0].text = "best-of-N 대비 4배 적은 연산"


def _add_bullet(it: Item) -> None:
    it.bullets.append(Bullet(text="MATH 벤치마크에서 효과 확인"))


def _drop_bullets(it: Item) -> None:
    it.bullets = []


def _set_orgs(it: Item) -> None:
    it.orgs = ["Google DeepMind", "UC Berkeley"]


def _set_kind(it: Item) -> None:
    it.kind = Kind.DEV
    it.extra_kinds = [Kind.PAPER]


def _set_url(it: Item) -> None:
    it.url = "https://arxiv.org/abs/2408.03314v2"


def _set_bold(it: Item) -> None:
    it.bold = True


def _set_marker_and_note(it: Item) -> None:
    it.marker = "🧞"
    it.note = "(ICLR 2025)"


EDITS: list[tuple[str, Callable[[Item], None]]] = [
    ("title", _set_title),
    ("bullet text in place", _edit_bullet_in_place),
    ("level-2 bullet in place", _edit_child_in_place),
    ("a new bullet", _add_bullet),
    ("no bullets", _drop_bullets),
    ("orgs", _set_orgs),
    ("kinds", _set_kind),
    ("url", _set_url),
    ("bold", _set_bold),
    ("marker and note", _set_marker_and_note),
]


@pytest.mark.parametrize("edit", [e[1] for e in EDITS], ids=[e[0] for e in EDITS])
def test_only_the_edited_item_is_rewritten(doc: Document, edit: Callable[[Item], None]) -> None:
    first, middle, last = doc.items
    edit(middle)
    assert first.unchanged() and last.unchanged() and not middle.unchanged()
    out = render(doc)
    # the neighbours and every structure line keep their bytes; the edited item is canonical
    assert out == TEXT.replace(MIDDLE, render_item(middle))
    assert out.count(FIRST) == 1 and out.count(LAST) == 1
    again = parse(out)
    assert again.warnings == []
    assert [fields(it) for it in again.items] == [fields(first), fields(middle), fields(last)]
    assert render(again) == out


def test_orgs_keep_their_spelling_while_it_still_says_them(doc: Document) -> None:
    middle = doc.items[1]
    middle.title = "Scaling Test-Time Compute"
    assert middle.org_text == "Google DeepMind & Research"
    assert "[Google DeepMind & Research] [Scaling Test-Time Compute]" in render(doc)
    middle.orgs = ["Google DeepMind"]
    assert "[Google DeepMind] [Scaling Test-Time Compute]" in render(doc)


def test_undoing_an_edit_gives_the_original_bytes_back(doc: Document) -> None:
    middle = doc.items[1]
    title = middle.title
    middle.title = "something else"
    assert render(doc) != TEXT
    middle.title = title
    assert middle.unchanged()
    assert render(doc) == TEXT


def test_an_unchanged_item_keeps_its_bytes(doc: Document) -> None:
    for item in doc.items:
        assert item.source is not None
        assert item.unchanged()
    assert render(doc) == TEXT
    # the non-canonical spelling is what is kept, not the canonical one
    assert render_item(doc.items[0]) != FIRST
    assert render(doc).count(FIRST) == 1


def test_an_edited_item_keeps_crlf_line_endings() -> None:
    text = TEXT.replace("\n", "\r\n")
    doc = parse(text)
    doc.items[1].title = "Scaling Test-Time Compute"
    out = render(doc)
    assert "\n" not in out.replace("\r\n", "")
    assert out == text.replace(MIDDLE.replace("\n", "\r\n"), render_item(doc.items[1]).replace("\n", "\r\n"))
    assert parse(out).items[1].title == "Scaling Test-Time Compute"


def test_an_edited_group_item_stays_a_group() -> None:
    text = HEAD + (
        "<details>\n  <summary>1st week</summary>\n\n"
        "- 📜 [ICLR 2025 Outstanding Paper Awards]\n"
        "  - [MIT] [Safety Alignment Should Be Made More Than Just a Few Tokens Deep](https://arxiv.org/abs/2406.05946)\n"
        "    - alignment가 첫 몇 token에만 머무는 문제를 분석\n"
        "</details>\n"
    )
    doc = parse(text)
    group = doc.items[0]
    assert group.is_group
    group.bullets[0].children.append(Bullet(text="data augmentation으로 깊은 alignment 달성"))
    again = parse(render(doc)).items[0]
    assert again.is_group and again.title == "ICLR 2025 Outstanding Paper Awards"
    assert again.flat_bullets() == group.flat_bullets()


@pytest.mark.parametrize(
    "line",
    [
        "- 🧑🏻💻 OpenAI API’s change on log probabilities from 5 to 20 return\n",
        "- 🧑🏻💻 [Andrej Karpathy] https://github.com/karpathy/LLM101n\n",
        "- [Meta] [Contextual Position Encoding](https://arxiv.org/abs/2405.18719)\n",
        "- 🧑🏻💻 [Google DeepMind] 🧞 [Genie](https://sites.google.com/view/genie-2024)\n",
        "- 🧑🏻💻 <Cookbook> [Fine-tune Llama 3 with FSDP and Q-Lora](https://www.philschmid.de/fsdp-qlora-llama3)\n",
        "- 🧑🏻💻 [Claude 3’s system prompt](https://twitter.com/AmandaAskell/status/1) (X link)\n",
        "- 🧑🏻💻📜 [OpenAI] [**Extracting Concepts**](https://openai.com/index/extracting-concepts-from-gpt-4/)\n",
        "- 🧑🏻💻 [Hugging Face] <Cookbook> [Agents course, unit 1]\n",
        "- 📜 [Google] 🧞 [Genie 2]\n",
    ],
)
def test_every_variant_reads_back_after_an_edit(line: str) -> None:
    text = HEAD + "<details>\n  <summary>1st week</summary>\n\n" + line + "</details>\n"
    doc = parse(text)
    item = doc.items[0]
    item.bullets.append(Bullet(text="요약 추가"))
    again = parse(render(doc))
    assert again.warnings == []
    assert [fields(it) for it in again.items] == [fields(item)]


def test_a_replaced_node_is_rendered_canonically(doc: Document) -> None:
    middle = doc.items[1]
    fresh = middle.model_copy(update={"source": None})
    doc.nodes[doc.nodes.index(middle)] = fresh
    assert render(doc) == TEXT.replace(MIDDLE, render_item(fresh))
    assert isinstance(doc.nodes[0], Raw)


@st.composite
def edited_items(draw: st.DrawFn) -> Item:
    """An item as an editor might leave it: any mix of the fields the Markdown can say."""
    kind = draw(st.sampled_from([None, Kind.PAPER, Kind.DEV, Kind.NEWS]))
    link = url(draw) if draw(st.booleans()) else None
    title = words(draw, 2)
    if not title[0].isalnum():
        title = "New " + title
    if link is not None and draw(st.integers(0, 4)) == 0:
        title = ""  # a bare URL
    flat: list[tuple[int, str]] = []
    for _ in range(draw(st.integers(0, 3))):
        flat.append((1, words(draw, 1, 8)))
        flat.extend((2, words(draw, 1, 6)) for _ in range(draw(st.integers(0, 2))))
    return Item(
        id="x",
        kind=kind,
        extra_kinds=draw(st.sampled_from([[], [Kind.PAPER]])) if kind else [],
        orgs=draw(st.lists(st.sampled_from(ORGS), max_size=3, unique=True)),
        title=title,
        url=link,
        marker=draw(st.sampled_from([None, "🧞", "<Cookbook>"])),
        bold=bool(title) and draw(st.booleans()),
        note=draw(st.sampled_from([None, "(X link)"])) if link else None,
        bullets=build_bullet_tree(flat),
    )


@settings(max_examples=200, deadline=None)
@given(edited_items())
def test_any_edited_item_reads_back_as_written(item: Item) -> None:
    text = HEAD + "<details>\n  <summary>1st week</summary>\n\n" + render_item(item) + "</details>\n"
    doc = parse(text)
    assert doc.warnings == []
    assert [fields(it) for it in doc.items] == [fields(item)]
