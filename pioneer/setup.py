"""Create or upgrade what the site stores: the database schema."""

from flask_migrate import upgrade
from sqlalchemy import inspect

from .database import db


def upgrade_database():
    """Bring the schema to the newest migration; return a line saying what happened."""
    existed = inspect(db.engine).has_table("alembic_version")
    upgrade()
    db.session.remove()
    return "Database upgraded to the newest schema." if existed else "Database created."
