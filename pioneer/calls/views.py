"""Community calls: the list, one call, scheduling, invitations, attendance and the calendar feed."""

from flask import Response, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from .. import mail
from ..access import permission_required
from ..database import db
from ..domain.permissions import Permission, has_permission
from ..models import Call, utcnow
from ..text import page_number, row_id, whole_number
from . import bp, queries
from .calendar import feed, has_started, next_start, repeat_text
from .forms import BatchInviteForm, CommunityCallForm, InviteForm
from .services import (
    AlreadyInvited,
    UnknownBatch,
    batch_options,
    deliver,
    invitation_message,
    invite_batch,
    invite_person,
)
from .services import record_attendance as mark_attendance

CALLS_PER_PAGE = 20


@bp.app_template_filter("call_repeat")
def call_repeat_filter(call):
    """How a call repeats, in words: {{ call|call_repeat }}."""
    return repeat_text(call)


def can_manage_calls():
    return has_permission(g.get("user"), Permission.MANAGE_PROGRAMMES)


@bp.get("/calls")
def list_calls():
    """List upcoming calls, then past ones a page at a time."""
    upcoming = queries.upcoming_calls()
    past = queries.past_calls_page([call for call, _start in upcoming], page_number(request.args.get("page")),
                                   CALLS_PER_PAGE)
    return render_template("calls/calls.html", upcoming=upcoming, past=past, can_manage=can_manage_calls())


@bp.get("/calls/<int:call_id>")
def show_call(call_id):
    """Show one call; its coordinators also see who is invited and can invite more."""
    return _render_call(db.get_or_404(Call, call_id))


def _render_call(call, invite_form=None, batch_form=None, status=200):
    now = utcnow()
    context = {"call": call, "next_start": next_start(call, now), "started": has_started(call, now),
               "can_manage": can_manage_calls()}
    # Who is invited is for coordinators only: an intern's name beside a call says who they are and
    # where to find them, and invitee emails are private (docs/lifecycle.md). Everyone else sees a count.
    if context["can_manage"]:
        invitations = queries.invitations_of(call)
        if batch_form is None:
            batch_form = BatchInviteForm(MultiDict())
        options = batch_options(call)
        batch_form.set_options(options)
        context.update(invitations=invitations, invited=len(invitations), options=options,
                       invite_form=invite_form or InviteForm(MultiDict()), batch_form=batch_form,
                       unsent=sum(1 for invitation in invitations if invitation.sent_at is None),
                       mail_configured=mail.is_configured())
    else:
        context["invited"] = queries.invited_count(call)
    return render_template("calls/call.html", **context), status


@bp.route("/calls/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_PROGRAMMES)
def new_call():
    """Schedule a call."""
    form = CommunityCallForm()
    if request.method == "POST" and form.validate():
        call = Call(created_by_id=g.user.id)
        form.apply_to(call)
        db.session.add(call)
        db.session.commit()
        flash("The call is scheduled. Invite people to it below.", "success")
        return redirect(url_for("calls.show_call", call_id=call.id))
    return _render_form(form, None)


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_PROGRAMMES)
def edit_call(call_id):
    """Change a call's title, time, links or repeats."""
    call = db.get_or_404(Call, call_id)
    form = CommunityCallForm(obj=call)
    if request.method == "POST" and form.validate():
        before = (call.starts_at, call.duration_minutes, call.repeat, call.repeat_until)
        form.apply_to(call)
        moved = before != (call.starts_at, call.duration_minutes, call.repeat, call.repeat_until)
        sent = sum(1 for invitation in call.invitations if invitation.sent_at is not None)
        db.session.commit()
        flash("The call is saved.", "success")
        if moved and sent:
            flash(f"{sent} {'invitation was' if sent == 1 else 'invitations were'} sent with the old time; "
                  "tell those people of the change.", "error")
        return redirect(url_for("calls.show_call", call_id=call.id))
    return _render_form(form, call)


def _render_form(form, call):
    status = 422 if request.method == "POST" else 200
    return render_template("calls/call_form.html", form=form, call=call, now=utcnow()), status


@bp.post("/calls/<int:call_id>/invite")
@permission_required(Permission.MANAGE_PROGRAMMES)
def invite_to_call(call_id):
    """Invite one person, or everyone of a group not invited yet, and mail each their invitation."""
    call = db.get_or_404(Call, call_id)
    if "batch" in request.form:
        form = BatchInviteForm()
        form.set_options(batch_options(call))
        if not form.validate():
            return _render_call(call, batch_form=form, status=422)
        try:
            invitations = invite_batch(call, form.batch.data)
        except UnknownBatch as error:
            form.batch.errors.append(str(error))
            return _render_call(call, batch_form=form, status=422)
        if not invitations:
            flash("Everyone in that group is invited already: nobody new was invited and nothing was sent.", "error")
            return redirect(url_for("calls.show_call", call_id=call.id, _anchor="invitations"))
    else:
        form = InviteForm()
        if not form.validate():
            return _render_call(call, invite_form=form, status=422)
        try:
            invitations = [invite_person(call, form.name.data, form.email.data)]
        except AlreadyInvited as refusal:
            form.email.errors.append(f"{refusal} Nothing was sent again.")
            return _render_call(call, invite_form=form, status=422)
    try:
        db.session.flush()
        pending = [(invitation.id, invitation_message(invitation, g.user.name)) for invitation in invitations]
        names = [invitation.name for invitation in invitations]
        # Commit before any mail leaves: a mail server that fails must not lose the invitations.
        db.session.commit()
    except IntegrityError:
        # The unique (call, email) constraint caught an invitation made at the same moment elsewhere.
        db.session.rollback()
        flash("Someone invited some of these people at the same moment, so nothing was changed. "
              "Look at the list below and try again.", "error")
        return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))
    flash(f"Invited {names[0] if len(names) == 1 else f'{len(names)} people'}.", "success")
    _send(pending)
    return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))


@bp.post("/calls/<int:call_id>/resend")
@permission_required(Permission.MANAGE_PROGRAMMES)
def resend_invitations(call_id):
    """Send again the invitations that did not go out (one, or all of the call's)."""
    call = db.get_or_404(Call, call_id)
    asked = request.form.get("invitation_id")
    # An id that names no invitation ("²", a number beyond any id) sends nothing, never all of them.
    unsent = queries.unsent_invitations(call, row_id(asked)) if asked is None or row_id(asked) else []
    if not unsent:
        flash("There is no unsent invitation to send.", "success")
        return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))
    pending = [(invitation.id, invitation_message(invitation, g.user.name)) for invitation in unsent]
    # End this transaction (it holds SQLite's write lock on a POST) before talking to the mail server.
    db.session.commit()
    _send(pending)
    return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))


def _send(pending):
    """Mail invitations already committed, record which went out, and say what happened."""
    sent, failed = deliver(pending)
    db.session.commit()
    if sent:
        flash(f"{len(sent)} {'invitation' if len(sent) == 1 else 'invitations'} sent by email.", "success")
    if failed:
        reasons = "; ".join(sorted(set(failed.values())))
        count = f"{len(failed)} of {len(pending)}" if len(pending) > 1 else "The invitation was"
        flash(f"{count} not sent: {reasons}. {'They are' if len(failed) > 1 else 'It is'} kept below; "
              "use “Send again” once mail works.", "error")


@bp.post("/calls/<int:call_id>/attendance")
@permission_required(Permission.MANAGE_PROGRAMMES)
def record_attendance(call_id):
    """Record who came to the call."""
    call = db.get_or_404(Call, call_id)
    if not has_started(call):
        flash("Attendance can be recorded once the call has started.", "error")
        return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))
    attended = {whole_number(key.removeprefix("attended-")) for key in request.form if key.startswith("attended-")}
    # The form lists the invitations it showed, so someone invited meanwhile keeps "not recorded".
    shown = {whole_number(value) for value in request.form.getlist("invitation")}
    if not shown:
        shown = {invitation.id for invitation in call.invitations}
    changed = mark_attendance(call, shown - {None}, attended - {None})
    db.session.commit()
    flash(f"Attendance recorded ({changed} {'change' if changed == 1 else 'changes'}).", "success")
    return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))



@bp.get("/calls.ics")
def calendar_feed():
    """Serve the upcoming calls as an iCalendar feed, with no one's name or address in it."""
    calls = [call for call, _ in queries.upcoming_calls()]
    return Response(feed(calls), mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="calls.ics"'})
