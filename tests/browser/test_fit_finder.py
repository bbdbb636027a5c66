"""The fit finder in a real browser: a newcomer says what they know and their time, reads why, and claims."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import serious_violations

PASSWORD = "a little ocaml goes far"


def register(page, live_server, username, name):
    page.goto(live_server + "/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(r"/register/sent$"))


def test_a_newcomer_with_a_little_ocaml_and_a_week_finds_ranked_explained_projects_and_claims_the_first(
        page, live_server, csp_errors):
    register(page, live_server, "noor", "Noor Newcomer")
    page.goto(live_server + "/")
    page.get_by_role("link", name="Find projects that fit you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find projects that fit you")

    page.get_by_label("Skill 1", exact=True).fill("ocaml")
    page.get_by_label("How well you know skill 1").select_option(label="a little (the concepts)")
    page.get_by_label("The most time you have").select_option(label="a week (up to 40 hours)")
    page.get_by_label("I have never contributed to this community before").check()
    page.get_by_role("button", name="Find projects that fit").click()

    # The answers live in a short URL to share.
    expect(page).to_have_url(re.compile(r"/start\?know=ocaml%3Aconcepts&time=2&first=1$"))
    results = page.locator("ol.fit-results > li")
    expect(results.first).to_be_visible()
    assert results.count() >= 3
    first = results.first
    expect(first.locator(".fit-reasons")).to_contain_text("you know the required skill (ocaml)")
    expect(first.locator(".fit-reasons")).to_contain_text("within your time")
    expect(first.locator(".stars .visually-hidden")).to_have_text("1 of 5 stars")
    for index in range(results.count()):
        expect(results.nth(index).locator(".fit-reasons li").first).to_be_visible()
        href = results.nth(index).locator(".project-title a").get_attribute("href")
        assert re.fullmatch(r"/projects/[a-z0-9-]+", href), href

    title = first.locator(".project-title a").inner_text()
    first.locator(".project-title a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_role("link", name="I want to work on this").click()
    page.get_by_role("button", name="I am working on this").click()
    expect(page.locator(".project-head .badge")).to_contain_text("in progress")
    expect(page.get_by_role("region", name="Who works on it")).to_contain_text("Noor Newcomer")

    # Back to the results: keep the search, with an email as soon as a new project fits.
    page.go_back()
    page.go_back()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/start\?"))
    page.get_by_label("Name", exact=True).fill("A little OCaml, a week")
    page.get_by_role("button", name="Save this search").click()
    expect(page.locator(".flash")).to_contain_text("an email as soon as one appears")
    page.goto(live_server + "/account")
    expect(page.get_by_role("region", name="Your saved searches")).to_contain_text("A little OCaml, a week")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert serious_violations(page) == [], width
    assert csp_errors == []


def test_the_form_works_without_javascript_and_the_search_can_be_kept(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    register(page, live_server, "nojs", "Nadim Noscript")
    page.goto(live_server + "/start")
    page.get_by_label("Skill 1", exact=True).fill("ocaml")
    page.get_by_label("Skill 2", exact=True).fill("testing")
    page.get_by_label("How well you know skill 2").select_option("concepts")
    page.get_by_label("or in hours").fill("30")
    page.get_by_label("What you want to learn").fill("fuzzing, dns")
    page.get_by_role("button", name="Find projects that fit").click()
    assert page.url.endswith("/start?know=ocaml%3Asome&know=testing%3Aconcepts&hours=30&learn=fuzzing&learn=dns")
    expect(page.locator("ol.fit-results > li").first).to_be_visible()
    page.get_by_label("Name", exact=True).fill("OCaml, 30 hours")
    page.get_by_label("Email me about new projects it finds").select_option("weekly")
    page.get_by_role("button", name="Save this search").click()
    expect(page.locator(".flash")).to_contain_text("Search “OCaml, 30 hours” saved: a weekly digest.")
    page.goto(live_server + "/account")
    expect(page.get_by_role("link", name="OCaml, 30 hours")).to_have_attribute(
        "href", "/start?know=ocaml%3Asome&know=testing%3Aconcepts&hours=30&learn=fuzzing&learn=dns")
    context.close()


@pytest.mark.parametrize("path", ["/start", "/start?know=ocaml:concepts&time=2&first=1&stars=1",
                                  "/start?know=cobol:comfortable&time=1"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_fit_finder_has_no_serious_accessibility_violations(browser, live_server, path, width):
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(live_server + path)
        assert serious_violations(page) == [], (path, width, scheme)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()
