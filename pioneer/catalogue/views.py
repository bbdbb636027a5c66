"""Public pages: start here, the catalogue, a project, mentors."""

from urllib.parse import urlencode

from flask import abort, current_app, g, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ..access import require_project_view
from ..domain import pickers
from ..domain.claims import claim_state
from ..domain.fit import Profile
from ..domain.permissions import Permission, can
from ..domain.queries import finished_by, history, places_left
from ..domain.workflow import submit_action
from ..models import ProjectStatus
from ..text import page_number
from . import bp, fitting, queries
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
        save_query=_shareable_query(),
    )


# The facets beside the fit finder's results; `time` there is the person's time, not a facet.
START_FACETS = ("stars", "area", "skill", "status", "mentor", "page")


@bp.get("/start")
def start():
    """The fit finder: what someone knows, their time and what they want to learn, to ranked, explained projects."""
    args = request.args
    if "level" in args or any(not value.strip() for _key, value in args.items(multi=True)) or any(
            "," in value for value in args.getlist("learn")):
        # The form without script sends skill and level apart: join them into the short URL to share.
        kept = Profile.from_args(args).query_args() + [
            (key, value) for key, value in args.items(multi=True) if key in START_FACETS and value.strip()]
        return redirect(url_for("catalogue.start") + ("?" + urlencode(kept) if kept else ""))
    profile = Profile.from_args(args)
    filters = Filters.from_args(MultiDict([(key, value) for key, value in args.items(multi=True)
                                           if key in START_FACETS]))
    result = None
    if not profile.is_empty:
        result = fitting.fit_page(profile, filters, current_app.config["PROJECTS_PER_PAGE"])
        result.widen = [(text, url_for("catalogue.start") + "?" + urlencode(wider.query_args()))
                        for text, wider in result.widen]
    unknown = [name for name in [*profile.know, *filters.skills] if name not in set(fitting.skill_names())]
    return render_template(
        "catalogue/start.html",
        profile=profile,
        profile_summary=profile.summary(),
        filters=filters,
        result=result,
        skill_names=fitting.skill_names(),
        unknown_skills=unknown,
        save_query=_shareable_query(),
    )


def _shareable_query():
    """The page's query string without its page number: what a saved search keeps."""
    return urlencode([(key, value) for key, value in request.args.items(multi=True) if key != "page"])


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
        finished_claims=queries.finished_claims(project) if project.status is ProjectStatus.DONE else [],
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
    """A person's public profile: the projects they mentor and those they finished."""
    mentor = queries.active_user_named(username.lower()) or abort(404)
    finished = finished_by(mentor)
    if not finished and not queries.mentors_public_projects(mentor):
        # Only people who mentor or finished a public project have a public page; other accounts stay private.
        abort(404)
    filters = Filters.from_args(request.args)
    filters.mentor = mentor.username
    pagination, _none = queries.project_page(filters, current_app.config["PROJECTS_PER_PAGE"], with_facets=False)
    return render_template(
        "catalogue/mentor.html",
        mentor=mentor,
        pagination=pagination,
        places_left=places_left([mentor])[mentor.id],
        finished=finished,
    )


@bp.get("/suggest/projects")
def suggest_projects():
    """Public projects whose title or address name contains q, for the pickers (JSON, as "Title (slug)")."""
    return jsonify(suggestions=pickers.project_suggestions(request.args.get("q", "")[:200], SUGGESTIONS))


@bp.get("/suggest/people")
def suggest_people():
    """Mentors of public projects (public on /mentors) whose name or username contains q, for the pickers."""
    return jsonify(suggestions=pickers.people_suggestions(request.args.get("q", "")[:200], limit=SUGGESTIONS))
