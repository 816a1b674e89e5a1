"""Benchmarks of the archive core (`make bench`): parse+render, import, search latency.

Writes its figures, with the machine and the date, into docs/benchmarks.md between
`<!-- bench:core -->` markers, so other sections of that file stay as they are.
Targets (issue 2): seed parse+render ≤ 30 ms; 100,000-item import ≤ 30 s; search p95 ≤ 10 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import generate
from papernews.formats.markdown import parse, render
from papernews.store import Store
from papernews.store.search import RANK_WINDOW

QUERIES = [
    "추론",
    "LoRA",
    "Google DeepMind",
    "에이전트",
    "reasoning",
    "벤치마크",
    "RAG",
    "멀티모달",
    "Meta",
    "fine-tuning",
    "성능",
    "OpenAI",
    "long context",
    "데이터셋",
    "Mixture-of-Experts",
    "프롬프트",
    "hallucination",
    "코드 생성",
    "Anthropic Claude",
    "강화학습",
    "토큰",
    "diffusion",
    "오픈소스 모델",
    "quantization",
    "KV cache",
    "평가",
    "Llama",
    "논문",
    "retrieval",
    "Microsoft Research",
]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def instructions_per_run(seed: Path) -> float | None:
    """CPU instructions of one seed parse+render, counted by callgrind: unlike wall-clock time on
    a shared VM (which swings 2x here), the count is the same run after run. None without valgrind."""
    if not shutil.which("valgrind"):
        return None
    loop = Path(__file__).with_name("seed_loop.py")

    def count(n: int) -> int:
        proc = subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--callgrind-out-file=/dev/null",
                sys.executable,
                str(loop),
                str(seed),
                str(n),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        m = re.search(r"Collected : (\d+)", proc.stderr)
        assert m, proc.stderr[-500:]
        return int(m.group(1))

    return (count(6) - count(1)) / 5


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}"
    )


def bench(seed: Path, n_items: int, runs: int) -> dict[str, object]:
    seed_text = seed.read_text(encoding="utf-8")
    res: dict[str, object] = {}

    # 1. the seed, parse + render, in-process, warm
    parse(seed_text)
    t = timed(lambda: render(parse(seed_text)), runs)
    res["seed_parse_render_ms"] = {"min": min(t), "median": statistics.median(t), "p95": pct(t, 95)}
    res["seed_parse_render_instructions"] = instructions_per_run(seed)
    assert render(parse(seed_text)) == seed_text

    # 2. a generated document of n_items
    big = generate(seed_text, n_items)
    t0 = time.perf_counter()
    doc = parse(big)
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    out = render(doc)
    render_s = time.perf_counter() - t0
    assert out == big and len(doc.items) == n_items
    res["big"] = {"items": n_items, "bytes": len(big.encode()), "parse_s": parse_s, "render_s": render_s}

    # 3. import into a fresh SQLite file, then export back
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with Store(db) as store:
            gc.collect()
            t0 = time.perf_counter()
            store.import_document(doc)
            import_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            reimport = store.import_document(doc)
            reimport_s = time.perf_counter() - t0
            assert not reimport.changed
            t0 = time.perf_counter()
            exported = render(store.document())
            export_s = time.perf_counter() - t0
            assert exported == big
            res["import"] = {
                "import_s": import_s,
                "reimport_unchanged_s": reimport_s,
                "export_markdown_s": export_s,
                "db_mb": db.stat().st_size / 1e6
                + (Path(str(db) + "-wal").stat().st_size / 1e6 if Path(str(db) + "-wal").exists() else 0),
            }

            # 4. search latency: every query, several rounds, top 20 with filters off
            for q in QUERIES:  # warm the page cache once
                store.search(q)
            lat: list[float] = []
            hits: dict[str, int] = {}
            for _ in range(max(3, runs // 10)):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    found = store.search(q, limit=20)
                    lat.append((time.perf_counter() - t0) * 1000)
                    hits[q] = len(found)
            res["search_ms"] = {"queries": len(lat), "p50": pct(lat, 50), "p95": pct(lat, 95), "max": max(lat)}
            res["search_matches_sample"] = {q: store.search(q, limit=1).total for q in QUERIES[:8]}
            # the same queries ranked over every match (search --all), for comparison
            full: list[float] = []
            for q in QUERIES:
                t0 = time.perf_counter()
                store.search(q, limit=20, window=None)
                full.append((time.perf_counter() - t0) * 1000)
            res["search_all_ms"] = {"queries": len(full), "p50": pct(full, 50), "p95": pct(full, 95), "max": max(full)}
    return res


def to_markdown(res: dict[str, object], when: str, where: str) -> str:
    s = res["seed_parse_render_ms"]
    b = res["big"]
    i = res["import"]
    q = res["search_ms"]
    a = res["search_all_ms"]
    assert isinstance(a, dict)
    assert isinstance(s, dict) and isinstance(b, dict) and isinstance(i, dict) and isinstance(q, dict)
    ins = res.get("seed_parse_render_instructions")
    instructions_row = (
        [f"| the same, CPU instructions per run (callgrind; independent of machine load) | {ins / 1e6:.0f} M | |"]
        if isinstance(ins, float)
        else []
    )
    ok = lambda good: "met" if good else "**missed**"  # noqa: E731
    lines = [
        "<!-- bench:core -->",
        "## Archive core: parse, render, import, search",
        "",
        f"Measured {when} on {where}.",
        "Run with `make bench` (`bench/run.py`); the 100,000-item digest is generated at run time"
        " from the seed's items.",
        "",
        "| what | figure | target |",
        "|---|---|---|",
        f"| seed (619 items) parse + render, in-process | min {s['min']:.1f} ms, median {s['median']:.1f} ms,"
        f" p95 {s['p95']:.1f} ms | ≤ 30 ms: {ok(s['median'] <= 30)} |",
        *instructions_row,
        f"| {b['items']:,}-item document ({b['bytes'] / 1e6:.1f} MB) parse | {b['parse_s']:.2f} s | |",
        f"| {b['items']:,}-item document render | {b['render_s']:.2f} s | |",
        f"| import of it into a fresh SQLite file | {i['import_s']:.1f} s | ≤ 30 s: {ok(i['import_s'] <= 30)} |",
        f"| re-import of the same document (nothing changes) | {i['reimport_unchanged_s']:.1f} s | |",
        f"| export of the archive back to Markdown (byte-identical) | {i['export_markdown_s']:.1f} s | |",
        f"| database size | {i['db_mb']:.0f} MB | |",
        f"| search over it, {q['queries']} queries (top 20, BM25) | p50 {q['p50']:.1f} ms, p95 {q['p95']:.1f} ms,"
        f" max {q['max']:.1f} ms | p95 ≤ 10 ms: {ok(q['p95'] <= 10)} |",
        f"| the same, ranking every match (`search --all`) | p50 {a['p50']:.1f} ms, p95 {a['p95']:.1f} ms,"
        f" max {a['max']:.1f} ms | |",
        "",
        f"A query matching more than {RANK_WINDOW:,} items is ranked among its newest {RANK_WINDOW:,} matches"
        " (see docs/architecture.md); the second search line ranks them all. "
        "Matches of some queries over the generated archive: "
        + ", ".join(f"`{k}` {v:,}" for k, v in res["search_matches_sample"].items())  # type: ignore[union-attr]
        + ".",
        "<!-- /bench:core -->",
    ]
    return "\n".join(lines) + "\n"


def write_section(path: Path, section: str, name: str = "core") -> None:
    """Replace the `<!-- bench:NAME -->` section of `path` (or append it), leaving the rest."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->\n", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")



SEED = Path("../shared/seed/NLP-Paper-News-2024.md")
ITEMS_JSON = Path("../shared/data/items-2024.json")


def data_args(ap: argparse.ArgumentParser, *, items_json: bool = True, big: bool = True) -> None:
    """The options every benchmark shares: where the real data is, how big the generated
    archive is, and the Markdown file the figures go to."""
    ap.add_argument("--seed", type=Path, default=SEED)
    if items_json:
        ap.add_argument("--items-json", type=Path, default=ITEMS_JSON)
    if big:
        ap.add_argument("--big", type=int, default=100_000, help="size of the generated archive (0 to skip)")
    ap.add_argument("--write", type=Path, help="update this Markdown file (docs/benchmarks.md)")

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=Path, default=Path("../shared/seed/NLP-Paper-News-2024.md"))
    ap.add_argument("--items", type=int, default=100_000, help="size of the generated document")
    ap.add_argument("--runs", type=int, default=50, help="repetitions of the small measurements")
    ap.add_argument("--write", type=Path, help="update this Markdown file (docs/benchmarks.md)")
    ap.add_argument("--json", action="store_true", help="print the raw figures as JSON")
    args = ap.parse_args()
    if not args.seed.exists():
        sys.exit(f"seed not found: {args.seed} (pass --seed)")
    res = bench(args.seed, args.items, args.runs)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = to_markdown(res, when, machine())
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        print(section)
    if args.write:
        write_section(args.write, section)
        print(f"wrote {args.write}", file=sys.stderr)


if __name__ == "__main__":
    main()
