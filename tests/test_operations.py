"""What operators see when a part breaks: a corrupt index, a locked or read-only database."""

import contextlib
import gc
import io
import os
import subprocess
import sys
import time

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.models import Role
from pioneer.provision import build_index_if_missing

from .factories import DEFAULT_PASSWORD, make_project, make_user

# Holds the SQLite file from another process until its stdin closes: writes only ("writes", BEGIN
# EXCLUSIVE: readers go on under WAL), or reads too ("all", exclusive locking mode, as a tool that
# rewrites the file does).
LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "all":
    connection.execute("PRAGMA locking_mode = EXCLUSIVE")
connection.execute("BEGIN EXCLUSIVE")
connection.execute("CREATE TABLE held_by_another_process (x)")
print("locked", flush=True)
sys.stdin.read()
"""


def make_disk_app(tmp_path, monkeypatch, **config):
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production", "CSRF_ENABLED": False,
                       **config})


def close(app):
    with app.app_context():
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def disk_app(tmp_path, monkeypatch):
    """An app whose SQLite file and search index are on disk, as a served site's are."""
    app = make_disk_app(tmp_path, monkeypatch)
    with app.app_context():
        db.create_all()
        mentor = make_user("Marta Mentor", username="marta")
        make_user("Cora Coordinator", username="cora", roles=[Role.COORDINATOR])
        for title in ("Bandicoot balancer", "Quokka queue", "Wombat web server"):
            make_project(title, mentors=[mentor])
        db.session.commit()
        build_index_if_missing()
    yield app
    close(app)


def database_path(app):
    with app.app_context():
        return db.engine.url.database


@contextlib.contextmanager
def held(app, what):
    """Hold app's SQLite file from another process (see LOCKER) while the block runs."""
    with app.app_context():
        db.engine.dispose()  # The app's idle connections would keep an exclusive locker out.
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, database_path(app), what],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        yield
    finally:
        locker.stdin.close()
        locker.wait(timeout=10)
        locker.stdout.close()


def new_round(client, name="Outreachy May 2027"):
    return client.post("/rounds/new", data={"name": name, "starts_on": "2027-05-20", "ends_on": "2027-08-20"})


def timed(call):
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def assert_busy_page(response, retry_after, heading):
    """A 503 with Retry-After, on the site's own page without the account menu, not a bare error."""
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert response.headers["Retry-After"] == str(retry_after)
    assert heading in html and "Nothing you sent was saved" in html
    assert "Internal Server Error" not in html and "Sign out" not in html
    assert response.headers["Content-Security-Policy"]  # the site's own headers, as on every page


def overwrite_segments(app):
    """Overwrite every segment file of the live index with garbage, as a bad disk or a stray script would."""
    with app.app_context():
        current = search.backend().current_path()
    segments = [name for name in os.listdir(current) if name.endswith(".seg")]
    assert segments
    for name in segments:
        path = os.path.join(current, name)
        size = os.path.getsize(path)
        with open(path, "r+b") as handle:  # In place, as a running server's open files see it.
            handle.write(os.urandom(size))


def close_whoosh_leaks():
    """Close the segment files Whoosh leaves open when it fails to read them (its leak, not ours).

    The tracebacks holding them outlive the test, so the warning would otherwise come at exit.
    """
    for obj in gc.get_objects():
        if isinstance(obj, io.BufferedReader) and not obj.closed and str(obj.name).endswith(".seg"):
            obj.close()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_corrupt_index_fails_the_health_check_and_search_check_says_so(disk_app):
    client = disk_app.test_client()
    # A running site: its searcher is open and has answered.
    assert client.get("/healthz").status_code == 200
    assert "bandicoot-balancer" in client.get("/projects?q=bandicoot").get_data(as_text=True)
    overwrite_segments(disk_app)

    health = client.get("/healthz")
    assert health.status_code == 503 and health.headers["Cache-Control"] == "no-store"
    body = health.get_json()
    assert body["checks"] == {"database": "ok", "search": "unavailable"}
    assert body["errors"]["search"].startswith("the search index cannot be read: ")
    assert body["errors"]["search"].endswith("run `pioneer search rebuild`")

    runner = disk_app.test_cli_runner()
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 1 and isinstance(check.exception, SystemExit)  # a message, not a traceback
    assert check.output.startswith("Error: the search index cannot be read: ")
    assert check.output.rstrip().endswith("run `pioneer search rebuild`.")
    assert "Traceback" not in check.output

    assert runner.invoke(args=["search", "rebuild"]).exit_code == 0
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert client.get("/healthz").status_code == 200
    close_whoosh_leaks()


def sign_in(client, username="cora"):
    assert client.post("/login", data={"login": username, "password": DEFAULT_PASSWORD}).status_code == 302


def test_a_write_while_another_process_holds_the_database_answers_503_within_the_web_timeout(disk_app):
    client = disk_app.test_client()
    sign_in(client)
    with held(disk_app, "writes"):
        response, seconds = timed(lambda: new_round(client))
        assert_busy_page(response, 10, "The site is busy")
        # The web's lock wait (DATABASE_WEB_LOCK_TIMEOUT, 5 s), not a command's 15 s.
        assert 4.5 <= seconds < 9, seconds
        # Reading goes on: WAL lets readers past a writer, signed in or not.
        assert client.get("/projects/bandicoot-balancer").status_code == 200
        assert "Sign out" in client.get("/rounds").get_data(as_text=True)
        assert disk_app.test_client().get("/healthz").status_code == 200
    assert new_round(client).status_code == 302


PAGES = ["/", "/projects", "/projects?q=bandicoot", "/projects/bandicoot-balancer", "/mentors/marta", "/rounds",
         "/calls", "/account", "/no-such-page", "/rounds/new"]


def test_every_page_answers_503_when_the_database_cannot_even_be_read(tmp_path, monkeypatch):
    """Signed in, so the session's user is read first: the error page itself must not need the database."""
    app = make_disk_app(tmp_path, monkeypatch, DATABASE_WEB_LOCK_TIMEOUT=0.5)
    with app.app_context():
        db.create_all()
        make_user("Cora Coordinator", username="cora", roles=[Role.COORDINATOR])
        make_project("Bandicoot balancer", mentors=[make_user("Marta Mentor", username="marta")])
        db.session.commit()
        build_index_if_missing()
    client = app.test_client()
    sign_in(client)
    try:
        with held(app, "all"):
            for path in PAGES:
                response, seconds = timed(lambda path=path: client.get(path))
                assert_busy_page(response, 10, "The site is busy")
                assert seconds < 4, (path, seconds)  # 0.5 s of waiting, twice at most (session, then page)
            health = app.test_client().get("/healthz")
            assert health.status_code == 503 and health.get_json()["checks"]["database"] == "unavailable"
            assert "database is locked" in health.get_json()["errors"]["database"]
        assert all(client.get(path).status_code in (200, 404) for path in PAGES)
    finally:
        close(app)


def test_a_read_only_database_answers_503_to_writes_and_serves_reads(disk_app, tmp_path, monkeypatch):
    """The same file opened read-only (as on a read-only mount; root ignores file modes)."""
    uri = f"sqlite:///file:{database_path(disk_app)}?mode=ro&uri=true"
    read_only = make_disk_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=uri)
    try:
        client = read_only.test_client()
        assert client.get("/projects/bandicoot-balancer").status_code == 200
        # The session cookie is signed with the same key: signed in on the writable site, it serves here.
        writable = disk_app.test_client()
        sign_in(writable)
        client.set_cookie("session", writable.get_cookie("session").value)
        assert "Sign out" in client.get("/rounds").get_data(as_text=True)
        response, seconds = timed(lambda: new_round(client))
        assert_busy_page(response, 60, "The site is read-only for a moment")
        assert seconds < 2, seconds
        assert "Outreachy May 2027" not in client.get("/rounds").get_data(as_text=True)
    finally:
        close(read_only)


@pytest.mark.postgres
def test_postgresql_lock_timeout_and_read_only_transactions_answer_503(cluster, tmp_path, monkeypatch):
    import psycopg

    url = cluster.create_database("operations")
    app = make_disk_app(tmp_path, monkeypatch, SQLALCHEMY_DATABASE_URI=url, SEARCH_STORAGE="memory",
                        DATABASE_WEB_LOCK_TIMEOUT=1)
    other = psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=operations", autocommit=True)
    try:
        assert app.test_cli_runner().invoke(args=["init"]).exit_code == 0
        with app.app_context():
            make_user("Cora Coordinator", username="cora", roles=[Role.COORDINATOR])
            db.session.commit()
        client = app.test_client()
        sign_in(client)
        # Another session holds the rounds table (a migration, a long maintenance job).
        with other.transaction():
            other.execute("LOCK TABLE rounds IN ACCESS EXCLUSIVE MODE")
            response, seconds = timed(lambda: new_round(client))
            assert_busy_page(response, 10, "The site is busy")
            assert 0.9 <= seconds < 4, seconds  # lock_timeout: the web's wait, not forever
            assert_busy_page(client.get("/rounds"), 10, "The site is busy")
        assert new_round(client, "Outreachy December 2027").status_code == 302
        # A database switched to read-only (a replica being promoted, maintenance).
        other.execute("ALTER DATABASE operations SET default_transaction_read_only = on")
        with app.app_context():
            db.engine.dispose()
        assert client.get("/rounds").status_code == 200
        assert_busy_page(new_round(client), 60, "The site is read-only for a moment")
        # Backups on PostgreSQL are pg_dump's job: the commands say so and change nothing.
        runner = app.test_cli_runner()
        backup = tmp_path / "backup.sqlite3"
        backup.write_bytes(b"")
        for args in (["backup", str(backup)], ["restore", str(backup), "--yes"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 1 and "pg_dump --format=custom" in result.output, result.output
            assert "pg_restore --clean" in result.output
    finally:
        other.execute("ALTER DATABASE operations SET default_transaction_read_only = off")
        other.close()
        close(app)
