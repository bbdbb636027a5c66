"""What a newcomer does, in a real browser: look around, filter to 1-star projects, open one."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import serious_violations


def test_newcomer_filters_to_one_star_projects_and_opens_one(page, live_server):
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a first project")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    expect(page).to_have_url(re.compile(r"/projects$"))

    # Ticking a box applies the filter at once (script); the URL says what is shown.
    page.locator('input[name="stars"][value="1"]').check()
    expect(page).to_have_url(re.compile(r"/projects\?stars=1$"))
    rows = page.locator("article.project-row")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 10
    for index in range(rows.count()):
        expect(rows.nth(index).locator(".stars .visually-hidden")).to_have_text("1 of 5 stars")

    title = rows.first.locator(".project-title a").inner_text()
    rows.first.locator(".project-title a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".ratings-large")).to_contain_text("1 of 5 stars")
    expect(page.get_by_role("heading", name="Who helps")).to_be_visible()


def test_filters_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/projects")
    page.locator('input[name="stars"][value="1"]').check()
    page.locator('input[name="time"][value="1"]').check()
    page.get_by_role("button", name="Apply filters").click()
    assert "stars=1" in page.url and "time=1" in page.url
    rows = page.locator("article.project-row")
    assert rows.count() >= 1
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text("1 of 5 stars")
        expect(rows.nth(index)).to_contain_text("a day")
    context.close()


def test_removing_a_chip_removes_its_filter(page, live_server):
    page.goto(live_server + "/projects?stars=1&time=2")
    page.get_by_role("list", name="Selected filters").get_by_role("link").filter(has_text="a week").click()
    expect(page).to_have_url(re.compile(r"/projects\?stars=1$"))


@pytest.mark.parametrize("path", ["/", "/projects?stars=1", "/projects/ntp-client-for-unikernels", "/mentors",
                                  "/mentors/kmorrow", "/no-such-page"])
@pytest.mark.parametrize("width", [1280, 390])
def test_pages_have_no_serious_accessibility_violations(browser, live_server, path, width):
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(live_server + path)
        assert serious_violations(page) == [], (path, width, scheme)
        context.close()


def test_on_a_phone_the_filters_fold_above_the_results(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/projects?stars=1")
    facets, results = page.locator(".facets").bounding_box(), page.locator(".results").bounding_box()
    assert facets["y"] + facets["height"] <= results["y"]
    assert facets["width"] <= 390 and results["width"] <= 390
    # Facets without a ticked value start folded so the results come into view.
    expect(page.locator("details.facet").filter(has_text="Time")).not_to_have_attribute("open", "")
    expect(page.locator("details.facet").filter(has_text="Difficulty")).to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_keyboard_reaches_the_search_box_and_the_skip_link(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.get_by_role("search").first.get_by_role("searchbox").focus()
    page.keyboard.type("ntp")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/projects\?q=ntp"))
    expect(page.locator("article.project-row").first).to_contain_text("NTP")
