"""Durable index work: a row per project whose document must be rewritten."""

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..database import db
from .types import UTCDateTime, utcnow


class SearchPending(db.Model):
    """Written in the same transaction as the change; removed once the index holds it."""

    __tablename__ = "search_pending"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: a deleted project still needs its document removed.
    project_id: Mapped[int] = mapped_column(index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SearchConsumer(db.Model):
    """A Whoosh index folder that applied search_pending rows, and when it last did.

    The outbox is consumed by whichever process commits first, so two hosts with an index each would
    each miss the other's changes; `pioneer search check` names the other index when that happens
    (docs/search.md, "One host or several").
    """

    __tablename__ = "search_consumers"

    index_name: Mapped[str] = mapped_column(db.String(500), primary_key=True)  # host and folder
    last_applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
