"""Propose and edit projects (with a server-rendered preview), confirm them, mark them done."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..access import get_project_for_edit, login_required
from ..database import db
from ..domain import workflow
from ..domain.projects import finish
from ..models import ProjectStatus, ReviewAction
from ..notify import events
from ..text import whole_number
from . import bp, queries
from .forms import FinishForm, ProjectForm, remove_row
from .services import (
    fill_project,
    invite_mentors,
    invited_message,
    new_project,
    plan_mentors,
)

MAX_COMMENT = 2000
SUBMIT_ACTIONS = {ProjectStatus.DRAFT: ReviewAction.SUBMIT, ProjectStatus.CHANGES_REQUESTED: ReviewAction.RESUBMIT}


@bp.route("/projects/new", methods=["GET", "POST"])
@login_required
def propose_project():
    """Propose a project: save a draft, or submit it for review."""
    form = ProjectForm(areas=queries.areas(), mentors=g.user.username)
    return _project_form(form, None)


@bp.route("/projects/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_project(slug):
    """Edit a project: its mentors and reviewers only."""
    project = get_project_for_edit(slug)
    form = ProjectForm(areas=queries.areas())
    if request.method == "GET":
        _fill_form(form, project)
    return _project_form(form, project)


def _fill_form(form, project):
    """Fill the form from the project, for the first view of the edit page."""
    for name in ("title", "summary", "description", "outcomes", "allow_multiple_claims"):
        getattr(form, name).data = getattr(project, name)
    form.stars.data, form.time_rating.data = project.stars, project.time_rating
    form.area.data = project.area.slug if project.area else ""
    form.mentors.data = ", ".join(mentor.username for mentor in project.mentors)
    for field_list, rows in (
        (form.skills, [{"name": row.name, "level": row.level.value,
                        "required": "required" if row.required else "nice"} for row in project.skills]),
        (form.links, [{"kind": link.kind.value, "url": link.url, "title": link.title} for link in project.links]),
    ):
        field_list.entries, field_list.last_index = [], -1
        for data in rows or [None]:
            field_list.append_entry(data)


def _project_form(form, project):
    """Handle the buttons of the project form: rows, preview, save and submit."""
    action = request.form.get("action", "") if request.method == "POST" else ""
    if _change_rows(form, action):
        return _render_form(form, project, changed=action)
    if action == "preview" or not action:
        return _render_form(form, project, preview=action == "preview")
    valid = form.validate()
    plan = plan_mentors(form, g.user, project)
    submitting = action == "submit"
    if submitting and not (form.description.data or "").strip():
        form.description.errors.append("Describe the project before you submit it for review.")
        valid = False
    if not valid or plan is None:
        return _render_form(form, project, status=422)
    if project is None:
        project = new_project(form, g.user, plan.mentors)
    else:
        fill_project(project, form, g.user, plan.mentors)
    events.invited(invite_mentors(project, plan.to_invite, g.user))
    if submitting and project.status in SUBMIT_ACTIONS:
        workflow.apply(project, SUBMIT_ACTIONS[project.status], g.user)
    db.session.commit()
    flash(_saved_message(project), "success")
    if plan.to_invite:
        flash(invited_message(plan.to_invite), "success")
    return redirect(url_for("catalogue.show_project", slug=project.slug))


def _saved_message(project):
    if project.status is ProjectStatus.DRAFT:
        return "Draft saved. Only you, its other mentors and reviewers can see it."
    if project.status is ProjectStatus.PROPOSED:
        return "Saved. The project waits for a reviewer; the public sees it once it is approved."
    if project.needs_review:
        return "Saved. The new rating is recorded and reviewers will look at it again."
    return "Saved."


def _change_rows(form, action):
    """Add or remove a skill or link row (the page works the same without JavaScript)."""
    lists = {"skill": form.skills, "link": form.links}
    kind, _, index = action.partition(":")
    if kind.startswith("add_") and kind[4:] in lists:
        field_list = lists[kind[4:]]
        if len(field_list.entries) < field_list.max_entries:
            field_list.append_entry()
        return True
    if kind.startswith("remove_") and kind[7:] in lists and (row := whole_number(index)) is not None:
        remove_row(lists[kind[7:]], row)
        return True
    return False


def _render_form(form, project, preview=False, status=200, changed=""):
    submit_label = None
    if project is None or project.status is ProjectStatus.DRAFT:
        submit_label = "Submit for review"
    elif project.status is ProjectStatus.CHANGES_REQUESTED:
        submit_label = "Resubmit for review"
    return render_template(
        "proposals/project_form.html", form=form, project=project, preview=preview, submit_label=submit_label,
        changed=changed,
        invitations=queries.pending_invitations(project) if project else [],
        review_comment=queries.latest_review_comment(project) if project else None,
    ), status


@bp.post("/projects/<slug>/submit")
@login_required
def submit_project(slug):
    """Submit a draft (or resubmit a project sent back) from its own page, as the edit form's button does."""
    project = get_project_for_edit(slug)
    action = SUBMIT_ACTIONS.get(project.status, ReviewAction.SUBMIT)
    # A project in another status, or a reviewer who is not its mentor: the rules refuse (409, with why).
    if workflow.allowed(project, action, g.user) and not (project.description or "").strip():
        flash("Describe the project before you submit it for review.", "error")
        return redirect(url_for("proposals.edit_project", slug=project.slug) + "#description")
    workflow.apply(project, action, g.user)
    db.session.commit()
    flash(_saved_message(project), "success")
    return redirect(url_for("catalogue.show_project", slug=project.slug))


@bp.post("/projects/<slug>/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(slug, invitation_id):
    """Withdraw an invitation to co-mentor that waits for an answer: the project's mentors and reviewers."""
    project = get_project_for_edit(slug)
    invitation = queries.invitation_of(project, invitation_id) or abort(404)
    db.session.delete(invitation)
    db.session.commit()
    flash(f"The invitation to {invitation.username} is withdrawn.", "success")
    return redirect(url_for("proposals.edit_project", slug=project.slug))


@bp.route("/projects/<slug>/confirm", methods=["GET", "POST"])
@login_required
def confirm_project(slug):
    """"Still accurate": the one-click link of the stale reminder (sign-in first, then one button)."""
    project = get_project_for_edit(slug)
    if request.method == "POST":
        workflow.apply(project, ReviewAction.CONFIRM, g.user)
        db.session.commit()
        flash("Thank you: the project is confirmed as still accurate.", "success")
        return redirect(url_for("catalogue.show_project", slug=project.slug))
    return render_template("proposals/confirm.html", project=project,
                           can_confirm=workflow.allowed(project, ReviewAction.CONFIRM, g.user))


@bp.post("/projects/<slug>/finish")
@login_required
def finish_project(slug):
    """Mark a project in progress as done, with the hours it really took when known; claims end as finished."""
    project = get_project_for_edit(slug)
    form = FinishForm()
    if not form.validate():
        flash(" ".join(form.actual_hours.errors), "error")
        return redirect(url_for("catalogue.show_project", slug=project.slug))
    claims = list(project.active_claims)
    finish(project, g.user, form.actual_hours.data)
    events.finished(project, claims, g.user)
    db.session.commit()
    flash("The project is marked done. Thank you for mentoring it.", "success")
    return redirect(url_for("catalogue.show_project", slug=project.slug))


@bp.post("/projects/<slug>/comments")
@login_required
def comment_on_project(slug):
    """Add a comment to a project's history: its mentors and reviewers only, and only they read it."""
    project = get_project_for_edit(slug)
    text = (request.form.get("comment") or "").strip()
    if not text or len(text) > MAX_COMMENT:
        flash(f"Write a comment of 1 to {MAX_COMMENT:,} characters.", "error")
        return redirect(url_for("catalogue.show_project", slug=project.slug) + "#history")
    event = workflow.record(project, ReviewAction.COMMENT, g.user, comment=text)
    events.commented(project, event)
    db.session.commit()
    flash("Your comment is in the project's history; its other mentors are told.", "success")
    return redirect(url_for("catalogue.show_project", slug=project.slug) + "#history")


@bp.app_template_global()
def finish_form_for(project):
    """The "Mark as done" form for the project page, when the signed-in person may finish project."""
    return FinishForm(formdata=None) if workflow.allowed(project, ReviewAction.FINISH, g.get("user")) else None
