"""The sharded Pagefind index on the real seed: chunking, incremental rebuilds, failures, Korean search.

The search itself runs Pagefind's own browser code under node (skipped when node is missing),
with `fetch` answered from the written files.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from papernews.formats.markdown import parse
from papernews.model import Item, walk_bullets
from papernews.publish.search_index import (
    IndexReport,
    SearchIndexError,
    SearchRecord,
    shard_dir,
    shard_hash,
    shard_records,
    write_search_index,
)

FILTERS = {"종류", "기관", "연도", "월"}
BUNDLE = ("pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css")


def _record(item: Item) -> SearchRecord:
    filters: dict[str, list[str]] = {"종류": [item.kind.value] if item.kind else [], "기관": list(item.orgs)}
    if item.week:
        filters["연도"] = [str(item.week.year)]
        filters["월"] = [f"{item.week.year:04d}-{item.week.month:02d}"]
    content = " ".join([item.title, *item.orgs, *(b.text for _, b in walk_bullets(item.bullets))])
    return SearchRecord(
        url=f"/items/{item.id}/", title=item.title or item.url or item.id, content=content, filters=filters
    )


@pytest.fixture(scope="module")
def records(seed_text: str) -> list[SearchRecord]:
    # the seed lists the newest week first; the index wants the oldest first
    return [_record(i) for i in reversed(parse(seed_text).items)]


def _entry(folder: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((folder / "pagefind-entry.json").read_text(encoding="utf-8"))
    return data


def _page_count(folder: Path) -> int:
    langs = _entry(folder)["languages"]
    assert isinstance(langs, dict) and set(langs) == {"ko"}, langs
    return int(langs["ko"]["page_count"])


def _filter_names(folder: Path) -> set[str]:
    """The filter files are gzip + `pagefind_dcd` + CBOR `[name, [[value, pages], …]]`: read the name."""
    names = set()
    for f in (folder / "filter").iterdir():
        data = gzip.decompress(f.read_bytes())
        assert data.startswith(b"pagefind_dcd\x82")
        head, pos = data[13], 14
        length = head & 0x1F
        if length == 24:
            length, pos = data[14], 15
        assert head & 0xE0 == 0x60, "a CBOR text string"
        names.add(data[pos : pos + length].decode("utf-8"))
    return names


def _snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


def test_shard_records_chunks_in_order(records: list[SearchRecord]) -> None:
    assert len(records) == 619
    shards = shard_records(records, 250)
    assert [len(s) for s in shards] == [250, 250, 119]
    assert [r for s in shards for r in s] == records
    assert shard_records(records, 1000) == [records]
    assert shard_records([], 250) == []
    with pytest.raises(ValueError):
        shard_records(records, 0)
    assert [shard_dir(i) for i in range(3)] == ["pagefind", "pagefind-1", "pagefind-2"]


def test_adding_records_changes_only_the_last_shard_hash(records: list[SearchRecord]) -> None:
    before = [shard_hash(s) for s in shard_records(records[:600], 250)]
    after = [shard_hash(s) for s in shard_records(records, 250)]
    assert before[:2] == after[:2]
    assert before[2] != after[2]
    # stable: equal records give equal hashes; any field changes it
    assert shard_hash([dataclasses.replace(r) for r in records[:250]]) == after[0]
    first = records[0]
    for changed in (
        dataclasses.replace(first, title=first.title + "!"),
        dataclasses.replace(first, content=first.content + " 추가"),
        dataclasses.replace(first, filters={**first.filters, "연도": ["1999"]}),
        dataclasses.replace(first, url="/items/other/"),
    ):
        assert shard_hash([changed, *records[1:250]]) != after[0]
    assert shard_hash(records[:250], language="en") != after[0]


def test_incremental_rebuilds(tmp_path: Path, records: list[SearchRecord]) -> None:
    out = tmp_path / "site"
    hashes, report = write_search_index(out, records, None, shard_size=250)
    assert (report.shards, report.rebuilt, report.removed, report.records) == (3, [0, 1, 2], [], 619)
    assert len(hashes) == 3
    assert sorted(p.name for p in out.iterdir()) == ["pagefind", "pagefind-1", "pagefind-2"]
    for i in range(3):
        folder = out / shard_dir(i)
        for name in BUNDLE:
            assert (folder / name).is_file(), f"{folder.name}/{name}"
        assert list(folder.glob("wasm.*.pagefind")), "the search code's WebAssembly"
        assert _filter_names(folder) == FILTERS
    assert [_page_count(out / shard_dir(i)) for i in range(3)] == [250, 250, 119]

    # nothing changed: nothing is written
    before = _snapshot(out)
    again, report = write_search_index(out, records, hashes, shard_size=250)
    assert again == hashes and report.rebuilt == []
    assert _snapshot(out) == before

    # one edited item re-indexes its shard only
    edited = list(records)
    edited[300] = dataclasses.replace(edited[300], content=edited[300].content + " 새로운내용")
    new, report = write_search_index(out, edited, hashes, shard_size=250)
    assert report.rebuilt == [1]
    assert new[0] == hashes[0] and new[2] == hashes[2] and new[1] != hashes[1]
    after = _snapshot(out)
    for rel, stamp in before.items():
        assert (after.get(rel) == stamp) != rel.startswith("pagefind-1/"), rel

    # a shard folder that lost its entry file is rebuilt even though its hash matches
    (out / "pagefind-2" / "pagefind-entry.json").unlink()
    _, report = write_search_index(out, edited, new, shard_size=250)
    assert report.rebuilt == [2]
    assert _page_count(out / "pagefind-2") == 119
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_shrinking_removes_surplus_shards_only(tmp_path: Path, records: list[SearchRecord]) -> None:
    out = tmp_path / "site"
    hashes, _ = write_search_index(out, records, None, shard_size=250)
    keep = [out / "pagefind-notes.txt", out / "pagefindx" / "keep.txt", out / "pagefind-07" / "keep.txt"]
    for p in keep:
        p.parent.mkdir(exist_ok=True)
        p.write_text("mine", encoding="utf-8")
    (out / ".pagefind-5.tmp").mkdir()  # a crashed run's leftover is ours to remove

    new, report = write_search_index(out, records[:400], hashes, shard_size=250)
    assert report.shards == 2 and report.removed == ["pagefind-2"]
    assert report.rebuilt == [1] and new[0] == hashes[0]
    assert not (out / "pagefind-2").exists() and not (out / ".pagefind-5.tmp").exists()
    assert all(p.read_text(encoding="utf-8") == "mine" for p in keep)
    assert _page_count(out / "pagefind-1") == 150


def test_no_records_still_writes_a_loadable_index(tmp_path: Path, records: list[SearchRecord]) -> None:
    out = tmp_path / "site"
    hashes, _ = write_search_index(out, records, None, shard_size=250)
    new, report = write_search_index(out, [], hashes, shard_size=250)
    assert len(new) == 1 and report.shards == 1 and report.rebuilt == [0]
    assert report.removed == ["pagefind-1", "pagefind-2"]
    # Pagefind's browser code refuses an index without a language: it holds one placeholder
    assert _page_count(out / "pagefind") == 1
    assert (out / "pagefind" / "pagefind-ui.js").is_file()


def _unchanged_after_failure(out: Path, before: dict[str, tuple[int, int]]) -> None:
    assert _snapshot(out) == before
    assert sorted(p.name for p in out.iterdir()) == ["pagefind", "pagefind-1", "pagefind-2"]


def test_a_pagefind_error_raises_and_keeps_the_previous_index(tmp_path: Path, records: list[SearchRecord]) -> None:
    out = tmp_path / "site"
    hashes, _ = write_search_index(out, records, None, shard_size=250)
    before = _snapshot(out)
    bad = list(records)
    bad[600] = dataclasses.replace(bad[600], filters={"종류": "paper"})  # type: ignore[dict-item]
    with pytest.raises(SearchIndexError, match=r"AddRecord failed: .*invalid type"):
        write_search_index(out, bad, hashes, shard_size=250)
    _unchanged_after_failure(out, before)


def test_the_first_error_wins_over_the_stopped_process(tmp_path: Path, records: list[SearchRecord]) -> None:
    bad = list(records)
    bad[600] = dataclasses.replace(bad[600], filters={"종류": "paper"})  # type: ignore[dict-item]
    out = tmp_path / "site"
    with pytest.raises(SearchIndexError, match=r"AddRecord failed"):
        write_search_index(out, bad, None, shard_size=250, processes=2)
    assert list(out.iterdir()) == []


def test_runs_in_a_background_thread(tmp_path: Path, records: list[SearchRecord]) -> None:
    result: list[tuple[list[str], IndexReport]] = []
    thread = threading.Thread(
        target=lambda: result.append(write_search_index(tmp_path, records[:300], None, shard_size=100))
    )
    thread.start()
    thread.join(timeout=60)
    assert len(result) == 1
    hashes, report = result[0]
    assert len(hashes) == 3 and report.rebuilt == [0, 1, 2]


def test_a_broken_binary_raises_and_keeps_the_previous_index(
    tmp_path: Path, records: list[SearchRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    hashes, _ = write_search_index(out, records, None, shard_size=250)
    before = _snapshot(out)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    with pytest.raises(SearchIndexError, match=r"exited unexpectedly \(exit code 1\)|stopped reading"):
        write_search_index(out, records, hashes, shard_size=250)  # another binary: every shard is stale
    _unchanged_after_failure(out, before)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "missing"))
    with pytest.raises(SearchIndexError, match="cannot start Pagefind"):
        write_search_index(out, records, hashes, shard_size=250)
    _unchanged_after_failure(out, before)


def test_a_hung_service_is_killed(tmp_path: Path, records: list[SearchRecord], monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "pagefind"
    fake.write_text('#!/bin/sh\n[ "$1" = --service ] && exec sleep 60\necho "pagefind 0.0.0"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    out = tmp_path / "site"
    with pytest.raises(SearchIndexError, match="did not answer for 1 s"):
        write_search_index(out, records, None, shard_size=250, timeout=1)
    assert list(out.iterdir()) == []


NODE_SEARCH = r"""
// node search.mjs <site> <shards> <query>: Pagefind's browser API with fetch served from disk
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import path from "node:path";
const [site, shards, query] = process.argv.slice(2);
const origin = "http://site.invalid";
globalThis.fetch = async (input) => {
  try { return new Response(await readFile(path.join(site, new URL(String(input), origin).pathname))); }
  catch { return new Response("", { status: 404 }); }
};
const pagefind = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href);
await pagefind.options({ basePath: origin + "/pagefind/", baseUrl: "/" });
for (let i = 1; i < Number(shards); i++) await pagefind.mergeIndex(`${origin}/pagefind-${i}/`, { baseUrl: "/" });
const filters = await pagefind.filters();
const found = await pagefind.search(query);
const data = await Promise.all(found.results.map((r) => r.data()));
console.log(JSON.stringify({ urls: data.map((d) => d.url), titles: data.map((d) => d.meta.title), filters }));
"""


@pytest.fixture(scope="module")
def merged_site(tmp_path_factory: pytest.TempPathFactory, records: list[SearchRecord]) -> Path:
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    out = tmp_path_factory.mktemp("search") / "site"
    write_search_index(out, records, None, shard_size=250)
    (out.parent / "search.mjs").write_text(NODE_SEARCH, encoding="utf-8")
    return out


def _search(site: Path, query: str) -> dict[str, object]:
    proc = subprocess.run(
        ["node", str(site.parent / "search.mjs"), str(site), "3", query],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, object] = json.loads(proc.stdout)
    return result


def test_korean_search_across_merged_shards(merged_site: Path, records: list[SearchRecord]) -> None:
    found = _search(merged_site, "추론")
    urls = found["urls"]
    assert isinstance(urls, list)
    expected = {r.url for r in records if "추론" in r.content}
    assert len(expected) >= 20
    assert set(urls) == expected  # from all three shards, inflected forms included
    assert len({shard for shard, part in enumerate(shard_records(records, 250)) for r in part if r.url in urls}) == 3
    assert any("추론하는" in r.content for r in records if r.url in urls)
    assert any("추론을" in r.content for r in records if r.url in urls)
    filters = found["filters"]
    assert isinstance(filters, dict) and set(filters) == FILTERS
    assert sum(filters["연도"].values()) == len(records)


def test_english_search_finds_lora_items(merged_site: Path, records: list[SearchRecord]) -> None:
    found = _search(merged_site, "LoRA")
    titles = found["titles"]
    assert isinstance(titles, list) and len(titles) >= 10
    assert titles[0].startswith("LoRA")
    by_url = {r.url: r for r in records}
    assert all("lora" in by_url[u].content.lower() for u in found["urls"])  # type: ignore[attr-defined]
