"""The mail queue: every message the site sends is a row of `mail_outbox`, written in the transaction of the
change it tells about and sent after the commit (docs/mail.md).

To send mail from any feature, call `queue(...)` before the request or command commits:

    from pioneer import notify
    notify.queue("claim_made", user=mentor, kind=NoticeKind.CLAIMS, project=project, claim=claim)
    db.session.commit()

The page that queued it hands it to the mail server right after its response is built, with a short
timeout (`MAIL_QUEUE_TIMEOUT`); whatever is not sent then stays queued for `pioneer mail send` (cron).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, has_request_context

from .. import mail
from ..database import db
from ..links import site_url
from ..models import Frequency, NoticeKind, NoticeSetting, OutboxMail, User, utcnow

# How long a sender holds the rows it is sending before another may try them.
LEASE = timedelta(minutes=10)
BATCH = 100


def frequency(user: User, kind: NoticeKind) -> Frequency:
    """How user wants notices of this kind: at once unless they chose otherwise."""
    setting = db.session.get(NoticeSetting, (user.id, kind)) if user.id is not None else None
    return setting.frequency if setting else Frequency.AT_ONCE


def settings_of(user: User) -> dict[NoticeKind, Frequency]:
    """Every kind with the frequency user chose."""
    chosen = {row.kind: row.frequency for row in db.session.execute(
        db.select(NoticeSetting).where(NoticeSetting.user_id == user.id)).scalars()}
    return {kind: chosen.get(kind, Frequency.AT_ONCE) for kind in NoticeKind}


def choose(user: User, kind: NoticeKind, value: Frequency) -> None:
    """Keep user's choice for one kind of notice; the caller commits."""
    setting = db.session.get(NoticeSetting, (user.id, kind))
    if setting is None:
        db.session.add(NoticeSetting(user_id=user.id, kind=kind, frequency=value))
    else:
        setting.frequency = value


def queue(template: str, to: str | None = None, *, user: User | None = None, kind: NoticeKind | None = None,
          reply_to: str | None = None, account_mail: bool = False, **context) -> OutboxMail | None:
    """Queue the message templates/email/<template>/ for user (or the address to); the caller commits.

    Returns the row, or None when nothing is to be sent: the person has no verified email (only
    `account_mail`, the verification and reset links, go to an unverified address), or chose "never"
    for this kind. A kind chosen "daily" waits for the digest. The templates get `recipient`,
    `preferences_url` and the context.
    """
    address = to or (user.email if user is not None else None)
    if not address:
        return None
    if user is not None and not account_mail and not user.email_verified:
        return None
    chosen = frequency(user, kind) if user is not None and kind is not None else Frequency.AT_ONCE
    if chosen is Frequency.NEVER:
        return None
    subject, body = mail.render(template, recipient=user, preferences_url=site_url("accounts.edit_notifications"),
                                **context)
    row = OutboxMail(template=template, kind=kind, recipient=user, to_address=address, reply_to=reply_to,
                     subject=subject[:400], body=body, digest=chosen is Frequency.DAILY, attempts=0,
                     last_error="")
    db.session.add(row)
    if has_request_context():
        g.setdefault("queued_mail", []).append(row)
    return row


@dataclass
class Report:
    """What one run of the sender did."""

    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other):
        self.sent += other.sent
        self.failed += other.failed


def _unsent(digest):
    now = utcnow()
    return (db.select(OutboxMail.id)
            .where(OutboxMail.sent_at.is_(None), OutboxMail.digest.is_(digest),
                   sa.or_(OutboxMail.locked_until.is_(None), OutboxMail.locked_until < now))
            .order_by(OutboxMail.id))


def _lease(ids):
    """Take the rows nobody else is sending now; commit so other senders see the lease."""
    now = utcnow()
    taken = []
    for row_id in ids:
        result = db.session.execute(
            sa.update(OutboxMail)
            .where(OutboxMail.id == row_id, OutboxMail.sent_at.is_(None),
                   sa.or_(OutboxMail.locked_until.is_(None), OutboxMail.locked_until < now))
            .values(locked_until=now + LEASE, attempts=OutboxMail.attempts + 1)
        )
        if result.rowcount == 1:
            taken.append(row_id)
    db.session.commit()
    return list(db.session.execute(db.select(OutboxMail).where(OutboxMail.id.in_(taken))
                                   .order_by(OutboxMail.id)).scalars()) if taken else []


def _settle(rows_by_message, outcome):
    """Mark what the server took as sent; release the rest, with the reason, for the next run."""
    report = Report()
    now = utcnow()
    failed = {id(message): reason for message, reason in outcome.failed}
    for message, rows in rows_by_message:
        reason = failed.get(id(message))
        for row in rows:
            row.locked_until = None
            if reason is None:
                row.sent_at = now
            else:
                row.last_error = reason[:500]
        if reason is None:
            report.sent += 1
        else:
            report.failed.append((rows[0].to_address, reason))
    db.session.commit()
    return report


def send_queued(ids: list[int] | None = None, timeout: float | None = None, progress=None) -> Report:
    """Send queued messages (those ids, or every one not waiting for the digest), a batch per connection."""
    report = Report()
    candidates = list(db.session.execute(_unsent(False) if ids is None else
                                         _unsent(False).where(OutboxMail.id.in_(ids))).scalars())
    for start in range(0, len(candidates), BATCH):
        rows = _lease(candidates[start:start + BATCH])
        pairs = [(mail.compose(row.to_address, row.subject, row.body, reply_to=row.reply_to), [row]) for row in rows]
        outcome = mail.send([message for message, _rows in pairs], timeout=timeout)
        report.add(_settle(pairs, outcome))
        if progress:
            progress(len(candidates[start:start + BATCH]))
    return report


def send_digests(progress=None) -> Report:
    """Send each person one message holding every notice waiting for their digest."""
    report = Report()
    candidates = list(db.session.execute(_unsent(True)).scalars())
    rows = []
    for start in range(0, len(candidates), BATCH):
        rows += _lease(candidates[start:start + BATCH])
    by_address = {}
    for row in rows:
        by_address.setdefault(row.to_address, []).append(row)
    pairs = []
    for address, notices in by_address.items():
        subject, body = mail.render("digest", recipient=notices[0].recipient, notices=notices,
                                    preferences_url=site_url("accounts.edit_notifications"))
        pairs.append((mail.compose(address, subject, body), notices))
    for start in range(0, len(pairs), BATCH):
        chunk = pairs[start:start + BATCH]
        report.add(_settle(chunk, mail.send([message for message, _rows in chunk])))
        if progress:
            progress(len(chunk))
    return report


def waiting() -> int:
    """How many messages are queued and not sent."""
    return db.session.execute(db.select(sa.func.count(OutboxMail.id)).where(OutboxMail.sent_at.is_(None))).scalar_one()


def _send_after_request(response):
    """Hand this request's queued mail to the server, once the view has committed; never fail the page."""
    rows = g.pop("queued_mail", [])
    ids = [identity[0] for identity in (sa.inspect(row).identity for row in rows) if identity]
    if ids and mail.is_configured():
        try:
            send_queued(ids, timeout=current_app.config["MAIL_QUEUE_TIMEOUT"])
        except Exception:  # noqa: BLE001 - the rows stay queued; the page must not fail for mail.
            db.session.rollback()
            current_app.logger.exception("Queued mail not sent now; `pioneer mail send` will retry it")
    return response


def init_app(app):
    app.after_request(_send_after_request)
