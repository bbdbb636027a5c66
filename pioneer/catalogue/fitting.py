"""The fit finder's data: load claimable projects as candidates in a fixed number of queries, rank a page.

SQL keeps only what can fit (claimable, not two time levels too long, needing a skill the person
knows); Python scores what is left with the rules of `domain/fit.py` (docs/fit.md).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination

from ..database import db
from ..domain import cache, fit
from ..domain.queries import mentoring_load
from ..domain.rows import load_rows
from ..models import (
    Area,
    Claim,
    Project,
    ProjectSkill,
    ProjectStatus,
    Skill,
    SkillLevel,
    Stars,
    TimeRating,
    User,
    project_mentors,
)
from .facets import facet_rows


def claimable():
    """Available, or in progress and open to several people (domain/claims.open_to_claims, in SQL)."""
    return db.or_(Project.status == ProjectStatus.AVAILABLE,
                  db.and_(Project.status == ProjectStatus.IN_PROGRESS, Project.allow_multiple_claims))


# Ids per IN list: well under every database's limit on bound parameters.
CHUNK = 900


def _within(statement, profile, since=None, until=None):
    """Keep claimable projects not two time levels too long, approved in (since, until] when given."""
    statement = statement.where(claimable())
    limit = profile.time_limit
    if limit is not None and limit < 4:
        statement = statement.where(db.or_(Project.time_rating.is_(None), Project.time_rating <= int(limit) + 1))
    if since is not None:
        statement = statement.where(Project.approved_at > since)
    if until is not None:
        statement = statement.where(Project.approved_at <= until)
    return statement


def _asking(names=None):
    """The ids of projects that require a skill (of names, when given) at more than "none needed"."""
    statement = db.select(ProjectSkill.project_id).where(ProjectSkill.required, ProjectSkill.level != SkillLevel.NONE)
    if names is not None:
        statement = statement.join(Skill, Skill.id == ProjectSkill.skill_id).where(Skill.name.in_(names))
    return statement


def _needing_no_skill():
    """Claimable projects that require no skill: they may fit anyone (cached until the catalogue changes)."""
    return cache.cached(("fit_no_skill",), lambda: tuple(db.session.execute(
        db.select(Project.id).where(claimable(), Project.id.not_in(_asking()))).scalars()))


def _chunks(ids):
    ids = list(ids)
    return [ids[start:start + CHUNK] for start in range(0, len(ids), CHUNK)]


# Ratings and levels are read as the numbers and words stored, and mapped here: the enum column types
# convert each value one by one, which cost more than the rest of a candidate at 10,000 projects.
STARS = {int(value): value for value in Stars}
TIMES = {int(value): value for value in TimeRating}
LEVELS = {value.value: value for value in SkillLevel}


def _raw(column, kind=sa.String):
    return sa.type_coerce(column, kind())


def _candidate_rows(profile, since, until):
    """The rows of claimable projects that may fit profile: SQL keeps what the rules would refuse anyway.

    When the person names skills, a project must require one of them (found through the skill index),
    or require none (a short cached list); otherwise every claimable project within their time is read.
    """
    # Titles and summaries are read only to look for topics to learn.
    text = (Project.title, Project.summary) if profile.learn else (db.literal(""), db.literal(""))
    statement = _within(db.select(Project.id, _raw(Project.stars, sa.Integer), _raw(Project.time_rating, sa.Integer),
                                  _raw(Project.status), Project.approved_at, Project.area_id, *text),
                        profile, since, until)
    connection = db.session.connection()
    if not profile.know:
        return connection.execute(statement).all()
    known = [name for name, level in profile.know.items() if fit.LEVEL_RANK[level] > 0]
    rows = connection.execute(statement.where(Project.id.in_(_asking(known)))).all() if known else []
    seen = {row[0] for row in rows}
    for chunk in _chunks(project_id for project_id in _needing_no_skill() if project_id not in seen):
        rows += connection.execute(statement.where(Project.id.in_(chunk))).all()
    return rows


def candidates(profile, since=None, until=None):
    """Load the candidates for profile: their rows, skills and mentors; mentors' places come from a cache."""
    areas = cache.cached(("fit_areas",), lambda: {
        row.id: (row.slug, row.name) for row in db.session.execute(db.select(Area.id, Area.slug, Area.name))})
    rows = _candidate_rows(profile, since, until)
    skills, mentors = defaultdict(list), defaultdict(list)
    connection = db.session.connection()
    for chunk in _chunks(row[0] for row in rows):
        for project_id, name, level, required in connection.execute(
            db.select(ProjectSkill.project_id, Skill.name, _raw(ProjectSkill.level), ProjectSkill.required)
            .join(Skill, Skill.id == ProjectSkill.skill_id).where(ProjectSkill.project_id.in_(chunk))
            .order_by(ProjectSkill.project_id, ProjectSkill.position)
        ):
            skills[project_id].append(fit.SkillNeed(name, LEVELS[level], required))
        # The link table alone, through its key: joining users here made SQLite walk every user per id.
        for project_id, user_id in connection.execute(
            db.select(project_mentors.c.project_id, project_mentors.c.user_id)
            .where(project_mentors.c.project_id.in_(chunk))
        ):
            mentors[project_id].append(user_id)
    places, claimed = _mentor_places(), _claimed()
    found = []
    for project_id, stars, time_rating, status, approved_at, area_id, title, summary in rows:
        area_slug, area_name = areas.get(area_id, (None, ""))
        users = mentors[project_id]
        found.append(fit.Candidate(
            id=project_id, stars=STARS.get(stars), time_rating=TIMES.get(time_rating),
            skills=tuple(skills[project_id]), mentors=len(users),
            places_left=sum(places[user][1] for user in users), claimed=project_id in claimed,
            topics=f"{title}\n{summary}\n{area_name}".lower() if profile.learn else "",
            approved_at=approved_at, area=area_slug, status=status,
            mentor_names=tuple(places[user][0] for user in users),
        ))
    return found


def _mentor_places():
    """(username, places left) for each mentor of a claimable project, cached until the catalogue changes.

    Every profile needs them and none changes them, so distinct profiles share one computation.
    """
    def compute():
        mentor_ids = (db.select(project_mentors.c.user_id).join(Project, Project.id == project_mentors.c.project_id)
                      .where(claimable()))
        load = mentoring_load(mentor_ids)
        return {user_id: (username, max(0, capacity - load.get(user_id, 0)))
                for user_id, username, capacity in db.session.execute(
                    db.select(User.id, User.username, User.capacity).where(User.id.in_(mentor_ids)))}

    return cache.cached(("fit_places",), compute)


def _claimed():
    """The projects someone works on now (cached until the catalogue changes)."""
    return cache.cached(("fit_claimed",), lambda: frozenset(db.session.execute(
        db.select(Claim.project_id).where(Claim.ended_at.is_(None)).distinct()).scalars()))


def failed_facets(candidate, filters):
    """The facet filters beside the results that a candidate fails ("skill" when it lacks a ticked skill)."""
    failed = set()
    if filters.stars and int(candidate.stars or 0) not in filters.stars:
        failed.add("stars")
    if filters.area and candidate.area != filters.area:
        failed.add("area")
    if filters.status and candidate.status != filters.status.value:
        failed.add("status")
    if filters.mentor and filters.mentor not in candidate.mentor_names:
        failed.add("mentor")
    if filters.skills and not set(filters.skills) <= {need.name for need in candidate.skills}:
        failed.add("skill")
    return failed


def passes(candidate, filters):
    """Tell whether a candidate passes every facet filter beside the results."""
    return not failed_facets(candidate, filters)


def _narrow(fits, filters):
    """Keep the fits that pass the facet filters, and count each facet's values without its own filter.

    As on /projects, ticking a second value shows what it adds; ticked skills narrow their own counts too.
    """
    counts = {name: Counter() for name in ("stars", "time", "area", "status", "skill", "mentor")}
    narrowed = []
    for result in fits:
        candidate = result.candidate
        failed = failed_facets(candidate, filters) if filters.active else set()
        if len(failed) > 1 or "skill" in failed:
            continue
        if not failed:
            narrowed.append(result)
            counts["skill"].update(need.name for need in candidate.skills)
        if failed <= {"stars"}:
            counts["stars"][int(candidate.stars or 0)] += 1
        if failed <= {"area"}:
            counts["area"][candidate.area] += 1
        if failed <= {"status"}:
            counts["status"][candidate.status] += 1
        if failed <= {"mentor"}:
            counts["mentor"].update(candidate.mentor_names)
    return narrowed, {name: dict(counter) for name, counter in counts.items()}


@dataclass
class FitResult:
    pagination: Pagination
    facets: dict
    fits: dict = field(default_factory=dict)  # project id -> Fit, for the page's rows
    widen: list = field(default_factory=list)  # (sentence, profile or None) when nothing fits


class FitPagination(Pagination):
    """A page of ranked projects: the ranking is done, the page's rows are loaded with their details."""

    def _query_items(self):
        ranked = self._query_args["ranked"]
        start = (self.page - 1) * self.per_page
        return load_rows([result.candidate.id for result in ranked[start:start + self.per_page]])

    def _query_count(self):
        return len(self._query_args["ranked"])


def fit_page(profile, filters, per_page):
    """Rank the projects that fit profile, narrowed by filters; one page of them, facets, and what would widen."""
    ranked = fit.rank(profile, candidates(profile))
    narrowed, counts = _narrow(ranked, filters)
    pagination = FitPagination(page=filters.page, per_page=per_page, max_per_page=per_page, error_out=False,
                               ranked=narrowed)
    facets = facet_rows(counts, filters)
    shown = {project.id for project in pagination.items}
    result = FitResult(pagination, facets, {r.candidate.id: r for r in narrowed if r.candidate.id in shown})
    if not ranked:
        result.widen = widen(profile)
    return result


def widen(profile):
    """When nothing fits: how many would fit with the next time level up, and which skills they lack most."""
    suggestions = []
    wider = fit.wider_time(profile)
    if wider is not None:
        more = len(fit.rank(profile.with_time(wider), candidates(profile.with_time(wider))))
        if more:
            suggestions.append((fit.time_suggestion(profile, more), profile.with_time(wider)))
    if profile.know:
        for name, count in _common_unknown_skills(profile):
            suggestions.append((fit.skill_suggestion(name, count), profile.knowing(name, SkillLevel.CONCEPTS)))
    return suggestions


def _common_unknown_skills(profile, limit=2):
    """The required skills the person did not list that most claimable projects within their time ask for."""
    statement = (
        db.select(Skill.name, db.func.count(ProjectSkill.project_id).label("number"))
        .join(ProjectSkill, ProjectSkill.skill_id == Skill.id)
        .where(ProjectSkill.required, ProjectSkill.level != SkillLevel.NONE,
               ProjectSkill.project_id.in_(_within(db.select(Project.id), profile)),
               Skill.name.not_in(list(profile.know)))
        .group_by(Skill.name).order_by(db.desc("number"), Skill.name).limit(limit)
    )
    return db.session.execute(statement).all()


def skill_names():
    """The skills public projects list, for the pickers' suggestions (cached until the catalogue changes)."""
    def compute():
        return db.session.execute(
            db.select(Skill.name).where(Skill.id.in_(
                db.select(ProjectSkill.skill_id).join(Project).where(claimable())
            )).order_by(Skill.name)
        ).scalars().all()

    return cache.cached(("fit_skill_names",), compute)
