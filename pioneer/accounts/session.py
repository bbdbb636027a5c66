"""Load the signed-in user for each request."""

from flask import g, session

from ..database import db
from ..models import User


def init_app(app):
    app.before_request(load_current_user)


def load_current_user():
    """Put the signed-in user (or None) on g.user."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if user_id is not None else None
    g.user = user if user is not None and user.can_sign_in else None

