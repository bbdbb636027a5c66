"""What a reviewer does, in a real browser: open the queue, set the stars, approve; the catalogue shows it."""

import re

from playwright.sync_api import expect

from pioneer.database import db
from pioneer.models import ProjectStatus, Role

from ..factories import DEFAULT_PASSWORD, make_project, make_user
from .conftest import serious_violations


def test_a_reviewer_approves_a_proposal_after_setting_its_stars(page, live_site, csp_errors):
    app, base = live_site
    with app.app_context():
        make_user("Rhea Reviewer", username="rhea", roles=[Role.REVIEWER])
        mentor = make_user("Milo Mentor", username="milo")
        make_project("Lighthouse beacon parser", summary="Parse lighthouse beacons from a feed.",
                     status=ProjectStatus.PROPOSED, stars=None, time_rating=2, mentors=[mentor])
        db.session.commit()
    page.goto(base + "/login")
    page.get_by_label("Username or email").fill("rhea")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Review", exact=True).click()
    proposals = page.get_by_role("region", name=re.compile("^Proposals"))
    expect(proposals.get_by_role("link", name="Lighthouse beacon parser")).to_be_visible()
    assert serious_violations(page) == []
    proposals.get_by_role("link", name="Lighthouse beacon parser").click()

    # Approving without stars is refused beside the field; the reviewer sets them and approves.
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#stars-error")).to_have_text("Set the stars before approving.")
    assert serious_violations(page) == []
    page.get_by_label("Stars").select_option("1")
    page.get_by_label("Comment for the mentors").fill("A good first project.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".flash")).to_contain_text("Approved")
    expect(page.get_by_role("region", name=re.compile("^Proposals"))).not_to_contain_text("Lighthouse beacon parser")

    page.goto(base + "/projects?stars=1")
    expect(page.get_by_role("link", name="Lighthouse beacon parser")).to_be_visible()
    page.goto(base + "/projects?q=lighthouse+beacons")
    page.get_by_role("link", name="Lighthouse beacon parser").click()
    expect(page.locator(".project-head .badge")).to_contain_text("available")
    expect(page.locator(".history")).to_contain_text("Approved by Rhea Reviewer")
    expect(page.locator(".history")).to_contain_text("proposed → available")
    expect(page.locator(".history")).to_contain_text("A good first project.")
    assert csp_errors == []


IDEAS_PAGE = """# Summer ideas

How to apply: write to the list.

## Storage

### Block device fuzzing harness (3-star)

Feed random block requests to the storage layer and check that what was written reads back.

Mentors: Milo Mentor
Time: a few weeks
Skills: ocaml (comfortable)

### Checksums for the key-value store

Store a checksum with every value and refuse to return a value whose checksum does not match.

Mentors: Milo Mentor
Time: a week
"""


def test_a_reviewer_imports_a_pasted_ideas_page_into_the_review_queue(page, live_site, csp_errors):
    app, base = live_site
    with app.app_context():
        make_user("Ivy Importer", username="ivy", roles=[Role.REVIEWER])
        db.session.commit()
    page.goto(base + "/login")
    page.get_by_label("Username or email").fill("ivy")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(base + "/review")
    page.get_by_role("link", name="Import an ideas page").click()
    assert serious_violations(page) == []
    page.get_by_label("The page, as Markdown").fill(IDEAS_PAGE)
    page.get_by_role("button", name="See what would be imported").click()
    preview = page.get_by_role("table")
    expect(preview).to_contain_text("Block device fuzzing harness")
    expect(preview).to_contain_text("Checksums for the key-value store")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Import 2 projects into the review queue").click()
    expect(page.locator(".flash")).to_contain_text("New projects wait in the review queue")
    proposals = page.get_by_role("region", name=re.compile("^Proposals"))
    expect(proposals.get_by_role("link", name="Block device fuzzing harness")).to_be_visible()
    assert csp_errors == []
