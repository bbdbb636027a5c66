"""Who is signed in: sessions that carry the account's session version, so they can all be ended."""

from flask import g, session

from ..database import db
from ..models import User


def init_app(app):
    # A session lasts PERMANENT_SESSION_LIFETIME (14 days, config.py) from the last request.
    app.before_request(load_current_user)


def load_current_user():
    """Put the signed-in user (or None) on g.user; a cookie from an ended session signs no one in."""
    user_id = session.get("user_id")
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is not None and (not user.can_sign_in or session.get("session_version") != user.session_version):
        user = None
    if user is None and user_id is not None:
        session.clear()
    g.user = user


def sign_in(user):
    """Start a fresh session for user (a new cookie and a new CSRF secret: no session fixation)."""
    session.clear()
    session["user_id"] = user.id
    session["session_version"] = user.session_version
    session.permanent = True
    g.user = user


def sign_out(user):
    user.end_all_sessions()
    session.clear()
    g.user = None
