"""Queries behind the public pages; each does work bounded by what the page shows."""

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from ..database import db
from ..domain import cache
from ..domain.queries import is_public, newest_first, with_row_details
from ..domain.rows import load_rows
from ..models import (
    Area,
    Claim,
    ClaimEnd,
    Project,
    ProjectSkill,
    ProjectStatus,
    Skill,
    Stars,
    User,
    project_mentors,
)
from .facets import FACET_LIMIT, facet_rows


def first_projects(limit):
    """Available 1-star projects, newest first: where a newcomer starts."""
    return load_rows(db.session.execute(
        db.select(Project.id).where(Project.status == ProjectStatus.AVAILABLE, Project.stars == Stars.ONE)
        .order_by(*newest_first()).limit(limit)
    ).scalars().all())


def newest_projects(limit):
    return load_rows(db.session.execute(
        db.select(Project.id).where(is_public()).order_by(*newest_first()).limit(limit)
    ).scalars().all())


def project_with_details(slug):
    """The project at /projects/<slug> with what its page shows, or None."""
    return db.session.execute(
        with_row_details(db.select(Project).where(Project.slug == slug)).options(selectinload(Project.links))
    ).scalar_one_or_none()


def active_user_named(username):
    return db.session.execute(
        db.select(User).where(User.username == username, User.is_active)
    ).scalar_one_or_none()


def project_page(filters, per_page, with_facets=True):
    """One page of matching projects, with the total (and facet rows) from the cache."""
    if with_facets:
        total, rows = cache.cached(("listing", filters.cache_key),
                                   lambda: (count(filters), facet_rows(facet_counts(filters), filters)))
    else:
        total, rows = cache.cached(("count", filters.cache_key), lambda: count(filters)), None
    pagination = ProjectPagination(page=filters.page, per_page=per_page, max_per_page=per_page, error_out=False,
                                   count=False, filters=filters)
    pagination.total = total
    return pagination, rows


class ProjectPagination(Pagination):
    """A page of projects found in two steps: the page's ids from an index, then those rows.

    Sorting only ids lets the database sort from an index instead of carrying every matching row,
    description included, through the sort.
    """

    def _query_items(self):
        filters = self._query_args["filters"]
        ids = db.session.execute(
            db.select(Project.id).where(*filters.conditions(page_walk=True)).order_by(*filters.order_by())
            .limit(self.per_page).offset(self._query_offset)
        ).scalars().all()
        return load_rows(ids)

    def _query_count(self):
        return self.total


def count(filters):
    return db.session.execute(db.select(db.func.count(Project.id)).where(*filters.conditions())).scalar_one()


def facet_counts(filters):
    """For each facet, how many projects the listing would hold with each value (see facets.facet_rows)."""
    stars = _grouped(Project.stars, filters, "stars")
    return {
        "stars": {int(value or 0): number for value, number in stars.items()},
        "time": {int(value): number for value, number in _grouped(Project.time_rating, filters, "time").items()
                 if value is not None},
        "area": _grouped(Area.slug, filters, "area", join=(Area, Area.id == Project.area_id)),
        "status": {value.value: number for value, number in _grouped(Project.status, filters, "status").items()},
        "skill": _top(ProjectSkill.skill_id, ProjectSkill.project_id, filters, (Skill, Skill.name)),
        "mentor": _top(project_mentors.c.user_id, project_mentors.c.project_id, filters, (User, User.username),
                       skip="mentor"),
    }


def _grouped(column, filters, skip, join=None):
    """Count matching projects per value of column, without the facet's own filter."""
    statement = db.select(column, db.func.count()).select_from(Project)
    if join is not None:
        statement = statement.join(*join)
    return dict(db.session.execute(statement.where(*filters.conditions(skip=skip)).group_by(column)).all())


def _top(id_column, project_column, filters, names, skip=None):
    """Count matching projects per linked id (skill or mentor), then name the most common, ties by name.

    Grouping by the integer id first and naming only the groups keeps the cost on the link table.
    """
    number = db.func.count().label("number")
    groups = (
        db.select(id_column.label("linked_id"), number)
        .where(project_column.in_(db.select(Project.id).where(*filters.conditions(skip=skip))))
        .group_by(id_column).subquery()
    )
    named, name = names
    statement = (
        db.select(name, groups.c.number).join(groups, groups.c.linked_id == named.id)
        .order_by(groups.c.number.desc(), name).limit(FACET_LIMIT)
    )
    return dict(db.session.execute(statement).all())


def available_counts():
    """Available projects counted by stars and by time, for the home page."""

    def compute():
        return {
            column.key: dict(db.session.execute(
                db.select(column, db.func.count()).where(Project.status == ProjectStatus.AVAILABLE).group_by(column)
            ).all())
            for column in (Project.stars, Project.time_rating)
        }

    return cache.cached(("available_counts",), compute)


@dataclass(frozen=True, slots=True)
class MentorRow:
    """A mentor as /mentors lists them (named as on User, so places_left and the templates read either)."""

    id: int
    username: str
    name: str
    availability: str
    capacity: int


# Built once (see domain/rows.py): users walked in name order (ix_users_name), keeping those who mentor
# a public project, and each page's mentors' public projects counted from their own links.
_MENTORS_WALK = (
    select(User.id, User.username, User.name, User.availability, User.capacity)
    .where(User.is_active, db.exists().where(project_mentors.c.user_id == User.id,
                                             project_mentors.c.project_id == Project.id, is_public()))
    .order_by(User.name, User.id).limit(bindparam("limit")).offset(bindparam("offset"))
)
# One count per mentor, each from that mentor's links: grouped over the page's mentors at once,
# PostgreSQL hashed every public project (12 ms at 100,000 projects) instead.
_PUBLIC_COUNTS = select(User.id, (
    select(db.func.count()).select_from(project_mentors).join(Project, Project.id == project_mentors.c.project_id)
    .where(project_mentors.c.user_id == User.id, is_public()).scalar_subquery()
)).where(User.id.in_(bindparam("ids", expanding=True)))


def mentors_page(page, per_page):
    """Mentors of public projects, by name, with how many public projects each has.

    A page costs the same however many mentors there are; the total is cached until the catalogue
    changes.
    """
    return MentorPagination(select=_MENTORS_WALK, session=db.session(), page=page, per_page=per_page,
                            max_per_page=per_page, error_out=False,
                            total=cache.cached(("mentor_total",), _mentor_total))


class MentorPagination(SelectPagination):
    """A page of (mentor, number of public projects they mentor), the total counted beforehand."""

    def _query_items(self):
        connection = self._query_args["session"].connection()
        mentors = [MentorRow(*row) for row in connection.execute(
            _MENTORS_WALK, {"limit": self.per_page, "offset": self._query_offset})]
        counts = dict(connection.execute(
            _PUBLIC_COUNTS, {"ids": [mentor.id for mentor in mentors]}).all()) if mentors else {}
        return [(mentor, counts.get(mentor.id, 0)) for mentor in mentors]

    def _query_count(self):
        return self._query_args["total"]


def _mentor_total():
    return db.session.execute(
        db.select(db.func.count(db.distinct(project_mentors.c.user_id)))
        .join(Project, Project.id == project_mentors.c.project_id)
        .join(User, User.id == project_mentors.c.user_id)
        .where(is_public(), User.is_active)
    ).scalar_one()


def mentors_public_projects(user):
    """Tell whether a user mentors at least one public project."""
    return db.session.execute(
        db.select(project_mentors.c.project_id)
        .join(Project, Project.id == project_mentors.c.project_id)
        .where(project_mentors.c.user_id == user.id, is_public())
        .limit(1)
    ).first() is not None


def finished_claims(project):
    """The claims that ended with project done, oldest first, with who held them (credit on its page)."""
    return db.session.execute(
        db.select(Claim).where(Claim.project_id == project.id, Claim.end_reason == ClaimEnd.FINISHED)
        .options(selectinload(Claim.user)).order_by(Claim.created_at, Claim.id)
    ).scalars().all()

