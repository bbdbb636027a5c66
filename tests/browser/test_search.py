"""Searching in a real browser: highlighted results and a "Did you mean" link that works."""

import re

from playwright.sync_api import expect

from .conftest import serious_violations


def test_search_highlights_words_and_corrects_spelling(page, live_server):
    page.goto(live_server + "/")
    page.get_by_role("searchbox", name="What do you know, or want to learn?").fill("fuzing")
    page.get_by_role("searchbox", name="What do you know, or want to learn?").press("Enter")
    expect(page).to_have_url(re.compile(r"/projects\?q=fuzing$"))
    suggestion = page.locator(".suggestion").get_by_role("link", name="fuzzing", exact=True)
    expect(suggestion).to_be_visible()
    suggestion.click()
    expect(page).to_have_url(re.compile(r"/projects\?q=fuzzing$"))
    expect(page.locator(".result-count")).to_contain_text("match “fuzzing”")
    marks = page.locator("article.project-row mark")
    expect(marks.first).to_be_visible()
    assert marks.first.inner_text().lower().startswith("fuzz")
    assert page.locator("article.project-row").first.locator(".project-title").inner_text().lower().count("fuzz")
    assert serious_violations(page) == []


def test_search_with_a_filter_keeps_both(page, live_server):
    page.goto(live_server + "/projects?q=dns")
    page.locator('input[name="stars"][value="2"]').check()
    expect(page).to_have_url(re.compile(r"q=dns"))
    expect(page).to_have_url(re.compile(r"stars=2"))
    rows = page.locator("article.project-row")
    for index in range(rows.count()):
        expect(rows.nth(index)).to_contain_text("2 of 5 stars")
