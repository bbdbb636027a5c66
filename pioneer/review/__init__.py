"""Reviewers' side: the triage queue, decisions, staleness, gaps and the call for projects."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from . import views  # noqa: E402,F401  (views register on bp)
