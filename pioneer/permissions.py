"""Roles to named permissions, and the one place per resource that answers 404 or 403."""

import functools
from enum import StrEnum

from flask import abort, g, redirect, request, url_for

from .database import db
from .models import Project, Role


class Permission(StrEnum):
    VIEW_PROJECT = "view_project"
    VIEW_PROJECT_HISTORY = "view_project_history"
    EDIT_PROJECT = "edit_project"
    REVIEW_PROJECTS = "review_projects"
    MANAGE_PROGRAMMES = "manage_programmes"
    MANAGE_ACCOUNTS = "manage_accounts"


ROLE_PERMISSIONS = {
    Role.REVIEWER: {
        Permission.REVIEW_PROJECTS, Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY, Permission.EDIT_PROJECT,
    },
    Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES},
    Role.ADMIN: {Permission.MANAGE_ACCOUNTS, Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY},
}

# What being one of a project's mentors allows on that project.
MENTOR_PERMISSIONS = {Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY, Permission.EDIT_PROJECT}


def has_permission(user, permission):
    """Tell whether a user's roles grant a permission everywhere."""
    if user is None:
        return False
    return any(permission in ROLE_PERMISSIONS[role] for role in user.roles)


def is_mentor_of(user, project):
    return user is not None and any(mentor.id == user.id for mentor in project.mentors)


def can(user, permission, project):
    """Tell whether user may do permission on one project."""
    if permission is Permission.VIEW_PROJECT and project.is_public:
        return True
    if permission in MENTOR_PERMISSIONS and is_mentor_of(user, project):
        return True
    return has_permission(user, permission)


def can_see_intern_private(user, intern):
    """Tell whether user may see an intern's email and notes: coordinators and the intern's mentors."""
    if user is None:
        return False
    return has_permission(user, Permission.MANAGE_PROGRAMMES) or any(mentor.id == user.id for mentor in intern.mentors)


def require_project_view(project):
    """Answer 404 for a project the current user may not see: its existence stays private."""
    if project is None or not can(g.get("user"), Permission.VIEW_PROJECT, project):
        abort(404)
    return project


def get_project_for_edit(slug):
    """Load a project the current user may edit: 404 when they may not see it, 403 when only see it."""
    project = db.session.execute(db.select(Project).where(Project.slug == slug)).scalar_one_or_none()
    require_project_view(project)
    if not can(g.user, Permission.EDIT_PROJECT, project):
        abort(403, description="Only this project's mentors and reviewers can edit it.")
    return project


def login_required(view):
    """Send anonymous visitors to the sign-in page, and back here afterwards."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.get("user") is None:
            target = request.full_path if request.method == "GET" else request.path
            return redirect(url_for("accounts.login", next=target.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def permission_required(permission):
    """Require sign-in, then a role that grants permission everywhere (403 otherwise)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not has_permission(g.user, permission):
                abort(403, description="Your account does not have the role this page needs.")
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorate
