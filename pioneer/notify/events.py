"""Who is told what: one function per event, each queueing one message per person (docs/mail.md).

Callers call these before they commit, in the transaction of the change.
"""

from ..models import NoticeKind
from . import queue

CLAIM_TEMPLATES = {"made": "claim_made", "updated": "claim_updated", "released": "claim_released"}


def _people(users, leave_out=None):
    """Each person once, in order, without leave_out (who caused the notice)."""
    seen, people = set(), []
    for user in users:
        if user is not None and user is not leave_out and id(user) not in seen:
            seen.add(id(user))
            people.append(user)
    return people


def claim_changed(claim, what, mentor_in_charge=None):
    """Tell a project's mentors that claim was made, updated or released."""
    project = claim.project
    return [queue(CLAIM_TEMPLATES[what], user=mentor, kind=NoticeKind.CLAIMS, project=project, claim=claim,
                  claimant=claim.user, mentor_in_charge=mentor_in_charge)
            for mentor in _people(project.mentors, leave_out=claim.user)]


def claim_expired(claim, days):
    """Tell the claimant and the mentors that a claim without updates has ended."""
    project, claimant = claim.project, claim.user
    context = {"claim": claim, "project": project, "claimant": claimant, "days": days}
    rows = [queue("claim_expired", user=claimant, **context)]
    rows += [queue("claim_expired_mentor", user=mentor, kind=NoticeKind.CLAIMS, mentor=mentor, **context)
             for mentor in _people(project.mentors, leave_out=claimant)]
    return rows


def decision(project, event):
    """Tell a project's mentors what a reviewer decided, with the comment."""
    return [queue("review_decision", user=mentor, kind=NoticeKind.REVIEWS, project=project, event=event)
            for mentor in _people(project.mentors, leave_out=event.actor)]


def finished(project, claims, actor):
    """Thank the people whose claims ended with the project done."""
    return [queue("project_done", user=claimant, kind=NoticeKind.DONE, project=project, actor=actor)
            for claimant in _people([claim.user for claim in claims])]


def invited(invitations):
    """Tell each invitee about their invitation to co-mentor."""
    return [queue("comentor_invitation", user=invitation.invitee, kind=NoticeKind.INVITATIONS,
                  invitation=invitation) for invitation in invitations]


def commented(project, event):
    """Tell a project's other mentors about a comment in its history."""
    return [queue("history_comment", user=mentor, kind=NoticeKind.COMMENTS, project=project, event=event)
            for mentor in _people(project.mentors, leave_out=event.actor)]
