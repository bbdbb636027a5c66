"""Errors as RFC 9457 problem details, and the headers every public read carries (docs/api.md)."""

from flask import request
from werkzeug.exceptions import HTTPException

from ..errors import is_api_request, problem_response
from . import PUBLIC_READ_PREFIXES, bp, pages

# A proxy (or a browser) may keep a public answer this long; the ETag makes revalidating it cheap.
CACHE_CONTROL = "public, max-age=60"


@bp.errorhandler(HTTPException)
def handle_api_error(error):
    """An HTTP error inside the API: problem+json; a refused query argument is named with the reason."""
    headers = [(name, value) for name, value in error.get_headers() if name.lower() != "content-type"]
    messages = getattr(error, "data", {}).get("messages") if isinstance(getattr(error, "data", None), dict) else None
    if messages:
        invalid = invalid_params(messages)
        detail = "; ".join(f"{param['name']}: {param['reason']}" for param in invalid)
        return problem_response(400, detail, invalid, headers=headers)
    return problem_response(error.code or 500, error.description, headers=headers)


def invalid_params(messages):
    """Flatten webargs' {"query": {"stars": {0: ["..."]}}} into [{"name": "stars", "reason": "..."}]."""
    found = []

    def walk(name, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(name if isinstance(key, int) else key, inner)
        elif isinstance(value, list):
            for inner in value:
                walk(name, inner)
        else:
            found.append({"name": name, "reason": str(value)})

    for location in messages.values():
        walk("", location)
    return found


@pages.after_app_request
def public_read_headers(response):
    """ETag with If-None-Match, a short public cache, and (on the API) reads from any origin."""
    if not request.path.startswith(PUBLIC_READ_PREFIXES) or request.method not in ("GET", "HEAD"):
        return response
    if is_api_request():
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    if response.status_code == 200 and not response.is_streamed:
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.add_etag()
        response.make_conditional(request)
    return response
