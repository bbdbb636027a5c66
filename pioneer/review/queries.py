"""What reviewers look at: the triage queue section by section, where the list is thin, stale projects."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from ..database import db
from ..domain import cache
from ..domain.queries import mentoring_load
from ..models import (
    Area,
    CallForProjects,
    Project,
    ProjectStatus,
    ReviewAction,
    ReviewEvent,
    Stars,
    TimeRating,
    User,
    project_mentors,
    unrated_last,
    utcnow,
)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    help: str


SECTIONS = [
    Section("proposals", "Proposals", "New projects waiting for a first decision."),
    Section("resubmitted", "Resubmitted", "Proposals whose mentors made the changes you asked for."),
    Section("changes", "Changes requested", "Waiting for their mentors; nudge them if it has been long."),
    Section("rereview", "Re-review",
            "Public projects whose ratings a mentor changed, or imported without stars or mentors."),
    Section("stale", "Stale", "Available projects nobody has confirmed lately; 1-star first."),
]
SECTION_KEYS = {section.key for section in SECTIONS}


def stale_cutoff():
    return utcnow() - timedelta(days=current_app.config["STALE_AFTER_DAYS"])


def stale_condition():
    """Available projects not confirmed within STALE_AFTER_DAYS."""
    return (Project.status == ProjectStatus.AVAILABLE) & (
        Project.last_reviewed_at.is_(None) | (Project.last_reviewed_at < stale_cutoff())
    )


def _resubmitted():
    return (
        db.select(ReviewEvent.id)
        .where(ReviewEvent.project_id == Project.id, ReviewEvent.action == ReviewAction.RESUBMIT)
        .exists()
    )


def _waiting_since():
    """When the project started waiting: its last submission, else its last change."""
    last_submit = (
        db.select(db.func.max(ReviewEvent.created_at))
        .where(ReviewEvent.project_id == Project.id,
               ReviewEvent.action.in_([ReviewAction.SUBMIT, ReviewAction.RESUBMIT, ReviewAction.REQUEST_CHANGES]))
        .scalar_subquery()
    )
    return db.func.coalesce(last_submit, Project.updated_at)


def section_statement(key):
    """The projects of one section, in the order reviewers should take them."""
    statement = db.select(Project)
    if key == "proposals":
        return statement.where(Project.status == ProjectStatus.PROPOSED, ~_resubmitted()).order_by(_waiting_since())
    if key == "resubmitted":
        return statement.where(Project.status == ProjectStatus.PROPOSED, _resubmitted()).order_by(_waiting_since())
    if key == "changes":
        return statement.where(Project.status == ProjectStatus.CHANGES_REQUESTED).order_by(_waiting_since())
    if key == "rereview":
        return statement.where(Project.needs_review, Project.status.in_(
            [ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE])).order_by(Project.updated_at)
    # Stale: 1-star first, unrated last, then the longest unconfirmed.
    return statement.where(stale_condition()).order_by(
        unrated_last(Project.stars), db.func.coalesce(Project.last_reviewed_at, Project.created_at)
    )


def narrowed(statement, q="", stars=None, area=None):
    """Apply the queue's own search and filters to one section."""
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            db.func.lower(Project.title).like(pattern) | db.func.lower(Project.summary).like(pattern)
        )
    if stars is not None:
        statement = statement.where(Project.stars.is_(None) if stars == 0 else Project.stars == stars)
    if area:
        statement = statement.where(Project.area.has(Area.slug == area))
    return statement


def section_page(key, page, per_page, **filters):
    """One page of a section, with what its rows show loaded up front."""
    statement = narrowed(section_statement(key), **filters).options(
        joinedload(Project.area), selectinload(Project.mentors)
    )
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def waiting_since(projects):
    """Map project id to when it started waiting, for the rows shown, in one query."""
    ids = [project.id for project in projects]
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(ReviewEvent.project_id, db.func.max(ReviewEvent.created_at))
        .where(ReviewEvent.project_id.in_(ids),
               ReviewEvent.action.in_([ReviewAction.SUBMIT, ReviewAction.RESUBMIT, ReviewAction.REQUEST_CHANGES]))
        .group_by(ReviewEvent.project_id)
    ).all()
    since = {project.id: project.updated_at for project in projects}
    for project_id, created_at in rows:
        since[project_id] = created_at
    return since


# Where the list is thin: grouped counts over the whole catalogue, in a fixed number of queries.

# Projects whose mentors are busy with them, or soon may be.
MENTORED_STATUSES = (ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS)


@dataclass
class AreaRow:
    """One row of the stars × area table; area is None for projects without an area."""

    name: str
    slug: str | None
    by_stars: dict = field(default_factory=dict)  # Stars or None (not rated) -> count

    @property
    def total(self):
        return sum(self.by_stars.values())


@dataclass
class NoCapacity:
    name: str
    slug: str
    mentors: int  # 0 when no project of the area names a mentor


@dataclass
class Estimate:
    """How the hours reported on done projects compare with one time level."""

    level: TimeRating
    count: int = 0
    median: float | None = None
    within: int = 0
    longer: int = 0
    shorter: int = 0

    @property
    def share_within(self):
        return self.within / self.count if self.count else None


@dataclass
class Gaps:
    areas: list  # AreaRow, by area name; "no area" last when it has projects
    by_time: dict  # TimeRating or None -> count
    no_capacity: list  # NoCapacity, by area name
    estimates: list  # Estimate per TimeRating
    estimated: int  # done projects with a time rating and reported hours
    estimated_within: int

    @property
    def total(self):
        return sum(row.total for row in self.areas)

    def stars_total(self, stars):
        return sum(row.by_stars.get(stars, 0) for row in self.areas)

    @property
    def share_within(self):
        return self.estimated_within / self.estimated if self.estimated else None


def gaps():
    """Everything the gaps page shows, cached until the catalogue changes."""
    return cache.cached(("review_gaps",), compute_gaps)


def compute_gaps():
    areas = db.session.execute(db.select(Area.id, Area.name, Area.slug).order_by(Area.name)).all()
    area_rows, by_time = _available_counts(areas)
    estimates, estimated, within = _estimates()
    return Gaps(area_rows, by_time, _no_capacity(areas), estimates, estimated, within)


def _available_counts(areas):
    """Count available projects by area and stars, and by time, in one grouped query."""
    rows = db.session.execute(
        db.select(Project.area_id, Project.stars, Project.time_rating, db.func.count())
        .where(Project.status == ProjectStatus.AVAILABLE)
        .group_by(Project.area_id, Project.stars, Project.time_rating)
    ).all()
    by_area = {area_id: AreaRow(name, slug) for area_id, name, slug in areas}
    without_area = AreaRow("No area", None)
    by_time = dict.fromkeys([*TimeRating, None], 0)
    for area_id, stars, time_rating, count in rows:
        row = by_area.get(area_id, without_area)
        row.by_stars[stars] = row.by_stars.get(stars, 0) + count
        by_time[time_rating] += count
    return list(by_area.values()) + ([without_area] if without_area.total else []), by_time


def _no_capacity(areas):
    """Areas with available or in-progress projects whose mentors have no place left, or that have no mentor."""
    pairs = db.session.execute(
        db.select(Project.area_id, User.id, User.capacity)
        .select_from(Project)
        .outerjoin(project_mentors, project_mentors.c.project_id == Project.id)
        .outerjoin(User, (User.id == project_mentors.c.user_id) & User.is_active)
        .where(Project.status.in_(MENTORED_STATUSES), Project.area_id.is_not(None))
        .distinct()
    ).all()
    load = _mentoring_load()
    mentors, open_areas = {}, set()
    for area_id, user_id, capacity in pairs:
        mentors.setdefault(area_id, set())
        if user_id is not None:
            mentors[area_id].add(user_id)
            if capacity - load.get(user_id, 0) > 0:
                open_areas.add(area_id)
    return [NoCapacity(name, slug, len(mentors[area_id])) for area_id, name, slug in areas
            if area_id in mentors and area_id not in open_areas]


def _mentoring_load():
    """How many people each mentor of a current project looks after, chosen by a subquery."""
    return mentoring_load(
        db.select(project_mentors.c.user_id).join(Project, Project.id == project_mentors.c.project_id)
        .where(Project.status.in_(MENTORED_STATUSES))
    )


def _estimates():
    """Compare each done project's reported hours with the range of its time level."""
    rows = db.session.execute(
        db.select(Project.time_rating, Project.actual_hours)
        .where(Project.status == ProjectStatus.DONE, Project.actual_hours.is_not(None),
               Project.time_rating.is_not(None))
    ).all()
    hours = {level: [] for level in TimeRating}
    for level, actual in rows:
        hours[level].append(actual)
    estimates = [_estimate(level, hours[level]) for level in TimeRating]
    return estimates, len(rows), sum(estimate.within for estimate in estimates)


def _estimate(level, reported):
    estimate = Estimate(level, count=len(reported), median=statistics.median(reported) if reported else None)
    for actual in reported:
        if actual <= level.min_hours:
            estimate.shorter += 1
        elif level is not TimeRating.INTERNSHIP and actual > level.max_hours:
            estimate.longer += 1
        else:
            estimate.within += 1
    return estimate


def thin_stars(gaps):
    """Star levels with no available project at all."""
    return [stars for stars in Stars if not gaps.stars_total(stars)]


def thin_times(gaps):
    """Time levels with no available project at all."""
    return [level for level in TimeRating if not gaps.by_time.get(level)]


def stale_projects_by_mentor():
    """Map each mentor who can be mailed to their stale projects, 1-star first."""
    projects = db.session.execute(
        db.select(Project).where(stale_condition()).options(selectinload(Project.mentors))
        .order_by(unrated_last(Project.stars), Project.title)
    ).scalars().all()
    by_mentor = defaultdict(list)
    for project in projects:
        for mentor in project.mentors:
            if mentor.email and mentor.is_active and mentor.email_verified:
                by_mentor[mentor].append(project)
    return dict(sorted(by_mentor.items(), key=lambda item: item[0].username)), len(projects)


def calls_for_projects_page(page, per_page):
    """The calls for projects sent or kept, newest first, with their authors."""
    return db.paginate(
        db.select(CallForProjects).options(joinedload(CallForProjects.author))
        .order_by(CallForProjects.created_at.desc(), CallForProjects.id.desc()),
        page=page, per_page=per_page, max_per_page=per_page, error_out=False,
    )


def areas():
    """Every area by name: the queue's area picker suggests them."""
    return db.session.execute(db.select(Area).order_by(Area.name)).scalars().all()
