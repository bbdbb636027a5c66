"""Calls in people's own time: entered in a zone, warned before the past, RSVP, attendance per occurrence,
and `pioneer calls remind` (issue 16)."""

import re
from datetime import UTC, datetime, timedelta

from pioneer.calls.services import rsvp_token
from pioneer.database import db
from pioneer.models import Attendance, Call, CallRepeat, Invitation, utcnow

from .factories import make_user
from .test_calls import invitations_of, make_call, page_of, signed_in_coordinator

FORM = {"title": "Appel de la communauté", "duration_minutes": "60", "repeat": "none",
        "join_url": "https://meet.example.org/appel"}


def only_call():
    db.session.expire_all()
    return db.session.execute(db.select(Call)).scalar_one()


def test_a_call_entered_at_18_00_paris_in_winter_is_stored_at_17_00_utc_and_shown_in_both(auth, client, ctx):
    signed_in_coordinator(auth, timezone="Europe/Paris")
    form_page = page_of(client.get("/calls/new"))
    assert 'value="Europe/Paris"' in form_page and '<option value="Europe/Paris">' in form_page
    response = client.post("/calls/new", data=FORM | {"starts_at": "2030-01-15T18:00", "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    call = only_call()
    assert call.starts_at == datetime(2030, 1, 15, 17, 0, tzinfo=UTC) and call.time_zone == "Europe/Paris"
    # Summer time: the same 18:00 in Paris is 16:00 UTC.
    client.post(f"/calls/{call.id}/edit", data=FORM | {"starts_at": "2030-07-15T18:00", "time_zone": "paris"})
    assert only_call().starts_at == datetime(2030, 7, 15, 16, 0, tzinfo=UTC)
    # The edit form shows the time as it was entered, in its zone.
    edit = page_of(client.get(f"/calls/{call.id}/edit"))
    assert 'value="2030-07-15T18:00"' in edit and 'value="Europe/Paris"' in edit
    # A visitor in Tokyo sees their time, UTC, and the zone it was scheduled in.
    auth.logout()
    tokyo = make_user("Tomoko Tōkyō", username="tomoko", timezone="Asia/Tokyo")
    db.session.commit()
    auth.login(tokyo)
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "Tue 16 Jul 2030, 01:00 Asia/Tokyo (16:00 UTC on Mon 15 Jul 2030)" in page
    assert "scheduled as Mon 15 Jul 2030, 18:00 Europe/Paris" in page


def test_an_unknown_zone_suggests_and_keeps_what_was_typed(auth, client, ctx):
    signed_in_coordinator(auth)
    response = client.post("/calls/new", data=FORM | {"starts_at": "2030-01-15T18:00", "time_zone": "Berlinn"})
    assert response.status_code == 422
    assert "No time zone matches “Berlinn”. Did you mean “Europe/Berlin”" in page_of(response)
    assert 'value="2030-01-15T18:00"' in page_of(response) and 'value="Berlinn"' in page_of(response)
    assert db.session.execute(db.select(Call)).first() is None


def test_scheduling_in_the_past_asks_first(auth, client, ctx):
    signed_in_coordinator(auth)
    yesterday = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    warned = client.post("/calls/new", data=FORM | {"starts_at": yesterday, "time_zone": "UTC"})
    assert warned.status_code == 422
    html = page_of(warned)
    assert "This call would be over already" in html and 'name="confirm_past" value="yes"' in html
    assert f'value="{yesterday}"' in html
    assert db.session.execute(db.select(Call)).first() is None
    confirmed = client.post("/calls/new", data=FORM | {"starts_at": yesterday, "time_zone": "UTC",
                                                       "confirm_past": "yes"})
    assert confirmed.status_code == 302 and only_call().title == "Appel de la communauté"


def test_inviting_to_a_past_call_asks_first_and_keeps_the_name(auth, client, ctx):
    call = make_call(starts_at=utcnow() - timedelta(days=2))
    db.session.commit()
    signed_in_coordinator(auth)
    refused = client.post(f"/calls/{call.id}/invite", data={"name": "Ngozi Ọkọnkwọ", "email": "ngozi@example.org"})
    assert refused.status_code == 422
    assert "This call is over, so nobody was invited." in page_of(refused)
    assert 'value="Ngozi Ọkọnkwọ"' in page_of(refused) and invitations_of(call.id) == []
    accepted = client.post(f"/calls/{call.id}/invite", data={"name": "Ngozi Ọkọnkwọ", "email": "ngozi@example.org",
                                                            "confirm_past": "yes"})
    assert accepted.status_code == 302 and len(invitations_of(call.id)) == 1


def test_attendance_of_a_weekly_call_is_kept_per_occurrence(auth, client, ctx):
    first = (utcnow() - timedelta(days=15)).replace(microsecond=0)
    call = make_call(starts_at=first, repeat=CallRepeat.WEEKLY, until=(first + timedelta(days=60)).date())
    db.session.add_all([Invitation(call=call, name="Åsa", email="asa@example.org"),
                        Invitation(call=call, name="Bongani", email="bongani@example.org")])
    db.session.commit()
    signed_in_coordinator(auth)
    asa, bongani = invitations_of(call.id)
    page = page_of(client.get(f"/calls/{call.id}"))
    # Three occurrences have begun (15, 8 and 1 days ago); the newest is shown first.
    picker = page.split('id="occurrence"')[1].split("</select>")[0]
    assert len(re.findall(r"<option ", picker)) == 3 and re.search(r"<option [^>]*selected", picker)
    weeks = [first, first + timedelta(days=7)]
    client.post(f"/calls/{call.id}/attendance", data={"occurrence": weeks[0].isoformat(),
                                                      "invitation": [asa.id, bongani.id], f"attended-{asa.id}": "y"})
    client.post(f"/calls/{call.id}/attendance", data={"occurrence": weeks[1].isoformat(),
                                                      "invitation": [asa.id, bongani.id],
                                                      f"attended-{bongani.id}": "y"})
    db.session.expire_all()
    marks = {(mark.invitation.name, mark.occurrence): mark.attended
             for mark in db.session.execute(db.select(Attendance)).scalars()}
    assert marks == {("Åsa", weeks[0]): True, ("Bongani", weeks[0]): False,
                     ("Åsa", weeks[1]): False, ("Bongani", weeks[1]): True}
    shown = page_of(client.get(f"/calls/{call.id}", query_string={"occurrence": weeks[0].isoformat()}))
    assert re.search(rf'name="attended-{asa.id}" value="y" checked', shown)
    assert not re.search(rf'name="attended-{bongani.id}" value="y" checked', shown)
    # An occurrence that is not one of the call's records nothing.
    client.post(f"/calls/{call.id}/attendance", data={"occurrence": "2001-01-01T00:00:00+00:00",
                                                      "invitation": [asa.id], f"attended-{asa.id}": "y"})
    assert db.session.execute(db.select(db.func.count()).select_from(Attendance)).scalar_one() == 4


def test_rsvp_from_the_mailed_link_and_from_the_call_page(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config())
    call = make_call(starts_at=utcnow() + timedelta(days=5))
    guest = make_user("Gus Guest", username="gus", email="gus@example.org")
    db.session.commit()
    signed_in_coordinator(auth)
    client.post(f"/calls/{call.id}/invite", data={"name": "Gus Guest", "email": "gus@example.org"})
    client.post(f"/calls/{call.id}/invite", data={"name": "Noor", "email": "noor@example.org"})
    received = mail_server.wait_for(2)
    bodies = {item.recipients[0]: item.message.get_body(("plain",)).get_content() for item in received}
    link = re.search(r"Answer yes or no here: (\S+)", bodies["noor@example.org"])[1]
    path = link.split("127.0.0.1", 1)[-1].split("localhost", 1)[-1]
    path = path[path.index("/calls/rsvp/"):]
    auth.logout()
    # Anyone with the link answers for that invitation only; the page itself changes nothing.
    assert "Will you come to “MirageOS community call”?" in page_of(client.get(path))
    assert invitations_of(call.id)[1].rsvp is None
    assert client.post(path, data={"rsvp": "no"}).status_code == 302
    assert [item.rsvp for item in invitations_of(call.id)] == [None, "no"]
    assert client.post(path, data={"rsvp": "maybe"}).status_code == 302
    assert invitations_of(call.id)[1].rsvp == "no"
    # A forged or altered token is a 404.
    assert client.get(path[:-3] + "xyz").status_code == 404
    noor = invitations_of(call.id)[1]
    noor.email = "other@example.org"
    db.session.commit()
    assert client.get(path).status_code == 404
    # On the call page, a signed-in invitee answers for themselves.
    auth.login(guest)
    page = page_of(client.get(f"/calls/{call.id}"))
    assert "Will you come?" in page and "noor" not in page.lower()
    client.post(f"/calls/{call.id}/rsvp", data={"rsvp": "yes"})
    assert invitations_of(call.id)[0].rsvp == "yes"
    assert "You said: <strong>Yes, I will come</strong>" in page_of(client.get(f"/calls/{call.id}"))


def test_only_invitees_answer_on_the_call_page(auth, client, ctx):
    call = make_call(starts_at=utcnow() + timedelta(days=5))
    stranger = make_user("Stranger", username="stranger")
    db.session.commit()
    assert client.post(f"/calls/{call.id}/rsvp", data={"rsvp": "yes"}).headers["Location"].startswith("/login")
    auth.login(stranger)
    assert "Will you come?" not in page_of(client.get(f"/calls/{call.id}"))
    assert client.post(f"/calls/{call.id}/rsvp", data={"rsvp": "yes"}).status_code == 404


def test_the_rsvp_token_names_one_invitation(ctx):
    call = make_call()
    first = Invitation(call=call, name="A", email="a@example.org")
    second = Invitation(call=call, name="B", email="b@example.org")
    db.session.add_all([first, second])
    db.session.commit()
    assert rsvp_token(first) != rsvp_token(second)


def test_calls_remind_mails_each_invitee_once_the_day_before(app, runner, ctx, mail_server):
    app.config.update(mail_server.config())
    now = utcnow()
    tomorrow = make_call("Ōsaka sync", starts_at=now + timedelta(hours=20))
    later = make_call("Next week", starts_at=now + timedelta(days=6))
    weekly = make_call("Weekly", starts_at=now - timedelta(days=7) + timedelta(hours=3), repeat=CallRepeat.WEEKLY,
                       until=(now + timedelta(days=30)).date())
    db.session.add_all([
        Invitation(call=tomorrow, name="Zoë", email="zoe@example.org"),
        Invitation(call=tomorrow, name="Declined", email="no@example.org", rsvp="no"),
        Invitation(call=later, name="Later", email="later@example.org"),
        Invitation(call=weekly, name="Wim", email="wim@example.org"),
    ])
    db.session.commit()
    result = runner.invoke(args=["calls", "remind"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 of 2 reminders." in result.output
    received = mail_server.wait_for(2)
    assert sorted(item.recipients[0] for item in received) == ["wim@example.org", "zoe@example.org"]
    zoe = next(item for item in received if item.recipients == ["zoe@example.org"])
    assert zoe.message["Subject"].startswith("Tomorrow: Ōsaka sync")
    assert "/calls/rsvp/" in zoe.message.get_body(("plain",)).get_content()
    # A second run sends nothing.
    again = runner.invoke(args=["calls", "remind"])
    assert again.exit_code == 0 and "No call starts within a day" in again.output
    assert len(mail_server.messages) == 2
    # Next week's occurrence of the weekly call is reminded of in its turn.
    db.session.expire_all()
    wim = db.session.execute(db.select(Invitation).filter_by(email="wim@example.org")).scalar_one()
    assert wim.reminded_for == weekly.starts_at + timedelta(days=7)
