"""Claims: a newcomer says "I am working on this", keeps the claim up to date, or lets it go."""

from flask import Blueprint

bp = Blueprint("claims", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
