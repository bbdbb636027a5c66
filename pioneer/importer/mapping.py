"""The tables that turn a page's own words into Pioneer's values: labels, difficulty words, sizes, mentors.

Each table is a module constant so the README can quote it and a caller can change it:
`parse_wiki(text, difficulty_words={...})` replaces `DIFFICULTY_WORDS`.
"""

import functools
import re

from ..models import LinkKind, SkillLevel, Stars, TimeRating

# --- Labels -----------------------------------------------------------------------------------------

# Labels read on every page (the SPEC §8 wiki shape).
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

# Labels read besides those on pages in the other shapes (see the README, "The wiki format").
# "size" is a project's expected size, mapped to a time rating through hours; "prose skills" are
# skills written as prose, turned into short names where that is reliable.
EXTENDED_KEYS = {
    "difficulty level": "stars",
    "rating": "stars",
    "expected difficulty": "stars",
    "intensity": "stars",
    "level": "stars",
    "expected size of project": "size",
    "expected size of the project": "size",
    "expected size": "size",
    "project size": "size",
    "size": "size",
    "effort": "size",
    "length": "size",
    "duration": "size",
    "project length": "size",
    "expected time commitment": "size",
    "time commitment": "size",
    "estimated time": "size",
    "mentors": "mentors",
    "potential mentors": "mentors",
    "possible mentors": "mentors",
    "co-mentor": "mentors",
    "co-mentors": "mentors",
    "co mentors": "mentors",
    "experts": "mentors",
    "expert": "mentors",
    "skills": "prose skills",
    "skill": "prose skills",
    "skills required": "prose skills",
    "required skills": "prose skills",
    "skills required/preferred": "prose skills",
    "skills needed": "prose skills",
    "preferred skills": "prose skills",
    "prerequisites": "prose skills",
    "requirements": "prose skills",
    "involves": "prose skills",
    "tech stack": "prose skills",
    "technologies": "prose skills",
    "languages": "prose skills",
    "expected outcome": "outcomes",
    "expected outcomes": "outcomes",
    "deliverables": "outcomes",
    "expected results": "outcomes",
    "link to project": LinkKind.OTHER,
    "project link": LinkKind.OTHER,
    "repositories": LinkKind.REPOSITORY,
    "source code": LinkKind.REPOSITORY,
    "github": LinkKind.REPOSITORY,
    "related issue": LinkKind.ISSUE,
    "related issues": LinkKind.ISSUE,
    "description": "description",
    "short description": "summary",
    "title": "title",
    "project": "title",
    "project name": "title",
    "project title": "title",
    "name": "title",
    "idea": "title",
    "project idea": "title",
}

# Labels that an ordinary sentence also starts with: they do not on their own make a page "another shape".
AMBIGUOUS_LABELS = {
    "prerequisites", "requirements", "involves", "size", "rating", "length", "effort", "level", "duration",
    "experts", "expert", "project", "name", "title", "idea", "description", "languages", "github",
}


@functools.lru_cache(maxsize=4096)
def normalise_label(label):
    """'**Mentor(s)**' -> 'mentors'; 'Expected  Outcome(s)' -> 'expected outcomes'."""
    label = re.sub(r"[*_`]", "", label).strip().rstrip(":").strip().lower()
    label = label.replace("(s)", "s").replace("’", "'")
    return " ".join(label.split())


@functools.lru_cache(maxsize=4096)
def extended_key(label):
    """The field an extended label names, or None: exact names first, then what the label is about."""
    name = normalise_label(label)
    if name in KEYS and KEYS[name] not in ("skills", "time"):
        return KEYS[name]
    if name in EXTENDED_KEYS:
        return EXTENDED_KEYS[name]
    if name in KEYS:
        return KEYS[name]
    if len(name) > 90:
        return None
    if "difficulty" in name:
        return "stars"
    if "mentor" in name:
        return "mentors"
    if "skill" in name:
        return "prose skills"
    if "outcome" in name or "deliverable" in name:
        return "outcomes"
    if ("size" in name or "hours" in name or "time commitment" in name) and "team" not in name:
        return "size"
    return None


# --- Difficulty words -> stars -----------------------------------------------------------------------

DIFFICULTY_WORDS = {
    "very easy": 1,
    "trivial": 1,
    "beginner": 1,
    "starter": 1,
    "easy": 2,
    "low": 2,
    "simple": 2,
    "intermediate": 3,
    "medium": 3,
    "moderate": 3,
    "normal": 3,
    "hard": 4,
    "high": 4,
    "advanced": 4,
    "difficult": 4,
    "challenging": 4,
    "very hard": 5,
    "very high": 5,
    "expert": 5,
    "research": 5,
}

FRACTION_RE = re.compile(r"^\s*(\d{1,3})\s*(?:/|of|out of)\s*(\d{1,3})\b", re.IGNORECASE)
CLAUSE_END_RE = re.compile(r"\s[-–—]\s|[–—(,.;:]")


def stars_from_words(value, words):
    """Stars for a difficulty in words ('medium to hard' -> the harder end), or None."""
    text = value.lower()
    clause = CLAUSE_END_RE.split(text, maxsplit=1)[0]
    pattern, table = words if isinstance(words, tuple) else compile_words(words)
    if pattern is None:
        return None
    for part in (clause, text):
        found = [table[word] for word in pattern.findall(part)]
        if found:
            return Stars(max(1, min(5, max(found))))
    return None


def compile_words(words):
    """(pattern, table) for a table of difficulty words; stars_from_words takes either."""
    return _words_pattern(tuple(sorted((str(word).lower(), int(stars)) for word, stars in words.items())))


@functools.lru_cache(maxsize=16)
def _words_pattern(items):
    """One pattern for a table of words, the longest first, so 'very hard' wins over 'hard'."""
    table = dict(items)
    if not table:
        return None, table
    alternatives = "|".join(re.escape(word) for word in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])(?:{alternatives})(?![a-z])"), table


def stars_from_fraction(value):
    """'3/5' -> 3, '4 out of 10' -> 2 (scaled to five); None when it is no fraction."""
    match = FRACTION_RE.match(value)
    if not match:
        return None
    number, scale = int(match.group(1)), int(match.group(2))
    if scale == 0 or not 0 < number <= scale:
        return None
    return Stars(max(1, min(5, round(number * 5 / scale))))


# --- Sizes -> hours -> time rating ---------------------------------------------------------------------

SIZE_WORDS = {"small": 90, "medium": 175, "large": 350}
HOURS_PER_UNIT = {"hour": 1, "hr": 1, "h": 1, "day": 8, "week": 40, "month": 160}
SIZE_RE = re.compile(
    r"(\d{1,4}(?:\s*(?:or|to|-|–|/)\s*\d{1,4})*)\s*(hours?|hrs?|h|days?|weeks?|months?)\b", re.IGNORECASE
)
SIZE_WORD_RE = re.compile(r"(?<![a-z])(small|medium|large)(?![a-z])", re.IGNORECASE)


def hours_from_size(value):
    """Hours for a size: '175 hours', '~350 hours (large)', '90 or 175 hours' (the larger), '2 weeks'
    (40 hours a week), 'small (90 hours)', or a size word alone ('Medium'). None when none is found."""
    if match := SIZE_RE.search(value):
        numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
        unit = match.group(2).lower().rstrip("s")
        hours = max(numbers) * HOURS_PER_UNIT[unit]
        return hours if hours > 0 else None
    if match := SIZE_WORD_RE.search(value):
        return SIZE_WORDS[match.group(1).lower()]
    return None


def time_for_size(value):
    """A time rating for a size, or None: through hours, or the rating's own label ('a season')."""
    hours = hours_from_size(value)
    if hours is not None:
        return TimeRating.for_hours(hours)
    return TimeRating.from_label(value.strip())


SIZE_HEADING_RE = re.compile(
    r"^(?:(?:small|medium|large)(?:[\s-]+(?:sized?|size|projects?))*\s*)?"
    r"(?:\(\s*~?\s*\d{1,4}\s*(?:h|hours?)\s*\)|[-–—:]?\s*~?\s*\d{1,4}\s*(?:h|hours?)(?:\s+projects?)?)?$",
    re.IGNORECASE,
)


def is_size_heading(text):
    """'Medium (175 hours)', 'Large projects', '350 hours': a heading that gives the size of the projects below."""
    text = " ".join(text.replace("*", "").split())
    return bool(text) and bool(SIZE_HEADING_RE.match(text)) and hours_from_size(text) is not None


# --- Skills written as prose ----------------------------------------------------------------------------

SKILL_PREFIXES = [
    (re.compile(r"^(?:a\s+)?(?:basic|basics of|some|beginner)\b\s*(?:knowledge of|understanding of|"
                r"familiarity with|experience with|experience in)?\s*", re.I), SkillLevel.CONCEPTS),
    (re.compile(r"^(?:knowledge of|understanding of|familiarity with|awareness of)\s+", re.I), SkillLevel.CONCEPTS),
    (re.compile(r"^(?:experience with|experience in|working knowledge of)\s+", re.I), SkillLevel.SOME),
    (re.compile(r"^(?:good|solid|strong|proficiency in|proficient in|fluency in|fluent in)\b\s*"
                r"(?:knowledge of|understanding of|experience with|experience in)?\s*", re.I),
     SkillLevel.COMFORTABLE),
]
SKILL_SUFFIX_RE = re.compile(
    r"\s+(?:skills?|knowledge|experience|programming|basics|familiarity|proficiency)$", re.IGNORECASE
)
NICE_TO_HAVE_RE = re.compile(r"\s*\((?:nice to have|nice-to-have|optional|a plus|bonus|preferred)\)\s*$"
                             r"|\s+(?:is|are)\s+(?:a plus|nice to have|optional|a bonus)\.?$", re.IGNORECASE)
SHORT_SKILL_RE = re.compile(r"^[\w+#./-]+(?:\s+[\w+#./-]+){0,2}$")


def short_skill(part):
    """(name, level, required) for a short piece of prose such as 'Basic Scala skills', else None."""
    text = re.sub(r"[*`_]", "", part).strip().rstrip(".")
    required = True
    if NICE_TO_HAVE_RE.search(text):
        required = False
        text = NICE_TO_HAVE_RE.sub("", text).strip()
    level = SkillLevel.CONCEPTS
    for pattern, prefix_level in SKILL_PREFIXES:
        if pattern.match(text):
            new = pattern.sub("", text, count=1)
            if new != text:
                text, level = new, prefix_level
                break
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    text = SKILL_SUFFIX_RE.sub("", text).strip()
    name = " ".join(text.lower().split())
    if not name or len(name) > 30 or not SHORT_SKILL_RE.match(name):
        return None
    return name, level, required


# --- Mentors ----------------------------------------------------------------------------------------------

PLACEHOLDER_MENTORS = {
    "", "-", "–", "—", "?", "none", "nobody", "tbd", "tba", "tbc", "n/a", "wanted", "needed", "to be confirmed",
    "to be decided", "to be announced", "to be determined", "unknown", "open", "anyone", "mentor wanted",
    "mentors wanted", "looking for a mentor", "not yet", "pending",
}
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HANDLE_RE = re.compile(r"(?<![\w.])@([A-Za-z0-9](?:[A-Za-z0-9_-]{0,38}))\b")
PROFILE_RE = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|codeberg\.org)/([A-Za-z0-9_-]+)/?$",
                        re.IGNORECASE)
INLINE_LINK_RE = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK_RE = re.compile(r"\[([^\]]+)\]\[([^\]]*)\]")
REFERENCE_DEFINITION_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+[\"'(].*)?\s*$")


def is_placeholder(name):
    return " ".join(name.lower().strip(" .*_").split()) in PLACEHOLDER_MENTORS


BULLET_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
SHORTCUT_LINK_RE = re.compile(r"\[([^\]]+)\](?!\()")
MARKUP_RE = re.compile(r"[*_`]")
MENTOR_SPLIT_RE = re.compile(r",|;|&|\band\b|\s/\s|\n", re.IGNORECASE)
PARENTHESES_RE = re.compile(r"\([^()]*\)")
GITHUB_NAMED_RE = re.compile(r"\b(?:github|gitlab|handle)\s*:\s*@?([A-Za-z0-9][A-Za-z0-9_-]{0,38})", re.IGNORECASE)


def read_mentors(value, references=None):
    """Mentors from a page's words: (details, placeholder_seen).

    Each detail is {"name", "handle", "url", "email"}, None where unknown. A name is the link text or the
    handle, never Markdown; the same name twice is one mentor; placeholders ("TBD", "To be confirmed", "-")
    are no mentor.
    """
    references = references or {}
    tokens = []

    def keep(text):
        tokens.append(text)
        return f"\x00{len(tokens) - 1}\x00"

    def restore(text):
        while "\x00" in text:
            new = re.sub(r"\x00(\d+)\x00", lambda m: tokens[int(m.group(1))], text)
            if new == text:
                break
            text = new
        return text

    protected = value.replace("\x00", "")
    if "](" in protected:
        protected = INLINE_LINK_RE.sub(lambda m: keep(m.group(0)), protected)
    if "][" in protected:
        protected = REFERENCE_LINK_RE.sub(lambda m: keep(m.group(0)), protected)
    previous = None if "(" in protected else protected
    while previous != protected:
        previous = protected
        protected = PARENTHESES_RE.sub(lambda m: keep(m.group(0)), protected)
    details, placeholder = [], False
    for raw in MENTOR_SPLIT_RE.split(protected):
        part = restore(raw)
        detail = _one_mentor(part, references)
        if detail is None:
            placeholder = placeholder or bool(part.strip())
            continue
        same = next((d for d in details if d["name"].casefold() == detail["name"].casefold()), None)
        if same is None:
            details.append(detail)
        else:
            for key in ("handle", "url", "email"):
                same[key] = same[key] or detail[key]
    return details, placeholder


def _one_mentor(part, references):
    text = BULLET_RE.sub("", part).strip()
    detail = {"name": None, "handle": None, "url": None, "email": None}
    link = INLINE_LINK_RE.search(text) if "[" in text else None
    target = None
    if link:
        label, target = link.group(1), link.group(2)
        text = (text[: link.start()] + " " + text[link.end():]).strip()
    else:
        reference = (REFERENCE_LINK_RE.search(text) or SHORTCUT_LINK_RE.search(text)) if "[" in text else None
        if reference:
            label = reference.group(1)
            key = (reference.group(2) if reference.lastindex == 2 else "") or label
            target = references.get(" ".join(key.lower().split()))
            text = (text[: reference.start()] + " " + text[reference.end():]).strip()
        else:
            label = None
    if target:
        if target.lower().startswith("mailto:"):
            detail["email"] = target[7:].split("?")[0] or None
        else:
            detail["url"] = target if re.match(r"^https?://", target, re.IGNORECASE) else None
            if profile := PROFILE_RE.match(target):
                detail["handle"] = profile.group(1)
    for inner in re.findall(r"\(([^()]*)\)", text) if "(" in text else ():
        if named := GITHUB_NAMED_RE.search(inner):
            detail["handle"] = detail["handle"] or named.group(1)
        elif handle := HANDLE_RE.search(inner):
            detail["handle"] = detail["handle"] or handle.group(1)
        if email := EMAIL_RE.search(inner):
            detail["email"] = detail["email"] or email.group(0)
    text = re.sub(r"\([^()]*\)|\s*<[^<>]*>\s*", " ", text) if "(" in text or "<" in text else text
    if email := EMAIL_RE.search(part) if detail["email"] is None and "@" in part else None:
        detail["email"] = email.group(0)
        text = text.replace(email.group(0), " ")
    text = " ".join(MARKUP_RE.sub("", text).split()).strip(" .:,-–")
    label = " ".join(MARKUP_RE.sub("", label).split()) if label else None
    if label and label.startswith("@") and " " not in label:
        detail["handle"] = detail["handle"] or label[1:]
    name = label if label and not EMAIL_RE.fullmatch(label) else (text or label)
    if name and name == label and text and label.startswith("@") and not is_placeholder(text):
        name = text  # "Jane Doe [@jdoe](...)": the name is the plain text, the link the handle.
    if not name and detail["email"]:
        name = detail["email"].split("@")[0]
    if not name or is_placeholder(name):
        return None
    if EMAIL_RE.fullmatch(name):
        detail["email"] = detail["email"] or name
        name = name.split("@")[0]
    if name.startswith("@") and " " not in name and not detail["handle"]:
        detail["handle"] = name[1:]
    detail["name"] = name.lstrip("@")[:80] or None
    return detail if detail["name"] else None
