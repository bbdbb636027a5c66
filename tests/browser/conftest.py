"""Browser harness: a live server on a free loopback port, and Playwright driving Debian's Chromium."""

import os
import shutil

import pytest

from pioneer import create_app
from pioneer.database import db
from pioneer.provision import build_index_if_missing

from ..web_client import serving

CHROMIUM = os.environ.get("PIONEER_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium; only outside CI may its absence skip the browser tests."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Chromium for the browser tests, and {CHROMIUM} is missing")
        pytest.skip("no Chromium installed (apt-get install chromium); CI runs these tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        playwright.selectors.set_test_id_attribute("data-test")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """Serve an app loaded with the demo catalogue on 127.0.0.1 and a free port; yield (app, base URL)."""
    instance = tmp_path_factory.mktemp("live-instance")
    saved = os.environ.get("PIONEER_INSTANCE_PATH")
    os.environ["PIONEER_INSTANCE_PATH"] = str(instance)
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "browser-tests-secret-key-0123456789"})
    finally:
        if saved is None:
            os.environ.pop("PIONEER_INSTANCE_PATH")
        else:
            os.environ["PIONEER_INSTANCE_PATH"] = saved
    with app.app_context():
        db.create_all()
        build_index_if_missing()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with serving(app) as base:
        yield app, base


@pytest.fixture(scope="module")
def live_server(live_site):
    return live_site[1]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def csp_errors(page):
    """Collect every Content-Security-Policy complaint the browser reports."""
    errors = []
    page.on("console",
            lambda message: errors.append(message.text) if "Content Security Policy" in message.text else None)
    return errors


def serious_violations(page):
    """Run axe-core on the page; return its serious and critical violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
