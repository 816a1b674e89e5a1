"""The edition as an e-mail: `multipart/alternative` with the plain-text part first and the HTML
part last (clients show the last part they can), and the headers a list mail should carry.

Both parts are 7-bit safe (the Korean text part base64, the HTML part quoted-printable), so no
relay needs 8BITMIME and no line passes SMTP's 998-character limit.
"""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from papernews.newsletter.edition import Edition
from papernews.newsletter.recipients import Recipient
from papernews.newsletter.render import Rendered


def build_message(
    edition: Edition,
    rendered: Rendered,
    *,
    sender: Address | None,
    to: Recipient | None = None,
    reply_to: Address | None = None,
    date: datetime | None = None,
    message_id: str | None = None,
) -> EmailMessage:
    """One message of the edition, for one recipient (or none: a preview written with `--out`)."""
    msg = EmailMessage()
    msg["Subject"] = edition.subject
    if sender is not None:
        msg["From"] = sender
    if to is not None:
        local, domain = to.address.rsplit("@", 1)
        msg["To"] = Address(display_name=to.name, username=local, domain=domain)
    if reply_to is not None:
        msg["Reply-To"] = reply_to
    msg["Date"] = format_datetime(date or datetime.now().astimezone())
    msg["Message-ID"] = message_id or make_msgid(
        idstring=edition.key, domain=sender.domain if sender is not None else "papernews.invalid"
    )
    if edition.unsubscribe:
        msg["List-Unsubscribe"] = f"<{edition.unsubscribe}>"
    msg["X-Papernews-Edition"] = edition.key
    msg.set_content(rendered.text, subtype="plain", charset="utf-8", cte="base64")
    msg.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg
