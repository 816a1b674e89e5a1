"""The weekly newsletter: a week's items as an e-mail edition, sent over SMTP.

`edition` (items → `Edition`: subject, preheader, sections by kind, permalinks; pure), `render`
(Jinja2 templates in `templates/`, CSS inlined by css-inline, dark mode kept in `@media`; and the
plain-text part), `message` (the `multipart/alternative` EmailMessage), `recipients` (the
recipients file, validated), `settings` (`[newsletter]`, `[smtp]`, the password from the
environment), `send` (SMTP with STARTTLS, each send recorded in the store's `newsletter_sends`).
"""

from papernews.newsletter.edition import Edition, build_edition
from papernews.newsletter.message import build_message
from papernews.newsletter.recipients import Recipient, parse_recipients, read_recipients
from papernews.newsletter.render import Rendered, render
from papernews.newsletter.send import SendReport, send_edition
from papernews.newsletter.settings import NewsletterSettings, SmtpSettings

__all__ = [
    "Edition",
    "NewsletterSettings",
    "Recipient",
    "Rendered",
    "SendReport",
    "SmtpSettings",
    "build_edition",
    "build_message",
    "parse_recipients",
    "read_recipients",
    "render",
    "send_edition",
]
