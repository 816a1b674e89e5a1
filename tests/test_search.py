"""Full-text search on the real seed: Korean inside words, English whole words, filters, ranking."""

from __future__ import annotations

import re

import pytest

from papernews.formats.markdown import parse
from papernews.model import Bullet
from papernews.store import Store
from papernews.store.tokens import index_text, match_expression, query_terms


@pytest.fixture
def seeded(store: Store, seed_text: str) -> Store:
    store.import_document(parse(seed_text))
    return store


def _text(item) -> str:  # type: ignore[no-untyped-def]
    from papernews.model import walk_bullets

    return " ".join([item.title, *item.orgs, *(b.text for _, b in walk_bullets(item.bullets))])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("추론하는", " 추론 론하 하는 "),
        ("LoRA 학습", "LoRA  학습 "),
        ("no korean", "no korean"),
        ("닭", " 닭 "),
    ],
)
def test_index_text(text: str, expected: str) -> None:
    assert index_text(text) == expected


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("추론", ['"추론"']),
        ("추론하는 LoRA", ['"추론 론하 하는"', '"LoRA"']),
        ("Chain-of-Thought", ['"Chain of Thought"']),
        ('"AND" OR *', ['"AND"', '"OR"']),
        ("닭", ['"닭" *']),
        ("GPT-4o의", ['"GPT 4o"', '"의" *']),
    ],
)
def test_query_terms(query: str, terms: list[str]) -> None:
    assert query_terms(query) == terms


def test_empty_query() -> None:
    assert match_expression("   ") is None
    assert match_expression("***") is None


def test_korean_word_is_found_inside_longer_words(seeded: Store) -> None:
    hits = seeded.search("추론", limit=1000)
    texts = [_text(h.item) for h in hits]
    assert len(hits) >= 20
    assert all("추론" in t for t in texts)
    # every item whose text holds 추론 anywhere (추론하는, 추론을, 추론능력) is found
    expected = {i.id for i in seeded.items() if "추론" in _text(i)}
    assert {h.item.id for h in hits} == expected
    assert any("추론하는" in t or "추론을" in t for t in texts)


def test_english_matches_whole_words_not_substrings(seeded: Store) -> None:
    hits = seeded.search("LoRA", limit=1000)
    assert hits
    assert hits[0].item.title.startswith(("LoRA", "Efficiently fine-tune", "LoRA+"))
    for h in hits:
        assert re.search(r"(?<![a-z])lora(?![a-z])", _text(h.item), re.I)
    explorers = [
        i
        for i in seeded.items()
        if "exploration" in _text(i).lower() and not re.search(r"(?<![a-z])lora(?![a-z])", _text(i), re.I)
    ]
    assert explorers, "the seed has items with 'exploration' and no LoRA"
    assert not {i.id for i in explorers} & {h.item.id for h in hits}


def test_org_words_and_ranking(seeded: Store) -> None:
    hits = seeded.search("Google DeepMind", limit=50)
    assert len(hits) >= 20
    assert all("google" in _text(h.item).lower() and "deepmind" in _text(h.item).lower() for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert "Google DeepMind" in hits[0].item.orgs


def test_title_outranks_body(store: Store, seed_text: str) -> None:
    doc = parse(seed_text)
    store.import_document(doc)
    hits = store.search("Mixture-of-Experts", limit=5)
    assert "Mixture-of-Experts" in hits[0].item.title or "Mixture of Experts" in hits[0].item.title


def test_filters(seeded: Store) -> None:
    assert all(h.item.kind and h.item.kind.value == "dev" for h in seeded.search("모델", kind="dev", limit=100))
    meta = seeded.search("모델", org="Meta", limit=100)
    assert meta and all("Meta" in h.item.orgs for h in meta)
    window = seeded.search("모델", since=(2024, 5), until=(2024, 6), limit=500)
    assert window and all(h.item.week and h.item.week.month in (5, 6) for h in window)
    assert len(seeded.search("모델", limit=3)) == 3


def test_queries_with_fts_syntax_do_not_break(seeded: Store) -> None:
    for q in ['"', "AND", "title:LoRA", "NEAR(", "-", "(*)", "Q-Lora"]:
        seeded.search(q)
    assert seeded.search("Q-Lora")


def test_index_follows_edits_and_deletes(seeded: Store) -> None:
    item = seeded.search("DoRA", limit=1)[0].item
    seeded.save_item(item.model_copy(update={"bullets": [Bullet(text="가중치를 크기와 방향으로 분해하는 방법 제안")]}))
    assert [h.item.id for h in seeded.search("분해하는 방향", limit=5)] == [item.id]
    seeded.delete_item(item.id)
    assert not seeded.search("DoRA Weight-Decomposed")


def test_results_report_the_total_and_rank_within_a_window_of_newest_matches(seeded: Store) -> None:
    everything = seeded.search("모델", limit=1000, window=None)
    assert everything.total == len(everything) and not everything.windowed
    windowed = seeded.search("모델", limit=1000, window=50)
    assert windowed.windowed and windowed.total == everything.total and len(windowed) == 50
    # the window holds the newest matches: every windowed hit is at least as recent as the oldest one kept
    oldest_kept = min((h.item.week.year, h.item.week.month) for h in windowed if h.item.week)
    assert oldest_kept >= (2024, 7)
    assert all(h.item.id in {e.item.id for e in everything} for h in windowed)


def test_rowids_grow_with_time_whatever_the_document_order(store: Store) -> None:
    newest_first = (
        "# 2025\n## 🎄 12월\n<details>\n  <summary>1st week</summary>\n\n- 📜 [Newest 모델](https://a.example/1)\n"
        "</details>\n\n## 🍂 11월\n<details>\n  <summary>2nd week</summary>\n\n- 📜 [Older 모델](https://a.example/2)\n"
        "</details>\n"
    )
    store.import_document(parse(newest_first))
    rows = store.conn.execute("SELECT title FROM items ORDER BY rowid").fetchall()
    assert [r[0] for r in rows] == ["Older 모델", "Newest 모델"]
    assert [i.title for i in store.items()] == ["Newest 모델", "Older 모델"]  # document order kept
    hits = store.search("모델", window=1)
    assert [h.item.title for h in hits] == ["Newest 모델"]
