"""Search latency in a real browser (`make bench`): Pagefind's own code in Debian's Chromium.

Builds the site of an archive, serves it, and in the search page loads Pagefind's JS API
with every shard merged (as the page's UI does), then times queries: the first (which
fetches the index entry and word chunks) and the later ones (issue 3's target: results in
under 100 ms after the first query). The search page is Pagefind's own UI: it shows five
results a page and fills each in as its data (one fragment file) arrives. So a query is timed
to its first result shown (`search()` plus that result's data) and to the whole first page
(`search()` plus the data of five results); the data of ten results is timed for context.
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
from typing import Any

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
    const first = r.results.length ? r.results[0].data() : Promise.resolve();
    const five = Promise.all(r.results.slice(0, 5).map((x) => x.data()));
    const ten = Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    await first;
    const t1 = performance.now();
    await five;
    const t5 = performance.now();
    await ten;
    return [t1 - t0, t5 - t0, performance.now() - t0, r.results.length];
  };
  const first = await timed(queries[0]);
  const later = [];
  for (const q of queries.slice(1)) later.push(await timed(q));
  for (const q of queries) later.push(await timed(q));  // again: chunks now cached
  return { first, later };
}
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """A static server as a real host serves a site: persistent HTTP/1.1 connections and
    TCP_NODELAY. The standard handler speaks HTTP/1.0, one connection per request (3 ms each
    here); keeping it alive without TCP_NODELAY stalls each response 40 ms on delayed ACKs."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:
        pass


def measure(source: Path, label: str, tmp: Path) -> dict[str, Any]:
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
    def stats(col: int) -> dict[str, float]:
        times = sorted(row[col] for row in got["later"])
        return {"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))], "max": times[-1]}

    return {
        "label": label,
        "shards": 1 + len(merge),
        "first_ms": got["first"][1],
        "first_result": stats(0),
        "page": stats(1),
        "ten": stats(2),
        "hits": {q: row[3] for q, row in zip(QUERIES, got["later"][len(QUERIES) - 1 :], strict=False)},
    }


def to_markdown(rows: list[dict[str, Any]], when: str, where: str) -> str:
    lines = [
        "<!-- bench:search-ui -->",
        "## Search in the browser",
        "",
        f"Measured {when} on {where}, Debian's Chromium {_chromium()} headless, site served from localhost",
        "over persistent HTTP/1.1 connections (as a real static host serves it).",
        "Run with `make bench` (`bench/search_ui.py`), all shards merged; queries: "
        f"{', '.join(QUERIES)}, each run twice after the first query. The search page is Pagefind's",
        "UI, which shows five results and fills each in as its data arrives: *first result* is",
        "`search()` plus the first result's data, *five results* the whole first page, *ten* for context.",
        "",
        "| archive | shards | first query (five results) | later: first result p50 / p95 "
        "| later: five results p50 / p95 / max | later: ten results p95 |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        f, p, t = r["first_result"], r["page"], r["ten"]
        lines.append(
            f"| {r['label']} | {r['shards']} | {r['first_ms']:.0f} ms | {f['p50']:.0f} / {f['p95']:.0f} ms |"
            f" {p['p50']:.0f} / {p['p95']:.0f} / {p['max']:.0f} ms | {t['p95']:.0f} ms |"
        )
    lines += [
        "",
        "Target: results in under 100 ms after the first query (the five results of the first page).",
        "<!-- /bench:search-ui -->",
    ]
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
