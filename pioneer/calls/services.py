"""Invitations to calls: one person or a group, never the same address twice, each mailed with an .ics file.

Services here add rows and send mail but never commit: the view commits the invitations before any mail
leaves, so a mail server that fails loses nothing, and commits again once it knows what was sent.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.orm import selectinload

from .. import mail
from ..database import db
from ..dates import day_text, local_time
from ..links import site_url
from ..models import (
    Attendance,
    Call,
    Intern,
    InternStatus,
    Invitation,
    Project,
    ProjectStatus,
    Round,
    User,
    project_mentors,
    utcnow,
)
from ..text import one_line
from .calendar import invitation_calendar, next_start, repeat_text

MENTORS_BATCH = "mentors-in-progress"
ROUND_BATCH = re.compile(r"round:(?P<slug>[^:\s]+):active-interns")


class AlreadyInvited(Exception):
    """The address is invited to this call already."""

    def __init__(self, invitation):
        super().__init__(invitation.email)
        self.invitation = invitation

    def __str__(self):
        invitation = self.invitation
        return f"{invitation.name} ({invitation.email}) is already invited (on {day_text(invitation.invited_at)})."


class UnknownBatch(ValueError):
    """The group asked for does not exist."""


@dataclass(frozen=True)
class BatchOption:
    value: str
    label: str
    remaining: int


def _invited_emails(call):
    return sa.select(sa.func.lower(Invitation.email)).where(Invitation.call_id == call.id)


def find_invitation(call, email):
    """Find the invitation of an address to a call, whatever the case of its letters."""
    return db.session.execute(
        sa.select(Invitation).where(Invitation.call_id == call.id, sa.func.lower(Invitation.email) == email.lower())
    ).scalars().first()


def invite_person(call, name, email):
    """Invite one person, linked to their account and latest internship when the address is known."""
    email = email.strip().lower()
    existing = find_invitation(call, email)
    if existing is not None:
        raise AlreadyInvited(existing)
    user = db.session.execute(sa.select(User).where(sa.func.lower(User.email) == email)).scalars().first()
    intern = db.session.execute(
        sa.select(Intern).where(sa.func.lower(Intern.email) == email).order_by(Intern.id.desc()).limit(1)
    ).scalar_one_or_none()
    return _add(call, name, email, user=user, intern=intern)


def _add(call, name, email, user=None, intern=None):
    # The name goes into the To header and the calendar file: one line, whatever the account holds.
    invitation = Invitation(call=call, name=one_line(name), email=email.strip().lower(), user=user, intern=intern,
                            invited_at=utcnow())
    db.session.add(invitation)
    return invitation


def invite_batch(call, batch):
    """Invite everyone of a group who is not invited yet; return the new invitations (maybe none)."""
    if batch == MENTORS_BATCH:
        people = [(user.name, user.email, user, None) for user in _mentors_to_invite(call)]
    elif match := ROUND_BATCH.fullmatch(batch or ""):
        round_ = db.session.execute(sa.select(Round).where(Round.slug == match["slug"])).scalar_one_or_none()
        if round_ is None:
            raise UnknownBatch("That round no longer exists; choose another group.")
        people = [(intern.name, intern.email, intern.user, intern) for intern in _interns_to_invite(call, round_)]
    else:
        raise UnknownBatch("Choose a group from the list.")
    seen, invitations = set(), []
    for name, email, user, intern in people:
        if email.lower() not in seen:
            seen.add(email.lower())
            invitations.append(_add(call, name, email, user=user, intern=intern))
    return invitations


def _interns_to_invite(call, round_):
    return db.session.execute(
        sa.select(Intern).options(selectinload(Intern.user))
        .where(Intern.round_id == round_.id, Intern.status == InternStatus.ACTIVE,
               sa.func.lower(Intern.email).not_in(_invited_emails(call)))
        .order_by(Intern.name, Intern.id)
    ).scalars().all()


def _in_progress_mentors():
    return (sa.select(project_mentors.c.user_id).join(Project, Project.id == project_mentors.c.project_id)
            .where(Project.status == ProjectStatus.IN_PROGRESS))


def _mentors_to_invite(call):
    return db.session.execute(
        sa.select(User).where(User.id.in_(_in_progress_mentors()), User.email.is_not(None), User.is_active,
                              sa.func.lower(User.email).not_in(_invited_emails(call)))
        .order_by(User.name, User.id)
    ).scalars().all()


def batch_options(call):
    """List the groups a coordinator can invite, each with how many of its people are not invited yet."""
    not_invited = sa.case((sa.func.lower(Intern.email).in_(_invited_emails(call)), 0), else_=1)
    rounds = db.session.execute(
        sa.select(Round.slug, Round.name, sa.func.sum(not_invited))
        .join(Intern, Intern.round_id == Round.id).where(Intern.status == InternStatus.ACTIVE)
        .group_by(Round.id, Round.slug, Round.name, Round.starts_on).order_by(Round.starts_on.desc(), Round.id.desc())
    ).all()
    options = [BatchOption(f"round:{slug}:active-interns", _label(f"Active interns of {name}", left), int(left))
               for slug, name, left in rounds]
    mentors = db.session.execute(
        sa.select(sa.func.count()).select_from(User)
        .where(User.id.in_(_in_progress_mentors()), User.email.is_not(None), User.is_active,
               sa.func.lower(User.email).not_in(_invited_emails(call)))
    ).scalar_one()
    options.append(BatchOption(MENTORS_BATCH, _label("Mentors of projects in progress", mentors), mentors))
    return options


def _label(group, left):
    return f"{group} ({left} not invited yet)" if left else f"{group} (everyone is invited)"


def invitation_message(invitation, inviter_name=None, now=None):
    """Write the mail of one invitation, in the invitee's time zone when their account has one."""
    call = invitation.call
    when = local_time(next_start(call, now) or call.starts_at, invitation.user)
    message = mail.message(
        "call_invitation", _recipient(invitation), invitation=invitation, call=call, when=when,
        repeats=repeat_text(call), inviter_name=inviter_name, rsvp_url=rsvp_url(invitation),
        attachments=[mail.Attachment("invite.ics", invitation_calendar(call, invitation), "text/calendar")],
    )
    # iMIP: the method on the part tells mail programs to offer the invitation, not just a file.
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            part.set_param("method", "REQUEST")
            part.set_param("charset", "utf-8")
    return message


def _recipient(invitation):
    return mail.address(invitation.name, invitation.email)


def deliver(pending):
    """Send (invitation id, message) pairs and mark those handed over as sent; return sent ids and failures."""
    owner = {id(message): invitation_id for invitation_id, message in pending}
    outcome = mail.send([message for _, message in pending])
    failed = {owner[id(message)]: reason for message, reason in outcome.failed}
    sent = [owner[id(message)] for message in outcome.sent if owner[id(message)] not in failed]
    if sent:
        db.session.execute(sa.update(Invitation).where(Invitation.id.in_(sent)).values(sent_at=utcnow()))
    return sent, failed


def record_attendance(call, shown_ids, attended_ids, occurrence=None):
    """Record who came, for the invitations that were on the form; the others keep what they had.

    A repeating call records each occurrence apart (occurrence: its start); a single call on the invitation.
    """
    changed = 0
    for invitation in call.invitations:
        if invitation.id not in shown_ids:
            continue
        came = invitation.id in attended_ids
        if occurrence is None:
            if invitation.attended != came:
                invitation.attended, changed = came, changed + 1
            continue
        mark = next((item for item in invitation.attendances if item.occurrence == occurrence), None)
        if mark is None:
            invitation.attendances.append(Attendance(occurrence=occurrence, attended=came))
            changed += 1
        elif mark.attended != came:
            mark.attended, changed = came, changed + 1
    return changed


def attendance_at(invitation, occurrence):
    """Whether the invitee came to the occurrence starting at occurrence (None: not recorded)."""
    if occurrence is None:
        return invitation.attended
    return next((item.attended for item in invitation.attendances if item.occurrence == occurrence), None)


# RSVP: the invitation mail carries a signed link, so an invitee without an account can answer.

RSVP_SALT = "pioneer-call-rsvp"
RSVP_ANSWERS = {"yes": "Yes, I will come", "no": "No, I cannot come"}


def _rsvp_serializer():
    return URLSafeSerializer(current_app.secret_key, salt=RSVP_SALT)


def rsvp_token(invitation):
    return _rsvp_serializer().dumps([invitation.id, invitation.email])


def invitation_of_token(token):
    """The invitation a signed RSVP token names, or None when the token is forged or the invitation gone."""
    try:
        invitation_id, email = _rsvp_serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    # A re-used id (the invitation deleted, another made) must not accept the old link.
    return invitation if invitation is not None and invitation.email == email else None


def answer(invitation, reply):
    """Record a yes or no."""
    invitation.rsvp, invitation.rsvp_at = reply, utcnow()


# Reminders: `pioneer calls remind` (cron) mails each invitee once, the day before.

REMIND_AHEAD = timedelta(days=1)


def reminders_due(now=None):
    """Invitations to an occurrence starting within a day that were not reminded of it; (invitation, start)."""
    now = now or utcnow()
    calls = db.session.execute(
        sa.select(Call).options(selectinload(Call.invitations).selectinload(Invitation.user))
        .where(Call.starts_at <= now + REMIND_AHEAD,
               sa.or_(Call.starts_at > now, sa.and_(Call.repeat_until.is_not(None), Call.repeat_until >= now.date())))
    ).scalars()
    due = []
    for call in calls:
        start = next_start(call, now)
        if start is None or not now < start <= now + REMIND_AHEAD:
            continue
        due.extend((invitation, start) for invitation in call.invitations
                   if invitation.reminded_for != start and invitation.rsvp != "no")
    return due


def reminder_message(invitation, start):
    call = invitation.call
    return mail.message("call_reminder", _recipient(invitation), invitation=invitation, call=call,
                        when=local_time(start, invitation.user), rsvp_url=rsvp_url(invitation))


def rsvp_url(invitation):
    return site_url("calls.rsvp_by_link", token=rsvp_token(invitation))
