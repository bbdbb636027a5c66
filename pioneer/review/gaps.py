"""Where the list is thin, and the call for projects drafted from it and sent to the community's list."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import mail
from ..database import db
from ..forms import BaseForm
from ..models import CallForProjects, Stars, utcnow
from ..permissions import Permission, permission_required
from . import bp
from .gaps_queries import gaps, thin_stars, thin_times

CALLS_PER_PAGE = 20
SUBJECT_AREAS = 3


def _one_line(text):
    # A line break in a subject would break the mail header; spacing typed by accident goes too.
    return " ".join(text.split()) if text else text


class CallForm(BaseForm):
    subject = StringField("Subject", [DataRequired("Write a subject for the message."), Length(max=200)],
                          filters=[_one_line])
    body = TextAreaField("Message", [DataRequired("Write the message."), Length(max=20000)],
                         description="Plain text, as the list will read it. Drafted from the gaps above.")


@bp.get("/gaps")
@permission_required(Permission.REVIEW_PROJECTS)
def show_gaps():
    """Show where the list is thin, with a call for projects drafted from it."""
    found = gaps()
    subject, body = draft_call(found)
    return _render(CallForm(data={"subject": subject, "body": body}), found=found)


@bp.post("/gaps")
@permission_required(Permission.REVIEW_PROJECTS)
def send_call():
    """Send the call to the list address, or keep it when this site cannot send mail."""
    form = CallForm()
    action = request.form.get("action")
    if action not in ("send", "keep"):
        abort(400, description="Choose “Send” or “Keep this call”.")
    if not form.validate():
        return _render(form, status=422)
    call = CallForProjects(subject=form.subject.data, body=form.body.data, author=g.user)
    if action == "keep":
        db.session.add(call)
        db.session.commit()
        flash("The call is kept. Copy its text below and send it to the list yourself.", "success")
        return redirect(url_for("review.show_call", call_id=call.id))
    if not can_send():
        flash("Nothing was sent: this site has no mail server or list address configured. "
              "Copy the text below, or keep the call.", "error")
        return _render(form, copy=True)
    address = current_app.config["LIST_ADDRESS"]
    # Send before writing, so no database transaction waits on the mail server.
    outcome = mail.send(mail.compose(address, form.subject.data, form.body.data))
    call.sent_to = address
    if outcome.ok:
        call.sent_at = utcnow()
    else:
        call.delivery_note = outcome.failed[0][1][:500]
    db.session.add(call)
    db.session.commit()
    if outcome.ok:
        flash(f"The call for projects is sent to {address}.", "success")
        return redirect(url_for("review.show_gaps"))
    flash(f"The call was not sent: {call.delivery_note}. It is listed below as not sent; "
          "send it again or copy the text.", "error")
    return _render(form, copy=True)


@bp.get("/gaps/calls/<int:call_id>")
@permission_required(Permission.REVIEW_PROJECTS)
def show_call(call_id):
    """Show one call for projects, with its text to copy."""
    call = db.get_or_404(CallForProjects, call_id)
    return render_template("review/call.html", call=call, list_address=current_app.config.get("LIST_ADDRESS"))


def can_send():
    """Tell whether this site can mail the list: it needs both an address and a server."""
    return bool(current_app.config.get("LIST_ADDRESS")) and mail.is_configured()


def _render(form, status=200, copy=False, found=None):
    """Render the page around the form; the text to copy shows whenever this site cannot send it."""
    calls = db.paginate(
        db.select(CallForProjects).options(joinedload(CallForProjects.author))
        .order_by(CallForProjects.created_at.desc(), CallForProjects.id.desc()),
        per_page=CALLS_PER_PAGE, max_per_page=CALLS_PER_PAGE, error_out=False,
    )
    sendable = can_send()
    return render_template(
        "review/gaps.html", gaps=found or gaps(), form=form, calls=calls, can_send=sendable,
        list_address=current_app.config.get("LIST_ADDRESS"), show_copy=copy or not sendable,
    ), status


def join_words(words, last="and"):
    """Join ["a", "b", "c"] as "a, b and c"."""
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


def draft_call(gaps):
    """Write a subject and a plain-text message asking the community to fill the gaps."""
    config = current_app.config
    site, name = config["SITE_URL"].rstrip("/"), config["SITE_NAME"]
    lines = _gap_lines(gaps)
    total = gaps.total
    intro = f"{name} lists {total} available {'project' if total == 1 else 'projects'} for newcomers."
    intro += " We are short of some:" if lines else " Every area and level has something, but more choice helps."
    body = "\n".join([
        "Hello all,", "", intro, *lines, "",
        "If you have an idea for a starter project, propose it at", "",
        f"    {site}{url_for('mentor.propose_project')}", "",
        "Say what is done when it is done and who can help; a reviewer rates it with you.",
        "A small, well-specified task with a mentor at hand makes a good 1-star project.", "",
        "What newcomers can pick today:", f"    {site}{url_for('catalogue.list_projects', status='available')}", "",
        "Thank you,", g.user.name if g.get("user") else f"The {name} reviewers",
    ])
    return _subject(gaps), body


def _named_areas(gaps):
    return [row for row in gaps.areas if row.slug is not None]


def _gap_lines(gaps):
    lines, areas = [], _named_areas(gaps)
    stocked = sorted((row for row in areas if row.by_stars.get(Stars.ONE)), key=lambda row: -row.by_stars[Stars.ONE])
    have = [f"{row.by_stars[Stars.ONE]} in {row.name}" for row in stocked]
    none = [row.name for row in areas if not row.by_stars.get(Stars.ONE)]
    if none and have:
        lines.append(f"- 1-star projects: we have {', '.join(have)} and none in {join_words(none)}.")
    elif none and gaps.stars_total(Stars.ONE):
        lines.append(f"- 1-star projects: none in {join_words(none)}.")
    elif none or not gaps.stars_total(Stars.ONE):
        lines.append("- 1-star projects: none available in any area.")
    other_stars = [f"{int(stars)}-star" for stars in thin_stars(gaps) if stars is not Stars.ONE]
    if other_stars:
        lines.append(f"- {join_words(other_stars)} projects: none available.")
    times = thin_times(gaps)
    if times:
        lines.append(f"- Projects that take {join_words([level.label for level in times], 'or')}: none available.")
    booked = [area.name for area in gaps.no_capacity if area.mentors]
    unmentored = [area.name for area in gaps.no_capacity if not area.mentors]
    if booked:
        lines.append(f"- Areas whose mentors are fully booked: {join_words(booked)}.")
    if unmentored:
        lines.append(f"- Areas with projects but no mentor: {join_words(unmentored)}.")
    return lines


def _subject(gaps):
    none = [row.name for row in _named_areas(gaps) if not row.by_stars.get(Stars.ONE)]
    if none:
        named, more = none[:SUBJECT_AREAS], len(none) - SUBJECT_AREAS
        if more > 0:
            named.append(f"{more} more {'area' if more == 1 else 'areas'}")
        subject = f"Call for starter projects: 1-star projects wanted in {join_words(named)}"
        # Area names run to 80 characters; the subject column holds 200.
        return subject if len(subject) <= 200 else (
            f"Call for starter projects: 1-star projects wanted in {len(none)} areas")
    if not gaps.stars_total(Stars.ONE):
        return "Call for starter projects: 1-star projects wanted"
    thin = [f"{int(stars)}-star" for stars in thin_stars(gaps)]
    if thin:
        return f"Call for starter projects: {join_words(thin)} projects wanted"
    if gaps.no_capacity:
        return "Call for starter projects and mentors"
    return "Call for starter projects"
