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


def whole_number(text: str) -> int | None:
    """Read text made only of the digits 0-9 as a number; None otherwise.

    str.isdigit() is also true for "²" or "٣", which int() refuses or reads as another number: a
    page number or rating typed in a URL must never turn into a server error.
    """
    return int(text) if text.isascii() and text.isdigit() else None


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
