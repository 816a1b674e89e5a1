"""`[newsletter]` and `[smtp]` of `papernews.toml`; the SMTP password only from the environment.

```toml
[newsletter]
from = "NLP Paper News <news@example.org>"
reply_to = "curator@example.org"           # optional
recipients = "recipients.txt"              # default for --to; relative to the config file
unsubscribe = "mailto:news+unsubscribe@example.org"   # optional: List-Unsubscribe and the footer link
title = "NLP Paper News"                   # optional; default site.title

[smtp]
host = "smtp.example.org"
port = 587
starttls = true       # upgrade the connection with STARTTLS (port 587); the default
ssl = false           # TLS from the first byte (port 465) instead
user = "news@example.org"   # omit for a relay that takes mail without login
timeout = 30
cafile = "/etc/ssl/private-ca.pem"   # optional: a private CA to trust besides the system's
```

`PAPERNEWS_SMTP_PASSWORD` holds the password of `user`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email

from papernews.config import Config
from papernews.errors import InputError
from papernews.social.errors import CredentialsError

SMTP_PASSWORD_ENV = "PAPERNEWS_SMTP_PASSWORD"


def _bad(config: Config, message: str) -> InputError:
    return InputError(message, path=str(config.path) if config.path else None)


def _get(config: Config, table: Mapping[str, Any], name: str, key: str, kind: type | tuple[type, ...],
         default: Any) -> Any:  # fmt: skip
    value = table.get(key, default)
    if value is None:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _bad(config, f"{name}.{key} has the wrong type: {type(value).__name__} ({value!r})")
    return value


def parse_address(config: Config, value: str, what: str) -> Address:
    name, addr = parseaddr(value)
    try:
        valid = validate_email(addr, check_deliverability=False)
    except EmailNotValidError as exc:
        raise _bad(config, f"newsletter.{what}: {value!r} is not an e-mail address ({exc})") from None
    local, domain = valid.normalized.rsplit("@", 1)
    return Address(display_name=name, username=local, domain=domain)


@dataclass(frozen=True)
class NewsletterSettings:
    sender: Address | None = None
    reply_to: Address | None = None
    recipients: Path | None = None
    unsubscribe: str | None = None
    title: str | None = None

    @classmethod
    def from_config(cls, config: Config) -> NewsletterSettings:
        table = config.section("newsletter")
        sender = _get(config, table, "newsletter", "from", str, None)
        reply_to = _get(config, table, "newsletter", "reply_to", str, None)
        recipients = _get(config, table, "newsletter", "recipients", str, None)
        unsubscribe = _get(config, table, "newsletter", "unsubscribe", str, None)
        if unsubscribe is not None and not unsubscribe.startswith(("mailto:", "https://", "http://")):
            raise _bad(config, "newsletter.unsubscribe must be a mailto: or http(s) URL")
        folder = config.path.parent if config.path is not None else Path.cwd()
        return cls(
            sender=parse_address(config, sender, "from") if sender else None,
            reply_to=parse_address(config, reply_to, "reply_to") if reply_to else None,
            recipients=(folder / recipients) if recipients else None,
            unsubscribe=unsubscribe,
            title=_get(config, table, "newsletter", "title", str, None),
        )


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    starttls: bool = True
    ssl: bool = False
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    cafile: Path | None = None

    @classmethod
    def from_config(cls, config: Config, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """The `[smtp]` table; CredentialsError when a user is set and its password is not."""
        env = os.environ if environ is None else environ
        table = config.section("smtp")
        host = _get(config, table, "smtp", "host", str, None)
        if not host:
            raise _bad(config, "sending needs smtp.host (and port, user) in papernews.toml")
        use_ssl = _get(config, table, "smtp", "ssl", bool, False)
        starttls = _get(config, table, "smtp", "starttls", bool, not use_ssl)
        if use_ssl and starttls:
            raise _bad(config, "smtp.ssl and starttls exclude each other: ssl for port 465, starttls for 587")
        port = _get(config, table, "smtp", "port", int, 465 if use_ssl else 587)
        timeout = _get(config, table, "smtp", "timeout", (int, float), 30)
        user = _get(config, table, "smtp", "user", str, None)
        cafile = _get(config, table, "smtp", "cafile", str, None)
        password = env.get(SMTP_PASSWORD_ENV) or None
        if user and not password:
            raise CredentialsError(f"smtp.user {user!r} needs its password in {SMTP_PASSWORD_ENV}; nothing was sent")
        folder = config.path.parent if config.path is not None else Path.cwd()
        return cls(
            host=host,
            port=port,
            starttls=starttls,
            ssl=use_ssl,
            user=user,
            password=password,
            timeout=float(timeout),
            cafile=(folder / cafile) if cafile else None,
        )
