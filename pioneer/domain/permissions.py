"""Roles to named permissions, and what being one of a project's mentors allows (docs/lifecycle.md)."""

from enum import StrEnum

from ..models import Intern, Project, Role, User


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


def has_permission(user: User | None, permission: Permission) -> bool:
    """Tell whether a user's roles grant a permission everywhere."""
    if user is None:
        return False
    return any(permission in ROLE_PERMISSIONS[role] for role in user.roles)


def is_mentor_of(user: User | None, project: Project) -> bool:
    """Tell whether user is one of project's mentors."""
    return user is not None and any(mentor.id == user.id for mentor in project.mentors)


def can(user: User | None, permission: Permission, project: Project) -> bool:
    """Tell whether user may do permission on one project."""
    if permission is Permission.VIEW_PROJECT and project.is_public:
        return True
    if permission in MENTOR_PERMISSIONS and is_mentor_of(user, project):
        return True
    return has_permission(user, permission)


def can_see_intern_private(user: User | None, intern: Intern) -> bool:
    """Tell whether user may see an intern's email and notes: coordinators and the intern's mentors."""
    if user is None:
        return False
    return has_permission(user, Permission.MANAGE_PROGRAMMES) or any(mentor.id == user.id for mentor in intern.mentors)
