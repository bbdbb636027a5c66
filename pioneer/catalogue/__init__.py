"""Public pages: home, the listing with its filters, project pages and mentors."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from . import cache, views  # noqa: E402,F401  (views register on bp; cache hooks the session)
