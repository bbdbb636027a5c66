"""The same catalogue on PostgreSQL, the production database: migrations, import and listing."""

import os
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pioneer import create_app, search
from pioneer.database import db, on_this_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(cluster, tmp_path, monkeypatch, request):
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    database = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": cluster.create_database(database)})
    yield app
    with app.app_context():
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


def test_migrations_build_the_models_schema_on_postgresql(pg_app):
    runner = pg_app.test_cli_runner()
    assert "Database created." in runner.invoke(args=["init"]).output
    with pg_app.app_context(), db.engine.connect() as connection:
        from pioneer.search.pg_schema import include_object, installed

        here = on_this_database("postgresql")
        context = MigrationContext.configure(
            connection, opts={"include_object": lambda *item: include_object(*item) and here(*item)})
        assert compare_metadata(context, db.metadata) == []
        assert installed(connection) == []


def test_demo_and_listing_work_on_postgresql(pg_app):
    runner = pg_app.test_cli_runner()
    runner.invoke(args=["init"])
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "(0 new, 0 updated, 52 unchanged)" in runner.invoke(args=["demo"]).output
    client = pg_app.test_client()
    html = client.get("/projects?stars=1&time=1").get_data(as_text=True)
    slugs = re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"', html)
    assert slugs and all("1 of 5 stars" in client.get(f"/projects/{slug}").get_data(as_text=True) for slug in slugs)
    count = int(re.search(r'name="stars" value="1"[^>]*>.*?\((\d+)\)', html, re.S).group(1))
    assert count == len(slugs)
    for path in ("/", "/projects?sort=stars", "/projects?skill=ocaml&area=networking", "/mentors",
                 "/mentors/kmorrow", "/projects/ntp-client-for-unikernels", "/healthz"):
        assert client.get(path).status_code == 200, path
    # Open data on the same database: the API lists what the page lists, and its counts add up.
    api = client.get("/api/v1/projects?stars=1&time=1&per_page=100").get_json()
    assert [project["slug"] for project in api["projects"]] == slugs and api["total"] == len(slugs)
    areas = client.get("/api/v1/areas").get_json()["areas"]
    total = client.get("/api/v1/projects").get_json()["total"]
    # Every public project is in at most one area.
    assert 0 < sum(area["projects"] for area in areas) <= total
    for area in areas:
        assert client.get(f"/api/v1/projects?area={area['slug']}").get_json()["total"] == area["projects"]
    assert client.get("/api/v1/skills").get_json()["skills"][0]["projects"] > 0
    for path in ("/api/v1/mentors", "/api/v1/mentors/kmorrow", "/api/v1/rounds", "/api/v1/calls",
                 "/feeds/projects.atom?stars=1", "/embed/projects?stars=1", "/downloads/projects.csv?q=ocaml"):
        assert client.get(path).status_code == 200, path


def test_simultaneous_decisions_and_the_shared_throttle_on_postgresql(pg_app):
    """Row locks (FOR UPDATE) make one of two decisions wait and lose; failures count in the database."""
    from .test_review_concurrency import add_contested_projects, race_decisions
    from .web_client import Browser, serving

    pg_app.test_cli_runner().invoke(args=["init"])
    add_contested_projects(pg_app, rounds=4)
    with serving(pg_app) as base:
        race_decisions(pg_app, base, rounds=4)
        browser = Browser()
        for attempt in range(10):
            status, _page, _headers = browser.post_form(f"{base}/login", f"{base}/login",
                                                        {"login": "ana", "password": f"guess {attempt}"})
            assert status == 422
        status, _page, headers = browser.post_form(f"{base}/login", f"{base}/login",
                                                   {"login": "ana", "password": "correct horse battery staple"})
        assert status == 429 and int(headers["Retry-After"]) > 0


def _rows_thrown_away(plan):
    """Rows the plan's nodes read and filtered out, over the whole tree (EXPLAIN ... FORMAT JSON)."""
    return plan.get("Rows Removed by Filter", 0) + sum(_rows_thrown_away(child) for child in plan.get("Plans", []))


def test_newest_first_pages_do_not_read_every_unapproved_project_first(pg_app):
    """A descending walk of approved_at meets NULLs first on PostgreSQL: unapproved projects came before
    the first public one, 25 ms for the home page at 100,000 projects (migration 0014)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import event

    from pioneer.models import Project, ProjectStatus

    assert pg_app.test_cli_runner().invoke(args=["init"]).exit_code == 0
    now = datetime.now(UTC)
    with pg_app.app_context():
        rows = [{"slug": f"proposal-{i}", "title": f"Proposal {i}", "status": ProjectStatus.PROPOSED,
                 "approved_at": None} for i in range(3000)]
        rows += [{"slug": f"open-{i}", "title": f"Open {i}", "status": ProjectStatus.AVAILABLE, "stars": 1 + i % 5,
                  "time_rating": 1 + i % 3, "approved_at": now - timedelta(hours=i)} for i in range(60)]
        db.session.execute(db.insert(Project), [
            {"summary": "s", "description": "d", "outcomes": "o", "needs_review": False,
             "allow_multiple_claims": False, "created_at": now, "updated_at": now} | row for row in rows])
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE projects")

    client = pg_app.test_client()
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT") and "FROM projects" in statement:
            statements.append((statement, parameters))

    newest = {"/": "Open 0<", "/projects": "Open 0<", "/projects?stars=1": "Open 0<",
              "/projects?stars=2&time=2": "Open 1<", "/feeds/projects.atom": "Open 0<"}
    for path, title in newest.items():
        first = client.get(path)  # the counts are cached per catalogue version: time what every request runs
        assert first.status_code == 200
        with pg_app.app_context():
            event.listen(db.engine, "before_cursor_execute", record)
            statements.clear()
            page = client.get(path)
            event.remove(db.engine, "before_cursor_execute", record)
            assert page.status_code == 200 and title in page.text, path
            with db.engine.connect() as connection:
                for statement, parameters in statements:
                    plan = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}",
                                                      parameters).scalar_one()[0]["Plan"]
                    assert _rows_thrown_away(plan) < 200, (path, " ".join(statement.split())[:160])
