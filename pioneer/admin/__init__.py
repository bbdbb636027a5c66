"""Admins' pages: accounts, their roles, and whether they can sign in."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import views  # noqa: E402,F401  (views register on bp)
