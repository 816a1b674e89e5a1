"""Sending an edition over SMTP, one message per recipient (no one sees the list), each recorded
in the store as it is accepted, so a rerun after a failure sends only to those still waiting.

STARTTLS (port 587) by default, TLS from the start (`ssl`, port 465) as the other choice; the
server's certificate is verified (against `cafile` when set). Login only when a user is set.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage

from papernews.newsletter.recipients import Recipient
from papernews.newsletter.settings import SmtpSettings
from papernews.social.errors import SendError
from papernews.store import Store
from papernews.store import social as records


@dataclass
class SendReport:
    edition: str
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # sent by an earlier run
    refused: list[tuple[str, str]] = field(default_factory=list)  # (address, the server's answer)

    @property
    def ok(self) -> bool:
        return not self.refused


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, secured and (with a user) logged-in connection; SendError when it cannot be had."""
    where = f"{settings.host}:{settings.port}"
    context = ssl.create_default_context(cafile=str(settings.cafile) if settings.cafile else None)
    conn: smtplib.SMTP | None = None
    try:
        if settings.ssl:
            conn = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
        else:
            conn = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.starttls:
                conn.starttls(context=context)
        if settings.user:
            conn.login(settings.user, settings.password or "")
    except smtplib.SMTPNotSupportedError as exc:
        _quit(conn)
        raise SendError(f"{where} does not offer STARTTLS: {exc}") from None
    except smtplib.SMTPAuthenticationError as exc:
        _quit(conn)
        raise SendError(f"{where} refused the login of {settings.user!r}: {exc.smtp_code}") from None
    except (smtplib.SMTPException, OSError) as exc:
        _quit(conn)
        raise SendError(f"cannot send through {where}: {exc}") from None
    return conn


def _quit(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def send_edition(
    store: Store,
    edition_key: str,
    recipients: Sequence[Recipient],
    make_message: Callable[[Recipient], EmailMessage],
    settings: SmtpSettings,
    *,
    sender: Address,
    resend: bool = False,
    notify: Callable[[str], None] | None = None,
) -> SendReport:
    """Send to every recipient the store has not recorded for this edition (all with `resend`)."""
    say = notify or (lambda _message: None)
    report = SendReport(edition_key)
    done = set() if resend else records.sent_recipients(store, edition_key)
    todo: list[Recipient] = []
    for r in recipients:
        if r.key in done:
            report.skipped.append(r.address)
        else:
            todo.append(r)
    if not todo:
        return report
    conn = connect(settings)
    try:
        for r in todo:
            msg = make_message(r)
            try:
                conn.send_message(msg, from_addr=sender.addr_spec, to_addrs=[r.address])
            except smtplib.SMTPRecipientsRefused as exc:
                code, answer = next(iter(exc.recipients.values()), (0, b""))
                report.refused.append((r.address, f"{code} {answer.decode('utf-8', 'replace')}"))
                continue
            except smtplib.SMTPResponseException as exc:
                report.refused.append((r.address, f"{exc.smtp_code} {_text(exc.smtp_error)}"))
                continue
            except (smtplib.SMTPException, OSError) as exc:
                raise SendError(
                    f"the connection to {settings.host}:{settings.port} failed after {len(report.sent)} messages"
                    f" ({exc}); a rerun sends to the {len(todo) - len(report.sent)} left"
                ) from None
            records.record_send(store, edition_key, r.key, str(msg["Message-ID"]))
            report.sent.append(r.address)
            say(f"sent to {r.address}")
    finally:
        _quit(conn)
    return report


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
