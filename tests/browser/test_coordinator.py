"""What a coordinator does, in a real browser: a round, an intern on a project, a call, invitations by mail."""

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from pioneer.database import db
from pioneer.models import Role

from ..factories import DEFAULT_PASSWORD, make_user
from ..smtp import MailServer
from .conftest import serious_violations


@pytest.fixture
def mail_to(live_site):
    """Point the live site's mail at a real SMTP server on loopback for one test."""
    app, _base = live_site
    with MailServer() as server:
        saved = {key: app.config.get(key) for key in server.config()}
        app.config.update(server.config())
        yield server
        app.config.update(saved)


def test_a_coordinator_runs_a_round_and_invites_its_interns_to_a_call(page, live_site, mail_to, csp_errors):
    app, base = live_site
    with app.app_context():
        make_user("Cleo Coordinator", username="cleo", roles=[Role.COORDINATOR])
        db.session.commit()
    page.goto(base + "/login")
    page.get_by_label("Username or email").fill("cleo")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rounds").click()
    page.get_by_role("link", name="Add a round").click()
    page.get_by_label("Name").fill("Outreachy June 2027")
    # The round runs now: an intern is active only within its round's dates.
    today = datetime.now(UTC).date()
    page.get_by_label("Starts on").fill((today - timedelta(days=30)).isoformat())
    page.get_by_label("Ends on").fill((today + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Add the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outreachy June 2027")
    assert serious_violations(page) == []

    # Two active interns on available demo projects with their mentors, and one applicant.
    slugs = []
    for name, status in (("Ada Intern", "active"), ("Bo Intern", "active"), ("Cy Applicant", "applicant")):
        page.goto(base + "/projects?status=available&sort=title")
        row = page.locator("article.project-row").nth(len(slugs))
        slug = row.locator(".project-title a").get_attribute("href").rsplit("/", 1)[1]
        mentor = row.locator(".who a").first.get_attribute("href").rsplit("/", 1)[1]
        slugs.append(slug)
        page.goto(base + "/rounds/outreachy-june-2027")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Email").fill(f"{name.split()[0].lower()}@example.org")
        page.get_by_label("Project", exact=True).fill(slug)
        page.get_by_label("Mentors").fill(mentor)
        page.get_by_label("Status").select_option(status)
        page.get_by_role("button", name="Add the intern").click()
        expect(page.locator(".flash")).to_contain_text(f"{name} is added")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls").click()
    page.get_by_role("link", name=re.compile("Schedule a call")).click()
    start = (datetime.now(UTC) + timedelta(days=7)).replace(hour=16, minute=0, second=0, microsecond=0)
    page.get_by_label("Title").fill("Interns' welcome call")
    page.get_by_label("Start", exact=True).fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where to join").fill("https://meet.example.org/welcome")
    page.get_by_role("button", name=re.compile("Schedule")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interns' welcome call")
    assert serious_violations(page) == []

    page.get_by_label("Group", exact=True).select_option("round:outreachy-june-2027:active-interns")
    page.get_by_role("button", name="Invite the group").click()
    mail_to.wait_for(2)
    assert sorted(item.recipients[0] for item in mail_to.messages) == ["ada@example.org", "bo@example.org"]
    for item in mail_to.messages:
        [attachment] = [part for part in item.message.iter_attachments() if part.get_content_type() == "text/calendar"]
        calendar = icalendar.Calendar.from_ical(attachment.get_content())
        [event] = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == start
    expect(page.locator("main")).to_contain_text("ada@example.org")

    # Inviting the group again finds nobody new: nobody is invited twice.
    page.get_by_label("Group", exact=True).select_option("round:outreachy-june-2027:active-interns")
    page.get_by_role("button", name="Invite the group").click()
    assert len(mail_to.messages) == 2

    page.goto(base + f"/projects/{slugs[0]}")
    expect(page.locator(".project-head .badge")).to_contain_text("in progress: Ada Intern, Outreachy June 2027")
    page.goto(base + "/rounds/outreachy-june-2027")
    expect(page.locator("main")).to_contain_text("invited to Interns' welcome call")
    assert csp_errors == []
