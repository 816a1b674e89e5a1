"""What `papernews lint` finds on the seed, with the hand check of every finding: writes docs/lint-seed.md.

The findings are computed; the verdicts are not: `REVIEW` below holds, per rule, what a
person concluded after reading each flagged line of the seed (`real` or `not a problem`, and
why). A finding the review does not cover is written as `UNREVIEWED` and the script exits 1,
so a change of the rules that flags something new cannot slip into the document unread.

Also measured: lint of the seed in this process (Kiwi loaded cold), and `papernews lint` on
the seed as a command (median of three runs, Python start-up included).

    .venv/bin/python bench/lint_seed.py --write docs/lint-seed.md
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from papernews.formats.markdown import parse
from papernews.lint import RULES, Finding, lint_text
from papernews.lint.endings import _CANDIDATE_RE, analyzer, plain_text
from papernews.model import walk_bullets
from run import SEED, machine

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Verdict:
    real: bool
    note: str


# rule → (verdict for every finding of the rule, {line: verdict for that line}).
REVIEW: dict[str, tuple[Verdict | None, dict[int, Verdict]]] = {
    "plain-ending": (
        None,
        {
            15: Verdict(True, "mid-bullet: `…만들 수 있다.` then a note (`…테스트 중인 기능.`)"),
            21: Verdict(True, "mid-bullet: `…늘릴(extrapolate) 수 있다. (약 2.5배).`"),
            23: Verdict(True, "mid-bullet: `…유도할 수 있다. Decoding process를 조정함`"),
            40: Verdict(True, "bullet-final `…만들 수 있다.` (one of the house style's 8)"),
            109: Verdict(True, "mid-bullet: `…포함하고 있다.`"),
            384: Verdict(True, "mid-bullet: `…mutable(변경될수도) 있다.`"),
            484: Verdict(True, "bullet-final `…없다고 한다.` (one of the 8)"),
            924: Verdict(True, "bullet-final `…이어지지 않는다.` (one of the 8)"),
            925: Verdict(True, "bullet-final `…끌어올릴 수 있다.` (one of the 8)"),
            1268: Verdict(True, "two sentences: `…좋다.` and `…쓰고 있다.` (one of the 8)"),
            1427: Verdict(True, "bullet-final `…아이러니하다.` (one of the 8)"),
            1755: Verdict(True, "bullet-final `…존재한다` without a full stop (one of the 8)"),
            1926: Verdict(True, "mid-bullet: `…사고율이 낮았다.`"),
            2003: Verdict(True, "bullet-final `…어렵게 만든다.` (one of the 8)"),
        },
    ),
    "bullet-count": (
        Verdict(True, "an item posted without any summary (eight in February, two in March)"),
        {
            995: Verdict(True, "6 summary bullets (Meta FAIR release)"),
            1039: Verdict(True, "6 summary bullets"),
            1950: Verdict(True, "6 summary bullets"),
        },
    ),
    "indent": (Verdict(True, "the stray 2-space indent the house style mentions"), {}),
    "kind-emoji": (
        None,
        {
            110: Verdict(True, "decorative 🧞 between org and title (Genie): not one of the three kinds; harmless"),
            116: Verdict(True, "decorative 🐳 before the title (Orca-Math); harmless"),
            183: Verdict(True, "decorative 🦁 before the title (WildBench); harmless"),
            810: Verdict(True, "no kind emoji at all (a paper)"),
            847: Verdict(True, "two kind emojis `🧑🏻💻📜` on one item (a blog post with its paper)"),
        },
    ),
    "no-link": (
        Verdict(True, "title written without a link, and no link to the item anywhere"),
        {
            1433: Verdict(True, "title without a link; the technical report's link is in the first bullet"),
            1969: Verdict(True, "title without a link; the bullets link the model and the code, not the report"),
        },
    ),
    "empty-title": (Verdict(True, "a bare GitHub URL as the whole item (LLM101n)"), {}),
    "arxiv-link": (Verdict(True, "a versioned, PDF or www. arXiv address; the abs page is the house style"), {}),
    "tracking-param": (
        Verdict(True, "newsletter or share tracking (utm_*, _bhlid, mkt_tok, ref_src/ref_url, ref, original_referer)"),
        {
            292: Verdict(True, "GitHub's `?tab=readme-ov-file`: UI state, the same page without it"),
            587: Verdict(True, "GitHub's `?tab=readme-ov-file`"),
            956: Verdict(True, "GitHub's `?tab=readme-ov-file`"),
            1191: Verdict(True, "GitHub's `?tab=readme-ov-file`"),
            1313: Verdict(True, "GitHub's `?tab=readme-ov-file`"),
            1596: Verdict(True, "GitHub's `?tab=readme-ov-file` (the `#gradio-demo` anchor is kept)"),
        },
    ),
    "duplicate": (
        None,
        {
            340: Verdict(True, "the same arXiv paper as line 309, this time with `v1`"),
            697: Verdict(True, "the Gemini 1.5 report again, as a PDF on Google's storage (line 206 is arXiv)"),
            1574: Verdict(True, "Dream Machine 1.5 links the product page line 918 already links: not its own page"),
        },
    ),
    "org-spelling": (Verdict(True, "a typo the alias table records"), {}),
}


def verdict(f: Finding) -> Verdict | None:
    default, by_line = REVIEW.get(f.rule, (None, {}))
    return by_line.get(f.line or 0, default)


def measure(seed: Path, text: str) -> dict[str, float]:
    """In-process timings (cold Kiwi) and the command's wall time."""
    doc = parse(text)
    bullets = [b.text for it in doc.items for _, b in walk_bullets(it.bullets)]
    sent = sum(bool(_CANDIDATE_RE.search(plain_text(b))) for b in bullets)
    t0 = time.perf_counter()
    analyzer().tokenize("모델을 공개했다.", compatible_jamo=True)  # load and first analysis
    kiwi_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    lint_text(text, str(seed))
    warm_s = time.perf_counter() - t0
    cli = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([str(ROOT / ".venv" / "bin" / "papernews"), "lint", str(seed)], capture_output=True, check=False)
        cli.append(time.perf_counter() - t0)
    return {
        "bullets": len(bullets),
        "sent": sent,
        "kiwi_s": kiwi_s,
        "warm_s": warm_s,
        "cli_s": statistics.median(cli),
    }


def markdown(findings: list[Finding], seed: Path, figures: dict[str, float]) -> tuple[str, int]:
    counts = Counter(f.rule for f in findings)
    severities = {f.rule: f.severity for f in findings}
    unreviewed = 0
    out = [
        "# What `papernews lint` finds on the seed",
        "",
        f"Generated by `bench/lint_seed.py` from `{seed.name}` ({datetime.now(UTC):%Y-%m-%d}); every finding was",
        "read on its line of the seed and judged by hand (the verdicts live in the script's `REVIEW`).",
        "`tests/test_lint.py` asserts the counts below.",
        "",
        "## Counts",
        "",
        "| rule | severity | findings | real problems |",
        "|---|---|---:|---:|",
    ]
    for rule in RULES:
        found = [f for f in findings if f.rule == rule]
        real = sum(bool(v and v.real) for v in map(verdict, found))
        sev = ", ".join(sorted({f.severity for f in found})) or "-"
        out.append(f"| `{rule}` | {sev} | {counts[rule]} | {real} |")
    errors = sum(f.severity == "error" for f in findings)
    out += [
        f"| **total** | | **{len(findings)}** ({errors} errors) | |",
        "",
        "No false positive: every finding is a real departure from the house style (the three",
        "decorative emojis are harmless, but they are what `kind-emoji` is for). No polite ending",
        f"occurs in the seed's {figures['bullets']:,} bullets, as the house style says.",
        "",
        "## Timing",
        "",
        f"- `papernews lint` on the seed, as a command: **{figures['cli_s']:.2f} s** (median of 3 runs,",
        "  Python start-up and Kiwi's model load included).",
        f"- In one process: loading Kiwi with its first analysis {figures['kiwi_s']:.2f} s, then the whole lint",
        f"  {figures['warm_s']:.2f} s.",
        f"- Of the {figures['bullets']:,} bullets, {figures['sent']} have a sentence that may end politely or plainly",
        "  (on `다 요 까 죠 오` before a non-Hangul character) and go to Kiwi; the others cannot carry such an ending.",
        f"- Machine: {machine()}.",
        "",
        "## Reconciling with the house style's counts",
        "",
        "- Plain endings: the house style counts 8 bullets *ending* in `…다.`; lint judges every sentence of",
        "  a bullet and finds 14 bullets: those 8 and 6 where a plain sentence is followed by another one",
        "  (`…할 수 있다. Decoding process를 조정함`). One finding per bullet; line 1268 has two such sentences.",
        "- Polite endings: none, so no error from the ending rules.",
        "",
        "## Left alone on purpose",
        "",
        "- `org-spelling` flags only misspellings. The alias table also maps 43 org names of the seed (26",
        "  spellings) that are variants the curator chose (`Stanford University`, `Toronto`, `Mistral`, `DeepSeek AI`,",
        "  `AnthropicAI`, `University of Washington`, …): the archive merges them anyway, and which one a",
        "  curator writes is not a mistake.",
        "- `duplicate` follows `add`'s identity rules but stays quiet about three pairs they would match:",
        "  the `llm.c` repository (line 395) and a discussion inside it (767), two pages of one site under one",
        "  title (`Claude can now use tools`, the beta at 370 and the GA post at 799), and items of different",
        "  kinds under one title (`WildBench` as a Hugging Face space at 183 and as a paper at 888).",
        "- Not checked by any rule: a stray `s` after a link (line 1040), bullets whose `- ` was lost so",
        "  they continue the bullet above (line 713 `→ …`, lines 1362-1364 `1) … 2) … 3) …`).",
        "",
        "## Findings",
    ]
    for rule in RULES:
        found = [f for f in findings if f.rule == rule]
        if not found:
            continue
        out += ["", f"### `{rule}` ({len(found)}, {severities[rule]})", "", "| line | finding | real? | hand check |"]
        out.append("|---:|---|---|---|")
        for f in found:
            v = verdict(f)
            if v is None:
                unreviewed += 1
            real = "UNREVIEWED" if v is None else ("yes" if v.real else "**no**")
            message = f.message.replace("|", "\\|")
            out.append(f"| {f.line} | {f.severity}: {message} | {real} | {v.note if v else ''} |")
    return "\n".join(out) + "\n", unreviewed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=Path, default=SEED)
    ap.add_argument("--write", type=Path, help="write the Markdown here (docs/lint-seed.md)")
    args = ap.parse_args()
    text = args.seed.read_text(encoding="utf-8")
    figures = measure(args.seed, text)
    findings = lint_text(text, args.seed.name)
    doc, unreviewed = markdown(findings, args.seed, figures)
    if args.write:
        args.write.write_text(doc, encoding="utf-8")
    else:
        sys.stdout.write(doc)
    if unreviewed:
        sys.exit(f"{unreviewed} findings are not reviewed: read them and add them to REVIEW")


if __name__ == "__main__":
    main()
