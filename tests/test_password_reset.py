"""Password reset and email confirmation by signed, expiring, single-use links, mailed through a real SMTP
server; registration and the reset form answer the same whatever the email."""

import re
import time

import itsdangerous
import pytest

from pioneer.database import db
from pioneer.models import OutboxMail, User

from .factories import DEFAULT_PASSWORD, make_claim, make_project, make_user

SITE = "http://127.0.0.1:5000"
NEW_PASSWORD = "a brand new passphrase ✓"


@pytest.fixture
def mailing(app, mail_server):
    app.config.update(mail_server.config())
    return mail_server


def mailed_path(message):
    [url] = re.findall(re.escape(SITE) + r"/(?:password/reset|account/verify)/\S+", message.get_content())
    return url.removeprefix(SITE)


def answer(response):
    """What a person sees of a response: its status and where it leads."""
    return response.status_code, response.headers.get("Location")


def test_known_and_unknown_emails_get_the_same_answer_and_only_the_owner_gets_mail(client, ctx, mailing):
    user = make_user("Ada", email="ada@example.org")
    db.session.commit()

    known = client.post("/password/reset", data={"email": "ADA@example.org"})
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = client.post("/password/reset", data={"email": "nobody@example.org"})
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)

    assert answer(known) == answer(unknown) == (302, "/password/reset")
    assert "If an account uses that email" in known_page and "If an account uses that email" in unknown_page
    [received] = mailing.wait_for(1)
    assert received.recipients == [user.email]
    assert received.message["Subject"] == "Set a new password on Pioneer"
    time.sleep(0.2)
    assert len(mailing.messages) == 1


def test_the_mailed_link_sets_a_new_password_once(client, ctx, mailing):
    user = make_user("Ada", username="ada", email="ada@example.org")
    db.session.commit()
    client.post("/password/reset", data={"email": "ada@example.org"})
    path = mailed_path(mailing.wait_for(1)[0].message)

    form = client.get(path)
    assert form.status_code == 200 and 'name="password_confirm"' in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": "something else"})
    assert mismatch.status_code == 422 and "The two passwords differ" in mismatch.get_data(as_text=True)
    done = client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert answer(done) == (302, "/login")

    assert client.post("/login", data={"login": "ada", "password": DEFAULT_PASSWORD}).status_code == 422
    assert client.post("/login", data={"login": "ada", "password": NEW_PASSWORD}).status_code == 302
    client.post("/logout")
    used = client.get(path)
    assert used.status_code == 410 and "expired or was already used" in used.get_data(as_text=True)
    again = client.post(path, data={"password": "yet another passphrase", "password_confirm": "yet another passphrase"})
    assert again.status_code == 410
    assert client.post("/login", data={"login": "ada", "password": NEW_PASSWORD}).status_code == 302
    db.session.refresh(user)
    assert user.email_verified


def test_the_link_expires(client, ctx, mailing, monkeypatch):
    make_user("Ada", email="ada@example.org")
    db.session.commit()
    # The link is made two hours ago: itsdangerous reads its clock through get_timestamp.
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 7200)
    client.post("/password/reset", data={"email": "ada@example.org"})
    monkeypatch.undo()
    path = mailed_path(mailing.wait_for(1)[0].message)

    assert client.get(path).status_code == 410
    assert client.post(path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}).status_code == 410


def test_a_forged_or_mangled_link_sets_nothing(client, ctx):
    make_user("Ada", email="ada@example.org")
    db.session.commit()
    for token in ("not-a-token", "eyJ1IjoxfQ.forged.signature", "%C3%A9t%C3%A9"):
        assert client.get(f"/password/reset/{token}").status_code == 410


def test_a_disabled_account_gets_no_reset_link(client, ctx, mailing):
    make_user("Gone", email="gone@example.org", is_active=False)
    db.session.commit()
    response = client.post("/password/reset", data={"email": "gone@example.org"})
    assert answer(response) == (302, "/password/reset")
    assert db.session.execute(db.select(OutboxMail)).scalars().all() == []


def test_sign_in_links_to_the_reset_page(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/reset"' in page


REGISTRATION = {"username": "newbie", "name": "Nova Newcomer", "password": "lovelace engine notes",
                "password_confirm": "lovelace engine notes"}


def test_registering_with_a_taken_email_answers_like_a_free_one(app, client, ctx, mailing):
    owner = make_user("Owner", username="owner", email="taken@example.org")
    db.session.commit()

    taken = client.post("/register", data=REGISTRATION | {"email": "Taken@Example.org"})
    taken_page = client.get(taken.headers["Location"]).get_data(as_text=True)
    other = app.test_client()
    free = other.post("/register", data=REGISTRATION | {"username": "newbie-two", "email": "free@example.org"})
    free_page = other.get(free.headers["Location"]).get_data(as_text=True)

    assert answer(taken) == answer(free) == (302, "/register/sent")
    for page in (taken_page, free_page):
        assert "Thanks for registering. We sent a message to the address you gave" in page
        assert "already" in page  # the same sentence for both, telling an owner what to do
    assert db.session.execute(db.select(User).where(User.username == "newbie")).scalar_one_or_none() is None
    received = {item.recipients[0]: item.message for item in mailing.wait_for(2)}
    assert received[owner.email]["Subject"] == "Someone tried to register on Pioneer with your address"
    assert "/password/reset" in received[owner.email].get_content()
    assert received["free@example.org"]["Subject"] == "Confirm your email address on Pioneer"


def test_a_new_account_signs_in_at_once_and_confirms_its_email_from_the_link(client, ctx, mailing):
    response = client.post("/register", data=REGISTRATION | {"email": "nova@example.org"})
    assert response.status_code == 302
    user = db.session.execute(db.select(User).where(User.username == "newbie")).scalar_one()
    assert not user.email_verified
    account = client.get("/account").get_data(as_text=True)
    assert "Nova Newcomer" in account and "not confirmed yet" in account
    assert client.get("/projects/new").status_code == 200

    path = mailed_path(mailing.wait_for(1)[0].message)
    assert answer(client.get(path)) == (302, "/account")
    db.session.refresh(user)
    assert user.email_verified
    assert "not confirmed yet" not in client.get("/account").get_data(as_text=True)


def test_an_unconfirmed_address_gets_no_notice_until_confirmed(auth, client, ctx, mailing):
    mentor = make_user("Mentor", verified=False)
    newcomer = make_user("Newcomer")
    project = make_project("Quiet project", mentors=[mentor])
    db.session.commit()
    auth.login(newcomer)
    client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": ""})
    assert db.session.execute(db.select(OutboxMail)).scalars().all() == []

    auth.logout()
    auth.login(mentor)
    assert client.post("/account/verify").status_code == 302
    path = mailed_path(mailing.wait_for(1)[0].message)
    client.get(path)
    db.session.refresh(mentor)
    assert mentor.email_verified
    auth.logout()
    auth.login(newcomer)
    client.post(f"/projects/{project.slug}/claim", data={"action": "update", "note": "still here"})
    assert mailing.wait_for(2)[1].recipients == [mentor.email]


def test_a_confirmation_link_for_an_old_email_no_longer_works(auth, client, ctx, mailing):
    user = make_user("Ada", email="old@example.org", verified=False)
    db.session.commit()
    auth.login(user)
    client.post("/account/verify")
    old_link = mailed_path(mailing.wait_for(1)[0].message)
    client.post("/account/profile", data={"name": "Ada", "email": "new@example.org", "capacity": "1"})
    new_link = mailed_path(mailing.wait_for(2)[1].message)

    client.get(old_link)
    db.session.refresh(user)
    assert not user.email_verified
    client.get(new_link)
    db.session.refresh(user)
    assert user.email_verified


def test_accounts_made_on_the_command_line_are_confirmed(runner, ctx):
    result = runner.invoke(args=["user", "create", "admin@example.org", "--name", "Admin"],
                           input="a long admin passphrase\n")
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).where(User.email == "admin@example.org")).scalar_one()
    assert user.email_verified


def test_the_reset_request_is_throttled_per_address(app, client, ctx):
    app.config.update(RESET_LIMIT=2)
    for _attempt in range(2):
        assert client.post("/password/reset", data={"email": "x@example.org"}).status_code == 302
    response = client.post("/password/reset", data={"email": "x@example.org"})
    assert response.status_code == 429 and "Retry-After" in response.headers


def test_claims_still_work_for_an_unconfirmed_newcomer(auth, client, ctx):
    newcomer = make_user("Newcomer", verified=False)
    project = make_project("Open to all", mentors=[make_user("Mentor")])
    make_claim(make_project("Another"), make_user())
    db.session.commit()
    auth.login(newcomer)
    assert client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": ""}).status_code == 302
