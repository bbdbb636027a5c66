"""Configuration: safe defaults, environment overrides, the instance folder and the secret key."""

import pytest

from pioneer import create_app


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    import os

    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    return monkeypatch


def test_instance_folder_holds_database_and_a_generated_secret(clean_env, tmp_path):
    app = create_app()
    folder = tmp_path / "elsewhere"
    assert app.instance_path == str(folder)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{folder}/pioneer.sqlite3"
    assert app.config["SEARCH_INDEX_PATH"] == str(folder / "index")
    key = (folder / "secret_key").read_text()
    assert len(key) >= 40 and app.config["SECRET_KEY"] == key
    assert create_app().config["SECRET_KEY"] == key  # kept, not regenerated


def test_environment_overrides_settings(clean_env):
    clean_env.setenv("PIONEER_PROJECTS_PER_PAGE", "7")
    clean_env.setenv("PIONEER_SQLALCHEMY_DATABASE_URI", "sqlite:////tmp/other.sqlite3")
    app = create_app()
    assert app.config["PROJECTS_PER_PAGE"] == 7
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/other.sqlite3"


@pytest.mark.parametrize("key", [None, "dev", "short-key", "changeme"])
def test_production_refuses_to_start_without_a_real_secret_key(clean_env, key):
    clean_env.setenv("PIONEER_ENV", "production")
    if key:
        clean_env.setenv("PIONEER_SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="refuses to start in production without a real secret key"):
        create_app()


def test_production_with_a_real_key_uses_secure_cookies(clean_env, tmp_path):
    clean_env.setenv("PIONEER_ENV", "production")
    clean_env.setenv("PIONEER_SECRET_KEY", "k" * 48)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "elsewhere" / "secret_key").exists()


def test_wsgi_entry_point_is_production_by_default(clean_env):
    import importlib
    import os
    import sys

    # Touch PIONEER_ENV through monkeypatch first, so the value wsgi.py sets is undone after the test.
    clean_env.setenv("PIONEER_ENV", "unset-by-test")
    clean_env.delenv("PIONEER_ENV")
    sys.modules.pop("wsgi", None)
    with pytest.raises(RuntimeError, match="real secret key"):
        importlib.import_module("wsgi")
    assert os.environ["PIONEER_ENV"] == "production"
