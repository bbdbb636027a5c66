"""The listing's URL contract: read filters from query arguments, turn them into SQL conditions."""

from dataclasses import dataclass, field

from ..database import db
from ..domain.queries import newest_first
from ..models import (
    PUBLIC_STATUSES,
    Area,
    Project,
    ProjectSkill,
    ProjectStatus,
    Skill,
    User,
    project_mentors,
    unrated_last,
)
from ..text import page_number, whole_number

SORTS = {
    "relevance": "relevance",
    "newest": "newest first",
    "stars": "easiest first",
    "time": "shortest first",
    "title": "title A–Z",
}
MAX_SKILLS = 10
# A skill on this many projects or more is common: a page of its projects is found by walking the
# listing's order and checking each project (see has_skill).
COMMON_SKILL = 2000


@dataclass
class Filters:
    q: str = ""
    stars: list = field(default_factory=list)  # 0 stands for "not rated"
    time: list = field(default_factory=list)
    area: str | None = None
    skills: list = field(default_factory=list)
    status: ProjectStatus | None = None
    mentor: str | None = None
    sort: str = "newest"
    page: int = 1
    notices: list = field(default_factory=list)  # What was ignored in the URL, and why.

    @classmethod
    def from_args(cls, args):
        """Read the filters of a request, keeping what makes sense and saying what does not."""
        filters = cls(q=" ".join(args.get("q", "").split())[:500])
        filters.stars = filters._numbers(args.getlist("stars"), "stars", 0, 5, "from 1 to 5, or 0 for not rated")
        filters.time = filters._numbers(args.getlist("time"), "time", 1, 5, "from 1 (a day) to 5 (an internship)")
        filters.area = args.get("area", "").strip().lower() or None
        skills = [" ".join(name.lower().split()) for name in args.getlist("skill")]
        filters.skills = list(dict.fromkeys(name for name in skills if name))[:MAX_SKILLS]
        status = args.get("status", "").strip()
        if status:
            filters.status = ProjectStatus.from_text(status)
            if filters.status not in PUBLIC_STATUSES:
                filters.notices.append(f"Ignored status={status}: choose available, in progress or done.")
                filters.status = None
        filters.mentor = args.get("mentor", "").strip().lower() or None
        default_sort = "relevance" if filters.q else "newest"
        filters.sort = args.get("sort", default_sort)
        if filters.sort not in SORTS or (filters.sort == "relevance" and not filters.q):
            if "sort" in args and filters.sort != "relevance":
                filters.notices.append(f"Ignored sort={filters.sort}: choose one of {', '.join(SORTS)}.")
            filters.sort = default_sort
        filters.page = page_number(args.get("page"))
        return filters

    def _numbers(self, values, name, low, high, expected):
        numbers = []
        for value in values:
            number = whole_number(value.strip())
            if number is not None and low <= number <= high:
                numbers.append(number)
            else:
                self.notices.append(f"Ignored {name}={value}: {name} goes {expected}.")
        return sorted(set(numbers))

    @property
    def cache_key(self):
        """What the counts depend on: every filter, not the sort or the page."""
        return (self.q, tuple(self.stars), tuple(self.time), self.area, tuple(self.skills), self.status, self.mentor)

    @property
    def active(self):
        """Tell whether anything narrows the listing."""
        return bool(self.q or self.stars or self.time or self.area or self.skills or self.status or self.mentor)

    def conditions(self, skip=None, page_walk=False):
        """SQL conditions for these filters, leaving out one facet (for its own counts).

        page_walk: the conditions of a query that reads one page in the listing's order (has_skill).
        """
        conditions = []
        if self.status and skip != "status":
            conditions.append(Project.status == self.status)
        else:
            conditions.append(Project.status.in_(PUBLIC_STATUSES))
        if self.stars and skip != "stars":
            rated = [value for value in self.stars if value]
            either = [Project.stars.in_(rated)] if rated else []
            if 0 in self.stars:
                either.append(Project.stars.is_(None))
            conditions.append(db.or_(*either))
        if self.time and skip != "time":
            conditions.append(Project.time_rating.in_(self.time))
        if self.area and skip != "area":
            conditions.append(Project.area_id == db.select(Area.id).where(Area.slug == self.area).scalar_subquery())
        conditions += [has_skill(name, page_walk) for name in self.skills]
        if self.mentor and skip != "mentor":
            conditions.append(
                Project.id.in_(
                    db.select(project_mentors.c.project_id)
                    .join(User, User.id == project_mentors.c.user_id)
                    .where(User.username == self.mentor)
                )
            )
        if self.q:
            conditions.append(_title_match(self.q))
        return conditions

    def order_by(self):
        # The expressions match the sort indexes of the projects table.
        if self.sort == "stars":
            return [unrated_last(Project.stars), Project.title, Project.id]
        if self.sort == "time":
            return [unrated_last(Project.time_rating), Project.title, Project.id]
        if self.sort == "title":
            return [Project.title, Project.id]
        return list(newest_first())


def has_skill(name, page_walk=False):
    """The condition "the project needs the skill called name".

    SQLite answers `id IN (projects with the skill)` by reading every project with it and sorting
    them: 18 ms a page for a common skill at 100,000 projects. Asked `EXISTS` instead, it walks the
    listing's order index and stops after a page (0.14 ms), but for a rare skill it walks nearly
    every project (48 ms for a skill on 30). It does not choose between the two itself, so a page of
    a common skill walks (docs/architecture.md, "Query plans"); PostgreSQL chooses well either way.
    """
    linked = db.select(ProjectSkill.project_id).join(Skill).where(Skill.name == name)
    if page_walk and db.session.get_bind().dialect.name == "sqlite" and _is_common(linked):
        return db.exists(linked.where(ProjectSkill.project_id == Project.id))
    return Project.id.in_(linked)


def _is_common(linked):
    """Tell whether COMMON_SKILL projects or more are linked: an index range read, stopped there."""
    first = linked.limit(COMMON_SKILL).subquery()
    return db.session.execute(db.select(db.func.count()).select_from(first)).scalar_one() >= COMMON_SKILL


def _title_match(q):
    """Match every word in the title or summary: the listing's answer while the search index is unavailable."""
    words = [word for word in q.split() if word.strip("\"'-")][:10]
    return db.and_(
        *(
            db.or_(Project.title.icontains(word, autoescape=True), Project.summary.icontains(word, autoescape=True))
            for word in words
        )
    )
