"""A project as a list shows it: a read model, loaded with a few plain statements per page.

Every listing (/, /projects, search results, a mentor's page, the fit finder, alert mails) shows the
same row: title, summary, ratings, area, skills, mentors and who works on it. Loading whole ORM
projects for that, with a loader option per relationship, cost 3.5 ms for 20 rows at 10,000 projects,
half of a listing page; these rows cost 0.7 ms (docs/architecture.md, "Rows"). The attributes are
named as on `Project`, so a template reads either (`_macros/projects.html`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, select

from ..database import db
from ..models import (
    Area,
    Claim,
    Intern,
    InternStatus,
    Project,
    ProjectSkill,
    ProjectStatus,
    Round,
    Skill,
    SkillLevel,
    Stars,
    TimeRating,
    User,
    project_mentors,
)


@dataclass(frozen=True, slots=True)
class AreaRef:
    name: str
    slug: str


@dataclass(frozen=True, slots=True)
class SkillTag:
    name: str
    required: bool
    level: SkillLevel


@dataclass(frozen=True, slots=True)
class Person:
    username: str
    name: str


@dataclass(slots=True)
class ProjectRow:
    id: int
    slug: str
    title: str
    summary: str
    stars: Stars | None
    time_rating: TimeRating | None
    status: ProjectStatus
    area: AreaRef | None
    skills: list[SkillTag] = field(default_factory=list)
    mentors: list[Person] = field(default_factory=list)
    # Who works on it, as its status badge names them: loaded for in-progress projects only, the
    # only ones whose badge names anyone (Project.workers is the same list for a whole project).
    workers: list[str] = field(default_factory=list)
    description: str | None = None


# Built once: a statement built per call cost more than running it (SQLAlchemy's coercions and cache key).
_IDS = bindparam("ids", expanding=True)
_COLUMNS = (Project.id, Project.slug, Project.title, Project.summary, Project.stars, Project.time_rating,
            Project.status, Area.name, Area.slug)
_PROJECTS = select(*_COLUMNS).outerjoin(Area, Area.id == Project.area_id).where(Project.id.in_(_IDS))
_PROJECTS_WITH_DESCRIPTION = (select(*_COLUMNS, Project.description).outerjoin(Area, Area.id == Project.area_id)
                              .where(Project.id.in_(_IDS)))
_SKILLS = (select(ProjectSkill.project_id, Skill.name, ProjectSkill.required, ProjectSkill.level)
           .join(Skill, Skill.id == ProjectSkill.skill_id).where(ProjectSkill.project_id.in_(_IDS))
           .order_by(ProjectSkill.project_id, ProjectSkill.position))
_MENTORS = (select(project_mentors.c.project_id, User.username, User.name)
            .join(User, User.id == project_mentors.c.user_id).where(project_mentors.c.project_id.in_(_IDS))
            .order_by(User.name))
_INTERNS = (select(Intern.project_id, Intern.name, Round.name).join(Round, Round.id == Intern.round_id)
            .where(Intern.project_id.in_(_IDS), Intern.status == InternStatus.ACTIVE).order_by(Intern.name))
_CLAIMANTS = (select(Claim.project_id, User.name).join(User, User.id == Claim.user_id)
              .where(Claim.project_id.in_(_IDS), Claim.ended_at.is_(None)).order_by(Claim.id))


def load_rows(ids: Sequence[int], with_description: bool = False) -> list[ProjectRow]:
    """The rows of the projects ids, in that order (unknown ids are left out).

    Three statements (the projects with their areas, the skills, the mentors), and one or two more
    when an in-progress project is among them; run on the session's connection, without the ORM.
    """
    if not ids:
        return []
    connection = db.session.connection()
    rows = {}
    for record in connection.execute(_PROJECTS_WITH_DESCRIPTION if with_description else _PROJECTS,
                                     {"ids": list(ids)}):
        rows[record[0]] = ProjectRow(
            id=record[0], slug=record[1], title=record[2], summary=record[3], stars=record[4],
            time_rating=record[5], status=record[6], area=AreaRef(record[7], record[8]) if record[7] else None,
            description=record[9] if with_description else None,
        )
    if not rows:
        return []
    found = {"ids": list(rows)}
    for project_id, name, required, level in connection.execute(_SKILLS, found):
        rows[project_id].skills.append(SkillTag(name, required, level))
    for project_id, username, name in connection.execute(_MENTORS, found):
        rows[project_id].mentors.append(Person(username, name))
    in_progress = [project_id for project_id, row in rows.items() if row.status is ProjectStatus.IN_PROGRESS]
    if in_progress:
        for project_id, name, round_name in connection.execute(_INTERNS, {"ids": in_progress}):
            rows[project_id].workers.append(f"{name}, {round_name}")
        for project_id, name in connection.execute(_CLAIMANTS, {"ids": in_progress}):
            rows[project_id].workers.append(name)
    return [rows[project_id] for project_id in ids if project_id in rows]
