"""Forgot a password, in a real browser: ask for a link on /login, follow the mailed link, set a new password,
sign in with it; the link works once."""

import re

import pytest
from playwright.sync_api import expect

from pioneer.database import db
from pioneer.domain.people import create_user
from pioneer.models import utcnow

from ..smtp import MailServer
from .conftest import serious_violations

OLD, NEW = "forgotten unikernel passphrase", "a fresh passphrase, ünïcode ✓"


@pytest.fixture
def mailbox(live_site):
    """The live site sends its mail to a real SMTP server for this test."""
    app, _base = live_site
    saved = {key: app.config.get(key) for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_SENDER")}
    with MailServer() as server:
        app.config.update(server.config())
        yield server
    app.config.update(saved)


def test_a_person_resets_their_password_from_the_mailed_link(page, live_site, mailbox, csp_errors):
    app, base = live_site
    with app.app_context():
        user = create_user("forgetful@example.org", "Fé Forgetful", OLD, username="forgetful")
        user.email_verified_at = utcnow()
        db.session.commit()

    page.goto(base + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page).to_have_url(re.compile(r"/password/reset$"))
    assert serious_violations(page) == []
    page.get_by_label("Your account's email").fill("forgetful@example.org")
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.locator(".flash")).to_contain_text("If an account uses that email")

    [received] = mailbox.wait_for(1)
    assert received.recipients == ["forgetful@example.org"]
    [link] = re.findall(r"http://\S+/password/reset/\S+", received.message.get_content())
    path = "/password/reset/" + link.rsplit("/password/reset/", 1)[1]

    page.goto(base + path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a new password")
    assert serious_violations(page) == []
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill("not the same")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.locator(".field-error")).to_contain_text("The two passwords differ")
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Set my new password").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    page.get_by_label("Username or email").fill("forgetful")
    page.get_by_label("Password").fill(NEW)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fé Forgetful")

    # The link worked once: now it says so, and offers a new one.
    page.goto(base + path)
    expect(page.get_by_role("alert")).to_contain_text("expired or was already used")
    assert csp_errors == []
