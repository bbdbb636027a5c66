"""What an import did or would do, as a plain-text table for `pioneer import --dry-run`."""

OUTCOMES = {"created": "new", "updated": "updated", "unchanged": "unchanged"}
COLUMNS = (("project", 34), ("", 9), ("stars", 28), ("time", 34), ("mentors", 24), ("skills", 0))


def _cut(text, width):
    text = " ".join(str(text).split())
    if not width or len(text) <= width:
        return text.ljust(width) if width else text
    return text[: width - 1] + "…"


def _rated(value, source, words):
    """The rating, and the page's own words it was read from: "3-star ← medium to hard"."""
    shown = words(value) if value else "not rated"
    if not source:
        return shown
    said = source.partition(":")[2].strip() if ":" in source else source
    return f"{shown} ← {said or source}"


def preview_lines(parsed, outcomes):
    """One line per project (title, outcome, stars and time with the page's words they came from,
    mentors, skills), then the sections skipped as page furniture."""
    header = "  ".join(_cut(name, width) for name, width in COLUMNS).rstrip()
    lines = [header, "-" * len(header)]
    for draft, outcome in zip(parsed.projects, outcomes, strict=True):
        stars = _rated(draft.stars, getattr(draft, "stars_source", None), lambda value: f"{int(value)}-star")
        time = _rated(draft.time_rating, getattr(draft, "time_source", None), lambda value: value.label)
        # A page gives names; a JSON record gives MentorRef (a name and maybe a username).
        named = ", ".join(getattr(mentor, "name", mentor) for mentor in draft.mentors)
        mentors = named or ("needs a mentor" if getattr(draft, "needs_mentor", False) else "none")
        skills = ", ".join(name for name, _level, _required in draft.skills) or "none"
        cells = (draft.title, OUTCOMES.get(outcome, outcome), stars, time, mentors, skills)
        lines.append("  ".join(_cut(cell, width) for cell, (_name, width) in zip(cells, COLUMNS, strict=True)).rstrip())
    lines += [f"skipped: {skipped}" for skipped in getattr(parsed, "skipped", [])]
    return lines
