"""Saving a proposal or an edit from the project form, and inviting co-mentors; the caller commits."""

from dataclasses import dataclass, field

from ..database import db
from ..domain.people import USERNAME_RE, find_user
from ..domain.permissions import Permission, has_permission
from ..domain.projects import skill_named, unique_slug
from ..domain.workflow import record_rating_change
from ..models import MentorInvitation, Project, ProjectStatus
from .forms import MAX_MENTORS
from .queries import area_with_slug, pending_invitations


@dataclass
class MentorPlan:
    """What the mentors field asks for: who stays a mentor, and the names to invite."""

    mentors: list = field(default_factory=list)
    to_invite: list[str] = field(default_factory=list)


def plan_mentors(form, editor, project):
    """Read the mentors field: current mentors named stay, new names are invited (None, with errors, if refused).

    Nobody becomes a mentor without accepting, except the editor naming themselves. Whether a new
    name belongs to an account is never said: every refusal here holds whatever the answer.
    """
    usernames = form.mentor_usernames()
    malformed = [name for name in usernames if not USERNAME_RE.match(name)]
    if malformed:
        form.mentors.errors.append(f"{', '.join(malformed)}: a username has 3 to 40 lowercase letters, "
                                   "digits or dashes.")
        return None
    current = {mentor.username: mentor for mentor in (project.mentors if project else [])}
    pending = {invitation.username for invitation in pending_invitations(project)} if project else set()
    plan = MentorPlan()
    for name in usernames:
        if name in current:
            plan.mentors.append(current[name])
        elif name == editor.username:
            plan.mentors.append(editor)
        elif name not in pending:
            plan.to_invite.append(name)
    if len(plan.mentors) + len(pending) + len(plan.to_invite) > MAX_MENTORS:
        form.mentors.errors.append(f"Name at most {MAX_MENTORS} mentors, counting the invitations waiting "
                                   "for an answer.")
        return None
    if editor not in plan.mentors and not has_permission(editor, Permission.REVIEW_PROJECTS):
        form.mentors.errors.append("Keep your own username: without it you could no longer edit this project.")
        return None
    return plan


def invite_mentors(project, usernames, editor):
    """Add an invitation for each name; return those that reach an account, for the mail to send.

    A name that matches no account that can sign in gets an invitation too, which nobody can accept:
    the mentors see the same list whatever the names are.
    """
    invitations = []
    for name in usernames:
        invitee = find_user(name)
        if invitee is not None and (invitee.username != name or not invitee.can_sign_in):
            invitee = None
        invitation = MentorInvitation(project=project, username=name, invitee=invitee, invited_by=editor)
        db.session.add(invitation)
        invitations.append(invitation)
    return [invitation for invitation in invitations if invitation.invitee is not None]


def invited_message(usernames):
    """The same words whether or not the names belong to accounts."""
    if len(usernames) == 1:
        return f"If that account exists, it has been invited: {usernames[0]} joins the mentors once they accept."
    return f"If those accounts exist, they have been invited: {', '.join(usernames)} join the mentors once they accept."


def fill_project(project, form, editor, mentors):
    """Copy the form into project; a mentor's new rating on a public project is recorded and flagged."""
    project.title = form.title.data.strip()
    project.summary = form.summary.data
    project.description = form.description.data or ""
    project.outcomes = form.outcomes.data or ""
    project.area = area_with_slug(form.area.data) if form.area.data else None
    project.allow_multiple_claims = bool(form.allow_multiple_claims.data)
    project.mentors = mentors
    project.set_skills([(skill_named(name), level, required) for name, level, required in form.skill_rows()])
    project.set_links(form.link_rows())
    record_rating_change(project, editor, form.stars.data, form.time_rating.data)


def new_project(form, editor, mentors):
    """Add a draft from the form, proposed by editor."""
    project = Project(slug=unique_slug(form.title.data), status=ProjectStatus.DRAFT, proposed_by=editor)
    db.session.add(project)
    fill_project(project, form, editor, mentors)
    return project
