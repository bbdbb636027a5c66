"""Manage accounts: grant and remove roles, disable and enable accounts."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..access import permission_required
from ..database import db
from ..domain.permissions import Permission
from ..models import Role
from ..text import page_number
from . import bp, queries
from .forms import AccountForm

USERS_PER_PAGE = 50


@bp.get("/users")
@permission_required(Permission.MANAGE_ACCOUNTS)
def list_users():
    """Every account, by username, with a search by name, username or email."""
    query = request.args.get("q", "").strip()[:100]
    page = queries.users_page(query, page_number(request.args.get("page")), USERS_PER_PAGE)
    return render_template("admin/users.html", page=page, query=query)


@bp.route("/users/<username>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_ACCOUNTS)
def edit_user(username):
    """One account's roles and whether it can sign in."""
    user = queries.user_named(username) or abort(404)
    form = AccountForm(data={role.value: user.has_role(role) for role in Role} | {"is_active": user.is_active})
    if request.method == "POST" and form.validate():
        if user.id == g.user.id and not (form.admin.data and form.is_active.data):
            form.admin.errors.append("You cannot remove your own admin role or disable yourself; ask another admin.")
        else:
            user.role_rows = [row for row in user.role_rows if getattr(form, row.role.value).data]
            for role in Role:
                if getattr(form, role.value).data:
                    user.grant(role)
            if user.is_active and not form.is_active.data:
                user.end_all_sessions()
            user.is_active = form.is_active.data
            db.session.commit()
            flash(f"{user.username} is saved.", "success")
            return redirect(url_for("admin.list_users", q=username))
    return render_template("admin/user.html", user=user, form=form), 422 if form.errors else 200
