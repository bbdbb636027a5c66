"""The fit finder's data: load claimable projects as candidates in a fixed number of queries, rank a page.

SQL keeps only what can fit (claimable, not two time levels too long, needing a skill the person
knows); Python scores what is left with the rules of `domain/fit.py` (docs/fit.md).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination

from ..database import db
from ..domain import cache, fit
from ..domain.queries import load_in_order, mentoring_load
from ..models import Area, Claim, Project, ProjectSkill, ProjectStatus, Skill, SkillLevel, User, project_mentors
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


def _candidate_rows(profile, since, until):
    """The rows of claimable projects that may fit profile: SQL keeps what the rules would refuse anyway.

    When the person names skills, a project must require one of them (found through the skill index),
    or require none (a short cached list); otherwise every claimable project within their time is read.
    """
    # Titles and summaries are read only to look for topics to learn.
    text = (Project.title, Project.summary) if profile.learn else (db.literal(""), db.literal(""))
    statement = _within(db.select(Project.id, Project.stars, Project.time_rating, Project.status,
                                  Project.approved_at, Project.area_id, *text), profile, since, until)
    if not profile.know:
        return db.session.execute(statement).all()
    known = [name for name, level in profile.know.items() if fit.LEVEL_RANK[level] > 0]
    rows = db.session.execute(statement.where(Project.id.in_(_asking(known)))).all() if known else []
    seen = {row.id for row in rows}
    for chunk in _chunks(project_id for project_id in _needing_no_skill() if project_id not in seen):
        rows += db.session.execute(statement.where(Project.id.in_(chunk))).all()
    return rows


def candidates(profile, since=None, until=None):
    """Load the candidates for profile: their rows, skills and mentors; mentors' places come from a cache."""
    areas = cache.cached(("fit_areas",), lambda: {
        row.id: (row.slug, row.name) for row in db.session.execute(db.select(Area.id, Area.slug, Area.name))})
    rows = _candidate_rows(profile, since, until)
    skills, mentors = defaultdict(list), defaultdict(list)
    for chunk in _chunks(row.id for row in rows):
        for project_id, name, level, required in db.session.execute(
            db.select(ProjectSkill.project_id, Skill.name, ProjectSkill.level, ProjectSkill.required)
            .join(Skill, Skill.id == ProjectSkill.skill_id).where(ProjectSkill.project_id.in_(chunk))
            .order_by(ProjectSkill.project_id, ProjectSkill.position)
        ):
            skills[project_id].append(fit.SkillNeed(name, level, required))
        for project_id, user_id, username in db.session.execute(
            db.select(project_mentors.c.project_id, User.id, User.username)
            .join(User, User.id == project_mentors.c.user_id).where(project_mentors.c.project_id.in_(chunk))
        ):
            mentors[project_id].append((user_id, username))
    places, claimed = _mentor_places(), _claimed()
    found = []
    for row in rows:
        area_slug, area_name = areas.get(row.area_id, (None, ""))
        title, summary = row[6], row[7]
        found.append(fit.Candidate(
            id=row.id, stars=row.stars, time_rating=row.time_rating, skills=tuple(skills[row.id]),
            mentors=len(mentors[row.id]), places_left=sum(places.get(user, 0) for user, _name in mentors[row.id]),
            claimed=row.id in claimed, topics=f"{title}\n{summary}\n{area_name}".lower(),
            approved_at=row.approved_at, area=area_slug, status=row.status.value,
            mentor_names=tuple(name for _user, name in mentors[row.id]),
        ))
    return found


def _mentor_places():
    """Places left for each mentor of a claimable project, cached until the catalogue changes.

    Every profile needs them and none changes them, so distinct profiles share one computation.
    """
    def compute():
        mentor_ids = (db.select(project_mentors.c.user_id).join(Project, Project.id == project_mentors.c.project_id)
                      .where(claimable()))
        load = mentoring_load(mentor_ids)
        return {user_id: max(0, capacity - load.get(user_id, 0)) for user_id, capacity in db.session.execute(
            db.select(User.id, User.capacity).where(User.id.in_(mentor_ids)))}

    return cache.cached(("fit_places",), compute)


def _claimed():
    """The projects someone works on now (cached until the catalogue changes)."""
    return cache.cached(("fit_claimed",), lambda: frozenset(db.session.execute(
        db.select(Claim.project_id).where(Claim.ended_at.is_(None)).distinct()).scalars()))


def passes(candidate, filters, skip=None):
    """Tell whether a candidate passes the facet filters beside the results, leaving out one facet."""
    if filters.stars and skip != "stars" and int(candidate.stars or 0) not in filters.stars:
        return False
    if filters.area and skip != "area" and candidate.area != filters.area:
        return False
    if filters.status and skip != "status" and candidate.status != filters.status.value:
        return False
    if filters.mentor and skip != "mentor" and filters.mentor not in candidate.mentor_names:
        return False
    names = {need.name for need in candidate.skills}
    return all(name in names for name in filters.skills)


def _facet_counts(fits, filters):
    """Count the fitting projects per facet value, each facet without its own filter, as /projects does."""
    counts = {name: Counter() for name in ("stars", "time", "area", "status", "skill", "mentor")}
    for result in fits:
        candidate = result.candidate
        if passes(candidate, filters, skip="stars"):
            counts["stars"][int(candidate.stars or 0)] += 1
        if passes(candidate, filters, skip="area"):
            counts["area"][candidate.area] += 1
        if passes(candidate, filters, skip="status"):
            counts["status"][candidate.status] += 1
        if passes(candidate, filters, skip="mentor"):
            counts["mentor"].update(candidate.mentor_names)
        if passes(candidate, filters):
            counts["skill"].update(need.name for need in candidate.skills)
    return {name: dict(counter) for name, counter in counts.items()}


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
        return load_in_order([result.candidate.id for result in ranked[start:start + self.per_page]])

    def _query_count(self):
        return len(self._query_args["ranked"])


def fit_page(profile, filters, per_page):
    """Rank the projects that fit profile, narrowed by filters; one page of them, facets, and what would widen."""
    ranked = fit.rank(profile, candidates(profile))
    narrowed = [result for result in ranked if passes(result.candidate, filters)]
    pagination = FitPagination(page=filters.page, per_page=per_page, max_per_page=per_page, error_out=False,
                               ranked=narrowed)
    facets = facet_rows(_facet_counts(ranked, filters), filters)
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
