"""Outgoing mail through a real SMTP server: delivery, batches, attachments and every failure."""

import logging

import pytest

from pioneer import mail

from .smtp import free_port

INVITE = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Café kickoff\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


@pytest.fixture
def mail_app(app, mail_server):
    """The app, sending to the test's SMTP server."""
    app.config.update(mail_server.config())
    with app.app_context():
        yield app


def test_one_message_arrives_with_its_headers_and_body(mail_app, mail_server):
    message = mail.compose("ada@example.org", "Your project was approved",
                           "Congratulations, naïve pioneer!", reply_to="review@example.org")
    outcome = mail.send(message)

    assert outcome.ok and outcome.sent == [message]
    [received] = mail_server.wait_for(1)
    assert received.sender == "pioneer@example.org"
    assert received.recipients == ["ada@example.org"]
    assert received.message["Subject"] == "Your project was approved"
    assert received.message["From"] == "Pioneer <pioneer@example.org>"
    assert received.message["Reply-To"] == "review@example.org"
    assert received.message["Message-ID"].endswith("@example.org>")
    assert received.message["Date"]
    assert received.message.get_content_type() == "text/plain"
    assert received.message.get_content_charset() == "utf-8"
    assert received.message.get_content().strip() == "Congratulations, naïve pioneer!"


def test_a_batch_goes_over_one_connection(mail_app, mail_server, monkeypatch):
    connections = []
    original = mail._connect
    monkeypatch.setattr(mail, "_connect", lambda *args: connections.append(args) or original(*args))
    messages = [mail.compose(f"intern{n}@example.org", f"Welcome {n}", "Hello") for n in range(3)]

    outcome = mail.send(messages)

    assert outcome.ok and outcome.sent == messages
    assert len(connections) == 1
    received = mail_server.wait_for(3)
    assert [r.message["Subject"] for r in received] == ["Welcome 0", "Welcome 1", "Welcome 2"]


def test_a_message_to_several_people_reaches_each(mail_app, mail_server):
    outcome = mail.send(mail.compose(["ada@example.org", "bob@example.org"], "Hi", "Both of you"))

    assert outcome.ok
    [received] = mail_server.wait_for(1)
    assert received.recipients == ["ada@example.org", "bob@example.org"]


def test_an_attachment_arrives_intact(mail_app, mail_server):
    invite = mail.Attachment("invite.ics", INVITE, "text/calendar")
    logo = mail.Attachment("logo.png", b"\x89PNG\r\n\x1a\n\x00\xff", "image/png")
    mail.send(mail.compose("ada@example.org", "Kickoff", "See the invite.", attachments=[invite, logo]))

    [received] = mail_server.wait_for(1)
    assert received.message.get_body().get_content().strip() == "See the invite."
    parts = {part.get_filename(): part for part in received.message.iter_attachments()}
    assert parts["invite.ics"].get_content_type() == "text/calendar"
    assert parts["invite.ics"].get_content() == INVITE
    assert parts["logo.png"].get_content_type() == "image/png"
    assert parts["logo.png"].get_content() == b"\x89PNG\r\n\x1a\n\x00\xff"


def test_a_refused_recipient_fails_while_the_others_arrive(mail_app, mail_server, caplog):
    mail_server.refuse.add("gone@example.org")
    good = mail.compose("ada@example.org", "For Ada", "Hello")
    bad = mail.compose("gone@example.org", "For nobody", "Hello")
    mixed = mail.compose(["gone@example.org", "bob@example.org"], "For Bob", "Hello")

    outcome = mail.send([bad, good, mixed])

    assert not outcome.ok
    assert outcome.sent == [good, mixed]
    assert [(message, "gone@example.org" in reason) for message, reason in outcome.failed] == [
        (bad, True), (mixed, True)]
    received = mail_server.wait_for(2)
    assert [r.recipients for r in received] == [["ada@example.org"], ["bob@example.org"]]
    assert "gone@example.org" in caplog.text


def test_a_server_that_is_down_fails_every_message_without_raising(app, caplog):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=2)
    with app.app_context():
        messages = [mail.compose("ada@example.org", "Hi", "Hello") for _ in range(2)]
        with caplog.at_level(logging.WARNING):
            outcome = mail.send(messages)

    assert outcome.sent == [] and not outcome.ok
    assert [message for message, _ in outcome.failed] == messages
    assert all(f"could not reach the mail server 127.0.0.1:{port}" in reason
               for _, reason in outcome.failed)
    assert any(record.levelno == logging.WARNING and "127.0.0.1" in record.getMessage()
               for record in caplog.records)


def test_without_a_mail_server_nothing_is_sent(app):
    with app.app_context():
        message = mail.compose("ada@example.org", "Hi", "Hello")
        assert not mail.is_configured()
        outcome = mail.send([message])

    assert outcome.failed == [(message, "no mail server is configured")]


def test_starttls_against_a_server_without_it_fails_cleanly(mail_app, mail_server):
    mail_app.config.update(MAIL_USE_STARTTLS="true", MAIL_TIMEOUT=2)

    outcome = mail.send(mail.compose("ada@example.org", "Hi", "Hello"))

    [(_, reason)] = outcome.failed
    assert f"127.0.0.1:{mail_server.port}" in reason and "STARTTLS" in reason
    assert mail_server.messages == []


@pytest.mark.parametrize("value", ["0", "false", "False", "", 0, False, None], ids=repr)
def test_false_settings_written_as_strings_keep_tls_off(mail_app, mail_server, value):
    mail_app.config.update(MAIL_USE_STARTTLS=value, MAIL_PORT=str(mail_server.port))

    assert mail.send(mail.compose("ada@example.org", "Hi", "Hello")).ok

