"""Accounts and mentor profiles."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .enums import Role
from .types import UTCDateTime, str_enum, utcnow


class User(db.Model):
    """A person: an account, or a mentor profile without a login (no password yet)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(40), unique=True)
    # Private: never shown to anyone but the person and admins.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    links: Mapped[list] = mapped_column(sa.JSON, default=list)
    timezone: Mapped[str | None] = mapped_column(sa.String(64))
    capacity: Mapped[int] = mapped_column(sa.SmallInteger, default=1)
    availability: Mapped[str] = mapped_column(sa.String(500), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Set when the person followed the link mailed to this address; notices go only to verified
    # addresses (docs/mail.md). Changing the email clears it.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How a newcomer reaches this mentor, shown in a project's "How to start" block: all public.
    contact_chat: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    contact_forum: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    public_email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    office_hours: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    office_hours_url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # Every session cookie carries this number; raising it signs the person out everywhere.
    session_version: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    role_rows: Mapped[list["UserRole"]] = relationship(back_populates="user", cascade="all, delete-orphan")

    __table_args__ = (
        sa.CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        # /mentors walks people in name order and stops after a page.
        sa.Index("ix_users_name", "name", "id"),
    )

    @property
    def roles(self):
        return {row.role for row in self.role_rows}

    def has_role(self, role):
        return Role(role) in self.roles

    def grant(self, role):
        """Add a role; granting one already held changes nothing."""
        role = Role(role)
        if role not in self.roles:
            self.role_rows.append(UserRole(role=role))

    def end_all_sessions(self):
        """End every session of this account, on every device: each cookie's version no longer matches."""
        self.session_version += 1

    @property
    def email_verified(self):
        return self.email_verified_at is not None

    @property
    def contact_ways(self):
        """Whether the person said how newcomers can reach them."""
        return any((self.contact_chat, self.contact_forum, self.public_email, self.office_hours))

    @property
    def can_sign_in(self):
        return self.is_active and self.password_hash is not None

    def __repr__(self):
        return f"<User {self.username}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class LoginFailure(db.Model):
    """One failed sign-in, counted per account and per client address by every server process."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    # "account:<login>" or "address:<ip>"; a key never holds a password.
    key: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_login_failures_key_created_at", "key", "created_at"),)
