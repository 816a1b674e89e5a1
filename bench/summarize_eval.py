"""Quality of `papernews summarize` drafts on the real seed (`make bench`): the share of the seed's
papers whose draft passes lint.

Source text. The seed's items keep no abstract (a README has no place for one), and a draft
must not be made from the item's own bullets. The recorded arXiv listings in
../shared/data/arxiv-pools hold the abstract of most seed papers as it was listed: that is
the source, read at run time.

Offline: the extractive draft (`draft_extractive`) of every seed paper with a recorded abstract,
linted with `lint_bullets`. With a chat endpoint (`--llm N`, and `PAPERNEWS_LLM_BASE_URL` /
`PAPERNEWS_LLM_MODEL` / a key set as for `papernews summarize`), the whole loop on the first N of
them: the seed's most similar other papers as examples, the draft linted and corrected at most
twice; the share that passes at the first answer and after the corrections. Without an endpoint
the section says which servers were looked for.

Writes `<!-- bench:summarize -->` into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from papernews.formats.markdown import parse
from papernews.identity import ids_of
from papernews.lint import lint_bullets
from papernews.model import Item, ItemMeta, Kind
from papernews.rank.pools import read_abstracts
from papernews.summarize import LlmError, LlmSettings, draft_extractive, draft_with_model, stored_source
from papernews.summarize.fewshot import choose_examples
from papernews.summarize.llm import ChatModel
from run import data_args, machine, write_section

POOLS = Path("../shared/data/arxiv-pools/pools")
SERVERS = ("ollama", "llama-server", "llama-cli", "vllm", "lms", "llamafile")


def seed_papers(seed: list[Item], pools: Path) -> tuple[list[Item], dict[str, int]]:
    """The seed's papers with a recorded abstract (in `meta.abstract`), and the counts on the way."""
    papers = [it for it in seed if it.kind == Kind.PAPER]
    arxiv = {it.id: ids_of(it.url).get("arxiv") for it in papers if it.url}
    abstracts = read_abstracts(pools, {a for a in arxiv.values() if a})
    with_text = [
        it.model_copy(update={"meta": ItemMeta(abstract=abstracts[a])})
        for it in papers
        if (a := arxiv.get(it.id)) and a in abstracts
    ]
    counts = {"papers": len(papers), "arxiv": sum(1 for a in arxiv.values() if a), "abstract": len(with_text)}
    return with_text, counts


def extractive(items: list[Item]) -> dict[str, Any]:
    clean = no_findings = 0
    sizes: Counter[int] = Counter()
    rules: Counter[str] = Counter()
    t0 = time.perf_counter()
    for item in items:
        source = stored_source(item)
        assert source is not None
        draft = draft_extractive(item, source, lint=lint_bullets)
        clean += draft.clean
        no_findings += not draft.findings
        sizes[len(draft.bullets)] += 1
        rules.update(f"{f.severity} {f.rule}" for f in draft.findings)
    return {
        "n": len(items),
        "clean": clean,
        "no_findings": no_findings,
        "sizes": dict(sorted(sizes.items())),
        "rules": dict(rules.most_common()),
        "seconds": time.perf_counter() - t0,
    }


def curator(items: list[Item]) -> dict[str, int]:
    """The same lint on the curator's own bullets of those papers: what a person's text scores."""
    errors = sum(any(f.severity == "error" for f in lint_bullets(it.bullets, kind=it.kind)) for it in items)
    return {"n": len(items), "clean": len(items) - errors}


def with_llm(items: list[Item], seed: list[Item], n: int, settings: LlmSettings) -> dict[str, Any]:
    chat = ChatModel(settings)
    first = final = failed = 0
    attempts: Counter[int] = Counter()
    t0 = time.perf_counter()
    try:
        for item in items[:n]:
            source = stored_source(item)
            assert source is not None
            examples = choose_examples(
                seed, kind=item.kind, title=item.title, text=source.text, k=settings.examples, exclude=[item.id]
            )
            try:
                draft = draft_with_model(
                    item, source, chat=chat, lint=lint_bullets, examples=[e.item for e in examples]
                )
            except LlmError:
                failed += 1
                continue
            first += not any(f.severity == "error" for f in draft.attempts[0].findings)
            final += draft.clean
            attempts[len(draft.attempts)] += 1
    finally:
        chat.close()
    done = min(n, len(items))
    return {
        "n": done,
        "first": first,
        "final": final,
        "failed": failed,
        "attempts": dict(sorted(attempts.items())),
        "model": chat.model,
        "host": settings.endpoint_host,
        "structured": chat.structured,
        "seconds": time.perf_counter() - t0,
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f} % ({a}/{b})" if b else "-"


def to_markdown(
    counts: dict[str, int], ext: dict[str, Any], own: dict[str, int], llm: dict[str, Any] | None, when: str, where: str
) -> str:
    sizes = ", ".join(f"{k} bullet{'s' if k != 1 else ''}: {v}" for k, v in ext["sizes"].items())
    rules = ", ".join(f"{k} ×{v}" for k, v in ext["rules"].items()) or "none"
    lines = [
        "<!-- bench:summarize -->",
        "## `papernews summarize`: drafts that pass lint",
        "",
        f"Measured {when} on {where}. Run with `make bench` (`bench/summarize_eval.py`). The seed has "
        f"{counts['papers']} papers, {counts['arxiv']} of them on arXiv; the recorded arXiv listings "
        f"(`../shared/data/arxiv-pools`) hold the abstract of {counts['abstract']}: those are the source text "
        "(the seed keeps no abstract, and a draft may not be made from the curator's own bullets).",
        "",
        "| draft | passes lint (no error) | no finding at all |",
        "|---|---|---|",
        f"| offline extractive (`extractive-1`) | {_pct(ext['clean'], ext['n'])}"
        f" | {_pct(ext['no_findings'], ext['n'])} |",
    ]
    if llm is not None:
        lines.append(f"| LLM `{llm['model']}` at {llm['host']}, first answer | {_pct(llm['first'], llm['n'])} | |")
        lines.append(f"| LLM, after at most two corrections | {_pct(llm['final'], llm['n'])} | |")
    lines += [
        f"| the curator's own bullets of the same papers (for scale) | {_pct(own['clean'], own['n'])} | |",
        "",
        f"Extractive drafts: {sizes}; findings: {rules}; {1000 * ext['seconds'] / ext['n']:.1f} ms a draft,"
        " lint included.",
        "What the figure means: the extractive draft is whole English sentences of the abstract (problem, "
        "method, result), and lint's bullet rules judge Korean endings, so it passes by construction: the "
        "figure checks that the offline draft never produces what lint forbids, not that it is in the house "
        "style. It is a starting point for the curator (marked `extractive` in its provenance), not a summary.",
        "",
    ]
    if llm is None:
        looked = ", ".join(f"`{s}`" for s in SERVERS)
        lines.append(
            "**With an LLM: not measured.** None can run on the benchmark machine: no model server is installed "
            f"(looked for {looked} on PATH), no `PAPERNEWS_LLM_BASE_URL` or API key is set, the machine reaches no "
            "network but the package registries, and no model weights are installed. With an endpoint, "
            "`PAPERNEWS_LLM_BASE_URL=http://localhost:11434/v1 PAPERNEWS_LLM_MODEL=qwen2.5:7b python "
            "bench/summarize_eval.py --llm 50 --write docs/benchmarks.md` adds the two LLM rows. The loop itself "
            "(structured output, plain-text fallback, findings sent back, nothing written on failure) is tested "
            "against a local OpenAI-compatible server in `tests/test_summarize_llm.py`."
        )
    else:
        lines.append(
            f"LLM: {llm['n']} papers, {llm['failed']} endpoint failures, answers per paper {llm['attempts']}, "
            f"structured output {'kept' if llm['structured'] else 'refused: plain text'}, "
            f"{llm['seconds'] / max(llm['n'], 1):.1f} s a paper."
        )
    lines += ["<!-- /bench:summarize -->", ""]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_args(ap, items_json=False, big=False)
    ap.add_argument("--pools", type=Path, default=POOLS, help="the recorded arXiv listings (pools/*.jsonl.gz)")
    ap.add_argument("--llm", type=int, default=0, help="also draft the first N papers with the configured endpoint")
    ap.add_argument("--json", action="store_true", help="also print the raw figures as JSON")
    args = ap.parse_args()
    if not args.pools.is_dir():
        sys.exit(f"recorded arXiv listings not found: {args.pools} (pass --pools)")
    seed = parse(args.seed.read_text(encoding="utf-8")).items
    items, counts = seed_papers(seed, args.pools)
    ext = extractive(items)
    own = curator([it for it in items if it.bullets])
    settings = LlmSettings.from_env()
    llm = None
    if args.llm and settings.configured:
        llm = with_llm(items, seed, args.llm, settings)
    elif args.llm:
        print("no endpoint configured (PAPERNEWS_LLM_BASE_URL or a key): LLM rows skipped", file=sys.stderr)
    found = [s for s in SERVERS if shutil.which(s)]
    if found and llm is None:
        print(f"model servers on PATH: {', '.join(found)}; start one and pass --llm N", file=sys.stderr)
    section = to_markdown(counts, ext, own, llm, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), machine())
    print(section)
    if args.json:
        print(json.dumps({"counts": counts, "extractive": ext, "curator": own, "llm": llm}, indent=2))
    if args.write:
        write_section(args.write, section, "summarize")


if __name__ == "__main__":
    main()
