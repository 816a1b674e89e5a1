"""A model of the curator's taste: which candidates they would pick, and why.

`TasteModel.fit(positives, negatives)` (a classmethod) learns from picks and from what was passed
over; `score(candidates)` ranks new ones, best first, each with its reasons in plain words: the
most similar past picks and the prior that moved the score most. `from_store(store)` learns from
the archive (every item is a pick) and from the inbox's rejected candidates when that table exists.

The model is a class-weighted logistic regression over
- TF-IDF of hashed title+abstract words and title character n-grams (`features.Encoder`),
- the similarity to the nearest past picks (the nearest one, mean of the 3 and of the 10 nearest),
- priors learned with smoothing: authors, orgs, primary and any arXiv category (`features.Prior`),
- the size of the author list (labs' reports have long ones: a fifth of the picks have 8 or more
  authors, against one in thirteen listed papers),
- source signals: Hugging Face upvotes (log), whether an abstract is known.
Training rows see their own kNN similarity and priors leave-one-out, so the regression learns how
much an *unseen* paper's resemblance is worth. When the day of ranking is given, the logit gets
one more term: how likely a candidate's age is among the curator's past picks (`AgePrior`).
Sentence-transformers embeddings are not used: no model is available offline here
(`embeddings_available()` says whether one could be).

Retraining on one new decision (`add`) takes under a second: text is hashed, not fitted, so the
raw counts of every training row are kept and only the new row is encoded; IDF stays, the priors
(vectorised) and the regression are refitted on the cached matrix (liblinear on ~10⁴ sparse rows).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from papernews.rank.features import AgePrior, Encoder, Prior, Weigher

if TYPE_CHECKING:
    from papernews.store import Store

C = 3.0  # inverse L2 strength; 1, 3, 10 and 30 were tried on the benchmark (docs/benchmarks.md)
TOL = 3e-2  # liblinear's stopping tolerance: scores at 1e-3 correlate 0.9999999 with these, at 1.8x the time
KNN = 3  # the similarity feature: mean cosine of the KNN nearest past picks
KNN_WIDE = 10  # and of the KNN_WIDE nearest: a paper near a whole theme of picks, not one pick
REASON_SIM = 0.08  # a past pick is named as similar from this cosine on
REASON_PRIOR = 0.05  # a prior is named when it moved the score by at least this much
DENSE = (
    "knn", "author prior", "org prior", "primary category prior", "upvotes", "has abstract",
    "log authors", "no authors", "nearest pick", "knn wide", "any category prior",
)  # fmt: skip
N_DENSE = len(DENSE)


@dataclass(frozen=True)
class Candidate:
    """Something the curator may pick: a paper, a blog post, a news story."""

    id: str
    title: str
    abstract: str
    authors: list[str]
    categories: list[str]
    published: str | None
    source: str
    upvotes: int | None
    org: str | None


@dataclass(frozen=True)
class Scored:
    """A candidate's score (higher is better; a logit) and why, in plain words."""

    candidate_id: str
    score: float
    reasons: list[str]


def embeddings_available() -> bool:
    """True when sentence-transformers is installed (a local model would still be needed); not used yet."""
    import importlib.util

    return importlib.util.find_spec("sentence_transformers") is not None


def org_keys(c: Candidate) -> list[str]:
    """The orgs of a candidate (`Google DeepMind & Research` → two), as the archive splits them."""
    if not c.org:
        return []
    from papernews.model import split_orgs

    return split_orgs(c.org)


def _week_of(c: Candidate) -> str | None:
    from papernews.model import day_of, week_of

    day = day_of(c.published)
    return week_of(day).key if day else None


class TasteModel:
    """Build with `TasteModel.fit(...)` or `TasteModel.from_store(store)`; then `score`, `add`."""

    def __init__(
        self,
        positives: Sequence[Candidate],
        negatives: Sequence[Candidate],
        counts: Any,
        labels: Mapping[str, str],
        encoder: Encoder,
        c: float,
    ) -> None:
        self.positives, self.negatives = list(positives), list(negatives)
        self.counts, self.labels, self.encoder, self.c = counts, dict(labels), encoder, c
        self._train()

    @classmethod
    def fit(
        cls,
        positives: Sequence[Candidate],
        negatives: Sequence[Candidate],
        *,
        labels: Mapping[str, str] | None = None,
        counts: Any = None,
        encoder: Encoder | None = None,
        c: float = C,
    ) -> TasteModel:
        """Learn from picks and passed-over candidates.

        `labels` maps a pick's id to the week shown in reasons (else its published date's week);
        `counts` are the rows' hashed counts (`Encoder.counts` of positives then negatives) when the
        caller has them cached. With no negatives the model ranks by similarity and priors alone.
        """
        encoder = encoder or Encoder()
        if counts is None:
            counts = encoder.counts([*positives, *negatives])
        return cls(positives, negatives, counts, labels or {}, encoder, c)

    def add(self, candidate: Candidate, picked: bool) -> TasteModel:
        """A new model with one more decision, in under a second (0.63 s on 6,000 rows: docs/benchmarks.md).

        Only the new candidate is encoded; the IDF weights stay those of the last full `fit` (a
        single row hardly moves them), the cached TF-IDF rows and similarities get one row (and,
        for a pick, one column), and the priors and the regression are refitted.
        """
        import copy

        import numpy as np
        import scipy.sparse as sp

        row = self.encoder.counts([candidate])
        xr = self.weigher.transform(row)
        n_pos = len(self.positives)
        new = copy.copy(self)
        if picked:
            new.positives = [*self.positives, candidate]
            new.counts = sp.vstack([self.counts[:n_pos], row, self.counts[n_pos:]], format="csr")
            new.x = sp.vstack([self.x[:n_pos], xr, self.x[n_pos:]], format="csr")
            new.x_pos = new.x[: n_pos + 1]
            simrow = np.asarray((xr @ self.x_pos.T).todense(), dtype=np.float32)
            col = np.asarray((new.x @ xr.T).todense(), dtype=np.float32)
            col[n_pos] = -1.0  # leave-one-out: the pick is not its own neighbour
            new.sims = np.hstack([np.insert(self.sims, n_pos, simrow[0], axis=0), col])
        else:
            new.negatives = [*self.negatives, candidate]
            new.counts = sp.vstack([self.counts, row], format="csr")
            new.x = sp.vstack([self.x, xr], format="csr")
            simrow = np.asarray((xr @ self.x_pos.T).todense(), dtype=np.float32)
            new.sims = np.vstack([self.sims, simrow])
        new._fit_clf()
        return new

    @classmethod
    def from_store(cls, store: Store) -> TasteModel:
        """Learn from the archive: its items are picks; rejected inbox candidates (when the table exists) are not."""
        from papernews.rank.archive import archive_training

        positives, negatives, labels = archive_training(store)
        return cls.fit(positives, negatives, labels=labels)

    # -- training ---------------------------------------------------------------------------

    def _train(self) -> None:
        """The full fit: IDF, TF-IDF rows, similarities to the picks, then priors and regression."""
        import numpy as np

        n_pos = len(self.positives)
        self.weigher = Weigher(self.counts)
        self.x = self.weigher.transform(self.counts)
        self.x_pos = self.x[:n_pos]
        self.sims = np.asarray((self.x @ self.x_pos.T).todense(), dtype=np.float32)
        self.sims[np.arange(n_pos), np.arange(n_pos)] = -1.0  # leave-one-out: a pick is not its own neighbour
        self._fit_clf()

    def _fit_clf(self) -> None:
        """Priors and the regression, from the cached TF-IDF rows and similarities.

        Also the whole of a one-decision retrain (`add`), so it is kept fast: the priors are
        vectorised, and dual liblinear fits 10^4 rows of 10^6 hashed features in about half a
        second. A warm start was tried and dropped: liblinear cannot start from previous weights,
        and L-BFGS or Newton-CG from them either stop at once (one row hardly moves the gradient
        past their tolerance, leaving the new decision unlearnt) or take seconds at a tighter one.
        """
        import numpy as np

        n_pos = len(self.positives)
        self.authors = Prior.learn("저자", (p.authors for p in self.positives), (n.authors for n in self.negatives))
        self.orgs = Prior.learn("기관", map(org_keys, self.positives), map(org_keys, self.negatives))
        cats = (p.categories[:1] for p in self.positives), (n.categories[:1] for n in self.negatives)
        self.cats = Prior.learn("분야", *cats)
        every = (p.categories for p in self.positives), (n.categories for n in self.negatives)
        self.all_cats = Prior.learn("분야", *every)
        self.age = AgePrior.learn(self._pick_ages())
        self.weights: Any = None  # the regression's weight of every column (hashed words, n-grams, DENSE)
        self.bias = 0.0
        if n_pos == 0 or not self.negatives:
            return
        from sklearn.linear_model import LogisticRegression

        own = [1] * n_pos + [-1] * len(self.negatives)
        dense = self._dense([*self.positives, *self.negatives], self.sims, own)
        y = np.array([1] * n_pos + [0] * len(self.negatives))
        x = _stack(self.x, dense)
        # liblinear's time grows with the number of columns, used or not: fitted on the third of the
        # 1.3·10^6 hashed columns that the training rows use, it takes 0.45 s instead of 1.1 s; the
        # other columns' weights are zero, as the L2 penalty would make them anyway
        used = np.flatnonzero(np.bincount(x.indices, minlength=x.shape[1]))  # np.unique took 0.4 s here
        clf = LogisticRegression(C=self.c, class_weight="balanced", solver="liblinear", dual=True, tol=TOL)
        clf.fit(x[:, used], y)
        self.weights = np.zeros(x.shape[1], dtype=np.float64)
        self.weights[used] = clf.coef_[0]
        self.bias = float(clf.intercept_[0])

    def _pick_ages(self) -> list[int]:
        """Days from each pick's listing to the end of the week it was posted in (both known)."""
        from papernews.model import Week, day_of, week_end

        ages = []
        for p in self.positives:
            listed, key = day_of(p.published), self.labels.get(p.id)
            if listed and key:
                try:
                    ages.append((week_end(Week.parse_key(key)) - listed).days)
                except ValueError:
                    continue
        return ages

    def _dense(self, cands: Sequence[Candidate], sims: Any, own: Sequence[int]) -> Any:
        """The non-text features of each row (columns named in `DENSE`), vectorised: a retrain
        computes them for every training row."""
        import numpy as np

        out = np.zeros((len(cands), N_DENSE), dtype=np.float32)
        if sims.shape[1]:
            k = min(KNN_WIDE, sims.shape[1])
            near = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]  # the k nearest picks, unordered
            near = -np.sort(-near, axis=1)  # then nearest first: sorting all 10^3 columns cost a tenth of a retrain
            out[:, 0] = near[:, :KNN].mean(axis=1)
            out[:, 8] = near[:, 0]
            out[:, 9] = near.mean(axis=1)
        out[:, 1] = self.authors.best_many([c.authors for c in cands], own)
        out[:, 2] = self.orgs.best_many([org_keys(c) for c in cands], own)
        out[:, 3] = self.cats.best_many([c.categories[:1] for c in cands], own)
        out[:, 10] = self.all_cats.best_many([c.categories for c in cands], own)
        n_authors = np.array([len(c.authors) for c in cands], dtype=np.float32)
        out[:, 6] = np.log1p(n_authors) / 2
        out[:, 7] = n_authors == 0
        out[:, 4] = [math.log1p(c.upvotes) / 5 if c.upvotes else 0.0 for c in cands]
        out[:, 5] = [1.0 if c.abstract.strip() else 0.0 for c in cands]
        return out

    # -- scoring ----------------------------------------------------------------------------

    def score(
        self, candidates: Sequence[Candidate], *, counts: Any = None, reasons: bool = True, today: date | None = None
    ) -> list[Scored]:
        """Rank candidates, best first. `counts`: their cached `Encoder.counts`; `reasons=False` skips
        the words; `today`: the day of ranking, from which a candidate's age counts (`AgePrior`)."""
        import numpy as np

        from papernews.model import day_of

        if not candidates:
            return []
        counts = self.encoder.counts(candidates) if counts is None else counts
        x = self.weigher.transform(counts)
        if self.x_pos.shape[0]:
            sims = np.asarray((x @ self.x_pos.T).todense(), dtype=np.float32)
        else:
            sims = np.zeros((len(candidates), 0), dtype=np.float32)
        dense = self._dense(candidates, sims, [0] * len(candidates))
        if self.weights is not None:
            scores = _stack(x, dense) @ self.weights + self.bias
            coef = self.weights[-N_DENSE:]
        else:  # no negatives yet: similarity plus priors, unweighted
            coef = np.zeros(N_DENSE, dtype=np.float32)
            coef[:5] = [4.0, 1.0, 1.0, 1.0, 1.0]  # similarity, author/org/category priors, upvotes
            scores = dense @ coef
        ages: list[int | None] = [None] * len(candidates)
        if today is not None:
            for i, c in enumerate(candidates):
                listed = day_of(c.published)
                if listed:
                    age = ages[i] = (today - listed).days
                    scores[i] += self.age.value(age)
        order = np.argsort(-scores, kind="stable")
        out: list[Scored] = []
        for i in order:
            c = candidates[i]
            why = self._reasons(c, sims[i], dense[i], coef, ages[i]) if reasons else []
            out.append(Scored(c.id, float(scores[i]), why))
        return out

    def _reasons(self, c: Candidate, sims: Any, dense: Any, coef: Any, age: int | None) -> list[str]:
        import numpy as np

        why: list[str] = []
        for j in np.argsort(-sims)[:2]:
            if sims[j] < REASON_SIM:
                break
            past = self.positives[j]
            week = self.labels.get(past.id) or _week_of(past) or "?"
            why.append(f"비슷한 과거 항목: {past.title} ({week}, 유사도 {sims[j]:.2f})")
        moves = []
        rows = (
            (1, self.authors, c.authors), (2, self.orgs, org_keys(c)), (3, self.cats, c.categories[:1]),
            (10, self.all_cats, c.categories),
        )  # fmt: skip
        for col, prior, keys in rows:
            key = prior.best(keys)[1]
            if key is not None:
                moves.append((float(coef[col] * dense[col]), prior.name, key))
        if age is not None:
            moves.append((self.age.value(age), "게시 시점", f"{age}일 전 목록"))
        if moves:
            move, name, key = max(moves, key=lambda m: abs(m[0]))
            if abs(move) >= REASON_PRIOR:
                why.append(f"{name} prior: {key} {move:+.1f}")
        if c.upvotes:
            why.append(f"HF upvotes {c.upvotes}")
        return why


def _stack(x: Any, dense: Any) -> Any:
    import scipy.sparse as sp

    return sp.hstack([x, sp.csr_matrix(dense)], format="csr")
