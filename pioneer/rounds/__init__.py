"""Internship rounds and their interns: public names and projects; emails and notes for coordinators and mentors."""

from flask import Blueprint

bp = Blueprint("rounds", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
