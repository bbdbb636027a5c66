"""Public pages: home, the listing with its filters, project pages and mentors."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
