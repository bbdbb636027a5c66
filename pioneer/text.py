"""Small text helpers shared by the importer, forms and models."""

import re
import unicodedata


def slugify(text, max_length=100):
    """Make a URL slug: lowercase ASCII words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")
