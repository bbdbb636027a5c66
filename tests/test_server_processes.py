"""Two real server processes on one database: the sign-in throttle and ended sessions hold across both."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pioneer import create_app, search
from pioneer.database import db

from .factories import DEFAULT_PASSWORD, make_user
from .web_client import Browser, free_port, isolate_environment, wait_until_up

ROOT = Path(__file__).parent.parent


@pytest.fixture
def servers(tmp_path, monkeypatch):
    """Two `flask run` processes sharing one instance folder (SQLite file, index, secret key)."""
    isolate_environment(monkeypatch, tmp_path)
    app = create_app()
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.app_context():
        make_user("Target Person", username="target")
        make_user("Other Person", username="other")
        db.session.commit()
        search.backend().close()
        db.engine.dispose()
    processes, urls, logs = [], [], []
    for number in range(2):
        port = free_port()
        logs.append(open(tmp_path / f"server-{number}.log", "w"))
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "pioneer", "run", "--host", "127.0.0.1", "--port", str(port),
             "--no-reload", "--no-debugger"],
            cwd=ROOT, env=os.environ | {"PIONEER_INSTANCE_PATH": str(tmp_path)},
            stdout=logs[-1], stderr=subprocess.STDOUT,
        ))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            wait_until_up(url)
        yield urls
    finally:
        for process, log in zip(processes, logs, strict=True):
            process.terminate()
            process.wait(timeout=10)
            log.close()


def test_the_throttle_counts_failures_from_both_processes(servers):
    first, second = servers
    browser = Browser()
    for attempt in range(10):
        url = servers[attempt % 2]
        status, _page, _headers = browser.post_form(f"{url}/login", f"{url}/login",
                                                    {"login": "target", "password": f"guess {attempt}"})
        assert status == 422
    for url in (first, second):
        status, page, headers = browser.post_form(f"{url}/login", f"{url}/login",
                                                  {"login": "target", "password": DEFAULT_PASSWORD})
        assert status == 429 and int(headers["Retry-After"]) > 0
        assert "Too many failed sign-ins" in page


def test_a_cookie_replayed_after_logout_on_the_other_process_is_refused(servers):
    first, second = servers
    browser = Browser()
    status, _page, _headers = browser.post_form(f"{first}/login", f"{first}/login",
                                                {"login": "other", "password": DEFAULT_PASSWORD})
    assert status == 302
    assert browser.request(f"{second}/account")[0] == 200
    copied = [(cookie.name, cookie.value) for cookie in browser.cookies]
    assert browser.post_form(f"{first}/account", f"{second}/logout", {})[0] == 302
    thief = Browser()
    for name, value in copied:
        thief.opener.addheaders = [("Cookie", f"{name}={value}")]
    for url in (first, second):
        status, _page, headers = thief.request(f"{url}/account")
        assert status == 302 and headers["Location"].startswith("/login")
