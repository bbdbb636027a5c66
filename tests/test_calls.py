"""Community calls: scheduling in UTC, times in each viewer's zone, invitations by mail with .ics, the feed."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from sqlalchemy import event

from pioneer.calls.calendar import last_start, next_start
from pioneer.database import db
from pioneer.dates import local_time
from pioneer.models import Call, CallRepeat, InternStatus, Invitation, ProjectStatus, Role, utcnow
from pioneer.rounds.queries import invitations_for_interns

from .factories import make_intern, make_project, make_round, make_user

UTC = UTC
# A Tuesday in winter: 16:00 UTC is 17:00 in Paris.
START = datetime(2030, 1, 15, 16, 0, tzinfo=UTC)


def make_call(title="MirageOS community call", starts_at=START, duration=60, repeat=CallRepeat.NONE, until=None,
              **fields):
    call = Call(title=title, starts_at=starts_at, duration_minutes=duration, repeat=repeat, repeat_until=until,
                **fields)
    db.session.add(call)
    return call


def coordinator(**fields):
    return make_user("Cora Coordinator", roles=[Role.COORDINATOR], **fields)


def signed_in_coordinator(auth, **fields):
    user = coordinator(**fields)
    db.session.commit()
    auth.login(user)
    return user


def page_of(response):
    return response.get_data(as_text=True)


def calendar_of(received):
    """The parsed .ics attachment of a received message."""
    parts = [part for part in received.message.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(parts) == 1 and parts[0].get_filename() == "invite.ics"
    assert parts[0].get_param("method") == "REQUEST"
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def invitations_of(call_id):
    db.session.expire_all()
    return db.session.execute(db.select(Invitation).where(Invitation.call_id == call_id)
                              .order_by(Invitation.id)).scalars().all()


CALL_FORM = {"title": "MirageOS community call", "starts_at": "2030-01-15T16:00", "duration_minutes": "60",
             "join_url": "https://meet.example.org/mirage", "agenda_url": "https://pad.example.org/agenda",
             "repeat": "none", "repeat_until": ""}


def test_a_coordinator_schedules_a_call_in_utc_shown_in_each_viewers_zone(auth, client, ctx):
    signed_in_coordinator(auth)
    assert client.get("/calls/new").status_code == 200
    response = client.post("/calls/new", data=CALL_FORM)
    assert response.status_code == 302
    call = db.session.execute(db.select(Call)).scalar_one()
    assert response.headers["Location"] == f"/calls/{call.id}"
    assert call.starts_at == START and call.duration_minutes == 60 and call.repeat is CallRepeat.NONE
    assert call.join_url == "https://meet.example.org/mirage" and call.created_by_id is not None

    paris = make_user("Pia Paris", timezone="Europe/Paris")
    db.session.commit()
    auth.login(paris)
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "Tue 15 Jan 2030, 17:00 Europe/Paris (16:00 UTC)" in page
    assert "https://pad.example.org/agenda" in page and "60 minutes" in page
    auth.logout()
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "Tue 15 Jan 2030, 16:00 UTC" in page and "Europe/Paris" not in page
    listing = page_of(client.get("/calls"))
    upcoming = listing.split('id="upcoming-title"')[1].split("</section>")[0]
    assert "MirageOS community call" in upcoming and "Tue 15 Jan 2030, 16:00 UTC" in upcoming


def test_times_say_their_zone_and_the_utc_day_when_it_differs(ctx):
    late = datetime(2030, 1, 15, 23, 30, tzinfo=UTC)
    assert local_time(late, make_user(timezone="Europe/Paris")) == (
        "Wed 16 Jan 2030, 00:30 Europe/Paris (23:30 UTC on Tue 15 Jan 2030)")
    assert local_time(late, make_user(timezone="UTC")) == "Tue 15 Jan 2030, 23:30 UTC"
    assert local_time(late, make_user(timezone="Not/AZone")) == "Tue 15 Jan 2030, 23:30 UTC"
    assert local_time(late, None) == "Tue 15 Jan 2030, 23:30 UTC"


def test_a_call_with_mistakes_comes_back_with_reasons_and_what_was_typed(auth, client, ctx):
    signed_in_coordinator(auth)
    typed = dict(CALL_FORM, title="Kept title", join_url="ftp://files.example.org/x", repeat="weekly",
                 duration_minutes="2")
    response = client.post("/calls/new", data=typed)
    assert response.status_code == 422
    page = page_of(response)
    assert "Give an http or https address" in page and "Say until when the call repeats." in page
    assert "Between 5 and 600 minutes." in page
    assert 'value="Kept title"' in page and 'value="ftp://files.example.org/x"' in page
    assert 'value="2030-01-15T16:00"' in page and '<option selected value="weekly">' in page
    earlier = client.post("/calls/new", data=dict(CALL_FORM, repeat="fortnightly", repeat_until="2030-01-15"))
    assert earlier.status_code == 422 and "Give a date after the first call (15 Jan 2030)." in page_of(earlier)
    garbled = client.post("/calls/new", data=dict(CALL_FORM, starts_at="next tuesday", title=""))
    assert garbled.status_code == 422
    assert "Give the date and time, such as 2026-12-08 16:00." in page_of(garbled)
    assert "Give the call a title." in page_of(garbled)
    assert db.session.execute(db.select(db.func.count()).select_from(Call)).scalar_one() == 0


def test_editing_fills_the_form_from_the_call_and_saves_the_repeats(auth, client, ctx):
    call = make_call()
    db.session.add(Invitation(call=call, name="Sent Already", email="sent@example.org", sent_at=utcnow()))
    db.session.commit()
    signed_in_coordinator(auth)
    form = page_of(client.get(f"/calls/{call.id}/edit"))
    assert 'value="2030-01-15T16:00"' in form and 'value="MirageOS community call"' in form
    response = client.post(f"/calls/{call.id}/edit",
                           data=dict(CALL_FORM, starts_at="2030-01-15 15:30", repeat="weekly",
                                     repeat_until="2030-03-05"))
    assert response.status_code == 302
    assert "1 invitation was sent with the old time" in page_of(client.get(response.headers["Location"]))
    db.session.refresh(call)
    assert call.starts_at == datetime(2030, 1, 15, 15, 30, tzinfo=UTC)
    assert call.repeat is CallRepeat.WEEKLY and call.repeat_until == date(2030, 3, 5)
    assert last_start(call) == datetime(2030, 3, 5, 15, 30, tzinfo=UTC)
    assert "every week until 5 Mar 2030" in page_of(client.get(f"/calls/{call.id}"))


@pytest.mark.parametrize("method, path", [
    ("GET", "/calls/new"), ("POST", "/calls/new"), ("GET", "/calls/{id}/edit"), ("POST", "/calls/{id}/edit"),
    ("POST", "/calls/{id}/invite"), ("POST", "/calls/{id}/attendance"), ("POST", "/calls/{id}/resend"),
])
def test_only_coordinators_manage_calls(auth, client, ctx, method, path):
    call = make_call()
    mentor = make_user("Mo Mentor", roles=[Role.REVIEWER])
    make_project(mentors=[mentor])
    db.session.commit()
    path = path.format(id=call.id)
    data = {"name": "Eve", "email": "eve@example.org", **CALL_FORM}
    anonymous = client.open(path, method=method, data=data)
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/login")
    auth.login(mentor)
    assert client.open(path, method=method, data=data).status_code == 403
    assert db.session.execute(db.select(db.func.count()).select_from(Invitation)).scalar_one() == 0
    db.session.refresh(call)
    assert call.title == "MirageOS community call"


def test_inviting_one_person_mails_an_ics_with_the_calls_start(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config())
    call = make_call(join_url="https://meet.example.org/mirage", agenda_url="https://pad.example.org/agenda")
    guest = make_user("Gus Guest", email="gus@example.org", timezone="Europe/Paris")
    db.session.commit()
    signed_in_coordinator(auth)
    response = client.post(f"/calls/{call.id}/invite", data={"name": "Gus Guest", "email": "Gus@Example.org"})
    assert response.status_code == 302
    (received,) = mail_server.wait_for(1)
    assert received.recipients == ["gus@example.org"]
    body = received.message.get_body(("plain",)).get_content()
    assert "Hello Gus Guest," in body and "Tue 15 Jan 2030, 17:00 Europe/Paris (16:00 UTC)" in body
    assert "Join: https://meet.example.org/mirage" in body and "Agenda: https://pad.example.org/agenda" in body
    assert "the attached invitation adds it to your calendar" in body.lower()
    calendar = calendar_of(received)
    assert str(calendar["method"]) == "REQUEST" and str(calendar["version"]) == "2.0" and calendar["prodid"]
    (vevent,) = calendar.walk("VEVENT")
    assert vevent.decoded("dtstart") == START and vevent.decoded("dtend") == START + timedelta(minutes=60)
    assert str(vevent["summary"]) == "MirageOS community call" and str(vevent["uid"]) == f"call-{call.id}@127.0.0.1"
    assert str(vevent["attendee"]) == "mailto:gus@example.org" and vevent["attendee"].params["CN"] == "Gus Guest"
    assert str(vevent["organizer"]) == "mailto:pioneer@example.org"
    (invitation,) = invitations_of(call.id)
    assert invitation.sent_at is not None and invitation.user_id == guest.id and invitation.attended is None
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "gus@example.org" in page and "1 invitation sent by email." in page


def test_inviting_the_same_address_twice_is_refused_politely_and_sends_nothing(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config())
    call = make_call()
    db.session.commit()
    signed_in_coordinator(auth)
    client.post(f"/calls/{call.id}/invite", data={"name": "Ada", "email": "ada@example.org"})
    mail_server.wait_for(1)
    again = client.post(f"/calls/{call.id}/invite", data={"name": "Ada Again", "email": "ADA@example.org "})
    assert again.status_code == 422
    today = utcnow()
    assert f"Ada (ada@example.org) is already invited (on {today:%a} {today.day} {today:%b %Y})." in page_of(again)
    assert 'value="Ada Again"' in page_of(again)
    invalid = client.post(f"/calls/{call.id}/invite", data={"name": "", "email": "not an address"})
    assert invalid.status_code == 422 and "Give an email address such as" in page_of(invalid)
    assert len(invitations_of(call.id)) == 1 and len(mail_server.messages) == 1


def test_the_unique_constraint_catches_an_invitation_made_at_the_same_moment(auth, client, ctx, monkeypatch):
    call = make_call()
    db.session.add(Invitation(call=call, name="Ada", email="ada@example.org"))
    db.session.commit()
    signed_in_coordinator(auth)
    # As if another coordinator's request committed between this one's check and its insert.
    monkeypatch.setattr("pioneer.calls.services.find_invitation", lambda call, email: None)
    response = client.post(f"/calls/{call.id}/invite", data={"name": "Ada", "email": "ada@example.org"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Someone invited some of these people at the same moment" in page_of(response)
    assert len(invitations_of(call.id)) == 1


def make_round_with_interns():
    """Two active interns to invite; an applicant, a withdrawn and an already invited one to leave alone."""
    mentor = make_user("Mia Mentor", email="mia@example.org")
    round_ = make_round()
    other = make_round("Outreachy May 2027 – August 2027")
    project = make_project("NTP client", mentors=[mentor], status=ProjectStatus.IN_PROGRESS)
    interns = {
        "ada": make_intern(round_, project, [mentor], name="Ada Active", email="ada@example.org"),
        "bea": make_intern(round_, project, [mentor], name="Bea Active", email="Bea@Example.org"),
        "cy": make_intern(round_, project, name="Cy Applicant", email="cy@example.org", status=InternStatus.APPLICANT),
        "dee": make_intern(round_, project, name="Dee Withdrawn", email="dee@example.org",
                           status=InternStatus.WITHDRAWN),
        "eli": make_intern(round_, project, name="Eli Invited", email="eli@example.org"),
        "fay": make_intern(other, project, name="Fay Elsewhere", email="fay@example.org"),
    }
    return round_, interns


def test_inviting_the_active_interns_of_a_round_mails_each_one_not_yet_invited(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config())
    round_, interns = make_round_with_interns()
    call = make_call(repeat=CallRepeat.WEEKLY, until=date(2030, 3, 5))
    db.session.add(Invitation(call=call, name="Eli Invited", email="eli@example.org", intern=interns["eli"],
                              sent_at=utcnow()))
    db.session.commit()
    signed_in_coordinator(auth)
    page = page_of(client.get(f"/calls/{call.id}"))
    assert f"Active interns of {round_.name} (2 not invited yet)" in page
    response = client.post(f"/calls/{call.id}/invite", data={"batch": f"round:{round_.slug}:active-interns"})
    assert response.status_code == 302
    received = mail_server.wait_for(2)
    assert sorted(item.recipients[0] for item in received) == ["ada@example.org", "bea@example.org"]
    for item in received:
        (vevent,) = calendar_of(item).walk("VEVENT")
        assert vevent.decoded("dtstart") == START
        assert vevent["rrule"]["FREQ"] == ["WEEKLY"]
    invited = {invitation.email: invitation for invitation in invitations_of(call.id)}
    assert set(invited) == {"ada@example.org", "bea@example.org", "eli@example.org"}
    assert invited["bea@example.org"].intern_id == interns["bea"].id and invited["bea@example.org"].sent_at
    again = client.post(f"/calls/{call.id}/invite", data={"batch": f"round:{round_.slug}:active-interns"},
                        follow_redirects=True)
    assert "Everyone in that group is invited already" in page_of(again)
    unknown = client.post(f"/calls/{call.id}/invite", data={"batch": "round:no-such-round:active-interns"})
    assert unknown.status_code == 422 and "That round no longer exists" in page_of(unknown)
    assert len(mail_server.messages) == 2


def test_inviting_the_mentors_of_projects_in_progress(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config())
    busy = make_user("Ben Busy", email="ben@example.org")
    invited = make_user("Ida Invited", email="ida@example.org")
    no_email = make_user("Nell Noemail")
    no_email.email = None
    idle = make_user("Ivo Idle", email="ivo@example.org")
    make_project("Taken one", mentors=[busy, invited, no_email], status=ProjectStatus.IN_PROGRESS)
    make_project("Taken two", mentors=[busy], status=ProjectStatus.IN_PROGRESS)
    make_project("Free one", mentors=[idle])
    call = make_call()
    db.session.add(Invitation(call=call, name="Ida Invited", email="ida@example.org", user=invited))
    db.session.commit()
    signed_in_coordinator(auth)
    assert "Mentors of projects in progress (1 not invited yet)" in page_of(client.get(f"/calls/{call.id}"))
    assert client.post(f"/calls/{call.id}/invite", data={"batch": "mentors-in-progress"}).status_code == 302
    (received,) = mail_server.wait_for(1)
    assert received.recipients == ["ben@example.org"]
    new = [invitation for invitation in invitations_of(call.id) if invitation.email == "ben@example.org"]
    assert len(new) == 1 and new[0].user_id == busy.id and new[0].name == "Ben Busy"


def test_a_mail_server_that_is_down_loses_no_invitation_and_send_again_sends_them(app, auth, client, ctx, mail_server):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=9, MAIL_TIMEOUT=2)
    round_, _interns = make_round_with_interns()
    call = make_call()
    db.session.commit()
    signed_in_coordinator(auth)
    response = client.post(f"/calls/{call.id}/invite", data={"batch": f"round:{round_.slug}:active-interns"},
                           follow_redirects=True)
    page = page_of(response)
    # Eli is active and not invited to this call, so the round's three active interns are.
    assert "Invited 3 people." in page and "3 of 3 not sent: could not reach the mail server" in page
    assert [invitation.sent_at for invitation in invitations_of(call.id)] == [None, None, None]
    assert page.count("Send again<span") == 3 and "Send the 3 unsent invitations again" in page

    app.config.update(mail_server.config())
    one = invitations_of(call.id)[0]
    client.post(f"/calls/{call.id}/resend", data={"invitation_id": one.id})
    assert mail_server.wait_for(1)[0].recipients == [one.email]
    page = page_of(client.post(f"/calls/{call.id}/resend", follow_redirects=True))
    assert "2 invitations sent by email." in page
    mail_server.wait_for(3)
    assert all(invitation.sent_at for invitation in invitations_of(call.id))
    assert "There is no unsent invitation" in page_of(client.post(f"/calls/{call.id}/resend", follow_redirects=True))
    assert len(mail_server.messages) == 3


def test_without_a_mail_server_invitations_are_kept_and_the_page_says_so(auth, client, ctx):
    call = make_call()
    db.session.commit()
    signed_in_coordinator(auth)
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "No mail server is configured" in page
    page = page_of(client.post(f"/calls/{call.id}/invite", data={"name": "Ada", "email": "ada@example.org"},
                               follow_redirects=True))
    assert "Invited Ada." in page and "not sent: no mail server is configured" in page
    (invitation,) = invitations_of(call.id)
    assert invitation.sent_at is None


def test_attendance_is_recorded_after_the_call(auth, client, ctx):
    future = make_call()
    held = make_call("Last week's call", starts_at=utcnow() - timedelta(days=7))
    came, missed, late = (Invitation(call=held, name=name, email=f"{name.lower()}@example.org")
                          for name in ("Came", "Missed", "Late"))
    early = Invitation(call=future, name="Early", email="early@example.org")
    db.session.add_all([came, missed, late, early])
    db.session.commit()
    signed_in_coordinator(auth)
    assert 'name="attended-' in page_of(client.get(f"/calls/{held.id}"))
    response = client.post(f"/calls/{held.id}/attendance",
                           data={"invitation": [came.id, missed.id], f"attended-{came.id}": "y"})
    assert response.status_code == 302
    assert [invitation.attended for invitation in invitations_of(held.id)] == [True, False, None]
    page = page_of(client.get(f"/calls/{held.id}"))
    assert "Attendance recorded (2 changes)." in page and "checked" in page and "not recorded yet" in page
    refused = client.post(f"/calls/{future.id}/attendance", data={f"attended-{early.id}": "y"}, follow_redirects=True)
    assert "Attendance can be recorded once the call has started." in page_of(refused)
    assert invitations_of(future.id)[0].attended is None


def test_the_call_page_shows_who_is_invited_to_coordinators_only(auth, client, ctx):
    round_, interns = make_round_with_interns()
    call = make_call()
    db.session.add_all([Invitation(call=call, name="Ada Active", email="ada@example.org", intern=interns["ada"]),
                        Invitation(call=call, name="Gus Guest", email="gus@example.org")])
    newcomer = make_user("Nia Newcomer")
    other_mentor = make_user("Oli Other")
    make_project("Unrelated", mentors=[other_mentor])
    db.session.commit()
    for viewer in (None, newcomer, other_mentor):
        if viewer:
            auth.login(viewer)
        page = page_of(client.get(f"/calls/{call.id}"))
        assert "2 people" in page
        for secret in ("Ada Active", "ada@example.org", "Gus Guest", "gus@example.org", "Invite the group"):
            assert secret not in page, (viewer, secret)
        for listing in ("/calls", "/calls.ics"):
            assert "example.org" not in page_of(client.get(listing))
    signed_in_coordinator(auth)
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "Ada Active" in page and "ada@example.org" in page and f"intern, {round_.name}" in page
    assert "gus@example.org" in page


def test_the_feed_has_one_event_per_upcoming_call_and_no_personal_data(client, ctx):
    now = utcnow()
    soon = make_call("Soon", starts_at=now + timedelta(days=2), join_url="https://meet.example.net/soon",
                     agenda_url="https://pad.example.net/soon")
    weekly = make_call("Weekly", starts_at=now - timedelta(days=20), repeat=CallRepeat.WEEKLY,
                       until=(now + timedelta(days=30)).date())
    fortnightly = make_call("Fortnightly", starts_at=now + timedelta(days=1), repeat=CallRepeat.FORTNIGHTLY,
                            until=(now + timedelta(days=60)).date())
    going_on = make_call("Going on", starts_at=now - timedelta(minutes=10))
    make_call("Past", starts_at=now - timedelta(days=3))
    make_call("Series over", starts_at=now - timedelta(days=40), repeat=CallRepeat.WEEKLY,
              until=(now - timedelta(days=5)).date())
    intern = make_intern(make_round(), None, name="Ivy Intern", email="ivy@example.org")
    db.session.add(Invitation(call=soon, name="Ivy Intern", email="ivy@example.org", intern=intern))
    db.session.commit()
    response = client.get("/calls.ics")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    text = page_of(response)
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Soon", "Weekly", "Fortnightly", "Going on"}
    rule = events["Weekly"]["rrule"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["UNTIL"][0] == datetime.combine(
        weekly.repeat_until, datetime.max.time().replace(microsecond=0), tzinfo=UTC)
    assert events["Fortnightly"]["rrule"]["INTERVAL"] == [2]
    assert "RRULE" not in events["Soon"] and events["Soon"].decoded("dtstart") == soon.starts_at.replace(microsecond=0)
    assert str(events["Soon"]["location"]) == "https://meet.example.net/soon"
    assert "https://pad.example.net/soon" in str(events["Soon"]["description"])
    for secret in ("ivy@example.org", "Ivy Intern", "mailto:", "ATTENDEE", "ORGANIZER", "Cora"):
        assert secret not in text
    assert next_start(weekly, now) == weekly.starts_at + timedelta(weeks=3)
    assert next_start(going_on, now) == going_on.starts_at and next_start(fortnightly, now) == fortnightly.starts_at


def test_the_list_puts_upcoming_calls_first_and_pages_past_ones(client, ctx):
    now = utcnow()
    make_call("Weekly series", starts_at=now - timedelta(days=20), repeat=CallRepeat.WEEKLY,
              until=(now + timedelta(days=30)).date())
    for number in range(22):
        make_call(f"Old call {number:02}", starts_at=now - timedelta(days=30 + number))
    db.session.commit()
    page = page_of(client.get("/calls"))
    upcoming, past = page.split('id="upcoming-title"')[1].split('id="past-title"')
    assert "Weekly series" in upcoming and "Next:" in upcoming and "every week until" in upcoming
    assert "Old call 00" in past and "Old call 19" in past and "Old call 20" not in past
    assert "Weekly series" not in past and 'rel="next"' in past
    second = page_of(client.get("/calls?page=2")).split('id="past-title"')[1]
    assert "Old call 20" in second and "Old call 21" in second
    assert "No call is planned yet" not in page


def test_invitations_for_interns_loads_calls_in_one_query(app, ctx):
    round_, interns = make_round_with_interns()
    first, second = make_call("First"), make_call("Second", starts_at=START + timedelta(days=7))
    db.session.add_all([Invitation(call=first, name="Ada", email="ada@example.org", intern=interns["ada"]),
                        Invitation(call=second, name="Ada", email="ada@example.org", intern=interns["ada"]),
                        Invitation(call=first, name="Bea", email="bea@example.org", intern=interns["bea"])])
    db.session.commit()
    ids = [interns[name].id for name in ("ada", "bea", "cy")]
    db.session.expire_all()
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = invitations_for_interns(ids)
        titles = {intern_id: [invitation.call.title for invitation in found[intern_id]] for intern_id in found}
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert titles == {ids[0]: ["First", "Second"], ids[1]: ["First"], ids[2]: []}
