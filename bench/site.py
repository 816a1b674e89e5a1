"""Benchmarks of the static site (`make bench`): build time, output size, home page, search index, memory.

Each build runs `papernews build` in a child process on a fresh archive; its memory is the peak
of the summed resident memory of it and its own children (charts, export, Pagefind).
Writes a `<!-- bench:site -->` section into docs/benchmarks.md.
Targets (issue 3): 850 items in ≤ 2 s; 100,000 items in ≤ 60 s; home page ≤ 150 KB; memory ≤ 1 GB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import generate
from run import data_args, machine, write_section

PAPERNEWS = str(Path(sys.executable).with_name("papernews"))


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants now (Linux /proc), in KB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def _run_sampled(cmd: list[str]) -> tuple[float, int]:
    """Run `cmd`; its wall time and the peak of its whole process tree's summed RSS (KB), sampled
    every 50 ms: the build's children run at the same time, so their peaks add up."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{cmd} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, peak


def measure(source: Path, label: str, tmp: Path) -> dict[str, object]:
    db = tmp / f"{label}.db"
    out = tmp / f"{label}-site"
    subprocess.run([PAPERNEWS, "--db", str(db), "import", str(source)], check=True, capture_output=True)
    seconds, peak_kb = _run_sampled(
        [PAPERNEWS, "--db", str(db), "build", "--out", str(out), "--base-url", "https://example.org/"]
    )
    t0 = time.perf_counter()
    subprocess.run(
        [PAPERNEWS, "--db", str(db), "build", "--out", str(out), "--base-url", "https://example.org/"],
        check=True,
        capture_output=True,
    )
    rebuild = time.perf_counter() - t0
    # one item edited (its title): the pages that show it, its search shard, README.md and items.json
    from papernews.store import Store

    with Store(db) as store:
        item = store.all_items()[-1] if label.startswith("generated") else store.all_items()[0]
        store.save_item(item.model_copy(update={"title": item.title + " (edited)"}))
    t0 = time.perf_counter()
    edited = subprocess.run(
        [PAPERNEWS, "--db", str(db), "build", "--out", str(out), "--base-url", "https://example.org/", "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    edit_s = time.perf_counter() - t0
    written = json.loads(edited.stdout)["written"]
    home = (out / "index.html").read_bytes()
    return {
        "label": label,
        "seconds": seconds,
        "rebuild_unchanged_s": rebuild,
        "edit_s": edit_s,
        "edit_written": written,
        "files": sum(1 for p in out.rglob("*") if p.is_file()),
        "site_mb": _size(out) / 1e6,
        "pagefind_mb": _size(out / "pagefind") / 1e6 if (out / "pagefind").exists() else 0.0,
        "home_kb": len(home) / 1e3,
        "home_gzip_kb": len(gzip.compress(home, 9)) / 1e3,
        "peak_mb": peak_kb / 1024,
    }


# Measured part by part on 2026-11-29 (this machine, quiet; CPU seconds are user + system) and
# kept here so the section says why the targets it misses are missed.
WHERE_THE_TIME_GOES = [
    "Where the time goes (each part measured alone on a quiet machine, CPU seconds = user + system):",
    "",
    "- 850 items: Python start-up and imports 0.5 s; pages 0.5 s; Pagefind 0.75 s (0.5 s in its",
    "  process); the charts 1.2-1.5 s in their own process (importing matplotlib 0.6 s, drawing",
    "  0.6 s). The charts are the critical path: the home page waits for them, so a fresh build",
    "  took 2.9-3.4 s of wall time on a quiet machine (2.3 s inside the process); `--no-charts`",
    "  builds in ~1.9 s, and a rebuild with unchanged counts reuses the charts (the rebuild column).",
    "- 100,000 items: Pagefind ~65 s in its two processes plus ~30 s in ours (sending 100,000",
    "  records, writing 100,000 fragment files); pages 29 s (was 51 s before pages were joined",
    "  as bytes); README.md + items.json 12 s in a child (was 27 s); charts 2 s. About 135 s of",
    "  CPU for two cores: even perfectly overlapped that is ~68 s, and creating ~310,000 files",
    "  and directories costs system time that this VM's disk makes vary 2x from run to run.",
    "  The 60 s target needs a search index that is not one Pagefind record (and one fragment",
    "  file) per item. Memory: the build (~420 MB), two Pagefind processes (~225 MB each) and",
    "  the export child (~480 MB) overlap in the first half of the build.",
    "",
]


def to_markdown(rows: list[dict[str, object]], when: str, where: str) -> str:
    lines = [
        "<!-- bench:site -->",
        "## Static site: `papernews build`",
        "",
        f"Measured {when} on {where}. Run with `make bench` (`bench/site.py`): each build is a fresh",
        "`papernews build` process (with the Pagefind index) on a fresh archive; the rebuild runs it again",
        "with nothing changed, then after one item's title was edited. Peak memory is the largest sum of the",
        "resident memory of the build and all its children at one moment (sampled every 50 ms): the build",
        "runs up to five processes at once (itself, the charts, the export, two Pagefind indexers).",
        "",
        "| archive | build | rebuild, no change | one item edited (files written) | files | site | search index |"
        " home page (gzip) | peak memory |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['seconds']:.1f} s | {r['rebuild_unchanged_s']:.1f} s |"
            f" {r['edit_s']:.1f} s ({r['edit_written']:,}) | {r['files']:,} |"
            f" {r['site_mb']:.1f} MB | {r['pagefind_mb']:.1f} MB | {r['home_kb']:.0f} KB ({r['home_gzip_kb']:.0f} KB) |"
            f" {r['peak_mb']:.0f} MB |"
        )
    lines += [
        "",
        "Targets: 850 items ≤ 2 s, 100,000 items ≤ 60 s, home page ≤ 150 KB, memory ≤ 1 GB.",
        "",
        *WHERE_THE_TIME_GOES,
        "<!-- /bench:site -->",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_args(ap)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        rows.append(measure(args.seed, "seed README (619 items)", tmp))
        if args.items_json.exists():
            rows.append(measure(args.items_json, "items-2024.json (850 items)", tmp))
        if args.big:
            big = tmp / "big.md"
            big.write_text(generate(args.seed.read_text(encoding="utf-8"), args.big), encoding="utf-8")
            rows.append(measure(big, f"generated ({args.big:,} items)", tmp))
    section = to_markdown(rows, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), machine())
    print(section)
    if args.write:
        write_section(args.write, section, "site")


if __name__ == "__main__":
    main()
