"""People: finding accounts, creating them, and the username rule."""

import re
from collections.abc import Container, Iterable, Sequence

from ..database import db, free_value
from ..models import Role, User
from ..text import slugify
from .errors import DomainError
from .passwords import hash_password

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")


class AccountError(DomainError, ValueError):
    """A request about accounts that cannot be carried out, with a message for the person."""


def find_user(login: str) -> User | None:
    """Find a user by username or email, ignoring case; None when there is none."""
    login = login.strip().lower()
    return db.session.execute(
        db.select(User).where((db.func.lower(User.username) == login) | (db.func.lower(User.email) == login))
    ).scalar_one_or_none()


def unique_username(wanted: str, reserved: Container[str] = ()) -> str:
    """Turn wanted into a free username: a slug, with a number added when taken (or in reserved)."""
    base = (slugify(wanted) or "user")[:36].strip("-")
    if len(base) < 3:
        base = f"{base}-user"
    return free_value(User.username, base, reserved)


def create_user(email: str, name: str, password: str | None, username: str | None = None,
                roles: Iterable[Role | str] = ()) -> User:
    """Add an account; raise AccountError when the email or username is taken or invalid."""
    email = email.strip()
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        raise AccountError(f"{email!r} does not look like an email address.")
    if find_user(email):
        raise AccountError(f"An account with the email {email} already exists.")
    if username:
        username = username.strip().lower()
        if not USERNAME_RE.match(username):
            raise AccountError("A username has 3 to 40 lowercase letters, digits or dashes.")
        if find_user(username):
            raise AccountError(f"The username {username} is taken.")
    else:
        username = unique_username(email.split("@")[0])
    user = User(email=email.lower(), name=name.strip() or username, username=username)
    user.password_hash = hash_password(password) if password else None
    for role in roles:
        user.grant(role)
    db.session.add(user)
    return user


def users_named(usernames: Sequence[str]) -> tuple[list[User], list[str]]:
    """Find active accounts by username, in the order given; return (users, names that match none)."""
    found = {
        user.username: user
        for user in db.session.execute(db.select(User).where(User.username.in_(usernames), User.is_active)).scalars()
    }
    return [found[name] for name in usernames if name in found], [name for name in usernames if name not in found]
