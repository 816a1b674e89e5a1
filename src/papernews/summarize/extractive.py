"""An offline draft without any model: sentences picked from the abstract or the page, as written.

For a paper, the sentence that states the problem, the one that says what is proposed, and the
one that reports the result, in that order (the house style's problem → method → result); for a
launch or news item, what was released, a key feature, and why it matters. Sentences are found
by the phrases abstracts and announcements use for each role (`we propose`, `outperforms`,
`however`, `출시`, …) and are kept whole and in the source's language: this is a starting point
for the curator, marked `extractive` in the summary's provenance, not a summary in house style.
`EXTRACTIVE_VERSION` plays the role of the prompt version in that provenance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from papernews.model import Bullet, Kind
from papernews.summarize.sentences import split_sentences
from papernews.summarize.source import SourceText

EXTRACTIVE_VERSION = "extractive-1"
MAX_SENTENCES_READ = 40  # of a page: its opening says what it is about
MIN_CHARS = 25  # shorter "sentences" are headings, captions or list labels


def _cues(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words), re.I)


PROBLEM = _cues(
    r"\bhowever\b", r"\bchalleng", r"\blimit", r"\bstruggl", r"\bsuffer", r"\bremains?\b", r"\black",
    r"\bproblem", r"\bissue", r"\bdifficult", r"\bcostly\b", r"\bexpensive\b", r"\bbottleneck",
    r"\bdespite\b", r"\balthough\b", r"\bunclear\b", r"\bfail", r"\bprohibitive", r"\bless feasible",
    r"\bunderexplored\b", r"\bgap\b", r"문제", r"한계", r"어려", r"부족",
)  # fmt: skip
# "we propose" says it outright; "our framework" only hints: the outright phrases weigh three
METHOD_STRONG = _cues(
    r"\bwe (?:propose|introduce|present|develop|design|build|release)", r"\b(?:this|our) (?:paper|work) "
    r"(?:propose|introduce|present)s?", r"\b(?:is|are) (?:a|an) (?:new|novel|simple)\b", r"제안", r"소개",
)  # fmt: skip
METHOD = _cues(
    r"\bwe (?:train|study|investigate|explore)", r"\b(?:this|our) (?:paper|work|study)\b",
    r"\b(?:our|novel|new) (?:framework|method|approach|model|benchmark|dataset|algorithm)", r"\bcalled\b",
    r"\bnamed\b", r"개발",
)  # fmt: skip
RESULT = _cues(
    r"\boutperform", r"\bachiev", r"\bimprov", r"\bsurpass", r"\bstate-of-the-art\b", r"\bsota\b",
    r"\bresults? (?:show|demonstrate|indicate)", r"\bexperiments? (?:show|demonstrate)", r"\bdemonstrat",
    r"\breduc", r"\bspeed", r"\bfaster\b", r"\bcompetitive\b", r"\bon par\b", r"\bmatch", r"\d+(?:\.\d+)?\s?%",
    r"\d+(?:\.\d+)?\s?[x×]\b", r"달성", r"향상", r"성능", r"개선",
)  # fmt: skip
RELEASE = _cues(
    r"\blaunch", r"\brelease", r"\bintroduc", r"\bannounc", r"\bunveil", r"\bnow available\b",
    r"\bavailable (?:today|now)\b", r"\bopen[- ]sourc", r"\bpublish", r"\bdebut", r"공개", r"출시", r"발표", r"선보",
)  # fmt: skip
FEATURE = _cues(
    r"\bsupport", r"\bfeatur", r"\binclud", r"\ballow", r"\benabl", r"\blets? (?:you|users|developers)\b",
    r"\bcan\b", r"\bup to\b", r"\bcontext window\b", r"\bparameters?\b", r"\d", r"지원", r"기능", r"가능",
)  # fmt: skip
WHY = _cues(
    r"\bfirst\b", r"\bimportant\b", r"\bbecause\b", r"\bcheaper\b", r"\bcost", r"\bfaster\b", r"\bbetter\b",
    r"\bcompet", r"\bmarket\b", r"\bbillion\b", r"\bmillion\b", r"\bhelps?\b", r"\bmeans\b", r"\bindustry\b",
    r"최초", r"의미", r"시장", r"경쟁",
)  # fmt: skip


def _score(sentence: str, cues: re.Pattern[str]) -> int:
    score = len(cues.findall(sentence))
    if cues is METHOD:
        score += 3 * len(METHOD_STRONG.findall(sentence))
    return score


def _best(sentences: Sequence[str], cues: re.Pattern[str], candidates: range, taken: set[int]) -> int | None:
    """The index of the sentence with most cues among `candidates` (the earliest on a tie)."""
    best, best_score = None, 0
    for i in candidates:
        if i in taken:
            continue
        score = _score(sentences[i], cues)
        if score > best_score:
            best, best_score = i, score
    return best


def pick_sentences(sentences: Sequence[str], kind: Kind | None) -> list[int]:
    """Indices of the sentences for the draft's (up to) three roles, in role order."""
    if not sentences:
        return []
    n = len(sentences)
    taken: set[int] = set()
    first_role, second_role, third_role = (
        (METHOD, PROBLEM, RESULT) if kind == Kind.PAPER or kind is None else (RELEASE, FEATURE, WHY)
    )
    # the anchor: what is proposed (a paper) or released (a launch), else the opening sentence
    anchor = _best(sentences, first_role, range(n), taken)
    anchor = 0 if anchor is None else anchor
    taken.add(anchor)
    if kind == Kind.PAPER or kind is None:
        # the problem comes before the proposal; without a cue, the sentence just before it
        before = _best(sentences, PROBLEM, range(anchor), taken)
        if before is None and anchor > 0:
            before = anchor - 1
        after = _best(sentences, RESULT, range(anchor + 1, n), taken)
        picked = [i for i in (before, anchor, after) if i is not None]
    else:
        feature = _best(sentences, second_role, range(anchor + 1, n), taken)
        if feature is not None:
            taken.add(feature)
        why = _best(sentences, third_role, range(anchor + 1, n), taken)
        picked = [i for i in (anchor, feature, why) if i is not None]
    return picked


def source_sentences(source: SourceText, kind: Kind | None) -> list[str]:
    """The sentences to pick from: a paper's abstract; a page's description and opening text."""
    if kind == Kind.PAPER and source.abstract:
        texts = [source.abstract]
    else:
        texts = [s.text for s in source.sections if s.kind in ("abstract", "main", "introduction")]
        if not texts:
            texts = [s.text for s in source.sections[:2]]
    sentences = [s for text in texts for s in split_sentences(text) if len(s) >= MIN_CHARS]
    return list(dict.fromkeys(sentences))[:MAX_SENTENCES_READ]


def extractive_draft(source: SourceText, kind: Kind | None) -> list[Bullet]:
    """The draft's bullets: one sentence each, whole, in the source's language."""
    sentences = source_sentences(source, kind)
    return [Bullet(text=sentences[i]) for i in pick_sentences(sentences, kind)]
