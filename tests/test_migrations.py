"""Schema changes go through migrations; `pioneer init` creates or upgrades."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pioneer.database import db, on_this_database


# Alembic cannot reflect expression indexes on SQLite and says so; the test checks them itself.
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_init_creates_then_upgrades_a_schema_that_matches_the_models(tmp_path, monkeypatch):
    from pioneer import create_app

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0 and "Database created." in first.output
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0 and "upgraded" in second.output
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False,
                                                               "include_object": on_this_database("sqlite")})
        assert compare_metadata(context, db.metadata) == []
        indexes = {row[0] for row in connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"ix_projects_sort_stars", "ix_projects_sort_time", "ix_projects_approved_at"} <= indexes
        assert connection.exec_driver_sql("SELECT version FROM catalogue_state").scalar_one() == 0
        db.engine.dispose()


@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_0009_counts_existing_accounts_as_confirmed_and_goes_back_down(tmp_path, monkeypatch):
    from flask_migrate import downgrade, upgrade

    from pioneer import create_app

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO users (username, email, name, bio, links, capacity, availability, is_active, created_at)"
                " VALUES ('old-timer', 'old@example.org', 'Øld Timer', '', '[]', 1, '', 1, '2025-01-01 00:00:00'),"
                " ('profile', NULL, 'Profile Only', '', '[]', 1, '', 1, '2025-01-01 00:00:00')")
        upgrade()
        with db.engine.connect() as connection:
            rows = dict(connection.exec_driver_sql(
                "SELECT username, email_verified_at IS NOT NULL FROM users ORDER BY username").all())
            assert rows == {"old-timer": 1, "profile": 0}
            assert connection.exec_driver_sql("SELECT contact_chat FROM users").scalars().all() == ["", ""]
        downgrade(revision="0007")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT name FROM users ORDER BY username").scalars().all() == [
                "Øld Timer", "Profile Only"]
            assert not db.inspect(connection).has_table("mail_outbox")
        db.engine.dispose()
