"""Open data out: the JSON API under /api/v1 with its OpenAPI description, the Atom feed, the embeddable
list, the downloads of a listing and the /api page for people. See docs/api.md.

This package presents the catalogue in other formats, so it reads through the page packages' `queries`
and the catalogue's filters and search path (exactly what /projects accepts), and never through their
views or forms; no page package imports it (tests/test_architecture.py).
"""

from http import HTTPStatus

from flask import Blueprint, request
from flask.sessions import SecureCookieSessionInterface
from flask_smorest import Api
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest.utils import prepare_response

bp = ApiBlueprint("api", __name__, url_prefix="/api/v1",
                  description="The catalogue of starter projects, read-only and public.")
pages = Blueprint("open_data", __name__)

PROBLEM_TYPE = "application/problem+json"
# Paths whose answers are the same for everyone: a shared cache may keep them (api/errors.py).
PUBLIC_READ_PREFIXES = ("/api/v1/", "/feeds/", "/embed/", "/downloads/")


class PublicReadSessions(SecureCookieSessionInterface):
    """The site's signed cookie sessions, never written on a public read.

    A signed-in person's session is refreshed on every request (a permanent session), so an API
    answer would carry their Set-Cookie, and one marked `Cache-Control: public` could hand it to
    everyone behind the same proxy. Public reads answer the same to everyone, so they leave the
    cookie alone (and add no `Vary: Cookie`): the embed stays cookie-free in any case.
    """

    def save_session(self, app, session, response):
        if request.path.startswith(PUBLIC_READ_PREFIXES):
            return
        super().save_session(app, session, response)


class PioneerApi(Api):
    """flask-smorest's Api, with the site's own error pages kept and errors described as problem+json."""

    def _register_error_handlers(self):
        # flask-smorest would answer every HTTP error of the whole site in JSON; the API's blueprint
        # answers its own (api/errors.py) and the site keeps its pages.
        pass

    def _register_responses(self):
        from .examples import PROBLEMS
        from .schemas import Problem

        for status in (400, 404, 500, 503):
            response = {"description": HTTPStatus(status).phrase, "schema": Problem, "example": PROBLEMS[status]}
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(HTTPStatus(status).name, response, lazy=True)
        response = {"description": "An error, as RFC 9457 problem details.", "schema": Problem}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


API_CONFIG = {
    "API_TITLE": "Pioneer",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "The starter projects of the catalogue, their mentors, areas, skills, internship "
                           "rounds and community calls, read-only and public. Every answer carries an ETag "
                           "(send If-None-Match for a 304), may be cached by a proxy for a minute, and may "
                           "be read from any web page (Access-Control-Allow-Origin: *). Errors are RFC 9457 "
                           "problem details. For people: /api.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
    },
}


def init_app(app):
    for key, value in API_CONFIG.items():
        app.config.setdefault(key, value)
    app.session_interface = PublicReadSessions()
    api = PioneerApi(app)
    api.register_blueprint(bp)
    app.register_blueprint(pages)
    app.extensions["pioneer-api"] = api


from . import errors, pages_views, views  # noqa: E402,F401  (routes and handlers register on the blueprints)
