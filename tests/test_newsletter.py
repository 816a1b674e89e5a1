"""The weekly newsletter: the edition of the seed's week (HTML with inlined CSS and a dark palette,
plain text, permalinks), the recipients file, and sending through a local SMTP server (aiosmtpd,
STARTTLS with a test CA, login) that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from papernews.errors import InputError
from papernews.formats.markdown import Document
from papernews.model import Bullet, Item, Kind, Week
from papernews.newsletter import build_edition, build_message, parse_recipients, render
from papernews.publish.feeds import SiteInfo
from social_support import run, seed_archive, use_config, write_config

WEEK = Week.parse_key("2024-09-W03")
SITE = SiteInfo(base_url="https://news.example.org/")
USER, PASSWORD = "news@example.org", "smtp-pa55word"


def _week_items(doc: Document) -> list[Item]:
    return [it for it in doc.items if it.week is not None and it.week.covers(WEEK)]


# --- the edition ----------------------------------------------------------------------------------


def test_the_edition_of_the_seed_week(seed_doc: Document) -> None:
    items = _week_items(seed_doc)
    edition = build_edition(items, WEEK, SITE, unsubscribe="mailto:news+off@example.org")
    assert edition.subject == "NLP Paper News · September 2024, 3rd week (24 picks)"
    assert edition.preheader.startswith("Stable Diffusion 3 Medium Fine-tuning Tutorial · Agent Workflow Memory")
    assert len(edition.preheader) <= 110
    assert [s.title for s in edition.sections] == ["Papers", "Developer blogs & GitHub", "News"]
    assert edition.count == 24 and edition.counts == "24 picks: 14 papers, 9 dev, 1 news"
    assert edition.week_url == "https://news.example.org/2024/09/w3/"


def test_the_html_part_inlines_css_and_keeps_the_dark_palette(seed_doc: Document) -> None:
    items = _week_items(seed_doc)
    rendered = render(build_edition(items, WEEK, SITE, unsubscribe="mailto:news+off@example.org"))
    html = rendered.html
    assert '<meta name="color-scheme" content="light dark">' in html
    assert '<meta name="supported-color-schemes" content="light dark">' in html
    assert "@media (prefers-color-scheme: dark)" in html  # kept in <head> for the clients that follow it
    assert ".item-link {" not in html  # every plain rule went into style attributes
    assert 'class="item-link" href="https://news.example.org/items/' in html
    assert 'style="' in html and "color: #0b57d0" in html
    for item in items:
        assert f'href="https://news.example.org/items/{item.id}/"' in html
    assert 'href="https://arxiv.org/abs/2409.07429"' in html  # the source, as a second link
    assert 'href="https://github.com/zorazrw/agent-workflow-memory"' in html  # a bullet's link
    assert 'class="preheader"' in html and "display: none" in html
    assert 'href="mailto:news+off@example.org"' in html
    assert max(len(line) for line in rendered.text.splitlines()) < 998


def test_the_text_part(seed_doc: Document) -> None:
    rendered = render(build_edition(_week_items(seed_doc), WEEK, SITE))
    text = rendered.text
    assert text.startswith("NLP Paper News · September 2024, 3rd week\n24 picks: 14 papers, 9 dev, 1 news\n")
    assert "== 📜 Papers (14) ==" in text
    assert "[CMU, MIT] Agent Workflow Memory\nhttps://news.example.org/items/" in text
    assert "원문: https://arxiv.org/abs/2409.07429" in text
    assert "  - 깃허브 링크 <https://github.com/zorazrw/agent-workflow-memory> 🔗" in text
    assert "    - 이 부분은 확인할 필요가 있을 듯" in text  # a level-2 bullet, indented
    assert "<" not in text.replace("<https://", "").replace("<http://", "")


def test_everything_in_the_html_is_escaped() -> None:
    item = Item(
        id="x1",
        kind=Kind.NEWS,
        orgs=["<b>Org</b>"],
        title='<script>alert("t")</script>',
        url="javascript:alert(1)",
        bullets=[Bullet(text="<img src=x onerror=alert(1)> [click](javascript:alert(2))")],
        week=WEEK,
    )
    html = render(build_edition([item], WEEK, SITE)).html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img" in html
    assert "<b>Org</b>" not in html
    assert 'href="javascript:' not in html


# --- recipients -----------------------------------------------------------------------------------


def test_recipients_file() -> None:
    text = (
        "# readers\n\nalice@example.org\nBob Kim <bob@Example.ORG>  # a friend\n"
        "alice@example.org\n김철수 <cs@example.kr>\n"
    )
    recipients = parse_recipients(text, path="r.txt")
    assert [r.address for r in recipients] == ["alice@example.org", "bob@example.org", "cs@example.kr"]
    assert [r.name for r in recipients] == ["", "Bob Kim", "김철수"]


@pytest.mark.parametrize(
    ("text", "line"),
    [("ok@example.org\nnot an address\n", 2), ("a@b.org\n\n# c\nx@@example.org\n", 4), ("Name <broken@example\n", 1)],
)
def test_a_bad_recipient_line_is_named(text: str, line: int) -> None:
    with pytest.raises(InputError) as info:
        parse_recipients(text, path="recipients.txt")
    assert info.value.line == line and info.value.path == "recipients.txt"


# --- the message ----------------------------------------------------------------------------------


def _parts(msg: EmailMessage) -> tuple[str, str]:
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    return str(plain.get_content()), str(html.get_content())


def test_the_message_is_multipart_alternative(seed_doc: Document) -> None:
    from email.headerregistry import Address

    edition = build_edition(_week_items(seed_doc), WEEK, SITE, unsubscribe="mailto:off@example.org")
    rendered = render(edition)
    sender = Address("NLP Paper News", "news", "example.org")
    msg = build_message(edition, rendered, sender=sender, reply_to=Address("", "curator", "example.org"))
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert [p["Content-Transfer-Encoding"] for p in msg.iter_parts()] == ["base64", "quoted-printable"]
    raw = msg.as_bytes()
    assert max(len(line) for line in raw.splitlines()) <= 998
    assert raw.isascii()
    again = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(again, EmailMessage)
    text, html = _parts(again)
    assert (text, html.rstrip("\n")) == (rendered.text, rendered.html)  # set_content ends the part with a newline
    assert again["List-Unsubscribe"] == "<mailto:off@example.org>"
    assert again["Message-ID"].endswith("@example.org>")


# --- sending through a local SMTP server ------------------------------------------------------------


@dataclass
class Inbox:
    """aiosmtpd handler: refuses the addresses in `refuse`, keeps every message it accepts."""

    refuse: set[str] = field(default_factory=set)
    received: list[tuple[str, list[str], bytes, bool]] = field(default_factory=list)

    async def handle_RCPT(
        self, server: SMTPServer, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.received.append((str(envelope.mail_from), list(envelope.rcpt_tos), content, bool(session.ssl)))
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        out = []
        for _, _, content, _ in self.received:
            msg = email.message_from_bytes(content, policy=email.policy.default)
            assert isinstance(msg, EmailMessage)
            out.append(msg)
        return out


def _authenticate(server: SMTPServer, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[tuple[Inbox, int, Path]]:
    """An SMTP server on 127.0.0.1 that requires STARTTLS (a certificate of a test CA) and a login."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    import ssl

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    cafile = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,
    )
    controller.start()
    yield inbox, port, cafile
    controller.stop()


@pytest.fixture
def db(tmp_path: Path, seed_doc: Document) -> Path:
    return seed_archive(tmp_path / "archive.db", seed_doc)


@pytest.fixture
def configured(smtp: tuple[Inbox, int, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Inbox, Path]:
    inbox, port, cafile = smtp
    (tmp_path / "recipients.txt").write_text(
        "# the readers\nalice@example.org\nBob <bob@example.org>\n", encoding="utf-8"
    )
    use_config(
        monkeypatch,
        tmp_path / "papernews.toml",
        '[site]\nbase_url = "https://news.example.org/"\n'
        '[newsletter]\nfrom = "NLP Paper News <news@example.org>"\nreply_to = "curator@example.org"\n'
        'recipients = "recipients.txt"\nunsubscribe = "mailto:news+off@example.org"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\ncafile = "{cafile.name}"\ntimeout = 10\n',
    )
    return inbox, tmp_path


def test_the_edition_arrives_at_the_smtp_server(
    db: Path, configured: tuple[Inbox, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, _ = configured
    monkeypatch.setenv("PAPERNEWS_SMTP_PASSWORD", PASSWORD)
    code, out, err = run("newsletter", "--week", "2024-09-W03", "--send", "--json", db=db)
    assert code == 0, err
    report = json.loads(out)
    assert report["send"] == {"sent": ["alice@example.org", "bob@example.org"], "skipped": [], "refused": []}
    assert [(frm, to, tls) for frm, to, _, tls in inbox.received] == [
        ("news@example.org", ["alice@example.org"], True),
        ("news@example.org", ["bob@example.org"], True),
    ]
    alice, bob = inbox.messages()
    assert alice["To"] == "alice@example.org" and bob["To"] == "Bob <bob@example.org>"
    assert alice["From"] == "NLP Paper News <news@example.org>" and alice["Reply-To"] == "curator@example.org"
    assert alice["Subject"] == "NLP Paper News · September 2024, 3rd week (24 picks)"
    assert alice["List-Unsubscribe"] == "<mailto:news+off@example.org>"
    assert alice["X-Papernews-Edition"] == "2024-09-W03"
    assert alice["Message-ID"] != bob["Message-ID"]
    assert alice.get_content_type() == "multipart/alternative"
    text, html = _parts(alice)
    assert "== 📜 Papers (14) ==" in text and "https://news.example.org/items/" in text
    assert "@media (prefers-color-scheme: dark)" in html and 'href="https://news.example.org/items/' in html
    assert PASSWORD not in out + err


def test_a_rerun_sends_only_to_those_not_reached(
    db: Path, configured: tuple[Inbox, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, _ = configured
    monkeypatch.setenv("PAPERNEWS_SMTP_PASSWORD", PASSWORD)
    inbox.refuse = {"bob@example.org"}
    code, _, err = run("newsletter", "--week", "2024-09-W03", "--send", db=db)
    assert code == 1
    assert "refused bob@example.org: 550 5.1.1 No such user here" in err
    inbox.refuse = set()
    code, out, _ = run("newsletter", "--week", "2024-09-W03", "--send", "--json", db=db)
    assert code == 0
    assert json.loads(out)["send"] == {"sent": ["bob@example.org"], "skipped": ["alice@example.org"], "refused": []}
    code, out, _ = run("newsletter", "--week", "2024-09-W03", "--send", "--json", db=db)
    assert json.loads(out)["send"]["sent"] == []
    assert len(inbox.received) == 2
    code, out, _ = run("newsletter", "--week", "2024-09-W03", "--send", "--resend", "--json", db=db)
    assert json.loads(out)["send"]["sent"] == ["alice@example.org", "bob@example.org"]


def test_send_without_the_password_names_the_variable(db: Path, configured: tuple[Inbox, Path]) -> None:
    inbox, _ = configured
    code, _, err = run("newsletter", "--week", "2024-09-W03", "--send", db=db)
    assert code == 2 and "PAPERNEWS_SMTP_PASSWORD" in err and "nothing was sent" in err
    assert inbox.received == []


def test_a_wrong_password_is_refused(db: Path, configured: tuple[Inbox, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNEWS_SMTP_PASSWORD", "wrong")
    code, _, err = run("newsletter", "--week", "2024-09-W03", "--send", db=db)
    assert code == 2 and "refused the login of 'news@example.org'" in " ".join(err.split())


def test_dry_run_prints_the_text_and_checks_recipients(db: Path, configured: tuple[Inbox, Path]) -> None:
    inbox, folder = configured
    code, out, err = run("newsletter", "--week", "2024-09-W03", db=db)
    assert code == 0
    assert out.startswith("NLP Paper News · September 2024, 3rd week")
    assert "2 recipients" in err and inbox.received == []
    (folder / "recipients.txt").write_text("alice@example.org\nnope\n", encoding="utf-8")
    code, _, err = run("newsletter", "--week", "2024-09-W03", db=db)
    assert code == 2 and "recipients.txt:2" in err


@pytest.mark.parametrize("name", ["edition.html", "edition.txt", "edition.eml"])
def test_out_writes_the_edition(db: Path, configured: tuple[Inbox, Path], name: str) -> None:
    _, folder = configured
    target = folder / name
    code, _, err = run("newsletter", "--week", "2024-09-W03", "--out", str(target), db=db)
    assert code == 0, err
    data = target.read_bytes()
    if name.endswith(".html"):
        assert data.startswith(b"<!DOCTYPE html>") and b"color-scheme" in data
    elif name.endswith(".txt"):
        assert data.decode("utf-8").startswith("NLP Paper News")
    else:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        assert msg.get_content_type() == "multipart/alternative" and msg["To"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--week", "2024-9-W3x"], "is not a week"),
        (["--week", "2023-01-W01"], "no items in week 2023-01-W01"),
    ],
)
def test_newsletter_refuses_bad_weeks(db: Path, configured: tuple[Inbox, Path], args: list[str], message: str) -> None:
    code, out, err = run("newsletter", *args, db=db)
    assert code == 2 and message in " ".join((out + err).replace("│", " ").split())


def test_newsletter_needs_the_site_address(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERNEWS_CONFIG", str(write_config(tmp_path / "empty.toml", "")))
    code, out, err = run("newsletter", "--week", "2024-09-W03", db=db)
    assert code == 2 and "site.base_url" in " ".join((out + err).replace("│", " ").split())
    code, out, _ = run("newsletter", "--week", "2024-09-W03", "--base-url", "https://x.example/", db=db)
    assert code == 0 and "https://x.example/items/" in out
