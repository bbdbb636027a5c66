"""Saved searches: a person's /projects filters or /start profile, and the alerts they asked for."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .enums import AlertFrequency, SearchKind
from .people import User
from .types import UTCDateTime, str_enum, utcnow


class SavedSearch(db.Model):
    """A search kept on the account page; `pioneer alerts send` mails projects approved after its watermark."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SearchKind] = mapped_column(str_enum(SearchKind))
    # The query string of the page, without its page number: the search is that URL again.
    query: Mapped[str] = mapped_column(sa.String(2000), default="")
    name: Mapped[str] = mapped_column(sa.String(120))
    frequency: Mapped[AlertFrequency] = mapped_column(str_enum(AlertFrequency), default=AlertFrequency.NEVER)
    # Projects approved up to this moment were already looked at: only later ones are news.
    watermark: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    __table_args__ = (sa.Index("ix_saved_searches_frequency", "frequency"),)

    @property
    def path(self):
        """The page this search runs on, with its query string."""
        page = "/projects" if self.kind is SearchKind.PROJECTS else "/start"
        return page + ("?" + self.query if self.query else "")

    def __repr__(self):
        return f"<SavedSearch {self.id} {self.kind.value}?{self.query}>"
