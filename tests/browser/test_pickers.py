"""A coordinator adds interns without typing an address name: suggestions as they type, or "did you mean"."""

import pytest
from playwright.sync_api import expect

from pioneer.database import db
from pioneer.models import Role

from ..factories import make_user
from .conftest import serious_violations
from .test_keyboard import sign_in


@pytest.fixture(scope="module")
def coordinator(live_site):
    app, _base = live_site
    with app.app_context():
        make_user("Cléo Coordinatrice", username="cleo-picks", roles=[Role.COORDINATOR])
        db.session.commit()
    return "cleo-picks"


def a_project_and_its_mentor(page, base, index):
    """The title of an available demo project (by title) and its first mentor's name."""
    page.goto(base + "/projects?status=available&sort=title")
    row = page.locator("article.project-row").nth(index)
    return row.locator(".project-title a").inner_text(), row.locator(".who a").first.inner_text()


def round_url(page, base):
    page.goto(base + "/rounds")
    return base + page.locator("main table a").first.get_attribute("href")


def suggestion_for(page, list_id, name):
    """Wait for the datalist to offer name ("Name (key)", maybe after other entries); return that option."""
    page.wait_for_function(
        "([id, name]) => [...document.getElementById(id).options].some(o => o.value.split(', ').pop()"
        ".startsWith(name + ' ('))", arg=[list_id, name])
    return page.evaluate(
        "([id, name]) => [...document.getElementById(id).options].map(o => o.value)"
        ".find(value => value.split(', ').pop().startsWith(name + ' ('))", [list_id, name])


def fill_intern(page, name, email):
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email").fill(email)


def test_typing_part_of_a_title_and_a_name_offers_suggestions_to_pick(page, live_server, coordinator, csp_errors):
    sign_in(page, live_server, coordinator)
    title, mentor = a_project_and_its_mentor(page, live_server, 3)
    page.goto(round_url(page, live_server))
    fill_intern(page, "Ngozi Ọkọnkwọ", "ngozi@example.org")
    project = page.get_by_label("Project", exact=True)
    project.press_sequentially(title[:10].lower(), delay=40)
    # Picking a suggestion puts its whole text in the field.
    project.fill(suggestion_for(page, "project-options", title))
    mentors = page.get_by_label("Mentors")
    mentors.press_sequentially(mentor[:5], delay=40)
    mentors.fill(suggestion_for(page, "mentor-options", mentor))
    page.get_by_label("Status").select_option("applicant")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Add the intern").click()
    expect(page.locator(".flash")).to_contain_text("Ngozi Ọkọnkwọ is added")
    expect(page.locator("main table")).to_contain_text(title)
    assert csp_errors == []


def test_without_javascript_a_typo_answers_did_you_mean_and_its_suggestion_adds_the_intern(
        browser, live_server, coordinator):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, coordinator)
    title, mentor = a_project_and_its_mentor(page, live_server, 5)
    page.goto(round_url(page, live_server))
    fill_intern(page, "Ōtani Shōhei", "otani@example.org")
    # A typo in the title (two letters swapped), and the mentor's name in lower case.
    typo = title[:3] + title[4] + title[3] + title[5:]
    page.get_by_label("Project", exact=True).fill(typo)
    page.get_by_label("Mentors").fill(mentor.lower())
    page.get_by_label("Status").select_option("applicant")
    page.get_by_role("button", name="Add the intern").click()
    expect(page.locator(".field-error").first).to_contain_text(f"No public project matches “{typo}”. Did you mean")
    expect(page.locator(".form-problems")).to_contain_text("Project")
    # What was typed is kept; the datalist (no script needed) holds the suggestion to pick.
    expect(page.get_by_label("Project", exact=True)).to_have_value(typo)
    page.get_by_label("Project", exact=True).fill(suggestion_for(page, "project-options", title))
    page.get_by_role("button", name="Add the intern").click()
    expect(page.locator(".flash")).to_contain_text("Ōtani Shōhei is added")
    expect(page.locator("main table")).to_contain_text(title)
    context.close()
