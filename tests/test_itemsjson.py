"""items.json and JSONL: exact round trip of the reference file, the seed through JSON, extras, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papernews.errors import InputError
from papernews.formats.itemsjson import (
    COMPAT_FIELDS,
    EXTRA_FIELDS,
    TOP_LEVEL_KEYS,
    VERSION,
    compute_stats,
    indented_json,
    item_to_dict,
    items_from_json,
    items_from_jsonl,
    items_to_json,
    items_to_jsonl,
)
from papernews.formats.markdown import parse
from papernews.model import Bullet, Item, Kind, Week, build_bullet_tree, canonical_week_label, split_orgs

STAMP = "2026-08-22T06:48:35.453Z"
REF_COUNT = 850


# ---------------------------------------------------------------------------
# fixtures: the real data, read at run time (conftest skips when it is absent)


@pytest.fixture(scope="module")
def ref_text(items_json_path: Path) -> str:
    return items_json_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def ref_items(ref_text: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(ref_text)["items"]
    return items


@pytest.fixture(scope="module")
def imported(ref_text: str) -> list[Item]:
    return items_from_json(ref_text, path="items-2024.json")


@pytest.fixture(scope="module")
def seed_items(seed_text: str) -> list[Item]:
    return parse(seed_text).items


def _differences(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[str]:
    """Every item whose fields, values or key order differ, described (empty when all agree)."""
    out = []
    for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
        if list(e) != list(a):
            out.append(f"items[{i}] {e.get('id')!r}: keys {list(a)} != {list(e)}")
        elif json.dumps(e, ensure_ascii=False) != json.dumps(a, ensure_ascii=False):
            fields = [k for k in e if json.dumps(e[k], ensure_ascii=False) != json.dumps(a[k], ensure_ascii=False)]
            out.append(f"items[{i}] {e.get('id')!r}: {fields}")
    return out


def _model(item: Item) -> dict[str, Any]:
    return item.model_dump(exclude={"source"})


# ---------------------------------------------------------------------------
# the contract: the reference file round-trips exactly


def test_reference_round_trip_every_item_same_fields_values_and_order(
    ref_text: str, ref_items: list[dict[str, Any]], imported: list[Item]
) -> None:
    assert len(ref_items) == len(imported) == REF_COUNT
    out = json.loads(items_to_json(imported, last_updated=STAMP))
    assert _differences(ref_items, out["items"]) == []
    assert [it["id"] for it in out["items"]] == [it["id"] for it in ref_items]


def test_reference_items_keep_the_tool_field_order_and_types(imported: list[Item]) -> None:
    out = json.loads(items_to_json(imported, last_updated=STAMP))
    for obj in out["items"]:
        assert tuple(obj) == COMPAT_FIELDS  # nothing of ours is needed for the reference items
        assert all(isinstance(obj[k], str) for k in ("id", "date", "year", "month", "week", "type", "org", "url"))
        assert all(set(b) == {"text", "level"} and isinstance(b["level"], int) for b in obj["bullets"])


def test_reference_bytes_are_the_same_apart_from_stats_and_final_newline(ref_text: str, imported: list[Item]) -> None:
    last_updated = json.loads(ref_text)["last_updated"]
    doc = json.loads(items_to_json(imported, last_updated=last_updated))
    del doc["stats"]  # the reference file has none
    assert json.dumps(doc, ensure_ascii=False, indent=2) == ref_text.rstrip("\n")


def test_top_level_keys_and_counts(imported: list[Item]) -> None:
    doc = json.loads(items_to_json(imported, last_updated=STAMP))
    assert tuple(doc) == TOP_LEVEL_KEYS
    assert (doc["version"], doc["last_updated"], doc["total_items"]) == (1, STAMP, REF_COUNT)
    stats = doc["stats"]
    assert list(stats) == ["by_type", "by_month", "top_orgs"]
    assert stats["by_type"] == {"paper": 533, "dev": 284, "news": 33}
    assert list(stats["by_month"]) == sorted(stats["by_month"])
    assert sum(stats["by_month"].values()) == REF_COUNT
    assert all(re.fullmatch(r"\d{4}-\d{2}", m) for m in stats["by_month"])
    top = stats["top_orgs"]
    assert len(top) == 20
    assert top == sorted(top, key=lambda t: (-t[1], t[0]))
    assert top[0] == ["Google DeepMind", 45]


def test_reference_quirks_are_modelled_not_lost(ref_items: list[dict[str, Any]], imported: list[Item]) -> None:
    """What a naive mapping would break, checked on the file itself."""
    # months and weeks are not zero-padded, `date` is
    assert {it["month"] for it in ref_items} >= {"2", "9", "10"}
    assert all(re.fullmatch(r"\d{4}-\d{2}-W\d{2}", it["date"]) for it in ref_items)
    by_id = {it.id: it for it in imported}
    densing = by_id["Tsinghua-densing-law-of-llms"]
    assert densing.week == Week(year=2024, month=12, weeks=[2], label="2nd week")
    # bullets starting below level 0 (no tree gives [2, 1] back): kept as raw levels
    assert [b["level"] for b in densing.extra["bullets"]] == [2, 1]
    assert sum("bullets" in it.extra for it in imported) == 71
    assert all(set(it.extra) <= {"bullets"} for it in imported)
    # an org label that splits, kept as written
    aya = by_id["acl-2024-best-paper-cohere-aya-model"]
    assert (aya.orgs, aya.org_label) == (["ACL 2024 Best Paper Award"], "ACL 2024 Best Paper Award")
    assert aya.kind is Kind.PAPER
    multi = by_id["Google-Cloud,-Google-DeepMind-reverse-thinking-makes-llms-stronger-reasoners"]
    assert multi.orgs == ["Google Cloud", "Google DeepMind"]
    assert multi.org_text == "Google Cloud, Google DeepMind"
    # bullets are a tree: level 1 under level 0
    assert [len(b.children) for b in multi.bullets] == [0, 3]


def test_edited_bullets_drop_the_stale_raw_levels(imported: list[Item]) -> None:
    item = next(it for it in imported if it.id == "Tsinghua-densing-law-of-llms")
    assert [b["level"] for b in item_to_dict(item)["bullets"]] == [2, 1]
    edited = item.model_copy(update={"bullets": [*item.bullets, Bullet(text="새 요약")]})
    assert [b["level"] for b in item_to_dict(edited)["bullets"]] == [0, 0, 0]


def test_jsonl_round_trip_of_the_reference(ref_items: list[dict[str, Any]], imported: list[Item]) -> None:
    text = items_to_jsonl(imported)
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == REF_COUNT + 1
    assert all(ln.startswith('{"id": ') for ln in lines[:-1])
    back = items_from_jsonl(text, path="items.jsonl")
    out = json.loads(items_to_json(back, last_updated=STAMP))["items"]
    assert _differences(ref_items, out) == []
    assert [json.loads(ln) for ln in lines[:-1]] == out


# ---------------------------------------------------------------------------
# the seed Markdown through JSON


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_seed_items_through_json_are_equal_except_source(seed_items: list[Item], fmt: str) -> None:
    assert len(seed_items) == 619
    if fmt == "json":
        back = items_from_json(items_to_json(seed_items, last_updated=STAMP))
    else:
        back = items_from_jsonl(items_to_jsonl(seed_items))
    assert len(back) == len(seed_items)
    bad = [a.id for a, b in zip(seed_items, back, strict=True) if _model(a) != _model(b)]
    assert bad == []
    assert all(b.source is None for b in back)


def test_seed_multi_week_block_carries_weeks_and_plain_items_no_extras(seed_items: list[Item]) -> None:
    objs = [item_to_dict(it) for it in seed_items]
    first = objs[0]  # `📜 [Cohere] [Aya Model…]` in the February `1st ~ 3rd week` block
    assert seed_items[0].week is not None and seed_items[0].week.label == "1st ~ 3rd week"
    assert first["weeks"] == [1, 2, 3]
    assert first["date"] == "2024-02-W01" and (first["month"], first["week"]) == ("2", "1")
    assert "week_label" not in first  # canonical: the weeks say it
    assert tuple(first) == (*COMPAT_FIELDS, "weeks")
    plain = [o for o, it in zip(objs, seed_items, strict=True) if it.week is not None and len(it.week.weeks) == 1]
    assert plain and tuple(plain[0]) == COMPAT_FIELDS
    counts = {k: sum(k in o for o in objs) for k in EXTRA_FIELDS}
    assert counts == {
        "orgs": 0, "weeks": 47, "week_label": 0, "extra_kinds": 1, "marker": 4, "bold": 0, "note": 13,
    }
    untyped = [o for o, it in zip(objs, seed_items, strict=True) if it.kind is None]
    assert len(untyped) == 1 and untyped[0]["type"] is None


def test_no_extras_gives_exactly_the_tool_fields(seed_items: list[Item]) -> None:
    doc = json.loads(items_to_json(seed_items, last_updated=STAMP, extras=False))
    assert all(tuple(o) == COMPAT_FIELDS for o in doc["items"])
    assert all(tuple(json.loads(ln)) == COMPAT_FIELDS for ln in items_to_jsonl(seed_items, extras=False).splitlines())


def test_output_is_deterministic(seed_items: list[Item]) -> None:
    a = items_to_json(seed_items, last_updated=STAMP)
    b = items_to_json(list(seed_items), last_updated=STAMP)
    assert a == b
    assert a.endswith("}\n") and not a.endswith("\n\n")
    assert a.startswith('{\n  "version": 1,\n  "last_updated": "2026-08-22T06:48:35.453Z",\n')
    assert "한국어" in a and "\\uc" not in a  # UTF-8 as is, not escaped
    assert items_to_jsonl(seed_items) == items_to_jsonl(seed_items)


def test_last_updated_defaults_to_now_in_utc() -> None:
    doc = json.loads(items_to_json([]))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", doc["last_updated"])
    assert doc["total_items"] == 0 and doc["items"] == []
    assert doc["stats"] == {"by_type": {"paper": 0, "dev": 0, "news": 0}, "by_month": {}, "top_orgs": []}


# ---------------------------------------------------------------------------
# values the model cannot hold come back byte for byte


def _obj(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "x1", "date": "2024-09-W03", "year": "2024", "month": "9", "week": "3", "type": "paper",
        "org": "Google", "title": "T", "url": "https://a.example/1", "bullets": [], "tags": [],
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not ...}


def _round(obj: dict[str, Any]) -> tuple[Item, dict[str, Any]]:
    [item] = items_from_json(json.dumps([obj]))
    return item, item_to_dict(item)


@pytest.mark.parametrize(
    ("fields", "week"),
    [
        ({"week": "4"}, (2024, 9, 3)),  # disagrees with date: date wins
        ({"month": "09"}, (2024, 9, 3)),  # zero-padded
        ({"month": 9, "year": 2024, "week": 3}, (2024, 9, 3)),  # numbers
        ({"date": "2024-9-W3"}, (2024, 9, 3)),  # unpadded date
        ({"date": None, "year": None, "month": None, "week": None}, None),
        ({"date": "", "year": "", "month": "", "week": ""}, None),
        ({"url": None}, (2024, 9, 3)),
        ({"url": ""}, (2024, 9, 3)),
        ({"org": None}, (2024, 9, 3)),
        ({"org": ""}, (2024, 9, 3)),
        ({"type": None}, (2024, 9, 3)),
        ({"bullets": [{"text": "a", "level": 1}, {"text": "b", "level": 0}]}, (2024, 9, 3)),
        ({"bullets": [{"level": 0, "text": "a"}]}, (2024, 9, 3)),  # other key order
        ({"bullets": [{"text": "a", "level": 0, "done": True}]}, (2024, 9, 3)),  # a key we do not model
        ({"title": "\xa0NBSP\u2028title ", "org": "A\xa0Lab, B ", "tags": ["AI/ML"]}, (2024, 9, 3)),
    ],
)
def test_unusual_values_round_trip_exactly(fields: dict[str, Any], week: tuple[int, int, int] | None) -> None:
    obj = _obj(**fields)
    item, out = _round(obj)
    assert json.dumps(out, ensure_ascii=False) == json.dumps(obj, ensure_ascii=False)
    assert (None if item.week is None else (item.week.year, item.week.month, item.week.first)) == week


def test_without_date_the_week_comes_from_year_month_week_and_date_is_added() -> None:
    obj = _obj(date=..., month="09")
    item, out = _round(obj)
    assert item.week == Week(year=2024, month=9, weeks=[3], label="3rd week")
    assert out.pop("date") == "2024-09-W03"
    assert json.dumps(out, ensure_ascii=False) == json.dumps(obj, ensure_ascii=False)


def test_raw_date_values_are_dropped_once_the_week_is_edited() -> None:
    item, out = _round(_obj(week="4", month="09"))
    assert (out["month"], out["week"]) == ("09", "4")
    moved = item.model_copy(update={"week": Week(year=2024, month=10, weeks=[1])})
    out = item_to_dict(moved)
    assert [out[k] for k in ("date", "year", "month", "week")] == ["2024-10-W01", "2024", "10", "1"]


def test_unknown_fields_are_kept_verbatim_after_ours() -> None:
    obj = _obj(stars=12, info={"b": [1, None], "a": "x"}, note="(X link)")
    obj["summary_ko"] = "요약"
    item, out = _round(obj)
    assert item.note == "(X link)"
    assert list(item.extra) == ["stars", "info", "summary_ko"]
    assert list(out) == [*COMPAT_FIELDS, "note", "stars", "info", "summary_ko"]
    assert out["info"] == {"b": [1, None], "a": "x"}


@pytest.mark.parametrize(
    ("orgs", "label", "written"),
    [
        (["Google DeepMind", "Research"], "Google DeepMind & Research", False),
        (["HKUST", "Amazon"], "HKUST, Amazon", False),
        (["HKUST", "Amazon"], None, True),  # written as `[HKUST] [Amazon]`
        (["Univ. of California, Santa Barbara"], None, True),  # one org with a comma
        ([], None, False),
        (["Meta"], "Meta", False),
    ],
)
def test_orgs_are_written_only_when_org_loses_them(orgs: list[str], label: str | None, written: bool) -> None:
    week = Week(year=2024, month=9, weeks=[3], label="3rd week")
    item = Item(id="o", title="T", orgs=orgs, org_label=label, week=week)
    obj = item_to_dict(item)
    assert ("orgs" in obj) is written
    [back] = items_from_json(json.dumps([obj]))
    assert _model(back) == _model(item)


def test_week_label_and_weeks() -> None:
    week = Week(year=2024, month=2, weeks=[1, 2, 3], label="1~3주차")
    item = Item(id="w", title="T", week=week)
    obj = item_to_dict(item)
    assert (obj["date"], obj["weeks"], obj["week_label"]) == ("2024-02-W01", [1, 2, 3], "1~3주차")
    [back] = items_from_json(json.dumps([obj]))
    assert back.week == week
    # no label: the canonical one, which is what a README block of those weeks is called
    [plain] = items_from_json(json.dumps([_obj()]))
    assert plain.week == Week(year=2024, month=9, weeks=[3], label="3rd week")


def test_all_extras_round_trip() -> None:
    item = Item(
        id="e", kind=Kind.DEV, extra_kinds=[Kind.PAPER, Kind.NEWS], orgs=["A"], org_label="A", title="T",
        url=None, bullets=[Bullet(text="a", children=[Bullet(text="b")])], marker="🧞", bold=True, note="(X)",
        week=Week(year=2024, month=3, weeks=[4], label="4th Week"), tags=["agent"],
    )
    obj = item_to_dict(item)
    assert list(obj)[len(COMPAT_FIELDS):] == ["week_label", "extra_kinds", "marker", "bold", "note"]
    assert obj["url"] == "" and obj["bullets"] == [{"text": "a", "level": 0}, {"text": "b", "level": 1}]
    [back] = items_from_jsonl(items_to_jsonl([item]))
    assert _model(back) == _model(item)


def test_bare_list_and_missing_optional_fields() -> None:
    items = items_from_json('[{"title": "A"}, {"title": "A"}, {"title": "B", "date": "2024-09-W03"}]')
    assert [it.title for it in items] == ["A", "A", "B"]
    assert len({it.id for it in items}) == 3  # ids made up for items without one, repeats distinct
    assert items_from_json('[{"title": "A"}]')[0].id == items[0].id  # and stable
    assert items[0].week is None and items[0].kind is None and items[0].url is None
    assert item_to_dict(items[0])["date"] is None


# ---------------------------------------------------------------------------
# property: any item survives JSON and JSONL


_text = st.text(max_size=12)
_org = st.text(min_size=1, max_size=8).map(str.strip).filter(bool)
_json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def _items(draw: st.DrawFn) -> Item:
    orgs = draw(st.lists(_org, max_size=3))
    label = draw(st.sampled_from([None, ", ", " & ", " · "]))
    org_label = label.join(orgs) if label is not None and orgs else None
    if org_label is not None and split_orgs(org_label) != orgs:
        org_label = None  # a label that no longer means the orgs is not kept (org_text ignores it)
    week = None
    if draw(st.booleans()):
        weeks = sorted(draw(st.sets(st.integers(1, 6), min_size=1, max_size=3)))
        wlabel = draw(st.one_of(st.just(canonical_week_label(weeks)), _text))
        week = Week(year=draw(st.integers(1900, 2999)), month=draw(st.integers(1, 12)), weeks=weeks, label=wlabel)
    levels = draw(st.lists(st.integers(1, 3), max_size=5))
    flat, prev = [], 0
    for lvl in levels:
        prev = min(lvl, prev + 1)
        flat.append((prev, draw(_text)))
    kinds = draw(st.lists(st.sampled_from(list(Kind)), max_size=3))
    reserved = set(COMPAT_FIELDS) | set(EXTRA_FIELDS) | {"meta"}  # an extra named like ours reads back as ours
    return Item(
        id=draw(st.text(min_size=1, max_size=10)),
        kind=kinds[0] if kinds else None,
        extra_kinds=kinds[1:],
        orgs=orgs,
        org_label=org_label,
        title=draw(_text),
        url=draw(st.none() | st.text(min_size=1, max_size=10)),
        bullets=build_bullet_tree(flat),
        week=week,
        tags=draw(st.lists(_text, max_size=2)),
        marker=draw(st.none() | _text),
        bold=draw(st.booleans()),
        note=draw(st.none() | _text),
        extra=draw(st.dictionaries(_text.filter(lambda k: k not in reserved), _json_value, max_size=3)),
    )


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_items(), max_size=4))
def test_any_items_survive_json_and_jsonl(items: list[Item]) -> None:
    via_json = items_from_json(items_to_json(items, last_updated=STAMP))
    via_jsonl = items_from_jsonl(items_to_jsonl(items))
    assert [_model(i) for i in via_json] == [_model(i) for i in items]
    assert [_model(i) for i in via_jsonl] == [_model(i) for i in items]
    # and writing them again gives the same bytes
    assert items_to_json(via_json, last_updated=STAMP) == items_to_json(items, last_updated=STAMP)


# ---------------------------------------------------------------------------
# the hand-made indentation is json.dumps(indent=2), byte for byte


def _reference_dumps(value: Any, pad: str) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


@pytest.mark.parametrize("pad", ["", "    "])
def test_indented_json_equals_json_dumps_on_every_item_of_the_reference(
    pad: str, ref_items: list[dict[str, Any]], imported: list[Item], seed_items: list[Item]
) -> None:
    objects = [*ref_items, *(item_to_dict(it) for it in imported), *(item_to_dict(it) for it in seed_items)]
    assert len(objects) == 2 * REF_COUNT + len(seed_items)
    assert [indented_json(o, pad) for o in objects] == [_reference_dumps(o, pad) for o in objects]


def test_items_to_json_equals_dumping_the_whole_document(imported: list[Item], seed_items: list[Item]) -> None:
    """The document is assembled from pieces (frame, one block per item): the same as dumping it whole."""
    for items in (imported, seed_items, imported[:1], []):
        doc = {
            "version": VERSION,
            "last_updated": STAMP,
            "total_items": len(items),
            "items": [item_to_dict(it) for it in items],
            "stats": compute_stats(items),
        }
        expected = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        assert items_to_json(iter(items), last_updated=STAMP) == expected


_any_key = st.text(max_size=6) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=True)
_any_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10)
    | st.sampled_from([Kind.PAPER, "\u2028", '\x00\x1f"\\', "🧑🏻\u200d💻", "\ud800"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_any_key, inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_any_json, st.sampled_from(["", "  ", "    "]))
def test_indented_json_equals_json_dumps_on_any_value(value: Any, pad: str) -> None:
    """Floats, tuples, subclasses (a Kind) and keys that are not strings go to json.dumps itself."""
    assert indented_json(value, pad) == _reference_dumps(value, pad)


# ---------------------------------------------------------------------------
# errors carry the line


def test_invalid_json_names_its_line() -> None:
    text = '{\n  "version": 1,\n  "items": [\n    {"title": "a"},\n    {"title": "b",,}\n  ]\n}\n'
    with pytest.raises(InputError) as e:
        items_from_json(text, path="broken.json")
    assert e.value.line == 5 and e.value.path == "broken.json"
    assert "invalid JSON" in str(e.value) and str(e.value).startswith("broken.json:5:")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('{\n  "version": 1,\n  "items": [\n    {"id": \n', 4, "ends too early"),  # cut short: its last line
        ("", 1, "empty"),
        ("\n\n", 1, "empty"),
        ('[\n  {"title": "a"}\n  {"title": "b"}\n]', 3, "Expecting ','"),
    ],
)
def test_syntax_error_lines(text: str, line: int, words: str) -> None:
    with pytest.raises(InputError, match=re.escape(words)) as e:
        items_from_json(text)
    assert e.value.line == line


def _line_of_nth_item(text: str, n: int) -> int:
    """1-based line of the n-th (0-based) `    {` line: where json.dumps(indent=2) starts an item."""
    starts = [i + 1 for i, ln in enumerate(text.split("\n")) if ln == "    {"]
    return starts[n]


def test_missing_title_in_third_item_of_a_pretty_printed_file_names_its_first_line() -> None:
    items = [_obj(id=f"id{i}", bullets=[{"text": "요약", "level": 0}], title=f"T{i}") for i in range(5)]
    del items[2]["title"]
    text = json.dumps({"version": 1, "last_updated": STAMP, "total_items": 5, "items": items}, indent=2)
    with pytest.raises(InputError) as e:
        items_from_json(text, path="items.json")
    assert e.value.line == _line_of_nth_item(text, 2)
    assert text.split("\n")[e.value.line] == '      "id": "id2",'
    msg = str(e.value)
    assert "items[2]" in msg and "'id2'" in msg and "'title'" in msg


def test_error_line_in_the_reference_file(ref_text: str) -> None:
    doc = json.loads(ref_text)
    doc["items"][700]["bullets"] = "not a list"
    text = json.dumps(doc, ensure_ascii=False, indent=2)
    with pytest.raises(InputError) as e:
        items_from_json(text)
    assert e.value.line == _line_of_nth_item(text, 700)
    assert "items[700]" in str(e.value) and "'bullets'" in str(e.value) and doc["items"][700]["id"] in str(e.value)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[{"title": "a"}, {"title": "b"},\n {"title": 3}]', 2, ["items[2]", "'title'", "a string"]),
        ('{"items": [\n\n  {"id": "q", "title": "a", "type": "blog"}]}', 3, ["items[0]", "'q'", "unknown type 'blog'"]),
        ('{"items": [1]}', 1, ["items[0] must be an object"]),
        (
            '{"a": [{"x": 1}],\n "items": [\n  {"title": "a"},\n  {"title": "b", "date": "2024-13-W01"}]}',
            4,
            ["items[1]", "'date'"],
        ),
        ('{"items": [{"title": "a", "date": "Sept"}]}', 1, ["'date'", "YYYY-MM-Wnn"]),
        ('{"items": [{"title": "a", "year": "2024"}]}', 1, ["'month'", "'week'"]),
        ('{"items": [{"title": "a", "bullets": [{"text": "x", "level": -1}]}]}', 1, ["bullets[0].level"]),
        ('{"items": [{"title": "a", "tags": "AI"}]}', 1, ["'tags'", "a list of strings"]),
        ('{"items": [{"title": "a", "weeks": [2], "date": "2024-01-W01"}]}', 1, ["'weeks'"]),
        ('{"items": [{"title": "a", "id": ""}]}', 1, ["'id'"]),
    ],
)
def test_item_errors(text: str, line: int, words: list[str]) -> None:
    with pytest.raises(InputError) as e:
        items_from_json(text, path="f.json")
    assert e.value.line == line
    for w in words:
        assert w in str(e.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"version": 1}', "no 'items'"),
        ('{"items": {}}', "'items' must be a list"),
        ('{"version": 2, "items": []}', "unsupported items.json version 2"),
        ('"items"', "not a string"),
    ],
)
def test_document_errors(text: str, words: str) -> None:
    with pytest.raises(InputError, match=re.escape(words)):
        items_from_json(text)


def test_jsonl_errors_carry_the_jsonl_line() -> None:
    good = json.dumps(_obj(id="a"), ensure_ascii=False)
    with pytest.raises(InputError) as e:
        items_from_jsonl(f"{good}\n\n{{\"id\": \"b\", \n{good}\n", path="x.jsonl")
    assert (e.value.path, e.value.line) == ("x.jsonl", 3)
    with pytest.raises(InputError) as e:
        items_from_jsonl(f"{good}\n{good}\n\n{json.dumps({'id': 'c'})}\n")
    assert e.value.line == 4 and "'c'" in str(e.value) and "'title'" in str(e.value)
    with pytest.raises(InputError) as e:
        items_from_jsonl(f"{good}\n[1, 2]\n")
    assert e.value.line == 2 and "must be an object" in str(e.value)


def test_jsonl_splits_at_newline_only() -> None:
    item = Item(id="s", title="a\u2028b\x85c\r", week=None)
    text = items_to_jsonl([item, item])
    assert text.count("\n") == 2
    assert [_model(i) for i in items_from_jsonl(text)] == [_model(item)] * 2


def test_byte_order_mark_is_ignored() -> None:
    assert items_from_json('\ufeff[{"title": "a"}]')[0].title == "a"
    assert items_from_jsonl('\ufeff{"title": "a"}\n')[0].title == "a"
