"""The outlets for people and programs that are not JSON clients: /api (the API explained), the Atom feed
of newly approved projects, the embeddable list for other sites, and the downloads of a listing.
"""

import json
from dataclasses import replace

from feedgen.feed import FeedGenerator
from flask import Response, current_app, render_template, request, url_for

from ..catalogue.filters import Filters
from ..domain.records import project_record
from ..importer import export_csv
from ..importer.export import JSON_FORMAT_VERSION
from ..models import utcnow
from . import pages, queries
from .views import project_data

FEED_ENTRIES = 30
EMBED_DEFAULT, EMBED_MAX = 10, 50


@pages.get("/api")
def explain_api():
    """The API for people: what it serves, where its description is, the feed and the embed snippet."""
    return render_template("api/index.html", embed_url=url_for("open_data.embed_projects", stars=1, _external=True))


def _refusal(filters):
    """A plain-text 400 saying which filter values the site would have ignored, for feeds and downloads."""
    text = "This address has filter values the catalogue cannot use:\n" + "\n".join(filters.notices) + "\n"
    return Response(text, status=400, mimetype="text/plain")


@pages.get("/feeds/projects.atom")
def projects_feed():
    """Newly approved projects, newest first, narrowed by every filter of /projects (Atom)."""
    filters = Filters.from_args(request.args)
    if filters.notices:
        return _refusal(filters)
    filters = replace(filters, sort="newest", page=1)
    pagination, projects = queries.records_page(filters, FEED_ENTRIES)
    listing = url_for("catalogue.list_projects", _external=True, **_filter_args())
    feed = FeedGenerator()
    feed.id(request.url)
    feed.title(f"{current_app.config.get('SITE_NAME', 'Pioneer')}: new projects" + _feed_subtitle(filters))
    feed.link(href=request.url, rel="self", type="application/atom+xml")
    feed.link(href=listing, rel="alternate", type="text/html")
    feed.subtitle("Starter projects as they are approved, newest first.")
    feed.language("en")
    newest = max((project.approved_at for project in projects if project.approved_at), default=None)
    feed.updated(newest or utcnow())
    # feedgen puts the entry added last first: add the oldest first so the newest leads the feed.
    for project in reversed(projects):
        record = project_data(project)
        entry = feed.add_entry()
        entry.id(record["url"])
        entry.title(project.title)
        entry.link(href=record["url"], rel="alternate", type="text/html")
        entry.summary(_entry_summary(project))
        entry.published(project.approved_at or project.created_at)
        entry.updated(project.approved_at or project.created_at)
        for mentor in project.mentors:
            entry.author({"name": mentor.name, "uri": url_for("catalogue.show_mentor", username=mentor.username,
                                                               _external=True)})
        if project.area:
            entry.category(term=project.area.slug, label=project.area.name)
        for row in project.skills:
            entry.category(term=row.skill.name)
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")


def _feed_subtitle(filters):
    parts = []
    if filters.stars:
        parts.append(" or ".join("not rated" if value == 0 else f"{value}-star" for value in filters.stars))
    if filters.time:
        from ..models import TimeRating

        parts.append(" or ".join(TimeRating(value).label for value in filters.time))
    parts += [f"area {filters.area}"] if filters.area else []
    parts += [f"skill {name}" for name in filters.skills]
    parts += [f"mentor {filters.mentor}"] if filters.mentor else []
    parts += [f"status {filters.status.label}"] if filters.status else []
    parts += [f"“{filters.q}”"] if filters.q else []
    return f" ({', '.join(parts)})" if parts else ""


def _entry_summary(project):
    stars = f"{int(project.stars)} of 5 stars" if project.stars else "not rated yet"
    time = project.time_rating.label if project.time_rating else "time not rated yet"
    return f"{project.summary or project.title} ({stars}; {time})"


def _filter_args():
    """The query arguments of this request that are filters (not the page, the limit or a format)."""
    args = request.args.to_dict(flat=False)
    for key in ("page", "limit", "per_page"):
        args.pop(key, None)
    return args


@pages.get("/embed/projects")
def embed_projects():
    """A small list of project cards for an <iframe> on another site (the only page that may be framed)."""
    filters = Filters.from_args(request.args)
    limit = _limit(request.args.get("limit"))
    filters = replace(filters, page=1)
    pagination = queries.find_projects(filters, limit)
    return render_template("api/embed.html", projects=pagination.items, total=pagination.total,
                           listing=url_for("catalogue.list_projects", _external=True, **_filter_args()),
                           notices=filters.notices)


def _limit(text):
    from ..text import whole_number

    number = whole_number((text or "").strip())
    return min(max(number, 1), EMBED_MAX) if number is not None else EMBED_DEFAULT


@pages.get("/downloads/projects.csv")
def download_csv():
    """Every project of a listing's filter state (at most MAX_DOWNLOAD), one CSV row each."""
    return _download("csv")


@pages.get("/downloads/projects.json")
def download_json():
    """Every project of a listing's filter state (at most MAX_DOWNLOAD), as the JSON export writes them."""
    return _download("json")


def _download(file_format):
    filters = Filters.from_args(request.args)
    if filters.notices:
        return _refusal(filters)
    _pagination, projects = queries.records_page(replace(filters, page=1), queries.MAX_DOWNLOAD)
    if file_format == "csv":
        body = export_csv([project_data(project) for project in projects], extra_columns=("url",))
        mimetype = "text/csv"
    else:
        body = json.dumps({"format": JSON_FORMAT_VERSION, "projects": [project_record(p) for p in projects]},
                          ensure_ascii=False, indent=2) + "\n"
        mimetype = "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="pioneer-projects.{file_format}"'
    return response
