"""Internship rounds, interns, community calls and invitations."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .catalogue import Project
from .enums import CallRepeat, InternStatus
from .people import User
from .types import UTCDateTime, mentors_table, str_enum, utcnow

intern_mentors = mentors_table("intern_mentors", "interns")


class Round(db.Model):
    """An internship round, e.g. "Outreachy December 2015 – March 2016"."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    description: Mapped[str] = mapped_column(sa.Text, default="")

    interns: Mapped[list["Intern"]] = relationship(back_populates="round", order_by="Intern.name")

    __table_args__ = (sa.CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)


class Intern(db.Model):
    """A person in a round; the email and notes are private."""

    __tablename__ = "interns"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int | None] = mapped_column(sa.ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    status: Mapped[InternStatus] = mapped_column(str_enum(InternStatus), default=InternStatus.APPLICANT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    round: Mapped[Round] = relationship(back_populates="interns")
    project: Mapped[Project | None] = relationship(back_populates="interns")
    user: Mapped[User | None] = relationship()
    mentors: Mapped[list[User]] = relationship(secondary=intern_mentors, order_by=User.name)
    notes: Mapped[list["InternNote"]] = relationship(
        back_populates="intern", cascade="all, delete-orphan", order_by="InternNote.created_at"
    )

    __table_args__ = (sa.UniqueConstraint("round_id", "email", name="uq_interns_round_email"),)


class InternNote(db.Model):
    """A private progress note by a coordinator or one of the intern's mentors."""

    __tablename__ = "intern_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    intern_id: Mapped[int] = mapped_column(sa.ForeignKey("interns.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    intern: Mapped[Intern] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class Call(db.Model):
    """A community call; times are stored in UTC."""

    __tablename__ = "calls"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    duration_minutes: Mapped[int] = mapped_column(sa.SmallInteger, default=60)
    join_url: Mapped[str] = mapped_column(sa.String(500), default="")
    agenda_url: Mapped[str] = mapped_column(sa.String(500), default="")
    repeat: Mapped[CallRepeat] = mapped_column(str_enum(CallRepeat), default=CallRepeat.NONE)
    repeat_until: Mapped[date | None] = mapped_column(sa.Date)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The zone the coordinator gave the start time in (docs/calls.md); None for calls entered in UTC.
    time_zone: Mapped[str | None] = mapped_column(sa.String(64))

    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Invitation.invited_at"
    )

    __table_args__ = (sa.CheckConstraint("duration_minutes > 0", name="positive_duration"),)


class Invitation(db.Model):
    """A person invited to a call, by email, and whether they came."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(sa.ForeignKey("calls.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    intern_id: Mapped[int | None] = mapped_column(sa.ForeignKey("interns.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A single call's attendance; a repeating call's is per occurrence, in Attendance.
    attended: Mapped[bool | None] = mapped_column()
    # "yes" or "no" from the invitation mail's signed link or the call page; None before an answer.
    rsvp: Mapped[str | None] = mapped_column(sa.String(3))
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The start of the occurrence last reminded of, so `pioneer calls remind` mails each once.
    reminded_for: Mapped[datetime | None] = mapped_column(UTCDateTime)

    call: Mapped[Call] = relationship(back_populates="invitations")
    user: Mapped[User | None] = relationship()
    intern: Mapped[Intern | None] = relationship()
    attendances: Mapped[list["Attendance"]] = relationship(back_populates="invitation", cascade="all, delete-orphan")

    __table_args__ = (sa.UniqueConstraint("call_id", "email", name="uq_invitations_call_email"),)


class Attendance(db.Model):
    """Whether an invitee came to one occurrence of a repeating call."""

    __tablename__ = "call_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(sa.ForeignKey("invitations.id", ondelete="CASCADE"))
    occurrence: Mapped[datetime] = mapped_column(UTCDateTime)
    attended: Mapped[bool] = mapped_column()

    invitation: Mapped[Invitation] = relationship(back_populates="attendances")

    __table_args__ = (sa.UniqueConstraint("invitation_id", "occurrence", name="uq_call_attendance_occurrence"),)
