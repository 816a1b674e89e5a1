"""thread and newsletter: a week's items as an X/Bluesky thread and as an e-mail edition.

Thin over `papernews.social` and `papernews.newsletter`; both load when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from papernews.cli.app import app, settings
from papernews.cli.output import err, out, print_json

if TYPE_CHECKING:
    from papernews.model import Week
    from papernews.social import Thread, ThreadReport


def _week(value: str | None) -> Week | None:
    if value is None:
        return None
    from papernews.social.select import parse_week

    try:
        return parse_week(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--week") from None


def _notify(message: str) -> None:
    err.print(message, style="dim", markup=False, highlight=False, soft_wrap=True)


def _thread_json(thread: Thread, report: ThreadReport | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "target": thread.target,
        "thread_key": thread.key,
        "week": thread.week,
        "heading": thread.heading,
        "posts": [
            {
                "position": p.position,
                "role": p.role,
                "item_id": p.item_id,
                "text": p.text,
                "length": p.length,
                "limit": p.limit,
                "unit": p.unit,
                "notes": list(p.notes),
                "links": [{"byte_start": f.byte_start, "byte_end": f.byte_end, "uri": f.uri} for f in p.facets()],
            }
            for p in thread.posts
        ],
        "posting": None,
    }
    if report is not None:
        data["posting"] = {
            "outcome": report.outcome,
            "error": report.error,
            "results": [
                {"position": r.position, "status": r.status, "remote_id": r.remote_id, "note": r.note}
                for r in report.results
            ],
        }
    return data


def _print_thread(thread: Thread, *, posting: bool) -> None:
    n = len(thread.posts)
    mode = "to be posted" if posting else "dry run; --post sends it"
    err.print(Text.assemble((f"{thread.target} ", "bold"), f"{thread.key} · {n} posts ({mode})"), soft_wrap=True)
    for p in thread.posts:
        what = "main" if p.role == "main" else f"item {p.item_id}"
        notes = f" · {'; '.join(p.notes)}" if p.notes else ""
        out.print(
            Text(f"── {p.position + 1}/{n} · {what} · {p.length}/{p.limit} {p.unit}{notes}", style="dim"),
            soft_wrap=True,
        )
        out.print(p.text, markup=False, highlight=False, soft_wrap=True)
        out.print()


def _print_report(report: ThreadReport) -> None:
    style = "green" if report.ok else "red"
    posted = sum(1 for r in report.results if r.status == "posted")
    kept = sum(1 for r in report.results if r.status == "already-posted")
    words = {
        "posted": f"posted {posted} posts" + (f" ({kept} were already posted)" if kept else ""),
        "already-posted": f"already posted ({kept} posts); nothing sent",
        "rolled-back": "failed; every post of the thread deleted again (rerun to post it anew)",
        "rollback-incomplete": "failed; the rollback stopped, some posts are still up (rerun resumes after them)",
        "partial": "failed; the posts so far are kept (--keep-partial): rerun to go on from the failed one",
        "failed": "failed; nothing was posted",
    }
    err.print(Text.assemble((f"{report.target} ", "bold"), (words[report.outcome], style)), soft_wrap=True)
    if report.error:
        err.print(f"  {report.error}", markup=False, highlight=False, soft_wrap=True)
    for r in report.results:
        if r.note and r.status == "already-posted":
            err.print(f"  post {r.position + 1}: {r.note}", markup=False, highlight=False, soft_wrap=True)


_THREAD_HELP = (
    "Draft a thread for X (and Bluesky): a main post listing the week's items, then one reply per item "
    "with its title, one or two key points from its bullets and its link.\n\n"
    "Every post is measured by the platform's own rules before it is shown: X's weighted length "
    "(twitter-text: Korean and most emoji count 2, any URL 23; limit 280), Bluesky's graphemes (limit 300; "
    "a link is shown short, its full URL in a link facet). A reply that is too long is shortened by rule: "
    "level-2 details dropped, then the last key point trimmed at a word boundary with …, else dropped; "
    "never cut inside a word or a link. `--rewrite` lets a chat model (the `summarize` endpoint: "
    "PAPERNEWS_LLM_BASE_URL, PAPERNEWS_LLM_MODEL, PAPERNEWS_LLM_API_KEY) rewrite each reply; a rewrite "
    "that is too long or adds a link is not used.\n\n"
    "Without --post this is a dry run: the exact posts with their lengths. --post sends them: X through "
    "API v2 with OAuth 1.0a (PAPERNEWS_X_API_KEY, PAPERNEWS_X_API_SECRET, PAPERNEWS_X_ACCESS_TOKEN, "
    "PAPERNEWS_X_ACCESS_TOKEN_SECRET), Bluesky with an app password (PAPERNEWS_BLUESKY_APP_PASSWORD, "
    "social.bluesky.handle in papernews.toml or PAPERNEWS_BLUESKY_HANDLE). Each post's id is stored before the next is "
    "sent, so a rerun never posts twice: it resumes after what is up. When a reply fails, the posts of "
    "the thread are deleted again, unless --keep-partial.\n\n"
    "Exit code 0 when every thread was drafted (and posted), 1 when a posting failed, 2 on bad input, "
    "missing credentials or an unusable archive."
)


@app.command(help=_THREAD_HELP)
def thread(
    ctx: typer.Context,
    items: list[str] = typer.Argument(None, help="Item ids (or unique prefixes), in thread order.", show_default=False),
    week: str = typer.Option(None, "--week", "-w", help="The week's items instead: YYYY-MM-Wnn, e.g. 2024-09-W03."),
    targets: list[str] = typer.Option(
        None, "--target", "-t", help="x or bluesky; repeat for both (default: social.targets, else x)."
    ),
    post: bool = typer.Option(False, "--post", help="Send the thread (default: dry run)."),
    keep_partial: bool = typer.Option(
        False,
        "--keep-partial",
        help="When a reply fails, keep what was posted (a rerun goes on) instead of deleting it.",
    ),
    forget_unknown: bool = typer.Option(
        False,
        "--forget-unknown",
        help="An earlier run got no answer for a post: you checked the account and it is not there; post it again.",
    ),
    rewrite: bool = typer.Option(False, "--rewrite", help="Let the configured chat model rewrite each reply."),
    model: str = typer.Option(None, "--model", "-m", help="Chat model for --rewrite (env PAPERNEWS_LLM_MODEL)."),
    base_url: str = typer.Option(
        None, "--base-url", help="The site's address for permalinks and the week page (default: site.base_url)."
    ),
    as_json: bool = typer.Option(
        False,
        "--json",
        help='Print a JSON list, one thread per target: {"target", "thread_key", "week", "heading", "posts": '
        '[{"position", "role", "item_id", "text", "length", "limit", "unit", "notes", "links"}], "posting"}.',
    ),
) -> None:
    """Select, draft, print, post (the help is `_THREAD_HELP`)."""
    from papernews.config import load_config
    from papernews.social.length import RULES
    from papernews.social.post import post_thread
    from papernews.social.run import check_credentials, draft_threads, make_poster, thread_items
    from papernews.social.settings import SocialSettings, site_info
    from papernews.summarize.llm import LlmSettings

    chosen = _week(week)
    if bool(items) == (chosen is not None):
        raise typer.BadParameter("give item ids or --week YYYY-MM-Wnn (one of the two)", param_hint="ITEMS/--week")
    config = load_config()
    social = SocialSettings.from_config(config, site=site_info(config, base_url))
    wanted = list(dict.fromkeys(t.strip().lower() for t in (targets or social.targets)))
    unknown = [t for t in wanted if t not in RULES]
    if unknown:
        raise typer.BadParameter(f"unknown target {', '.join(unknown)}; choose x or bluesky", param_hint="--target")
    if post:
        check_credentials(wanted, social)
    llm = LlmSettings.from_env(model=model) if rewrite else None
    reports: dict[str, ThreadReport] = {}
    with settings(ctx).store() as store:
        chosen_items = thread_items(store, items or [], chosen)
        threads = draft_threads(chosen_items, wanted, social, week=chosen, llm=llm)
        if not as_json:
            for t in threads:
                _print_thread(t, posting=post)
        if post:
            for t in threads:
                poster = make_poster(t.target, social)
                try:
                    reports[t.target] = post_thread(
                        store, t, poster, keep_partial=keep_partial, forget_unknown=forget_unknown, notify=_notify
                    )
                finally:
                    poster.close()
    if as_json:
        print_json([_thread_json(t, reports.get(t.target)) for t in threads])
    for report in reports.values():
        _print_report(report)
    if any(not r.ok for r in reports.values()):
        raise typer.Exit(1)


_NEWSLETTER_HELP = (
    "The week's edition as an e-mail: an HTML part (CSS inlined for the common clients, a dark-mode "
    "palette for those that follow the system's) and a plain-text part, with a subject, a preheader "
    "(the inbox preview) and every item linked to its page on the site (site.base_url or --base-url).\n\n"
    "Without --send this is a dry run: the subject and sizes on stderr, the plain-text part on stdout, "
    "or the edition written with --out (FILE.html: the HTML part; FILE.txt: the text part; any other "
    "name: the whole message as .eml). The recipients file is checked either way.\n\n"
    "--send delivers one message per recipient (newsletter.recipients or --to: one address a line, "
    "# comments) through smtp.host/port with STARTTLS (or ssl), logging in as smtp.user with "
    "PAPERNEWS_SMTP_PASSWORD. Each accepted message is recorded, so a rerun sends only to those not "
    "reached yet (--resend: to everyone again).\n\n"
    "Exit code 0 when the edition was made (and sent to everyone), 1 when a recipient was refused, "
    "2 on bad input, missing settings or credentials."
)


@app.command(help=_NEWSLETTER_HELP)
def newsletter(
    ctx: typer.Context,
    week: str = typer.Option(..., "--week", "-w", help="The edition's week: YYYY-MM-Wnn, e.g. 2024-09-W03."),
    out_file: Path = typer.Option(None, "--out", "-o", help="Write the edition: .html, .txt, or else .eml."),
    send: bool = typer.Option(False, "--send", help="Send it over SMTP (default: dry run)."),
    to: Path = typer.Option(None, "--to", help="Recipients file (default: newsletter.recipients)."),
    resend: bool = typer.Option(False, "--resend", help="Send also to recipients an earlier run reached."),
    base_url: str = typer.Option(None, "--base-url", help="The site's address (default: site.base_url)."),
    as_json: bool = typer.Option(
        False,
        "--json",
        help='Print {"edition", "subject", "preheader", "items", "html_bytes", "text_bytes", "out", '
        '"recipients", "send": {"sent", "skipped", "refused"} or null}.',
    ),
) -> None:
    """Select, render, write or send (the help is `_NEWSLETTER_HELP`)."""
    from papernews.config import load_config
    from papernews.files import write_atomic, write_atomic_bytes
    from papernews.newsletter import (
        NewsletterSettings,
        SmtpSettings,
        build_edition,
        build_message,
        read_recipients,
        render,
        send_edition,
    )
    from papernews.social.select import week_items
    from papernews.social.settings import site_info

    chosen = _week(week)
    assert chosen is not None
    config = load_config()
    site = site_info(config, base_url)
    if site is None:
        raise typer.BadParameter(
            "the edition links every item to its page on the site: set site.base_url in papernews.toml or pass"
            " --base-url",
            param_hint="--base-url",
        )
    letter = NewsletterSettings.from_config(config)
    recipients_file = to or letter.recipients
    recipients = read_recipients(recipients_file) if recipients_file is not None else None
    if send:
        if letter.sender is None:
            raise typer.BadParameter("sending needs newsletter.from in papernews.toml", param_hint="--send")
        if recipients is None:
            raise typer.BadParameter("sending needs --to FILE or newsletter.recipients", param_hint="--send")
        smtp = SmtpSettings.from_config(config)
    with settings(ctx).store() as store:
        items = week_items(store, chosen)
        edition = build_edition(items, chosen, site, title=letter.title, unsubscribe=letter.unsubscribe)
        rendered = render(edition)
        if out_file is not None:
            suffix = out_file.suffix.lower()
            if suffix in (".html", ".htm"):
                write_atomic(out_file, rendered.html)
            elif suffix == ".txt":
                write_atomic(out_file, rendered.text)
            else:
                preview = build_message(edition, rendered, sender=letter.sender, reply_to=letter.reply_to)
                write_atomic_bytes(out_file, preview.as_bytes())
        report = None
        if send:
            assert recipients is not None and letter.sender is not None
            sender, reply_to = letter.sender, letter.reply_to
            report = send_edition(
                store,
                edition.key,
                recipients,
                lambda r: build_message(edition, rendered, sender=sender, to=r, reply_to=reply_to),
                smtp,
                sender=sender,
                resend=resend,
                notify=None if as_json else _notify,
            )
    if as_json:
        print_json(
            {
                "edition": edition.key,
                "subject": edition.subject,
                "preheader": edition.preheader,
                "items": edition.count,
                "html_bytes": len(rendered.html.encode("utf-8")),
                "text_bytes": len(rendered.text.encode("utf-8")),
                "out": str(out_file) if out_file is not None else None,
                "recipients": len(recipients) if recipients is not None else None,
                "send": None
                if report is None
                else {"sent": report.sent, "skipped": report.skipped, "refused": [list(r) for r in report.refused]},
            }
        )
    else:
        err.print(Text.assemble(("subject ", "bold"), edition.subject), soft_wrap=True)
        err.print(Text.assemble(("preheader ", "bold"), edition.preheader), soft_wrap=True)
        err.print(
            f"{edition.count} items · HTML {len(rendered.html.encode('utf-8')):,} bytes · text"
            f" {len(rendered.text.encode('utf-8')):,} bytes"
            + (f" · {len(recipients)} recipients" if recipients is not None else ""),
            soft_wrap=True,
        )
        if out_file is not None:
            err.print(f"written {out_file}", soft_wrap=True)
        elif not send:
            out.print(rendered.text, markup=False, highlight=False, end="", soft_wrap=True)
        if report is not None:
            err.print(
                Text.assemble(
                    ("sent ", "green" if report.ok else "red"),
                    f"{len(report.sent)} · already sent {len(report.skipped)} · refused {len(report.refused)}",
                ),
                soft_wrap=True,
            )
            for address, why in report.refused:
                err.print(f"  refused {address}: {why}", markup=False, highlight=False, soft_wrap=True)
    if report is not None and not report.ok:
        raise typer.Exit(1)
