"""Two reviewers deciding on one project at the same moment: exactly one decision wins.

SQLite here; PostgreSQL in test_postgres.
"""

import re
import threading

import pytest

from pioneer import create_app
from pioneer.database import db
from pioneer.models import Project, ProjectStatus, ReviewEvent, Role
from pioneer.provision import build_index_if_missing

from .factories import DEFAULT_PASSWORD, make_project, make_user
from .web_client import Browser, isolate_environment, serving

ROUNDS = 8


@pytest.fixture
def live(tmp_path, monkeypatch):
    """A threaded server over an SQLite file, CSRF on, as production runs it."""
    isolate_environment(monkeypatch, tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "concurrency-secret-key-0123456789"})
    with app.app_context():
        db.create_all()
        build_index_if_missing()
    add_contested_projects(app)
    with serving(app) as base:
        yield app, base


def signed_in(base, username):
    browser = Browser()
    status, _page, _headers = browser.post_form(f"{base}/login", f"{base}/login",
                                                {"login": username, "password": DEFAULT_PASSWORD})
    assert status == 302
    return browser


def decision_form(browser, url):
    """Load the decision page as the reviewer sees it: its token and the status it shows."""
    _status, page, _headers = browser.request(url)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    expected = re.search(r'name="expected_status" type="hidden" value="([^"]+)"', page).group(1)
    return {"csrf_token": token, "expected_status": expected, "stars": "1", "time_rating": "1"}


def add_contested_projects(app, rounds=ROUNDS):
    """Two reviewers and `rounds` proposals for them to decide on at once."""
    with app.app_context():
        make_user("Ana Approver", username="ana", roles=[Role.REVIEWER])
        make_user("Rex Rejecter", username="rex", roles=[Role.REVIEWER])
        for number in range(rounds):
            make_project(f"Contested {number}", status=ProjectStatus.PROPOSED)
        db.session.commit()


def race_decisions(app, base, rounds=ROUNDS):
    """Have both reviewers decide on each project at the same moment; check exactly one wins each time."""
    ana, rex = signed_in(base, "ana"), signed_in(base, "rex")
    for number in range(rounds):
        url = f"{base}/review/contested-{number}"
        # Rejecting stays allowed after changes were requested, so only the check of the status the
        # reviewer saw (not the transition table) can stop the second decision in one of the orders.
        forms = {"ana": decision_form(ana, url) | {"action": "request_changes", "comment": "Say what done means."},
                 "rex": decision_form(rex, url) | {"action": "reject", "comment": "Out of scope."}}
        results, start = {}, threading.Barrier(2)

        def decide(name, browser, url=url, forms=forms, results=results, start=start):
            start.wait()
            results[name] = browser.request(url, forms[name])

        threads = [threading.Thread(target=decide, args=(name, browser))
                   for name, browser in (("ana", ana), ("rex", rex))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        statuses = sorted(status for status, _page, _headers in results.values())
        assert statuses == [302, 409], statuses
        loser = next(name for name, (status, _page, _headers) in results.items() if status == 409)
        winner_name = {"ana": "Rex Rejecter", "rex": "Ana Approver"}[loser]
        assert f"While you were deciding, {winner_name} chose" in results[loser][1]
        with app.app_context():
            project = db.session.execute(db.select(Project).filter_by(slug=f"contested-{number}")).scalar_one()
            events = db.session.execute(db.select(ReviewEvent).filter_by(project_id=project.id)).scalars().all()
            assert len(events) == 1
            assert project.status is (ProjectStatus.REJECTED if loser == "ana" else ProjectStatus.CHANGES_REQUESTED)


def test_two_simultaneous_decisions_one_wins_and_the_other_is_told(live):
    race_decisions(*live)
