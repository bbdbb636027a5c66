"""The claim page: claim a project, say how it goes, or let it go."""

from flask import abort, flash, g, redirect, render_template, request, url_for

from ..access import login_required, require_project_view
from ..database import db
from ..domain.claims import ClaimError, active_claim, end_claim, make_claim, update_claim
from ..domain.projects import by_slug
from ..models import ClaimEnd
from ..notify import events
from . import bp
from .forms import ClaimForm


@bp.route("/projects/<slug>/claim", methods=["GET", "POST"])
@login_required
def claim_project(slug):
    """Claim a project, say how it goes, or let it go."""
    project = require_project_view(by_slug(slug, lock=True))
    if not project.is_public:
        abort(404)
    claim = active_claim(project, g.user)
    form = ClaimForm(obj=claim)
    action = request.form.get("action") if request.method == "POST" else None
    if action and form.validate():
        try:
            if action == "claim":
                new = make_claim(project, g.user, form.note.data or "")
                events.claim_changed(new, "made", mentor_in_charge=new.mentor)
                message = "The project is yours to work on. Its mentors are told; update your claim now and then."
            elif action == "update" and claim:
                update_claim(claim, form.note.data or "")
                events.claim_changed(claim, "updated")
                message = "Thanks: your claim is up to date."
            elif action == "release" and claim:
                end_claim(claim, ClaimEnd.RELEASED, g.user)
                events.claim_changed(claim, "released")
                message = "You let the project go; it is open for someone else."
            else:
                raise ClaimError("There is nothing to do: reload the page.")
        except ClaimError as error:
            form.note.errors = [str(error)]
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("catalogue.show_project", slug=project.slug))
    return render_template("claims/claim.html", project=project, claim=claim, form=form), 422 if form.errors else 200
