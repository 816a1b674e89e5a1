"""`archive.export_bytes` (one read of the archive for every format) gives what each format's
plain way gives: `render(store.document())`, `items_to_json` and `items_to_jsonl` of all items."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from papernews.archive import export_bytes, export_text
from papernews.errors import InputError
from papernews.formats.itemsjson import items_from_json, items_to_json, items_to_jsonl
from papernews.formats.markdown import parse, render
from papernews.model import ItemMeta, Week, canonical_week_label, split_orgs
from papernews.publish import exports
from papernews.store import Store

STAMP = "2026-08-22T06:48:35.453Z"


def _plain_ways(store: Store) -> dict[str, bytes]:
    items = store.all_items()
    return {
        "markdown": render(store.document()).encode("utf-8"),
        "json": items_to_json(items, last_updated=STAMP).encode("utf-8"),
        "jsonl": items_to_jsonl(items).encode("utf-8"),
    }


def _same_as_the_plain_ways(store: Store) -> None:
    assert export_bytes(store, ["markdown", "json", "jsonl"], last_updated=STAMP) == _plain_ways(store)
    for fmt in ("markdown", "json", "jsonl"):
        assert export_bytes(store, [fmt], last_updated=STAMP) == {fmt: _plain_ways(store)[fmt]}


def _edit(store: Store) -> None:
    """Every way an item can stray from the imported layout."""
    items = store.all_items()
    week_item = next(i for i in items if i.week and i.week.key == "2024-09-W03")
    store.save_item(items[3].model_copy(update={"title": "An edited title"}))  # rendered canonically
    store.delete_item(items[5].id)
    store.save_item(week_item.model_copy(update={"id": "new-in-block", "title": "New", "source": None}))
    far = Week(year=2031, month=2, weeks=[2, 3], label="2nd ~ 3rd week")
    store.save_item(week_item.model_copy(update={"id": "new-week", "week": far, "source": None}))
    store.save_item(week_item.model_copy(update={"id": "no-week", "week": None, "source": None}))
    meta = ItemMeta(authors=["A. Author"], stars=0, ids={"arxiv": "2409.00001"})
    store.save_item(items[7].model_copy(update={"meta": meta, "tags": ["t"], "extra": {"x": [1.5, None]}}))


def test_seed_archive(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    _same_as_the_plain_ways(store)
    assert export_bytes(store, ["markdown"])["markdown"] == seed_text.encode("utf-8")


def test_edited_seed_archive(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    _edit(store)
    _same_as_the_plain_ways(store)


def test_crlf_seed_archive(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text.replace("\n", "\r\n")))
    _edit(store)
    _same_as_the_plain_ways(store)


def test_archive_of_an_items_json_without_layout(store: Store, items_json_path: Path) -> None:
    store.import_items(items_from_json(items_json_path.read_text(encoding="utf-8")))
    _edit(store)
    _same_as_the_plain_ways(store)


def test_empty_archive(store: Store) -> None:
    _same_as_the_plain_ways(store)


def test_defaults_and_the_child_process_entry(store: Store, seed_text: str, tmp_path: Path) -> None:
    store.import_document(parse(seed_text))
    _edit(store)
    # items.json's default last_updated is the archive's last write, in the reference's spelling
    stamp = store.last_modified()
    assert stamp is not None and stamp.endswith("Z")
    expected_json = items_to_json(store.all_items(), last_updated=stamp[:-1] + ".000Z")
    assert export_text(store, "json") == expected_json
    assert export_text(store, "markdown") == render(store.document())
    files = exports.export_files(store)
    assert files == {"README.md": render(store.document()).encode(), "items.json": expected_json.encode()}
    exports.main([str(store.path), str(tmp_path)])
    assert {name: (tmp_path / name).read_bytes() for name in exports.EXPORTS} == files


def test_unknown_format(store: Store) -> None:
    with pytest.raises(InputError, match="unknown format 'yaml'"):
        export_bytes(store, ["markdown", "yaml"])  # type: ignore[list-item]


# ---------------------------------------------------------------------------
# the model helpers made cheaper for the export (cached, one test instead of a loop)


def test_split_orgs_gives_a_fresh_list_each_time() -> None:
    label = "Google DeepMind & Research, KAIST · 네이버"
    orgs = split_orgs(label)
    assert orgs == ["Google DeepMind", "Research", "KAIST", "네이버"]
    orgs.append("changed")
    assert split_orgs(label) == ["Google DeepMind", "Research", "KAIST", "네이버"]
    assert split_orgs("") == [] and split_orgs(" , A") == ["A"]


def test_canonical_week_label() -> None:
    assert canonical_week_label([4]) == "4th week"
    assert canonical_week_label([1, 2, 3]) == "1st ~ 3rd week"
    assert canonical_week_label([1, 3]) == "1st, 3rd week"


@pytest.mark.parametrize("weeks", [[0], [7], [3, 0], [2, 9, 4]])
def test_week_numbers_out_of_range_are_refused(weeks: list[int]) -> None:
    with pytest.raises(ValidationError, match="week numbers are 1-6"):
        Week(year=2024, month=9, weeks=weeks)


def test_week_numbers_are_sorted_once_each() -> None:
    assert Week(year=2024, month=9, weeks=[3, 1, 3, 6]).weeks == [1, 3, 6]
