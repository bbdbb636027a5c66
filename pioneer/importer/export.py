"""Write the catalogue out: JSON (every field, read back by `pioneer import`) and the wiki Markdown shape.

`project_record(project)` (in `domain/records.py`) is the one serializer of a project as plain data;
the JSON and CSV exports use it, and so does the JSON API.
The Markdown writer follows the README's "The wiki format" so that `parse_wiki`
reads each project back to the same fields; what that shape cannot hold is listed in `warnings`.
"""

import csv
import io
import json
import re
from dataclasses import dataclass, field

from ..database import db
from ..domain.records import project_record, record_options
from ..models import PUBLIC_STATUSES, LinkKind, Project, SkillLevel
from ..text import slugify

JSON_FORMAT_VERSION = 1

# The Markdown key each link kind is written under (the wiki parser reads each back to its kind).
LINK_KEYS = {
    LinkKind.REPOSITORY: "Repository",
    LinkKind.ISSUE: "Issue",
    LinkKind.READING: "Reading",
    LinkKind.OTHER: "Links",
}

# A line of prose that a wiki parser would take for a field ("Time: ...", "**Mentors:** ...") or a
# heading ("# ...", "## ...", "### ..."). Such lines get a backslash before the colon or the "#",
# which Markdown does not show: the page renders the same and the line stays prose.
LABEL_LINE_RE = re.compile(r"^(\s*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z ()/'-]{0,40}?)\s*(?:\*\*|__)?\s*)(:)")
# The labels wiki pages use for fields (README, "The wiki format", and the spellings real pages use).
FIELD_LABELS = frozenset(
    label.strip()
    for label in (
        "summary, mentor, mentors, mentor(s), co-mentor, co-mentors, experts, potential mentors, possible mentors,"
        "time, time rating, size, project size, effort, length, expected size, expected size of project,"
        "expected time commitment, skill, skills, skills required, skills required/preferred, prerequisites,"
        "requirements, involves, tech stack, status, stars, difficulty, difficulty level, expected difficulty,"
        "rating, intensity, area, hours, outcome, outcomes, expected outcome, expected outcomes,"
        "expected outcome(s), deliverables, repository, repo, code, issue, issues, reading, background, docs,"
        "link, links, link to project"
    ).split(",")
)
HEADING_LINE_RE = re.compile(r"^(\s{0,3})(#{1,3})(\s|$)")
MARKDOWN_UNSAFE_URL_RE = re.compile(r"[\s()\[\]<>]")
SKILL_NAME_UNSAFE_RE = re.compile(r"[(),`]")


def projects_to_export(public_only=False):
    """Every project (only public ones when asked), with what a record needs loaded in a few queries."""
    statement = (
        db.select(Project)
        .options(*record_options())
        .order_by(Project.id)
    )
    if public_only:
        statement = statement.where(Project.status.in_(PUBLIC_STATUSES))
    return db.session.execute(statement).scalars().all()


def export_json(projects):
    """The JSON export of projects, as text."""
    document = {"format": JSON_FORMAT_VERSION, "projects": [project_record(project) for project in projects]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# The CSV columns: the JSON record's fields, lists joined into one cell each (docs/api.md, "Downloads").
CSV_COLUMNS = ("slug", "title", "summary", "stars", "time", "hours", "area", "status", "mentors", "skills", "links",
               "created_at", "approved_at", "description", "outcomes")


def csv_row(record):
    """One CSV row from a project record: mentors, skills and links joined with "; " into one cell each."""
    row = {key: record[key] for key in CSV_COLUMNS if key not in ("mentors", "skills", "links")}
    row["stars"] = "" if record["stars"] is None else record["stars"]
    row["time"] = "" if record["time"] is None else record["time"]
    row["hours"] = "" if record["hours"] is None else record["hours"]
    row["mentors"] = "; ".join(f"{mentor['name']} (@{mentor['username']})" for mentor in record["mentors"])
    row["skills"] = "; ".join(
        f"{skill['name']} ({skill['level']}, {'required' if skill['required'] else 'nice to have'})"
        for skill in record["skills"])
    row["links"] = "; ".join(link["url"] for link in record["links"])
    return {key: "" if value is None else value for key, value in row.items()}


def export_csv(records, extra_columns=()):
    """Project records as CSV text, one row per project, with a header row (extra_columns follow the others)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*CSV_COLUMNS, *extra_columns], lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**csv_row(record), **{key: record[key] for key in extra_columns}})
    return buffer.getvalue()


@dataclass
class MarkdownExport:
    text: str
    warnings: list = field(default_factory=list)


def export_markdown(projects, title="Projects"):
    """The wiki Markdown page of projects: `##` per area, `###` per project, then its fields."""
    writer = _MarkdownWriter()
    return writer.write(projects, title)


class _MarkdownWriter:
    def __init__(self):
        self.warnings = []
        self.titles = {}

    def warn(self, project, message):
        self.warnings.append(f"{project.slug}: {message}")

    def write(self, projects, title):
        lines = [f"# {title}", ""]
        # Projects without an area come first: an area heading holds every project below it.
        by_area = {}
        for project in projects:
            by_area.setdefault(project.area.name if project.area else None, []).append(project)
        for area in sorted(by_area, key=lambda name: (name is not None, (name or "").lower())):
            if area is not None:
                lines += [f"## {' '.join(area.split())}", ""]
            for project in by_area[area]:
                lines += self.project(project)
        return MarkdownExport("\n".join(lines).rstrip("\n") + "\n", self.warnings)

    def project(self, project):
        title = " ".join(project.title.split())
        if title != project.title or title.endswith(("-", ":", "–", "—")):
            self.warn(project, "the title's spacing or last character changes in Markdown")
        if slugify(title) != project.slug:
            self.warn(project, f"its address {project.slug!r} is not made from its title; Markdown cannot keep it "
                      "(the JSON export does)")
        key = slugify(title)
        if key in self.titles:
            self.warn(project, f"its title makes the same address as {self.titles[key]!r}: a wiki import skips it")
        self.titles.setdefault(key, project.slug)
        stars = f"({int(project.stars)}-star)" if project.stars else "(unrated)"
        lines = [f"### {title} {stars}", ""]
        if project.description:
            lines += [self.prose(project, line) for line in project.description.splitlines()]
            lines.append("")
        if project.summary:
            if "\n" in project.summary or project.summary != project.summary.strip():
                self.warn(project, "the summary is not one trimmed line")
            lines.append(f"Summary: {' '.join(project.summary.split())}")
        elif project.description:
            self.warn(project, "it has no summary: a wiki import takes the description's first sentence")
        if project.mentors:
            names = []
            for user in project.mentors:
                if re.search(r",|;|&|\band\b", user.name) or user.name.lower() in ("-", "none", "tbd", "n/a"):
                    self.warn(project, f"the mentor name {user.name!r} cannot be written in a Mentors: line")
                names.append(user.name)
            lines.append(f"Mentors: {', '.join(names)}")
        if project.time_rating:
            lines.append(f"Time: {project.time_rating.label}")
        if project.skills:
            lines.append(f"Skills: {', '.join(self.skill(project, row) for row in project.skills)}")
        lines.append(f"Status: {project.status.label}")
        if project.actual_hours is not None:
            lines.append(f"Hours: {project.actual_hours}")
        for link in project.links:
            lines.append(f"{LINK_KEYS[link.kind]}: {self.link(project, link)}")
        if project.outcomes:
            lines += self.outcomes(project)
        lines.append("")
        return lines

    def prose(self, project, line):
        """A line of description or outcomes, kept from being read as a field or a heading."""
        if HEADING_LINE_RE.match(line):
            return HEADING_LINE_RE.sub(r"\1\\\2\3", line, count=1)
        match = LABEL_LINE_RE.match(line)
        if match and " ".join(match.group(2).lower().split()) in FIELD_LABELS:
            return LABEL_LINE_RE.sub(r"\1\\\3", line, count=1)
        return line

    def outcomes(self, project):
        first, *rest = project.outcomes.strip().splitlines()
        if any(not line.strip() for line in rest):
            self.warn(project, "its outcomes have several paragraphs: the wiki shape keeps them as one")
        lines = [f"Outcomes: {first.strip()}"]
        lines += [self.prose(project, line) for line in rest if line.strip()]
        return lines

    def skill(self, project, row):
        name = row.skill.name
        if SKILL_NAME_UNSAFE_RE.search(name) or name != " ".join(name.lower().split()):
            self.warn(project, f"the skill name {name!r} does not read back as written")
        details = [row.level.label if row.level else SkillLevel.CONCEPTS.label]
        if not row.required:
            details.append("nice to have")
        return f"{name} ({', '.join(details)})"

    def link(self, project, link):
        url, title = link.url, link.title or ""
        if MARKDOWN_UNSAFE_URL_RE.search(url) or "]" in title:
            self.warn(project, f"the link {url!r} does not read back as written")
        if title:
            return f"[{title}]({url})"
        if url.endswith((".", ",", ";")):
            return f"[]({url})"
        return url
