"""The SQLite archive on the real seed: lossless import/export, idempotent re-import, stable ids, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from papernews.errors import NotFoundError, StoreError
from papernews.formats.markdown import parse, render
from papernews.model import Bullet, Week
from papernews.store import Store
from papernews.store import migrations as migrations_module
from papernews.store.migrations import LATEST, Migration


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_seed_import_then_export_gives_the_same_bytes(store: Store, seed_text: str) -> None:
    report = store.import_document(parse(seed_text))
    assert report.added == 619
    assert store.count() == 619
    assert render(store.document()) == seed_text


def test_reimport_of_the_same_document_changes_nothing(tmp_path: Path, seed_text: str) -> None:
    db = tmp_path / "a.db"
    with Store(db) as s:
        s.import_document(parse(seed_text))
    before = _dump(db)
    with Store(db) as s:
        report = s.import_document(parse(seed_text))
    assert (report.added, report.updated, report.unchanged, report.changed) == (0, 0, 619, False)
    assert _dump(db) == before


def test_duplicate_urls_in_one_document_stay_two_items(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    dream = [i for i in store.items() if i.url == "https://lumalabs.ai/dream-machine"]
    assert len(dream) == 2
    assert dream[0].id != dream[1].id


def test_store_settings(store: Store) -> None:
    q = store.conn.execute
    assert q("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert q("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.schema_version == LATEST


def test_title_edit_keeps_the_id_and_renders_only_that_item_canonically(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    item = next(i for i in store.items() if i.title.startswith("DoRA"))
    edited = item.model_copy(update={"title": "DoRA: Weight-Decomposed Low-Rank Adaptation (ICML 2024)"})
    store.save_item(edited)
    again = store.get(item.id)
    assert again.title.endswith("(ICML 2024)")
    out = render(store.document())
    old_lines = seed_text.splitlines()
    new_lines = out.splitlines()
    changed = [n for n, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert len(changed) == 1
    assert new_lines[changed[0]] == (
        "- 📜 [DoRA: Weight-Decomposed Low-Rank Adaptation (ICML 2024)](https://arxiv.org/abs/2402.09353)"
    )


def test_reimport_of_a_document_with_an_edited_title_keeps_the_id(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    item = next(i for i in store.items() if i.title.startswith("DoRA"))
    edited_text = seed_text.replace("[DoRA: Weight-Decomposed", "[DoRA (v2): Weight-Decomposed")
    report = store.import_document(parse(edited_text))
    assert (report.added, report.updated) == (0, 1)
    assert store.get(item.id).title.startswith("DoRA (v2)")
    assert render(store.document()) == edited_text


def test_edited_bullets_and_deleted_items_render(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    items = store.items()
    first = items[0]
    store.save_item(
        first.model_copy(update={"bullets": [Bullet(text="다국어 모델 공개", children=[Bullet(text="101개 언어")])]})
    )
    store.delete_item(items[1].id)
    out = render(store.document())
    assert "    - 다국어 모델 공개\n        - 101개 언어\n" in out
    assert "OS-Copilot" not in out
    assert store.count() == 618
    with pytest.raises(NotFoundError):
        store.delete_item(items[1].id)


def test_new_item_goes_to_the_end_of_its_week_block(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    template = next(i for i in store.items() if i.week and i.week.key == "2024-09-W03")
    new = template.model_copy(
        update={
            "id": "new0001",
            "title": "A New Paper",
            "url": "https://arxiv.org/abs/2409.99999",
            "source": None,
            "bullets": [],
        }
    )
    store.save_item(new)
    out = render(store.document())
    block = out.split("<summary>3rd week</summary>")[-1].split("</details>")[0]
    org = f"[{template.org_text}] " if template.orgs else ""
    assert (
        block.rstrip("\n").splitlines()[-1]
        == f"- {template.kind.emoji if template.kind else ''} {org}[A New Paper](https://arxiv.org/abs/2409.99999)"
    )
    assert parse(out).items  # still a valid digest


def test_items_absent_from_a_reimport_are_kept_unless_pruned(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    line = "- 📜\xa0[OS-Copilot: Towards Generalist Computer Agents with Self-Improvement](https://arxiv.org/abs/2402.07456)\n"
    assert line in seed_text
    doc = parse(seed_text.replace(line, ""))
    report = store.import_document(doc)
    assert report.not_in_input == 1
    assert store.count() == 619
    report = store.import_document(doc, prune=True)
    assert report.removed == 1
    assert store.count() == 618
    assert render(store.document()) == seed_text.replace(line, "")


def test_get_by_prefix_and_missing(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    item = store.items(limit=1)[0]
    assert store.get(item.id[:6]).id == item.id
    with pytest.raises(NotFoundError):
        store.get("zzzzzzzz")


def test_list_filters(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    week = store.items(week=Week.parse_key("2024-09-W03"))
    assert week and all(i.week and i.week.month == 9 and 3 in i.week.weeks for i in week)
    feb2 = store.items(week=Week.parse_key("2024-02-W02"))  # inside the `1st ~ 3rd week` block
    assert feb2 and all(i.week and i.week.label == "1st ~ 3rd week" for i in feb2)
    assert all(i.kind and i.kind.value == "news" for i in store.items(kind="news"))
    assert all("OpenAI" in i.orgs for i in store.items(org="openai"))
    assert all(i.week and (i.week.year, i.week.month) >= (2024, 8) for i in store.items(since=(2024, 8)))


def test_stats_on_the_seed(store: Store, seed_text: str) -> None:
    store.import_document(parse(seed_text))
    s = store.stats()
    assert s.total == 619
    assert s.bullets == 1196
    assert sum(s.by_kind.values()) == 619
    assert sum(s.by_month.values()) == 619
    assert s.top_orgs[0][1] >= s.top_orgs[-1][1]


def test_import_is_one_transaction(store: Store, seed_text: str) -> None:
    doc = parse(seed_text)
    doc.items[100].id = doc.items[0].id  # two items with one id: the import must fail whole
    with pytest.raises(StoreError):
        store.import_document(doc)
    assert store.count() == 0
    assert store.layout() == []


def test_migration_from_blank_and_refusal_of_a_newer_schema(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    with Store(db) as s:
        assert s.schema_version == LATEST
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_migration_of_an_old_archive_backs_it_up_first(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "old.db"
    with Store(db) as s:
        s.import_document(parse(seed_text))
    step = Migration(LATEST + 1, "a test column", "ALTER TABLE items ADD COLUMN test_note TEXT;")
    monkeypatch.setattr(migrations_module, "MIGRATIONS", (*migrations_module.MIGRATIONS, step))
    monkeypatch.setattr("papernews.store.db.MIGRATIONS", (*migrations_module.MIGRATIONS,))
    monkeypatch.setattr("papernews.store.db.LATEST", LATEST + 1)
    with Store(db) as s:
        assert s.schema_version == LATEST + 1
        assert s.count() == 619
        assert render(s.document()) == seed_text
    backup = tmp_path / f"old.db.bak-v{LATEST}"
    assert backup.exists()
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 619


def test_full_text_index_stays_consistent_through_every_write(store: Store, seed_text: str) -> None:
    def check() -> None:
        store.conn.execute("INSERT INTO items_fts(items_fts) VALUES ('integrity-check')")

    store.import_document(parse(seed_text))
    check()
    items = store.items()
    store.save_item(items[0].model_copy(update={"title": "Edited title"}))
    store.save_item(items[1].model_copy(update={"id": "brandnew01", "source": None}))
    store.delete_item(items[2].id)
    check()
    store.import_document(parse(seed_text), prune=True)
    check()
    assert store.count() == 619


def test_a_large_import_leaves_no_large_write_ahead_log(
    tmp_path: Path, seed_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.db"
    wal = tmp_path / "w.db-wal"
    with Store(db) as s:
        s.import_document(parse(seed_text))
        assert wal.stat().st_size > 1_000_000  # 619 rows: under the threshold, the log stays
    monkeypatch.setattr(Store, "CHECKPOINT_AFTER", 100)
    with Store(tmp_path / "v.db") as s:
        s.import_document(parse(seed_text))
        assert (tmp_path / "v.db-wal").stat().st_size == 0
        assert s.count() == 619


def test_revision_grows_with_every_write_that_changes_something(store: Store, seed_text: str) -> None:
    """Two edits within one second (`updated_at`'s resolution) still tell apart: the build's
    fingerprint reads the revision to know whether README.md and items.json must be re-exported."""
    fresh = store.revision()
    store.import_document(parse(seed_text))
    after_import = store.revision()
    assert after_import == fresh + 1
    store.import_document(parse(seed_text))  # nothing changes
    assert store.revision() == after_import
    item = store.all_items()[0]
    store.save_item(item)  # the same item: no write
    assert store.revision() == after_import
    store.save_item(item.model_copy(update={"title": item.title + "!"}))
    store.save_item(item)  # and back, in the same second
    assert store.revision() == after_import + 2
    store.delete_item(item.id)
    assert store.revision() == after_import + 3
    with pytest.raises(NotFoundError):
        store.delete_item(item.id)
    assert store.revision() == after_import + 3
