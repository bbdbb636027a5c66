"""Manage accounts: grant and remove roles, disable and enable accounts."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..access import permission_required
from ..database import db
from ..domain.permissions import Permission
from ..domain.profiles import MergeError, is_profile_without_login, merge_profile
from ..models import Role
from ..text import page_number
from . import bp, queries
from .forms import AccountForm, MergeForm

USERS_PER_PAGE = 50


@bp.get("/users")
@permission_required(Permission.MANAGE_ACCOUNTS)
def list_users():
    """Every account, by username, with a search by name, username or email."""
    query = request.args.get("q", "").strip()[:100]
    page = queries.users_page(query, page_number(request.args.get("page")), USERS_PER_PAGE)
    mentors = queries.mentors_among([user.id for user in page.items])
    return render_template("admin/users.html", page=page, query=query, mentors=mentors)


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
    return _user_page(user, form, MergeForm(formdata=None))


def _user_page(user, form, merge_form):
    """One account's page: its roles, and for a profile without a login, the merge form."""
    merge = is_profile_without_login(user)
    page = render_template("admin/user.html", user=user, form=form,
                           merge_form=merge_form if merge or merge_form.errors else None,
                           mentored=queries.projects_mentored_by(user) if merge else [])
    return page, 422 if form.errors or merge_form.errors else 200


@bp.post("/users/<username>/merge")
@permission_required(Permission.MANAGE_ACCOUNTS)
def merge_user(username):
    """Merge a mentor profile without a login into an account; the profile is then deleted."""
    profile = queries.user_named(username) or abort(404)
    merge_form = MergeForm()
    if merge_form.validate():
        account = queries.user_named(merge_form.account.data.lower().lstrip("@"))
        if account is None:
            merge_form.account.errors.append(f"No account is called {merge_form.account.data!r}.")
        else:
            try:
                projects = merge_profile(profile, account, g.user)
            except MergeError as error:
                merge_form.account.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"{profile.name} is merged into @{account.username}, who now mentors "
                      f"{len(projects)} more {'project' if len(projects) == 1 else 'projects'}.", "success")
                return redirect(url_for("admin.edit_user", username=account.username))
    form = AccountForm(formdata=None, data={role.value: profile.has_role(role) for role in Role}
                       | {"is_active": profile.is_active})
    return _user_page(profile, form, merge_form)
