"""Saved searches and `pioneer alerts send`, through the pages and the command, to a real SMTP server."""

import html
import re
import time
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from pioneer.database import db
from pioneer.models import AlertFrequency, ProjectSkill, SavedSearch, SkillLevel, utcnow

from ..factories import make_project, make_skill, make_user

SITE = "https://pioneer.example.org"


@pytest.fixture
def alerts_app(corpus, mail_server):
    corpus.config.update(mail_server.config(), SITE_URL=SITE)
    return corpus


@pytest.fixture
def ada(alerts_app):
    with alerts_app.app_context():
        user = make_user("Ada Lovelace-Łukasiewicz", username="ada", email="ada@example.org")
        db.session.commit()
        return SimpleNamespace(id=user.id, username=user.username)


def save(client, auth, user, kind, query, frequency="at_once", name=""):
    auth.login(user)
    response = client.post("/account/searches", data={"kind": kind, "query": query, "frequency": frequency,
                                                       "name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


def publish(app, title, skills=(("ocaml", SkillLevel.CONCEPTS, True),), stars=1, time_rating=2):
    with app.app_context():
        project = make_project(title, stars=stars, time_rating=time_rating, skills=())
        project.skills = [ProjectSkill(skill=make_skill(name), level=level, required=required, position=index)
                          for index, (name, level, required) in enumerate(skills)]
        db.session.commit()
        return project.slug


def send(app):
    return app.test_cli_runner().invoke(args=["alerts", "send"])


def settle(mail_server, count):
    """Wait for count messages, then a moment more to be sure no other arrives."""
    mail_server.wait_for(count)
    time.sleep(0.2)
    return mail_server.messages


def test_a_new_matching_project_reaches_the_subscriber_once(alerts_app, client, auth, ada, mail_server):
    response = save(client, auth, ada, "start", "know=ocaml:concepts&time=2&page=3", name="OCaml in a week")
    assert response.location == "/start?know=ocaml%3Aconcepts&time=2"
    slug = publish(alerts_app, "Café checksum starter ☕")
    publish(alerts_app, "Deep Xen internals", skills=[("xen", SkillLevel.COMFORTABLE, True)], stars=4)

    result = send(alerts_app)

    assert result.exit_code == 0, result.output
    assert "Checking saved searches" in result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("Alerts: 1 mail sent (1 at once, 0 weekly digests) "
                                                             "about 1 new project")
    [received] = settle(mail_server, 1)
    message = received.message
    assert received.recipients == ["ada@example.org"]
    assert message["Subject"] == "1 new project for your search “OCaml in a week”"
    body = message.get_content()
    assert "Hello Ada Lovelace-Łukasiewicz," in body
    assert "- Café checksum starter ☕" in body and "★☆☆☆☆ (1 of 5 stars) · a week" in body
    assert "Why it fits: you know the required skill (ocaml); takes about a week, within your time" in body
    assert f"{SITE}/projects/{slug}" in body
    assert "Deep Xen internals" not in body and "ocaml-first-steps" not in body  # older projects are not news
    unsubscribe = re.search(r"Stop these emails \(one click, no sign-in\): (\S+)", body).group(1)
    assert message["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    again = send(alerts_app)
    assert again.exit_code == 0 and "Alerts: 0 mails sent" in again.stdout
    assert len(settle(mail_server, 1)) == 1


def test_the_unsubscribe_link_works_without_signing_in_and_stops_the_mail(alerts_app, client, auth, ada,
                                                                          mail_server):
    save(client, auth, ada, "start", "know=ocaml:concepts&time=2", name="OCaml in a week")
    publish(alerts_app, "First new ocaml project")
    send(alerts_app)
    [received] = settle(mail_server, 1)
    link = urlsplit(received.message["List-Unsubscribe"].strip("<>"))
    assert f"{link.scheme}://{link.netloc}" == SITE

    alerts_app.config["CSRF_ENABLED"] = True  # as in production: the link needs no session and no form token
    stranger = alerts_app.test_client()
    page = stranger.get(link.path)
    assert page.status_code == 200
    text = html.unescape(page.get_data(as_text=True))
    assert "“OCaml in a week”" in text and "Stop these emails" in text and "ada@example.org" not in text
    with alerts_app.app_context():
        assert db.session.execute(db.select(SavedSearch.frequency)).scalar_one() is AlertFrequency.AT_ONCE
    # A mail client's one-click unsubscribe (RFC 8058): a POST from outside any session.
    done = stranger.post(link.path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "No more emails for this search" in done.get_data(as_text=True)

    publish(alerts_app, "Second new ocaml project")
    result = send(alerts_app)
    assert result.exit_code == 0 and "Alerts: 0 mails sent" in result.stdout
    assert len(settle(mail_server, 1)) == 1
    with alerts_app.app_context():
        assert db.session.execute(db.select(SavedSearch.frequency)).scalar_one() is AlertFrequency.NEVER


def test_a_forged_or_damaged_token_is_refused_and_changes_nothing(alerts_app, client, auth, ada, mail_server):
    save(client, auth, ada, "start", "know=ocaml", name="Mine")
    from pioneer.domain.alerts import unsubscribe_token

    with alerts_app.app_context():
        saved_id = db.session.execute(db.select(SavedSearch.id)).scalar_one()
        good = unsubscribe_token(saved_id, alerts_app.secret_key)
    forged = unsubscribe_token(saved_id, "another-secret-key-of-an-attacker")
    stranger = alerts_app.test_client()
    for token in (forged, good[:-2] + "xx", "1", "é" * 30, unsubscribe_token(saved_id + 1, alerts_app.secret_key)):
        assert stranger.post(f"/alerts/unsubscribe/{token}").status_code == 404
        assert stranger.get(f"/alerts/unsubscribe/{token}").status_code == 404
    with alerts_app.app_context():
        assert db.session.execute(db.select(SavedSearch.frequency)).scalar_one() is AlertFrequency.AT_ONCE


def test_a_weekly_digest_waits_a_week_then_brings_everything_new(alerts_app, client, auth, ada, mail_server):
    save(client, auth, ada, "projects", "stars=1&skill=ocaml", frequency="weekly", name="")
    publish(alerts_app, "Digest item one")
    publish(alerts_app, "Digest item two")
    publish(alerts_app, "Too hard for the digest", stars=3)

    early = send(alerts_app)
    assert early.exit_code == 0 and "1 digests are not due yet" in early.stdout
    with alerts_app.app_context():
        saved = db.session.execute(db.select(SavedSearch)).scalar_one()
        assert saved.name == "stars 1, ocaml"
        saved.created_at = utcnow() - timedelta(days=8)
        db.session.commit()

    due = send(alerts_app)
    assert "Alerts: 1 mail sent (0 at once, 1 weekly digest) about 2 new projects" in due.stdout
    [received] = settle(mail_server, 1)
    assert received.message["Subject"] == "This week: 2 new projects for your search “stars 1, ocaml”"
    body = received.message.get_content()
    assert "This week 2 new projects match" in body
    assert "Digest item one" in body and "Digest item two" in body and "Too hard" not in body
    assert f"See them all: {SITE}/projects?stars=1&skill=ocaml" in body
    # The next digest is a week after this one.
    publish(alerts_app, "Digest item three")
    assert "1 digests are not due yet" in send(alerts_app).stdout


def test_a_full_text_search_mails_only_projects_with_its_words(alerts_app, client, auth, ada, mail_server):
    save(client, auth, ada, "projects", "q=checksums&status=available", name="Checksums")
    publish(alerts_app, "Faster checksum for IPv4")
    publish(alerts_app, "Unrelated documentation work")
    result = send(alerts_app)
    assert result.exit_code == 0, result.output
    body = settle(mail_server, 1)[0].message.get_content()
    assert "Faster checksum for IPv4" in body and "Unrelated" not in body


def test_a_refused_mail_keeps_its_projects_for_the_next_run(alerts_app, client, auth, ada, mail_server):
    save(client, auth, ada, "start", "know=ocaml:concepts", name="Keep trying")
    publish(alerts_app, "Patiently waiting project")
    mail_server.refuse.add("ada@example.org")
    failed = send(alerts_app)
    assert failed.exit_code == 1
    assert "not sent to ada for “Keep trying”: refused every recipient" in failed.stderr
    mail_server.refuse.clear()
    retried = send(alerts_app)
    assert retried.exit_code == 0 and "Alerts: 1 mail sent" in retried.stdout
    assert "Patiently waiting project" in settle(mail_server, 1)[0].message.get_content()


# The account page ------------------------------------------------------------------------------------

def test_the_account_page_lists_only_ones_own_searches_to_change_or_delete(alerts_app, client, auth, ada):
    save(client, auth, ada, "start", "know=ocaml:concepts&time=2", name="Ada’s week")
    page = html.unescape(client.get("/account").get_data(as_text=True))
    assert '<a href="/start?know=ocaml%3Aconcepts&time=2">Ada’s week</a>' in page
    with alerts_app.app_context():
        saved_id = db.session.execute(db.select(SavedSearch.id)).scalar_one()
        bob = make_user("Bob", username="bob")
        db.session.commit()
        bob = SimpleNamespace(username=bob.username)
    # Someone else sees none of it and can change none of it.
    auth.logout()
    auth.login(bob)
    assert "Ada’s week" not in html.unescape(client.get("/account").get_data(as_text=True))
    assert client.post(f"/account/searches/{saved_id}", data={"action": "delete"}).status_code == 404
    assert client.post(f"/account/searches/{saved_id}",
                       data={"action": "update", "frequency": "never"}).status_code == 404
    auth.logout()
    auth.login(ada)
    changed = client.post(f"/account/searches/{saved_id}", data={"action": "update", "frequency": "weekly"},
                          follow_redirects=True)
    assert "Search “Ada’s week”: a weekly digest." in html.unescape(changed.get_data(as_text=True))
    assert client.post(f"/account/searches/{saved_id}",
                       data={"action": "update", "frequency": "hourly"}).status_code == 400
    deleted = client.post(f"/account/searches/{saved_id}", data={"action": "delete"}, follow_redirects=True)
    assert "Search “Ada’s week” deleted." in html.unescape(deleted.get_data(as_text=True))
    with alerts_app.app_context():
        assert db.session.execute(db.select(db.func.count(SavedSearch.id))).scalar_one() == 0


def test_pages_offer_to_keep_the_search_to_signed_in_people_only(alerts_app, client, auth, ada):
    anonymous = client.get("/start?know=ocaml&time=2").get_data(as_text=True)
    assert 'action="/account/searches"' not in anonymous
    assert "to keep this search on your account" in anonymous
    auth.login(ada)
    for path, kind in (("/start?know=ocaml&time=2&page=1", "start"), ("/projects?stars=1&page=1", "projects")):
        page = client.get(path).get_data(as_text=True)
        assert f'<input type="hidden" name="kind" value="{kind}">' in page
        query = path.split("?", 1)[1].replace("&page=1", "").replace("&", "&amp;")
        assert f'<input type="hidden" name="query" value="{query}">' in page
    # Most useful where nothing matches yet: the alert says when something does.
    empty = client.get("/projects?skill=nothing-yet").get_data(as_text=True)
    assert "No projects match" in empty and '<input type="hidden" name="query" value="skill=nothing-yet">' in empty


def test_a_search_that_cannot_be_saved_says_why_and_keeps_what_was_typed(alerts_app, client, auth, ada):
    auth.login(ada)
    response = client.post("/account/searches", data={"kind": "start", "query": "know=ocaml", "name": "Mine ✓",
                                                      "frequency": "hourly"})
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "Not a valid choice" in page and 'value="Mine ✓"' in page
    with alerts_app.app_context():
        for number in range(50):
            db.session.add(SavedSearch(user_id=ada.id, kind="start", query=f"know=s{number}", name=f"S{number}"))
        db.session.commit()
    full = client.post("/account/searches", data={"kind": "start", "query": "know=ocaml", "name": "One more",
                                                  "frequency": "never"})
    assert full.status_code == 422
    assert "You keep 50 searches already" in html.unescape(full.get_data(as_text=True))


def test_an_unconfirmed_address_gets_no_alert_until_it_is_confirmed(alerts_app, client, auth, mail_server):
    """Alerts follow the mail rule of docs/mail.md: only account links go to an address not confirmed."""
    with alerts_app.app_context():
        user = make_user("Grace Ŋguyen", username="grace", email="grace@example.org", verified=False)
        db.session.commit()
        grace = SimpleNamespace(id=user.id, username=user.username)
    save(client, auth, grace, "projects", "skill=ocaml")
    publish(alerts_app, "Ocaml ring buffer")
    assert "Alerts: 0 mails sent" in send(alerts_app).stdout
    with alerts_app.app_context():
        db.session.get(type(user), grace.id).email_verified_at = utcnow()
        db.session.commit()
    assert "Alerts: 1 mail sent" in send(alerts_app).stdout
    [received] = settle(mail_server, 1)
    assert received.recipients == ["grace@example.org"]
