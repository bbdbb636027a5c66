"""When a call happens (its repeats included), and the same call as iCalendar for invitations and the feed."""

from datetime import UTC, datetime, time, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from flask import current_app

from ..dates import short_date
from ..links import site_url
from ..models import CallRepeat, utcnow

PRODID = "-//Pioneer//Community calls//EN"



def _step(call):
    return call.repeat.step if call.repeat_until else None


def repeat_end(call):
    """The end of the last day a call repeats on: repeat_until is a UTC date, inclusive."""
    return datetime.combine(call.repeat_until, time(23, 59, 59), tzinfo=UTC)


def last_start(call):
    """The start of a call's last occurrence."""
    step = _step(call)
    if step is None or repeat_end(call) < call.starts_at:
        return call.starts_at
    return call.starts_at + step * ((repeat_end(call) - call.starts_at) // step)


def next_start(call, now=None):
    """The start of the occurrence going on now or coming next; None once the last one has ended."""
    now = now or utcnow()
    length = timedelta(minutes=call.duration_minutes)
    if call.starts_at + length > now:
        return call.starts_at
    step = _step(call)
    if step is None:
        return None
    # The first occurrence that ends after now.
    start = call.starts_at + step * ((now - length - call.starts_at) // step + 1)
    return start if start <= last_start(call) else None


def started_occurrences(call, now=None, limit=52):
    """The starts of the occurrences that have begun, newest first (at most limit of them)."""
    now = now or utcnow()
    if call.starts_at > now:
        return []
    step = _step(call)
    if step is None:
        return [call.starts_at]
    newest = (min(last_start(call), now) - call.starts_at) // step
    return [call.starts_at + step * index for index in range(newest, max(-1, newest - limit), -1)]


def has_started(call, now=None):
    return call.starts_at <= (now or utcnow())


def repeat_text(call):
    """Say how a call repeats: "every week until 2 Mar 2027", or "" for a single call."""
    if _step(call) is None:
        return ""
    return f"{call.repeat.label.lower()} until {short_date(call.repeat_until)}"


def _host():
    return urlsplit(current_app.config["SITE_URL"]).hostname or "localhost"


def call_url(call):
    return site_url("calls.show_call", call_id=call.id)


def call_event(call):
    """Describe a call as an iCalendar event in UTC, with its recurrence rule when it repeats."""
    event = icalendar.Event()
    event.add("uid", f"call-{call.id}@{_host()}")
    event.add("dtstamp", utcnow())
    event.add("dtstart", call.starts_at.astimezone(UTC))
    event.add("dtend", call.starts_at.astimezone(UTC) + timedelta(minutes=call.duration_minutes))
    event.add("summary", call.title)
    if _step(call) is not None:
        rule = {"freq": "weekly", "until": repeat_end(call)}
        if call.repeat is CallRepeat.FORTNIGHTLY:
            rule["interval"] = 2
        event.add("rrule", rule)
    if call.join_url:
        event.add("location", call.join_url)
    event.add("url", call.join_url or call_url(call))
    event.add("description", _description(call))
    return event


def _description(call):
    lines = []
    if call.join_url:
        lines.append(f"Join: {call.join_url}")
    if call.agenda_url:
        lines.append(f"Agenda: {call.agenda_url}")
    lines.append(f"Details: {call_url(call)}")
    return "\n".join(lines)


def _calendar(method=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def invitation_calendar(call, invitation):
    """Write the calendar attached to one invitation: the call, its organiser and the invited person."""
    calendar = _calendar("REQUEST")
    event = call_event(call)
    sender_name, sender_address = parseaddr(current_app.config.get("MAIL_SENDER") or "")
    organizer = icalendar.vCalAddress(f"mailto:{sender_address or 'pioneer@' + _host()}")
    organizer.params["cn"] = sender_name or current_app.config["SITE_NAME"]
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{invitation.email}")
    attendee.params["cn"] = invitation.name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "NEEDS-ACTION"
    # Replies go nowhere this site reads, so calendars are asked not to send them.
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def feed(calls):
    """Write the public feed: the calls alone, never who is invited or who organised them."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", f"{current_app.config['SITE_NAME']} community calls")
    for call in calls:
        calendar.add_component(call_event(call))
    return calendar.to_ical()
