"""Absolute links to pages of this site, for mail and calendar files (which leave the site)."""

from flask import current_app


def site_url(endpoint: str, **values) -> str:
    """The absolute address of a page, from SITE_URL; works in a request, a command or a test alike."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["SITE_URL"].rstrip("/") + path
