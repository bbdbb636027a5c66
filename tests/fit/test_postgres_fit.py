"""The fit finder and its alerts on PostgreSQL, the production database (marker `postgres`)."""

import os
import re

import pytest

from pioneer import create_app, search
from pioneer.database import db

from ..factories import make_project, make_user
from .conftest import ranked_slugs
from .corpus import build_corpus
from .test_ranking import CASES

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_fit_app(cluster, tmp_path, monkeypatch, request, mail_server):
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    database = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": cluster.create_database(database),
                      "CSRF_ENABLED": False, **mail_server.config()})
    assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0  # migrations, 0012 included
    with app.app_context():
        build_corpus()
    yield app
    with app.app_context():
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


def test_the_ranking_suite_and_an_alert_on_postgresql(pg_fit_app, mail_server):
    client = pg_fit_app.test_client()
    for name, case in CASES.items():
        slugs = ranked_slugs(client.get(f"/start?{case.query}").get_data(as_text=True))
        assert slugs[:len(case.first)] == case.first, (name, slugs)
        assert not set(case.never) & set(slugs), (name, slugs)
    with pg_fit_app.app_context():
        make_user("Ada", username="ada", email="ada@example.org")
        db.session.commit()
    assert client.post("/login", data={"login": "ada", "password": "correct horse battery staple"}).status_code == 302
    saved = client.post("/account/searches", data={"kind": "start", "query": "know=ocaml:concepts&time=2",
                                                   "frequency": "at_once", "name": "On PostgreSQL"})
    assert saved.status_code == 302
    with pg_fit_app.app_context():
        make_project("Fresh ocaml starter on PostgreSQL", stars=1, time_rating=2)
        db.session.commit()
    runner = pg_fit_app.test_cli_runner()
    assert "Alerts: 1 mail sent" in runner.invoke(args=["alerts", "send"]).stdout
    assert "Fresh ocaml starter on PostgreSQL" in mail_server.wait_for(1)[0].message.get_content()
    assert "Alerts: 0 mails sent" in runner.invoke(args=["alerts", "send"]).stdout
