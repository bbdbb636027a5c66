"""Public pages: start here, the catalogue, a project, mentors."""

from urllib.parse import urlencode

from flask import abort, current_app, g, jsonify, redirect, render_template, request, url_for

from ..access import require_project_view
from ..domain import pickers
from ..domain.claims import claim_state
from ..domain.permissions import Permission, can
from ..domain.queries import history, places_left
from ..domain.workflow import submit_action
from ..text import page_number
from . import bp, queries
from .filters import SORTS, Filters
from .searching import SearchInfo, search_listing

HOME_PICKS = 6
NEWEST = 5
MENTORS_PER_PAGE = 30
SUGGESTIONS = 8


@bp.get("/")
def home():
    """Start here: available 1-star projects first, then counts and the newest projects."""
    first_projects = queries.first_projects(HOME_PICKS)
    newest = queries.newest_projects(NEWEST)
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
    project = require_project_view(queries.project_with_details(slug))
    return render_template(
        "catalogue/project.html",
        project=project,
        places_left=places_left(project.mentors),
        history=history(project) if can(g.user, Permission.VIEW_PROJECT_HISTORY, project) else [],
        can_edit=can(g.user, Permission.EDIT_PROJECT, project),
        claim_state=claim_state(project, g.user),
        submit_action=submit_action(project, g.user),
    )


@bp.get("/mentors")
def list_mentors():
    """Everyone who mentors a public project, with how many more people they can take on."""
    pagination = queries.mentors_page(page_number(request.args.get("page")), MENTORS_PER_PAGE)
    return render_template(
        "catalogue/mentors.html",
        pagination=pagination,
        places_left=places_left([user for user, _count in pagination.items]),
    )


@bp.get("/mentors/<username>")
def show_mentor(username):
    """A mentor's profile and their public projects."""
    mentor = queries.active_user_named(username.lower()) or abort(404)
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
        places_left=places_left([mentor])[mentor.id],
    )


@bp.get("/suggest/projects")
def suggest_projects():
    """Public projects whose title or address name contains q, for the pickers (JSON, as "Title (slug)")."""
    return jsonify(suggestions=pickers.project_suggestions(request.args.get("q", "")[:200], SUGGESTIONS))


@bp.get("/suggest/people")
def suggest_people():
    """Mentors of public projects (public on /mentors) whose name or username contains q, for the pickers."""
    return jsonify(suggestions=pickers.people_suggestions(request.args.get("q", "")[:200], limit=SUGGESTIONS))
