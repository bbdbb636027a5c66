"""The shape of a page: which heading level holds the projects, what is page furniture, which tables are projects.

`plan_page(lines)` looks at the whole page before the parser reads it line by line (see the README, "The
wiki format"). A level "holds the projects" when most of the headings that carry fields (labelled lines or
a key/value table) sit at it; without fields anywhere, `###` keeps holding them as in the SPEC §8 shape.
"""

import re
from dataclasses import dataclass, field

from .mapping import AMBIGUOUS_LABELS, KEYS, REFERENCE_DEFINITION_RE, extended_key, is_size_heading, normalise_label

HEADING_RE = re.compile(r"^(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
TABLE_LINE_RE = re.compile(r"^\s{0,3}\|")
SEPARATOR_CELL_RE = re.compile(r"^\s*:?-{1,}:?\s*$")
EXT_KEY_RE = re.compile(
    r"^\s*(?:[-*+]\s+|\d{1,2}[.)]\s+)?(\*\*|__)?([A-Za-z][A-Za-z0-9 ()/,'’&+-]{0,90}?)\s*"
    r"(?::\s*(?:\*\*|__)|(?:\*\*|__)?\s*:)(?!//)\s*(.*?)\s*$"
)
BOLD_LABEL_RE = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)([A-Za-z][^*_:]{0,60}?)(?:\*\*|__)\s*$")

FURNITURE = {
    "how to apply", "apply", "applying", "application", "application template", "applications", "template",
    "proposal template", "project template", "idea template", "rules", "guidelines", "past editions",
    "previous editions", "previous years", "past years", "past projects", "previous projects",
    "completed projects", "taken projects", "mentors", "our mentors",
    "list of mentors", "contact", "contacts", "contact us", "communication", "communication channels", "faq",
    "faqs", "timeline", "important dates", "about", "about us", "introduction", "getting started",
    "before you apply", "resources", "useful links", "links", "notes", "table of contents", "contents", "toc",
    "abstract", "technical details", "description", "requirements", "overview", "background", "eligibility",
    "tips", "where to start", "what we expect", "license", "licence", "students", "contributors", "contributing",
    "how to get started", "getting in touch", "questions", "evaluation", "selection process", "code of conduct",
}
FURNITURE_PREFIXES = ("how to ", "template", "past ", "previous ", "application ", "tips for ", "notes for ")
CONTAINERS = {
    "possible projects", "project ideas", "projects", "ideas", "ideas list", "list of projects", "project list",
    "proposed projects", "the projects", "idea list", "list of ideas", "project ideas list", "our ideas",
    "ideas page", "open projects", "available projects", "the ideas",
}
CONTAINER_RE = re.compile(r"^(?:[\w.-]+\s+){0,3}(?:project\s+)?ideas(?:\s+(?:list|page))?$")
SUBSECTIONS = {
    "description", "requirements", "abstract", "technical details", "details", "goals", "expected outcomes",
    "expected outcome", "deliverables", "mentors", "mentor", "skills", "skills required", "prerequisites",
    "resources", "references", "notes", "background", "motivation", "tasks", "milestones", "stretch goals",
    "links", "overview", "summary", "implementation", "approach", "difficulty", "size", "project size",
    "getting started", "first steps", "related work", "current state", "problem", "solution", "benefits",
    "required skills", "learning outcomes", "timeline", "more information", "further reading",
}


@dataclass
class Heading:
    line: int  # 1-based
    level: int
    text: str
    title: str  # cleaned
    kind: str  # "normal", "furniture", "container", "size", "title" (the page's one `#` heading)
    table_section: bool = False


@dataclass
class Plan:
    project_level: int | None
    extended: bool
    fenced: list  # per line: True inside a fenced code block (fences included)
    headings: dict = field(default_factory=dict)  # line -> Heading
    references: dict = field(default_factory=dict)
    has_tables: bool = False
    labels: dict = field(default_factory=dict)  # line -> EXT_KEY_RE match, for the lines of sections


HTML_RE = re.compile(r"<a\s[^>]*>\s*</a>|<[^>]+>")
TITLE_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKER_RE = re.compile(r"\[[^\]]*\](?!\()")
EMPHASIS_RE = re.compile(r"(\*\*|__|~~)")
NUMBERING_RE = re.compile(
    r"^\s*(?:(?:project|idea)\s*#?\s*\d+\s*[:.)–-]\s*|(?:project|idea)\s*[:–-]\s+|\d{1,3}(?:\.\d{1,3})*[.):]\s+|\d{1,3}\s+[-–—]\s+)",
    re.IGNORECASE,
)


def clean_title(text):
    """A heading's title without numbering, markers, emphasis or link markup."""
    if "<" in text:
        text = HTML_RE.sub("", text)
    if "[" in text:
        text = TITLE_LINK_RE.sub(r"\1", text)
        text = MARKER_RE.sub(" ", text)  # markers such as [Taken in 2024]
    if "*" in text or "_" in text or "~" in text:
        text = EMPHASIS_RE.sub("", text)
    start = text.lstrip()[:1]
    if start.isdigit() or start in ("p", "P", "i", "I"):
        text = NUMBERING_RE.sub("", text)
    return " ".join(text.split())


def heading_kind(title):
    name = normalise_label(title).strip(" .:!?")
    if not name:
        return "normal"
    if is_size_heading(title):
        return "size"
    if name in FURNITURE or name.startswith(FURNITURE_PREFIXES):
        return "furniture"
    if name in CONTAINERS or CONTAINER_RE.match(name):
        return "container"
    return "normal"


def table_cells(line):
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", text)]


def table_rows(block):
    """[(line, cells)] without separator rows; block is [(line, text)]."""
    rows = []
    for number, line in block:
        cells = table_cells(line)
        if cells and all(SEPARATOR_CELL_RE.match(cell) for cell in cells):
            continue
        rows.append((number, cells))
    return rows


def classify_table(block):
    """("kv", has_title) for a key/value table of one project, ("list", title_column) for one project per
    row, or (None, None) for any other table."""
    rows = table_rows(block)
    if not rows:
        return None, None
    two = [cells for _, cells in rows if len(cells) == 2]
    if len(two) == len(rows) and len(rows) >= 2:
        keys = [extended_key(cells[0]) for cells in two[1:]]
        known = sum(1 for key in keys if key is not None)
        if known * 2 >= len(keys) and known:
            all_keys = [extended_key(cells[0]) for cells in two]
            return "kv", "title" in all_keys
    header = rows[0][1]
    keys = [extended_key(cell) for cell in header]
    if "title" in keys and len(rows) >= 2:
        title_column = keys.index("title")
        others = [key for index, key in enumerate(keys) if index != title_column and key is not None]
        if others or len(header) == 1:
            return "list", title_column
    return None, None


def label_match(line):
    """EXT_KEY_RE's match for a labelled line; most lines have no colon and are not tried."""
    colon = line.find(":")
    return EXT_KEY_RE.match(line) if 0 < colon <= 110 else None


def line_fields(match):
    """(1 when a labelled line is a field, whether its label belongs only to the other shapes)."""
    if not match:
        return 0, False
    name = normalise_label(match.group(2))
    key = extended_key(name)
    if key is None:
        return 0, False
    strong = name not in KEYS and name not in AMBIGUOUS_LABELS
    return (0 if key in ("title", "description") else 1), strong


def plan_page(lines):
    fenced, inside = [], False
    for line in lines:
        if ("```" in line or "~~~" in line) and FENCE_RE.match(line):
            fenced.append(True)
            inside = not inside
        else:
            fenced.append(inside)
    headings, bodies, current = [], {}, None
    references = {}
    tables, block = [], []  # tables: (heading index or None, block)

    def close_block():
        if block:
            tables.append((current, list(block)))
            block.clear()

    for index, line in enumerate(lines):
        if fenced[index]:
            close_block()
            continue
        stripped = line.lstrip()
        if stripped.startswith("|") and TABLE_LINE_RE.match(line):
            block.append((index + 1, line))
            continue
        close_block()
        match = HEADING_RE.match(line) if line.startswith("#") else None
        if match:
            text = (match.group(2) or "").strip()
            title = clean_title(text)
            headings.append(Heading(index + 1, len(match.group(1)), text, title, heading_kind(title)))
            current = len(headings) - 1
            bodies[current] = []
            continue
        if stripped.startswith("[") and (ref := REFERENCE_DEFINITION_RE.match(line)):
            references.setdefault(" ".join(ref.group(1).lower().split()), ref.group(2))
            continue
        if ":" in line and current is not None:  # Only labelled lines count, and each has a colon.
            bodies[current].append((index + 1, line))
    close_block()

    if sum(1 for h in headings if h.level == 1) == 1:
        for h in headings:
            if h.level == 1:
                h.kind = "title" if h.kind in ("normal", "container") else h.kind
    fields, strong, labels = {}, False, {}
    for index, body in bodies.items():
        count = 0
        for number, line in body:
            match = label_match(line)
            if match:
                labels[number] = match
                one, is_strong = line_fields(match)
                count += one
                strong = strong or is_strong
        fields[index] = count
    has_tables = False
    for owner, table in tables:
        kind, extra = classify_table(table)
        if kind == "kv" and extra or kind == "list":
            has_tables = True
            if owner is not None:
                headings[owner].table_section = True
        elif kind == "kv" and owner is not None:
            has_tables = True
            fields[owner] = fields.get(owner, 0) + len(table)

    # Sub-sections ("Description", "Mentors" under a project) lend their fields to the heading above them,
    # and furniture takes its whole subtree out of the count.
    counts, candidate_levels, candidates = {}, {}, set()
    owner, skip_level = None, None
    for index, heading in enumerate(headings):
        if skip_level is not None and heading.level > skip_level:
            continue
        skip_level = None
        name = normalise_label(heading.title).strip(" .:")
        if owner is not None and heading.level > headings[owner].level and (
            name in SUBSECTIONS or heading.kind == "furniture" and name in SUBSECTIONS
        ):
            fields[owner] = fields.get(owner, 0) + fields.get(index, 0)
            continue
        if heading.kind == "furniture":
            skip_level, owner = heading.level, None
            continue
        if heading.kind != "normal" or heading.table_section:
            owner = None
            continue
        owner = index
        candidates.add(index)
        candidate_levels[heading.level] = candidate_levels.get(heading.level, 0) + 1
    for index in candidates:
        if fields.get(index, 0) > 0:
            counts[headings[index].level] = counts.get(headings[index].level, 0) + 1
    if counts:
        best = max(counts.values())
        level = 3 if counts.get(3) == best else min(lv for lv, count in counts.items() if count == best)
        if level > 3 and _only_children_of_level_3(headings, candidates, level):
            level = 3  # "### Project" / "#### Hints" with the fields under the hints: the project is the `###`.
    elif has_tables and 3 not in candidate_levels:
        level = None  # The projects are in tables; every heading is a section.
    else:
        level = 3  # Without fields, projects are `###` headings, as in the SPEC §8 shape.
    special = any(h.kind in ("furniture", "container", "size") for h in headings)
    extended = level != 3 or special or strong or has_tables
    return Plan(level, extended, fenced, {h.line: h for h in headings}, references, has_tables, labels)


def _only_children_of_level_3(headings, candidates, level):
    """Whether every candidate heading at `level` is the only one under a `###` candidate."""
    children, parent = {}, None
    for index, heading in enumerate(headings):
        if heading.level <= 3:
            parent = index if heading.level == 3 and index in candidates else None
        elif heading.level == level and index in candidates:
            if parent is None:
                return False
            children[parent] = children.get(parent, 0) + 1
    return bool(children) and all(count == 1 for count in children.values())
