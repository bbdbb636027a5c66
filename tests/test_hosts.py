"""Several web hosts, one catalogue: two server processes with their own instance folders share one
PostgreSQL database and search it with the PostgreSQL backend (docs/search.md, "One host or several").

A project approved through one host is found on the other on its next request; a session opened on
one is honoured by the other; sign-in failures on both add up; the other host's cached facet counts
follow the change.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.models import ProjectStatus, Role

from .conftest import unique_database
from .factories import DEFAULT_PASSWORD, make_project, make_user
from .test_review_concurrency import decision_form, signed_in
from .web_client import Browser, free_port, isolate_environment, wait_until_up

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).parent.parent
SECRET = "two-hosts-share-this-secret-key-0123456789"


@pytest.fixture
def hosts(cluster, tmp_path, monkeypatch):
    """Two `flask run` processes, each with an instance folder of its own, on one PostgreSQL database."""
    isolate_environment(monkeypatch, tmp_path / "setup")
    shared = {"PIONEER_SQLALCHEMY_DATABASE_URI": unique_database(cluster), "PIONEER_SEARCH_BACKEND": "postgres",
              "PIONEER_SECRET_KEY": SECRET}
    for name, value in shared.items():
        monkeypatch.setenv(name, value)
    app = create_app()
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    with app.app_context():
        make_user("Ana Approver", username="ana", roles=[Role.REVIEWER])
        make_user("Target Person", username="target")
        make_project("Quetzal telemetry exporter", status=ProjectStatus.PROPOSED, stars=None, time_rating=None,
                     summary="Export quetzal sightings as OpenTelemetry metrics.", skills=("ocaml", "opentelemetry"))
        make_project("Heron log shipper", stars=2, time_rating=2, skills=("ocaml",))
        db.session.commit()
        search.backend().close()
        db.engine.dispose()
    processes, urls, logs = [], [], []
    for number in range(2):
        port = free_port()
        instance = tmp_path / f"host-{number}"
        instance.mkdir()
        logs.append(open(tmp_path / f"host-{number}.log", "w"))
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "pioneer", "run", "--host", "127.0.0.1", "--port", str(port),
             "--no-reload", "--no-debugger"],
            cwd=ROOT, env=os.environ | {"PIONEER_INSTANCE_PATH": str(instance)},
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
    # Neither host made a search folder: the index is the database's.
    assert not any((tmp_path / f"host-{number}" / "index").exists() for number in range(2))


def listed(page):
    return re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"', page)


def ocaml_count(page):
    """The number beside the "ocaml" skill facet of a listing page."""
    return int(re.search(r'name="skill" value="ocaml"[^>]*>.*?\((\d+)\)', page, re.S).group(1))


def test_a_project_approved_on_one_host_is_found_on_the_other(hosts):
    first, second = hosts
    visitor = Browser()
    assert listed(visitor.request(f"{second}/projects?q=quetzal")[1]) == []
    before = visitor.request(f"{second}/projects")[1]  # the second host caches its counts now
    assert ocaml_count(before) == 1
    reviewer = signed_in(first, "ana")
    url = f"{first}/review/quetzal-telemetry-exporter"
    status, _page, _headers = reviewer.request(url, decision_form(reviewer, url) | {"action": "approve"})
    assert status == 302
    # The next request to the other host finds it, highlighted, and its counts moved on too.
    status, page, _headers = visitor.request(f"{second}/projects?q=quetzal+telemetry")
    assert status == 200 and listed(page) == ["quetzal-telemetry-exporter"]
    assert re.search(r"<mark>[Qq]uetzal</mark>", page)
    assert listed(visitor.request(f"{second}/projects?q=opentelemetry")[1]) == ["quetzal-telemetry-exporter"]
    assert ocaml_count(visitor.request(f"{second}/projects")[1]) == 2
    for host in hosts:
        status, body, _headers = visitor.request(f"{host}/healthz")
        assert status == 200 and '"search": "ok"' in body.replace('"search":"ok"', '"search": "ok"')


def test_a_session_opened_on_one_host_holds_on_the_other_and_ends_on_both(hosts):
    first, second = hosts
    reviewer = signed_in(first, "ana")
    status, page, _headers = reviewer.request(f"{second}/account")
    assert status == 200 and "Ana Approver" in page
    status, _page, _headers = reviewer.post_form(f"{second}/account", f"{second}/logout", {})
    assert status == 302
    for host in hosts:
        status, _page, headers = reviewer.request(f"{host}/account")
        assert status == 302 and "/login" in headers["Location"]


def test_sign_in_failures_on_both_hosts_add_up(hosts):
    browser = Browser()
    for attempt in range(10):
        url = hosts[attempt % 2]
        status, _page, _headers = browser.post_form(f"{url}/login", f"{url}/login",
                                                    {"login": "target", "password": f"guess {attempt}"})
        assert status == 422
    for url in hosts:
        status, _page, headers = browser.post_form(f"{url}/login", f"{url}/login",
                                                   {"login": "target", "password": DEFAULT_PASSWORD})
        assert status == 429 and int(headers["Retry-After"]) > 0
