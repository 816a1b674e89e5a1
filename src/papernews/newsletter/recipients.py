"""The recipients file: one address per line (`Name <addr@example.org>` or a bare address),
`#` starts a comment, blank lines are skipped. Every address is checked for syntax with
`email-validator` (no DNS lookup: a typo'd domain is the SMTP server's to refuse), and a bad
line is an error naming its line, before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from papernews.errors import InputError
from papernews.files import read_text


@dataclass(frozen=True)
class Recipient:
    address: str  # normalised by email-validator (the domain lower-cased)
    name: str = ""  # the display name, when the line gave one

    @property
    def display(self) -> str:
        return f"{self.name} <{self.address}>" if self.name else self.address

    @property
    def key(self) -> str:
        """What the store records a send under: the address, lower-cased."""
        return self.address.lower()


def parse_recipients(text: str, *, path: str | None = None) -> list[Recipient]:
    """Recipients in file order, each address once; InputError at the first bad line."""
    out: list[Recipient] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, addr = parseaddr(line)
        if not addr or ("<" in line and ">" not in line):
            raise InputError(f"not an e-mail address: {line!r}", path=path, line=number)
        try:
            valid = validate_email(addr, check_deliverability=False)
        except EmailNotValidError as exc:
            raise InputError(f"{addr!r}: {exc}", path=path, line=number) from None
        address = valid.normalized
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        out.append(Recipient(address, name.strip()))
    return out


def read_recipients(path: Path) -> list[Recipient]:
    recipients = parse_recipients(read_text(path), path=str(path))
    if not recipients:
        raise InputError("no recipients in the file", path=str(path))
    return recipients
