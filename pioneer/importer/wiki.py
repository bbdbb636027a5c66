"""Read a wiki-style Markdown list of projects (the format is in the README, "The wiki format"), forgivingly.

The shape: `##` area headings; a `###` heading per project, optionally ending with its stars as
`(N-star)`, `(★★)` or `★★`; description paragraphs; then lines such as `Mentors: A, B`,
`Time: a week`, `Skills: ocaml (comfortable), tcp/ip (concepts, nice to have)`, `Status: done`,
`Outcomes: ...`, `Repository: URL`. What cannot be read is reported as `line N: ...` and skipped;
everything else is kept.
"""

import re
from dataclasses import dataclass, field

from ..models import LinkKind, ProjectStatus, SkillLevel, Stars, TimeRating
from ..text import slugify

HEADING_RE = re.compile(r"^(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
STARS_SUFFIX_RES = (
    re.compile(r"\(\s*(\d+)\s*-?\s*stars?\s*\)$", re.IGNORECASE),
    re.compile(r"\(\s*([★☆]+)\s*\)$"),
    re.compile(r"(?:^|\s)([★☆]+)$"),
    re.compile(r"\(\s*(unrated|not rated)\s*\)$", re.IGNORECASE),
)
KEY_RE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z ]{0,20}?)\s*(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)\s*(.*?)\s*$"
)
MARKDOWN_LINK_RE = re.compile(r"\[([^\]]*)\]\((\S+?)\)")
URL_RE = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>()\[\]]+")
HOURS_RE = re.compile(r"^(?:about\s+|~\s*)?(\d{1,4})\s*(?:h|hrs?|hours?)$", re.IGNORECASE)
LEVEL_RE = re.compile(r"^(?:level\s+)?([1-5])$", re.IGNORECASE)
NO_MENTOR_WORDS = {"", "-", "none", "nobody", "tbd", "n/a", "wanted", "needed"}

KEYS = {
    "summary": "summary",
    "mentor": "mentors",
    "mentors": "mentors",
    "time": "time",
    "time rating": "time",
    "skill": "skills",
    "skills": "skills",
    "status": "status",
    "stars": "stars",
    "difficulty": "stars",
    "area": "area",
    "outcome": "outcomes",
    "outcomes": "outcomes",
    "hours": "hours",
    "repository": LinkKind.REPOSITORY,
    "repo": LinkKind.REPOSITORY,
    "code": LinkKind.REPOSITORY,
    "issue": LinkKind.ISSUE,
    "issues": LinkKind.ISSUE,
    "reading": LinkKind.READING,
    "background": LinkKind.READING,
    "docs": LinkKind.READING,
    "link": LinkKind.OTHER,
    "links": LinkKind.OTHER,
}
TIME_CHOICES = ", ".join(rating.label for rating in TimeRating)
LEVEL_CHOICES = ", ".join(level.label for level in SkillLevel)


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class ProjectDraft:
    """A project as read from the file, before it meets the database."""

    title: str
    line: int
    area: str | None = None
    stars: Stars | None = None
    time_rating: TimeRating | None = None
    summary: str = ""
    description_lines: list = field(default_factory=list)
    outcomes: str = ""
    mentors: list = field(default_factory=list)
    skills: list = field(default_factory=list)  # (name, SkillLevel, required)
    status: ProjectStatus | None = None
    links: list = field(default_factory=list)  # (LinkKind, url, title)
    actual_hours: int | None = None

    @property
    def slug(self):
        return slugify(self.title)

    @property
    def description(self):
        return "\n".join(self.description_lines).strip()


@dataclass
class ParseResult:
    projects: list
    problems: list


def parse_wiki(text):
    """Read every project the text holds; report the lines that could not be read."""
    return _Parser().parse(text)


class _Parser:
    def __init__(self):
        self.projects = []
        self.problems = []
        self.area = None
        self.current = None
        self.continuing = None  # The key whose value goes on over the next lines.
        self.seen_slugs = {}

    def parse(self, text):
        for number, raw in enumerate(text.splitlines(), start=1):
            self.read_line(number, raw.rstrip())
        self.finish_project()
        return ParseResult(self.projects, self.problems)

    def problem(self, line, message):
        self.problems.append(Problem(line, message))

    def read_line(self, number, line):
        heading = HEADING_RE.match(line)
        if heading and len(heading.group(1)) <= 3:
            self.read_heading(number, len(heading.group(1)), (heading.group(2) or "").strip())
            return
        if self.current is None:
            return  # Text outside any project: the page's introduction or a skipped section.
        if not line.strip():
            self.continuing = None
            self.current.description_lines.append("")
            return
        key_match = KEY_RE.match(line)
        key = KEYS.get(" ".join(key_match.group(1).lower().split())) if key_match else None
        if key is not None:
            self.continuing = None
            self.read_key(number, key, key_match.group(2))
        elif self.continuing == "outcomes":
            self.current.outcomes = f"{self.current.outcomes}\n{line}".strip("\n")
        else:
            self.current.description_lines.append(line)

    def read_heading(self, number, level, text):
        self.finish_project()
        if level == 1:
            return
        if level == 2:
            self.area = " ".join(text.split()) or None
            if not self.area:
                self.problem(number, "an area heading (##) with no name; the projects below keep no area")
            return
        title, stars = self.split_stars(number, text)
        if not title:
            # finish_project() left no current project: lines up to the next heading are skipped.
            self.problem(number, "a project heading (###) with no title; skipped up to the next heading")
            return
        slug = slugify(title)
        if not slug:
            self.problem(number, f"the title {title!r} has no letters or digits to make an address from; skipped")
            return
        if slug in self.seen_slugs:
            self.problem(
                number,
                f"{title!r} has the same address as the project on line {self.seen_slugs[slug]}; skipped",
            )
            return
        self.seen_slugs[slug] = number
        self.current = ProjectDraft(title=title, line=number, area=self.area, stars=stars)

    def split_stars(self, number, text):
        """Take the stars off the end of a heading: return (title, stars or None)."""
        text = " ".join(text.split())
        for pattern in STARS_SUFFIX_RES:
            match = pattern.search(text)
            if not match:
                continue
            title = text[: match.start()].strip(" -–—:")
            value = match.group(1)
            if value.lower() in ("unrated", "not rated"):
                return title, None
            count = value.count("★") if "★" in value or "☆" in value else int(value)
            if 1 <= count <= 5:
                return title, Stars(count)
            self.problem(number, f"{value!r} is not a star rating from 1 to 5; the project is left unrated")
            return title, None
        return text, None

    def finish_project(self):
        if self.current is not None:
            if not self.current.summary:
                self.current.summary = first_sentence(self.current.description)
            self.projects.append(self.current)
        self.current = None
        self.continuing = None

    def read_key(self, number, key, value):
        project = self.current
        if isinstance(key, LinkKind):
            self.read_links(number, key, value)
        elif key == "summary":
            project.summary = value[:300]
        elif key == "outcomes":
            project.outcomes = value
            self.continuing = "outcomes"
        elif key == "area":
            project.area = " ".join(value.split()) or project.area
        elif key == "mentors":
            names = [name.strip().lstrip("@") for name in re.split(r",|;|&|\band\b", value)]
            project.mentors = [name for name in names if name.lower() not in NO_MENTOR_WORDS]
        elif key == "time":
            project.time_rating = self.read_time(number, value)
        elif key == "stars":
            project.stars = self.read_stars_value(number, value, project.stars)
        elif key == "status":
            status = ProjectStatus.from_text(value)
            if status is None:
                choices = ", ".join(s.label for s in ProjectStatus)
                self.problem(number, f"unknown status {value!r} (expected one of: {choices}); left as it was")
            project.status = status or project.status
        elif key == "skills":
            project.skills = self.read_skills(number, value)
        elif key == "hours":
            digits = re.sub(r"[^0-9]", "", value)
            if digits and 0 < int(digits) < 10000:
                project.actual_hours = int(digits)
            else:
                self.problem(number, f"{value!r} is not a number of hours")

    def read_time(self, number, value):
        rating = TimeRating.from_label(value)
        if rating:
            return rating
        if match := LEVEL_RE.match(value.strip()):
            return TimeRating(int(match.group(1)))
        if match := HOURS_RE.match(value.strip()):
            return TimeRating.for_hours(int(match.group(1)))
        self.problem(
            number,
            f"unknown time {value!r} (expected one of: {TIME_CHOICES}, or hours such as '30 hours'); "
            "the project has no time rating",
        )
        return None

    def read_stars_value(self, number, value, current):
        value = value.strip()
        if value.lower() in ("unrated", "not rated", "none", ""):
            return None
        # "★★★", or the number it starts with: "3", "3 (medium)"; "10" is no rating, not 1 star.
        leading = re.match(r"[0-9]+", value)
        count = value.count("★") if "★" in value else (int(leading.group()) if leading else 0)
        if 1 <= count <= 5:
            return Stars(count)
        self.problem(number, f"{value!r} is not a star rating from 1 to 5; left as it was")
        return current

    def read_skills(self, number, value):
        skills, seen = [], set()
        for part in split_outside_parentheses(value):
            match = re.match(r"^`?([^()`]+?)`?\s*(?:\((.*)\))?$", part.strip())
            if not match:
                self.problem(number, f"could not read the skill {part.strip()!r}")
                continue
            name = " ".join(match.group(1).lower().split())[:60]
            if not name or name in seen:
                continue
            seen.add(name)
            level, required = SkillLevel.CONCEPTS, True
            for detail in (match.group(2) or "").split(","):
                detail = " ".join(detail.lower().split())
                if not detail:
                    continue
                if detail in ("required", "must", "must have"):
                    required = True
                elif detail in ("nice to have", "nice-to-have", "optional", "bonus"):
                    required = False
                elif SkillLevel.from_label(detail):
                    level = SkillLevel.from_label(detail)
                else:
                    self.problem(
                        number,
                        f"unknown level {detail!r} for the skill {name!r} "
                        f"(expected one of: {LEVEL_CHOICES}, and 'required' or 'nice to have')",
                    )
            skills.append((name, level, required))
        return skills

    def read_links(self, number, kind, value):
        found = [(url, title) for title, url in MARKDOWN_LINK_RE.findall(value)]
        rest = MARKDOWN_LINK_RE.sub(" ", value)
        found += [(url.rstrip(".,;"), "") for url in URL_RE.findall(rest)]
        if not found:
            self.problem(number, f"no link found in {value!r}")
        for url, title in found:
            if not re.match(r"^(https?://|mailto:)", url, re.IGNORECASE):
                self.problem(number, f"the link {url!r} is not http, https or mailto; left out")
                continue
            self.current.links.append((kind, url[:500], title.strip()[:200]))


def split_outside_parentheses(value):
    """Split on commas that are not inside parentheses."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(value):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            parts.append(value[start:index])
            start = index + 1
    parts.append(value[start:])
    return [part for part in parts if part.strip()]


def first_sentence(markdown_text, limit=200):
    """A plain-text first sentence of some Markdown, for a summary."""
    plain = MARKDOWN_LINK_RE.sub(r"\1", markdown_text)
    plain = re.sub(r"[`*_>#]", "", plain)
    plain = " ".join(plain.split())
    match = re.match(r"(.+?[.!?])(\s|$)", plain)
    sentence = match.group(1) if match else plain
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
