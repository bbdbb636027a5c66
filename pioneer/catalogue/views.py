"""Public pages: start here, the catalogue, a project, mentors."""

from urllib.parse import urlencode

from flask import abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload

from .. import workflow
from ..database import db
from ..mentor.forms import FinishForm
from ..models import Project, ProjectStatus, ReviewAction, ReviewEvent, Stars, User
from ..permissions import Permission, can, is_mentor_of, require_project_view
from ..text import whole_number
from . import bp, queries
from .filters import SORTS, Filters
from .searching import SearchInfo, search_listing

HOME_PICKS = 6
NEWEST = 5
MENTORS_PER_PAGE = 30


@bp.get("/")
def home():
    """Start here: available 1-star projects first, then counts and the newest projects."""
    first_projects = db.session.execute(
        queries.with_row_details(
            db.select(Project)
            .where(Project.status == ProjectStatus.AVAILABLE, Project.stars == Stars.ONE)
            .order_by(Project.approved_at.desc(), Project.id.desc())
            .limit(HOME_PICKS)
        )
    ).scalars().all()
    newest = db.session.execute(
        queries.with_row_details(
            queries.public_projects().order_by(Project.approved_at.desc(), Project.id.desc()).limit(NEWEST)
        )
    ).scalars().all()
    counts = queries.available_counts()
    return render_template(
        "catalogue/home.html",
        first_projects=first_projects,
        by_stars=counts["stars"],
        by_time=counts["time_rating"],
        newest=newest,
    )


@bp.get("/projects")
def list_projects():
    """The catalogue with every filter of the URL contract, facet counts and pages."""
    if any(not value.strip() for _key, value in request.args.items(multi=True)):
        # The filter form sends "any" as an empty value; drop those so the URL stays short to share.
        kept = [(key, value) for key, value in request.args.items(multi=True) if value.strip()]
        return redirect(url_for("catalogue.list_projects") + ("?" + urlencode(kept) if kept else ""))
    filters = Filters.from_args(request.args)
    per_page = current_app.config["PROJECTS_PER_PAGE"]
    if filters.q:
        pagination, facets, info = search_listing(filters, per_page)
    else:
        (pagination, facets), info = queries.project_page(filters, per_page), SearchInfo()
    return render_template(
        "catalogue/projects.html",
        filters=filters,
        pagination=pagination,
        facets=facets,
        search=info,
        sorts=SORTS,
    )


@bp.get("/projects/<slug>")
def show_project(slug):
    """One project: ratings, skills, mentors with places left, who works on it, outcomes, links."""
    project = db.session.execute(
        queries.with_row_details(db.select(Project).where(Project.slug == slug)).options(
            selectinload(Project.links)
        )
    ).scalar_one_or_none()
    require_project_view(project)
    history = []
    if can(g.user, Permission.VIEW_PROJECT_HISTORY, project):
        history = db.session.execute(
            db.select(ReviewEvent)
            .where(ReviewEvent.project_id == project.id)
            .options(selectinload(ReviewEvent.actor))
            .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
        ).scalars().all()
    return render_template(
        "catalogue/project.html",
        project=project,
        places_left=queries.places_left(project.mentors),
        history=history,
        can_edit=can(g.user, Permission.EDIT_PROJECT, project),
        finish_form=FinishForm(formdata=None) if workflow.allowed(project, ReviewAction.FINISH, g.user) else None,
        claim_state=claim_state(project, g.user),
    )


def claim_state(project, user):
    """Say what the claim button offers: "mine", "open", or None when there is nothing to claim."""
    if user is not None and any(claim.user_id == user.id for claim in project.active_claims):
        return "mine"
    if is_mentor_of(user, project):
        return None
    if project.status is ProjectStatus.AVAILABLE or (
        project.status is ProjectStatus.IN_PROGRESS and project.allow_multiple_claims
    ):
        return "open"
    return None


@bp.get("/mentors")
def list_mentors():
    """Everyone who mentors a public project, with how many more people they can take on."""
    page = whole_number(request.args.get("page", "1")) or 1
    rows, total = queries.mentors_page(page, MENTORS_PER_PAGE)
    users = [user for user, _count in rows]
    return render_template(
        "catalogue/mentors.html",
        rows=rows,
        places_left=queries.places_left(users),
        page=page,
        pages=max(1, -(-total // MENTORS_PER_PAGE)),
        total=total,
    )


@bp.get("/mentors/<username>")
def show_mentor(username):
    """A mentor's profile and their public projects."""
    mentor = db.first_or_404(db.select(User).where(User.username == username.lower(), User.is_active))
    if not queries.mentors_public_projects(mentor):
        # Only people who mentor a public project have a public page; other accounts stay private.
        abort(404)
    filters = Filters.from_args(request.args)
    filters.mentor = mentor.username
    pagination, _none = queries.project_page(filters, current_app.config["PROJECTS_PER_PAGE"], with_facets=False)
    return render_template(
        "catalogue/mentor.html",
        mentor=mentor,
        pagination=pagination,
        places_left=queries.places_left([mentor])[mentor.id],
    )
