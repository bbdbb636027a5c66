"""Compose mail from templates with the standard library, and send it over one SMTP connection.

Each message the site sends has a folder templates/email/<name>/ with subject.txt and body.txt
(plain text: mail readers show it as written). `message` renders both; `send` delivers.
"""

import email.policy
import smtplib
import ssl
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template

from .text import one_line

DEFAULT_SENDER = "Pioneer <pioneer@localhost>"
NOT_CONFIGURED = "no mail server is configured"
# Settings arrive from PIONEER_MAIL_* as JSON when they parse, else as strings.
FALSE_STRINGS = {"", "0", "false", "no", "off"}
# Headers stay on one line up to RFC 5322's hard limit: a folded Subject shows broken in some list
# archives and mail readers (a call for projects names several areas, often past 78 characters).
POLICY = email.policy.default.clone(max_line_length=998)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str = "application/octet-stream"


@dataclass
class Outcome:
    """What send() did: a message refused for only some recipients is in both lists."""

    sent: list[EmailMessage] = field(default_factory=list)
    failed: list[tuple[EmailMessage, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def message(name: str, to: str | list[str], *, reply_to: str | None = None,
            attachments: tuple[Attachment, ...] | list[Attachment] = (), **context) -> EmailMessage:
    """Compose the message called name from its templates, with context for both.

    The subject is folded onto one line: a line break in a header would break the message.
    """
    subject, body = render(name, **context)
    return compose(to, subject, body, reply_to=reply_to, attachments=attachments)


def render(name: str, **context) -> tuple[str, str]:
    """Render the subject (one line) and the body of the message called name."""
    subject = one_line(render_template(f"email/{name}/subject.txt", **context))
    body = render_template(f"email/{name}/body.txt", **context).strip() + "\n"
    return subject, body


def is_configured() -> bool:
    """Tell whether a mail server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def address(name: str | None, email: str) -> str:
    """Write "Name <email>" for a header, the name made one line; the bare address when the name cannot fit."""
    try:
        return str(Address(display_name=one_line(name) or "", addr_spec=one_line(email)))
    except (ValueError, IndexError):
        return one_line(email)


def compose(to: str | list[str], subject: str, body: str, *, reply_to: str | None = None,
            attachments: tuple[Attachment, ...] | list[Attachment] = ()) -> EmailMessage:
    """Build a plain-text UTF-8 message from the configured sender.

    Every header is made of one-line text: a title or a display name already in the database, or read by
    the importer, may hold a line break, U+2028 or a control character, and the email package refuses a
    header with a line break in it (ValueError), which would stop a whole batch of mail.
    """
    message = EmailMessage(policy=POLICY)
    message["From"] = one_line(current_app.config.get("MAIL_SENDER") or DEFAULT_SENDER)
    message["To"] = ", ".join(one_line(recipient) for recipient in ([to] if isinstance(to, str) else to))
    if reply_to:
        message["Reply-To"] = one_line(reply_to)
    message["Subject"] = one_line(subject)
    message["Date"] = formatdate(localtime=True)
    # The sender's domain, because make_msgid's default asks DNS for this host's name.
    message["Message-ID"] = make_msgid(domain=message["From"].addresses[0].domain or None)
    message.set_content(body, charset="utf-8")
    for attachment in attachments:
        _attach(message, attachment)
    return message


def _attach(message, attachment):
    maintype, _, subtype = attachment.mimetype.partition("/")
    content = attachment.content
    if isinstance(content, str) and maintype == "text":
        # Text stays text so the part carries charset=utf-8 and decodes back to the same string.
        message.add_attachment(content, subtype=subtype, filename=attachment.filename)
        return
    if isinstance(content, str):
        content = content.encode("utf-8")
    message.add_attachment(content, maintype=maintype, subtype=subtype, filename=attachment.filename)


def send(messages: EmailMessage | list[EmailMessage], timeout: float | None = None) -> Outcome:
    """Send one message or a list over a single connection; never raise for mail problems.

    timeout (seconds) overrides MAIL_TIMEOUT: a page that sends after its commit uses a short one.
    """
    pending = [messages] if isinstance(messages, EmailMessage) else list(messages)
    outcome = Outcome()
    if not pending:
        return outcome
    if not is_configured():
        current_app.logger.info("Not sending %d message(s): %s", len(pending), NOT_CONFIGURED)
        outcome.failed.extend((message, NOT_CONFIGURED) for message in pending)
        return outcome
    host = current_app.config["MAIL_SERVER"]
    port = current_app.config.get("MAIL_PORT") or 25
    try:
        with _connect(host, int(port), timeout) as smtp:
            while pending:
                _send_one(smtp, pending[0], outcome)
                pending.pop(0)
    except (OSError, smtplib.SMTPException, ValueError) as error:
        # Whatever was not handed over when the connection failed is reported, not raised.
        for message in pending:
            _fail(outcome, message, f"could not reach the mail server {host}:{port}: {error}")
    return outcome


def _connect(host, port, timeout=None):
    """Open an SMTP session, secured and signed in as configured."""
    config = current_app.config
    timeout = float(timeout or config.get("MAIL_TIMEOUT", 10))
    if _flag("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if _flag("MAIL_USE_STARTTLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _send_one(smtp, message, outcome):
    """Hand one message over; a refusal is recorded, a lost connection propagates."""
    try:
        refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        _fail(outcome, message, "refused every recipient: " + _describe(error.recipients))
        return
    except (smtplib.SMTPResponseException, smtplib.SMTPNotSupportedError, ValueError) as error:
        _fail(outcome, message, f"the mail server refused the message: {error}")
        return
    outcome.sent.append(message)
    if refused:
        _fail(outcome, message, "refused some recipients: " + _describe(refused))


def _describe(refused):
    """Render smtplib's {address: (code, reply)} as readable text."""
    return "; ".join(
        f"{address} ({code} {reply.decode('utf-8', 'replace')})"
        for address, (code, reply) in refused.items()
    ) or "no recipients"


def _fail(outcome, message, reason):
    current_app.logger.warning("Mail %r to %s not sent: %s", message["Subject"], message["To"], reason)
    outcome.failed.append((message, reason))


def _flag(key):
    """Read a boolean setting that may arrive as a string."""
    value = current_app.config.get(key, False)
    if isinstance(value, str):
        # An unrecognised word turns TLS on: a failed send is better than a silent plaintext one.
        return value.strip().lower() not in FALSE_STRINGS
    return bool(value)
