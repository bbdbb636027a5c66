"""Rounds and their interns: public names and projects; emails and notes for coordinators and mentors."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..access import login_required, permission_required
from ..database import db, free_value
from ..domain import interns as intern_service
from ..domain import pickers
from ..domain.permissions import Permission, can_see_intern_private, has_permission
from ..domain.queries import PUBLIC_INTERN_STATUSES
from ..models import Intern, InternStatus, Round, utcnow
from ..text import page_number, slugify
from . import bp, queries
from .forms import InternForm, NoteForm, RoundForm

ROUNDS_PER_PAGE = 20


def _unique_round_slug(name):
    return free_value(Round.slug, slugify(name) or "round")


@bp.get("/rounds")
def list_rounds():
    """Every round, newest first, with how many interns it has."""
    page = queries.rounds_page(page_number(request.args.get("page")), ROUNDS_PER_PAGE)
    counts = queries.intern_counts(page.items)
    return render_template("rounds/rounds.html", page=page, counts=counts,
                           can_manage=has_permission(g.user, Permission.MANAGE_PROGRAMMES))


def _round(slug):
    return queries.round_by_slug(slug) or abort(404)


@bp.get("/rounds/<slug>")
def show_round(slug):
    """A round's interns by name with their projects and mentors; private details only for those allowed.

    Applicants and withdrawn interns are listed only to those who may see the intern's private details.
    """
    round_ = _round(slug)
    interns = [intern for intern in queries.interns_of(round_)
               if intern.status in PUBLIC_INTERN_STATUSES or can_see_intern_private(g.user, intern)]
    private = {intern.id for intern in interns if can_see_intern_private(g.user, intern)}
    invitations = queries.invitations_for_interns(sorted(private)) if private else {}
    can_manage = has_permission(g.user, Permission.MANAGE_PROGRAMMES)
    return render_template(
        "rounds/round.html", round=round_, interns=interns, private=private, invitations=invitations,
        public_statuses=PUBLIC_INTERN_STATUSES,
        can_manage=can_manage, intern_form=InternForm(formdata=None) if can_manage else None,
    )


@bp.route("/rounds/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_PROGRAMMES)
def new_round():
    form = RoundForm()
    if request.method == "POST" and form.validate():
        round_ = Round(slug=_unique_round_slug(form.name.data))
        form.populate_obj(round_)
        db.session.add(round_)
        db.session.commit()
        flash(f"{round_.name} is created. Add its interns below.", "success")
        return redirect(url_for("rounds.show_round", slug=round_.slug))
    return render_template("rounds/round_form.html", form=form, round=None), 422 if form.errors else 200


@bp.route("/rounds/<slug>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_PROGRAMMES)
def edit_round(slug):
    round_ = _round(slug)
    form = RoundForm(obj=round_)
    if request.method == "POST" and form.validate():
        form.populate_obj(round_)
        db.session.commit()
        flash("The round is saved.", "success")
        return redirect(url_for("rounds.show_round", slug=round_.slug))
    return render_template("rounds/round_form.html", form=form, round=round_), 422 if form.errors else 200


def _fill_intern(intern, form):
    """Copy name, email, project and mentors from the form, adding field errors for what does not fit.

    The project and mentors are pickers: a title or a name does, and a miss answers "did you mean".
    """
    project = None
    if form.project.data:
        pick = pickers.find_project(form.project.data)
        project = pick.found
        if project is None:
            form.project.errors.append(pickers.did_you_mean("public project", form.project.data, pick))
            form.project.suggestions = pick.suggestions
    mentors, form.mentors.suggestions = [], []
    entries = pickers.split_people(form.mentors.data)
    for index, entry in enumerate(entries):
        pick = pickers.find_person(entry, pickers.active_people())
        if pick.found is None:
            form.mentors.errors.append(pickers.did_you_mean("account", entry, pick))
            # Each suggestion is the whole field with this entry replaced, so picking one keeps the others.
            form.mentors.suggestions += [", ".join(entries[:index] + [item] + entries[index + 1:])
                                         for item in pick.suggestions]
        elif pick.found not in mentors:
            mentors.append(pick.found)
    email = form.email.data.strip().lower()
    if queries.email_taken(intern, email):
        form.email.errors.append("This email is already an intern of this round.")
    if form.errors:
        return False
    intern.name, intern.email, intern.project, intern.mentors = (
        form.name.data.strip(), email, project, mentors)
    return True


@bp.post("/rounds/<slug>/interns")
@permission_required(Permission.MANAGE_PROGRAMMES)
def add_intern(slug):
    """Add an intern to the round; an intern added as active puts their project in progress."""
    round_ = _round(slug)
    form = InternForm()
    intern = Intern(round=round_, status=InternStatus.APPLICANT)
    # Validate everything before the intern joins the session, so a refused form adds nothing.
    with db.session.no_autoflush:
        filled = form.validate() and _fill_intern(intern, form)
    if filled:
        db.session.add(intern)
        try:
            _check_joining(intern, InternStatus(form.status.data), form)
            intern_service.walk_to(intern, InternStatus(form.status.data), g.user,
                                   finish_project=form.finish_project.data, actual_hours=form.actual_hours.data)
        except intern_service.InternError as error:
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{intern.name} is added to {round_.name}.", "success")
            return redirect(url_for("rounds.show_round", slug=slug))
    db.session.rollback()
    return render_template("rounds/intern_form.html", form=form, round=_round(slug), intern=None), 422


def _intern(slug, intern_id):
    return queries.intern_in_round(slug, intern_id) or abort(404)


@bp.route("/rounds/<slug>/interns/<int:intern_id>", methods=["GET", "POST"])
@login_required
def edit_intern(slug, intern_id):
    """An intern's private page: coordinators edit it; the intern's mentors read it and add notes."""
    intern = _intern(slug, intern_id)
    if not can_see_intern_private(g.user, intern):
        abort(404)
    can_manage = has_permission(g.user, Permission.MANAGE_PROGRAMMES)
    form = InternForm(obj=intern)
    # The form holds the intern's objects where nothing was sent: write them as the page shows them.
    if request.method == "GET" or "project" not in request.form:
        form.project.data = pickers.labelled(intern.project.title, intern.project.slug) if intern.project else ""
    if request.method == "GET" or "mentors" not in request.form:
        form.mentors.data = ", ".join(pickers.labelled(mentor.name, mentor.username) for mentor in intern.mentors)
    if request.method == "POST":
        if not can_manage:
            abort(403, description="Only coordinators change interns; mentors add notes.")
        if not _project_left_out(form) and form.validate() and _fill_intern(intern, form):
            try:
                _check_joining(intern, InternStatus(form.status.data), form)
                intern_service.change_status(intern, InternStatus(form.status.data), g.user,
                                             finish_project=form.finish_project.data,
                                             actual_hours=form.actual_hours.data)
            except intern_service.InternError as error:
                form.status.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"{intern.name} is saved.", "success")
                return redirect(url_for("rounds.edit_intern", slug=slug, intern_id=intern.id))
        db.session.rollback()
        intern = _intern(slug, intern_id)
    return render_template("rounds/intern.html", intern=intern, form=form, note_form=NoteForm(formdata=None),
                           can_manage=can_manage, next_statuses=intern_service.NEXT_STATUSES[intern.status]), \
        422 if form.errors else 200


def _check_joining(intern, status, form):
    """Refuse an intern active outside the round's dates or with a mentor without a place, unless overridden."""
    problems = intern_service.joining_problems(intern, status, utcnow().date())
    if not problems:
        return
    if not (form.override.data or "").strip():
        raise intern_service.InternError(
            " ".join(problems) + " To go ahead anyway, give the reason in “Reason to go ahead anyway”: it is kept "
            "in the intern's notes.")
    intern_service.go_ahead_anyway(intern, g.user, problems, form.override.data)


def _project_left_out(form):
    """Refuse a POST without the project field: the page always sends it, empty for "no project".

    Without it, saving would silently take the intern off their project.
    """
    if "project" in request.form:
        return False
    form.project.errors = ["The project field was missing from what the page sent: reload the page and save again."]
    return True


@bp.post("/rounds/<slug>/interns/<int:intern_id>/notes")
@login_required
def add_intern_note(slug, intern_id):
    intern = _intern(slug, intern_id)
    if not can_see_intern_private(g.user, intern):
        abort(404)
    form = NoteForm()
    if form.validate():
        intern_service.add_note(intern, g.user, form.body.data)
        db.session.commit()
        flash("Your note is saved.", "success")
        return redirect(url_for("rounds.edit_intern", slug=slug, intern_id=intern.id) + "#notes")
    edit_form = InternForm(formdata=None, obj=intern)
    return render_template("rounds/intern.html", intern=intern, form=edit_form, note_form=form,
                           can_manage=has_permission(g.user, Permission.MANAGE_PROGRAMMES),
                           next_statuses=intern_service.NEXT_STATUSES[intern.status]), 422
