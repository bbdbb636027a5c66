"""The demo catalogue: a wiki page of projects, plus the people, round and call around it."""

import tomllib
from datetime import UTC, datetime, time, timedelta
from importlib import resources

from ..database import db, get_or_create
from ..domain.interns import walk_to
from ..importer import Importer, parse_wiki
from ..models import Call, CallRepeat, Intern, InternNote, InternStatus, Project, Round, User

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def read_file(name):
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def load_demo(progress=None, now=None):
    """Load people, projects, the round and the call; return a summary line. The caller commits."""
    people = tomllib.loads(read_file("people.toml"))
    mentors = {entry["username"]: upsert_mentor(entry) for entry in people["mentor"]}
    db.session.flush()

    parsed = parse_wiki(read_file("catalogue.md"))
    importer = Importer(source="the demo catalogue")
    drafts = parsed.projects
    if progress:
        with progress(drafts, "Loading demo projects") as bar:
            importer.apply_all(drafts, progress=lambda _drafts: bar)
    else:
        importer.apply_all(drafts)
    db.session.flush()

    round_ = upsert_round(people["round"])
    interns = [upsert_intern(round_, entry, mentors) for entry in people.get("intern", [])]
    call = ensure_call(people["call"], now or datetime.now(UTC))
    report = importer.report
    return (
        f"Demo catalogue: {report.total} projects ({len(report.created)} new, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged), {len(mentors)} mentors, {len(interns)} interns in "
        f"{round_.name}, next call {call.starts_at:%Y-%m-%d %H:%M} UTC."
    )


def upsert_mentor(entry):
    user = get_or_create(User, username=entry["username"])[0]
    user.name = entry["name"]
    user.email = entry.get("email")
    user.capacity = entry.get("capacity", 1)
    user.timezone = entry.get("timezone")
    user.availability = entry.get("availability", "")
    user.bio = entry.get("bio", "")
    user.links = entry.get("links", [])
    # How newcomers reach the mentor: the "How to start" block of their projects.
    for field in ("contact_chat", "contact_forum", "public_email", "office_hours", "office_hours_url"):
        setattr(user, field, entry.get(field, ""))
    return user


def upsert_round(entry):
    round_ = get_or_create(Round, slug=entry["slug"])[0]
    round_.name = entry["name"]
    round_.starts_on = entry["starts"]
    round_.ends_on = entry["ends"]
    return round_


def upsert_intern(round_, entry, mentors):
    """Add the intern once, moved to their status through the lifecycle (an active one puts the project in
    progress); later runs update their name, project and mentors and leave their status alone."""
    intern, created = get_or_create(Intern, round=round_, email=entry["email"],
                                    defaults={"status": InternStatus.APPLICANT})
    if created and entry.get("note"):
        intern.notes.append(InternNote(body=entry["note"]))
    intern.name = entry["name"]
    intern.project = db.session.execute(
        db.select(Project).where(Project.slug == entry["project"])
    ).scalar_one()
    intern.mentors = [mentors[username] for username in entry.get("mentors", [])]
    if created:
        walk_to(intern, InternStatus(entry["status"]), None)
    return intern


def ensure_call(entry, now):
    """Keep one upcoming call with the demo's title, scheduled on its next weekday."""
    call = db.session.execute(
        db.select(Call).where(Call.title == entry["title"], Call.starts_at >= now).order_by(Call.starts_at).limit(1)
    ).scalar_one_or_none()
    if call is not None:
        return call
    hour, minute = (int(part) for part in entry["time"].split(":"))
    days_ahead = (WEEKDAYS.index(entry["weekday"]) - now.weekday()) % 7 or 7
    starts = datetime.combine((now + timedelta(days=days_ahead)).date(), time(hour, minute), tzinfo=UTC)
    call = Call(
        title=entry["title"],
        starts_at=starts,
        duration_minutes=entry.get("duration_minutes", 60),
        join_url=entry.get("where", ""),
        agenda_url=entry.get("agenda", ""),
        repeat=CallRepeat(entry.get("repeat", "none")),
    )
    db.session.add(call)
    return call
