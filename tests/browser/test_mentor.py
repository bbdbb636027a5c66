"""What a new mentor does, in a real browser: register, propose a project with a preview, submit it."""

import re

from playwright.sync_api import expect

from .conftest import serious_violations

PASSWORD = "unikernel clocks drift slowly"


def register(page, live_server, username):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Register").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Display name").fill("Nadia Mentor")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Create my account").click()
    # The same answer whether the email was free or taken; a new account is signed in at once.
    expect(page).to_have_url(re.compile(r"/register/sent$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")
    assert serious_violations(page) == []
    page.goto(live_server + "/account")


def test_a_newcomer_registers_proposes_with_a_preview_saves_a_draft_and_submits(page, live_server, browser, csp_errors):
    register(page, live_server, "nadia")
    page.get_by_role("link", name="Propose a project", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a project")

    # A first try without a title keeps what was typed and says what is missing, beside the field.
    page.get_by_label("Summary").fill("Keep a unikernel's clock in step.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#title-error")).to_have_text("This field is required.")
    expect(page.get_by_label("Summary")).to_have_value("Keep a unikernel's clock in step.")
    expect(page.get_by_label("Title")).to_be_focused()
    assert serious_violations(page) == []

    page.get_by_label("Title").fill("Clock drift monitor")
    page.get_by_label("Description").fill(
        "Measure **drift** against [NTP](https://www.ntp.org/).\n\n<img src=x onerror=alert(1)>")
    page.get_by_role("button", name="Preview the description").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview.locator("strong")).to_have_text("drift")
    expect(preview.get_by_role("link", name="NTP")).to_have_attribute("href", "https://www.ntp.org/")
    expect(preview).to_contain_text("<img src=x onerror=alert(1)>")
    assert preview.locator("img").count() == 0

    page.locator('input[name="stars"][value="1"]').check()
    page.get_by_label("a week (up to 40 hours)").check()
    page.get_by_label("Area").select_option(label="Networking")
    page.locator("#skills-0-name").fill("ocaml")
    page.locator("#skills-0-level").select_option(label="some experience")
    page.get_by_role("button", name="Add a skill").click()
    page.locator("#skills-1-name").fill("udp")
    page.locator("#skills-1-required").select_option(label="nice to have")
    expect(page.get_by_label("Title")).to_have_value("Clock drift monitor")
    page.get_by_role("button", name="Save draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Clock drift monitor")
    expect(page.locator(".flash")).to_contain_text("Draft saved")
    expect(page.locator(".project-head .badge")).to_have_text("draft")
    expect(page.locator(".skill-list")).to_contain_text("ocaml")
    expect(page.locator(".skill-list")).to_contain_text("nice to have")
    slug_url = page.url

    page.get_by_role("link", name="Edit this project").click()
    expect(page.locator("#skills-1-name")).to_have_value("udp")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".project-head .badge")).to_have_text("proposed")
    expect(page.locator(".history")).to_contain_text("draft → proposed")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Nadia Mentor").click()
    proposed = page.get_by_role("heading", name=re.compile("^Proposed"))
    expect(proposed).to_be_visible()
    expect(page.locator(".dashboard-rows").first).to_contain_text("Clock drift monitor")
    assert serious_violations(page) == []

    # The public sees nothing of it: not the page, not the listing, not search.
    stranger = browser.new_context().new_page()
    assert stranger.goto(slug_url).status == 404
    stranger.goto(live_server + "/projects?q=drift+monitor")
    expect(stranger.locator("main")).not_to_contain_text("Clock drift monitor")
    stranger.context.close()
    assert csp_errors == []


def test_a_newcomer_claims_a_project_then_lets_it_go(page, live_server, csp_errors):
    register(page, live_server, "claire")
    page.goto(live_server + "/projects?stars=1&status=available")
    page.locator("article.project-row .project-title a").first.click()
    title = page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="I want to work on this").click()
    assert serious_violations(page) == []
    page.get_by_label("A note for the mentors").fill("Starting this weekend.")
    page.get_by_role("button", name="I am working on this").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".project-head .badge")).to_contain_text("in progress")
    expect(page.get_by_role("region", name="Who works on it")).to_contain_text("Nadia Mentor")
    page.get_by_role("link", name="Update or release your claim").click()
    page.get_by_role("button", name="Release the project").click()
    expect(page.locator(".project-head .badge")).to_contain_text("available")
    assert csp_errors == []


def test_the_form_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Username or email").fill("nobody")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".field-error")).to_contain_text("do not match an account")
    context.close()
