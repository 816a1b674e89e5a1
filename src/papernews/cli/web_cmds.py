"""serve, user, token: the web app and who may use it.

Thin over `papernews.web`; FastAPI, uvicorn and argon2 load only when one of these runs, so
`papernews --help` stays quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from papernews.cli.app import app, settings
from papernews.cli.output import err, out, print_json
from papernews.errors import InputError

user_app = typer.Typer(help="The people who may log in to the web app.", no_args_is_help=True, rich_markup_mode="rich")
token_app = typer.Typer(
    help="API tokens for scripts and CI (Authorization: Bearer …).", no_args_is_help=True, rich_markup_mode="rich"
)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

_LOOPBACK = {"127.0.0.1", "::1", "localhost"}


_SERVE_HELP = (
    "Serve the curator's workbench and the JSON API (FastAPI + uvicorn).\n\n"
    "The public pages are the static site's, served from the archive; the workbench (inbox, add, edit, week, "
    "history) is behind a login (`papernews user add NAME` first). The API lives under `/api/v1` (OpenAPI "
    "document at `/api/v1/openapi.json`): reads are public, writes need a login or a token from "
    "`papernews token create`.\n\n"
    "Settings come from the `\\[web]` table of papernews.toml, then these flags. Listening on anything but "
    "127.0.0.1 sends passwords in clear unless https is in front: put it behind a reverse proxy with TLS and "
    "pass `--secure-cookies --trust-proxy`."
)
_USER_ADD_HELP = (
    "Add a user who may log in; the password is asked for twice (never on the command line) and stored as "
    "an argon2id hash."
)
_TOKEN_HELP = (
    "Make an API token and print it once: only its hash is stored, so it cannot be shown again.\n\n"
    "Send it as `Authorization: Bearer <token>`; it can write through the API as that user (no CSRF token "
    "needed) until `papernews token revoke NAME`."
)


@app.command(help=_SERVE_HELP)
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="Port to listen on."),
    db: Path = typer.Option(
        None, "--db", help="SQLite archive (default: the global --db, PAPERNEWS_DB, ./papernews.db)."
    ),
    site_dir: Path = typer.Option(None, "--site-dir", help="Where publish writes the site (\\[web] site_dir; ./site)."),
    export_dir: Path = typer.Option(
        None, "--export-dir", help="Where publish writes README.md and items.json (\\[web] export_dir; .)."
    ),
    git_repo: Path = typer.Option(
        None, "--git-repo", help="Commit what publish writes in this git repository (\\[web] git_repo; none)."
    ),
    base_url: str = typer.Option(
        None, "--base-url", help="The published site's address, for canonical links and feeds (\\[web] base_url)."
    ),
    secure_cookies: bool = typer.Option(
        None, "--secure-cookies/--no-secure-cookies", help="Mark cookies Secure: served behind https."
    ),
    trust_proxy: bool = typer.Option(
        None,
        "--trust-proxy/--no-trust-proxy",
        help="Behind a reverse proxy: client address from X-Forwarded-For, https from X-Forwarded-Proto.",
    ),
) -> None:
    """Build the settings, warn about an unsafe setup, run uvicorn (the help is `_SERVE_HELP`)."""
    import uvicorn

    from papernews.config import load_config
    from papernews.store import Store
    from papernews.store.users import count_users
    from papernews.web.app import create_app
    from papernews.web.settings import WebSettings

    config = load_config()
    section = config.section("web")
    if "base_url" not in section and isinstance(config.section("site").get("base_url"), str):
        section["base_url"] = config.section("site")["base_url"]  # the site's address, as the newsletter's
    web = WebSettings.from_config(
        db or settings(ctx).db,
        section,
        site_dir=site_dir,
        export_dir=export_dir,
        git_repo=git_repo,
        base_url=base_url,
        secure_cookies=secure_cookies,
        trust_proxy=trust_proxy,
    )
    with Store(web.db) as store:
        if count_users(store) == 0:
            err.print("no user can log in yet: `papernews user add NAME` makes one", highlight=False)
    if host not in _LOOPBACK and not web.secure_cookies and not web.trust_proxy:
        err.print(
            f"warning: serving on {host} over plain http; put https in front (--secure-cookies --trust-proxy)",
            highlight=False,
            soft_wrap=True,
        )
    err.print(
        f"serving {web.db} on http://{host}:{port}/ (workbench at /admin, API at /api/v1)",
        highlight=False,
        soft_wrap=True,
    )
    uvicorn.run(
        create_app(web),
        host=host,
        port=port,
        proxy_headers=False,  # the app reads forwarded headers itself, only when told to trust them
        server_header=False,
        log_level="info",
    )


# --- users ----------------------------------------------------------------------------


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return password


@user_app.command("add", help=_USER_ADD_HELP)
def user_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name (unique, any case)."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from the first line of standard input (for scripts)."
    ),
) -> None:
    """Hash the password and store the user (the help is `_USER_ADD_HELP`)."""
    from papernews.web.security import create_user

    password = _read_password(password_stdin)
    with settings(ctx).store() as store:
        try:
            user = create_user(store, name, password)
        except InputError as e:  # a short password, a taken name: said without a file location
            raise typer.BadParameter(e.message) from None
    out.print(f"added user {user.name}")


@user_app.command("list")
def user_list(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print a JSON list.")) -> None:
    """The users, with their live sessions and active tokens."""
    from papernews.store.users import list_users

    with settings(ctx).store() as store:
        users = list_users(store)
    if as_json:
        print_json(
            [{"name": u.name, "created_at": u.created_at, "sessions": u.sessions, "tokens": u.tokens} for u in users]
        )
        return
    if not users:
        out.print("no users: `papernews user add NAME`")
    for u in users:
        out.print(f"{u.name}  since {u.created_at}  {u.sessions} sessions  {u.tokens} tokens")


@user_app.command("remove")
def user_remove(ctx: typer.Context, name: str = typer.Argument(..., help="Login name.")) -> None:
    """Remove a user: their sessions end and their tokens stop working at once (the history keeps their name)."""
    from papernews.store.users import remove_user

    with settings(ctx).store() as store:
        remove_user(store, name)
    out.print(f"removed user {name}")


# --- tokens ---------------------------------------------------------------------------


@token_app.command("create", help=_TOKEN_HELP)
def token_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="What the token is for (`ci`, `laptop-script`); unique among active tokens."),
    user: str = typer.Option(..., "--user", "-u", help="The user the token acts as."),
    as_json: bool = typer.Option(False, "--json", help='Print {"name", "user", "token", "prefix", "created_at"}.'),
) -> None:
    """Make the token, print its secret once (the help is `_TOKEN_HELP`)."""
    from papernews.web.security import issue_token

    with settings(ctx).store() as store:
        secret, token = issue_token(store, user, name)
    if as_json:
        print_json(
            {
                "name": token.name,
                "user": token.user,
                "token": secret,
                "prefix": token.prefix,
                "created_at": token.created_at,
            }
        )
        return
    sys.stdout.write(secret + "\n")
    err.print(f"token {token.name} for {token.user}: shown once, keep it now", highlight=False)


@token_app.command("list")
def token_list(
    ctx: typer.Context,
    include_revoked: bool = typer.Option(False, "--all", help="Revoked tokens too."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list."),
) -> None:
    """The tokens (never their secrets): name, user, first characters, when made and last used."""
    from dataclasses import asdict

    from papernews.store.users import list_tokens

    with settings(ctx).store() as store:
        tokens = list_tokens(store, include_revoked=include_revoked)
    if as_json:
        print_json([asdict(t) for t in tokens])
        return
    if not tokens:
        out.print("no tokens: `papernews token create NAME --user USER`")
    for t in tokens:
        state = f"revoked {t.revoked_at}" if t.revoked_at else f"last used {t.last_used_at or 'never'}"
        out.print(f"{t.name}  {t.user}  {t.prefix}…  made {t.created_at}  {state}")


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, name: str = typer.Argument(..., help="The token's name.")) -> None:
    """Revoke a token: requests with it are refused from now on."""
    from papernews.store.users import revoke_token

    with settings(ctx).store() as store:
        revoke_token(store, name)
    out.print(f"revoked token {name}")
