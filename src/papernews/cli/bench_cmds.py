"""bench: benchmarks that ship with the package (`papernews bench rank`)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from papernews.cli.app import app
from papernews.cli.output import err, out, print_json

bench_app = typer.Typer(help="Benchmarks over real data (figures for docs/benchmarks.md).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("rank")
def rank(
    pools: Path = typer.Option(..., "--pools", help="Directory of pool days (YYYY-MM-DD.jsonl.gz).", exists=True),
    picks: Path = typer.Option(..., "--picks", help="The curator's picks (positives.jsonl).", exists=True),
    first: str = typer.Option(None, "--from", help="First week scored (YYYY-MM-Wnn)."),
    last: str = typer.Option(None, "--to", help="Last week scored (YYYY-MM-Wnn)."),
    window: int = typer.Option(14, "--window-days", help="Candidates: papers listed in the N days ending the week."),
    as_json: bool = typer.Option(False, "--json", help="Print per method and k the recall figures as JSON."),
) -> None:
    """Walk-forward ranking benchmark: the taste model against random, newest-first and an SVM.

    For each week in order the models learn only from earlier weeks, then rank the papers listed in
    the window ending with that week; recall@10/20/50/100 and nDCG@50 of the week's picks are
    averaged over weeks, per half-year and overall.
    """
    from papernews.rank.evaluate import run  # scikit-learn: only when asked

    def progress(r: object) -> None:
        if not as_json:
            err.print(f"{getattr(r, 'week', '')} …", highlight=False)

    result = run(pools, picks, first_week=first, last_week=last, window_days=window, progress=progress)
    if as_json:
        print_json(result)
        return
    table = Table(pad_edge=False)
    for name in ("period", "weeks", "method", "R@10", "R@20", "R@50", "R@100", "nDCG@50"):
        table.add_column(name)
    for period, row in result["summary"].items():
        for m in result["methods"]:
            r = row[m]
            table.add_row(
                period, str(row["weeks"]), m,
                *(f"{r[f'recall@{k}']:.3f}" for k in (10, 20, 50, 100)), f"{r['ndcg@50']:.3f}",
            )  # fmt: skip
    out.print(table)
