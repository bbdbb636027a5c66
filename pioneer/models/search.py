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
