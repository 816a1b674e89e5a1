"""What the workbench does, as library functions the JSON API and the pages both call.

Each write is one short transaction holding the change and its audit entry (network fetches
happen before it, never inside). Items are written with the version the editor read: a stale
one raises `VersionConflict` with what is stored now, so no edit is silently lost.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from papernews.errors import InputError, NotFoundError, PapernewsError
from papernews.files import write_atomic_bytes
from papernews.formats.markdown.document import month_header, week_block_open
from papernews.formats.markdown.itemline import item_from_lines, item_head_text, scan_item
from papernews.formats.markdown.itemline import render_item as _render_item
from papernews.lint.findings import Finding
from papernews.model import Bullet, Item, Kind, SummaryProvenance, Week, fingerprint, make_item_id
from papernews.store import Store, VersionConflict, WeekChanged, audit
from papernews.store.audit import AuditEntry
from papernews.web.settings import WebSettings

if TYPE_CHECKING:
    from papernews.add import AddResult
    from papernews.inbox.decide import Decision
    from papernews.inbox.listing import Ranked

__all__ = [
    "AddPreview",
    "AuditEntry",
    "PublishReport",
    "SummaryDraft",
    "VersionConflict",
    "WeekChanged",
    "WeekSummary",
    "add_urls",
    "create_item",
    "decide",
    "delete_item",
    "draft_summary",
    "get_item",
    "history",
    "item_from_markdown",
    "item_markdown",
    "lint_markdown",
    "list_candidates",
    "list_weeks",
    "new_item_id",
    "normalize_week",
    "preview_urls",
    "publish",
    "reorder_week",
    "save_item",
    "week_items",
    "with_draft_provenance",
]

Action = Literal["accept", "reject", "snooze"]


# --- items ---------------------------------------------------------------------------


def get_item(store: Store, item_id: str) -> tuple[Item, int]:
    """(item, version); NotFoundError."""
    return store.get_versioned(item_id)


def _changed_fields(old: Item, new: Item) -> list[str]:
    a = old.model_dump(mode="json", exclude={"source"})
    b = new.model_dump(mode="json", exclude={"source"})
    return [k for k in b if a.get(k) != b.get(k)]


def save_item(store: Store, item: Item, *, expected_version: int, user: str) -> int:
    """Write an edited item if it is still at `expected_version`; its new version (the same
    when nothing changed, and then no audit entry). VersionConflict on a stale version."""
    with store.transaction():
        try:
            old, _ = store.get_versioned(item.id)
        except NotFoundError:
            raise VersionConflict(item.id, None, 0, expected_version) from None
        version = store.save_item(item, expected_version=expected_version)
        if version != expected_version:
            changed = ", ".join(_changed_fields(old, item)) or "formatting"
            audit.record(store, user=user, action="edit", item_id=item.id, detail=f"v{version}: {changed}")
    return version


def create_item(store: Store, item: Item, *, user: str) -> int:
    """Store a new item (its id must be free, else VersionConflict with the item that has it)."""
    with store.transaction():
        version = store.save_item(item, expected_version=0)
        audit.record(store, user=user, action="create", item_id=item.id, detail=item.title[:200])
    return version


def new_item_id(store: Store, item: Item) -> str:
    """An id for an item written by hand, made as the importer makes them (week, URL, title),
    counting up past ids the archive already has."""
    key = item.week.key if item.week else ""
    n = 0
    while True:
        candidate = make_item_id(key, item.url, item.title, n)
        if store.conn.execute("SELECT 1 FROM items WHERE id = ?", (candidate,)).fetchone() is None:
            return candidate
        n += 1


def delete_item(store: Store, item_id: str, *, expected_version: int, user: str) -> None:
    with store.transaction():
        item, _ = store.get_versioned(item_id)
        store.delete_item(item_id, expected_version=expected_version)
        audit.record(store, user=user, action="delete", item_id=item_id, detail=item.title[:200])


# --- the digest Markdown of one item ---------------------------------------------------


def item_markdown(item: Item) -> str:
    """The item in the digest format: as the README writes it when it is unchanged since the
    import (the curator edits their own text), else canonical; `\\n` line endings."""
    if item.unchanged():
        assert item.source is not None
        text = item.source.text.replace("\r\n", "\n").replace("\r", "\n")
    else:
        text = _render_item(item)
    return text.rstrip("\n") + "\n"


def _item_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def item_from_markdown(text: str, base: Item) -> Item:
    """`base` with what the Markdown of one item says (kind, orgs, title, link, note, bullets);
    id, week, tags and metadata stay `base`'s. `base` itself when the text says the same, so an
    item saved without a change keeps its README bytes. InputError for text that is not one item."""
    lines = _item_lines(text)
    if not lines:
        raise InputError("the item is empty: write its line, `- 📜 [Org] [Title](https://…)`", line=1)
    if item_head_text(lines[0]) is None:
        raise InputError("an item starts with `- ` and its kind emoji: `- 📜 [Org] [Title](https://…)`", line=1)
    end = scan_item(lines, 0).end
    if end < len(lines):
        raise InputError(
            f"this line is not part of the item (one item at a time; bullets are indented): {lines[end][:60]!r}",
            line=end + 1,
        )
    parsed, _problems = item_from_lines(lines, item_id=base.id)
    update = {
        name: getattr(parsed, name)
        for name in ("kind", "extra_kinds", "orgs", "org_label", "title", "url", "bullets", "marker", "bold", "note")
    }
    edited = base.model_copy(update=update)
    return base if fingerprint(edited) == fingerprint(base) else edited


def lint_markdown(text: str) -> list[Finding]:
    """House-style findings of one item's Markdown, with lines counted in `text` (1 = the item's
    line). The item is linted as the README would hold it: inside a week block."""
    from papernews.lint import lint_text

    lines = _item_lines(text)
    if not lines:
        return []
    lead = 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if raw.strip():
            break
        lead += 1
    week = Week(year=2000, month=1, weeks=[1])
    prefix = f"# {week.year}\n\n{month_header(week.month)}\n{week_block_open(week)}"
    offset = prefix.count("\n")
    document = prefix + "\n".join(lines) + "\n\n</details>\n"
    found = lint_text(document, None)
    out: list[Finding] = []
    for f in found:
        line = f.line - offset + lead if f.line is not None else None
        if line is not None and not 1 <= line - lead <= len(lines):
            line = None
        out.append(Finding(None, line, f.severity, f.rule, f.message, None))
    return out


@dataclass(frozen=True)
class SummaryDraft:
    """A drafted summary and its provenance, exactly as `papernews summarize` makes them: the
    workbench stores the same record the CLI does, so the archive tells a drafted summary (and
    whether a person changed it) whichever tool was used."""

    bullets: list[Bullet]
    provenance: SummaryProvenance


def draft_summary(store: Store, item_id: str, settings: WebSettings) -> SummaryDraft:
    """Bullets drafted for an item, with their provenance: by the configured chat endpoint
    (PAPERNEWS_LLM_*), else the offline extractive draft; from the fetched source, else (the fetch
    failing) from the stored abstract. Nothing is stored: the curator edits and saves, and the
    save carries the provenance back (`with_draft_provenance`)."""
    from papernews.summarize import summarize_inputs

    store.get_versioned(item_id)  # NotFoundError before any fetch
    result = summarize_inputs(store, [item_id], http=settings.http_settings())[0]
    if result.draft is None:
        offline = summarize_inputs(store, [item_id], offline=True)[0]
        if offline.draft is not None:
            result = offline
    if result.draft is None:
        raise PapernewsError(result.error or "no draft could be made")
    return SummaryDraft(result.draft.bullets, result.draft.provenance)


def with_draft_provenance(item: Item, provenance: SummaryProvenance) -> Item:
    """`item` with the provenance of the draft its bullets started from (a copy). Set before the
    save, so the store's `with_summary_edits` marks it `edited` exactly when the saved bullets
    are no longer the draft's."""
    meta = item.meta.model_copy(update={"summary_provenance": provenance})
    return item.model_copy(update={"meta": meta})


# --- adding links --------------------------------------------------------------------


@dataclass
class AddPreview:
    """What saving a pasted URL would add: `item` (guessed kind, orgs, week), or the archived
    item it duplicates (`duplicate_of` its id), or nothing (`error` says why)."""

    item: Item | None
    duplicate_of: str | None = None
    warnings: list[str] = field(default_factory=list)
    url: str = ""
    error: str | None = None


_DUPLICATE_REASONS = {
    "arxiv": "the same arXiv id",
    "doi": "the same DOI",
    "openreview": "the same OpenReview forum",
    "github": "the same GitHub repository",
    "hf": "the same Hugging Face repository",
    "url": "the same address",
    "title": "a near-identical title",
}


def _fetch_results(
    urls: Sequence[str],
    settings: WebSettings,
    store: Store,
    *,
    week: Week | None = None,
    kind: Kind | None = None,
    org: str | None = None,
) -> list[AddResult]:
    from papernews.add import add_urls as add
    from papernews.sources import HttpClient

    wanted = [u.strip() for u in urls if u.strip()]
    if not wanted:
        return []
    with HttpClient(settings.http_settings()) as client:
        return add(store, wanted, week=week, kind=kind, org=org, dry_run=True, client=client)


def preview_urls(urls: list[str], settings: WebSettings, store: Store) -> list[AddPreview]:
    """Fetch and guess each URL (through the SSRF guard); nothing is saved."""
    previews = []
    for r in _fetch_results(urls, settings, store):
        if r.status == "duplicate":
            why = _DUPLICATE_REASONS.get(r.duplicate_reason or "", "the same item")
            title = r.item.title if r.item else ""
            warning = f"already in the archive ({why}): {title} [{r.duplicate_of}]"
            previews.append(AddPreview(r.item, r.duplicate_of, [warning], r.url))
        elif r.status == "error":
            previews.append(AddPreview(None, None, [], r.url, r.error))
        else:
            warnings = [] if r.item is None or r.item.orgs else ["no org guessed: add it when you edit the item"]
            previews.append(AddPreview(r.item, None, warnings, r.url))
    return previews


def add_urls(
    urls: list[str],
    settings: WebSettings,
    store: Store,
    *,
    user: str,
    week: Week | None = None,
    kind: Kind | None = None,
    org: str | None = None,
) -> list[AddResult]:
    """Add an item per URL as `papernews add` does (duplicates refused); each new item is stored
    with its audit entry in one transaction, after the fetches."""
    results = _fetch_results(urls, settings, store, week=week, kind=kind, org=org)
    for r in results:
        if r.status != "added" or r.item is None:
            continue
        try:
            create_item(store, r.item, user=user)
        except VersionConflict as e:  # the same item was stored meanwhile
            r.status, r.duplicate_of, r.item = "duplicate", e.item_id, e.current
    return results


# --- the inbox ------------------------------------------------------------------------


def list_candidates(store: Store, week: str | None, top: int) -> list[Ranked]:
    """Waiting candidates, best first (the taste model), at most `top`."""
    from papernews.inbox.listing import list_candidates as listing

    key = normalize_week(week) if week else None
    return listing(store, week=key, top=top).ranked


def decide(
    store: Store, ids: list[str], action: Action, *, user: str, settings: WebSettings | None = None
) -> list[Decision]:
    """Accept (the candidate becomes an item, fetched through the SSRF guard), reject or snooze."""
    from papernews.inbox import decide as decisions

    if action == "accept":
        from papernews.sources import HttpClient

        if settings is None:
            done = decisions.accept(store, ids)  # a client from the environment, as the CLI's
        else:
            with HttpClient(settings.http_settings()) as client:
                done = decisions.accept(store, ids, client=client)
    elif action == "reject":
        done = decisions.reject(store, ids)
    elif action == "snooze":
        done = decisions.snooze(store, ids)
    else:
        raise InputError(f"unknown action {action!r}: accept, reject or snooze")
    with store.transaction():
        for d in done:
            if d.outcome == "error":
                continue
            what = d.candidate.title[:200] if d.candidate else d.ref
            item_id = d.item.id if d.item else None
            audit.record(store, user=user, action=action, item_id=item_id, detail=f"candidate {d.ref}: {what}")
    return done


# --- weeks ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekSummary:
    key: str
    label: str
    count: int


def normalize_week(key: str) -> str:
    """`2024-9-W3` → `2024-09-W03`; InputError for anything that is not a week key."""
    try:
        return Week.parse_key(key).key
    except ValueError as e:
        raise InputError(str(e)) from None


def list_weeks(store: Store) -> list[WeekSummary]:
    """Every week block with its number of items, newest first."""
    out = []
    for key, count in store.week_counts():
        if not key:
            continue
        week = Week.parse_key(key)
        label = f"{week.year}-{week.month:02d} {week.display_label}"
        out.append(WeekSummary(key, label, count))
    return out


def week_items(store: Store, week_key: str) -> list[tuple[Item, int]]:
    """The items of a week block in their order, with versions."""
    return store.week_items(normalize_week(week_key))


def reorder_week(store: Store, week_key: str, ids: list[str], *, user: str) -> None:
    """Put a week's items in the order of `ids` (each of the week's items once, else WeekChanged)."""
    key = normalize_week(week_key)
    with store.transaction():
        store.reorder_week(key, ids)
        audit.record(store, user=user, action="reorder", item_id=None, detail=f"{key}: {' '.join(ids)}"[:2000])


# --- publishing -----------------------------------------------------------------------


@dataclass
class PublishReport:
    items: int
    files: int
    written: int
    removed: int
    seconds: float
    site_dir: str
    exports: list[str]  # README.md and items.json as written
    commit: str | None = None  # the commit made in the git repository, when one was configured and made
    git: str | None = None  # what git did: "committed", "nothing to commit", or None without a repository


_PUBLISH_LOCK = threading.Lock()  # one build at a time writes the site folder


def publish(store: Store, settings: WebSettings, *, user: str) -> PublishReport:
    """Rebuild the site, write README.md and items.json, and commit them when a git repository is
    configured. One publish at a time; the archive is read as it is when the build starts."""
    from papernews.publish.build import build
    from papernews.publish.exports import EXPORTS
    from papernews.publish.site import Site

    started = time.perf_counter()
    site_dir, export_dir = settings.site_dir, settings.export_dir
    repo = settings.git_repo
    targets = [site_dir, *(export_dir / name for name in EXPORTS)]
    if repo is not None:
        for path in targets:
            if not path.resolve().is_relative_to(repo.resolve()):
                raise InputError(f"{path} is not inside the git repository {repo}; publish writes it there")
    with _PUBLISH_LOCK:
        site = Site(base_url=settings.base_url)
        report = build(store, site_dir, site, search=settings.build_search, charts=settings.build_charts)
        exports = []
        export_dir.mkdir(parents=True, exist_ok=True)
        for name in EXPORTS:
            target = export_dir / name
            if target.resolve() != (site_dir / name).resolve():
                write_atomic_bytes(target, (site_dir / name).read_bytes())
            exports.append(str(target))
        commit, git = None, None
        if repo is not None:
            message = f"publish: {report.items} items ({user} via papernews)"
            commit = _commit(repo, targets, user=user, message=message)
            git = "committed" if commit else "nothing to commit"
    result = PublishReport(
        items=report.items,
        files=report.files,
        written=len(report.write.written),
        removed=len(report.write.removed),
        seconds=round(time.perf_counter() - started, 3),
        site_dir=str(site_dir),
        exports=exports,
        commit=commit,
        git=git,
    )
    detail = f"{result.items} items, {result.written} files written, {result.removed} removed"
    if commit:
        detail += f", commit {commit[:12]}"
    audit.record(store, user=user, action="publish", detail=detail)
    return result


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=False)


def _commit(repo: Path, paths: list[Path], *, user: str, message: str) -> str | None:
    """Stage `paths` (new, changed and removed files) and commit them as `user`; the commit id,
    or None when nothing changed. PapernewsError when git fails."""
    import os

    root = repo.resolve()
    rels = [str(p.resolve().relative_to(root)) or "." for p in paths]
    added = _git(root, "add", "--all", "--", *rels)
    if added.returncode != 0:
        raise PapernewsError(f"git add failed in {repo}: {added.stderr.strip()[-500:]}")
    if _git(root, "diff", "--cached", "--quiet", "--", *rels).returncode == 0:
        return None
    env = dict(os.environ)
    handle = "".join(c if c.isalnum() or c in "._-" else "-" for c in user) or "curator"
    env.update(GIT_AUTHOR_NAME=user, GIT_AUTHOR_EMAIL=f"{handle}@papernews.invalid")
    if _git(root, "config", "user.email").returncode != 0:  # a repository without an identity
        env.update(GIT_COMMITTER_NAME="papernews", GIT_COMMITTER_EMAIL="papernews@papernews.invalid")
    done = _git(root, "commit", "-q", "-m", message, "--", *rels, env=env)
    if done.returncode != 0:
        raise PapernewsError(f"git commit failed in {repo}: {(done.stderr or done.stdout).strip()[-500:]}")
    return _git(root, "rev-parse", "HEAD").stdout.strip()


# --- history --------------------------------------------------------------------------


def history(store: Store, *, item_id: str | None = None, limit: int = 100) -> list[AuditEntry]:
    """Who changed what, when; newest first."""
    return audit.entries(store, item_id=item_id, limit=limit)
