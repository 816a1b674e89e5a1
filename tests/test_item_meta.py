"""Item metadata (`Item.meta`): the model, items.json / JSONL, and the archive's merge rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from papernews.errors import InputError
from papernews.formats.itemsjson import (
    COMPAT_FIELDS,
    item_to_dict,
    items_from_json,
    items_from_jsonl,
    items_to_json,
    items_to_jsonl,
)
from papernews.formats.markdown import parse, render
from papernews.model import (
    Bullet,
    Item,
    ItemMeta,
    Kind,
    SummaryProvenance,
    Week,
    bullets_digest,
    fingerprint,
    item_json_schema,
)
from papernews.store import Store

STAMP = "2026-08-22T06:48:35.453Z"

BULLETS = [Bullet(text="요약", children=[Bullet(text="세부")])]
FULL_META = ItemMeta(
    authors=["Ada Lovelace", "김철수"],
    affiliations=["KAIST", "Google DeepMind"],
    abstract="We study reasoning.\nSecond paragraph with “quotes”.",
    description="A repository for things",
    published="2024-11-29",
    updated="2024-12-02T18:59:59Z",
    venue="NeurIPS 2024 (oral)",
    categories=["cs.CL", "cs.AI"],
    site_name="arXiv",
    image="https://example.org/og.png",
    stars=0,  # zero is known, not empty
    language="Python",
    topics=["llm", "agents"],
    ids={"arxiv": "2411.19865", "doi": "10.48550/arXiv.2411.19865", "github": "owner/repo"},
    fetched_at="2025-01-05T09:30:00+09:00",
    summary_provenance=SummaryProvenance(
        method="llm",
        model="m",
        endpoint_host="127.0.0.1:8080",
        prompt_version="summarize-1",
        source_url="https://arxiv.org/html/2411.19865",
        source_kind="arxiv-html",
        source_sha256="0" * 64,
        drafted_at="2025-01-05T09:31:00Z",
        bullets_sha256=bullets_digest(BULLETS),  # the item's bullets as drafted: not edited
    ),
)


def _item(**update: Any) -> Item:
    base = Item(
        id="m1",
        kind=Kind.PAPER,
        orgs=["KAIST"],
        org_label="KAIST",
        title="A Paper",
        url="https://arxiv.org/abs/2411.19865",
        bullets=BULLETS,
        week=Week(year=2024, month=11, weeks=[5], label="5th week"),
        tags=["reasoning"],
        note="(NeurIPS)",
        extra={"summary_ko": "요약"},
        meta=FULL_META,
    )
    return base.model_copy(update=update)


def _model(item: Item) -> dict[str, Any]:
    return item.model_dump(exclude={"source"})


# ---------------------------------------------------------------------------
# the model


def test_every_field_is_optional_and_empty_by_default() -> None:
    meta = ItemMeta()
    assert meta.is_empty()
    assert meta.known() == {}
    assert not FULL_META.is_empty()
    assert list(FULL_META.known()) == list(ItemMeta.model_fields)  # all known, in field order
    assert Item(id="x", title="t").meta.is_empty()
    assert not ItemMeta(stars=0).is_empty() and not ItemMeta(abstract="").is_empty()
    assert ItemMeta(authors=[], ids={}).is_empty()


@pytest.mark.parametrize("value", ["2024-11-29", "2024-11-29T18:59:59Z", "2024-02-29T00:00:00.123+09:00"])
def test_dates_as_given(value: str) -> None:
    assert ItemMeta(published=value, updated=value).published == value


@pytest.mark.parametrize(
    "value",
    ["garbage", "", "2024-13-01", "2023-02-29", "2024-1-05", "20241129", "2024-11-290", " 2024-11-29", "Nov 2024"],
)
def test_bad_published_date_is_rejected(value: str) -> None:
    with pytest.raises(ValidationError) as e:
        ItemMeta(published=value)
    assert e.value.errors()[0]["loc"] == ("published",)
    assert "YYYY-MM-DD" in str(e.value)
    with pytest.raises(ValidationError):
        ItemMeta(updated=value)
    with pytest.raises(ValidationError):  # assignment is validated too
        ItemMeta().published = value


@pytest.mark.parametrize(
    "fields",
    [{"stars": -1}, {"stars": "12"}, {"stars": True}, {"authors": "A, B"}, {"ids": {"arxiv": 2411}}, {"author": ["A"]}],
)
def test_other_bad_values_are_rejected(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ItemMeta.model_validate(fields)


def test_meta_is_not_in_the_fingerprint(seed_text: str) -> None:
    doc = parse(seed_text)
    item = doc.items[3]
    assert item.unchanged()
    with_meta = item.model_copy(update={"meta": FULL_META})
    assert fingerprint(with_meta) == fingerprint(item)
    assert with_meta.unchanged()  # so its source text is written as it was


def test_schema_describes_meta() -> None:
    schema = item_json_schema()
    assert schema["properties"]["meta"]["$ref"] == "#/$defs/ItemMeta"
    meta = schema["$defs"]["ItemMeta"]
    assert list(meta["properties"]) == list(ItemMeta.model_fields)
    assert meta["additionalProperties"] is False
    assert all(p.get("description") for p in meta["properties"].values())


def test_an_item_without_meta_serializes_as_before_the_field_existed() -> None:
    plain = Item(id="x", title="t")
    assert "meta" not in plain.model_dump()
    assert '"meta"' not in plain.model_dump_json()
    assert Item.model_validate_json(plain.model_dump_json()) == plain
    assert json.loads(_item().model_dump_json())["meta"]["authors"] == FULL_META.authors


# ---------------------------------------------------------------------------
# items.json and JSONL


def test_full_meta_round_trips_through_items_json_and_jsonl() -> None:
    item = _item()
    obj = item_to_dict(item)
    # after the tool's fields and our extras, before the unmodelled fields
    assert list(obj) == [*COMPAT_FIELDS, "note", "meta", "summary_ko"]
    assert obj["meta"] == FULL_META.model_dump(mode="json")
    assert list(obj["meta"]) == list(ItemMeta.model_fields)

    text = items_to_json([item], last_updated=STAMP)
    [back] = items_from_json(text)
    assert back.meta == FULL_META
    assert _model(back) == _model(item)
    assert items_to_json([back], last_updated=STAMP) == text

    lines = items_to_jsonl([item])
    [back_l] = items_from_jsonl(lines)
    assert _model(back_l) == _model(item)
    assert items_to_jsonl([back_l]) == lines


def test_only_known_meta_fields_are_written() -> None:
    meta = ItemMeta(authors=["A"], stars=0, ids={}, topics=[], abstract=None)
    obj = item_to_dict(_item(meta=meta))
    assert obj["meta"] == {"authors": ["A"], "stars": 0}
    [back] = items_from_json(json.dumps([obj]))
    assert back.meta == meta


def test_meta_is_written_only_with_extras() -> None:
    assert tuple(item_to_dict(_item(), extras=False)) == COMPAT_FIELDS


def test_items_without_meta_have_no_meta_key(seed_text: str, items_json_path: Path) -> None:
    seed_items = parse(seed_text).items
    for text in (items_to_json(seed_items, last_updated=STAMP), items_to_jsonl(seed_items)):
        assert '"meta"' not in text
    ref_text = items_json_path.read_text(encoding="utf-8")
    imported = items_from_json(ref_text)
    assert all(it.meta.is_empty() for it in imported)
    out = json.loads(items_to_json(imported, last_updated=STAMP))
    assert all("meta" not in obj for obj in out["items"])
    # and the reference still round-trips exactly (apart from the stats the reference lacks)
    doc = json.loads(items_to_json(imported, last_updated=json.loads(ref_text)["last_updated"]))
    del doc["stats"]
    assert json.dumps(doc, ensure_ascii=False, indent=2) == ref_text.rstrip("\n")


@pytest.mark.parametrize("raw", ["null", "{}", '{"authors": [], "ids": {}, "abstract": null}'])
def test_empty_or_null_meta_reads_as_nothing_known(raw: str) -> None:
    [item] = items_from_json(f'[{{"title": "a", "meta": {raw}}}]')
    assert item.meta.is_empty() and item.extra == {}
    assert "meta" not in item_to_dict(item)


@pytest.mark.parametrize(
    ("meta", "words"),
    [
        ('{"published": "last week"}', ["'meta.published'", "YYYY-MM-DD"]),
        ('{"published": "2024-02-30"}', ["'meta.published'"]),
        ('{"stars": -3}', ["'meta.stars'"]),
        ('{"stars": "12"}', ["'meta.stars'"]),
        ('{"authors": "A, B"}', ["'meta.authors'"]),
        ('{"ids": {"arxiv": 2411}}', ["'meta.ids.arxiv'"]),
        ('{"author": ["A"]}', ["'meta.author'", "unknown field", "authors"]),
        ('["A"]', ["'meta'", "an object"]),
    ],
)
def test_bad_meta_is_an_input_error_naming_the_item_and_its_line(meta: str, words: list[str]) -> None:
    text = (
        '{\n  "version": 1,\n  "items": [\n    {"id": "ok", "title": "a"},\n'
        f'    {{"id": "bad", "title": "b", "meta": {meta}}}\n  ]\n}}\n'
    )
    with pytest.raises(InputError) as e:
        items_from_json(text, path="f.json")
    assert e.value.line == 5
    for w in ["items[1]", "'bad'", *words]:
        assert w in str(e.value)
    jsonl = '{"id": "ok", "title": "a"}\n' + f'{{"id": "bad", "title": "b", "meta": {meta}}}\n'
    with pytest.raises(InputError) as e:
        items_from_jsonl(jsonl, path="f.jsonl")
    assert e.value.line == 2 and "'meta" in str(e.value)


# ---------------------------------------------------------------------------
# the archive


def _compact(data: dict[str, Any]) -> str:
    """JSON as pydantic writes it (and so as the archive stores an item)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _row(store: Store, item_id: str) -> dict[str, Any]:
    row = store.conn.execute(
        "SELECT data, title, url, kind, week_key, n_bullets, fts_title, fts_orgs, fts_body FROM items WHERE id = ?",
        (item_id,),
    ).fetchone()
    return dict(row)


def test_full_meta_round_trips_through_the_store(store: Store) -> None:
    item = _item()
    store.import_items([item])
    assert store.get(item.id).meta == FULL_META
    assert _model(store.get(item.id)) == _model(item)
    assert json.loads(_row(store, item.id)["data"])["meta"]["ids"] == FULL_META.ids
    # and out again as items.json, through the store, the same
    [back] = items_from_json(items_to_json(store.all_items(), last_updated=STAMP))
    assert _model(back) == _model(item)
    # an edit through save_item
    edited = item.model_copy(update={"meta": FULL_META.model_copy(update={"stars": 42})})
    store.save_item(edited)
    assert store.get(item.id).meta.stars == 42


def test_search_columns_do_not_change_with_meta(store: Store) -> None:
    item = _item(meta=ItemMeta())
    store.import_items([item])
    before = _row(store, item.id)
    assert "meta" not in json.loads(before["data"])
    store.save_item(item.model_copy(update={"meta": FULL_META}))
    after = _row(store, item.id)
    assert after["data"] != before["data"]
    assert {k: v for k, v in after.items() if k != "data"} == {k: v for k, v in before.items() if k != "data"}
    store.conn.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")
    assert store.search("Lovelace").hits == []  # metadata is not indexed (yet)
    assert [h.item.id for h in store.search("Paper").hits] == [item.id]


def test_reimport_of_the_seed_keeps_meta_and_the_markdown_bytes(store: Store, seed_text: str) -> None:
    # (a drafted summary's provenance is left out: the seed item's own bullets would mark it edited)
    meta = FULL_META.model_copy(update={"summary_provenance": None})
    store.import_document(parse(seed_text))
    target = next(i for i in store.items() if i.title.startswith("DoRA"))
    store.save_item(target.model_copy(update={"meta": meta}))
    assert store.get(target.id).meta == meta
    assert render(store.document()) == seed_text  # meta is not in the Markdown

    report = store.import_document(parse(seed_text))
    assert (report.added, report.updated, report.unchanged, report.changed) == (0, 0, 619, False)
    assert store.get(target.id).meta == meta
    assert render(store.document()) == seed_text

    # an edit of that item in the README still keeps its meta
    edited = seed_text.replace("[DoRA: Weight-Decomposed", "[DoRA (v2): Weight-Decomposed")
    report = store.import_document(parse(edited))
    assert (report.added, report.updated) == (0, 1)
    again = store.get(target.id)
    assert again.title.startswith("DoRA (v2)") and again.meta == meta
    assert render(store.document()) == edited


def test_items_json_import_meta_wins_but_a_file_without_meta_keeps_the_stored_one(store: Store) -> None:
    store.import_items([_item()])
    # a file without meta for the item (an older export, the reference tool's file): stored meta kept
    report = store.import_items([_item(meta=ItemMeta())])
    assert (report.updated, report.unchanged) == (0, 1)
    assert store.get("m1").meta == FULL_META
    # the file's meta replaces the stored one as a whole (no field-by-field merge)
    newer = ItemMeta(authors=["Only Author"], published="2025-01-01")
    report = store.import_items([_item(meta=newer)])
    assert report.updated == 1
    assert store.get("m1").meta == newer
    # what the file carries lands together with the meta: tags from the file too
    store.import_items([_item(meta=newer, tags=["new-tag"])])
    assert store.get("m1").tags == ["new-tag"]
    # clearing is an edit of the item
    store.save_item(store.get("m1").model_copy(update={"meta": ItemMeta()}))
    assert store.get("m1").meta.is_empty()
    assert "meta" not in json.loads(_row(store, "m1")["data"])


def test_items_json_with_meta_then_markdown_reimport(store: Store, seed_text: str) -> None:
    """The usual round: README in, metadata added via items.json, README in again."""
    store.import_document(parse(seed_text))
    objs = [item_to_dict(it) for it in store.all_items()]
    objs[10]["meta"] = {"authors": ["A. Author"], "published": "2024-02-12"}
    report = store.import_items(items_from_json(json.dumps(objs, ensure_ascii=False)))
    assert (report.added, report.updated) == (0, 1)
    store.import_document(parse(seed_text))
    assert store.get(objs[10]["id"]).meta == ItemMeta(authors=["A. Author"], published="2024-02-12")
    assert render(store.document()) == seed_text


def test_an_archive_written_before_meta_existed_loads_and_is_not_rewritten(tmp_path: Path, seed_text: str) -> None:
    db = tmp_path / "old.db"
    with Store(db) as s:
        s.import_document(parse(seed_text))
        rows = s.conn.execute("SELECT rowid, data FROM items ORDER BY rowid").fetchall()
        # rows as an older papernews wrote them: the item's JSON without a `meta` key, and one
        # written by hand with only some of the fields (the rest take their defaults)
        with s.transaction():
            for r in rows:
                data = json.loads(r["data"])
                assert "meta" not in data  # an item without meta is stored as before the field existed
                old_style = _compact(data)
                assert old_style == r["data"]
                s.conn.execute("UPDATE items SET data = ? WHERE rowid = ?", (old_style, r["rowid"]))
            first = json.loads(rows[0]["data"])
            minimal = {k: first[k] for k in ("id", "kind", "orgs", "org_label", "title", "url", "bullets", "week")}
            minimal["source"] = first["source"]
            s.conn.execute("UPDATE items SET data = ? WHERE rowid = ?", (_compact(minimal), rows[0]["rowid"]))
    with Store(db) as s:
        items = s.all_items()
        assert len(items) == 619 and all(it.meta.is_empty() for it in items)
        assert s.get(items[0].id).meta == ItemMeta()
        assert render(s.document()) == seed_text
        before = s.conn.execute("SELECT data, updated_at FROM items ORDER BY rowid").fetchall()
        report = s.import_document(parse(seed_text))
        # the items serialize as before: nothing to update but the hand-written row (its
        # omitted defaults are spelled out once), no migration
        assert (report.added, report.updated, report.unchanged) == (0, 1, 618)
        after = s.conn.execute("SELECT data, updated_at FROM items ORDER BY rowid").fetchall()
        assert [tuple(r) for r in after[1:]] == [tuple(r) for r in before[1:]]
        assert "meta" not in after[0]["data"]
