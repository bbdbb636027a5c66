"""Projects and what describes them: areas, skills, links, claims and their history."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..database import db
from .enums import (
    PUBLIC_STATUSES,
    ClaimEnd,
    InternStatus,
    LinkKind,
    ProjectStatus,
    ReviewAction,
    SkillLevel,
    Stars,
    TimeRating,
)
from .people import User
from .types import IntEnumType, UTCDateTime, mentors_table, str_enum, utcnow

if TYPE_CHECKING:  # programmes.py imports this module; the name is for the annotation only.
    from .programmes import Intern

# Unrated projects sort after every rating: a missing rating counts as one above the highest.
UNRATED_LAST = 6


def unrated_last(column):
    """A sort key for a rating column that puts projects without that rating last.

    A literal, not a bound parameter: the expression must match the text of the sort indexes.
    """
    return sa.func.coalesce(column, sa.literal_column(str(UNRATED_LAST)))


project_mentors = mentors_table("project_mentors", "projects")


class CatalogueState(db.Model):
    """A counter bumped by every change to what listings show, so caches of counts know when to refresh."""

    __tablename__ = "catalogue_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Area(db.Model):
    """One of the community's areas (networking, storage, ...), managed by admins."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")


class Skill(db.Model):
    """A shared tag such as ocaml, tcp/ip or xen."""

    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    outcomes: Mapped[str] = mapped_column(sa.Text, default="")
    stars: Mapped[Stars | None] = mapped_column(IntEnumType(Stars))
    time_rating: Mapped[TimeRating | None] = mapped_column(IntEnumType(TimeRating))
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("areas.id", ondelete="SET NULL"))
    status: Mapped[ProjectStatus] = mapped_column(str_enum(ProjectStatus), default=ProjectStatus.DRAFT)
    # Set when a rating changed after approval or an import lacked stars or mentors.
    needs_review: Mapped[bool] = mapped_column(default=False)
    allow_multiple_claims: Mapped[bool] = mapped_column(default=False)
    actual_hours: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    area: Mapped[Area | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    mentors: Mapped[list[User]] = relationship(secondary=project_mentors, order_by=User.name)
    skills: Mapped[list["ProjectSkill"]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectSkill.position", back_populates="project"
    )
    links: Mapped[list["ProjectLink"]] = relationship(
        cascade="all, delete-orphan", order_by="ProjectLink.position"
    )
    claims: Mapped[list["Claim"]] = relationship(back_populates="project", cascade="all, delete-orphan")
    interns: Mapped[list["Intern"]] = relationship(back_populates="project", order_by="Intern.name")
    review_events: Mapped[list["ReviewEvent"]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="ReviewEvent.created_at"
    )

    __table_args__ = (
        sa.CheckConstraint("stars IS NULL OR stars BETWEEN 1 AND 5", name="stars_range"),
        sa.CheckConstraint("time_rating IS NULL OR time_rating BETWEEN 1 AND 5", name="time_range"),
        # The listing filters on status first, then stars and time, and sorts by approval.
        # approved_at in the index lets a filtered listing sort without reading the table.
        sa.Index("ix_projects_status_stars_time", "status", "stars", "time_rating", "approved_at"),
        sa.Index("ix_projects_status_time", "status", "time_rating"),
        sa.Index("ix_projects_status_approved_at", "status", "approved_at"),
        # The home page's "start here": available 1-star projects, newest first, five of them.
        sa.Index("ix_projects_status_stars_approved_at", "status", "stars", "approved_at"),
        # Sorted listings walk these in order and stop after one page.
        # On PostgreSQL a descending walk meets NULLs first: walking this index backwards for "newest",
        # the planner read every unapproved project (10,000 of 100,000) before the first public one.
        # There it holds approved projects only, so "newest" takes ix_projects_public_newest instead,
        # which holds public projects in that order with the listing's filter columns: a filtered
        # page is read from the index alone (docs/architecture.md, "Query plans").
        sa.Index("ix_projects_approved_at", "approved_at", postgresql_where=sa.text("approved_at IS NOT NULL")),
        sa.Index("ix_projects_public_newest", "approved_at", "id",
                 postgresql_include=["stars", "time_rating", "area_id"],
                 postgresql_where=sa.text(f"status IN ({', '.join(repr(s.value) for s in PUBLIC_STATUSES)})"),
                 ).ddl_if(dialect="postgresql"),
        sa.Index("ix_projects_sort_stars", unrated_last(stars), "title", "id"),
        sa.Index("ix_projects_sort_time", unrated_last(time_rating), "title", "id"),
        sa.Index("ix_projects_area_status", "area_id", "status"),
        # Whether a linked project is public, read from the index alone (a mentor's public projects).
        sa.Index("ix_projects_id_status", "id", "status"),
        sa.Index("ix_projects_title", "title"),
    )

    @property
    def is_public(self):
        return self.status in PUBLIC_STATUSES

    @property
    def active_claims(self):
        return [claim for claim in self.claims if claim.is_active]

    @property
    def workers(self):
        """Who works on it, as its status badge names them: active interns with their round, then claimants."""
        interns = [intern for intern in self.interns if intern.status == InternStatus.ACTIVE]
        return [f"{intern.name}, {intern.round.name}" for intern in interns] + [c.user.name for c in self.active_claims]

    def set_skills(self, wanted):
        """Make the skill rows [(Skill, level, required), ...] in order, keeping unchanged rows."""
        if [(row.skill, row.level, row.required) for row in self.skills] == list(wanted):
            return
        existing = {row.skill: row for row in self.skills}
        rows = []
        for position, (skill, level, required) in enumerate(wanted):
            row = existing.get(skill) or ProjectSkill(skill=skill)
            row.level, row.required, row.position = level, required, position
            rows.append(row)
        self.skills = rows

    def set_links(self, wanted):
        """Make the links [(kind, url, title), ...] in order; unchanged links are not rewritten."""
        if [(link.kind, link.url, link.title) for link in self.links] != list(wanted):
            self.links = [
                ProjectLink(kind=kind, url=url, title=title, position=position)
                for position, (kind, url, title) in enumerate(wanted)
            ]

    def __repr__(self):
        return f"<Project {self.slug}>"


class ProjectSkill(db.Model):
    """A skill a project needs, how much of it, and whether it is required."""

    __tablename__ = "project_skills"

    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(sa.ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[SkillLevel] = mapped_column(str_enum(SkillLevel), default=SkillLevel.CONCEPTS)
    required: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)

    project: Mapped[Project] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_project_skills_skill_project", "skill_id", "project_id"),)

    @property
    def name(self):
        return self.skill.name


class ProjectLink(db.Model):
    __tablename__ = "project_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(str_enum(LinkKind), default=LinkKind.OTHER)
    url: Mapped[str] = mapped_column(sa.String(500))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    position: Mapped[int] = mapped_column(sa.SmallInteger, default=0)


class Claim(db.Model):
    """A signed-in newcomer saying "I am working on this"."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[ClaimEnd | None] = mapped_column(str_enum(ClaimEnd))
    # The one mentor whose places the claim takes (docs/lifecycle.md, "Places"); empty on claims made
    # before there was a choice, which count against every mentor of the project as they always did.
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    project: Mapped[Project] = relationship(back_populates="claims")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    mentor: Mapped[User | None] = relationship(foreign_keys=[mentor_id])

    __table_args__ = (sa.Index("ix_claims_project_ended", "project_id", "ended_at"),)

    @property
    def is_active(self):
        return self.ended_at is None

    def end(self, reason):
        """Stop the claim now, saying why."""
        self.ended_at, self.end_reason = utcnow(), reason


class ReviewEvent(db.Model):
    """One entry of a project's history: who changed what, when, from what to what, and why."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[ReviewAction] = mapped_column(str_enum(ReviewAction))
    from_status: Mapped[ProjectStatus | None] = mapped_column(str_enum(ProjectStatus))
    to_status: Mapped[ProjectStatus | None] = mapped_column(str_enum(ProjectStatus))
    from_stars: Mapped[Stars | None] = mapped_column(IntEnumType(Stars))
    to_stars: Mapped[Stars | None] = mapped_column(IntEnumType(Stars))
    from_time: Mapped[TimeRating | None] = mapped_column(IntEnumType(TimeRating))
    to_time: Mapped[TimeRating | None] = mapped_column(IntEnumType(TimeRating))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    project: Mapped[Project] = relationship(back_populates="review_events")
    actor: Mapped[User | None] = relationship()
