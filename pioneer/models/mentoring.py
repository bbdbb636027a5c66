"""Invitations to co-mentor a project: a person joins a project's mentors only once they accept."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .catalogue import Project
from .people import User
from .types import UTCDateTime, utcnow


class MentorInvitation(db.Model):
    """An invitation waiting for an answer; accepting, declining or withdrawing it deletes the row.

    `username` is what the inviting mentor typed, and all they are ever shown. `invitee` is the
    account it named when it was made, when that account could sign in; otherwise it stays empty, so
    the invitation looks the same to the mentors and can never be accepted (by someone who registers
    the name later, for instance): the form must not tell which usernames exist.
    """

    __tablename__ = "mentor_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    username: Mapped[str] = mapped_column(sa.String(40))
    invitee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship()
    invitee: Mapped[User | None] = relationship(foreign_keys=[invitee_id])
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    __table_args__ = (sa.UniqueConstraint("project_id", "username", name="uq_mentor_invitations_project_username"),)
