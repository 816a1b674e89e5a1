"""Load on the web app (`make bench`): concurrent readers of item pages and search.

Starts `papernews serve` (uvicorn, one process, as a curator runs it) on a free port of
127.0.0.1 over a file archive seeded from the digest, then runs N readers (default 50), each an
asyncio task with its own keep-alive connection (a browser; `Connection`, a bare HTTP/1.1
client, so that the load generator takes little of the CPU it shares with the server), asking
for a random item page (4 in 5) or a search (1 in 5: the server-rendered `/search/?q=` page),
for D seconds (default 30, `--seconds` to shorten) after a short warm-up. Two runs, and the
target (issue 7: p95 ≤ 50 ms, 0 errors) is judged on both:

- *readers*: after each answer a reader reads for a while (exponential, mean `--think`, 1 s)
  before the next click: 50 people browsing fast.
- *saturation*: no think time, every reader asks again the moment it is answered: 50 requests
  always in flight. Its latency is Little's law (50 / throughput).

Reports p50/p95/p99 latency and errors (anything but 200, or no answer) per kind of request,
and writes them into docs/benchmarks.md between `<!-- bench:web -->` markers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from papernews.formats.markdown import parse
from papernews.publish.paths import item_path
from papernews.store import Store
from run import QUERIES, data_args, machine, pct, write_section


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)  # the first few errors, to say what failed
    sent: int = 0  # every request, warm-up included
    client_cpu_ms: float = 0.0  # CPU time of this process (the readers) per request sent


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def papernews_command() -> list[str]:
    exe = Path(sys.executable).with_name("papernews")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("papernews")
    if found is None:
        sys.exit("the papernews command is not installed in this environment")
    return [found]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [*papernews_command(), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_until_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/v1/weeks", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not answer in time")


class Connection:
    """A bare HTTP/1.1 keep-alive client on asyncio streams: the load generator shares the two
    cores with the server it measures, and httpx spent 1.2 ms of CPU a request (as much as the
    server), so a saturated run measured mostly the client. A GET needs only this much of HTTP:
    a request line, Content-Length or chunked bodies, and reconnecting when the server closes."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> int:
        """The status of `GET path`, after reading the whole body."""
        reused = self.streams is not None
        try:
            rd, head = await self._send(path)
        except (asyncio.IncompleteReadError, ConnectionError) as e:
            if not reused or (isinstance(e, asyncio.IncompleteReadError) and e.partial):
                raise
            # the server closed an idle keep-alive connection (uvicorn: after 5 s) before this
            # request reached it: a browser opens a new one and asks again, and so does this
            await self.close()
            rd, head = await self._send(path)
        status = int(head[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await rd.readuntil(b"\r\n")).split(b";")[0], 16):
                await rd.readexactly(size + 2)
            await rd.readuntil(b"\r\n")
        else:
            await rd.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status

    async def _send(self, path: str) -> tuple[asyncio.StreamReader, list[str]]:
        """Write the request, read the status line and headers; the body is the caller's to read."""
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        rd, wr = self.streams
        wr.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUser-Agent: web-load\r\n\r\n".encode())
        await wr.drain()
        return rd, (await rd.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def reader(
    base: str, paths: list[str], rng: random.Random, until: float, record_from: float, think: float, tally: Tally
) -> None:
    host, _, port = base.removeprefix("http://").partition(":")
    conn = Connection(host, int(port))
    try:
        if think:
            await asyncio.sleep(rng.uniform(0, think))  # readers arrive spread out, not all at once
        while time.perf_counter() < until:
            await _one(conn, paths, rng, record_from, tally)
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))
    finally:
        await conn.close()


async def _one(conn: Connection, paths: list[str], rng: random.Random, record_from: float, tally: Tally) -> None:
    """One click: a random item page or a search; its latency counted after the warm-up."""
    kind = "search" if rng.random() < 0.2 else "item page"
    path = f"/search/?q={quote(rng.choice(QUERIES))}" if kind == "search" else rng.choice(paths)
    t0 = time.perf_counter()
    try:
        status = await conn.get(path)
        ok, what = status == 200, f"{status} {path}"
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
        await conn.close()
        ok, what = False, f"{type(e).__name__} {path}"
    elapsed = (time.perf_counter() - t0) * 1000
    tally.sent += 1
    if t0 < record_from:
        return  # warm-up: caches filled, connections opened
    tally.latencies[kind].append(elapsed)
    if not ok:
        tally.errors[kind] += 1
        if len(tally.samples) < 5:
            tally.samples.append(what)


async def load(
    base: str, paths: list[str], readers: int, seconds: float, warmup: float, think: float, seed: int
) -> Tally:
    """One connection per reader, as 50 browsers would have."""
    tally = Tally()
    record_from = time.perf_counter() + warmup
    until = record_from + seconds
    rngs = [random.Random(seed + n) for n in range(readers)]
    cpu = time.process_time()
    await asyncio.gather(*(reader(base, paths, rng, until, record_from, think, tally) for rng in rngs))
    tally.client_cpu_ms = (time.process_time() - cpu) * 1000 / max(1, tally.sent)
    return tally


RUNS = (("readers", True), ("saturation", False))


def measure(seed_path: Path, readers: int, seconds: float, warmup: float, think: float) -> dict[str, object]:
    runs: dict[str, dict[str, dict[str, float]]] = {}
    samples: list[str] = []
    with tempfile.TemporaryDirectory(prefix="papernews-web-load-") as tmp:
        db = Path(tmp) / "load.db"
        with Store(db) as store:
            store.import_document(parse(seed_path.read_text(encoding="utf-8")))
            ids = [it.id for it in store.all_items()]
        paths = ["/" + item_path(i).lstrip("/") for i in ids]  # site-relative paths, as a browser asks for them
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(db, port, Path(tmp) / "server.log")
        try:
            wait_until_up(base, proc)
            for name, paced in RUNS:
                tally = asyncio.run(load(base, paths, readers, seconds, warmup, think if paced else 0.0, seed=7))
                runs[name] = _rows(tally, seconds)
                runs[name]["all"]["client_cpu_ms"] = tally.client_cpu_ms
                samples.extend(tally.samples)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return {"items": len(ids), "readers": readers, "seconds": seconds, "think": think, "runs": runs, "samples": samples}


def _rows(tally: Tally, seconds: float) -> dict[str, dict[str, float]]:
    rows: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    for kind in ("item page", "search"):
        values = tally.latencies.get(kind, [])
        everything.extend(values)
        rows[kind] = _stats(values, tally.errors.get(kind, 0), seconds)
    rows["all"] = _stats(everything, sum(tally.errors.values()), seconds)
    return rows


def _stats(values: list[float], errors: int, seconds: float) -> dict[str, float]:
    if not values:
        return {"requests": 0, "errors": errors, "rps": 0.0, "p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    return {
        "requests": len(values),
        "errors": errors,
        "rps": len(values) / seconds,
        "p50": pct(values, 50),
        "p95": pct(values, 95),
        "p99": pct(values, 99),
        "max": max(values),
    }


def to_markdown(res: dict[str, Any], when: str, where: str) -> str:
    runs = res["runs"]
    lines = [
        "<!-- bench:web -->",
        "## Web app: concurrent readers",
        "",
        f"Measured {when} on {where}.",
        f"Run with `make bench` (`bench/web_load.py`): `papernews serve` (uvicorn, one process) over the seed"
        f" ({res['items']} items) in a file archive on 127.0.0.1; {res['readers']} readers, each an asyncio task"
        " with its own keep-alive HTTP/1.1 connection, in another process on the same two cores, ask for a random"
        " item page (4 in 5) or a server-side search `/search/?q=` (1 in 5), for"
        f" {res['seconds']:.0f} s after a warm-up. *readers*: each reads for a while after an answer"
        f" (exponential, mean {res['think']:g} s) before the next click. *saturation*: no pause, 50 requests"
        " always in flight.",
        "",
        "| run | requests | count | per second | p50 | p95 | p99 | max | errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, _ in RUNS:
        for kind in ("item page", "search", "all"):
            r = runs[name][kind]
            lines.append(
                f"| {name} | {kind} | {r['requests']:,} | {r['rps']:.0f} | {r['p50']:.1f} ms | {r['p95']:.1f} ms"
                f" | {r['p99']:.1f} ms | {r['max']:.0f} ms | {r['errors']} |"
            )
    paced, saturated = runs["readers"]["all"], runs["saturation"]["all"]

    def verdict(r: dict[str, float]) -> str:
        ok = r["p95"] <= 50 and r["errors"] == 0
        return f"{'met' if ok else '**missed**'} ({r['p95']:.1f} ms, {r['errors']} errors)"

    lines += [
        "",
        f"Target (issue 7): p95 ≤ 50 ms and 0 errors for 50 readers. Readers: {verdict(paced)}. Saturation:"
        f" {verdict(saturated)}, at {saturated['rps']:.0f} requests a second; latency there is the queue of"
        " 50 requests in flight (Little's law: 50 / throughput), on two cores that the load generator"
        f" ({saturated['client_cpu_ms']:.2f} ms of CPU a request) shares with the server. uvicorn uses"
        " httptools and uvloop (dependencies): with its pure-Python h11 parser and asyncio loop, and httpx"
        " clients as readers, saturation gave 533 requests a second at p95 128 ms.",
        "<!-- /bench:web -->",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    data_args(ap, items_json=False, big=False)
    ap.add_argument("--readers", type=int, default=50, help="concurrent readers")
    ap.add_argument("--seconds", type=float, default=30.0, help="how long each run measures (shorten for a quick look)")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of load before measuring")
    ap.add_argument("--think", type=float, default=1.0, help="mean seconds a reader reads before the next click")
    args = ap.parse_args()
    if not args.seed.exists():
        sys.exit(f"seed not found: {args.seed} (pass --seed)")
    res = measure(args.seed, args.readers, args.seconds, args.warmup, args.think)
    section = to_markdown(res, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), machine())
    print(section)
    if res["samples"]:
        print("first errors:", *res["samples"], sep="\n  ")
    if args.write:
        write_section(args.write, section, "web")


if __name__ == "__main__":
    main()
