"""What reviewers keep: the calls for projects sent (or only drafted) to the community's list."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .people import User
from .types import UTCDateTime, utcnow


class CallForProjects(db.Model):
    """A message asking the community for projects; sent_at stays empty when it was kept or not delivered."""

    __tablename__ = "calls_for_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    sent_to: Mapped[str | None] = mapped_column(sa.String(254))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Why it was not delivered, in words a reviewer can act on; empty when sent or kept on purpose.
    delivery_note: Mapped[str] = mapped_column(sa.String(500), default="")

    author: Mapped[User | None] = relationship()

    def __repr__(self):
        return f"<CallForProjects {self.id} {self.subject!r}>"
