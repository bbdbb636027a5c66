"""Mentor profiles without a login, and merging one into the account of the person it names.

An import never links a mentor to an account by display name (anyone could register that name first),
so a listed mentor who has an account under another username becomes a profile without a login. An
admin who knows they are the same person merges the profile into the account: the account takes the
profile's place on every project and intern it mentors, each project's history says so, and the
profile is deleted. See the README, "Imports are safe for mentors and drafts".
"""

import sqlalchemy as sa

from ..database import db
from ..models import Intern, Project, ReviewAction, User, intern_mentors, project_mentors
from .errors import DomainError
from .workflow import record


class MergeError(DomainError):
    """A merge the rules do not allow."""


def is_profile_without_login(user: User) -> bool:
    """A mentor profile an import (or the demo) made: no password and no email, so nobody signs in as it."""
    return user.password_hash is None and user.email is None


def merge_profile(profile: User, account: User, actor: User | None) -> list[Project]:
    """Put account in profile's place everywhere, delete profile, and return the projects it mentored.

    Every other row that names the profile (history, notes, proposals) is moved to the account too.
    The caller commits.
    """
    if profile.id == account.id:
        raise MergeError("A profile cannot be merged into itself.")
    if not is_profile_without_login(profile):
        raise MergeError(f"@{profile.username} is an account that can sign in: only profiles without a login "
                         "are merged.")
    if account.password_hash is None:
        raise MergeError(f"@{account.username} has no login either: merge into an account that can sign in.")

    projects = _owners(Project, project_mentors, profile)
    for project in projects:
        # Through the ORM, so the search document and the catalogue's counts follow.
        project.mentors = _replaced(project.mentors, profile, account)
        record(project, ReviewAction.MERGE_MENTOR, actor,
               comment=f"The mentor profile {profile.name} (@{profile.username}) is now the account "
                       f"{account.name} (@{account.username}).")
    for intern in _owners(Intern, intern_mentors, profile):
        intern.mentors = _replaced(intern.mentors, profile, account)
    db.session.flush()
    _move_other_references(profile, account)
    db.session.delete(profile)
    db.session.flush()
    return projects


def _replaced(mentors, profile, account):
    kept = [user for user in mentors if user.id != profile.id]
    return kept if account in kept else [*kept, account]


def _owners(model, table, user):
    owner_id = next(column for column in table.c if column.name != "user_id")
    return db.session.execute(
        sa.select(model).join(table, owner_id == model.id).where(table.c.user_id == user.id).order_by(model.id)
    ).scalars().all()


def _move_other_references(profile, account):
    """Point every other foreign key to users.id from profile to account.

    Where the user is part of a table's key (a role, a mentor link), a row the account already has is
    kept and the profile's duplicate dropped.
    """
    connection = db.session.connection()
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table.name != "users" or table.name == "users":
                continue
            column = key.parent
            if column.primary_key:
                others = [c for c in table.primary_key.columns if c is not column]
                taken = sa.select(*others).where(column == account.id)
                duplicate = sa.tuple_(*others).in_(taken) if len(others) > 1 else others[0].in_(taken)
                connection.execute(sa.delete(table).where(column == profile.id, duplicate))
            connection.execute(sa.update(table).where(column == profile.id).values({column.name: account.id}))
