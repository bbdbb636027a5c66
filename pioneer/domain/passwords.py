"""Password hashing with Argon2id (memory-hard), and the rule for what a password may be."""

import functools
from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 1000
# zxcvbn scores 0 to 4; below 2 a password falls to an online guessing attack or a leaked-list check.
MIN_STRENGTH = 2
# zxcvbn refuses longer input; a prefix this long that is weak makes the whole password weak too.
STRENGTH_PREFIX = 72

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """A hash made by the same hasher, with the same parameters, as every stored password.

    It is verified against when there is no account (or no password), so that answer costs what a
    real one does: the time a sign-in takes must not tell which accounts exist.
    """
    return _hasher.hash("no account has this password")


def hash_password(password: str) -> str:
    """Hash a password for storing."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Tell whether password matches; a missing or broken hash never matches, and takes as long."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except VerificationError:
        return False
    except InvalidHashError:
        # A broken stored hash fails before any work: spend what a real verification costs.
        return verify_password(None, password)


def password_problem(password: str, personal: Iterable[str | None] = ()) -> str | None:
    """Say what is wrong with a new password, or None when it is good enough.

    Long passphrases and any characters are welcome; very short, very common passwords and ones
    made of the person's own name, username or email are refused.
    """
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters; a few words in a row make a good passphrase."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH:,} characters."
    verdict = zxcvbn(password[:STRENGTH_PREFIX], user_inputs=[part for part in personal if part])
    if verdict["score"] < MIN_STRENGTH:
        reason = verdict["feedback"]["warning"] or "This password is too easy to guess."
        return f"{reason.rstrip('.')}. Add a few uncommon words to make it stronger."
    return None
