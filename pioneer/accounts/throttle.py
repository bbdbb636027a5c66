"""Sign-in throttling whose counters live in the database, so every server process shares them."""

import math
from datetime import timedelta

from flask import current_app

from ..database import db
from ..models import LoginFailure, utcnow


def keys_for(login, address):
    """Name the counters a sign-in attempt counts against: its account and its client address."""
    return [f"account:{login.strip().lower()[:250]}", f"address:{address or 'unknown'}"]


def _window():
    return timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def retry_after(keys):
    """Seconds to wait before the next attempt, or 0 when none of the counters is full."""
    limit, window, now = current_app.config["LOGIN_FAILURE_LIMIT"], _window(), utcnow()
    wait = 0.0
    for key in keys:
        recent = db.session.execute(
            db.select(LoginFailure.created_at)
            .where(LoginFailure.key == key, LoginFailure.created_at > now - window)
            .order_by(LoginFailure.created_at.desc())
            .limit(limit)
        ).scalars().all()
        if len(recent) >= limit:
            # The counter frees a place when the oldest of the last `limit` failures leaves the window.
            wait = max(wait, (recent[-1] + window - now).total_seconds())
    return math.ceil(wait)


def record_failure(keys):
    """Count a failed attempt against each key, and forget failures older than the window."""
    now = utcnow()
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.created_at <= now - _window()))
    db.session.add_all(LoginFailure(key=key, created_at=now) for key in keys)


def forget_account_failures(login):
    """Clear an account's counter after a successful sign-in; the address counter stays."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.key == keys_for(login, None)[0]))
