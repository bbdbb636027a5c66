"""Apply parsed project drafts to the database, matching projects by slug.

Running the same file twice changes nothing: each field is compared before it is written. The
caller commits (or, for a dry run, rolls back).
"""

from dataclasses import dataclass, field

from ..database import db, get_or_create
from ..domain.people import unique_username
from ..domain.projects import skill_named
from ..domain.workflow import record
from ..models import (
    PUBLIC_STATUSES,
    Area,
    Project,
    ProjectStatus,
    ReviewAction,
    User,
    utcnow,
)
from ..text import slugify


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    new_mentors: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def summary(self, problems=0, dry_run=False):
        verb = "Would import" if dry_run else "Imported"
        return (
            f"{verb} {self.total} projects: {len(self.created)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; {len(self.flagged)} flagged for review; "
            f"{len(self.new_mentors)} new mentor profiles; {problems} "
            f"{'problem' if problems == 1 else 'problems'}."
        )


class Importer:
    """Turn drafts into projects, creating areas, skills and mentor profiles as needed."""

    def __init__(self, source="an import", actor=None):
        self.source = source
        self.actor = actor
        self.report = ImportReport()
        self._areas = {}
        self._skills = {}
        self._mentors = {}

    def apply(self, draft):
        """Create or update the draft's project; return "created", "updated" or "unchanged"."""
        project = db.session.execute(db.select(Project).where(Project.slug == draft.slug)).scalar_one_or_none()
        created = project is None
        if created:
            project = Project(slug=draft.slug, status=draft.status or ProjectStatus.AVAILABLE)
            db.session.add(project)
        before = snapshot(project) if not created else None
        old_status, old_stars, old_time = project.status, project.stars, project.time_rating

        self.fill(project, draft)
        changed = created or snapshot(project) != before
        if not changed:
            self.report.unchanged.append(draft.slug)
            return "unchanged"

        now = utcnow()
        if project.status in PUBLIC_STATUSES and project.approved_at is None:
            project.approved_at = now
        project.last_reviewed_at = project.last_reviewed_at or now
        if draft.stars is None or not draft.mentors:
            project.needs_review = True
            self.report.flagged.append(draft.slug)
        record(
            project, ReviewAction.IMPORT, self.actor,
            comment=f"{'Imported' if created else 'Updated'} from {self.source}.",
            from_status=None if created else old_status, to_status=project.status,
            from_stars=None if created else old_stars, to_stars=project.stars,
            from_time=None if created else old_time, to_time=project.time_rating,
        )
        (self.report.created if created else self.report.updated).append(draft.slug)
        return "created" if created else "updated"

    def fill(self, project, draft):
        project.title = draft.title[:200]
        project.summary = draft.summary
        project.description = draft.description
        project.outcomes = draft.outcomes
        project.stars = draft.stars
        project.time_rating = draft.time_rating
        project.area = self.area(draft.area) if draft.area else None
        # A status only changes when the file says so: work in progress is not undone by a re-import.
        if draft.status is not None:
            project.status = draft.status
        if draft.actual_hours is not None:
            project.actual_hours = draft.actual_hours
        # Two spellings of one person ("Grace Hopper", "@grace") make one mentor.
        project.mentors = list(dict.fromkeys(self.mentor(name) for name in draft.mentors))
        project.set_skills([(self.skill(name), level, required) for name, level, required in draft.skills])
        project.set_links([(kind, url, title) for kind, url, title in draft.links])

    def area(self, name):
        key = slugify(name)
        if key not in self._areas:
            self._areas[key] = get_or_create(Area, slug=key, defaults={"name": name})[0]
        return self._areas[key]

    def skill(self, name):
        if name not in self._skills:
            self._skills[name] = skill_named(name)
        return self._skills[name]

    def mentor(self, name):
        """Find the mentor by display name or username; make a profile without a login if none."""
        key = name.lower()
        if key not in self._mentors:
            user = db.session.execute(
                db.select(User)
                .where((db.func.lower(User.name) == key) | (db.func.lower(User.username) == key))
                .order_by(User.id)
                .limit(1)
            ).scalar_one_or_none()
            if user is None:
                user = User(name=name, username=unique_username(name), capacity=1)
                db.session.add(user)
                db.session.flush()
                self.report.new_mentors.append(user.username)
            self._mentors[key] = user
        return self._mentors[key]


def snapshot(project):
    """What an import can change, as comparable values."""
    return (
        project.title,
        project.summary,
        project.description,
        project.outcomes,
        project.stars,
        project.time_rating,
        project.area_id if project.area is None else project.area.slug,
        project.status,
        project.actual_hours,
        tuple(sorted(user.username for user in project.mentors)),
        tuple((row.skill.name, row.level, row.required) for row in project.skills),
        tuple((link.kind, link.url, link.title) for link in project.links),
    )
