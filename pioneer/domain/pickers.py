"""Read what people type into a picker, and suggest what they may have meant (docs/accessibility.md).

A project by its title, part of it or its address name; people by name or username; an area by name; a
time zone by its name or its city. A suggestion reads "Title (address-name)", so picking one is exact.
"""

import difflib
import re
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import available_timezones

import sqlalchemy as sa

from ..database import db
from ..models import PUBLIC_STATUSES, Area, Project, User, project_mentors

SUGGESTIONS = 6
# Enough names for a typo's close matches, few enough for one fast query on any catalogue.
CLOSE_POOL = 2000
NEWEST = (Project.approved_at.desc(), Project.id.desc())
LABELLED = re.compile(r"^(?P<name>.*?)\s*\((?P<key>[^()]+)\)\s*$")


@dataclass
class Pick:
    """What a picker's text found (or None), and the suggestions to offer when nothing or several did."""

    found: object = None
    suggestions: list[str] = field(default_factory=list)
    # Several matched the text (rather than none): the suggestions are those to choose from.
    several: bool = False


def labelled(name: str, key: str) -> str:
    return f"{name} ({key})"


def split_label(text: str) -> tuple[str, str | None]:
    match = LABELLED.match(text)
    return (match["name"], match["key"].strip().lower()) if match else (text, None)


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _close(text: str, pool: dict[str, str]) -> list[str]:
    """Suggest the labels of pool (lowercased name -> label) whose names, or their beginnings, are close to text."""
    text = text.lower()
    # A typo in the first words of a long title: compare with the title's start as long as what was typed.
    starts = {name[:len(text) + 2]: label for name, label in pool.items()}
    found = difflib.get_close_matches(text, list(pool), n=SUGGESTIONS, cutoff=0.6)
    found += difflib.get_close_matches(text, list(starts), n=SUGGESTIONS, cutoff=0.7)
    labels = [pool.get(name) or starts[name] for name in found]
    return list(dict.fromkeys(labels))[:SUGGESTIONS]


# Projects: public ones only, so a picker never reveals a draft.

def project_suggestions(text: str, limit: int = SUGGESTIONS) -> list[str]:
    """Public projects whose title or address name contains text, by title, as "Title (slug)"."""
    text = (text or "").strip()
    if not text:
        return []
    public = sa.select(Project.title, Project.slug).where(Project.status.in_(PUBLIC_STATUSES))
    rows = db.session.execute(
        public.where(sa.or_(sa.func.lower(Project.title).like(_like(text), escape="\\"),
                            Project.slug.like(_like(text), escape="\\")))
        .order_by(Project.title, Project.id).limit(limit)
    ).all()
    if len(rows) < limit:
        # SQLite's lower() and LIKE fold ASCII only: "übersetzung" must find "Übersetzung" too.
        wanted = text.casefold()
        pool = db.session.execute(public.order_by(*NEWEST).limit(CLOSE_POOL)).all()
        rows = list(dict.fromkeys([*rows, *(row for row in pool if wanted in row.title.casefold())]))
        rows = sorted(rows, key=lambda row: row.title.casefold())[:limit]
    return [labelled(title, slug) for title, slug in rows]


def find_project(text: str) -> Pick:
    """Find the public project text names: its address name, its title, or a part of its title found once."""
    text = (text or "").strip()
    if not text:
        return Pick()
    name, key = split_label(text)
    public = sa.select(Project).where(Project.status.in_(PUBLIC_STATUSES))
    for slug in filter(None, (key, text.lower())):
        project = db.session.execute(public.where(Project.slug == slug)).scalar_one_or_none()
        if project is not None:
            return Pick(project)
    containing = project_suggestions(name, SUGGESTIONS + 1)
    same_title = [item for item in containing if split_label(item)[0].casefold() == name.casefold()]
    if len(same_title) == 1:
        return find_project(same_title[0])
    if len(containing) == 1:
        return find_project(containing[0])
    if containing:
        return Pick(None, containing[:SUGGESTIONS], several=True)
    pool = db.session.execute(
        sa.select(Project.title, Project.slug).where(Project.status.in_(PUBLIC_STATUSES))
        .order_by(*NEWEST).limit(CLOSE_POOL)
    ).all()
    return Pick(None, _close(name, {title.lower(): labelled(title, slug) for title, slug in pool}))


# People.

def public_mentors() -> sa.Select:
    """Active accounts that mentor a public project: their names are public on /mentors."""
    mentoring = (sa.select(project_mentors.c.user_id).join(Project, Project.id == project_mentors.c.project_id)
                 .where(Project.status.in_(PUBLIC_STATUSES)))
    return sa.select(User).where(User.is_active, User.id.in_(mentoring))


def active_people() -> sa.Select:
    """Every active account: the people a coordinator may name as an intern's mentors."""
    return sa.select(User).where(User.is_active)


def people_suggestions(text: str, people: sa.Select | None = None, limit: int = SUGGESTIONS) -> list[str]:
    """People whose name or username contains text, as "Name (username)"."""
    text = (text or "").strip().lstrip("@")
    if not text:
        return []
    people = public_mentors() if people is None else people
    users = db.session.execute(
        people.where(sa.or_(sa.func.lower(User.name).like(_like(text), escape="\\"),
                            User.username.like(_like(text), escape="\\")))
        .order_by(User.name, User.id).limit(limit)
    ).scalars().all()
    if len(users) < limit:
        # As for projects: a name's non-ASCII letters in any case.
        wanted = text.casefold()
        pool = db.session.execute(people.order_by(User.id).limit(CLOSE_POOL)).scalars()
        users = list(dict.fromkeys([*users, *(user for user in pool if wanted in user.name.casefold())]))
        users = sorted(users, key=lambda user: user.name.casefold())[:limit]
    return [labelled(user.name, user.username) for user in users]


def find_person(text: str, people: sa.Select) -> Pick:
    """Find one account among people by username, by name, or by a part of its name found once."""
    text = (text or "").strip().lstrip("@")
    if not text:
        return Pick()
    name, key = split_label(text)
    for username in filter(None, (key, text.lower())):
        user = db.session.execute(people.where(User.username == username)).scalar_one_or_none()
        if user is not None:
            return Pick(user)
    containing = people_suggestions(name, people, SUGGESTIONS + 1)
    same_name = [item for item in containing if split_label(item)[0].casefold() == name.casefold()]
    if len(same_name) == 1:
        return find_person(same_name[0], people)
    if len(containing) == 1:
        return find_person(containing[0], people)
    if containing:
        return Pick(None, containing[:SUGGESTIONS], several=True)
    pool = db.session.execute(people.order_by(User.id).limit(CLOSE_POOL)).scalars()
    return Pick(None, _close(name, {user.name.lower(): labelled(user.name, user.username) for user in pool}))


def split_people(text: str | None) -> list[str]:
    """Read "Ada Lovelace (ada), bob; @cy" as its entries, without repeats."""
    entries = [entry.strip() for entry in (text or "").replace(";", ",").split(",")]
    return list(dict.fromkeys(entry for entry in entries if entry))


# Areas and time zones: short lists.

def find_area(text: str) -> Pick:
    """Find an area by its name or address name."""
    text = (text or "").strip()
    if not text:
        return Pick()
    areas = db.session.execute(sa.select(Area).order_by(Area.name)).scalars().all()
    name, key = split_label(text)
    for area in areas:
        if area.slug in (key, text.lower()) or area.name.lower() == name.lower():
            return Pick(area)
    containing = [area for area in areas if name.lower() in area.name.lower()]
    if len(containing) == 1:
        return Pick(containing[0])
    if containing:
        return Pick(None, [area.name for area in containing][:SUGGESTIONS], several=True)
    return Pick(None, _close(name, {area.name.lower(): area.name for area in areas}))


@cache
def time_zones() -> tuple[str, ...]:
    """Every time zone name this Python knows, sorted, without the legacy aliases."""
    return tuple(sorted(name for name in available_timezones()
                        if name == "UTC" or ("/" in name and not name.startswith(("Etc/", "SystemV/", "US/")))))


def find_time_zone(text: str) -> Pick:
    """Find a time zone by its name in any case, or by its city ("paris", "New York")."""
    text = (text or "").strip()
    if not text:
        return Pick()
    known = {name.lower(): name for name in available_timezones()}
    wanted = text.lower().replace(" ", "_")
    if wanted in known:
        return Pick(known[wanted])
    by_city = [name for name in time_zones() if name.lower().rsplit("/", 1)[-1] == wanted]
    if len(by_city) == 1:
        return Pick(by_city[0])
    containing = [name for name in time_zones() if wanted in name.lower()]
    if len(containing) == 1:
        return Pick(containing[0])
    if by_city or containing:
        return Pick(None, (by_city or containing)[:SUGGESTIONS], several=True)
    cities = {name.lower().rsplit("/", 1)[-1]: name for name in time_zones()}
    return Pick(None, _close(wanted, cities) or _close(wanted, {name.lower(): name for name in time_zones()}))


def did_you_mean(what: str, text: str, pick: Pick) -> str:
    """Say that nothing (or more than one) matched text, and offer the suggestions."""
    suggestions = pick.suggestions
    if pick.several:
        return f"More than one {what} matches “{text}”: " + ", ".join(f"“{item}”" for item in suggestions) + "."
    message = f"No {what} matches “{text}”."
    if suggestions:
        message += " Did you mean " + ", ".join(f"“{suggestion}”" for suggestion in suggestions[:-1])
        message += (" or " if len(suggestions) > 1 else "") + f"“{suggestions[-1]}”?"
    return message
