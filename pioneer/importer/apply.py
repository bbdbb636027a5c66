"""Apply parsed project drafts to the database, matching projects by slug.

Running the same file twice changes nothing: each field is compared before it is written. The
caller commits (or, for a dry run, rolls back).

Safety rules (README, "Export" and "The wiki format"):

- A mentor is linked to an account that can sign in only by its username: a JSON `{"username": ...}`,
  an `@handle`, or a name written exactly as a username. A display name never links an account; it
  becomes, or reuses, a profile without a login. A name already among the project's mentors keeps that
  mentor (no rights are gained that way).
- An import never overwrites a project that is not public (a draft, a proposal, ...): the clash is
  reported and the imported project takes another slug.
"""

import re
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import joinedload, selectinload

from ..database import db, get_or_create
from ..domain.cache import bump_version
from ..domain.people import unique_username
from ..domain.profiles import is_profile_without_login
from ..domain.projects import RESERVED_SLUGS, skill_named
from ..domain.workflow import record
from ..models import (
    PUBLIC_STATUSES,
    Area,
    Project,
    ProjectLink,
    ProjectSkill,
    ProjectStatus,
    ReviewAction,
    ReviewEvent,
    User,
    project_mentors,
    utcnow,
)
from ..search import pg_schema
from ..search.indexing import mark_changed
from ..text import is_web_url, slugify

# Projects read per query when an import looks up the addresses it will write to.
PREFETCH = 500
# How many other slugs ("title-2", "title-3", ...) an import tries before it gives up on a clash.
MAX_CLASH_TRIES = 50


@dataclass(frozen=True)
class MentorRef:
    """A mentor as a file names them: a display name, and the account's username when the file knows it."""

    name: str
    username: str | None = None


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    new_mentors: list = field(default_factory=list)
    # One sentence per draft that could not take its slug (a project that is not public holds it).
    clashes: list = field(default_factory=list)

    @property
    def total(self):
        return len(self.created) + len(self.updated) + len(self.unchanged)

    def summary(self, problems=0, dry_run=False, seconds=None):
        verb = "Would import" if dry_run else "Imported"
        speed = f", in {seconds:.1f} s ({self.total / max(seconds, 1e-9):,.0f} projects a second)" if seconds else ""
        return (
            f"{verb} {self.total} projects: {len(self.created)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged; {len(self.flagged)} flagged for review; "
            f"{len(self.new_mentors)} new mentor profiles; {problems} "
            f"{'problem' if problems == 1 else 'problems'}{speed}."
        )


class Importer:
    """Turn drafts into projects, creating areas, skills and mentor profiles as needed.

    new_status: the status of every new project, whatever the file says (ProjectStatus.PROPOSED sends
    them to the review queue); existing projects then keep their own status.
    """

    def __init__(self, source="an import", actor=None, new_status=None):
        self.source = source
        self.actor = actor
        self.new_status = ProjectStatus(new_status) if new_status else None
        self.report = ImportReport()
        self._areas = {}
        self._skills = {}
        self._accounts = {}
        self._profiles = {}
        self._new_usernames = set()  # usernames of profiles this import added, not flushed yet
        self._created = {}  # slug -> project created by this import and not flushed yet
        self._taken = None  # the slugs in the database when the import began, read once
        self._existing = {}  # slug -> project in the database, read by prepare()

    def apply_all(self, drafts, progress=lambda drafts: drafts, save=True):
        """Apply every draft and save the new projects; return the outcomes in order. The caller commits.

        progress wraps the drafts as they are applied (a command's progress bar); save=False leaves the
        new projects unwritten (a dry run).
        """
        self.prepare(drafts)
        outcomes = [self.apply(draft) for draft in progress(drafts)]
        if save:
            self.save()
        return outcomes

    def prepare(self, drafts):
        """Read the projects at the drafts' addresses, with what an import compares, in a few queries.

        Without it, an import of a page already imported costs four queries a project.
        """
        slugs = list(dict.fromkeys(draft.slug for draft in drafts))
        with db.session.no_autoflush:
            for start in range(0, len(slugs), PREFETCH):
                found = db.session.execute(
                    db.select(Project).where(Project.slug.in_(slugs[start:start + PREFETCH])).options(
                        selectinload(Project.mentors), selectinload(Project.skills).joinedload(ProjectSkill.skill),
                        selectinload(Project.links), joinedload(Project.area),
                    )
                ).scalars().all()
                self._existing.update((project.slug, project) for project in found)

    def apply(self, draft):
        """Update the draft's project, or keep it as a new one for save(); return "created", "updated" or
        "unchanged". Only apply_all calls it: a new project is not written until save().

        Nothing is flushed meanwhile: lookups go to this import's own caches first, and flushing before
        each query made a big import flush one project at a time.
        """
        with db.session.no_autoflush:
            return self._apply(draft)

    def _apply(self, draft):
        slug, project = self.target(draft)
        if project is None:
            self.add(slug, draft)
            return "created"
        if not self.would_change(project, draft):
            # Left untouched, so the project is not rewritten nor its search document.
            self.report.unchanged.append(slug)
            return "unchanged"
        old_status, old_stars, old_time = project.status, project.stars, project.time_rating
        self.fill(project, draft)

        now = utcnow()
        if project.status in PUBLIC_STATUSES and project.approved_at is None:
            project.approved_at = now
        project.last_reviewed_at = project.last_reviewed_at or now
        if self.needs_review(draft, slug):
            project.needs_review = True
        record(
            project, ReviewAction.IMPORT, self.actor, comment=self.comment(draft, False, slug),
            from_status=old_status, to_status=project.status, from_stars=old_stars, to_stars=project.stars,
            from_time=old_time, to_time=project.time_rating,
        )
        self.report.updated.append(slug)
        return "updated"

    def needs_review(self, draft, slug):
        """An imported project without stars or mentors is flagged for a reviewer."""
        flagged = draft.stars is None or not draft.mentors
        if flagged:
            self.report.flagged.append(slug)
        return flagged

    def add(self, slug, draft):
        """Keep a new project as plain values; save() writes all of them in a few statements."""
        now = utcnow()
        status = self.new_status or draft.status or ProjectStatus.AVAILABLE
        # A JSON export carries its dates; a wiki page does not.
        approved_at = None if self.new_status else getattr(draft, "approved_at", None)
        if status in PUBLIC_STATUSES and approved_at is None:
            approved_at = now
        new = NewProject(
            slug=slug, title=draft.title[:200], status=status,
            columns=dict(
                slug=slug, status=status, **draft_columns(draft), actual_hours=draft.actual_hours,
                created_at=getattr(draft, "created_at", None) or now, updated_at=now, approved_at=approved_at,
                last_reviewed_at=now, needs_review=self.needs_review(draft, slug),
            ),
            area=self.area(draft.area) if draft.area else None,
            mentors=list(dict.fromkeys(self.mentors(mentor_entries(draft), None))),
            skills=[(self.skill(name), level, required) for name, level, required in draft.skills],
            links=list(draft.links),
            comment=self.comment(draft, True, slug),
        )
        self._created[slug] = new
        self.report.created.append(slug)

    def save(self):
        """Write the new projects kept by add(), with their mentors, skills, links and history.

        One statement per table instead of the ORM's unit of work, which cost about a millisecond per
        project: the README promises 1,000 projects a second. What the session's flush listeners do for
        ORM changes is done here by hand: the search index's outbox and the catalogue's version. On
        PostgreSQL each project gets its search tags once, after its links are in (`bulk_writes`).
        """
        new = [project for project in self._created.values() if project.id is None]
        if not new:
            return
        db.session.flush()  # areas, skills and mentor profiles this import added get their ids
        for project in new:
            project.columns["area_id"] = project.area.id if project.area else None
        with pg_schema.bulk_writes(db.session) as touched:
            self._write(new)
            touched += [project.id for project in new]
        mark_changed(db.session, touched)
        bump_version(db.session.connection())

    def _write(self, new):
        """Insert the projects, then their mentors, skills, links and history: one statement a table."""
        ids = db.session.execute(
            insert(Project).returning(Project.id, sort_by_parameter_order=True), [p.columns for p in new]
        ).scalars().all()
        for project, project_id in zip(new, ids, strict=True):
            project.id = project_id
        actor_id = self.actor.id if self.actor is not None else None
        rows = {
            project_mentors: [{"project_id": p.id, "user_id": user.id} for p in new for user in p.mentors],
            ProjectSkill: [
                {"project_id": p.id, "skill_id": skill.id, "level": level, "required": required, "position": n}
                for p in new for n, (skill, level, required) in enumerate(p.skills)
            ],
            ProjectLink: [
                {"project_id": p.id, "kind": kind, "url": url, "title": title, "position": n}
                for p in new for n, (kind, url, title) in enumerate(p.links)
            ],
            ReviewEvent: [
                {"project_id": p.id, "actor_id": actor_id, "action": ReviewAction.IMPORT, "comment": p.comment,
                 "to_status": p.status, "to_stars": p.columns["stars"], "to_time": p.columns["time_rating"],
                 "created_at": p.columns["updated_at"]}
                for p in new
            ],
        }
        for table, values in rows.items():
            if values:
                db.session.execute(insert(table), values)

    def target(self, draft):
        """The slug the draft goes to and the project there (None for a new one).

        A public project at the slug is updated. One that is not public is left alone: when the draft
        would change it, the draft goes to "slug-2", "slug-3", ... (an earlier import's copy there, with
        the same title, is updated), and the clash is reported.
        """
        base = draft.slug
        for number in range(1, MAX_CLASH_TRIES + 1):
            slug = base if number == 1 else f"{base}-{number}"[:120]
            if slug in RESERVED_SLUGS:
                continue
            project = self.by_slug(slug)
            if isinstance(project, NewProject):
                continue  # Another project of this file: never merged into it.
            if project is None:
                if number > 1:
                    self.clash(draft, base, slug)
                return slug, None
            elif number > 1 and project.title != draft.title[:200]:
                continue  # Another project altogether: never taken over.
            elif project.status in PUBLIC_STATUSES or not self.would_change(project, draft):
                if number > 1:
                    self.clash(draft, base, slug)
                return slug, project
        raise ValueError(f"no free address for {draft.title!r} after {MAX_CLASH_TRIES} tries")

    def clash(self, draft, base, slug):
        holder = self.by_slug(base)
        if isinstance(holder, NewProject):
            why = f"held by {holder.title!r}, imported from the same file"
        elif holder is not None:
            why = (f"held by {holder.title!r}, which is {holder.status.label}, and an import never overwrites "
                   "a project that is not public")
        else:
            why = f"{base!r} is the address of a page"
        line = getattr(draft, "line", None)
        where = f"line {line}: " if line else ""
        self.report.clashes.append(
            f"{where}{draft.title!r} cannot take the address {base!r} ({why}); imported as {slug!r}"
        )

    def by_slug(self, slug):
        """The project at slug: one this import created, or one in the database.

        No autoflush: flushing before every lookup made a 10,000-project import spend most of its
        time in flushes of one project each; the projects this import created are looked up here.
        """
        if slug in self._created:
            return self._created[slug]
        if slug in self._existing:
            return self._existing[slug]
        with db.session.no_autoflush:
            if self._taken is None:
                # One query for every address in use, so a new project costs no lookup at all.
                self._taken = set(db.session.execute(db.select(Project.slug)).scalars())
            if slug not in self._taken:
                return None
            return db.session.execute(db.select(Project).where(Project.slug == slug)).scalar_one_or_none()

    def would_change(self, project, draft):
        """Tell whether applying draft to project would change any field, without changing anything."""
        mentors = self.resolve(mentor_entries(draft), project)
        if any(user is None for user in mentors):
            return True
        status = project.status if self.new_status else (draft.status or project.status)
        hours = project.actual_hours if draft.actual_hours is None else draft.actual_hours
        wanted = (
            draft.title[:200], draft.summary, draft.description, draft.outcomes, draft.stars, draft.time_rating,
            slugify(draft.area) if draft.area else None, status, hours,
            tuple(sorted({user.username for user in mentors})),
            tuple((name, level, required) for name, level, required in draft.skills),
            tuple((kind, url, title) for kind, url, title in draft.links),
        )
        return wanted != snapshot(project)

    def comment(self, draft, created, slug):
        words = [f"{'Imported' if created else 'Updated'} from {self.source}."]
        if slug != draft.slug:
            words.append(f"The address {draft.slug!r} was taken by a project that is not public.")
        for label, attribute in (("Stars", "stars_source"), ("Time", "time_source")):
            source = getattr(draft, attribute, None)
            if source:
                words.append(f"{label} read from {source!r}.")
        return " ".join(words)

    def fill(self, project, draft):
        for name, value in draft_columns(draft).items():
            setattr(project, name, value)
        project.area = self.area(draft.area) if draft.area else None
        # A status only changes when the file says so: work in progress is not undone by a re-import.
        # An import into the review queue (new_status) leaves existing projects' statuses to reviewers.
        if draft.status is not None and self.new_status is None:
            project.status = draft.status
        if draft.actual_hours is not None:
            project.actual_hours = draft.actual_hours
        # Two spellings of one person ("Grace Hopper", "@grace") make one mentor.
        project.mentors = list(dict.fromkeys(self.mentors(mentor_entries(draft), project)))
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

    def mentors(self, entries, project):
        """The users for a list of mentor entries, with new profiles for names that match nobody."""
        return [user or self.mentor(entry) for entry, user in zip(entries, self.resolve(entries, project), strict=True)]

    def resolve(self, entries, project):
        """The existing user each entry names, or None; a display name of an account already linked by its
        username in the same list ("Grace Hopper, @grace") is that account."""
        users = [self.find_mentor(entry, project) for entry in entries]
        linked = {user.name.lower(): user for user in users if user is not None}
        return [user or linked.get(_name(entry).lower()) for entry, user in zip(entries, users, strict=True)]

    def find_mentor(self, entry, project=None):
        """The existing user an entry names, or None; never an account found by its display name."""
        name, username = _name(entry), _username(entry)
        if username:
            account = self.account(username)
            if account is not None:
                return account
        if project is not None and project.id is not None:
            for user in project.mentors:
                if name.lower() in (user.name.lower(), user.username.lower()):
                    return user
        return self.profile(name)

    def mentor(self, entry):
        """The user an entry names; a new profile without a login when none matches.

        A profile without a login keeps the web address the page gave (a link to their profile
        elsewhere); an email address is never kept, so it cannot be shown. An account's own links are
        left to its owner.
        """
        user = self.find_mentor(entry)
        if user is None or is_profile_without_login(user):
            user = user or self.new_profile(entry)
            url = _field(entry, "url")
            if url and is_web_url(url) and url not in (user.links or []):
                user.links = [*(user.links or []), url[:500]]
        return user

    def new_profile(self, entry):
        """A new mentor profile without a login, named as the entry names them."""
        name = _name(entry)
        user = User(name=name, username=unique_username(_username(entry) or name, reserved=self._new_usernames),
                    capacity=1, links=[])
        db.session.add(user)
        self._profiles[name.lower()] = user
        self._new_usernames.add(user.username)
        self._accounts[user.username] = user
        if _username(entry):
            self._accounts[_username(entry)] = user
        self.report.new_mentors.append(user.username)
        return user

    def account(self, username):
        """The user with exactly this username (usernames are lowercase), or None."""
        if username not in self._accounts:
            self._accounts[username] = db.session.execute(
                db.select(User).where(User.username == username)
            ).scalar_one_or_none()
        return self._accounts[username]

    def profile(self, name):
        """A mentor profile without a login with this display name (any case), or None; never an account."""
        key = name.lower()
        if key not in self._profiles:
            self._profiles[key] = db.session.execute(
                db.select(User)
                .where(db.func.lower(User.name) == key, User.password_hash.is_(None))
                .order_by(User.id)
                .limit(1)
            ).scalar_one_or_none()
        return self._profiles[key]


@dataclass
class NewProject:
    """A project this import adds, as the values save() writes (id is set once it is written)."""

    slug: str
    title: str
    status: ProjectStatus
    columns: dict
    area: Area | None
    mentors: list
    skills: list
    links: list
    comment: str
    id: int | None = None


def draft_columns(draft):
    """The project columns a draft sets directly, new project or update."""
    return dict(title=draft.title[:200], summary=draft.summary, description=draft.description,
                outcomes=draft.outcomes, stars=draft.stars, time_rating=draft.time_rating)


USERNAME_LIKE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")


def mentor_entries(draft):
    """The draft's mentors with what the file says of them: the parser's details ({"name", "handle", ...})
    when it gives them, else the names (or a JSON import's MentorRefs)."""
    details = getattr(draft, "mentor_details", None)
    if details and len(details) == len(draft.mentors):
        return details
    return draft.mentors


def _field(entry, key):
    value = entry.get(key) if isinstance(entry, dict) else getattr(entry, key, None)
    return value.strip() if isinstance(value, str) else None


def _name(entry):
    """The display name of a mentor entry: a string, a MentorRef, or a {"name", "handle", ...} detail."""
    if isinstance(entry, str):
        return entry.strip().lstrip("@").strip() or entry.strip()
    return (_field(entry, "name") or _field(entry, "username") or _field(entry, "handle") or "").lstrip("@")


def _username(entry):
    """The username an entry names exactly: JSON's username or an @handle; never a display name."""
    if isinstance(entry, str):
        text = entry.strip()
        handle = text[1:].lower() if text.startswith("@") else ""
        return handle if USERNAME_LIKE_RE.match(handle) else None
    username = _field(entry, "username") or _field(entry, "handle")
    return username.lstrip("@").lower() if username else None


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
