"""Format detection: by extension first, else by content; the `--format` override."""

from __future__ import annotations

from pathlib import Path

import pytest

from papernews.errors import PapernewsError
from papernews.formats.detect import (
    FORMATS,
    UnknownFormatError,
    check_format,
    choose_format,
    detect_format,
    format_from_extension,
)

JSON_DOC = '{\n  "version": 1,\n  "items": [\n    {"title": "a"}\n  ]\n}\n'
JSONL_DOC = '{"id": "a", "title": "a"}\n\n{"id": "b", "title": "b"}\n'
README = "📜: Paper link\n\n# 2024\n## ☃ February\n<details>\n  <summary>1st week</summary>\n\n- [T](https://x)\n</details>\n"


def test_formats() -> None:
    assert FORMATS == ("markdown", "json", "jsonl")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("README.md", "markdown"),
        ("notes/NLP-Paper-News-2024.MD", "markdown"),
        ("digest.markdown", "markdown"),
        ("items.json", "json"),
        ("/tmp/x/items-2024.JSON", "json"),
        ("items.jsonl", "jsonl"),
        ("stream.ndjson", "jsonl"),
    ],
)
def test_extension_wins_over_content(path: str, expected: str) -> None:
    assert format_from_extension(path) == expected
    for text in (JSON_DOC, JSONL_DOC, README, ""):
        assert detect_format(path, text) == expected


@pytest.mark.parametrize("path", [None, "", "-", "digest.txt", "items", "archive.json.bak", ".md"])
def test_names_that_say_nothing(path: str | None) -> None:
    assert format_from_extension(path) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (JSON_DOC, "json"),
        ('[{"title": "a"}]', "json"),
        ("\ufeff  \n[]", "json"),
        ('{"items": []}', "json"),  # one line, but a document
        ('{"id": "a", "title": "a"}\n', "jsonl"),  # one line, one item
        (JSONL_DOC, "jsonl"),
        ('{"title": "a"}\r\n{"title": "b"}\r\n', "jsonl"),
        (README, "markdown"),
        ("", "markdown"),
        ("[![badge](https://img.shields.io/x)](https://x)\n# 2024\n", "markdown"),  # a README may start with `[`
        ('{"items": [\n  {"title": "a",}\n]}\n', "json"),  # broken JSON: the JSON reader names the line
        ('{"title": "a"}\n{"title": \n', "jsonl"),  # broken JSONL: the JSONL reader names the line
        ('{"title": "a"}\n[1]\n', "jsonl"),
    ],
)
def test_content(text: str, expected: str) -> None:
    assert detect_format(None, text) == expected
    assert detect_format("digest.txt", text) == expected


def test_real_files(seed_path: Path, items_json_path: Path) -> None:
    seed = seed_path.read_text(encoding="utf-8")
    ref = items_json_path.read_text(encoding="utf-8")
    assert detect_format(str(seed_path), seed) == "markdown"
    assert detect_format(str(items_json_path), ref) == "json"
    assert detect_format(None, seed) == "markdown"
    assert detect_format(None, ref) == "json"
    assert detect_format("-", ref) == "json"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("markdown", "markdown"), ("JSON", "json"), (" jsonl ", "jsonl"), ("md", "markdown"), ("ndjson", "jsonl")],
)
def test_check_format(name: str, expected: str) -> None:
    assert check_format(name) == expected


@pytest.mark.parametrize("name", ["xml", "", "yaml", "js"])
def test_unknown_format_lists_the_valid_names(name: str) -> None:
    with pytest.raises(UnknownFormatError) as e:
        check_format(name)
    assert "markdown, json, jsonl" in str(e.value) and repr(name) in str(e.value)
    assert isinstance(e.value, PapernewsError) and isinstance(e.value, ValueError)


def test_choose_format() -> None:
    assert choose_format(None, "a.md", JSON_DOC) == "markdown"
    assert choose_format("json", "a.md", README) == "json"  # the override is not second-guessed
    assert choose_format(None, None, JSONL_DOC) == "jsonl"
    with pytest.raises(UnknownFormatError):
        choose_format("csv", "a.md", README)
