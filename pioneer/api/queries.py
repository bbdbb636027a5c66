"""What the API, the feed, the embed and the downloads read: the catalogue's own listing, and counts.

A listing goes through the catalogue's filters, search path and pagination, so every outlet answers
exactly what /projects shows for the same URL. Each query is bounded by what the answer holds.
"""

from ..catalogue import queries as catalogue_queries
from ..catalogue.searching import search_listing
from ..database import db
from ..domain import cache
from ..domain.queries import is_public
from ..domain.records import projects_for_records
from ..models import Area, Project, ProjectSkill, Round, Skill

MAX_DOWNLOAD = 10_000


def find_projects(filters, per_page):
    """One page of the projects /projects would list for these filters (search included)."""
    if filters.q:
        pagination, _facets, _info = search_listing(filters, per_page)
    else:
        pagination, _facets = catalogue_queries.project_page(filters, per_page, with_facets=False)
    return pagination


def records_page(filters, per_page):
    """A page of the listing, its projects loaded with what a record needs."""
    pagination = find_projects(filters, per_page)
    return pagination, projects_for_records([project.id for project in pagination.items])


def area_counts():
    """Every area with its number of public projects, by name."""
    def compute():
        public = db.select(Project.area_id, db.func.count().label("number")).where(is_public()) \
            .group_by(Project.area_id).subquery()
        rows = db.session.execute(
            db.select(Area.slug, Area.name, db.func.coalesce(public.c.number, 0))
            .outerjoin(public, public.c.area_id == Area.id).order_by(Area.name)
        ).all()
        return [{"slug": slug, "name": name, "projects": number} for slug, name, number in rows]

    return cache.cached(("api_area_counts",), compute)


def skill_counts():
    """Skills that public projects ask for, the most asked first, with their numbers of projects."""
    def compute():
        number = db.func.count(db.distinct(ProjectSkill.project_id)).label("number")
        rows = db.session.execute(
            db.select(Skill.name, number).join(ProjectSkill, ProjectSkill.skill_id == Skill.id)
            .join(Project, Project.id == ProjectSkill.project_id).where(is_public())
            .group_by(Skill.id, Skill.name).order_by(number.desc(), Skill.name)
        ).all()
        return [{"name": name, "projects": count} for name, count in rows]

    return cache.cached(("api_skill_counts",), compute)


def all_rounds():
    return db.session.execute(db.select(Round).order_by(Round.starts_on.desc(), Round.id.desc())).scalars().all()


mentors_page = catalogue_queries.mentors_page
active_user_named = catalogue_queries.active_user_named
mentors_public_projects = catalogue_queries.mentors_public_projects


def public_project(slug):
    """The public project with this slug, loaded for its record, or None."""
    project_id = db.session.execute(
        db.select(Project.id).where(Project.slug == slug, is_public())
    ).scalar_one_or_none()
    return projects_for_records([project_id])[0] if project_id is not None else None
