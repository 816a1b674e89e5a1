"""`items.json` (the schema of the best existing tool) and JSONL, both ways, as pure functions.

The compatible document is what that tool reads::

    {"version": 1, "last_updated": "…Z", "total_items": n, "items": [...], "stats": {...}}

and each item starts with its eleven fields, in its order and with its types::

    id, date, year, month, week, type, org, title, url, bullets, tags

`date` is `YYYY-MM-Wnn`, `year`, `month` and `week` are strings without zero padding
(`"2024"`, `"9"`, `"3"`: that is what the reference file holds), `type` is a kind or null,
`bullets` a flat list of `{"text", "level"}` with level 0 for a summary bullet.

Our model says more than those fields can. What they lose is written after them, each
under its own name and only when it carries information (`orgs`, `weeks`, `week_label`,
`extra_kinds`, `marker`, `bold`, `note`), so a plain item looks exactly like the tool's.
Then `meta`, the item's metadata (`ItemMeta`: authors, abstract, …), when anything of it is
known, with only the known fields. Fields of an imported file that we do not model are kept
in `Item.extra` and written back verbatim after ours, so nothing is lost.

Byte-for-byte round trip of an imported file is the contract. Where the file holds a
value the model cannot hold (bullet levels that no tree gives back, a `week` that
disagrees with `date`, a null `url`, `"09"` for a month), the raw value is kept in
`Item.extra` under the compatible field's own name: a *shadow*. On export a shadow
replaces the value derived from the model only while it still means what the model
says, so an item edited after import is written from its fields, never from stale text.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from papernews.errors import InputError
from papernews.model import (
    WEEK_KEY_RE,
    Bullet,
    Item,
    ItemMeta,
    Kind,
    Week,
    build_bullet_tree,
    canonical_week_label,
    make_item_id,
    split_orgs,
    walk_bullets,
)

VERSION = 1

# The tool's fields, in its order.
COMPAT_FIELDS: tuple[str, ...] = (
    "id", "date", "year", "month", "week", "type", "org", "title", "url", "bullets", "tags",
)
# Ours, written after them (when `extras` and only when they carry information), in this order.
EXTRA_FIELDS: tuple[str, ...] = ("orgs", "weeks", "week_label", "extra_kinds", "marker", "bold", "note")
# The item's metadata (`Item.meta`), written after the extras: an object of its known fields.
META_FIELD = "meta"
TOP_LEVEL_KEYS: tuple[str, ...] = ("version", "last_updated", "total_items", "items", "stats")

_DATE_GROUP = ("date", "year", "month", "week")
_KIND_VALUES = {k.value: k for k in Kind}
_DIGITS_RE = re.compile(r"^\s*(\d{1,4})\s*$")
TOP_ORGS = 20
# the key of untyped items in `stats.by_type` (a JSON key cannot be null)
UNTYPED = "untyped"


# ---------------------------------------------------------------------------
# Writing


def utc_now_iso() -> str:
    """Now as the reference writes `last_updated` (JavaScript's `toISOString`: milliseconds, `Z`)."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def items_to_json(items: Iterable[Item], *, last_updated: str | None = None, extras: bool = True) -> str:
    """The compatible `items.json` document: 2-space indent, UTF-8 text as is, trailing newline.

    Deterministic for a given `last_updated` (the only value that depends on the clock),
    so an export can be compared or committed. With `extras=False` every item has exactly
    the tool's eleven fields: neither our extras nor the unmodelled fields of an import.

    The bytes are those of `json.dumps(doc, ensure_ascii=False, indent=2)`. Items are read one
    at a time and each is turned into its text at once (`item_block`), so an export of 100,000
    items never holds 100,000 models (1.5 GB) or one giant dict tree.
    """
    tally = Tally()
    blocks = []
    for it in items:
        tally.add(it)
        blocks.append(item_block(it, extras=extras))
    head, tail = document_frame(tally, last_updated=last_updated)
    return head + ",\n".join(blocks) + tail


class Tally:
    """The counts behind `stats`, gathered item by item while the items are written."""

    def __init__(self) -> None:
        self.count = 0
        # plain dicts: `Counter.update` and `Counter.__missing__` are Python code, and this runs per item
        self._kinds: dict[str, int] = {}
        self._months: dict[tuple[int, int], int] = {}
        self._orgs: dict[str, int] = {}

    def add(self, item: Item) -> None:
        self.count += 1
        kind = item.kind.value if item.kind is not None else UNTYPED
        self._kinds[kind] = self._kinds.get(kind, 0) + 1
        week = item.week
        if week is not None:
            month = (week.year, week.month)
            self._months[month] = self._months.get(month, 0) + 1
        orgs = self._orgs
        for org in item.orgs:
            orgs[org] = orgs.get(org, 0) + 1

    def stats(self) -> dict[str, Any]:
        months = Counter({f"{y:04d}-{m:02d}": n for (y, m), n in self._months.items()})
        return _stats(Counter(self._kinds), months, Counter(self._orgs))


_ITEMS_MARK = "\x00items\x00"
# where the marker standing for the items sits in the document: at depth 2, on a line of its own
_ITEMS_MARK_LINE = "    " + json.dumps(_ITEMS_MARK)
ITEM_INDENT = "    "


def document_frame(tally: Tally, *, last_updated: str | None = None) -> tuple[str, str]:
    """The document's text before its first item and after its last one, for `tally.count` items.

    `head + ",\\n".join(item_block(it) for it in items) + tail` is the whole document: the
    frame is dumped with a marker in place of the items, and cut there.
    """
    doc = {
        "version": VERSION,
        "last_updated": last_updated if last_updated is not None else utc_now_iso(),
        "total_items": tally.count,
        "items": [_ITEMS_MARK] if tally.count else [],
        "stats": tally.stats(),
    }
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if not tally.count:
        return text, ""
    head, tail = text.split(_ITEMS_MARK_LINE, 1)
    return head, tail


def item_block(item: Item, *, extras: bool = True) -> str:
    """The item as it sits in the document's `items` list: `item_to_dict` as `json.dumps(…,
    indent=2)` writes it at that depth, first line indented too, without the comma after it."""
    return ITEM_INDENT + indented_json(item_to_dict(item, extras=extras), ITEM_INDENT)


_encode_str: Callable[[str], str] = json.encoder.encode_basestring  # the C encoder's when there is one


def indented_json(value: Any, pad: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` with every line after the first prefixed
    by `pad` (the indentation of the line the value starts on), byte for byte.

    Why: with `indent`, CPython's `json` (3.11-3.13) gives up its C encoder for the Python one, whose
    generators were a third of an export's time (~50 µs an item). This walks the value once,
    with the C string escaper. Only the plain types JSON decodes to take the fast way (exact
    `str`, `dict` with `str` keys, `list`, `int`, `bool`, `None`); anything else (a float, a
    tuple, a subclass, a non-string key) is handed to `json.dumps` itself and re-indented, so
    the output cannot differ. `tests/test_itemsjson.py` compares the two on real and random data.
    """
    t = type(value)
    if t is str:
        return _encode_str(value)
    if t is dict:
        if not value:
            return "{}"
        inner = pad + "  "
        parts = []
        for k, v in value.items():
            if type(k) is not str:
                return _dumps_indented(value, pad)
            # strings and integers (most values: texts, bullet levels) written here, without a call
            tv = type(v)
            text = _encode_str(v) if tv is str else int.__repr__(v) if tv is int else indented_json(v, inner)
            parts.append(_encode_str(k) + ": " + text)
        return "{\n" + inner + (",\n" + inner).join(parts) + "\n" + pad + "}"
    if t is list:
        if not value:
            return "[]"
        inner = pad + "  "
        return "[\n" + inner + (",\n" + inner).join([indented_json(v, inner) for v in value]) + "\n" + pad + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if t is int:
        return int.__repr__(value)
    return _dumps_indented(value, pad)


def _dumps_indented(value: Any, pad: str) -> str:
    """The reference: `json.dumps` with its lines re-indented (JSON strings hold no raw newline)."""
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def items_to_jsonl(items: Iterable[Item], *, extras: bool = True) -> str:
    """One item object per line (the fields of `item_to_dict`), each line ending with `\\n`.

    JSON strings escape `\\n` and `\\r`, so a line is always one item; other line
    separators (U+2028, NEL) stay as they are and `items_from_jsonl` splits at `\\n` only.
    """
    return "".join(item_line(it, extras=extras) for it in items)


def item_line(item: Item, *, extras: bool = True) -> str:
    """The item's line of a JSONL file, `\\n` included."""
    return json.dumps(item_to_dict(item, extras=extras), ensure_ascii=False) + "\n"


def item_to_dict(item: Item, *, extras: bool = True) -> dict[str, Any]:
    """One item in the compatible schema: the tool's fields first, then ours, then the unmodelled ones."""
    shadow = item.extra
    obj: dict[str, Any] = {"id": item.id}
    org_text = item.org_text
    if shadow:
        obj.update(_encode_date_group(item))
        obj["type"] = item.kind.value if item.kind is not None else None
        obj["org"] = _restore(
            shadow, "org", org_text, lambda raw: raw is None and not item.orgs and item.org_label is None
        )
        obj["title"] = item.title
        obj["url"] = _restore(shadow, "url", item.url or "", lambda raw: raw is None and item.url is None)
        obj["bullets"] = _restore(
            shadow,
            "bullets",
            encode_bullets(item.bullets),
            lambda raw: _flat_of_raw_bullets(raw) == item.flat_bullets(),
        )
    else:  # no shadows (most items): what the model says, without looking for them
        obj.update(_encode_week(item.week))
        obj["type"] = item.kind.value if item.kind is not None else None
        obj["org"] = org_text
        obj["title"] = item.title
        obj["url"] = item.url or ""
        obj["bullets"] = encode_bullets(item.bullets)
    obj["tags"] = list(item.tags)
    if not extras:
        return obj
    if _org_needs_list(org_text, item.orgs, item.org_label):
        obj["orgs"] = list(item.orgs)
    week = item.week
    if week is not None:
        if len(week.weeks) > 1:
            obj["weeks"] = list(week.weeks)
        if week.label is not None and week.label != canonical_week_label(week.weeks):
            obj["week_label"] = week.label
    if item.extra_kinds:
        obj["extra_kinds"] = [k.value for k in item.extra_kinds]
    if item.marker is not None:
        obj["marker"] = item.marker
    if item.bold:
        obj["bold"] = True
    if item.note is not None:
        obj["note"] = item.note
    if not item.meta.is_empty():
        obj[META_FIELD] = item.meta.known()
    for key, value in item.extra.items():
        # shadows were used above; an extra named like one of ours would be read back as ours
        if key not in obj and key not in _KNOWN_FIELDS:
            obj[key] = value
    return obj


_KNOWN_FIELDS = frozenset(COMPAT_FIELDS) | frozenset(EXTRA_FIELDS) | {META_FIELD}


def encode_bullets(bullets: list[Bullet]) -> list[dict[str, Any]]:
    """The bullet tree as the tool's flat list; our level 1 (a summary bullet) is its level 0."""
    out = []
    for b in bullets:  # summary bullets inline, only deeper ones through walk_bullets: most have none
        out.append({"text": b.text, "level": 0})
        if b.children:
            out.extend({"text": c.text, "level": level - 1} for level, c in walk_bullets(b.children, 2))
    return out


def _encode_date_group(item: Item) -> dict[str, Any]:
    """`date`, `year`, `month`, `week` of the item's first week; the shadows while they still agree."""
    week = item.week
    encoded = _encode_week(week)
    raw = {k: item.extra[k] for k in _DATE_GROUP if k in item.extra}
    if not raw:
        return encoded
    try:
        was = _decode_date_group(raw)
    except ValueError:
        return encoded
    now = None if week is None else (week.year, week.month, week.first)
    if was != now:  # the week was edited since the import: the raw values are stale
        return encoded
    return {k: raw.get(k, encoded[k]) for k in _DATE_GROUP}


def _encode_week(week: Week | None) -> dict[str, Any]:
    if week is None:
        return dict.fromkeys(_DATE_GROUP)
    return dict(zip(_DATE_GROUP, _date_values(week.year, week.month, week.weeks[0]), strict=True))


@functools.lru_cache(maxsize=1024)
def _date_values(year: int, month: int, first: int) -> tuple[str, str, str, str]:
    """`date`, `year`, `month`, `week` of a week; cached, as every item of a week asks the same."""
    return f"{year:04d}-{month:02d}-W{first:02d}", str(year), str(month), str(first)


def _restore(shadow: dict[str, Any], field: str, encoded: Any, still_means: Callable[[Any], bool]) -> Any:
    """The raw value kept for `field` when there is one and it still says what the model says."""
    if field not in shadow:
        return encoded
    raw = shadow[field]
    try:
        return raw if still_means(raw) else encoded
    except (TypeError, ValueError, KeyError, AttributeError):
        return encoded


def _flat_of_raw_bullets(raw: Any) -> list[tuple[int, str]]:
    """What the raw bullet list means as a tree, flattened (raises on a malformed list)."""
    return [(lvl, b.text) for lvl, b in walk_bullets(build_bullet_tree(_raw_bullet_pairs(raw)))]


def _raw_bullet_pairs(raw: Any) -> list[tuple[int, str]]:
    pairs = []
    for b in raw:
        level = b.get("level", 0)
        if not isinstance(b["text"], str) or not _is_int(level):
            raise TypeError("not a bullet")
        pairs.append((level + 1, b["text"]))
    return pairs


def _decode_org(org: str | None, orgs: list[str] | None) -> tuple[list[str], str | None]:
    """(orgs, org_label) that `org` (and our `orgs` list, when written) says.

    Without the list, `org` is the label as written and `split_orgs` gives the orgs. With it,
    `org` is only a label when it is not the plain `, `-join, which is what `org_text`
    writes for orgs that had no label (e.g. written as `[A] [B]`).
    """
    if orgs is None:
        return (split_orgs(org), org) if org else ([], None)
    label = org if org and org != ", ".join(orgs) else None
    return list(orgs), label


def _org_needs_list(org_text: str, orgs: list[str], label: str | None) -> bool:
    """True when `org` alone would not give back the orgs (or their label) and the list helps."""
    if _decode_org(org_text, None) == (orgs, label):
        return False
    return _decode_org(org_text, orgs) == (orgs, label) or split_orgs(org_text) != orgs


def compute_stats(items: list[Item]) -> dict[str, Any]:
    """Counts by type (kinds in the legend's order, then untyped), by month (oldest first), top orgs.

    Ties among the top orgs go alphabetically, so the document is deterministic.
    """
    kinds = Counter(it.kind.value if it.kind is not None else UNTYPED for it in items)
    months = Counter(f"{it.week.year:04d}-{it.week.month:02d}" for it in items if it.week is not None)
    orgs = Counter(org for it in items for org in it.orgs)
    return _stats(kinds, months, orgs)


def _stats(kinds: Counter[str], months: Counter[str], orgs: Counter[str]) -> dict[str, Any]:
    by_type = {k.value: kinds[k.value] for k in Kind}
    if kinds[UNTYPED]:
        by_type[UNTYPED] = kinds[UNTYPED]
    by_month: dict[str, int] = dict(sorted(months.items()))
    top = sorted(orgs.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_ORGS]
    return {"by_type": by_type, "by_month": by_month, "top_orgs": [[org, n] for org, n in top]}


# ---------------------------------------------------------------------------
# Reading


def items_from_json(text: str, *, path: str | None = None) -> list[Item]:
    """Items of an `items.json` document (or of a bare top-level list of items).

    Raises InputError with the file's line: of the syntax error for invalid JSON, of the
    item's first line for an item with a missing or mistyped field.
    """
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise _syntax_error(e, text, path, None) from None
    if isinstance(data, list):
        raw_items = data
    elif isinstance(data, dict):
        if "items" not in data:
            raise InputError("not an items.json document: the top-level object has no 'items' list", path=path, line=1)
        version = data.get("version", VERSION)
        if version != VERSION:
            raise InputError(f"unsupported items.json version {version!r} (this reads version {VERSION})", path=path)
        raw_items = data["items"]
        if not isinstance(raw_items, list):
            raise InputError(f"'items' must be a list, not {_type_name(raw_items)}", path=path)
    else:
        raise InputError(f"expected an items.json object or a list of items, not {_type_name(data)}", path=path, line=1)

    lines: list[int] | None = None

    def line_of(index: int) -> int | None:
        nonlocal lines
        if lines is None:  # computed on the first error only
            lines = _item_lines(text, top_is_list=isinstance(data, list))
        return lines[index] if index < len(lines) else None

    return _read_items(raw_items, path=path, line_of=line_of)


def items_from_jsonl(text: str, *, path: str | None = None) -> list[Item]:
    """Items of a JSONL file, one object a line; blank lines are skipped. Errors carry the line number.

    Lines end at `\\n` only: `str.splitlines` would also cut at U+2028 or NEL, which JSON
    allows unescaped inside a string.
    """
    raw_items: list[Any] = []
    numbers: list[int] = []
    for n, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise _syntax_error(e, line, path, n) from None
        raw_items.append(obj)
        numbers.append(n)
    return _read_items(raw_items, path=path, line_of=lambda i: numbers[i], jsonl=True)


def _read_items(
    raw_items: list[Any], *, path: str | None, line_of: Callable[[int], int | None], jsonl: bool = False
) -> list[Item]:
    """Items of the decoded objects; an error names the item (its index, its id) and its line."""
    items: list[Item] = []
    generated: Counter[str] = Counter()
    for index, obj in enumerate(raw_items):
        where = "item" if jsonl else f"items[{index}]"  # in JSONL the line number is the index
        if not isinstance(obj, dict):
            raise InputError(f"{where} must be an object, not {_type_name(obj)}", path=path, line=line_of(index))
        try:
            items.append(item_from_dict(obj, generated=generated))
        except _FieldError as e:
            ident = obj.get("id")
            named = f" (id {ident!r})" if isinstance(ident, str) and ident else ""
            raise InputError(f"{where}{named}: {e}", path=path, line=line_of(index)) from None
    return items


def _syntax_error(e: json.JSONDecodeError, text: str, path: str | None, line: int | None) -> InputError:
    """InputError for invalid JSON, at the line of the error (`line` for a JSONL record).

    A file cut short fails at its very end, which `JSONDecodeError` places after the
    final newline, on a line that shows nothing; the last line with text is more useful.
    """
    end = len(text.rstrip())
    if end == 0:
        return InputError("invalid JSON: the text is empty", path=path, line=line or 1)
    if e.pos >= end:
        where = line if line is not None else text.count("\n", 0, end) + 1
        return InputError(f"invalid JSON: the text ends too early ({e.msg})", path=path, line=where)
    return InputError(f"invalid JSON: {e.msg} (column {e.colno})", path=path, line=line or e.lineno)


class _FieldError(ValueError):
    """A field of one item is missing or malformed; `_read_items` adds where the item is."""


def item_from_dict(obj: dict[str, Any], *, generated: Counter[str] | None = None) -> Item:
    """One item object of the compatible schema (with our extras) as an Item.

    Raises `ValueError` naming the field. An object without an `id` gets one from
    `make_item_id`; `generated` counts such ids so that repeats stay distinct.
    """
    extra: dict[str, Any] = {}

    # date, year, month, week → Week (date preferred); raw values kept when they are not ours
    raw_group = {k: obj[k] for k in _DATE_GROUP if k in obj}
    try:
        ymw = _decode_date_group(raw_group)
    except ValueError as e:
        raise _FieldError(str(e)) from None
    week = _build_week(obj, ymw)
    encoded = _encode_week(week)
    if any(not _same_json(v, encoded[k]) for k, v in raw_group.items()):
        extra.update(raw_group)  # all of them: `date` is the anchor that tells later if they still hold

    kind = _decode_type(obj.get("type"))

    org = obj.get("org")
    if org is not None and not isinstance(org, str):
        raise _FieldError(_wrong("org", "a string", org))
    if org is None and "org" in obj:
        extra["org"] = None
    orgs_given = _opt_str_list(obj, "orgs")
    orgs, org_label = _decode_org(org, orgs_given)

    if "title" not in obj:
        raise _FieldError("missing required field 'title'")
    title = obj["title"]
    if not isinstance(title, str):
        raise _FieldError(_wrong("title", "a string", title))

    url = obj.get("url")
    if url is not None and not isinstance(url, str):
        raise _FieldError(_wrong("url", "a string", url))
    if url is None and "url" in obj:
        extra["url"] = None

    raw_bullets = obj.get("bullets", [])
    bullets = _decode_bullets(raw_bullets)
    if not _same_json(encode_bullets(bullets), raw_bullets):
        extra["bullets"] = raw_bullets

    tags = _opt_str_list(obj, "tags") or []
    extra_kinds = [_decode_type(k, field="extra_kinds") for k in (_opt_str_list(obj, "extra_kinds") or [])]
    marker = _opt_str(obj, "marker")
    note = _opt_str(obj, "note")
    bold = obj.get("bold", False)
    if not isinstance(bold, bool):
        raise _FieldError(_wrong("bold", "true or false", bold))
    meta = _decode_meta(obj.get(META_FIELD))

    if "id" in obj:
        item_id = obj["id"]
        if not isinstance(item_id, str) or not item_id:
            raise _FieldError(_wrong("id", "a non-empty string", item_id))
    else:
        seed = f"{week.key if week else ''}\x1f{url or ''}\x1f{title}"
        counter = generated if generated is not None else Counter()
        item_id = make_item_id(week.key if week else "", url or None, title, counter[seed])
        counter[seed] += 1

    for key, value in obj.items():
        if key not in _KNOWN_FIELDS:
            extra[key] = value
    extra = {k: extra[k] for k in obj if k in extra}  # shadows and unknown fields in the file's order

    try:
        return Item(
            id=item_id,
            kind=kind,
            extra_kinds=extra_kinds,
            orgs=orgs,
            org_label=org_label,
            title=title,
            url=url or None,
            bullets=bullets,
            week=week,
            tags=tags,
            marker=marker,
            bold=bold,
            note=note,
            extra=extra,
            meta=meta,
        )
    except ValidationError as e:  # pragma: no cover - the checks above come first
        first = e.errors()[0]
        raise _FieldError(f"field {'.'.join(map(str, first['loc']))!r}: {first['msg']}") from None


def _decode_date_group(raw: dict[str, Any]) -> tuple[int, int, int] | None:
    """(year, month, first week) from `date`, else from `year`, `month`, `week`; None when all are empty.

    `date` wins when both are given: it is the one field the tool derives the others from,
    and the one it sorts by.
    """
    date = raw.get("date")
    if date is not None and date != "":
        if not isinstance(date, str):
            raise ValueError(_wrong("date", "a string like 2024-09-W03", date))
        try:
            w = Week.parse_key(date)
        except ValueError:
            if WEEK_KEY_RE.match(date.strip()):
                msg = f"field 'date' names no week (month 1-12, week 1-6): {date!r}"
            else:
                msg = f"field 'date' is not a week key (expected YYYY-MM-Wnn, e.g. 2024-09-W03): {date!r}"
            raise ValueError(msg) from None
        return w.year, w.month, w.first
    parts = {}
    for k in ("year", "month", "week"):
        v = raw.get(k)
        if v is None or v == "":
            continue
        if isinstance(v, bool) or not isinstance(v, int | str) or (isinstance(v, str) and not _DIGITS_RE.match(v)):
            raise ValueError(_wrong(k, "a number or a string of digits", v))
        parts[k] = int(v)
    if not parts:
        return None
    missing = [k for k in ("year", "month", "week") if k not in parts]
    if missing:
        raise ValueError(f"no 'date', and no {', '.join(repr(m) for m in missing)}: cannot tell the week")
    return parts["year"], parts["month"], parts["week"]


def _build_week(obj: dict[str, Any], ymw: tuple[int, int, int] | None) -> Week | None:
    """The Week: (year, month, first week), widened by our `weeks`, labelled by our `week_label`.

    Without a `week_label` the label is the canonical one (`4th week`, `1st ~ 3rd week`),
    which is what a README block of those weeks is labelled, so that an item read from
    Markdown and one read back from its JSON are the same.
    """
    weeks_given = obj.get("weeks")
    label = _opt_str(obj, "week_label")
    if ymw is None:
        if weeks_given is not None or label is not None:
            raise _FieldError("'weeks' or 'week_label' given without a date")
        return None
    year, month, first = ymw
    weeks = [first]
    if weeks_given is not None:
        if not isinstance(weeks_given, list) or not all(_is_int(w) for w in weeks_given) or not weeks_given:
            raise _FieldError(_wrong("weeks", "a non-empty list of week numbers", weeks_given))
        if min(weeks_given) != first:
            raise _FieldError(f"field 'weeks' {weeks_given} does not start at the week of 'date' ({first})")
        weeks = weeks_given
    try:
        w = Week(year=year, month=month, weeks=weeks)
    except ValidationError as e:
        raise _FieldError(f"not a valid week ({year}-{month:02d}, weeks {weeks}): {e.errors()[0]['msg']}") from None
    return w.model_copy(update={"label": label if label is not None else canonical_week_label(w.weeks)})


def _decode_meta(raw: Any) -> ItemMeta:
    """Our `meta` object (null or absent: nothing known), validated field by field."""
    if raw is None:
        return ItemMeta()
    if not isinstance(raw, dict):
        raise _FieldError(_wrong(META_FIELD, "an object", raw))
    try:
        return ItemMeta.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        loc = ".".join(map(str, (META_FIELD, *first["loc"])))
        msg = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            msg = f"unknown field (expected one of {', '.join(ItemMeta.model_fields)})"
        raise _FieldError(f"field {loc!r}: {msg}") from None


def _decode_type(value: Any, *, field: str = "type") -> Kind | None:
    if value is None and field == "type":
        return None
    if isinstance(value, str) and value in _KIND_VALUES:
        return _KIND_VALUES[value]
    raise _FieldError(f"field {field!r}: unknown type {value!r} (expected one of {', '.join(_KIND_VALUES)} or null)")


def _decode_bullets(raw: Any) -> list[Bullet]:
    """The tool's flat `{"text", "level"}` list as our tree (its level 0 is our level 1)."""
    if not isinstance(raw, list):
        raise _FieldError(_wrong("bullets", "a list", raw))
    pairs: list[tuple[int, str]] = []
    for i, b in enumerate(raw):
        if not isinstance(b, dict):
            raise _FieldError(_wrong(f"bullets[{i}]", "an object with 'text' and 'level'", b))
        if "text" not in b:
            raise _FieldError(f"bullets[{i}] has no 'text'")
        text, level = b["text"], b.get("level", 0)
        if not isinstance(text, str):
            raise _FieldError(_wrong(f"bullets[{i}].text", "a string", text))
        if not _is_int(level) or level < 0:
            raise _FieldError(_wrong(f"bullets[{i}].level", "a number ≥ 0", level))
        pairs.append((level + 1, text))
    return build_bullet_tree(pairs)


def _opt_str(obj: dict[str, Any], key: str) -> str | None:
    v = obj.get(key)
    if v is not None and not isinstance(v, str):
        raise _FieldError(_wrong(key, "a string", v))
    return v


def _opt_str_list(obj: dict[str, Any], key: str) -> list[str] | None:
    v = obj.get(key)
    if v is None:
        return None
    if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
        raise _FieldError(_wrong(key, "a list of strings", v))
    return v


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(v), "a number"
    )


def _wrong(field: str, expected: str, got: Any) -> str:
    return f"field {field!r} must be {expected}, not {_type_name(got)} {_short(got)}"


def _short(v: Any) -> str:
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 40 else s[:37] + "…"


def _same_json(a: Any, b: Any) -> bool:
    """Equal as written: `1` is not `true`, `"3"` is not `3`, and key order counts."""
    return a == b and json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


# ---------------------------------------------------------------------------
# Where each item starts, for error messages

_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)


def _item_lines(text: str, *, top_is_list: bool) -> list[int]:
    """The 1-based line where each element of the items array starts (`text` is valid JSON).

    A scan that skips strings and counts depth: the elements are the values directly
    inside the top-level list, or inside the list under the top-level key `items`
    (its last occurrence, as `json.loads` keeps the last of repeated keys). Only run
    when an item is rejected, so it favours plainness over speed.
    """
    starts: list[int] = []
    depth = 0
    key: str | None = None  # the last string seen directly inside the top-level object
    in_items = False
    expect = False  # inside the items array, the next value starts an element

    def at_element(pos: int) -> None:
        nonlocal expect
        if in_items and expect and depth == (1 if top_is_list else 2):
            starts.append(pos)
            expect = False

    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == '"':
            m = _STRING_RE.match(text, i)
            end = m.end() if m else n
            at_element(i)
            if depth == 1 and not top_is_list:
                key = text[i + 1 : end - 1]
            i = end
            continue
        if c in "{[":
            at_element(i)
            depth += 1
            if c == "[" and not in_items and ((depth == 1) if top_is_list else (depth == 2 and key == "items")):
                in_items, expect, starts = True, True, []
        elif c in "}]":
            if in_items and depth == (1 if top_is_list else 2):
                in_items = expect = False
            depth -= 1
        elif c == ",":
            if in_items and depth == (1 if top_is_list else 2):
                expect = True
        elif c != ":":
            at_element(i)
        i += 1
    # one pass over the text for the line numbers of all starts
    lines: list[int] = []
    line, pos = 1, 0
    for s in starts:
        line += text.count("\n", pos, s)
        pos = s
        lines.append(line)
    return lines
