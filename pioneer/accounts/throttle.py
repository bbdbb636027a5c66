"""Throttles whose counters live in the database, so every server process shares them.

Sign-in counts failures per account and per client address; registration counts the accounts each
client address opens. Each kind of counter has its own limit and window (settings in config.py).
"""

import math
from datetime import timedelta

from flask import current_app

from ..database import db
from ..models import LoginFailure, utcnow

# The prefix of a counter's key names its kind; each kind reads its limit and window from these settings.
LIMITS = {
    "account": ("LOGIN_FAILURE_LIMIT", "LOGIN_FAILURE_WINDOW_SECONDS"),
    "login": ("LOGIN_FAILURE_LIMIT", "LOGIN_FAILURE_WINDOW_SECONDS"),
    "address": ("LOGIN_FAILURE_LIMIT", "LOGIN_FAILURE_WINDOW_SECONDS"),
    "register": ("REGISTRATION_LIMIT", "REGISTRATION_WINDOW_SECONDS"),
    # Reset links asked for from one address: each one mails somebody (docs/mail.md).
    "reset": ("RESET_LIMIT", "REGISTRATION_WINDOW_SECONDS"),
}


def normalised(login):
    return login.strip().lower()[:250]


def keys_for(login, address, user=None):
    """Name the counters a sign-in attempt counts against: its account and its client address.

    An existing account has one counter whatever was typed (its username or its email); a login that
    names no account counts under its own text.
    """
    account = f"account:{user.id}" if user is not None else f"login:{normalised(login)}"
    return [account, _address_key("address", address)]


def registration_keys(address):
    """Name the counter of accounts opened from one client address."""
    return [_address_key("register", address)]


def reset_keys(address):
    """Name the counter of password reset links asked for from one client address."""
    return [_address_key("reset", address)]


def _address_key(kind, address):
    return f"{kind}:{address or 'unknown'}"


def _limit(key):
    limit_setting, window_setting = LIMITS[key.partition(":")[0]]
    config = current_app.config
    return int(config[limit_setting]), timedelta(seconds=float(config[window_setting]))


def retry_after(keys):
    """Seconds to wait before the next attempt, or 0 when none of the counters is full."""
    now = utcnow()
    wait = 0.0
    for key in keys:
        limit, window = _limit(key)
        recent = db.session.execute(
            db.select(LoginFailure.created_at)
            .where(LoginFailure.key == key, LoginFailure.created_at > now - window)
            .order_by(LoginFailure.created_at.desc())
            .limit(limit)
        ).scalars().all()
        if len(recent) >= limit:
            # The counter frees a place when the oldest of the last `limit` entries leaves the window.
            wait = max(wait, (recent[-1] + window - now).total_seconds())
    return math.ceil(wait)


def record_failure(keys):
    """Count an attempt against each key, and forget entries older than their kind's window."""
    now = utcnow()
    expired = [
        LoginFailure.key.startswith(f"{kind}:") & (LoginFailure.created_at <= now - _limit(f"{kind}:")[1])
        for kind in LIMITS
    ]
    db.session.execute(db.delete(LoginFailure).where(db.or_(*expired)))
    db.session.add_all(LoginFailure(key=key, created_at=now) for key in keys)


def forget_account_failures(user):
    """Clear an account's counter after a successful sign-in; the address counter stays."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.key == keys_for("", None, user)[0]))
