"""Walk-forward benchmark of the taste model on the arXiv pools, side by side with three baselines.

For each curator week in order: train only on picks of earlier weeks (and on a seeded sample of
papers listed in earlier weeks and never picked by then), rank the papers listed in the window of
`window_days` days ending with the week's last day (no later paper exists yet), and score
recall@10/20/50/100 and nDCG@50 of that week's picks found in the window. Papers picked in an
earlier week are left out of the candidates (the inbox would not show them again).

Methods, in one run on the same candidates: `taste` (this package's model), `random` (seeded),
`newest` (newest listing first), `svm` (arxiv-sanity-lite: TF-IDF of title + abstract + authors,
`TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=5, max_df=0.5,
max_features=20000)` fitted on the corpus it ranks, then `LinearSVC(class_weight="balanced",
C=0.1, tol=1e-6, max_iter=10000)` on the same training rows as ours).
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from papernews.rank.pools import Pick, pool_days, read_day, read_picks, week_key
from papernews.rank.taste import Candidate, TasteModel

KS = (10, 20, 50, 100)
METHODS = ("taste", "svm", "newest", "random")
NEG_PER_WEEK = 60  # unpicked papers sampled from each earlier week's listings as negatives
MIN_PICKS = 10  # weeks before this many past picks are not scored (nothing to learn from)


@dataclass
class WeekResult:
    week: str
    candidates: int
    targets: int  # the week's picks found in the window
    picks: int  # the week's picks in all
    train_pos: int
    train_neg: int
    recall: dict[str, dict[int, float]] = field(default_factory=dict)
    ndcg50: dict[str, float] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


@dataclass
class Corpus:
    """Every pool paper, hashed once (`counts` row i is `papers[i]`), with its listing day."""

    papers: list[Candidate]
    day: list[date]
    counts: Any
    index: dict[str, int]

    @classmethod
    def load(cls, pools: Path, first: date | None = None, last: date | None = None) -> Corpus:
        import scipy.sparse as sp

        from papernews.rank.features import Encoder

        enc = Encoder()
        papers: list[Candidate] = []
        days: list[date] = []
        blocks = []
        index: dict[str, int] = {}
        for d in pool_days(pools):
            if (first and d < first) or (last and d > last):
                continue
            cands = [c for c in read_day(pools, d) if c.id not in index]
            for c in cands:
                index[c.id] = len(papers)
                papers.append(c)
                days.append(d)
            if cands:
                blocks.append(enc.counts(cands))
        return cls(papers, days, sp.vstack(blocks, format="csr"), index)


def week_end(key: str) -> date:
    """The last day of a week key (`2024-02-W05` ends on the 29th, the month's last day)."""
    from papernews import model

    return model.week_end(model.Week.parse_key(key))


def recall_at(ranked: Sequence[str], targets: set[str], k: int) -> float:
    return sum(1 for c in ranked[:k] if c in targets) / len(targets)


def ndcg_at(ranked: Sequence[str], targets: set[str], k: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, c in enumerate(ranked[:k]) if c in targets)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(targets))))
    return dcg / ideal


def walk_forward(
    corpus: Corpus,
    picks: Sequence[Pick],
    *,
    window_days: int = 14,
    first_week: str | None = None,
    last_week: str | None = None,
    methods: Sequence[str] = METHODS,
    seed: int = 0,
    progress: Callable[[WeekResult], None] | None = None,
) -> list[WeekResult]:
    """Replay the curator's weeks in order; see the module doc. Returns one result per scored week."""
    import scipy.sparse as sp

    by_week: dict[str, list[Pick]] = {}
    for p in picks:
        by_week.setdefault(p.week, []).append(p)
    week_days: dict[str, list[int]] = {}
    for i, d in enumerate(corpus.day):
        week_days.setdefault(week_key(d), []).append(i)
    results: list[WeekResult] = []
    neg_cache: dict[str, list[int]] = {}
    for wk in sorted(by_week):
        if (first_week and wk < first_week) or (last_week and wk > last_week):
            continue
        end = week_end(wk)
        start = end - timedelta(days=window_days - 1)
        past = [p for p in picks if p.week < wk]
        picked_before = {p.arxiv_id for p in past}
        window = [i for i, d in enumerate(corpus.day) if start <= d <= end and corpus.papers[i].id not in picked_before]
        in_window = {corpus.papers[i].id for i in window}
        targets = {p.arxiv_id for p in by_week[wk]} & in_window
        if len(past) < MIN_PICKS or not targets:
            continue
        # training: past picks (pool text when listed, else the title alone), sampled past non-picks
        pos_rows, pos_extra = [], []
        for p in past:
            if p.arxiv_id in corpus.index:
                pos_rows.append(corpus.index[p.arxiv_id])
            else:
                pos_extra.append(Candidate(p.arxiv_id, p.title, "", [], [], None, "arxiv", None, p.org))
        neg_rows: list[int] = []
        for pw in sorted({week_key(d) for d in corpus.day if d < start}):
            if pw not in neg_cache:
                rng = random.Random(f"{seed}:{pw}")
                pool = week_days.get(pw, [])
                neg_cache[pw] = rng.sample(pool, min(NEG_PER_WEEK, len(pool)))
            neg_rows += [i for i in neg_cache[pw] if corpus.day[i] < start and corpus.papers[i].id not in picked_before]
        positives = [corpus.papers[i] for i in pos_rows] + pos_extra
        negatives = [corpus.papers[i] for i in neg_rows]
        res = WeekResult(wk, len(window), len(targets), len(by_week[wk]), len(positives), len(negatives))
        cands = [corpus.papers[i] for i in window]
        for method in methods:
            t0 = time.perf_counter()
            if method == "taste":
                from papernews.rank.features import Encoder

                extra = Encoder().counts(pos_extra) if pos_extra else None
                parts = [corpus.counts[pos_rows]] + ([extra] if extra is not None else []) + [corpus.counts[neg_rows]]
                labels = {p.arxiv_id: p.week for p in past}
                model = TasteModel.fit(positives, negatives, labels=labels, counts=sp.vstack(parts, format="csr"))
                scored = model.score(cands, counts=corpus.counts[window], reasons=False, today=end)
                ranked = [s.candidate_id for s in scored]
            elif method == "svm":
                ranked = svm_rank(positives, negatives, cands)
            elif method == "newest":
                ranked = [c.id for c in sorted(cands, key=lambda c: (c.published or "", c.id), reverse=True)]
            else:
                ranked = [c.id for c in cands]
                random.Random(f"{seed}:{wk}").shuffle(ranked)
            res.seconds[method] = time.perf_counter() - t0
            res.recall[method] = {k: recall_at(ranked, targets, k) for k in KS}
            res.ndcg50[method] = ndcg_at(ranked, targets, 50)
        results.append(res)
        if progress:
            progress(res)
    return results


def svm_rank(positives: Sequence[Candidate], negatives: Sequence[Candidate], cands: Sequence[Candidate]) -> list[str]:
    """The arxiv-sanity-lite baseline (see the module doc): TF-IDF fitted on training + candidates."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def text(c: Candidate) -> str:
        return " ".join([c.title, c.abstract, " ".join(c.authors)])

    train = [*positives, *negatives]
    vec = TfidfVectorizer(
        strip_accents="unicode",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=20000,
        sublinear_tf=True,
        min_df=5,
        max_df=0.5,
        dtype=np.float32,
    )
    x = vec.fit_transform([text(c) for c in [*train, *cands]])
    y = np.array([1] * len(positives) + [0] * len(negatives))
    clf = LinearSVC(class_weight="balanced", C=0.1, tol=1e-6, max_iter=10000)
    clf.fit(x[: len(train)], y)
    s = clf.decision_function(x[len(train) :])
    return [cands[i].id for i in np.argsort(-s, kind="stable")]


def half_of(week: str) -> str:
    return f"{week[:4]}-H{1 if int(week[5:7]) <= 6 else 2}"


def summarize(results: Sequence[WeekResult], methods: Sequence[str] = METHODS) -> dict[str, Any]:
    """Mean over scored weeks (each week counts once), per half-year and overall, per method."""
    groups: dict[str, list[WeekResult]] = {}
    for r in results:
        groups.setdefault(half_of(r.week), []).append(r)
    groups["overall"] = list(results)
    out: dict[str, Any] = {}
    for name, rs in groups.items():
        row: dict[str, Any] = {
            "weeks": len(rs),
            "targets": sum(r.targets for r in rs),
            "picks": sum(r.picks for r in rs),
            "candidates_mean": round(sum(r.candidates for r in rs) / len(rs)),
        }
        for m in methods:
            row[m] = {f"recall@{k}": round(sum(r.recall[m][k] for r in rs) / len(rs), 4) for k in KS}
            row[m]["ndcg@50"] = round(sum(r.ndcg50[m] for r in rs) / len(rs), 4)
        out[name] = row
    return out


def run(
    pools: Path,
    picks_file: Path,
    *,
    first_week: str | None = None,
    last_week: str | None = None,
    window_days: int = 14,
    methods: Sequence[str] = METHODS,
    progress: Callable[[WeekResult], None] | None = None,
) -> dict[str, Any]:
    """Load, replay, summarise: what `papernews bench rank` prints (as JSON with `--json`)."""
    picks = read_picks(picks_file)
    first = week_end(first_week) - timedelta(days=400) if first_week else None
    last = week_end(last_week) if last_week else None
    t0 = time.perf_counter()
    corpus = Corpus.load(pools, first, last)
    load_s = time.perf_counter() - t0
    results = walk_forward(
        corpus, picks, window_days=window_days, first_week=first_week, last_week=last_week, methods=methods,
        progress=progress,
    )  # fmt: skip
    return {
        "window_days": window_days,
        "papers": len(corpus.papers),
        "load_seconds": round(load_s, 1),
        "methods": list(methods),
        "summary": summarize(results, methods) if results else {},
        "weeks": [
            {
                "week": r.week, "candidates": r.candidates, "targets": r.targets, "picks": r.picks,
                "train_pos": r.train_pos, "train_neg": r.train_neg, "recall": r.recall, "ndcg@50": r.ndcg50,
                "seconds": {m: round(s, 3) for m, s in r.seconds.items()},
            }
            for r in results
        ],
    }
