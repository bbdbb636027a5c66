"""Headers that every response carries (a strict Content-Security-Policy and its companions), and the
refusal of requests that carry a NUL character.
"""

from flask import render_template, request

from . import errors

# Scripts and styles come only from our own static files: no inline script, no inline style.
# Images may come from https hosts, because project descriptions link pictures in Markdown.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

# Only the embeddable list (/embed/..., docs/api.md) may be shown in a frame on another site: its policy
# says frame-ancestors * and it carries no X-Frame-Options. Every other page keeps DENY.
FRAMEABLE_PREFIX = "/embed/"
FRAMEABLE_CONTENT_SECURITY_POLICY = "; ".join(
    "frame-ancestors *" if directive.startswith("frame-ancestors ") else directive
    for directive in CONTENT_SECURITY_POLICY.split("; ")
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


NUL_REFUSED = (
    "The address, a form field or a cookie of this request holds a NUL character (%00), which has no place "
    "in text. Remove it and try again."
)


def init_app(app):
    # First of all the checks: loading the signed-in user or the CSRF check reads cookies and the form,
    # and PostgreSQL refuses a NUL in any text it is sent, which would be a server error.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul)
    app.after_request(add_security_headers)


def refuse_nul():
    """Answer 400 to a request with a NUL in its path, query, form, uploaded files or cookies."""
    if _holds_nul(request):
        if errors.is_api_request():
            return errors.problem_response(400, NUL_REFUSED)
        return render_template("errors/400.html", reason=NUL_REFUSED), 400
    return None


def _holds_nul(request):
    if "\x00" in request.path:
        return True
    pairs = [*request.args.items(multi=True), *request.cookies.items(multi=True)]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        pairs += request.form.items(multi=True)
        pairs += [(name, upload.filename or "") for name, upload in request.files.items(multi=True)]
        if any(_file_holds_nul(upload) for upload in request.files.values()):
            return True
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def _file_holds_nul(upload):
    """Look for a NUL byte in an uploaded text file, then rewind it for the view."""
    try:
        while chunk := upload.stream.read(1 << 16):
            if b"\x00" in chunk:
                return True
        return False
    finally:
        upload.stream.seek(0)


def add_security_headers(response):
    headers = HEADERS
    if request.path.startswith(FRAMEABLE_PREFIX):
        headers = {name: value for name, value in HEADERS.items() if name != "X-Frame-Options"}
        headers["Content-Security-Policy"] = FRAMEABLE_CONTENT_SECURITY_POLICY
    for name, value in headers.items():
        response.headers.setdefault(name, value)
    return response
