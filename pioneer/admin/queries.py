"""Queries behind the admin pages."""

from ..database import db
from ..models import Project, User, project_mentors


def users_page(query, page, per_page):
    """Accounts by username, those whose name, username or email contains query when one is given."""
    statement = db.select(User).order_by(User.username)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            db.func.lower(User.username).like(pattern) | db.func.lower(User.name).like(pattern)
            | db.func.lower(User.email).like(pattern)
        )
    return db.paginate(statement, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def user_named(username):
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one_or_none()


def projects_mentored_by(user):
    """The projects user mentors, by title (what a merge would hand over)."""
    return db.session.execute(
        db.select(Project).join(project_mentors).where(project_mentors.c.user_id == user.id).order_by(Project.title)
    ).scalars().all()


def mentors_among(user_ids):
    """The ids of those users who mentor at least one project: one query for a page of accounts."""
    if not user_ids:
        return set()
    return set(db.session.execute(
        db.select(project_mentors.c.user_id).where(project_mentors.c.user_id.in_(user_ids)).distinct()
    ).scalars())
