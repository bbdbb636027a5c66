"""The mail that claims send: the notice that an expired claim was released."""

from .. import mail


def expiry_notices(claim, days):
    """One message to the claimant and one to each mentor with an email address."""
    project, claimant = claim.project, claim.user
    context = {"claim": claim, "project": project, "claimant": claimant, "days": days}
    messages = [mail.message("claim_expired", claimant.email, **context)] if claimant.email else []
    messages += [mail.message("claim_expired_mentor", mentor.email, mentor=mentor, **context)
                 for mentor in project.mentors if mentor.email]
    return messages
