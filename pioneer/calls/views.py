"""Community calls: the list, one call, scheduling, invitations, attendance and the calendar feed."""

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from .. import mail
from ..access import login_required, permission_required
from ..database import db
from ..domain.permissions import Permission, has_permission
from ..models import Call, utcnow
from ..text import page_number, row_id, whole_number
from . import bp, queries
from .calendar import feed, has_started, next_start, repeat_text, started_occurrences
from .forms import BatchInviteForm, CommunityCallForm, InviteForm
from .services import (
    RSVP_ANSWERS,
    AlreadyInvited,
    UnknownBatch,
    answer,
    attendance_at,
    batch_options,
    deliver,
    invitation_message,
    invitation_of_token,
    invite_batch,
    invite_person,
)
from .services import record_attendance as mark_attendance

CALLS_PER_PAGE = 20
PAST_CALL = ("This call is over, so nobody was invited. Tick “Invite to this past call anyway” to invite "
             "people to it (to record who came, say).")


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
               "can_manage": can_manage_calls(), "mine": queries.invitation_for_user(call, g.get("user")),
               "rsvp_answers": RSVP_ANSWERS}
    # A repeating call's attendance is per occurrence: the newest that has begun, or the one asked for.
    occurrences = started_occurrences(call, now) if call.repeat_until else []
    asked = request.args.get("occurrence", "")
    context["occurrences"] = occurrences
    context["occurrence"] = next((start for start in occurrences if start.isoformat() == asked),
                                 occurrences[0] if occurrences else None)
    context["attendance_at"] = attendance_at
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
    """Schedule a call, its start given in the coordinator's time zone."""
    form = CommunityCallForm()
    if request.method == "GET":
        form.time_zone.data = g.user.timezone or "UTC"
    if request.method == "POST" and form.validate():
        call = Call(created_by_id=g.user.id)
        form.apply_to(call)
        if _past_unconfirmed(call):
            return _render_form(form, None, past=True)
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
    if request.method == "GET":
        form.show_in_zone(call, call.time_zone)
    if request.method == "POST" and form.validate():
        before = (call.starts_at, call.duration_minutes, call.repeat, call.repeat_until)
        form.apply_to(call)
        moved = before != (call.starts_at, call.duration_minutes, call.repeat, call.repeat_until)
        if moved and _past_unconfirmed(call):
            db.session.rollback()
            return _render_form(form, db.get_or_404(Call, call_id), past=True)
        sent = sum(1 for invitation in call.invitations if invitation.sent_at is not None)
        db.session.commit()
        flash("The call is saved.", "success")
        if moved and sent:
            flash(f"{sent} {'invitation was' if sent == 1 else 'invitations were'} sent with the old time; "
                  "tell those people of the change.", "error")
        return redirect(url_for("calls.show_call", call_id=call.id))
    return _render_form(form, call)


def _past_unconfirmed(call):
    """Tell whether every occurrence of call is over and the coordinator has not said that is meant."""
    return next_start(call) is None and request.form.get("confirm_past") != "yes"


def _render_form(form, call, past=False):
    status = 422 if request.method == "POST" else 200
    return render_template("calls/call_form.html", form=form, call=call, now=utcnow(), past=past), status


@bp.post("/calls/<int:call_id>/invite")
@permission_required(Permission.MANAGE_PROGRAMMES)
def invite_to_call(call_id):
    """Invite one person, or everyone of a group not invited yet, and mail each their invitation."""
    call = db.get_or_404(Call, call_id)
    past = next_start(call) is None and request.form.get("confirm_past") != "yes"
    if "batch" in request.form:
        form = BatchInviteForm()
        form.set_options(batch_options(call))
        if not form.validate() or past:
            form.batch.errors.extend([PAST_CALL] if past else [])
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
        if not form.validate() or past:
            form.email.errors.extend([PAST_CALL] if past else [])
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
    """Record who came to the call (to one occurrence of a repeating call)."""
    call = db.get_or_404(Call, call_id)
    if not has_started(call):
        flash("Attendance can be recorded once the call has started.", "error")
        return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))
    occurrence = None
    if call.repeat_until:
        asked = request.form.get("occurrence", "")
        occurrence = next((start for start in started_occurrences(call, limit=10_000) if start.isoformat() == asked),
                          None)
        if occurrence is None:
            flash("Choose which call of the series to record attendance for.", "error")
            return redirect(url_for("calls.show_call", call_id=call_id, _anchor="invitations"))
    attended = {whole_number(key.removeprefix("attended-")) for key in request.form if key.startswith("attended-")}
    # The form lists the invitations it showed, so someone invited meanwhile keeps "not recorded".
    shown = {whole_number(value) for value in request.form.getlist("invitation")}
    if not shown:
        shown = {invitation.id for invitation in call.invitations}
    changed = mark_attendance(call, shown - {None}, attended - {None}, occurrence)
    db.session.commit()
    flash(f"Attendance recorded ({changed} {'change' if changed == 1 else 'changes'}).", "success")
    shown_at = occurrence.isoformat() if occurrence else None
    return redirect(url_for("calls.show_call", call_id=call_id, occurrence=shown_at, _anchor="invitations"))


@bp.post("/calls/<int:call_id>/rsvp")
@login_required
def rsvp_on_page(call_id):
    """Answer yes or no on the call's page: the signed-in person's own invitation only."""
    call = db.get_or_404(Call, call_id)
    invitation = queries.invitation_for_user(call, g.user) or abort(404)
    return _answer(invitation, url_for("calls.show_call", call_id=call.id, _anchor="rsvp"))


@bp.route("/calls/rsvp/<token>", methods=["GET", "POST"])
def rsvp_by_link(token):
    """Answer from the invitation mail's signed link: a page with two buttons (a GET changes nothing)."""
    invitation = invitation_of_token(token) or abort(404)
    if request.method == "POST":
        return _answer(invitation, url_for("calls.rsvp_by_link", token=token))
    return render_template("calls/rsvp.html", invitation=invitation, call=invitation.call,
                           next_start=next_start(invitation.call), answers=RSVP_ANSWERS)


def _answer(invitation, back):
    reply = request.form.get("rsvp")
    if reply not in RSVP_ANSWERS:
        flash("Choose yes or no.", "error")
        return redirect(back)
    answer(invitation, reply)
    db.session.commit()
    flash("Thank you: you are expected." if reply == "yes" else "Thank you for saying so: you will not get a "
          "reminder.", "success")
    return redirect(back)


@bp.get("/calls.ics")
def calendar_feed():
    """Serve the upcoming calls as an iCalendar feed, with no one's name or address in it."""
    calls = [call for call, _ in queries.upcoming_calls()]
    return Response(feed(calls), mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="calls.ics"'})
