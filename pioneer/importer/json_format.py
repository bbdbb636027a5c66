"""Read the JSON export (`pioneer export --format json`) back into drafts for the Importer.

Each draft carries the same fields as a wiki draft, plus its slug and the mentors' usernames, so a
JSON import goes through the same Importer: the same history, report and idempotence. What cannot be
read is reported as `project N (slug): ...` and left out; the rest of the project is kept.
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from ..models import LinkKind, ProjectStatus, SkillLevel, Stars, TimeRating
from ..text import one_line, slugify
from .apply import MentorRef
from .wiki import ProjectDraft

SAFE_URL_RE = re.compile(r"^(https?://|mailto:)\S+$", re.IGNORECASE)


@dataclass
class JsonProblem:
    number: int
    slug: str
    message: str

    def __str__(self):
        where = f"project {self.number}" + (f" ({self.slug})" if self.slug else "")
        return f"{where}: {self.message}"


@dataclass
class RecordDraft(ProjectDraft):
    """A project as read from a JSON record: a ProjectDraft whose slug, description and dates the record gives.

    Its mentors are MentorRef (a name, and the account's username when the export knew it).
    """

    record_slug: str = ""
    record_description: str = ""
    created_at: datetime | None = None
    approved_at: datetime | None = None

    @property
    def slug(self):
        return self.record_slug or slugify(self.title)

    @property
    def description(self):
        return self.record_description


@dataclass
class JsonResult:
    projects: list
    problems: list


class JsonFormatError(ValueError):
    """The text is not a JSON export at all."""


def parse_json(text):
    """Read every project of a JSON export; raise JsonFormatError when the text is not one."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonFormatError(f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from error
    records = document.get("projects") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise JsonFormatError('expected {"projects": [...]}, the shape `pioneer export --format json` writes')
    reader = _Reader()
    for number, record in enumerate(records, start=1):
        reader.read(number, record)
    return JsonResult(reader.projects, reader.problems)


class _Reader:
    def __init__(self):
        self.projects = []
        self.problems = []
        self.seen = {}

    def read(self, number, record):
        self.number, self.slug = number, ""
        if not isinstance(record, dict):
            self.problem("not an object; skipped")
            return
        title = one_line(_text(record.get("title")))[:200]
        slug = slugify(_text(record.get("slug")) or title)
        self.slug = slug
        if not title or not slug:
            self.problem("no title; skipped")
            return
        if slug in self.seen:
            self.problem(f"the same slug as project {self.seen[slug]}; skipped")
            return
        self.seen[slug] = number
        draft = RecordDraft(title=title, line=None, record_slug=slug)
        draft.summary = one_line(_raw(record.get("summary")))[:300]
        draft.record_description = _raw(record.get("description"))
        draft.outcomes = _raw(record.get("outcomes"))
        draft.area = " ".join(_text(record.get("area")).split())[:80] or None
        draft.stars = self.rating(record, "stars", Stars)
        draft.time_rating = self.rating(record, "time", TimeRating)
        draft.actual_hours = self.hours(record.get("hours"))
        draft.status = self.status(record.get("status"))
        draft.mentors = self.mentors(record.get("mentors"))
        draft.skills = self.skills(record.get("skills"))
        draft.links = self.links(record.get("links"))
        draft.created_at = self.moment(record, "created_at")
        draft.approved_at = self.moment(record, "approved_at")
        self.projects.append(draft)

    def problem(self, message):
        self.problems.append(JsonProblem(self.number, self.slug, message))

    def rating(self, record, key, kind):
        value = record.get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
            return kind(value)
        self.problem(f"{key} {value!r} is not a number from 1 to 5; left unrated")
        return None

    def hours(self, value):
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10000:
            return value
        self.problem(f"hours {value!r} is not a number of hours; left out")
        return None

    def status(self, value):
        if value is None:
            return None
        status = ProjectStatus.from_text(value) if isinstance(value, str) else None
        if status is None:
            self.problem(f"unknown status {value!r}; a new project is available, an existing one keeps its own")
        return status

    def entries(self, value, what, key="name"):
        """The objects of a list field; a plain string stands for {key: string}, anything else is reported."""
        for entry in _list(value):
            if isinstance(entry, str):
                entry = {key: entry}
            if isinstance(entry, dict):
                yield entry
            else:
                self.problem(f"the {what} {entry!r} is neither a {key} nor an object; left out")

    def mentors(self, value):
        mentors, seen = [], set()
        for entry in self.entries(value, "mentor"):
            name = one_line(_text(entry.get("name")))[:120]
            username = _text(entry.get("username")).lower() or None
            if not name and not username:
                self.problem("a mentor with neither a name nor a username; left out")
                continue
            key = username or name.lower()
            if key not in seen:
                seen.add(key)
                mentors.append(MentorRef(name=name or username, username=username))
        return mentors

    def skills(self, value):
        skills, seen = [], set()
        for entry in self.entries(value, "skill"):
            name = one_line(_text(entry.get("name")))[:60]
            if not name or name in seen:
                continue
            level_text = _text(entry.get("level"))
            level = SkillLevel.from_label(level_text) if level_text else SkillLevel.CONCEPTS
            if level is None:
                self.problem(f"unknown level {level_text!r} for the skill {name!r}; read as concepts")
                level = SkillLevel.CONCEPTS
            required = entry.get("required", True)
            seen.add(name)
            skills.append((name, level, required is not False))
        return skills

    def links(self, value):
        links = []
        for entry in self.entries(value, "link", key="url"):
            url = _text(entry.get("url"))
            if not SAFE_URL_RE.match(url) or len(url) > 500:
                self.problem(f"the link {url!r} is not an http, https or mailto address; left out")
                continue
            kind_text = _text(entry.get("kind")) or LinkKind.OTHER.value
            try:
                kind = LinkKind(kind_text.lower())
            except ValueError:
                self.problem(f"unknown link kind {kind_text!r}; kept as other")
                kind = LinkKind.OTHER
            links.append((kind, url, one_line(_text(entry.get("title")))[:200]))
        return links

    def moment(self, record, key):
        value = record.get(key)
        if value in (None, ""):
            return None
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.problem(f"{key} {value!r} is not an ISO 8601 date and time; left out")
            return None
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _raw(value):
    return value if isinstance(value, str) else ""


def _list(value):
    return value if isinstance(value, list) else []
