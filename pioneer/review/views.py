"""The triage queue, a reviewer's decision on one project, where the list is thin, and calls for projects."""

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from .. import mail
from ..access import permission_required
from ..database import db
from ..domain import pickers, workflow
from ..domain.permissions import Permission
from ..domain.projects import by_slug
from ..domain.queries import history
from ..models import CallForProjects, ReviewAction, utcnow
from ..notify import events
from ..text import page_number
from . import bp, queries
from .forms import MAX_IMPORT_CHARS, CallForProjectsForm, DecisionForm, ImportForm
from .services import draft_call, import_page

PER_SECTION = 10
PER_PAGE = 50
CALLS_PER_PAGE = 20
# What the reviewer's buttons may ask for; everything else the workflow owns.
DECISIONS = [ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT, ReviewAction.CONFIRM,
             ReviewAction.ARCHIVE, ReviewAction.RESTORE]
# Decisions that need a comment, and those mailed to the project's mentors (docs/mail.md).
NEEDS_COMMENT = {ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT}
NOTIFIED = {ReviewAction.APPROVE, ReviewAction.REQUEST_CHANGES, ReviewAction.REJECT, ReviewAction.ARCHIVE,
            ReviewAction.RESTORE}
SUCCESS = {
    ReviewAction.APPROVE: "Approved: newcomers can find it now.",
    ReviewAction.REQUEST_CHANGES: "Sent back to its mentors with your comment.",
    ReviewAction.REJECT: "Rejected.",
    ReviewAction.CONFIRM: "Confirmed as still accurate.",
    ReviewAction.ARCHIVE: "Archived: hidden from the catalogue.",
    ReviewAction.RESTORE: "Restored: available again.",
}


@bp.get("")
@permission_required(Permission.REVIEW_PROJECTS)
def show_queue():
    """Every section with its count and oldest entries; one section whole when asked for."""
    filters = _queue_filters()
    only = request.args.get("section") if request.args.get("section") in queries.SECTION_KEYS else None
    page = page_number(request.args.get("page"))
    sections = []
    for section in queries.SECTIONS:
        if only and section.key != only:
            continue
        pagination = queries.section_page(section.key, page if only else 1, PER_PAGE if only else PER_SECTION,
                                          **filters)
        sections.append((section, pagination, queries.waiting_since(pagination.items)))
    return render_template("review/queue.html", sections=sections, only=only, filters=filters, areas=queries.areas(),
                           stale_days=current_app.config["STALE_AFTER_DAYS"])


def _queue_filters():
    stars = request.args.get("stars", "")
    typed = request.args.get("area", "").strip()[:80]
    # The area is a picker: its name or address name; a miss answers "did you mean" and filters nothing.
    pick = pickers.find_area(typed)
    if typed and pick.found is None:
        flash(pickers.did_you_mean("area", typed, pick), "error")
    return {
        "q": request.args.get("q", "").strip()[:200],
        "stars": int(stars) if stars in {"0", "1", "2", "3", "4", "5"} else None,
        "area": pick.found.slug if pick.found else None,
    }


@bp.route("/<slug>", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_PROJECTS)
def decide_project(slug):
    """Approve, send back, reject, archive, restore or confirm one project."""
    project = by_slug(slug, lock=request.method == "POST") or abort(404)
    form = DecisionForm(stars=project.stars, time_rating=project.time_rating, expected_status=project.status.value)
    if request.method == "POST":
        action = _action(request.form.get("action"))
        if form.expected_status.data != project.status.value or not workflow.allowed(project, action, g.user):
            return _conflict(project, action)
        if form.validate() and _ratings_ready(form, action) and _comment_ready(form, action):
            ratings = (form.stars.data, form.time_rating.data)
            event = workflow.apply(project, action, g.user, comment=form.comment.data,
                                   ratings=ratings if workflow.reviewer_sets_ratings(project, action) else None)
            if action in NOTIFIED:
                events.decision(project, event)
            db.session.commit()
            flash(f"{project.title}: {SUCCESS[action]}", "success")
            return redirect(url_for("review.show_queue"))
    return _render_decision(project, form, status=422 if form.errors else 200)


def _action(value):
    try:
        action = ReviewAction(value or "")
    except ValueError:
        abort(400, description="Choose one of the decision buttons.")
    if action not in DECISIONS:
        abort(400, description="Choose one of the decision buttons.")
    return action


def _ratings_ready(form, action):
    """Approval needs both ratings: newcomers choose by them."""
    if action is not ReviewAction.APPROVE:
        return True
    if form.stars.data is None:
        form.stars.errors.append("Set the stars before approving.")
    if form.time_rating.data is None:
        form.time_rating.errors.append("Set the time before approving.")
    return form.stars.data is not None and form.time_rating.data is not None


def _comment_ready(form, action):
    """Sending a proposal back or rejecting it needs words the mentors can act on."""
    if action in NEEDS_COMMENT and not (form.comment.data or "").strip():
        form.comment.errors.append(f"Say what the mentors should change, or why: “{action.label}” needs a comment.")
        return False
    return True


def _conflict(project, action):
    """Answer 409: the project moved on since the page was loaded, or the action does not fit it."""
    db.session.rollback()
    latest = next(iter(history(project, limit=1)), None)
    # Keep what the reviewer typed, but decide next time on the status as it is now.
    form = DecisionForm()
    form.expected_status.data = project.status.value
    return _render_decision(project, form, status=409, conflict=(action, latest))


def _render_decision(project, form, status=200, conflict=None):
    actions = [action for action in DECISIONS if workflow.allowed(project, action, g.user)]
    return render_template("review/decide.html", project=project, form=form, actions=actions, history=history(project),
                           conflict=conflict), status


@bp.get("/gaps")
@permission_required(Permission.REVIEW_PROJECTS)
def show_gaps():
    """Show where the list is thin, with a call for projects drafted from it."""
    found = queries.gaps()
    subject, body = draft_call(found)
    return _render_gaps(CallForProjectsForm(data={"subject": subject, "body": body}), found=found)


@bp.post("/gaps")
@permission_required(Permission.REVIEW_PROJECTS)
def send_call_for_projects():
    """Send the call to the list address, or keep it when this site cannot send mail."""
    form = CallForProjectsForm()
    action = request.form.get("action")
    if action not in ("send", "keep"):
        abort(400, description="Choose “Send” or “Keep this call”.")
    if not form.validate():
        return _render_gaps(form, status=422)
    call = CallForProjects(subject=form.subject.data, body=form.body.data, author=g.user)
    if action == "keep":
        db.session.add(call)
        db.session.commit()
        flash("The call is kept. Copy its text below and send it to the list yourself.", "success")
        return redirect(url_for("review.show_call_for_projects", call_id=call.id))
    if not can_send():
        flash("Nothing was sent: this site has no mail server or list address configured. "
              "Copy the text below, or keep the call.", "error")
        return _render_gaps(form, copy=True)
    address = current_app.config["LIST_ADDRESS"]
    # Send before writing, so no database transaction waits on the mail server.
    # Answers go to the reviewer who wrote the call, not to the site's sender address.
    reply_to = mail.address(g.user.name, g.user.email) if g.user.email else None
    outcome = mail.send(mail.compose(address, form.subject.data, form.body.data, reply_to=reply_to))
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
    return _render_gaps(form, copy=True)


@bp.get("/gaps/calls/<int:call_id>")
@permission_required(Permission.REVIEW_PROJECTS)
def show_call_for_projects(call_id):
    """Show one call for projects, with its text to copy."""
    call = db.get_or_404(CallForProjects, call_id)
    return render_template("review/call_for_projects.html", call=call,
                           list_address=current_app.config.get("LIST_ADDRESS"))


def can_send():
    """Tell whether this site can mail the list: it needs both an address and a server."""
    return bool(current_app.config.get("LIST_ADDRESS")) and mail.is_configured()


def _render_gaps(form, status=200, copy=False, found=None):
    """Render the page around the form; the text to copy shows whenever this site cannot send it."""
    calls = queries.calls_for_projects_page(page_number(request.args.get("page")), CALLS_PER_PAGE)
    sendable = can_send()
    return render_template(
        "review/gaps.html", gaps=found or queries.gaps(), form=form, calls=calls, can_send=sendable,
        list_address=current_app.config.get("LIST_ADDRESS"), show_copy=copy or not sendable,
    ), status


@bp.route("/import", methods=["GET", "POST"])
@permission_required(Permission.REVIEW_PROJECTS)
def import_projects():
    """Import an ideas page: paste or upload it, see what would happen, then send it to the review queue."""
    form = ImportForm()
    action = request.form.get("action") if request.method == "POST" else None
    if action not in ("preview", "import"):
        return render_template("review/import.html", form=form)
    text, source = _page_text(form)
    if text is None or not form.validate():
        return render_template("review/import.html", form=form), 422
    parsed, report = import_page(text, source, g.user, dry_run=action == "preview")
    if action == "import" and parsed.projects:
        db.session.commit()
        problems = len(parsed.problems) + len(report.clashes)
        flash(f"{report.summary(problems=problems)} New projects wait in the review queue.", "success")
        return redirect(url_for("review.show_queue", section="proposals"))
    form.text.data = text
    status = 200 if parsed.projects else 422
    return render_template("review/import.html", form=form, parsed=parsed, report=report, source=source), status


def _page_text(form):
    """The page to import: an uploaded file wins over pasted text. None (with a field error) when unreadable."""
    upload = request.files.get("page")
    if upload and upload.filename:
        data = upload.stream.read(MAX_IMPORT_CHARS * 4 + 1)
        if len(data) > MAX_IMPORT_CHARS * 4:
            form.text.errors = ["The file is too large to import here; use `pioneer import` on the server."]
            return None, None
        try:
            return data.decode("utf-8-sig"), upload.filename[:100]
        except UnicodeDecodeError:
            form.text.errors = [f"{upload.filename[:100]} is not UTF-8 text: save it as UTF-8 and upload it again."]
            return None, None
    text = (form.text.data or "").strip()
    if not text:
        form.text.errors = ["Paste the page, or choose its file."]
        return None, None
    return text, "a pasted page"
