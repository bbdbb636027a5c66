"""What reviewers send and bring in: the stale-project reminder, the call for projects drafted from the gaps,
and an ideas page imported into the review queue."""

from flask import current_app, g, render_template

from .. import mail
from ..database import db
from ..importer import Importer, parse_wiki
from ..models import ProjectStatus, Stars
from .queries import thin_stars, thin_times

SUBJECT_AREAS = 3


def reminder(mentor, projects):
    """One message listing a mentor's stale projects, each with its one-click confirmation link."""
    return mail.message("stale_reminder", mentor.email, mentor=mentor, projects=projects,
                        days=current_app.config["STALE_AFTER_DAYS"])


def join_words(words, last="and"):
    """Join ["a", "b", "c"] as "a, b and c"."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def draft_call(gaps):
    """Write a subject and a plain-text message asking the community to fill the gaps.

    The body is the template of a message (templates/email/call_for_projects/body.txt) that the
    reviewer edits before it is sent; the subject is worked out from the gaps.
    """
    signature = g.user.name if g.get("user") else f"The {current_app.config['SITE_NAME']} reviewers"
    body = render_template("email/call_for_projects/body.txt", total=gaps.total, lines=_gap_lines(gaps),
                           signature=signature).strip() + "\n"
    return _subject(gaps), body


def _named_areas(gaps):
    return [row for row in gaps.areas if row.slug is not None]


def _gap_lines(gaps):
    lines, areas = [], _named_areas(gaps)
    stocked = sorted((row for row in areas if row.by_stars.get(Stars.ONE)), key=lambda row: -row.by_stars[Stars.ONE])
    have = [f"{row.by_stars[Stars.ONE]} in {row.name}" for row in stocked]
    none = [row.name for row in areas if not row.by_stars.get(Stars.ONE)]
    if none and have:
        lines.append(f"- 1-star projects: we have {', '.join(have)} and none in {join_words(none)}.")
    elif none and gaps.stars_total(Stars.ONE):
        lines.append(f"- 1-star projects: none in {join_words(none)}.")
    elif none or not gaps.stars_total(Stars.ONE):
        lines.append("- 1-star projects: none available in any area.")
    other_stars = [f"{int(stars)}-star" for stars in thin_stars(gaps) if stars is not Stars.ONE]
    if other_stars:
        lines.append(f"- {join_words(other_stars)} projects: none available.")
    times = thin_times(gaps)
    if times:
        lines.append(f"- Projects that take {join_words([level.label for level in times], 'or')}: none available.")
    booked = [area.name for area in gaps.no_capacity if area.mentors]
    unmentored = [area.name for area in gaps.no_capacity if not area.mentors]
    if booked:
        lines.append(f"- Areas whose mentors are fully booked: {join_words(booked)}.")
    if unmentored:
        lines.append(f"- Areas with projects but no mentor: {join_words(unmentored)}.")
    return lines


def _subject(gaps):
    none = [row.name for row in _named_areas(gaps) if not row.by_stars.get(Stars.ONE)]
    if none:
        named, more = none[:SUBJECT_AREAS], len(none) - SUBJECT_AREAS
        if more > 0:
            named.append(f"{more} more {'area' if more == 1 else 'areas'}")
        subject = f"Call for starter projects: 1-star projects wanted in {join_words(named)}"
        # Area names run to 80 characters; the subject column holds 200.
        return subject if len(subject) <= 200 else (
            f"Call for starter projects: 1-star projects wanted in {len(none)} areas")
    if not gaps.stars_total(Stars.ONE):
        return "Call for starter projects: 1-star projects wanted"
    thin = [f"{int(stars)}-star" for stars in thin_stars(gaps)]
    if thin:
        return f"Call for starter projects: {join_words(thin)} projects wanted"
    if gaps.no_capacity:
        return "Call for starter projects and mentors"
    return "Call for starter projects"


def import_page(text, source, actor, dry_run):
    """Read a page and import its projects into the review queue (new ones are proposed); the caller commits.

    Returns (parsed, importer). A dry run applies the drafts too, so the report says exactly what would
    happen, and rolls back.
    """
    parsed = parse_wiki(text)
    importer = Importer(source=source, actor=actor, new_status=ProjectStatus.PROPOSED)
    importer.apply_all(parsed.projects, save=not dry_run)
    if dry_run:
        db.session.rollback()
    return parsed, importer.report
