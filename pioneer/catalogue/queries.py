"""Queries behind the public pages; each does work bounded by what the page shows."""

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import joinedload, selectinload

from ..database import db
from ..models import (
    PUBLIC_STATUSES,
    Area,
    Claim,
    Intern,
    InternStatus,
    Project,
    ProjectSkill,
    ProjectStatus,
    Skill,
    Stars,
    TimeRating,
    User,
    intern_mentors,
    project_mentors,
)
from . import cache

FACET_LIMIT = 12
LOADING_INTERN_STATUSES = (InternStatus.ACCEPTED, InternStatus.ACTIVE)


def with_row_details(statement):
    """Load what a project row shows (area, skills, mentors, who works on it) in a fixed number of queries."""
    return statement.options(
        joinedload(Project.area),
        selectinload(Project.skills),
        selectinload(Project.mentors),
        selectinload(Project.claims.and_(Claim.ended_at.is_(None))).joinedload(Claim.user),
        selectinload(Project.interns.and_(Intern.status == InternStatus.ACTIVE)).joinedload(Intern.round),
    )


def public_projects():
    return db.select(Project).where(Project.status.in_(PUBLIC_STATUSES))


def project_page(filters, per_page, with_facets=True):
    """One page of matching projects, with the total (and facet counts) from the cache."""
    if with_facets:
        total, facet_values = cache.cached(("listing", filters.cache_key), lambda: (count(filters), facets(filters)))
    else:
        total, facet_values = cache.cached(("count", filters.cache_key), lambda: count(filters)), None
    pagination = ProjectPagination(page=filters.page, per_page=per_page, max_per_page=per_page, error_out=False,
                                   count=False, filters=filters)
    pagination.total = total
    return pagination, facet_values


class ProjectPagination(Pagination):
    """A page of projects found in two steps: the page's ids from an index, then those rows.

    Sorting only ids lets the database sort from an index instead of carrying every matching row,
    description included, through the sort.
    """

    def _query_items(self):
        filters = self._query_args["filters"]
        ids = db.session.execute(
            db.select(Project.id).where(*filters.conditions()).order_by(*filters.order_by())
            .limit(self.per_page).offset(self._query_offset)
        ).scalars().all()
        return load_in_order(ids)

    def _query_count(self):
        return self.total


def load_in_order(ids):
    """Load projects with their row details, in the order of ids."""
    if not ids:
        return []
    rows = db.session.execute(with_row_details(db.select(Project).where(Project.id.in_(ids)))).scalars().all()
    position = {project_id: index for index, project_id in enumerate(ids)}
    return sorted(rows, key=lambda project: position[project.id])


def count(filters):
    return db.session.execute(db.select(db.func.count(Project.id)).where(*filters.conditions())).scalar_one()


@dataclass
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


def facets(filters):
    """Counts beside the results: for each facet, what the listing would hold with that value."""
    return {
        "stars": _stars_facet(filters),
        "time": _time_facet(filters),
        "area": _area_facet(filters),
        "skill": _skill_facet(filters),
        "status": _status_facet(filters),
        "mentor": _mentor_facet(filters),
    }


def _grouped_counts(column, filters, skip, join=None):
    statement = db.select(column, db.func.count()).select_from(Project)
    if join is not None:
        statement = statement.join(*join)
    statement = statement.where(*filters.conditions(skip=skip)).group_by(column)
    return dict(db.session.execute(statement).all())


def _stars_facet(filters):
    counts = _grouped_counts(Project.stars, filters, "stars")
    values = [FacetValue(int(s), "", counts.get(s, 0), int(s) in filters.stars) for s in Stars]
    values.append(FacetValue(0, "not rated yet", counts.get(None, 0), 0 in filters.stars))
    return values


def _time_facet(filters):
    counts = _grouped_counts(Project.time_rating, filters, "time")
    return [FacetValue(int(t), t.label, counts.get(t, 0), int(t) in filters.time) for t in TimeRating]


def _area_facet(filters):
    counts = _grouped_counts(Project.area_id, filters, "area")
    areas = db.session.execute(db.select(Area).order_by(Area.name)).scalars()
    return [
        FacetValue(area.slug, area.name, counts.get(area.id, 0), area.slug == filters.area)
        for area in areas
        if counts.get(area.id) or area.slug == filters.area
    ]


def _status_facet(filters):
    counts = _grouped_counts(Project.status, filters, "status")
    return [FacetValue(s.value, s.label, counts.get(s, 0), s == filters.status) for s in PUBLIC_STATUSES]


def _top_counts(link_table_column, project_column, filters, skip=None):
    """Count projects per linked id (skill or mentor), most first; ids only, names are looked up after."""
    count = db.func.count().label("count")
    statement = (
        db.select(link_table_column, count)
        .where(project_column.in_(db.select(Project.id).where(*filters.conditions(skip=skip))))
        .group_by(link_table_column)
        .order_by(count.desc(), link_table_column)
        .limit(FACET_LIMIT)
    )
    return db.session.execute(statement).all()


def _skill_facet(filters):
    rows = _top_counts(ProjectSkill.skill_id, ProjectSkill.project_id, filters)
    names = dict(db.session.execute(db.select(Skill.id, Skill.name).where(Skill.id.in_([r[0] for r in rows]))).all())
    values = [FacetValue(names[skill_id], names[skill_id], count, names[skill_id] in filters.skills)
              for skill_id, count in rows]
    shown = {value.value for value in values}
    values += [FacetValue(name, name, 0, True) for name in filters.skills if name not in shown]
    return values


def _mentor_facet(filters):
    rows = _top_counts(project_mentors.c.user_id, project_mentors.c.project_id, filters, skip="mentor")
    users = {user.id: user for user in db.session.execute(
        db.select(User).where(User.id.in_([r[0] for r in rows]))).scalars()}
    values = [FacetValue(users[user_id].username, users[user_id].name, count, users[user_id].username == filters.mentor)
              for user_id, count in rows]
    if filters.mentor and all(value.value != filters.mentor for value in values):
        values.append(FacetValue(filters.mentor, filters.mentor, 0, True))
    return values


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


def mentoring_load(user_ids):
    """How many people each mentor looks after now: active claims on their projects and their interns.

    user_ids is a list of ids, or a select of them when the set is large (one bound parameter per id
    would go past what a database accepts).
    """
    if isinstance(user_ids, (list, tuple, set)) and not user_ids:
        return {}
    claims = db.session.execute(
        db.select(project_mentors.c.user_id, db.func.count(Claim.id))
        .join(Claim, Claim.project_id == project_mentors.c.project_id)
        .where(Claim.ended_at.is_(None), project_mentors.c.user_id.in_(user_ids))
        .group_by(project_mentors.c.user_id)
    ).all()
    interns = db.session.execute(
        db.select(intern_mentors.c.user_id, db.func.count(Intern.id))
        .join(Intern, Intern.id == intern_mentors.c.intern_id)
        .where(Intern.status.in_(LOADING_INTERN_STATUSES), intern_mentors.c.user_id.in_(user_ids))
        .group_by(intern_mentors.c.user_id)
    ).all()
    load = dict.fromkeys(user_ids, 0) if isinstance(user_ids, (list, tuple, set)) else {}
    for user_id, count in [*claims, *interns]:
        load[user_id] = load.get(user_id, 0) + count
    return load


def places_left(users):
    """Map each user's id to how many more people they can mentor (never below zero)."""
    load = mentoring_load([user.id for user in users])
    return {user.id: max(0, user.capacity - load.get(user.id, 0)) for user in users}


def mentors_page(page, per_page):
    """Mentors of public projects, by name, with how many public projects each has."""
    project_count = db.func.count(Project.id).label("project_count")
    statement = (
        db.select(User, project_count)
        .join(project_mentors, project_mentors.c.user_id == User.id)
        .join(Project, Project.id == project_mentors.c.project_id)
        .where(Project.status.in_(PUBLIC_STATUSES), User.is_active)
        .group_by(User.id)
        .order_by(User.name, User.id)
    )
    total = db.session.execute(
        db.select(db.func.count(db.distinct(project_mentors.c.user_id)))
        .join(Project, Project.id == project_mentors.c.project_id)
        .where(Project.status.in_(PUBLIC_STATUSES))
    ).scalar_one()
    rows = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def mentors_public_projects(user):
    """Tell whether a user mentors at least one public project."""
    return db.session.execute(
        db.select(project_mentors.c.project_id)
        .join(Project, Project.id == project_mentors.c.project_id)
        .where(project_mentors.c.user_id == user.id, Project.status.in_(PUBLIC_STATUSES))
        .limit(1)
    ).first() is not None
