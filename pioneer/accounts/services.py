"""Signed links mailed to people: a password reset and an email confirmation (docs/mail.md).

Both are itsdangerous tokens signed with the secret key, each with its own salt, and they expire
(`PASSWORD_RESET_MAX_AGE`, `EMAIL_VERIFY_MAX_AGE`). A reset link carries a fingerprint of the password
hash it may replace, so it works once: the new password changes the hash. A confirmation link carries
the address it confirms, so it stops working when the email changes, and confirming twice changes nothing.
"""

import hashlib

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from .. import notify
from ..database import db
from ..links import site_url
from ..models import User, utcnow

RESET_SALT = "pioneer.password-reset"
VERIFY_SALT = "pioneer.verify-email"


def _serializer(salt):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _fingerprint(user):
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    """A link token that lets the owner of user's address set a new password, once."""
    return _serializer(RESET_SALT).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_reset(token: str) -> User | None:
    """The account a reset token is good for now, or None when it is forged, expired, used or disabled."""
    try:
        data = _serializer(RESET_SALT).loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except BadData:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.can_sign_in or data.get("f") != _fingerprint(user):
        return None
    return user


def queue_reset(user: User) -> None:
    """Queue the reset link for an account that may sign in; the caller commits."""
    notify.queue("password_reset", user=user, account_mail=True,
                 reset_url=site_url("accounts.reset_password", token=reset_token(user)),
                 hours=current_app.config["PASSWORD_RESET_MAX_AGE"] // 3600 or 1)


def verify_token(user: User) -> str:
    return _serializer(VERIFY_SALT).dumps({"u": user.id, "e": user.email})


def verify_email(token: str) -> User | None:
    """Mark the address of a good confirmation token verified and return its account, or None."""
    try:
        data = _serializer(VERIFY_SALT).loads(token, max_age=current_app.config["EMAIL_VERIFY_MAX_AGE"])
    except BadData:
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.email or user.email != data.get("e"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def queue_verification(user: User) -> None:
    """Queue the confirmation link for user's address; the caller commits."""
    notify.queue("verify_email", user=user, account_mail=True,
                 verify_url=site_url("accounts.confirm_email", token=verify_token(user)))


def queue_taken_email_notice(address: str, owner: User) -> None:
    """Tell the owner of an address that someone tried to register with it; no account is made."""
    notify.queue("email_taken", user=owner, account_mail=True, login_url=site_url("accounts.login"),
                 reset_url=site_url("accounts.request_password_reset"))
