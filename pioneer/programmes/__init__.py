"""Programmes: internship rounds and their interns, community calls and invitations to them."""

from flask import Blueprint

bp = Blueprint("programmes", __name__)

from . import calls, rounds  # noqa: E402,F401  (views register on bp)
