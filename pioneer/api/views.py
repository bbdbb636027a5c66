"""The JSON API, read-only and public: /api/v1/... (docs/api.md). flask-smorest writes its description."""

from dataclasses import replace

from flask import current_app, request, url_for

from ..calls.queries import upcoming_calls
from ..catalogue.filters import Filters
from ..domain.queries import places_left
from ..domain.records import iso_utc, project_record
from ..errors import problem_response
from . import PROBLEM_TYPE, bp, examples, queries, schemas

PROJECT_NOT_FOUND = "No public project has this slug."
MENTOR_NOT_FOUND = "No one mentors a public project under this username."
MENTORS_PER_PAGE = 30


def project_data(project):
    """The JSON export's record of a project, plus the address of its page."""
    return {**project_record(project), "url": url_for("catalogue.show_project", slug=project.slug, _external=True)}


def read_filters():
    """The filters of /projects from this request, or a 400 naming what the site would have ignored."""
    filters = Filters.from_args(request.args)
    if filters.notices:
        # The schema refuses most bad values first; what it lets through and the page still ignores
        # (digits outside ASCII, say) is refused here. Every notice reads "Ignored <name>=<value>: why".
        invalid = [{"name": notice.split("=", 1)[0].removeprefix("Ignored "), "reason": notice}
                   for notice in filters.notices]
        return None, problem_response(400, " ".join(filters.notices), invalid)
    return filters, None


def page_links(endpoint, pagination, **values):
    """self, next and prev addresses of a paged answer, and the same as an RFC 8288 Link header."""
    def address(page):
        args = request.args.to_dict(flat=False)
        args["page"] = [str(page)]
        return url_for(endpoint, _external=True, **values, **args)

    links = {
        "self": address(pagination.page),
        "next": address(pagination.next_num) if pagination.has_next else None,
        "prev": address(pagination.prev_num) if pagination.has_prev else None,
    }
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)
    return links, {"Link": header}


@bp.get("/projects")
@bp.arguments(schemas.ProjectQuery, location="query", as_kwargs=True, error_status_code=400)
@bp.response(200, schemas.ProjectPage, example=examples.PROJECT_PAGE,
             headers={"Link": {"description": "RFC 8288 links to the next and previous pages.",
                               "schema": {"type": "string"}}})
def list_projects(per_page=None, **_filters):
    """Public projects, with the filters, search, sorts and pages of /projects."""
    filters, refused = read_filters()
    if refused:
        return refused
    per_page = per_page or current_app.config["PROJECTS_PER_PAGE"]
    pagination, projects = queries.records_page(filters, per_page)
    links, headers = page_links("api.list_projects", pagination)
    body = {"projects": [project_data(project) for project in projects], "total": pagination.total,
            "page": pagination.page, "per_page": per_page, "links": links}
    return body, 200, headers


@bp.get("/projects/<slug>")
@bp.response(200, schemas.Project, example=examples.PROJECT)
@bp.alt_response(404, schema=schemas.Problem, content_type=PROBLEM_TYPE, description=PROJECT_NOT_FOUND,
                 example=examples.PROBLEMS[404])
def show_project(slug):
    """One public project, as `pioneer export --format json` writes it, plus its page's address."""
    project = queries.public_project(slug)
    if project is None:
        return problem_response(404, PROJECT_NOT_FOUND)
    return project_data(project)


@bp.get("/mentors")
@bp.arguments(schemas.PageQuery, location="query", as_kwargs=True, error_status_code=400)
@bp.response(200, schemas.MentorPage, example=examples.MENTOR_PAGE)
def list_mentors(page=1):
    """Everyone who mentors a public project, by name, with the places they have left."""
    pagination = queries.mentors_page(page, MENTORS_PER_PAGE)
    left = places_left([user for user, _count in pagination.items])
    mentors = [mentor_summary(user, count, left[user.id]) for user, count in pagination.items]
    links, headers = page_links("api.list_mentors", pagination)
    body = {"mentors": mentors, "total": pagination.total, "page": pagination.page, "per_page": MENTORS_PER_PAGE,
            "links": links}
    return body, 200, headers


def mentor_summary(user, count, left):
    return {"username": user.username, "name": user.name, "projects": count, "places_left": left,
            "url": url_for("catalogue.show_mentor", username=user.username, _external=True)}


@bp.get("/mentors/<username>")
@bp.response(200, schemas.Mentor, example=examples.MENTOR)
@bp.alt_response(404, schema=schemas.Problem, content_type=PROBLEM_TYPE, description=MENTOR_NOT_FOUND,
                 example={**examples.PROBLEMS[404], "detail": MENTOR_NOT_FOUND})
def show_mentor(username):
    """A mentor of public projects: profile, places left and their public projects (never an email)."""
    mentor = queries.active_user_named(username.lower())
    if mentor is None or not queries.mentors_public_projects(mentor):
        return problem_response(404, MENTOR_NOT_FOUND)
    filters = replace(Filters(), mentor=mentor.username)
    pagination = queries.find_projects(filters, schemas.MAX_PER_PAGE)
    mentored = [{"slug": project.slug, "title": project.title,
                 "url": url_for("catalogue.show_project", slug=project.slug, _external=True)}
                for project in pagination.items]
    return {**mentor_summary(mentor, pagination.total, places_left([mentor])[mentor.id]),
            "bio": mentor.bio or "", "availability": mentor.availability or "", "capacity": mentor.capacity,
            "mentored": mentored}


@bp.get("/areas")
@bp.response(200, schemas.Areas, example=examples.AREAS)
def list_areas():
    """Every area, with how many public projects it holds."""
    return {"areas": queries.area_counts()}


@bp.get("/skills")
@bp.response(200, schemas.Skills, example=examples.SKILLS)
def list_skills():
    """Skills public projects ask for, the most asked first, with their numbers of projects."""
    return {"skills": queries.skill_counts()}


@bp.get("/rounds")
@bp.response(200, schemas.Rounds, example=examples.ROUNDS)
def list_rounds():
    """Internship rounds, newest first (public fields: no intern, no email)."""
    return {"rounds": [
        {"slug": round_.slug, "name": round_.name, "starts_on": round_.starts_on, "ends_on": round_.ends_on,
         "description": round_.description or "",
         "url": url_for("rounds.show_round", slug=round_.slug, _external=True)}
        for round_ in queries.all_rounds()
    ]}


@bp.get("/calls")
@bp.response(200, schemas.Calls, example=examples.CALLS)
def list_calls():
    """Upcoming community calls, soonest first (public fields: no invitee, no email)."""
    return {"calls": [
        {"id": call.id, "title": call.title, "starts_at": iso_utc(start), "duration_minutes": call.duration_minutes,
         "join_url": call.join_url or "", "agenda_url": call.agenda_url or "",
         "url": url_for("calls.show_call", call_id=call.id, _external=True)}
        for call, start in upcoming_calls()
    ]}
