"""summarize: draft an item's summary bullets (a chat model, or offline sentences), checked by lint."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from papernews.cli.app import app, settings
from papernews.cli.output import err, out, print_json

if TYPE_CHECKING:  # imported when the command runs: the HTTP, identity and lint stacks
    from papernews.summarize import SummarizeResult

_FAILED = frozenset({"error", "lint-errors", "refused"})


def _result_json(r: SummarizeResult) -> dict[str, Any]:
    from papernews.summarize.render import draft_markdown, flat_bullets

    drafted = r.draft is not None and r.item is not None
    provenance = r.item.meta.summary_provenance if drafted and r.item is not None else None
    return {
        "input": r.input,
        "item_id": r.item.id if r.item is not None else None,
        "status": r.status,
        "bullets": flat_bullets(r.item) if drafted and r.item is not None else [],
        "markdown": draft_markdown(r.item) if drafted and r.item is not None else None,
        "provenance": provenance.model_dump(mode="json") if provenance is not None else None,
        "findings": [f.to_json() for f in r.draft.findings] if r.draft is not None else [],
        "attempts": len(r.draft.attempts) if r.draft is not None else 0,
        "error": r.error,
    }


def _findings_text(r: SummarizeResult) -> list[str]:
    if r.draft is None:
        return []
    return [
        f"  {f.severity} {f.rule}" + (f" (line {f.line})" if f.line is not None else "") + f": {f.message}"
        for f in r.draft.findings
    ]


def _print(r: SummarizeResult) -> None:
    from papernews.summarize.render import draft_markdown

    if r.status == "error" or r.item is None or r.draft is None:
        err.print(Text.assemble(("error ", "red"), f"{r.input}: {r.error}"), soft_wrap=True)
        return
    markdown = draft_markdown(r.item)
    tries = len(r.draft.attempts)
    if r.status == "lint-errors":
        err.print(
            Text.assemble(("lint errors ", "red"), f"{r.input}: still failing after {tries} tries; not written"),
            soft_wrap=True,
        )
        err.print(markdown, markup=False, highlight=False, end="", soft_wrap=True)
    else:
        out.print(markdown, markup=False, end="")
        verb = {"written": ("written ", "green"), "drafted": ("drafted ", "green"), "refused": ("not written ", "red")}
        why = r.error or ("" if r.status == "written" else "--write stores it")
        err.print(
            Text.assemble(verb[r.status], f"{r.item.id} {r.input}" + (f" ({why})" if why else "")), soft_wrap=True
        )
    for line in _findings_text(r):
        err.print(line, markup=False, highlight=False, soft_wrap=True)


# Paragraphs on one line each: rich help wraps them itself and keeps the line breaks given.
_HELP = (
    "Draft summary bullets in the house style for archived items (by id) or links.\n\n"
    "The source is arXiv's HTML full text when the paper has one (cut to the model's budget by sections), "
    "else its abstract, else the page's main text, fetched through the polite HTTP client and cached. "
    "With a chat endpoint configured (`--base-url`/`PAPERNEWS_LLM_BASE_URL`, or an API key: "
    "`PAPERNEWS_LLM_API_KEY`/`OPENAI_API_KEY`), the model is shown the house rules and the archive's most "
    "similar items of the same kind as examples; its draft goes through lint, and the findings are sent "
    "back for at most two more tries. Without an endpoint (or with `--offline`), an extractive draft: "
    "sentences of the abstract or page for problem, method and result, in the source's language, marked "
    "as such.\n\n"
    "Prints each draft as digest Markdown with its provenance (model, endpoint host, prompt version, "
    "source and its hash, date) in an HTML comment; status goes to stderr. `--write` stores lint-clean "
    "drafts with that provenance; a link the archive does not have is then added as `papernews add` "
    "would. A draft that still has lint errors is shown with them and never written; bullets a person "
    "wrote are replaced only with `--force`.\n\n"
    "Exit code 0 when every input was drafted (and written, with `--write`), 1 when any failed, kept lint "
    "errors, or was not written, 2 when the archive cannot be used."
)


@app.command(help=_HELP)
def summarize(
    ctx: typer.Context,
    inputs: list[str] = typer.Argument(..., help="Item ids (or unique prefixes) and links.", show_default=False),
    model: str = typer.Option(None, "--model", "-m", help="Chat model (env PAPERNEWS_LLM_MODEL)."),
    base_url: str = typer.Option(
        None,
        "--base-url",
        help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (env PAPERNEWS_LLM_BASE_URL).",
    ),
    write: bool = typer.Option(False, "--write", help="Store lint-clean drafts (a link not yet archived is added)."),
    force: bool = typer.Option(False, "--force", help="With --write, replace bullets a person wrote."),
    offline: bool = typer.Option(
        False, "--offline", help="No network: an extractive draft from the abstract or description already stored."
    ),
    as_json: bool = typer.Option(
        False,
        "--json",
        help='Print a JSON list: {"input", "item_id", "status", "bullets", "markdown", "provenance", "findings",'
        ' "attempts", "error"} per input.',
    ),
) -> None:
    """Resolve the endpoint, draft each input, print or write (the help is `_HELP`)."""
    from papernews.summarize import LlmSettings, summarize_inputs

    llm = LlmSettings.from_env(model=model, base_url=base_url)

    def notify(message: str) -> None:
        err.print(message, style="dim", markup=False, highlight=False, soft_wrap=True)

    with settings(ctx).store() as store:
        results = summarize_inputs(store, inputs, llm=llm, write=write, force=force, offline=offline, notify=notify)
    if as_json:
        print_json([_result_json(r) for r in results])
    else:
        for r in results:
            _print(r)
    bad = [r for r in results if r.status in _FAILED]
    if bad:
        err.print(
            f"{len(bad)} of {len(results)} inputs not drafted cleanly" + (" or not written" if write else ""),
            soft_wrap=True,
        )
        raise typer.Exit(1)
