"""The web app's security: login, sessions and their cookies, CSRF on every write route, the
login rate limit, API tokens, escaping of hostile text, the SSRF guard, no secret in a page,
and the `user` / `token` commands."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from papernews.cli import app as cli
from papernews.model import Bullet, Item, Kind, SummaryProvenance, Week
from papernews.publish import paths
from papernews.store import Store
from papernews.web import security
from papernews.web.app import create_app
from papernews.web.security import RateLimiter, safe_next
from web_support import (
    PASSWORD,
    add_user,
    api_token,
    archive_with_user,
    login,
    login_form_token,
    session_csrf,
    web_settings,
)

FIXTURES = Path(__file__).parent / "fixtures" / "http"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
HOSTILE_TITLE = '<script>alert("t")</script> & "quotes" \'single\''
HOSTILE_ORG = '"><img src=x onerror=alert(1)>'
HOSTILE_BULLET = "<b>bold</b> [링크](javascript:alert(1)) 제안"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return archive_with_user(tmp_path / "web.db")


@pytest.fixture
def app(tmp_path: Path, db: Path) -> FastAPI:
    return create_app(web_settings(tmp_path, db))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


def _set_cookie(response: object, name: str) -> str:
    headers = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    found = [h for h in headers if h.startswith(name + "=")]
    assert found, f"no Set-Cookie for {name}: {headers}"
    return str(found[0])


# --- login ------------------------------------------------------------------------------


def test_login_starts_a_session_with_safe_cookie_flags(client: TestClient, db: Path) -> None:
    r = login(client, next_path="/admin/history?item=x")
    assert r.status_code == 303 and r.headers["location"] == "/admin/history?item=x"
    cookie = _set_cookie(r, security.SESSION_COOKIE).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie.replace("samesite", "")  # plain http here
    assert client.get("/admin", follow_redirects=False).status_code == 200
    assert client.get("/api/v1/me").json()["name"] == "ann"


@pytest.mark.parametrize(
    ("settings", "headers"),
    [({"secure_cookies": True}, {}), ({"trust_proxy": True}, {"X-Forwarded-Proto": "https"})],
    ids=["secure_cookies", "behind-https-proxy"],
)
def test_cookies_are_secure_behind_https(
    tmp_path: Path, db: Path, settings: dict[str, bool], headers: dict[str, str]
) -> None:
    with TestClient(create_app(web_settings(tmp_path, db, **settings)), headers=headers) as c:
        page = c.get("/login")
        assert "secure" in _set_cookie(page, security.LOGIN_CSRF_COOKIE).lower().split("; ")
        # httpx keeps Secure cookies for https only: send the login token by hand
        token = login_form_token(page.text)
        c.cookies.set(security.LOGIN_CSRF_COOKIE, token)
        r = c.post("/login", data={"name": "ann", "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303
        assert "secure" in _set_cookie(r, security.SESSION_COOKIE).lower().split("; ")


def test_a_forwarded_proto_is_ignored_without_trust_proxy(client: TestClient) -> None:
    page = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" not in _set_cookie(page, security.LOGIN_CSRF_COOKIE).lower().split("; ")


@pytest.mark.parametrize(("name", "password"), [("ann", "wrong password"), ("nobody", PASSWORD), ("", "")])
def test_a_failed_login_gives_no_session(client: TestClient, name: str, password: str) -> None:
    r = login(client, name, password)
    assert r.status_code == 401
    assert security.SESSION_COOKIE not in r.headers.get("set-cookie", "")
    assert "Wrong name or password" in r.text
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_login_names_compare_without_case(client: TestClient) -> None:
    assert login(client, "ANN").status_code == 303


def test_the_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    data = {"name": "ann", "password": PASSWORD, "csrf_token": "", "next": ""}
    assert client.post("/login", data=data).status_code == 403
    data["csrf_token"] = "forged.0000"
    assert client.post("/login", data=data).status_code == 403
    # a token signed with another key (another archive) is refused too
    other = security.login_csrf_token("another key")
    client.cookies.clear()
    client.cookies.set(security.LOGIN_CSRF_COOKIE, other)
    r = client.post("/login", data={**data, "csrf_token": other})
    assert r.status_code == 403


def test_login_rotates_the_session_id(client: TestClient, db: Path) -> None:
    login(client)
    first = client.cookies.get(security.SESSION_COOKIE)
    assert first
    # a login form opened in another tab before, posted while the session is live
    client.cookies.delete(security.SESSION_COOKIE)
    token = login_form_token(client.get("/login").text)
    client.cookies.set(security.SESSION_COOKIE, first)
    r = client.post("/login", data={"name": "ann", "password": PASSWORD, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    second = _set_cookie(r, security.SESSION_COOKIE).split(";")[0].split("=", 1)[1]
    assert second != first
    with Store(db) as store:
        assert security.session_of(store, first) is None  # the old id is worthless now
        assert security.session_of(store, second) is not None


def test_a_planted_session_id_is_not_adopted(client: TestClient) -> None:
    client.cookies.set(security.SESSION_COOKIE, "planted-by-attacker")
    r = login(client)
    assert r.status_code == 303
    assert "planted-by-attacker" not in _set_cookie(r, security.SESSION_COOKIE)


def test_logout_needs_csrf_and_ends_the_session(client: TestClient, db: Path) -> None:
    login(client)
    sid = client.cookies.get(security.SESSION_COOKIE)
    assert client.post("/logout", follow_redirects=False).status_code == 403
    r = client.post("/logout", data={"csrf_token": session_csrf(client, db)}, follow_redirects=False)
    assert r.status_code == 303
    with Store(db) as store:
        assert sid is not None and security.session_of(store, sid) is None
    assert client.get("/admin", follow_redirects=False).status_code == 303


def test_a_bearer_header_does_not_skip_a_forms_csrf_check(client: TestClient, db: Path) -> None:
    # pages and /logout authenticate by the session cookie only: a made-up Bearer header must not
    # stand in for the session's CSRF token
    login(client)
    sid = client.cookies.get(security.SESSION_COOKIE)
    junk = {"Authorization": "Bearer pn_made-up"}
    assert client.post("/logout", headers=junk, follow_redirects=False).status_code == 403
    assert client.post("/admin/publish", headers=junk, follow_redirects=False).status_code == 403
    with Store(db) as store:
        assert sid is not None and security.session_of(store, sid) is not None
        assert store.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_an_expired_session_is_refused(client: TestClient, db: Path) -> None:
    login(client)
    with Store(db) as store:
        store.conn.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z'")
    r = client.get("/admin", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fadmin"


def test_an_htmx_request_without_a_session_loads_the_login_page(client: TestClient) -> None:
    r = client.get("/admin/inbox?week=2024-09-W03", headers={"HX-Request": "true"}, follow_redirects=False)
    assert r.status_code == 204
    assert r.headers["hx-redirect"] == "/login?next=%2Fadmin%2Finbox%3Fweek%3D2024-09-W03"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\t/evil.example",
        "",
        "admin",
    ],
)
def test_next_never_leaves_the_site(target: str) -> None:
    assert safe_next(target) == "/admin"


@pytest.mark.parametrize("target", ["/admin/items/abc?x=1#f", "/", "/weeks/2024/09/w3/"])
def test_next_keeps_local_paths(target: str) -> None:
    assert safe_next(target) == target


def test_a_signed_provenance_verifies_only_for_its_key_and_item() -> None:
    drafted = SummaryProvenance(
        method="extractive",
        prompt_version="extractive-1",
        source_kind="stored-abstract",
        source_sha256="a" * 64,
        drafted_at="2024-09-27T10:00:00Z",
        bullets_sha256="b" * 64,
    )
    key = security.new_secret()
    signed = security.sign_provenance(key, "item0001", drafted)
    assert security.signed_provenance(key, "item0001", signed) == drafted
    assert security.signed_provenance(key, "item0002", signed) is None  # another item's save
    assert security.signed_provenance(security.new_secret(), "item0001", signed) is None  # another archive
    assert security.signed_provenance(key, "item0001", signed.replace(".", ".0", 1)) is None
    nonce = security.login_csrf_token(key)  # the same secret, signed for the login form
    assert security.signed_provenance(key, "item0001", nonce) is None


def test_login_redirects_only_to_a_local_next(client: TestClient) -> None:
    r = login(client, next_path="//evil.example/x")
    assert r.status_code == 303 and r.headers["location"] == "/admin"


# --- rate limit -------------------------------------------------------------------------


def test_failed_logins_are_limited_per_user_name(tmp_path: Path, db: Path) -> None:
    app = create_app(web_settings(tmp_path, db, trust_proxy=True))
    with TestClient(app) as c:
        for n in range(security.LOGIN_FAILURES):
            r = login(c, "ann", "wrong password", next_path="")
            assert r.status_code == 401, n
            c.headers["X-Forwarded-For"] = f"203.0.113.{n + 1}"  # a new address each time: the name counts
        r = login(c, "ann", PASSWORD)  # even the right password waits now
        assert r.status_code == 429
        assert 0 < int(r.headers["Retry-After"]) <= security.LOGIN_WINDOW + 1
        assert security.SESSION_COOKIE not in r.headers.get("set-cookie", "")
        c.headers["X-Forwarded-For"] = "198.51.100.7"
        add_user(db, "bob")
        assert login(c, "bob", PASSWORD).status_code == 303  # another name is not held back


def test_failed_logins_are_limited_per_client_address(client: TestClient) -> None:
    for n in range(security.LOGIN_FAILURES):
        assert login(client, f"guess{n}", "wrong password").status_code == 401
    r = login(client, "ann", PASSWORD)
    assert r.status_code == 429 and "Retry-After" in r.headers


def test_the_rate_limit_window_slides() -> None:
    now = [1000.0]
    limiter = RateLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.fail("k")
    now[0] += 30
    limiter.fail("k")
    assert limiter.blocked("k") == 31  # until the first failure leaves the window
    now[0] += 31
    assert limiter.blocked("k") is None
    limiter.fail("k")
    assert limiter.blocked("k") is not None
    limiter.clear("k")
    assert limiter.blocked("k") is None


def test_the_rate_limiter_forgets_keys_whose_window_passed() -> None:
    # a failed login under a new name (or from a new address) adds a key: without a sweep, keys
    # never asked about again stay forever and the dictionary grows without bound
    now = [1000.0]
    limiter = RateLimiter(limit=5, window=60, clock=lambda: now[0])
    for n in range(20_000):
        limiter.fail(f"user:{n}")
    now[0] += 61
    limiter.fail("user:late")
    assert len(limiter._failures) < 20_000
    assert limiter.blocked("user:late") is None


# --- CSRF on every write route ------------------------------------------------------------


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route, included routers and all (FastAPI >= 0.16x keeps included
    routers as branches: `iter_route_contexts` walks them; older ones flatten into APIRoutes)."""
    walk = getattr(routing, "iter_route_contexts", None)
    routes = list(walk(app.routes)) if walk is not None else [r for r in app.routes if isinstance(r, APIRoute)]
    found = []
    for route in routes:
        methods = getattr(route, "methods", None) or set()
        found.extend((m, str(route.path)) for m in sorted(set(methods) & UNSAFE))
    return found


def _fill(path: str, item_id: str, week_key: str) -> str:
    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if "item" in name or name == "id":
            return item_id
        if "week" in name or name == "key":
            return week_key
        return "x"

    return re.sub(r"\{(\w+)(?::\w+)?\}", value, path)


def test_every_write_route_is_checked(app: FastAPI) -> None:
    routes = _routes(app)
    assert ("POST", "/login") in routes and ("POST", "/logout") in routes
    assert ("PUT", "/api/v1/items/{item_id}") in routes and ("DELETE", "/api/v1/items/{item_id}") in routes
    assert len(routes) >= 15


@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_write_route_refuses_a_missing_or_wrong_csrf_token(
    app: FastAPI, client: TestClient, db: Path, token: str
) -> None:
    login(client)
    with Store(db) as store:
        item = store.all_items()[0]
    assert item.week is not None
    headers = {} if token == "missing" else {"X-CSRF-Token": "wrong-token"}
    form = {} if token == "missing" else {"csrf_token": "wrong-token"}
    checked = 0
    for method, template in _routes(app):
        if template == "/login":
            continue  # its own token (no session yet): test_the_login_form_needs_its_csrf_token
        path = _fill(template, item.id, item.week.key)
        as_json = client.request(method, path, json={}, headers=headers, follow_redirects=False)
        as_form = client.request(method, path, data=form, headers=headers, follow_redirects=False)
        assert as_json.status_code == 403, (method, path, as_json.status_code, as_json.text[:200])
        assert as_form.status_code == 403, (method, path, as_form.status_code, as_form.text[:200])
        checked += 1
    assert checked == len(_routes(app)) - 1
    with Store(db) as store:  # and nothing changed
        assert store.get_versioned(item.id)[1] == 1
        assert store.conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == 0


def test_api_writes_pass_with_the_session_csrf_header(client: TestClient, db: Path) -> None:
    login(client)
    with Store(db) as store:
        item, version = store.get_versioned(store.all_items()[0].id)
    headers = {"X-CSRF-Token": session_csrf(client, db), "If-Match": f'"{version}"'}
    r = client.patch(f"/api/v1/items/{item.id}", json={"title": "Edited in the browser"}, headers=headers)
    assert r.status_code == 200 and r.json()["version"] == version + 1


def test_a_write_without_any_login_is_401(client: TestClient) -> None:
    r = client.post("/api/v1/lint", json={"markdown": "- x"})
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"


# --- API tokens -------------------------------------------------------------------------


def test_a_token_writes_without_csrf_until_revoked(client: TestClient, db: Path) -> None:
    secret = api_token(db, name="ci")
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/lint", json={"markdown": "- x"}, headers=auth).status_code == 200
    assert client.get("/api/v1/me", headers=auth).json()["name"] == "ann"
    with Store(db) as store:
        row = store.conn.execute("SELECT token_hash, last_used_at FROM api_tokens").fetchone()
        assert row["token_hash"] == security.secret_hash(secret) and secret not in row["token_hash"]
        assert row["last_used_at"] is not None
        from papernews.store.users import revoke_token

        revoke_token(store, "ci")
    assert client.post("/api/v1/lint", json={"markdown": "- x"}, headers=auth).status_code == 401


@pytest.mark.parametrize("value", ["Bearer pn_not-a-real-token", "Bearer nonsense", "Basic YW5uOnB3"])
def test_a_bad_token_is_401(client: TestClient, value: str) -> None:
    r = client.post("/api/v1/lint", json={"markdown": "- x"}, headers={"Authorization": value})
    assert r.status_code == 401


def test_a_token_does_not_log_in_a_page(client: TestClient, db: Path) -> None:
    secret = api_token(db)
    r = client.get("/admin", headers={"Authorization": f"Bearer {secret}"}, follow_redirects=False)
    assert r.status_code == 303


# --- escaping -----------------------------------------------------------------------------


def _hostile_item(db: Path) -> Item:
    item = Item(
        id="hostile00001",
        kind=Kind.PAPER,
        orgs=[HOSTILE_ORG],
        title=HOSTILE_TITLE,
        url="https://example.org/paper?a=1&b=<2>",
        bullets=[Bullet(text=HOSTILE_BULLET)],
        week=Week(year=2024, month=9, weeks=[3]),
    )
    with Store(db) as store:
        store.save_item(item)
    return item


def _assert_escaped(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert" in html


def test_a_hostile_title_is_escaped_on_the_public_item_page(client: TestClient, db: Path) -> None:
    item = _hostile_item(db)
    r = client.get(paths.item_path(item.id))
    assert r.status_code == 200
    _assert_escaped(r.text)


def test_a_hostile_title_is_escaped_on_the_admin_pages(client: TestClient, db: Path) -> None:
    item = _hostile_item(db)
    login(client)
    assert item.week is not None
    for path in (f"/admin/items/{item.id}", f"/admin/weeks/{item.week.key}"):
        r = client.get(path)
        assert r.status_code == 200, path
        _assert_escaped(r.text)


def test_no_secret_reaches_the_browser(client: TestClient, db: Path) -> None:
    secret = api_token(db)
    with Store(db) as store:
        key = security.web_secret(store)
        password_hash = store.conn.execute("SELECT password_hash FROM users").fetchone()[0]
    pages = [client.get("/login")]
    login(client)
    pages += [client.get(p) for p in ("/admin", "/admin/add", "/admin/history", "/api/v1/me", "/api/v1/items")]
    for page in pages:
        blob = page.text + str(page.headers)
        for value in (key, password_hash, secret, security.secret_hash(secret), PASSWORD):
            assert value not in blob, page.url


@pytest.mark.parametrize(
    ("path", "kind"), [("/api/v1/lint", "json"), ("/login", "form"), ("/api/v1/items", "json")]
)
def test_a_huge_request_body_is_refused_before_it_is_read(client: TestClient, path: str, kind: str) -> None:
    # before any login: FastAPI reads a JSON body whole (and a form up to 1000 fields of 1 MB)
    # before it checks who is asking, so the size is capped in front of it
    big = "x" * (3 * 1024 * 1024)
    if kind == "json":
        body = b'{"markdown": "' + big.encode() + b'"}'
        r = client.post(path, content=body, headers={"content-type": "application/json"})
    else:
        r = client.post(path, data={"name": big, "password": "p", "csrf_token": "t"})
    assert r.status_code == 413
    chunks = (b"x" * 65536 for _ in range(48))  # 3 MB without a Content-Length
    content_type = "application/json" if kind == "json" else "application/x-www-form-urlencoded"
    r = client.post(path, content=chunks, headers={"content-type": content_type})
    assert r.status_code == 413


def test_every_response_carries_the_protective_headers(client: TestClient) -> None:
    for path in ("/login", "/api/v1/weeks", "/api/v1/openapi.json"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]


def test_pages_of_a_logged_in_curator_are_not_cached(client: TestClient) -> None:
    login(client)
    assert client.get("/admin").headers["cache-control"] == "no-store"


# --- the SSRF guard -------------------------------------------------------------------------


def _page_server(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/blog/post").respond_with_data(
        (FIXTURES / "lab-blog-post.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    return httpserver.url_for("/blog/post")


def test_the_ssrf_guard_refuses_loopback_urls(client: TestClient, db: Path, httpserver: HTTPServer) -> None:
    url = _page_server(httpserver)
    auth = {"Authorization": f"Bearer {api_token(db)}"}
    r = client.post("/api/v1/add/preview", json={"urls": [url]}, headers=auth)
    assert r.status_code == 200
    [preview] = r.json()
    assert preview["item"] is None and "127.0.0.1" in preview["error"]
    assert not httpserver.log  # nothing was sent
    r = client.post("/api/v1/add", json={"urls": [url]}, headers=auth)
    assert r.json()[0]["status"] == "error"


def test_private_urls_are_fetched_when_allowed(tmp_path: Path, db: Path, httpserver: HTTPServer) -> None:
    url = _page_server(httpserver)
    auth = {"Authorization": f"Bearer {api_token(db)}"}
    with TestClient(create_app(web_settings(tmp_path, db, allow_private_urls=True))) as c:
        [preview] = c.post("/api/v1/add/preview", json={"urls": [url]}, headers=auth).json()
    assert preview["error"] is None
    assert preview["item"]["title"] == "Scaling test-time compute for small models"


# --- the commands ---------------------------------------------------------------------------


def test_user_and_token_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db = tmp_path / "cli.db"

    def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = runner.invoke(cli, ["--db", str(db), *args], input=stdin)
        return result.exit_code, result.stdout

    assert run("user", "add", "Ann", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    code, _ = run("user", "add", "ann", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 2  # names compare without case
    assert run("user", "add", "bob", "--password-stdin", stdin="short\n")[0] == 2
    code, out = run("token", "create", "ci", "--user", "ann")
    secret = out.strip().splitlines()[0]
    assert code == 0 and secret.startswith("pn_")
    code, out = run("token", "list", "--json")
    assert code == 0 and secret not in out and '"name": "ci"' in out
    with Store(db) as store:
        assert security.token_owner(store, secret) is not None
        stored = store.conn.execute("SELECT password_hash FROM users").fetchone()[0]
        assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert run("token", "revoke", "ci")[0] == 0
    assert run("token", "revoke", "ci")[0] == 2
    with Store(db) as store:
        assert security.token_owner(store, secret) is None
    code, out = run("user", "list", "--json")
    assert code == 0 and '"name": "Ann"' in out
    assert run("user", "remove", "ann")[0] == 0
    assert run("user", "list")[1].startswith("no users")


def test_an_outdated_password_hash_is_replaced_on_login(client: TestClient, db: Path) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with Store(db) as store:
        store.conn.execute("UPDATE users SET password_hash = ? WHERE name = 'ann'", (weak,))
    assert login(client).status_code == 303
    with Store(db) as store:
        now = store.conn.execute("SELECT password_hash FROM users WHERE name = 'ann'").fetchone()[0]
    assert now != weak and PasswordHasher().check_needs_rehash(now) is False
