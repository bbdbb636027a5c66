"""Fixtures: an app with its own database per test, a client, a CLI runner and sign-in helpers."""

import os

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.provision import build_index_if_missing
from tests.factories import DEFAULT_PASSWORD

# The mail_server fixture: a real SMTP server on a free loopback port (tests/smtp.py).
pytest_plugins = ["tests.mail_fixtures"]


@pytest.fixture
def app(tmp_path, monkeypatch):
    """An app whose instance folder, SQLite database and index live in a fresh temporary folder."""
    yield from fresh_app(tmp_path / "instance", monkeypatch)


def unique_database(cluster):
    """A new, empty database on the test cluster; its address."""
    import uuid

    return cluster.create_database(f"t_{uuid.uuid4().hex[:24]}")


def backend_config(request, name):
    """Settings for an app searching with the named backend: PostgreSQL gets a database of its own."""
    if name == "postgres":
        return {"SQLALCHEMY_DATABASE_URI": unique_database(request.getfixturevalue("cluster")),
                "SEARCH_BACKEND": "postgres"}
    return {}


# The search suites that run against both backends take this parameter (docs/search.md, "Two backends").
BACKENDS = ["whoosh", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def any_backend_app(request, tmp_path, monkeypatch):
    """The app fixture, once with the Whoosh backend on SQLite and once with the PostgreSQL backend."""
    yield from fresh_app(tmp_path / "instance", monkeypatch, **backend_config(request, request.param))


def fresh_app(instance_path, monkeypatch, **config):
    """Yield an app with its own SQLite database and in-memory index in instance_path; tidy up after.

    config overrides the test settings (SEARCH_STORAGE="file" puts the index on disk). No PIONEER_
    variable of the machine running the tests reaches it."""
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(instance_path))
    # CSRF is off here and on in tests/test_csrf.py, the module that proves it.
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SEARCH_STORAGE": "memory", "CSRF_ENABLED": False} | config)
    with app.app_context():
        db.create_all()
        build_index_if_missing()
    yield app
    with app.app_context():
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def cluster():
    """A throwaway PostgreSQL cluster on a loopback port for one test module (tests/postgres.py).

    Outside CI a machine without PostgreSQL skips; in CI that is a failure.
    """
    from tests.postgres import Cluster, find_bin_dir

    bin_dir = find_bin_dir()
    if bin_dir is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs a PostgreSQL server (apt-get install postgresql)")
        pytest.skip("no PostgreSQL server installed; CI runs these tests")
    cluster = Cluster(bin_dir).start()
    yield cluster
    cluster.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """Run the test inside an application context, for factories and queries."""
    with app.app_context():
        yield


class AuthActions:
    def __init__(self, client, app):
        self._client = client
        self._app = app

    def login(self, user, password=DEFAULT_PASSWORD):
        """Sign the test client in as user through the sign-in page."""
        response = self._client.post("/login", data={"login": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client, app):
    return AuthActions(client, app)
