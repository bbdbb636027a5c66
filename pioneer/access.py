"""Who may open a page: sign-in and role checks for views, and the one place that answers 404 or 403 for a project."""

import functools

from flask import abort, g, redirect, request, url_for

from .database import db
from .domain.permissions import Permission, can, has_permission
from .models import Project


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
