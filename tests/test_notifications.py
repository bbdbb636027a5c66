"""Notices by mail through the queue (docs/mail.md), against a real SMTP server: who gets what, once, with a
link that works; a server that is down loses nothing; preferences and the daily digest."""

import re

import pytest

from pioneer.database import db
from pioneer.models import Frequency, NoticeKind, OutboxMail, ProjectStatus, ReviewAction
from pioneer.notify import choose

from .factories import make_claim, make_project, make_user
from .smtp import MailServer, free_port

SITE = "http://127.0.0.1:5000"


@pytest.fixture
def mailing(app, mail_server):
    app.config.update(mail_server.config())
    return mail_server


def by_recipient(messages):
    return {address: item.message for item in messages for address in item.recipients}


def site_links(message):
    """The paths of this site's links in a message's body, in order."""
    return [url.removeprefix(SITE) for url in re.findall(re.escape(SITE) + r"\S+", message.get_content())]


def assert_links_work(client, message):
    """The page link and the preferences link of a notice both answer the signed-in recipient."""
    links = site_links(message)
    assert any(path.startswith("/projects/") for path in links), links
    assert "/account/notifications" in links
    for path in links:
        assert client.get(path.split("#")[0]).status_code == 200, path


def test_a_claim_mails_each_mentor_once_and_not_the_claimant(auth, client, ctx, mailing):
    ada, bo = make_user("Ada Mentor"), make_user("Bø Mentor")
    unconfirmed = make_user("Cy Unconfirmed", verified=False)
    newcomer = make_user("Zoë Newcomer")
    project = make_project("Ünïcode parser", mentors=[ada, bo, unconfirmed])
    db.session.commit()
    auth.login(newcomer)

    response = client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": "Je commence 🚀"})

    assert response.status_code == 302
    received = mailing.wait_for(2)
    assert sorted(address for item in received for address in item.recipients) == sorted([ada.email, bo.email])
    message = by_recipient(received)[ada.email]
    assert message["Subject"] == "Zoë Newcomer claimed “Ünïcode parser”"
    assert "Je commence 🚀" in message.get_content()
    auth.logout()
    auth.login(ada)
    assert_links_work(client, message)
    assert len(mailing.messages) == 2


def test_update_and_release_reach_the_mentors(auth, client, ctx, mailing):
    mentor, newcomer = make_user("Mentor"), make_user("Newcomer")
    project = make_project("Packet sniffer", mentors=[mentor], status=ProjectStatus.IN_PROGRESS)
    make_claim(project, newcomer)
    db.session.commit()
    auth.login(newcomer)

    client.post(f"/projects/{project.slug}/claim", data={"action": "update", "note": "Tests pass now"})
    client.post(f"/projects/{project.slug}/claim", data={"action": "release", "note": ""})

    first, second = mailing.wait_for(2)
    assert first.recipients == second.recipients == [mentor.email]
    assert first.message["Subject"] == "Newcomer updated their claim on “Packet sniffer”"
    assert "Tests pass now" in first.message.get_content()
    assert second.message["Subject"] == "Newcomer let go of “Packet sniffer”"
    assert "available" in second.message.get_content()


def test_a_review_decision_mails_the_mentors_with_the_comment(auth, client, ctx, mailing):
    mentor, reviewer = make_user("Mentor"), make_user("Rey Viewer", roles=["reviewer"])
    project = make_project("Vague idea", status=ProjectStatus.PROPOSED, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)

    response = client.post(f"/review/{project.slug}", data={
        "action": "request_changes", "expected_status": "proposed", "stars": "0", "time_rating": "0",
        "comment": "Say what “done” means: tests? a demo?"})

    assert response.status_code == 302
    [received] = mailing.wait_for(1)
    assert received.recipients == [mentor.email]
    assert received.message["Subject"] == "“Vague idea”: request changes"
    body = received.message.get_content()
    assert "Say what “done” means: tests? a demo?" in body and "Rey Viewer" in body
    assert f"/projects/{project.slug}/edit" in body
    auth.logout()
    auth.login(mentor)
    for path in site_links(received.message):
        assert client.get(path).status_code == 200, path


def test_done_thanks_each_claimant_once_and_credits_them(auth, client, ctx, mailing):
    mentor = make_user("Mentor")
    ana, ben = make_user("Ana Ñúñez", username="ana"), make_user("Ben", username="ben")
    project = make_project("Router fuzzing", mentors=[mentor], status=ProjectStatus.IN_PROGRESS,
                           allow_multiple_claims=True)
    make_claim(project, ana)
    make_claim(project, ben)
    db.session.commit()
    auth.login(mentor)

    assert client.post(f"/projects/{project.slug}/finish", data={"actual_hours": "35"}).status_code == 302

    received = mailing.wait_for(2)
    assert sorted(item.recipients[0] for item in received) == sorted([ana.email, ben.email])
    assert all(item.message["Subject"] == "“Router fuzzing” is done: thank you" for item in received)
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Done by" in page and "Ana Ñúñez" in page and "Ben" in page and "(35 h)" in page
    auth.logout()
    auth.login(ana)
    assert_links_work(client, by_recipient(received)[ana.email])
    assert len(mailing.messages) == 2


def test_a_co_mentor_invitation_reaches_the_invitee(auth, client, ctx, mailing):
    owner, invitee = make_user("Owner", username="owner"), make_user("Invitee", username="invitee")
    project = make_project("Shared idea", status=ProjectStatus.DRAFT, mentors=[owner])
    db.session.commit()
    auth.login(owner)

    response = client.post(f"/projects/{project.slug}/edit", data={
        "title": "Shared idea", "summary": "A summary.", "description": "Words.", "stars": "1", "time_rating": "1",
        "area": "networking", "action": "save", "mentors": "owner, invitee",
        "skills-0-name": "ocaml", "skills-0-level": "concepts", "skills-0-required": "required"})

    assert response.status_code == 302
    [received] = mailing.wait_for(1)
    assert received.recipients == [invitee.email]
    assert received.message["Subject"] == "Owner invites you to co-mentor “Shared idea”"
    assert "/account/notifications" in site_links(received.message)


def test_a_server_that_is_down_loses_nothing_and_mail_send_delivers_it_once(app, auth, client, ctx, runner):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_QUEUE_TIMEOUT=1)
    mentor, newcomer = make_user("Mentor"), make_user("Newcomer")
    project = make_project("Mesh network", mentors=[mentor])
    db.session.commit()
    auth.login(newcomer)

    response = client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": ""})

    assert response.status_code == 302
    [row] = db.session.execute(db.select(OutboxMail)).scalars().all()
    assert row.sent_at is None and row.locked_until is None and "could not reach" in row.last_error
    with MailServer() as server:
        app.config.update(server.config())
        result = runner.invoke(args=["mail", "send"])
        assert result.exit_code == 0, result.output
        assert "Sent 1 message; 0 failures; 0 messages still queued." in result.output
        [received] = server.wait_for(1)
        assert received.recipients == [mentor.email]
        again = runner.invoke(args=["mail", "send"])
        assert "Sent 0 messages" in again.output and len(server.messages) == 1


def test_mail_send_exits_non_zero_while_the_server_is_down(app, runner, ctx):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=1)
    mentor, newcomer = make_user("Mentor"), make_user("Newcomer")
    project = make_project("Mesh network", mentors=[mentor])
    claim = make_claim(project, newcomer)
    from pioneer.notify import events

    events.claim_changed(claim, "made")
    db.session.commit()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 1
    assert "Sent 0 messages; 1 failure; 1 message still queued." in result.output
    assert f"not sent to {mentor.email}" in result.output


def test_never_sends_nothing_and_daily_waits_for_one_digest(auth, client, ctx, mailing, runner):
    quiet, daily = make_user("Quiet"), make_user("Dee Daily")
    newcomer = make_user("Newcomer")
    project = make_project("Tiny DNS", mentors=[quiet, daily])
    db.session.flush()
    choose(quiet, NoticeKind.CLAIMS, Frequency.NEVER)
    choose(daily, NoticeKind.CLAIMS, Frequency.DAILY)
    db.session.commit()
    auth.login(newcomer)

    client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": "day one"})
    client.post(f"/projects/{project.slug}/claim", data={"action": "update", "note": "day two"})

    assert mailing.messages == []
    assert runner.invoke(args=["mail", "send"]).exit_code == 0
    assert mailing.messages == []
    result = runner.invoke(args=["mail", "send", "--digest"])
    assert result.exit_code == 0 and "Sent 1 digest;" in result.output
    [received] = mailing.wait_for(1)
    assert received.recipients == [daily.email]
    assert received.message["Subject"] == "2 notices from Pioneer"
    body = received.message.get_content()
    assert "day one" in body and "day two" in body and body.count("/account/notifications") == 1
    assert "Sent 0 digests;" in runner.invoke(args=["mail", "send", "--digest"]).output and len(mailing.messages) == 1


def test_the_preferences_page_keeps_each_choice(auth, client, ctx):
    user = make_user()
    db.session.commit()
    auth.login(user)
    page = client.get("/account/notifications").get_data(as_text=True)
    at_once = re.findall(r'<input checked id="\w+-0" name="\w+" type="radio" value="at_once">', page)
    assert len(at_once) == len(NoticeKind)

    response = client.post("/account/notifications", data={"claims": "daily", "reviews": "never", "done": "at_once",
                                                             "invitations": "at_once", "comments": "never"})
    assert response.status_code == 302
    page = client.get("/account/notifications").get_data(as_text=True)
    assert '<input checked id="claims-1" name="claims" type="radio" value="daily">' in page
    assert '<input checked id="reviews-2" name="reviews" type="radio" value="never">' in page
    bad = client.post("/account/notifications", data={"claims": "hourly"})
    assert bad.status_code == 422 and "Not a valid choice" in bad.get_data(as_text=True)


def test_a_comment_in_the_history_reaches_the_other_mentors(auth, client, ctx, mailing):
    ada, bo, reviewer = make_user("Ada"), make_user("Bo"), make_user("Rey", roles=["reviewer"])
    project = make_project("Shared project", mentors=[ada, bo])
    db.session.commit()
    auth.login(reviewer)

    response = client.post(f"/projects/{project.slug}/comments", data={"comment": "Could it take a week?"})
    assert response.status_code == 302

    received = mailing.wait_for(2)
    assert sorted(item.recipients[0] for item in received) == sorted([ada.email, bo.email])
    assert "Could it take a week?" in received[0].message.get_content()
    event = project.review_events[-1]
    assert event.action is ReviewAction.COMMENT


def test_a_silent_server_delays_the_page_by_the_short_timeout_only(app, auth, client, ctx):
    # A server that accepts the connection and never says hello: the worst case for a page.
    import socket
    import time

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_QUEUE_TIMEOUT=1,
                          MAIL_TIMEOUT=30)
        mentor, newcomer = make_user("Mentor"), make_user("Newcomer")
        project = make_project("Slow mail", mentors=[mentor])
        db.session.commit()
        auth.login(newcomer)

        started = time.monotonic()
        response = client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": ""})
        elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 2.5, f"the page waited {elapsed:.1f} s for the mail server"
    [row] = db.session.execute(db.select(OutboxMail)).scalars().all()
    assert row.sent_at is None and row.last_error


def test_two_senders_never_send_the_same_message(app, runner, ctx, mailing):
    from datetime import timedelta

    from pioneer import notify
    from pioneer.models import utcnow
    from pioneer.notify import events

    mentor = make_user("Mentor")
    claims = [make_claim(make_project(f"Project {n}", mentors=[mentor]), make_user()) for n in range(3)]
    rows = [row for claim in claims for row in events.claim_changed(claim, "made")]
    db.session.commit()
    # Another sender holds a lease on the first row (it is sending it right now).
    taken = notify._lease([rows[0].id])
    assert [row.id for row in taken] == [rows[0].id]

    result = runner.invoke(args=["mail", "send"])
    assert "Sent 2 messages; 0 failures; 1 message still queued." in result.output
    assert "Sent 0 messages;" in runner.invoke(args=["mail", "send"]).output
    # That sender died: once its lease runs out, the row is sent, once.
    rows[0].locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert "Sent 1 message;" in runner.invoke(args=["mail", "send"]).output
    received = mailing.wait_for(3)
    assert sorted(item.message["Subject"] for item in received) == sorted(
        f"{claim.user.name} claimed “{claim.project.title}”" for claim in claims)
