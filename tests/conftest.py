"""Fixtures: an app with its own database per test, a client, a CLI runner and sign-in helpers."""

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.setup import build_index_if_missing


@pytest.fixture
def app(tmp_path, monkeypatch):
    """An app whose instance folder, SQLite database and index live in a fresh temporary folder."""
    for name in list(__import__("os").environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SEARCH_STORAGE": "memory"})
    with app.app_context():
        db.create_all()
        build_index_if_missing()
    yield app
    with app.app_context():
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


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

    def login(self, user):
        """Sign the test client in as user, as the sign-in page will (it arrives with accounts)."""
        with self._client.session_transaction() as session:
            session.clear()
            session["user_id"] = user.id

    def logout(self):
        with self._client.session_transaction() as session:
            session.clear()


@pytest.fixture
def auth(client, app):
    return AuthActions(client, app)
