"""Where to go after signing in: only ever a page of this site."""

from urllib.parse import urlsplit


def safe_next(target, default):
    """Return target when it is a path on this site, default otherwise (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(char in target for char in "\\\r\n\t") or any(ord(char) < 32 for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
