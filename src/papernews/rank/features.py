"""Features of the taste model: hashed text counts, and priors learned with smoothing.

Text is hashed (scikit-learn's `HashingVectorizer`) rather than fitted to a vocabulary: hashing has
no state, so a paper is encoded once and its row reused in every later training set (the benchmark
caches a matrix per pool day; `TasteModel.add` encodes only the new decision), and no word of a
future paper can reach the model through a vocabulary. The IDF weights are what is fitted, on the
training rows only, which costs one pass over a sparse matrix.

Two blocks: words and word pairs of title + abstract (the abstract is often missing: the title is
then all there is), and character 3-5-grams of the title, which match the archive's mixed
Korean/English titles and word variants (`LLMs`/`LLM`, `RLHF`/`RLAIF`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from papernews.rank.taste import Candidate

WORD_FEATURES = 2**20
CHAR_FEATURES = 2**18
CHAR_WEIGHT = 0.5  # the title's character block counts half as much as the words
PRIOR_SHRINK = 5.0  # pseudo-count pulling every prior toward the base rate


def text_of(c: Candidate) -> str:
    return f"{c.title}\n{c.abstract}"


class Encoder:
    """Raw hashed counts of candidates: `[words of title+abstract | char n-grams of the title]`."""

    def __init__(self) -> None:
        from sklearn.feature_extraction.text import HashingVectorizer

        self.words = HashingVectorizer(
            n_features=WORD_FEATURES,
            ngram_range=(1, 2),
            alternate_sign=False,
            norm=None,
            strip_accents="unicode",
            stop_words="english",
            dtype=_float32(),
        )
        self.chars = HashingVectorizer(
            n_features=CHAR_FEATURES,
            analyzer="char_wb",
            ngram_range=(3, 5),
            alternate_sign=False,
            norm=None,
            dtype=_float32(),
        )

    def counts(self, cands: Sequence[Candidate]) -> Any:
        """A CSR matrix, one row per candidate, of hashed term counts."""
        import scipy.sparse as sp

        if not cands:  # the vectorisers cannot transform nothing: an archive without items has no picks
            return sp.csr_matrix((0, WORD_FEATURES + CHAR_FEATURES), dtype=_float32())
        words = self.words.transform([text_of(c) for c in cands])
        chars = self.chars.transform([c.title for c in cands])
        return sp.hstack([words, chars], format="csr")


def _float32() -> Any:
    import numpy as np

    return np.float32


class Weigher:
    """TF-IDF of hashed counts, IDF fitted on the training rows; each block L2-normalised."""

    def __init__(self, counts: Any) -> None:
        self.word_idf = _fit_tfidf(counts[:, :WORD_FEATURES])
        self.char_idf = _fit_tfidf(counts[:, WORD_FEATURES:])

    def transform(self, counts: Any) -> Any:
        import scipy.sparse as sp

        if not counts.shape[0]:  # sklearn refuses empty input; no rows weigh nothing
            return sp.csr_matrix(counts.shape, dtype=counts.dtype)
        words = self.word_idf.transform(counts[:, :WORD_FEATURES])
        chars = self.char_idf.transform(counts[:, WORD_FEATURES:]) * CHAR_WEIGHT
        x = sp.hstack([words, chars], format="csr")
        return _l2(x)


def _fit_tfidf(block: Any) -> Any:
    """IDF from the training rows; with none (an empty archive), term frequencies alone."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfTransformer

    if block.shape[0]:
        return TfidfTransformer(sublinear_tf=True).fit(block)
    return TfidfTransformer(sublinear_tf=True, use_idf=False).fit(sp.csr_matrix((1, block.shape[1])))


def _l2(x: Any) -> Any:
    from sklearn.preprocessing import normalize

    return normalize(x, norm="l2", copy=False)


@dataclass
class Prior:
    """Smoothed log-odds of being picked, per value (an author, an org, an arXiv category).

    `log((p + k·r) / (p + n + k)) − log(r)`, r the base rate, k = PRIOR_SHRINK: a value seen once
    in a pick moves little, one seen in ten picks and no rejection moves a lot. Training rows are
    scored leave-one-out (their own count taken away), or every author of a pick would look like a
    sure sign on the rows the model learns from.
    """

    name: str
    pos: Counter[str] = field(default_factory=Counter)
    neg: Counter[str] = field(default_factory=Counter)
    rate: float = 0.5

    @classmethod
    def learn(cls, name: str, pos_rows: Iterable[Iterable[str]], neg_rows: Iterable[Iterable[str]]) -> Prior:
        prior = cls(name)
        n_pos = n_neg = 0
        for row in pos_rows:
            prior.pos.update(set(row))
            n_pos += 1
        for row in neg_rows:
            prior.neg.update(set(row))
            n_neg += 1
        prior.rate = (n_pos + 1) / (n_pos + n_neg + 2)
        return prior

    def value(self, key: str, *, own: int = 0) -> float:
        """The log-odds of one value; `own` is +1/−1 for a training row's own pick/rejection (left out)."""
        p = self.pos[key] - (own > 0)
        n = self.neg[key] - (own < 0)
        if p + n <= 0:
            return 0.0
        r = self.rate
        return math.log((p + PRIOR_SHRINK * r) / (p + n + PRIOR_SHRINK)) - math.log(r)

    def best_many(self, rows: Sequence[Iterable[str]], own: Sequence[int]) -> Any:
        """`best(...)[0]` of every row at once (numpy), as fast as the regression needs it.

        Retraining runs this over every training row; one `best` call per row was a quarter of a
        second of the one-decision retrain. Same values as `best`, computed per (row, key) pair.
        """
        import numpy as np

        row_of: list[int] = []
        pos: list[int] = []
        neg: list[int] = []
        for i, keys in enumerate(rows):
            for key in set(keys):
                row_of.append(i)
                pos.append(self.pos[key])
                neg.append(self.neg[key])
        out = np.zeros(len(rows), dtype=np.float64)
        if not row_of:
            return out
        r_idx = np.asarray(row_of)
        o = np.asarray(own)[r_idx]
        p = np.asarray(pos, dtype=np.float64) - (o > 0)
        n = np.asarray(neg, dtype=np.float64) - (o < 0)
        seen = p + n > 0
        r, k = self.rate, PRIOR_SHRINK
        v = np.where(seen, np.log((p + k * r) / np.maximum(p + n + k, 1e-9)) - math.log(r), 0.0)
        # per row, the value of largest magnitude: sort pairs by (row, -|v|) and take each row's first
        order = np.lexsort((-np.abs(v), r_idx))
        first = np.ones(len(order), dtype=bool)
        first[1:] = r_idx[order][1:] != r_idx[order][:-1]
        out[r_idx[order][first]] = v[order][first]
        return out

    def best(self, keys: Iterable[str], *, own: int = 0) -> tuple[float, str | None]:
        """The value of the row's strongest key (by absolute log-odds), and that key."""
        best, which = 0.0, None
        for key in set(keys):
            v = self.value(key, own=own)
            if abs(v) > abs(best):
                best, which = v, key
        return best, which


AGE_DAYS = 28  # the curator posts most picks within four weeks of their listing (arxiv-pools README: ~94%)


@dataclass
class AgePrior:
    """How late the curator posts: log-likelihood ratio of a candidate's age (days since it was
    listed, on the day of ranking) among past picks against a uniform spread over `AGE_DAYS`.

    Learned from the picks whose week and listing day are known: a pick posted in week W and listed
    on day d was d days old at W's last day. About half the curator's picks are listed in the week
    they are posted and a third in the week before, so a two-day-old paper is likelier than a
    twelve-day-old one. Added to the regression's logit (a naive-Bayes term), not learned inside
    it: training rows have no "day of ranking" to measure their age from.
    """

    log_ratio: list[float] = field(default_factory=lambda: [0.0] * AGE_DAYS)
    picks: int = 0

    @classmethod
    def learn(cls, ages: Iterable[int]) -> AgePrior:
        counts = [1.0] * AGE_DAYS  # add-one smoothing: a day no pick fell on is unlikely, not impossible
        n = 0
        for age in ages:
            if 0 <= age < AGE_DAYS:  # older picks say nothing about which recent day is likelier
                counts[age] += 1
                n += 1
        total = sum(counts)
        return cls([math.log(c / total * AGE_DAYS) for c in counts], n)

    def value(self, age: int) -> float:
        """The log-ratio of an age in days. A paper listed 'tomorrow' (dates jitter) counts as new;
        one older than `AGE_DAYS` as likely as the least likely recent day."""
        if age >= AGE_DAYS:
            return min(self.log_ratio)
        return self.log_ratio[max(age, 0)]
