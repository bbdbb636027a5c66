"""By keyboard alone, and on a phone: focus stays where the reader left it, no page scrolls sideways (issue 16)."""

import re

import pytest
from playwright.sync_api import expect

from pioneer.database import db
from pioneer.models import Role

from ..factories import DEFAULT_PASSWORD, make_user
from .conftest import serious_violations


def focused(page):
    """Describe the focused element as (tag, name, value, id)."""
    return page.evaluate("() => { const e = document.activeElement;"
                         " return [e.tagName.toLowerCase(), e.name || '', e.value || '', e.id]; }")


def tab_to(page, predicate, limit=120):
    """Press Tab until predicate(focused(page)) holds; fail after limit presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(focused(page)):
            return focused(page)
    raise AssertionError(f"Tab never reached the control; last focus {focused(page)}")


def test_by_keyboard_alone_a_star_filter_the_area_options_apply_and_the_first_result(page, live_server, csp_errors):
    page.goto(live_server + "/projects")
    tab_to(page, lambda element: element[:3] == ["input", "stars", "1"])
    page.keyboard.press("Space")
    # The filter applied itself (a reload), and focus is back on the box that was ticked.
    expect(page).to_have_url(re.compile(r"/projects\?stars=1$"))
    expect(page.locator('input[name="stars"][value="1"]')).to_be_focused()
    expect(page.locator('input[name="stars"][value="1"]')).to_be_checked()

    tab_to(page, lambda element: element[:2] == ["input", "area"])
    options = page.locator('input[name="area"]')
    assert options.count() >= 3
    url = page.url
    # Arrow keys walk through the area options without applying any of them.
    for index in range(1, 3):
        page.keyboard.press("ArrowDown")
        expect(options.nth(index)).to_be_focused()
        expect(options.nth(index)).to_be_checked()
        page.wait_for_timeout(300)
        assert page.url == url
    area = options.nth(2).get_attribute("value")

    # Enter on the chosen option applies the form (as its "Apply filters" button does).
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/projects\?stars=1&area={area}#results$"))
    # Applying takes focus to the results; the next Tab is the first result.
    expect(page.locator("#results")).to_be_focused()
    expect(page.locator("#results")).to_contain_text("Results:")
    page.keyboard.press("Tab")
    first = page.locator("article.project-row .project-title a").first
    expect(first).to_be_focused()
    for row in page.locator("article.project-row").all():
        expect(row.locator(".stars .visually-hidden")).to_have_text("1 of 5 stars")
    assert csp_errors == []


def test_arrows_choose_a_status_and_the_apply_button_takes_focus_to_the_results(page, live_server):
    page.goto(live_server + "/projects")
    tab_to(page, lambda element: element[:2] == ["input", "status"])
    page.keyboard.press("ArrowDown")
    expect(page.locator('input[name="status"]').nth(1)).to_be_checked()
    page.wait_for_timeout(300)
    assert "status=" not in page.url
    # The "Apply filters" button applies what the arrows chose; focus goes to the results.
    tab_to(page, lambda element: element[0] == "button" and page.evaluate(
        "() => document.activeElement.textContent") == "Apply filters", limit=400)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"status=\w+"))
    expect(page.locator("#results")).to_be_focused()


@pytest.fixture(scope="module")
def staff(live_site):
    """One account that is reviewer, coordinator and admin: it reaches every staff page."""
    app, _base = live_site
    with app.app_context():
        make_user("Zoë Ødegård-Staff", username="zoe-staff", roles=[Role.REVIEWER, Role.COORDINATOR, Role.ADMIN])
        db.session.commit()
    return "zoe-staff"


def sign_in(page, base, username):
    page.goto(base + "/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Account")).to_contain_text("Sign out")


def first_href(page, base, path, pattern):
    page.goto(base + path)
    for href in page.locator("main a").evaluate_all("links => links.map(link => link.getAttribute('href'))"):
        if href and re.fullmatch(pattern, href.split("?")[0]):
            return href
    raise AssertionError(f"no link like {pattern} on {path}")


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_pages_pass_axe_and_never_scroll_sideways(browser, live_server, staff, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, live_server, staff)
    paths = [
        "/review", "/review/gaps",
        first_href(page, live_server, "/review", r"/review/(?!gaps|import)[^/]+"),
        first_href(page, live_server, "/rounds", r"/rounds/(?!new)[^/]+"),
        first_href(page, live_server, "/calls", r"/calls/\d+"),
        "/admin/users", "/account", "/projects", "/projects/new",
    ]
    problems = {}
    for path in paths:
        page.goto(live_server + path)
        found = serious_violations(page)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if found or overflow > 0:
            problems[path] = (found, overflow)
    # The header keeps to two rows on a phone: its parts sit at no more than two heights.
    page.goto(live_server + "/review")
    rows = page.evaluate("""() => {
        const boxes = [...document.querySelectorAll('.header-inner > *')].map(part => part.getBoundingClientRect())
            .sort((a, b) => a.top - b.top);
        let rows = 0, bottom = -Infinity;
        for (const box of boxes) {
            if (box.top >= bottom - 1) { rows += 1; bottom = box.bottom; } else bottom = Math.max(bottom, box.bottom);
        }
        return rows;
    }""")
    context.close()
    assert problems == {}
    assert rows <= 2


def test_on_a_phone_the_account_links_fold_into_a_menu_that_opens_by_keyboard(browser, live_server, staff):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, staff)
    page.goto(live_server + "/review")
    admin = page.get_by_role("navigation", name="Account").get_by_role("link", name="Admin")
    expect(admin).to_be_hidden()
    page.locator(".account-menu > summary").focus()
    page.keyboard.press("Enter")
    expect(admin).to_be_visible()
    admin.click()
    expect(page).to_have_url(re.compile(r"/admin/users$"))
    context.close()


def test_on_a_phone_a_newcomer_sees_sign_in_and_register_with_nothing_covering_the_page(browser, live_server):
    """Signed out, the two links fit beside the search box: no menu to open. Before, the menu stayed open
    as a floating panel over the page's heading."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(live_server + "/projects?q=ocaml")
    account = page.get_by_role("navigation", name="Account")
    expect(account.get_by_role("link", name="Sign in")).to_be_visible()
    expect(account.get_by_role("link", name="Register")).to_be_visible()
    expect(page.locator(".account-menu > summary")).to_be_hidden()
    links = account.locator("ul").bounding_box()
    for part in (page.get_by_role("heading", level=1), page.locator(".result-count")):
        box = part.bounding_box()
        overlaps = not (links["x"] + links["width"] <= box["x"] or box["x"] + box["width"] <= links["x"]
                        or links["y"] + links["height"] <= box["y"] or box["y"] + box["height"] <= links["y"])
        assert not overlaps, (links, box)
    context.close()


def test_a_wide_table_scrolls_in_a_region_the_keyboard_reaches(browser, live_server, staff):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, staff)
    page.goto(live_server + "/review/gaps")
    region = page.get_by_role("region", name="Available projects by difficulty and area")
    expect(region).to_have_attribute("tabindex", "0")
    expect(page.locator(".scroll-cue").first).to_be_visible()
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")
    context.close()
