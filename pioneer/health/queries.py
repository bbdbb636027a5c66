"""The query the health check runs against the database."""

from ..database import db
from ..models import Project


def read_a_row():
    """Read one row of a real table: SELECT 1 alone never opens SQLite's file."""
    db.session.execute(db.select(Project.id).limit(1)).all()
