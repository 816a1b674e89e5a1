"""build: the archive as a static website with README.md and items.json beside it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from papernews.cli.app import app, settings
from papernews.cli.output import err, out, print_json
from papernews.cli.params import month_option
from papernews.publish.build import build as build_site
from papernews.publish.ghpages import write_workflow
from papernews.publish.inline import safe_url
from papernews.publish.site import Site


@app.command()
def build(
    ctx: typer.Context,
    out_dir: Path = typer.Option(Path("site"), "--out", "-o", help="Output folder (created if missing)."),
    base_url: str = typer.Option(
        "http://localhost:8000/", "--base-url", help="Where the site will be served, for canonical links and feeds."
    ),
    title: str = typer.Option(Site.title, "--title", help="Site title."),
    search: bool = typer.Option(True, "--search/--no-search", help="Build the Pagefind search index."),
    charts: bool = typer.Option(True, "--charts/--no-charts", help="Draw the home page charts (matplotlib)."),
    since: str = typer.Option(
        None, "--since", help="Publish only items from this month on (YYYY-MM); README.md and items.json stay whole."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the build report as JSON."),
) -> None:
    """Write the static site: home (latest weeks), a page per week, month, item, org and kind,
    bookmarks, 404, plus README.md and items.json exactly as `export` writes them.

    The same archive gives the same bytes, and only files whose bytes changed are rewritten;
    pages that no longer exist are removed (files you added to the folder are kept).
    The search index is rebuilt only for the shards (5,000 items each) whose items changed.
    """
    if not safe_url(base_url):
        raise typer.BadParameter(f"{base_url!r} is not an http(s) URL", param_hint="--base-url")
    site = Site(base_url=base_url if base_url.endswith("/") else base_url + "/", title=title)
    with (
        settings(ctx).store() as store,
        Progress(
            TextColumn("building"),
            BarColumn(),
            TextColumn("{task.completed} files"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
            disable=as_json or not err.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("build", total=None)
        report = build_site(
            store,
            out_dir,
            site,
            search=search,
            charts=charts,
            since=month_option(since),
            progress=lambda n: bar.update(task, completed=n),
        )
    if as_json:
        print_json(
            {
                "out": str(report.out),
                "items": report.items,
                "files": report.files,
                "written": len(report.write.written),
                "unchanged": report.write.unchanged,
                "removed": len(report.write.removed),
                "bytes": report.write.total_bytes,
                "home_bytes": report.home_bytes,
                "seconds": round(report.seconds, 3),
                "search": None
                if report.search is None
                else {"shards": report.search.shards, "rebuilt": report.search.rebuilt},
                "timings": {k: round(v, 3) for k, v in report.timings.items()},
            }
        )
        return
    out.print(
        f"built {report.items} items into {report.out}/: {report.files} files, {len(report.write.written)} written,"
        f" {report.write.unchanged} unchanged, {len(report.write.removed)} removed"
        f" ({report.write.total_bytes / 1e6:.1f} MB, home page {report.home_bytes / 1e3:.0f} KB)"
        f" in {report.seconds:.1f} s"
    )
    out.print(f"open it: python3 -m http.server 8000 --directory {report.out}  →  http://localhost:8000/")


@app.command()
def init(
    github_pages: bool = typer.Option(False, "--github-pages", help="Write the GitHub Pages workflow."),
    repo: Path = typer.Option(Path("."), "--repo", help="The digest's repository folder."),
    source: str = typer.Option("items.json", "--source", help="The file the workflow builds from (in the repo)."),
    branch: str = typer.Option("main", "--branch", help="The branch whose pushes rebuild the site."),
    package: str = typer.Option(
        "papernews", "--package", help="What the workflow pip-installs (a version, or a git URL of papernews)."
    ),
    title: str = typer.Option(Site.title, "--title", help="Site title."),
    force: bool = typer.Option(False, "--force", help="Replace an existing workflow."),
) -> None:
    """Set up publishing for a digest repository.

    With --github-pages, writes .github/workflows/papernews-pages.yml: on every push to the
    branch it imports items.json, builds the site with the Pages URL as base and deploys it.
    Then set Settings → Pages → Source to "GitHub Actions".
    """
    if not github_pages:
        raise typer.BadParameter("say what to set up: --github-pages", param_hint="--github-pages")
    path = write_workflow(repo, force=force, source=source, branch=branch, package=package, title=title)
    out.print(f"wrote {path}; commit it, then choose Settings → Pages → Source: GitHub Actions")
