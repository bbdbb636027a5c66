"""Queries behind the project form."""

from ..database import db
from ..models import Area


def areas():
    """The community's areas, by name, for the form's choice."""
    return db.session.execute(db.select(Area).order_by(Area.name)).scalars().all()


def area_with_slug(slug):
    return db.session.execute(db.select(Area).where(Area.slug == slug)).scalar_one_or_none()
