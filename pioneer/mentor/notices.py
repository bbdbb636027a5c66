"""The mail that claims send: the notice that an expired claim was released."""

from flask import current_app

from .. import mail


def project_url(project):
    return f"{current_app.config['SITE_URL'].rstrip('/')}/projects/{project.slug}"


def expiry_notices(claim, days):
    """One message to the claimant and one to each mentor with an email address."""
    project, claimant = claim.project, claim.user
    messages = []
    if claimant.email:
        messages.append(mail.compose(
            claimant.email,
            f"Your claim on “{project.title}” has ended",
            f"Hello {claimant.name},\n\n"
            f"You claimed “{project.title}” and have not updated the claim for more than {days} days, "
            f"so it has ended and the project is open to others again.\n\n"
            f"Still working on it? Claim it again: {project_url(project)}\n\n"
            f"Thank you for your work on it.\n",
        ))
    for mentor in project.mentors:
        if mentor.email:
            messages.append(mail.compose(
                mentor.email,
                f"A claim on “{project.title}” has expired",
                f"Hello {mentor.name},\n\n"
                f"{claimant.name} claimed “{project.title}” on {claim.created_at:%-d %B %Y} and gave no update "
                f"for more than {days} days, so the claim has ended.\n"
                f"The project is {project.status.label} now: {project_url(project)}\n",
            ))
    return messages
