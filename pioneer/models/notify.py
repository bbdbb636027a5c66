"""Mail waiting to be sent, and what each person wants to be told (docs/mail.md)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .enums import Frequency, NoticeKind
from .people import User
from .types import UTCDateTime, str_enum, utcnow


class OutboxMail(db.Model):
    """One message, written in the transaction of the change it tells about and sent after the commit.

    A row is sent once: `sent_at` is set when the server took it. `locked_until` is a lease, so two
    senders (the request that queued it and `pioneer mail send`) never hand the same row over twice;
    a sender that dies leaves a lease that runs out, and the row is tried again.
    A row with `digest` set waits for the daily digest (`pioneer mail send --digest`).
    """

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The template folder under templates/email/, and what kind of notice it is (for preferences).
    template: Mapped[str] = mapped_column(sa.String(60))
    kind: Mapped[NoticeKind | None] = mapped_column(str_enum(NoticeKind))
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    reply_to: Mapped[str | None] = mapped_column(sa.String(400))
    subject: Mapped[str] = mapped_column(sa.String(400))
    body: Mapped[str] = mapped_column(sa.Text)
    digest: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.String(500), default="")

    recipient: Mapped[User | None] = relationship()

    __table_args__ = (sa.Index("ix_mail_outbox_unsent", "sent_at", "digest", "id"),)


class NoticeSetting(db.Model):
    """How one person wants one kind of notice; without a row, the kind's default (at once)."""

    __tablename__ = "notice_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[NoticeKind] = mapped_column(str_enum(NoticeKind), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency))
