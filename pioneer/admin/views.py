"""Manage accounts: grant and remove roles, disable and enable accounts."""

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from wtforms import BooleanField

from ..accounts.session import end_all_sessions
from ..database import db
from ..forms import BaseForm
from ..models import Role, User
from ..permissions import Permission, permission_required

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50


class AccountForm(BaseForm):
    reviewer = BooleanField("Reviewer")
    coordinator = BooleanField("Coordinator")
    admin = BooleanField("Admin")
    is_active = BooleanField("Can sign in")


@bp.get("/users")
@permission_required(Permission.MANAGE_ACCOUNTS)
def list_users():
    """Every account, by username, with a search by name, username or email."""
    query = request.args.get("q", "").strip()[:100]
    statement = db.select(User).order_by(User.username)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            db.func.lower(User.username).like(pattern) | db.func.lower(User.name).like(pattern)
            | db.func.lower(User.email).like(pattern)
        )
    page = db.paginate(statement, per_page=USERS_PER_PAGE, error_out=False)
    return render_template("admin/users.html", page=page, query=query)


@bp.route("/users/<username>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_ACCOUNTS)
def edit_user(username):
    """One account's roles and whether it can sign in."""
    user = db.first_or_404(db.select(User).where(User.username == username))
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
                end_all_sessions(user)
            user.is_active = form.is_active.data
            db.session.commit()
            flash(f"{user.username} is saved.", "success")
            return redirect(url_for("admin.list_users", q=username))
    return render_template("admin/user.html", user=user, form=form), 422 if form.errors else 200
