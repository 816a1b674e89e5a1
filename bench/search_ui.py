"""Search latency in a real browser (`make bench`): Pagefind's own code in Debian's Chromium.

Builds the site of an archive, serves it, and in the search page loads Pagefind's JS API
with every shard merged (as the page's UI does), then times queries: the first (which
fetches the index entry and word chunks) and the later ones (issue 3's target: results in
under 100 ms after the first query). A query's time is `search()` plus loading the data of
its first ten results, which is what the UI waits for before it shows them.
Writes a `<!-- bench:search-ui -->` section into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import generate
from run import data_args, machine, write_section

PAPERNEWS = str(Path(sys.executable).with_name("papernews"))
QUERIES = ["LoRA", "추론", "에이전트", "benchmark", "Google", "멀티모달", "RAG", "강화학습", "diffusion", "요약"]

_JS = """
async ([root, merge, queries]) => {
  const pf = await import(root + "pagefind/pagefind.js");
  await pf.options({ baseUrl: root });
  for (const dir of merge) await pf.mergeIndex(root + dir, { baseUrl: root });
  const timed = async (q) => {
    const t0 = performance.now();
    const r = await pf.search(q);
    await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return [performance.now() - t0, r.results.length];
  };
  const first = await timed(queries[0]);
  const later = [];
  for (const q of queries.slice(1)) later.push(await timed(q));
  for (const q of queries) later.push(await timed(q));  // again: chunks now cached
  return { first, later };
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def measure(source: Path, label: str, tmp: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    db, site = tmp / f"{label}.db", tmp / "site"
    subprocess.run([PAPERNEWS, "--db", str(db), "import", str(source)], check=True, capture_output=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp)))
    base = f"http://127.0.0.1:{server.server_address[1]}/site/"
    subprocess.run(
        [PAPERNEWS, "--db", str(db), "build", "--out", str(site), "--base-url", base, "--no-charts"],
        check=True,
        capture_output=True,
    )
    merge = sorted(p.name + "/" for p in site.glob("pagefind-*") if p.is_dir())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.goto(base + "search/")
            got = page.evaluate(_JS, ["/site/", merge, QUERIES])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    later = [t for t, _ in got["later"]]
    return {
        "label": label,
        "shards": 1 + len(merge),
        "first_ms": got["first"][0],
        "p50_ms": statistics.median(later),
        "p95_ms": sorted(later)[int(0.95 * (len(later) - 1))],
        "max_ms": max(later),
        "hits": {q: n for q, (_, n) in zip(QUERIES, got["later"][len(QUERIES) - 1 :], strict=False)},
    }


def to_markdown(rows: list[dict[str, object]], when: str, where: str) -> str:
    lines = [
        "<!-- bench:search-ui -->",
        "## Search in the browser",
        "",
        f"Measured {when} on {where}, Debian's Chromium {_chromium()} headless, site served from localhost.",
        "Run with `make bench` (`bench/search_ui.py`). A query's time is Pagefind's `search()` plus the",
        f"data of its first ten results, all shards merged; queries: {', '.join(QUERIES)}, each run twice",
        "after the first query.",
        "",
        "| archive | shards | first query | later queries p50 | p95 | max |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['label']} | {r['shards']} | {r['first_ms']:.0f} ms | {r['p50_ms']:.0f} ms |"
            f" {r['p95_ms']:.0f} ms | {r['max_ms']:.0f} ms |"
        )
    lines += ["", "Target: results in under 100 ms after the first query.", "<!-- /bench:search-ui -->"]
    return "\n".join(lines) + "\n"


def _chromium() -> str:
    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout
        return out.split()[1] if out else "?"
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_args(ap)
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as t:
        rows.append(measure(args.items_json, "items-2024.json (850 items)", Path(t)))
    if args.big:
        with tempfile.TemporaryDirectory() as t:
            big = Path(t) / "big.md"
            big.write_text(generate(args.seed.read_text(encoding="utf-8"), args.big), encoding="utf-8")
            rows.append(measure(big, f"generated ({args.big:,} items)", Path(t)))
    section = to_markdown(rows, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), machine())
    print(section)
    for r in rows:
        print(r["label"], r["hits"])
    if args.write:
        write_section(args.write, section, "search-ui")


if __name__ == "__main__":
    main()
