"""Small text helpers shared by the importer, forms and models."""

import re
import unicodedata
from urllib.parse import urlsplit


def slugify(text: str, max_length: int = 100) -> str:
    """Make a URL slug: lowercase ASCII words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def is_web_url(text: str | None) -> bool:
    """Tell whether text is an absolute http or https address with a host and no spaces."""
    if not text or any(char.isspace() for char in text) or len(text) > 500:
        return False
    try:
        parts = urlsplit(text)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


def one_line(text):
    """Clean a single-line value (a title, a name, a subject): the one rule for every such field.

    Every run of white space, line or paragraph separator (CR, LF, tab, NEL, U+2028, U+2029...) becomes one
    space, other control characters (NUL, escape, DEL...) are dropped, and the ends are trimmed. Anything
    that is not text (None, an object a form was filled from) comes back as it is.
    """
    if not isinstance(text, str):
        return text
    kept = "".join(char for char in text if char.isspace() or unicodedata.category(char) != "Cc")
    return " ".join(kept.split())


def whole_number(text: str) -> int | None:
    """Read text made only of the digits 0-9 as a number; None otherwise.

    str.isdigit() is also true for "²" or "٣", which int() refuses or reads as another number: a
    page number or rating typed in a URL must never turn into a server error.
    """
    return int(text) if text.isascii() and text.isdigit() else None


# The largest id a row can have: ids are INTEGER columns, 32-bit on PostgreSQL (64-bit on SQLite). A
# larger number in a URL or a form names no row, and the database would refuse to even compare it
# (PostgreSQL: "integer out of range"; SQLite, beyond 64 bits: OverflowError).
MAX_ID = 2**31 - 1


def row_id(text: str | None) -> int | None:
    """Read a row's id typed in a URL or a form: a whole number from 1 to MAX_ID; None otherwise."""
    number = whole_number(text or "")
    return number if number and number <= MAX_ID else None


# No listing has this many pages; a larger number in a URL is a typo or a probe, read as page 1.
MAX_PAGE = 100_000


def page_number(text: str | None) -> int:
    """Read the page argument of a URL: a whole number from 1 below MAX_PAGE, else 1."""
    number = whole_number(text or "1")
    return number if number and number < MAX_PAGE else 1


def split_usernames(text: str | None) -> list[str]:
    """Read "ann, @bob; cy" as ["ann", "bob", "cy"]: lowercase, without repeats."""
    names = [name.strip().lstrip("@").lower() for name in (text or "").replace(";", ",").split(",")]
    return list(dict.fromkeys(name for name in names if name))
