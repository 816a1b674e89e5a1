"""The taste ranker on a small slice of the real arXiv pools (read at run time from ../shared)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from papernews.rank import evaluate
from papernews.rank.evaluate import Corpus, walk_forward, week_end
from papernews.rank.pools import read_picks
from papernews.rank.taste import Candidate, TasteModel

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "arxiv-pools"
pytestmark = pytest.mark.skipif(not (DATA / "positives.jsonl").exists(), reason="arXiv pools not available")

FIRST, LAST = "2024-03-W03", "2024-04-W02"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus.load(DATA / "pools", None, week_end(LAST))


@pytest.fixture(scope="module")
def picks() -> list[evaluate.Pick]:
    return read_picks(DATA / "positives.jsonl")


def test_ranks_picks_above_random(corpus: Corpus, picks: list[evaluate.Pick]) -> None:
    results = walk_forward(corpus, picks, first_week=FIRST, last_week=LAST, methods=("taste", "random"))
    assert len(results) >= 3
    summary = evaluate.summarize(results, ("taste", "random"))["overall"]
    assert summary["taste"]["recall@50"] > 2 * summary["random"]["recall@50"]
    assert summary["taste"]["ndcg@50"] > summary["random"]["ndcg@50"]


def test_no_future_leakage(corpus: Corpus, picks: list[evaluate.Pick], monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[set[str], list[str], list[Candidate]]] = []
    fit, score = TasteModel.fit.__func__, TasteModel.score  # type: ignore[attr-defined]

    def spy_fit(cls: type[TasteModel], pos: list[Candidate], neg: list[Candidate], **kw: Any) -> TasteModel:
        seen.append(({p.id for p in pos}, sorted(c.published or "" for c in neg), []))
        return fit(cls, pos, neg, **kw)  # type: ignore[no-any-return]

    def spy_score(self: TasteModel, cands: list[Candidate], **kw: Any) -> Any:
        seen[-1][2].extend(cands)
        return score(self, cands, **kw)

    monkeypatch.setattr(TasteModel, "fit", classmethod(spy_fit))
    monkeypatch.setattr(TasteModel, "score", spy_score)
    results = walk_forward(corpus, picks, first_week=FIRST, last_week=LAST, methods=("taste",))
    assert len(seen) == len(results)
    by_id = {p.arxiv_id: p.week for p in picks}
    for r, (pos, neg_days, cands) in zip(results, seen, strict=True):
        end = week_end(r.week)
        start = end - timedelta(days=13)
        assert all(by_id[p] < r.week for p in pos)  # only picks of earlier weeks
        assert neg_days and neg_days[-1] < start.isoformat()  # negatives listed before the window
        days = {date.fromisoformat(c.published or "") for c in cands}
        assert min(days) >= start and max(days) <= end  # no paper listed after the week
        assert not pos & {c.id for c in cands}  # earlier picks are not candidates again


def test_reasons_name_real_past_items(corpus: Corpus, picks: list[evaluate.Pick]) -> None:
    past = [p for p in picks if p.week < "2024-04-W01" and p.arxiv_id in corpus.index]
    positives = [corpus.papers[corpus.index[p.arxiv_id]] for p in past]
    picked = {p.arxiv_id for p in picks}
    negatives = [c for c in corpus.papers[:1500] if c.id not in picked]
    model = TasteModel.fit(positives, negatives, labels={p.arxiv_id: p.week for p in past})
    probe = positives[0]
    twin = Candidate("new", probe.title, probe.abstract, [], probe.categories, "2024-04-01", "arxiv", 120, None)
    (scored,) = model.score([twin])
    assert scored.reasons[0].startswith(f"비슷한 과거 항목: {probe.title} ({past[0].week}")
    assert "HF upvotes 120" in scored.reasons
    ranked = model.score([*negatives[:200], twin])
    assert ranked[0].candidate_id == "new" and ranked == sorted(ranked, key=lambda s: -s.score)
    # one more decision: a new model, the old one unchanged
    grown = model.add(negatives[0], picked=True)
    assert len(grown.positives) == len(model.positives) + 1 and grown.sims.shape[1] == len(grown.positives)


def test_cli_json_shape() -> None:
    from papernews.cli import app

    args = ["bench", "rank", "--pools", str(DATA / "pools"), "--picks", str(DATA / "positives.jsonl")]
    res = CliRunner().invoke(app, [*args, "--from", "2024-04-W01", "--to", "2024-04-W01", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["methods"] == ["taste", "svm", "newest", "random"]
    overall = data["summary"]["overall"]
    for m in data["methods"]:
        assert set(overall[m]) == {"recall@10", "recall@20", "recall@50", "recall@100", "ndcg@50"}
    assert [w["week"] for w in data["weeks"]] == ["2024-04-W01"]
    assert set(data["weeks"][0]["recall"]["svm"]) == {"10", "20", "50", "100"}


def test_from_store_learns_from_archive_and_inbox(tmp_path: Path) -> None:
    from papernews.model import Item, Kind, Week
    from papernews.store import Store

    titles = [
        "Scaling test-time compute for reasoning",
        "Reasoning models and RL fine-tuning",
        "A diffusion video model",
    ]
    items = [
        Item(id=f"i{n}", kind=Kind.PAPER, title=t, orgs=["Google DeepMind"], week=Week.parse_key("2024-09-W03"))
        for n, t in enumerate(titles)
    ]
    with Store(tmp_path / "a.db") as store:
        store.import_items(items)
        has_inbox = store.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'inbox_candidates'").fetchone()
        if has_inbox:
            store.conn.execute(
                "INSERT INTO inbox_candidates (id, identity, url, source, title, first_seen, status, week)"
                " VALUES ('c1', 'x:c1', 'https://x/c1', 'arxiv', 'Protein folding with graph nets', '2024-09-20',"
                " 'rejected', '2024-09-W03')"
            )
        model = TasteModel.from_store(store)
    assert len(model.positives) == 3 and len(model.negatives) == (1 if has_inbox else 0)
    title = "Test-time compute scaling for reasoning"
    probe = Candidate("p", title, "", [], [], None, "arxiv", None, "Google DeepMind")
    (scored,) = model.score([probe])
    want = "비슷한 과거 항목: Scaling test-time compute for reasoning (2024-09-W03"
    assert any(r.startswith(want) for r in scored.reasons)


def test_an_empty_archive_gives_a_model_that_scores(tmp_path: Path) -> None:
    """No picks yet (a new digest): the model still scores candidates, by priors only."""
    from papernews.store import Store

    with Store(tmp_path / "empty.db") as store:
        model = TasteModel.from_store(store)
    c = Candidate("x", "A title", "", [], [], None, "arxiv", None, None)
    assert [s.candidate_id for s in model.score([c])] == ["x"]
    assert model.score([]) == []


def test_vectorised_priors_equal_the_one_row_values(corpus: Corpus) -> None:
    """`Prior.best_many` (what training uses) gives `Prior.best` of every row, leave-one-out included."""
    from papernews.rank.features import Prior

    rows = [c.authors for c in corpus.papers[:3000]]
    prior = Prior.learn("저자", rows[:400], rows[400:])
    own = [1] * 400 + [-1] * 2000 + [0] * 600
    many = prior.best_many(rows, own)
    assert any(abs(v) > 0.1 for v in many)
    one_by_one = [prior.best(r, own=o)[0] for r, o in zip(rows, own, strict=True)]
    assert [round(float(v), 9) for v in many] == [round(v, 9) for v in one_by_one]


def test_age_prior_learns_how_late_the_curator_posts() -> None:
    from papernews.rank.features import AGE_DAYS, AgePrior

    prior = AgePrior.learn([1, 2, 2, 3, 2, 9, 40, -1])
    assert prior.picks == 6  # posted before its listing (jitter) or 40 days late: says nothing of recent days
    assert prior.value(2) > prior.value(9) > prior.value(20)
    assert prior.value(-2) == prior.value(0)
    assert prior.value(AGE_DAYS + 30) == min(prior.log_ratio)


def test_the_day_of_ranking_favours_papers_as_fresh_as_past_picks(corpus: Corpus, picks: list[evaluate.Pick]) -> None:
    """Picks listed a few days before their week ended teach the model that a two-day-old paper is
    likelier than a twelve-day-old twin; the reason names it."""
    past = [p for p in picks if p.week <= LAST and p.arxiv_id in corpus.index]
    positives = [corpus.papers[corpus.index[p.arxiv_id]] for p in past]
    labels = {p.arxiv_id: p.week for p in past}
    negatives = corpus.papers[:2000]
    model = TasteModel.fit(positives, [n for n in negatives if n.id not in labels], labels=labels)
    today = date(2024, 5, 7)
    base = negatives[-1]
    twin = (base.title, base.abstract, base.authors, base.categories)
    fresh = Candidate("fresh", *twin, "2024-05-05", "arxiv", None, None)
    stale = Candidate("stale", *twin, "2024-04-25", "arxiv", None, None)
    ranked = model.score([stale, fresh], today=today)
    assert [s.candidate_id for s in ranked] == ["fresh", "stale"]
    undated = model.score([stale, fresh])
    assert undated[0].score == undated[1].score  # without a day of ranking, age is no signal
    assert any(r.startswith("게시 시점") for s in ranked for r in s.reasons)
