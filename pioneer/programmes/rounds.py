"""Rounds and their interns: public names and projects; emails and notes for coordinators and mentors."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.services import users_named
from ..database import db, free_value
from ..models import Intern, InternStatus, Project, ProjectStatus, Round
from ..permissions import Permission, can_see_intern_private, has_permission, login_required, permission_required
from ..text import slugify, split_usernames
from . import bp
from . import interns as intern_service
from .invitations import invitations_for_interns
from .round_forms import InternForm, NoteForm, RoundForm

ROUNDS_PER_PAGE = 20


def _unique_round_slug(name):
    return free_value(Round.slug, slugify(name) or "round")


@bp.get("/rounds")
def list_rounds():
    """Every round, newest first, with how many interns it has."""
    page = db.paginate(db.select(Round).order_by(Round.starts_on.desc(), Round.id.desc()),
                       per_page=ROUNDS_PER_PAGE, error_out=False)
    counts = dict(db.session.execute(
        db.select(Intern.round_id, db.func.count(Intern.id))
        .where(Intern.round_id.in_([round_.id for round_ in page.items]),
               Intern.status.in_([InternStatus.ACTIVE, InternStatus.COMPLETED]))
        .group_by(Intern.round_id)
    ).all()) if page.items else {}
    return render_template("programmes/rounds.html", page=page, counts=counts,
                           can_manage=has_permission(g.user, Permission.MANAGE_PROGRAMMES))


def _round(slug):
    return db.first_or_404(db.select(Round).where(Round.slug == slug))


@bp.get("/rounds/<slug>")
def show_round(slug):
    """A round's interns by name with their projects and mentors; private details only for those allowed."""
    round_ = _round(slug)
    interns = db.session.execute(
        db.select(Intern).where(Intern.round_id == round_.id)
        .options(joinedload(Intern.project), selectinload(Intern.mentors), selectinload(Intern.notes))
        .order_by(Intern.name, Intern.id)
    ).scalars().all()
    private = {intern.id for intern in interns if can_see_intern_private(g.user, intern)}
    invitations = invitations_for_interns(sorted(private)) if private else {}
    can_manage = has_permission(g.user, Permission.MANAGE_PROGRAMMES)
    return render_template(
        "programmes/round.html", round=round_, interns=interns, private=private, invitations=invitations,
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
        return redirect(url_for("programmes.show_round", slug=round_.slug))
    return render_template("programmes/round_form.html", form=form, round=None), 422 if form.errors else 200


@bp.route("/rounds/<slug>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_PROGRAMMES)
def edit_round(slug):
    round_ = _round(slug)
    form = RoundForm(obj=round_)
    if request.method == "POST" and form.validate():
        form.populate_obj(round_)
        db.session.commit()
        flash("The round is saved.", "success")
        return redirect(url_for("programmes.show_round", slug=round_.slug))
    return render_template("programmes/round_form.html", form=form, round=round_), 422 if form.errors else 200


def _fill_intern(intern, form):
    """Copy name, email, project and mentors from the form, adding field errors for what does not fit."""
    project = None
    if form.project.data:
        project = db.session.execute(
            db.select(Project).where(Project.slug == form.project.data.strip().lower())
        ).scalar_one_or_none()
        if project is None or project.status not in (ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS,
                                                     ProjectStatus.DONE):
            form.project.errors.append("No public project has this address name.")
    mentors, unknown = users_named(split_usernames(form.mentors.data))
    if unknown:
        form.mentors.errors.append(f"No account has the username {', '.join(unknown)}.")
    email = form.email.data.strip().lower()
    taken = db.session.execute(
        db.select(Intern.id).where(Intern.round_id == intern.round.id, Intern.email == email,
                                   Intern.id != (intern.id or 0))
    ).first()
    if taken:
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
            _walk_to(intern, InternStatus(form.status.data), form)
        except intern_service.InternError as error:
            form.status.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{intern.name} is added to {round_.name}.", "success")
            return redirect(url_for("programmes.show_round", slug=slug))
    db.session.rollback()
    return render_template("programmes/intern_form.html", form=form, round=_round(slug), intern=None), 422


def _walk_to(intern, status, form):
    """Move a new intern step by step to the status the coordinator chose, so each step's effects happen."""
    path = {InternStatus.APPLICANT: [], InternStatus.ACCEPTED: [InternStatus.ACCEPTED],
            InternStatus.ACTIVE: [InternStatus.ACCEPTED, InternStatus.ACTIVE],
            InternStatus.COMPLETED: [InternStatus.ACCEPTED, InternStatus.ACTIVE, InternStatus.COMPLETED],
            InternStatus.WITHDRAWN: [InternStatus.WITHDRAWN]}[status]
    for step in path:
        intern_service.change_status(intern, step, g.user, finish_project=form.finish_project.data,
                                     actual_hours=form.actual_hours.data)


def _intern(slug, intern_id):
    intern = db.first_or_404(
        db.select(Intern).join(Round).where(Intern.id == intern_id, Round.slug == slug)
        .options(selectinload(Intern.mentors), selectinload(Intern.notes))
    )
    return intern


@bp.route("/rounds/<slug>/interns/<int:intern_id>", methods=["GET", "POST"])
@login_required
def edit_intern(slug, intern_id):
    """An intern's private page: coordinators edit it; the intern's mentors read it and add notes."""
    intern = _intern(slug, intern_id)
    if not can_see_intern_private(g.user, intern):
        abort(404)
    can_manage = has_permission(g.user, Permission.MANAGE_PROGRAMMES)
    form = InternForm(obj=intern)
    if request.method == "GET":
        form.project.data = intern.project.slug if intern.project else ""
        form.mentors.data = ", ".join(mentor.username for mentor in intern.mentors)
    if request.method == "POST":
        if not can_manage:
            abort(403, description="Only coordinators change interns; mentors add notes.")
        if form.validate() and _fill_intern(intern, form):
            try:
                intern_service.change_status(intern, InternStatus(form.status.data), g.user,
                                             finish_project=form.finish_project.data,
                                             actual_hours=form.actual_hours.data)
            except intern_service.InternError as error:
                form.status.errors.append(str(error))
            else:
                db.session.commit()
                flash(f"{intern.name} is saved.", "success")
                return redirect(url_for("programmes.edit_intern", slug=slug, intern_id=intern.id))
        db.session.rollback()
        intern = _intern(slug, intern_id)
    return render_template("programmes/intern.html", intern=intern, form=form, note_form=NoteForm(formdata=None),
                           can_manage=can_manage, next_statuses=intern_service.NEXT_STATUSES[intern.status]), \
        422 if form.errors else 200


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
        return redirect(url_for("programmes.edit_intern", slug=slug, intern_id=intern.id) + "#notes")
    edit_form = InternForm(formdata=None, obj=intern)
    return render_template("programmes/intern.html", intern=intern, form=edit_form, note_form=form,
                           can_manage=has_permission(g.user, Permission.MANAGE_PROGRAMMES),
                           next_statuses=intern_service.NEXT_STATUSES[intern.status]), 422
