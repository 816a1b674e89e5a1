"""Malformed documents: an InputError at the right line; lines not understood: kept, with a warning."""

from __future__ import annotations

import pytest

from papernews.errors import InputError, PapernewsError
from papernews.formats.markdown import ParseWarning, parse, render

TOP = "📜: Paper link\n🧑🏻💻: Developer blog & Github link\n🗞️: News\n\n---\n"  # lines 1-5
ITEM = "- 📜 [Org] [A Paper](https://arxiv.org/abs/2501.00001)\n"
BLOCK_OPEN = "# 2025\n## 🌸 April\n<details>\n  <summary>1st week</summary>\n\n"  # lines 6-10


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        pytest.param(
            TOP + "# 2025\n## 🌸 April\n<details>\n  <summary>1st week</summary>\n\n" + ITEM,
            8, "never closed", id="details never closed",
        ),
        pytest.param(
            TOP + "# 2025\n## 🌸 April\n<details>\n  <summary>1st week</summary>\n\n" + ITEM
            + "<details>\n  <summary>2nd week</summary>\n\n" + ITEM + "</details>\n",
            12, "not closed before a new <details>", id="details opened inside a block",
        ),
        pytest.param(
            TOP + "# 2025\n## 🌸 April\n" + ITEM + "</details>\n",
            9, "without a matching <details>", id="closing details without opening",
        ),
        pytest.param(
            TOP + "# 2025\n## 🌸 April\n<details>\n\n" + ITEM + "</details>\n",
            10, "not followed by <summary>", id="details without summary",
        ),
        pytest.param(
            TOP + "# 2025\n## 🌸 April\n<details>\n  <summary>this week</summary>\n\n" + ITEM + "</details>\n",
            9, "names no week", id="label with no week number",
        ),
        pytest.param(
            TOP + "<details>\n  <summary>1st week</summary>\n\n" + ITEM + "</details>\n",
            6, "before any", id="block before any header",
        ),
        pytest.param(
            TOP + "# 2025\n<details>\n  <summary>1st week</summary>\n\n" + ITEM + "</details>\n",
            7, "before any", id="block after the year but before a month",
        ),
        pytest.param(
            TOP + BLOCK_OPEN + ITEM + "## 🌞 June\n</details>\n",
            12, "header inside the week block", id="header inside a block",
        ),
        pytest.param(TOP + "# 2025\n## 🌸 April\n" + ITEM, 1, "no week blocks", id="no week block at all"),
        pytest.param("", 1, "no week blocks", id="empty file"),
    ],
)
def test_malformed_documents_raise_input_error(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError) as err:
        parse(text, path="digest.md")
    assert err.value.line == line
    assert words in err.value.message
    assert str(err.value).startswith(f"digest.md:{line}: ")
    assert isinstance(err.value, PapernewsError)


def test_crlf_does_not_change_the_error_line() -> None:
    text = TOP + "# 2025\n## 🌸 April\n" + ITEM + "</details>\n"
    with pytest.raises(InputError) as err:
        parse(text.replace("\n", "\r\n"))
    assert err.value.line == 9


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            TOP + BLOCK_OPEN + ITEM + "\nThis line is not an item\n" + ITEM + "</details>\n",
            [(13, "not an item")], id="text inside a block",
        ),
        pytest.param(
            TOP + BLOCK_OPEN + "    - a bullet with no item\n" + ITEM + "</details>\n",
            [(11, "not an item")], id="bullet before any item",
        ),
        pytest.param(
            TOP + BLOCK_OPEN + ITEM + "\n### 소제목\n</details>\n",
            [(13, "not an item")], id="sub-header inside a block",
        ),
        pytest.param(
            "# NLP Paper News\n" + TOP + BLOCK_OPEN + ITEM + "</details>\n",
            [(1, "outside a week block")], id="title header outside blocks",
        ),
        pytest.param(
            TOP + BLOCK_OPEN + ITEM + "</details>\nSome words between blocks\n",
            [(13, "outside a week block")], id="text after a block",
        ),
        pytest.param(
            TOP + "# 2025\n- 📜 [Lost](https://x.example/1)\n## 🌸 April\n<details>\n  <summary>1st week</summary>\n\n"
            + ITEM + "</details>\n",
            [(7, "list line outside a week block")], id="item outside any block",
        ),
        pytest.param(
            TOP + BLOCK_OPEN.replace("# 2025\n", "# 2025\n## Highlights\n") + ITEM + "</details>\n",
            [(7, "names no month")], id="header naming no month",
        ),
        pytest.param(
            TOP + BLOCK_OPEN + "- 📜\n" + ITEM + "</details>\n",
            [(11, "no title")], id="item with no title",
        ),
    ],
)
def test_lines_not_understood_are_kept_and_reported(text: str, expected: list[tuple[int, str]]) -> None:
    doc = parse(text)
    assert render(doc) == text  # kept verbatim, never dropped
    assert [w.line for w in doc.warnings] == [line for line, _ in expected]
    for (line, words), w in zip(expected, doc.warnings, strict=True):
        assert isinstance(w, ParseWarning)
        assert w.line == line and words in w.message, w
        assert str(w).startswith(f"line {line}: ")


def test_a_header_naming_no_month_keeps_the_month_before() -> None:
    text = TOP + BLOCK_OPEN.replace("## 🌸 April\n", "## 🌸 April\n## Highlights\n") + ITEM + "</details>\n"
    doc = parse(text)
    assert doc.items[0].week is not None and doc.items[0].week.month == 4
