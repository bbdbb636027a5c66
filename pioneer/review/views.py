"""The triage queue, and a reviewer's decision on one project."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from .. import workflow
from ..database import db
from ..models import Project, ProjectStatus, ReviewAction, ReviewEvent, Stars
from ..permissions import Permission, permission_required
from ..text import whole_number
from . import bp, queue
from .forms import DecisionForm

PER_SECTION = 10
PER_PAGE = 50
# What the reviewer's buttons may ask for; everything else the workflow owns.
DECISIONS = [ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT, ReviewAction.CONFIRM,
             ReviewAction.ARCHIVE, ReviewAction.RESTORE]
SUCCESS = {
    ReviewAction.APPROVE: "Approved: newcomers can find it now.",
    ReviewAction.REQUEST_CHANGES: "Sent back to its mentors with your comment.",
    ReviewAction.REJECT: "Rejected.",
    ReviewAction.CONFIRM: "Confirmed as still accurate.",
    ReviewAction.ARCHIVE: "Archived: hidden from the catalogue.",
    ReviewAction.RESTORE: "Restored: available again.",
}


@bp.get("")
@permission_required(Permission.REVIEW_PROJECTS)
def show_queue():
    """Every section with its count and oldest entries; one section whole when asked for."""
    filters = _queue_filters()
    only = request.args.get("section") if request.args.get("section") in queue.SECTION_KEYS else None
    page = whole_number(request.args.get("page", "1"))
    page = page if page and page < 10_000 else 1
    sections = []
    for section in queue.SECTIONS:
        if only and section.key != only:
            continue
        pagination = queue.section_page(section.key, page if only else 1, PER_PAGE if only else PER_SECTION, **filters)
        sections.append((section, pagination, queue.waiting_since(pagination.items)))
    return render_template("review/queue.html", sections=sections, only=only, filters=filters,
                           stale_days=current_app.config["STALE_AFTER_DAYS"])


def _queue_filters():
    stars = request.args.get("stars", "")
    return {
        "q": request.args.get("q", "").strip()[:200],
        "stars": int(stars) if stars in {"0", "1", "2", "3", "4", "5"} else None,
        "area": request.args.get("area", "").strip()[:80] or None,
    }


def _project_for_decision(slug, lock=False):
    statement = db.select(Project).where(Project.slug == slug)
    if lock:
        # PostgreSQL: the second of two simultaneous decisions waits here, then sees the first.
        # SQLite: the write transaction (BEGIN IMMEDIATE) already serialises them.
        statement = statement.with_for_update()
    return db.first_or_404(statement)


@bp.route("/<slug>", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_PROJECTS)
def decide_project(slug):
    """Approve, send back, reject, archive, restore or confirm one project."""
    project = _project_for_decision(slug, lock=request.method == "POST")
    form = DecisionForm(stars=str(int(project.stars or 0)), time_rating=str(int(project.time_rating or 0)),
                        expected_status=project.status.value)
    if request.method == "POST":
        action = _action(request.form.get("action"))
        if form.expected_status.data != project.status.value or not workflow.allowed(project, action, g.user):
            return _conflict(project, action)
        if form.validate() and _ratings_ready(form, action):
            # Reviewers set ratings when they approve and may correct them on public projects;
            # sending a proposal back or rejecting it leaves the mentor's ratings alone.
            rates = action is ReviewAction.APPROVE or project.is_public or project.status is ProjectStatus.ARCHIVED
            workflow.apply(project, action, g.user, comment=form.comment.data,
                           ratings=(form.stars_value, form.time_value) if rates else None)
            db.session.commit()
            flash(f"{project.title}: {SUCCESS[action]}", "success")
            return redirect(url_for("review.show_queue"))
    return _render_decision(project, form, status=422 if form.errors else 200)


def _action(value):
    try:
        action = ReviewAction(value or "")
    except ValueError:
        abort(400, description="Choose one of the decision buttons.")
    if action not in DECISIONS:
        abort(400, description="Choose one of the decision buttons.")
    return action


def _ratings_ready(form, action):
    """Approval needs both ratings: newcomers choose by them."""
    if action is not ReviewAction.APPROVE:
        return True
    if form.stars_value is None:
        form.stars.errors.append("Set the stars before approving.")
    if form.time_value is None:
        form.time_rating.errors.append("Set the time before approving.")
    return form.stars_value is not None and form.time_value is not None


def _conflict(project, action):
    """Answer 409: the project moved on since the page was loaded, or the action does not fit it."""
    db.session.rollback()
    latest = db.session.execute(
        db.select(ReviewEvent).where(ReviewEvent.project_id == project.id)
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    # Keep what the reviewer typed, but decide next time on the status as it is now.
    form = DecisionForm()
    form.expected_status.data = project.status.value
    return _render_decision(project, form, status=409, conflict=(action, latest))


def _render_decision(project, form, status=200, conflict=None):
    history = db.session.execute(
        db.select(ReviewEvent).where(ReviewEvent.project_id == project.id)
        .options(selectinload(ReviewEvent.actor))
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
    ).scalars().all()
    actions = [action for action in DECISIONS if workflow.allowed(project, action, g.user)]
    return render_template("review/decide.html", project=project, form=form, actions=actions, history=history,
                           conflict=conflict, Stars=Stars, ProjectStatus=ProjectStatus), status
