"""Read a wiki-style Markdown list of projects (the format is in the README, "The wiki format"), forgivingly.

The SPEC §8 shape: `##` area headings; a `###` heading per project, optionally ending with its stars as
`(N-star)`, `(★★)` or `★★`; description paragraphs; then lines such as `Mentors: A, B`,
`Time: a week`, `Skills: ocaml (comfortable), tcp/ip (concepts, nice to have)`, `Status: done`,
`Outcomes: ...`, `Repository: URL`. What cannot be read is reported as `line N: ...` and skipped;
everything else is kept.

The shapes other ideas pages take (README, "Other shapes") are read too: `shapes.plan_page` first
decides which heading level holds the projects, what is page furniture and which tables are projects;
`mapping` holds the labels and the tables that turn difficulty words, sizes and mentors into values. A
page in the SPEC §8 shape reads exactly as it always did.
"""

import re
from dataclasses import dataclass, field

from ..models import LinkKind, ProjectStatus, SkillLevel, Stars, TimeRating
from ..text import one_line, slugify
from .mapping import (
    DIFFICULTY_WORDS,
    KEYS,
    REFERENCE_DEFINITION_RE,
    compile_words,
    extended_key,
    is_placeholder,
    normalise_label,
    read_mentors,
    short_skill,
    stars_from_fraction,
    stars_from_words,
    time_for_size,
)
from .shapes import (
    BOLD_LABEL_RE,
    HEADING_RE,
    TABLE_LINE_RE,
    classify_table,
    clean_title,
    label_match,
    plan_page,
    table_rows,
)

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

FIELD_HEADINGS = {"outcomes", "mentors", "prose skills", "size", "stars"}
TIME_CHOICES = ", ".join(rating.label for rating in TimeRating)
LEVEL_CHOICES = ", ".join(level.label for level in SkillLevel)


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class Skipped:
    """A section of the page that is not a project (page furniture), with the line of its heading."""

    line: int
    title: str
    why: str = "page furniture, not a project"

    def __str__(self):
        return f"line {self.line}: skipped {self.title!r} ({self.why})"


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
    # Parallel to `mentors`: {"name", "handle", "url", "email"}, None where unknown. The email is never public.
    mentor_details: list = field(default_factory=list)
    stars_source: str | None = None  # the page's own words the stars were mapped from: "Difficulty: medium"
    time_source: str | None = None  # likewise for the time rating: "Expected size of project: 175 hours"
    needs_mentor: bool = False  # the page named only a placeholder ("TBD", "To be confirmed") as mentor

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
    skipped: list = field(default_factory=list)  # Skipped sections (page furniture)
    project_level: int | None = None  # the heading level that held the projects, None for tables only


def parse_wiki(text, difficulty_words=None):
    """Read every project the text holds; report the lines that could not be read.

    `difficulty_words` replaces the table of difficulty words (`mapping.DIFFICULTY_WORDS`: word -> stars).
    """
    return _Parser(difficulty_words).parse(text)


class _Parser:
    def __init__(self, difficulty_words=None):
        self.difficulty_words = DIFFICULTY_WORDS if difficulty_words is None else difficulty_words
        self.compiled_words = compile_words(self.difficulty_words)
        self.projects = []
        self.problems = []
        self.skipped = []
        self.area = None
        self.current = None
        self.continuing = None  # The key whose value goes on over the next lines.
        self.collecting = None  # (key, label, line, [lines]): a label whose value is on the next lines.
        self.seen_slugs = {}
        self.skip_level = None  # Inside a furniture section down to this heading level.
        self.size_scope = None  # (level, TimeRating, heading text): a size heading above the projects.
        self.table_section = None  # (level, title): a heading whose projects are tables.
        self.table = []

    def parse(self, text):
        lines = [raw.rstrip() for raw in text.replace("\x00", "").splitlines()]
        self.plan = plan_page(lines)
        self.extended = self.plan.extended
        self.level = self.plan.project_level
        for number, line in enumerate(lines, start=1):
            self.read_line(number, line)
        self.flush_table()
        self.finish_project()
        if not self.projects and text.strip():
            self.problem(1 if not self.plan.headings else min(self.plan.headings), self.why_no_project())
        return ParseResult(self.projects, self.problems, self.skipped, self.level)

    def problem(self, line, message):
        self.problems.append(Problem(line, message))

    def why_no_project(self):
        headings = list(self.plan.headings.values())
        if not headings and not self.plan.has_tables:
            return (
                "no project found: the page has no headings and no table of projects (a project starts at a "
                "heading such as '### Title', or is a row of a table with a Project column)"
            )
        normal = [h for h in headings if h.kind == "normal" and h.title]
        if not normal and self.skipped:
            names = ", ".join(repr(s.title) for s in self.skipped[:5])
            return f"no project found: every section is page furniture ({names})"
        if self.level is not None and any(h.level == self.level for h in normal):
            return (
                f"no project found: headings at level {self.level} ({'#' * self.level}) look like projects, "
                "but none could be read (see the lines above)"
            )
        if normal:
            level = max(h.level for h in normal)
            return (
                f"no project found: headings at level {level} ({'#' * level}) look like projects, but none has "
                "a field such as 'Difficulty:' or 'Mentors:' to tell a project from a section; without fields, "
                "projects are '###' headings under '##' areas"
            )
        return (
            "no project found: no heading holds a project (only the page title, furniture or size headings), "
            "and no table has a Project or Title column"
        )

    # --- Lines ---------------------------------------------------------------------------------------------

    def read_line(self, number, line):
        fenced = self.plan.fenced[number - 1]
        if self.extended and not fenced and "|" in line and TABLE_LINE_RE.match(line):
            self.table.append((number, line))
            return
        if self.table:
            self.flush_table()
        heading = None if fenced or not line.startswith("#") else HEADING_RE.match(line)
        if heading and self.structural(len(heading.group(1))):
            self.finish_collecting()
            self.read_heading(number, len(heading.group(1)), (heading.group(2) or "").strip())
            return
        if self.skip_level is not None:
            return
        if self.current is None:
            return  # Text outside any project: the page's introduction or a skipped section.
        if fenced or not self.extended:
            self.read_body_line(number, line, fenced)
        elif heading and self.read_field_heading(number, (heading.group(2) or "").strip()):
            return
        else:
            self.read_extended_line(number, line)

    def structural(self, level):
        """Whether a heading of this level ends a project (a deeper one belongs to the project's text)."""
        if not self.extended:
            return level <= 3
        return self.level is None or level <= self.level

    def read_body_line(self, number, line, fenced=False):
        """A line of a project in the SPEC §8 shape (and a fenced line on any page)."""
        if not line.strip() and not fenced:
            self.continuing = None
            self.current.description_lines.append("")
            return
        key_match = None if fenced or ":" not in line else KEY_RE.match(line)
        key = KEYS.get(" ".join(key_match.group(1).lower().split())) if key_match else None
        if key is not None:
            self.continuing = None
            self.read_key(number, key, key_match.group(2))
        elif self.continuing == "outcomes" and not fenced:
            self.current.outcomes = f"{self.current.outcomes}\n{line}".strip("\n")
        else:
            self.current.description_lines.append(line)

    def read_extended_line(self, number, line):
        if self.plan_reference(line):
            return
        label, key, value = self.label_of(line, number)
        if self.collecting is not None:
            if key is None and label is None and not HEADING_RE.match(line):
                if line.strip():
                    self.collecting[3].append(line)
                    return
                if not self.collecting[3]:
                    return  # Blank lines between a label and its value.
            self.finish_collecting()
        if not line.strip():
            self.continuing = None
            if self.current.description_lines and self.current.description_lines[-1]:
                self.current.description_lines.append("")  # One blank line where fields left several.
            return
        if key is not None:
            self.continuing = None
            if key == "description":
                if value:
                    self.current.description_lines.append(value)
            elif key == "title":
                self.current.description_lines.append(line)  # "Name: ..." in a project's text is text.
            elif not value and key != "area":
                self.collecting = (key, label, number, [])
            else:
                self.read_key(number, key, value, label)
            return
        if label is not None:
            self.problem(number, f"unknown label {label!r}; the line is kept in the description")
            self.continuing = None
        if self.continuing == "outcomes":
            self.current.outcomes = f"{self.current.outcomes}\n{line}".strip("\n")
        else:
            self.current.description_lines.append(line)

    def read_field_heading(self, number, text):
        """A sub-heading inside a project that names a field ("#### Expected outcomes", "#### Mentors")
        takes the lines under it as the value; "Requirements" and the like stay in the description."""
        title = clean_title(text)
        key = extended_key(title) if title else None
        if key not in FIELD_HEADINGS or normalise_label(title) in ("requirements", "prerequisites"):
            return False
        self.finish_collecting()
        self.continuing = None
        self.collecting = (key, title, number, [])
        return True

    def plan_reference(self, line):
        """Reference link definitions ('[@ann]: https://...') are read before the page, and left out."""
        return "[" in line and bool(REFERENCE_DEFINITION_RE.match(line))

    def label_of(self, line, number=None):
        """(label as written, key or None, value) for a labelled line; a bold unknown label has key None."""
        match = self.plan.labels.get(number) if number in self.plan.labels else label_match(line)
        if match:
            label = match.group(2).replace("*", "").replace("_", "").strip()
            key = extended_key(label)
            if key is not None:
                return label, key, match.group(3).strip("*_ ").strip() if match.group(3) else ""
            bold = match.group(1) or re.match(r"^\s*(?:[-*+]\s+)?(\*\*|__)", line)
            return (label if bold else None), None, None
        match = BOLD_LABEL_RE.match(line) if "**" in line or "__" in line else None
        if match and (key := extended_key(match.group(1))) is not None:
            return match.group(1).strip(), key, ""
        return None, None, None

    def finish_collecting(self):
        if self.collecting is None or self.current is None:
            self.collecting = None
            return
        key, label, number, lines = self.collecting
        self.collecting = None
        if key == "outcomes":
            value = "\n".join(lines)
        elif key in ("mentors", "prose skills", "skills"):
            value = "\n".join(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line) for line in lines)
        else:
            value = " ".join(line.strip(" -*+") for line in lines)
        self.read_key(number, key, value.strip("\n"), label)

    # --- Headings --------------------------------------------------------------------------------------------

    def read_heading(self, number, level, text):
        self.finish_project()
        if self.skip_level is not None and level <= self.skip_level:
            self.skip_level = None
        if self.size_scope is not None and level <= self.size_scope[0]:
            self.size_scope = None
        if self.table_section is not None and level <= self.table_section[0]:
            self.table_section = None
        if self.skip_level is not None:
            return
        planned = self.plan.headings.get(number)
        if not self.extended:
            self.read_wiki_heading(number, level, text)
            return
        title = planned.title if planned else clean_title(text)
        kind = planned.kind if planned else "normal"
        if kind == "furniture" or (kind == "container" and level == self.level):
            self.skipped.append(Skipped(number, title or text))
            self.skip_level = level
            return
        if kind == "size":
            self.size_scope = (level, time_for_size(title), title)
            return
        if planned and planned.table_section:
            self.table_section = (level, None if kind in ("container", "title") else title)
            return
        if self.level is not None and level == self.level:
            self.start_project(number, level, title)
            return
        if kind in ("container", "title"):
            if self.level is not None and level == self.level - 1:
                self.area = None
            return
        if self.level is None or level == self.level - 1:
            self.area = title or None
            if not title and level >= 2:
                self.problem(number, f"an area heading ({'#' * level}) with no name; the projects below keep no area")

    def read_wiki_heading(self, number, level, text):
        """Headings in the SPEC §8 shape: `#` nothing, `##` an area, `###` a project."""
        if level == 1:
            return
        if level == 2:
            self.area = " ".join(text.split()) or None
            if not self.area:
                self.problem(number, "an area heading (##) with no name; the projects below keep no area")
            return
        self.start_project(number, level, clean_title(text))

    def start_project(self, number, level, text, area=None):
        marks = "#" * level
        title, stars = self.split_stars(number, text)
        if not title:
            # finish_project() left no current project: lines up to the next heading are skipped.
            self.problem(number, f"a project heading ({marks}) with no title; skipped up to the next heading")
            return
        self.new_project(number, title, stars, area)

    def new_project(self, number, title, stars=None, area=None):
        # One line, without control characters: the title goes into mail subjects and calendar files.
        title = one_line(title)[:200]
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
        self.current = ProjectDraft(title=title, line=number, area=area or self.area, stars=stars)
        if self.size_scope is not None and self.size_scope[1] is not None:
            self.current.time_rating = self.size_scope[1]
            self.current.time_source = self.size_scope[2]

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
        self.finish_collecting()
        if self.current is not None:
            if not self.current.summary:
                if self.extended:
                    self.current.summary = first_sentence(prose(self.current.description_lines))
                else:
                    self.current.summary = first_sentence(self.current.description)
            self.projects.append(self.current)
        self.current = None
        self.continuing = None

    # --- Tables ---------------------------------------------------------------------------------------------

    def flush_table(self):
        block, self.table = self.table, []
        if not block or self.skip_level is not None:
            return
        kind, extra = classify_table(block)
        if kind == "list":
            self.read_list_table(block, extra)
        elif kind == "kv":
            self.read_kv_table(block, extra)
        elif self.current is not None:
            self.current.description_lines.extend(line for _, line in block)

    def read_kv_table(self, block, has_title):
        rows = table_rows(block)
        if extended_key(rows[0][1][0]) is None:
            rows = rows[1:]  # A header such as "| Field | Value |".
        if has_title:
            self.finish_project()
            number, title = next((n, cells[1]) for n, cells in rows if extended_key(cells[0]) == "title")
            title, link = cell_title(title)
            area = self.table_section[1] if self.table_section else None
            self.new_project(number, title, area=area)
            if self.current is not None and link:
                self.current.links.append((LinkKind.OTHER, link[:500], ""))
        if self.current is None:
            return
        for number, (label, value) in rows:
            self.read_cell(number, label, value)
        if has_title:
            self.finish_project()

    def read_list_table(self, block, title_column):
        rows = table_rows(block)
        header_line, header = rows[0]
        keys = [extended_key(cell) for cell in header]
        for index, cell in enumerate(header):
            if keys[index] is None and index != title_column and normalise_label(cell):
                self.problem(header_line, f"unknown column {cell!r}; its cells are kept in the description")
        self.finish_project()
        area = self.table_section[1] if self.table_section else self.area
        if self.table_section and area is None:
            area = None if self.level is None else self.area
        for number, cells in rows[1:]:
            if title_column >= len(cells):
                continue
            title, link = cell_title(cells[title_column])
            if not title:
                self.problem(number, "a table row with no project title; skipped")
                continue
            self.new_project(number, title, area=area)
            if self.current is None:
                continue
            if link:
                self.current.links.append((LinkKind.OTHER, link[:500], ""))
            for index, cell in enumerate(cells):
                if index != title_column and index < len(header):
                    self.read_cell(number, header[index], cell)
            self.finish_project()

    def read_cell(self, number, label, value):
        key = extended_key(label)
        value = re.sub(r"<br\s*/?>", "\n", value).strip()
        clean = re.sub(r"[*_]", "", label).strip()
        if key == "title":
            return
        if key == "description":
            if value:
                self.current.description_lines.append(value)
        elif key is None:
            if not normalise_label(label):
                return
            self.problem(number, f"unknown label {clean!r}; the value is kept in the description")
            if value:
                self.current.description_lines.append(f"{clean}: {value}")
        elif value or key in ("mentors",):
            self.read_key(number, key, value, clean)

    # --- Fields ---------------------------------------------------------------------------------------------

    def read_key(self, number, key, value, label=None):
        project = self.current
        if self.extended and key in ("stars", "size") and value.strip() and is_placeholder(value):
            return  # "Difficulty: TBD", a "-" cell: nothing stated, nothing to report.
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
            self.read_mentors(value)
        elif key == "time":
            project.time_rating = self.read_time(number, value)
            if label:
                project.time_source = f"{label}: {value}" if project.time_rating is not None else None
        elif key == "size":
            self.read_size(number, value, label)
        elif key == "stars":
            reported = len(self.problems)
            project.stars = self.read_stars_value(number, value, project.stars, label)
            if label and len(self.problems) == reported:
                project.stars_source = f"{label}: {value}" if project.stars is not None else None
        elif key == "status":
            status = ProjectStatus.from_text(value)
            if status is None:
                choices = ", ".join(s.label for s in ProjectStatus)
                self.problem(number, f"unknown status {value!r} (expected one of: {choices}); left as it was")
            project.status = status or project.status
        elif key == "skills":
            project.skills = self.read_skills(number, value)
        elif key == "prose skills":
            self.read_prose_skills(number, value, label)
        elif key == "hours":
            digits = re.sub(r"[^0-9]", "", value)
            if digits and 0 < int(digits) < 10000:
                project.actual_hours = int(digits)
            else:
                self.problem(number, f"{value!r} is not a number of hours")

    def read_mentors(self, value):
        project = self.current
        if not self.extended and "](" not in value and "<" not in value:
            # "@grace" names a username (a handle); "Grace Hopper" only a display name. A line with
            # Markdown links is read as other pages' lines are: the link text is the name.
            written = [name.strip() for name in re.split(r",|;|&|\band\b", value)]
            written = [name for name in written if name.lstrip("@").lower() not in NO_MENTOR_WORDS]
            project.mentors = [name.lstrip("@") for name in written]
            project.mentor_details = [
                {"name": name.lstrip("@"), "handle": name[1:] if name.startswith("@") else None, "url": None,
                 "email": None}
                for name in written
            ]
            project.needs_mentor = not project.mentors and bool(value.strip())
            return
        details, placeholder = read_mentors(value, self.plan.references)
        for detail in details:
            same = next((d for d in project.mentor_details if d["name"].casefold() == detail["name"].casefold()), None)
            if same is None:
                project.mentor_details.append(detail)
            else:
                for key in ("handle", "url", "email"):
                    same[key] = same[key] or detail[key]
        project.mentors = [detail["name"] for detail in project.mentor_details]
        project.needs_mentor = not project.mentors and (placeholder or not value.strip())

    def read_size(self, number, value, label):
        project = self.current
        rating = time_for_size(value)
        if rating is None:
            self.problem(
                number,
                f"unknown size {value!r} (expected hours such as '175 hours', weeks, or small, medium or large); "
                "the project has no time rating",
            )
            return
        project.time_rating = rating
        project.time_source = f"{label}: {value}" if label else value

    def read_time(self, number, value):
        rating = TimeRating.from_label(value)
        if rating:
            return rating
        if match := LEVEL_RE.match(value.strip()):
            return TimeRating(int(match.group(1)))
        if match := HOURS_RE.match(value.strip()):
            return TimeRating.for_hours(int(match.group(1)))
        if self.extended and (rating := time_for_size(value)) is not None:
            return rating
        self.problem(
            number,
            f"unknown time {value!r} (expected one of: {TIME_CHOICES}, or hours such as '30 hours'); "
            "the project has no time rating",
        )
        return None

    def read_stars_value(self, number, value, current, label=None):
        value = value.strip()
        if value.lower() in ("unrated", "not rated", "none", ""):
            return None
        if fraction := stars_from_fraction(value):
            return fraction
        # "★★★", or the number it starts with: "3", "3 (medium)"; "10" is no rating, not 1 star.
        leading = re.match(r"[0-9]+", value)
        count = value.count("★") if "★" in value else (int(leading.group()) if leading else 0)
        if 1 <= count <= 5:
            return Stars(count)
        if not leading and "★" not in value and (stars := stars_from_words(value, self.compiled_words)):
            return stars
        if label and normalise_label(label) != "stars" and self.extended:
            words = ", ".join(sorted(self.difficulty_words, key=lambda w: (self.difficulty_words[w], w)))
            self.problem(
                number,
                f"unknown difficulty {value!r} (expected N/5, ★★★ or one of: {words}); left as it was",
            )
            return current
        self.problem(number, f"{value!r} is not a star rating from 1 to 5; left as it was")
        return current

    def read_prose_skills(self, number, value, label):
        """Skills written as prose: short names where that is reliable; the rest stays in the description."""
        kept, rest, seen = [], [], {name for name, _, _ in self.current.skills}
        for part in split_skill_prose(value):
            skill = legacy_skill(part) or short_skill(part)
            if skill is None:
                rest.append(part.strip())
                continue
            if skill[0] not in seen:
                seen.add(skill[0])
                kept.append(skill)
        self.current.skills = self.current.skills + kept
        if rest:
            self.current.description_lines.append(f"{label or 'Skills'}: {'; '.join(rest)}")

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


def split_skill_prose(value):
    """Pieces of a skills value: lines, then commas, semicolons and 'and' outside parentheses."""
    parts = []
    for line in value.split("\n"):
        for piece in split_outside_parentheses(line.replace(";", ",")):
            parts.extend(p for p in re.split(r"\s+and\s+", piece) if p.strip())
    return parts


def legacy_skill(part):
    """'ocaml (comfortable, nice to have)' in the SPEC §8 way, when every detail is a known word."""
    match = re.match(r"^`?([^()`]+?)`?\s*\((.*)\)$", part.strip())
    if not match:
        return None
    level, required = SkillLevel.CONCEPTS, True
    for detail in match.group(2).split(","):
        detail = " ".join(detail.lower().split())
        if detail in ("required", "must", "must have"):
            required = True
        elif detail in ("nice to have", "nice-to-have", "optional", "bonus", "preferred", "a plus"):
            required = False
        elif SkillLevel.from_label(detail):
            level = SkillLevel.from_label(detail)
        else:
            return None
    name = " ".join(match.group(1).lower().split())
    if not name or len(name) > 30:
        return None
    return name, level, required


def cell_title(cell):
    """A title from a table cell, and the link it may carry: '[Plot export](https://...)'."""
    link = MARKDOWN_LINK_RE.search(cell)
    url = link.group(2) if link and re.match(r"^https?://", link.group(2), re.IGNORECASE) else None
    return clean_title(cell), url


def prose(lines):
    """The prose of a description: no headings, tables, labelled lines or HTML comments, for a summary."""
    kept = []
    for line in lines:
        text = line.strip()
        match = label_match(text)
        if text.startswith(("#", "|", "<!--", "```", "~~~")) or (match and extended_key(match.group(2))):
            if kept:
                kept.append("")
            continue
        kept.append(line)
    text = "\n".join(kept).strip()
    return text.split("\n\n")[0] if text else ""
