"""Roles to named permissions, and the one place per resource that answers 404 or 403."""

from enum import StrEnum

from flask import abort, g

from .models import Role


class Permission(StrEnum):
    VIEW_PROJECT = "view_project"
    VIEW_PROJECT_HISTORY = "view_project_history"
    REVIEW_PROJECTS = "review_projects"
    MANAGE_PROGRAMMES = "manage_programmes"
    MANAGE_ACCOUNTS = "manage_accounts"


ROLE_PERMISSIONS = {
    Role.REVIEWER: {Permission.REVIEW_PROJECTS, Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY},
    Role.COORDINATOR: {Permission.MANAGE_PROGRAMMES},
    Role.ADMIN: {Permission.MANAGE_ACCOUNTS, Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY},
}


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
    if permission in (Permission.VIEW_PROJECT, Permission.VIEW_PROJECT_HISTORY) and is_mentor_of(user, project):
        return True
    return has_permission(user, permission)


def require_project_view(project):
    """Answer 404 for a project the current user may not see: its existence stays private."""
    if project is None or not can(g.get("user"), Permission.VIEW_PROJECT, project):
        abort(404)
    return project
