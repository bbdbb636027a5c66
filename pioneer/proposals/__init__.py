"""Proposals: mentors propose and edit projects, confirm them as still accurate, and mark them done."""

from flask import Blueprint

bp = Blueprint("proposals", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
